/**
 * The routing table as written in a configuration file (fleets named by strings), and the
 * maintenance settings both layouts share. Shape and types only: patterns, weights and quotas
 * are the routing compiler's value rules (`validateRoutingTable`, `compileRouting`), run once
 * the names are resolved. Pure: no cdktf import.
 */
import { Violations } from "../core/errors";
import type { Maintenance } from "../routing/types";
import { Infer, s } from "./schema";

const statusCodeText = "2XX, 4XX or 5XX";

/** Reports a fleet name that is not one of `known` (the keys of the file's `fleets`). */
export function checkFleetName(v: Violations, field: string, name: string, known: readonly string[]): boolean {
  if (known.includes(name)) return true;
  v.add(field, name, "names a fleet that does not exist", `use one of: ${known.join(", ") || "(no fleets defined)"}, or define the fleet`);
  return false;
}

const fleetName = s
  .name({ maxChars: 64 })
  .rule((name, at) => {
    if (at.facts.fleetNames) checkFleetName(at.v, at.field, name, at.facts.fleetNames);
  })
  .describe("A fleet's name: a key of `fleets`.")
  .example('"rails4"');

const weightedSplit = s
  .object(
    {
      weights: s
        .array(
          s.object({
            fleet: fleetName,
            weight: s.integer({ range: "0-999" }).describe("Relative weight (ALB target group weight); at least one above 0.").example("1"),
          }),
        )
        .describe("Fleets and their weights (1-5 fleets, as one ALB forward action takes).")
        .example('[{ "fleet": "rails4", "weight": 1 }]'),
      groupStickinessSeconds: s
        .integer({ range: "1-604800" })
        .describe("Keep a client on the fleet it first reached, in seconds (ALB group stickiness).")
        .defaultText("no stickiness")
        .optional(),
    },
    { renamed: { stickySeconds: "groupStickinessSeconds" } },
  )
  .describe("A weighted split of traffic.");

/** Where matching requests go: a fleet's name, or a weighted split. */
export const destinationSchema = s
  .union<RouteDestinationJson>(
    [fleetName, weightedSplit],
    'a fleet name or { "weights": [...] }',
    'write "rails4", or { "weights": [{ "fleet": "rails4", "weight": 1 }] }',
  )
  .describe('A fleet\'s name, or `{ "weights": [...] }` to split traffic.')
  .example('"rails4"');

const patterns = (what: string) =>
  s
    .array(s.name({ maxChars: 128 }))
    .describe(what)
    .optional();

export const routeMatchSchema = s
  .object({
    paths: patterns('Path patterns, case-sensitive, starting with "/"; wildcards `*` and `?`.'),
    hosts: patterns('Host patterns, case-insensitive, e.g. "assets4.example.com".'),
    headers: s
      .array(
        s.object({
          name: s.name({ maxChars: 40 }).describe("Header name, e.g. X-Client.").example('"X-Client"'),
          values: s
            .array(s.string({ maxChars: 128 }))
            .describe("Values (case-insensitive patterns); any of them matches.")
            .example('["beta"]'),
        }),
      )
      .describe("Header conditions; each entry must match.")
      .optional(),
    queryStrings: s
      .array(
        s.object({
          key: s.string({ maxChars: 128 }).describe("Query key; any key when left out.").optional(),
          value: s.string({ maxChars: 128 }).describe("Value pattern, case-insensitive.").example('"beta"'),
        }),
      )
      .describe("Query-string conditions; any of them matches.")
      .optional(),
    methods: s
      .array(s.name({ maxChars: 40 }))
      .describe('HTTP methods, upper case, e.g. ["GET", "HEAD"].')
      .optional(),
    sourceIps: s
      .array(s.name({ maxChars: 64 }))
      .describe("Client source CIDRs (IPv4 or IPv6).")
      .optional(),
  })
  .describe("Conditions: all given kinds must match; values within a kind are alternatives.")
  .example('{ "paths": ["/hoge/*"] }');

const routeSchema = s.object({
  name: s
    .name({ maxChars: 48 })
    .describe("Stable identity of the route (lowercase letters, digits, hyphens); renaming it replaces its listener rules.")
    .example('"hoge"'),
  match: routeMatchSchema,
  to: destinationSchema,
  priority: s
    .integer({ range: "5000-50000" })
    .describe("Pin the priority of the route's first listener rule; needed only to order partly overlapping routes.")
    .defaultText("allocated by the compiler")
    .optional(),
});

const fixedResponse = s.object({
  statusCode: s.integer({ range: statusCodeText }).describe(`HTTP status, ${statusCodeText}.`).defaultValue(503).optional(),
  contentType: s
    .enum("text/plain", "text/css", "text/html", "application/javascript", "application/json")
    .describe("Content type of the page.")
    .defaultValue("text/html")
    .optional(),
  body: s.string().describe("The page (at most 1024 bytes, ALB's limit).").example('"<h1>Back soon</h1>"'),
});

const redirect = s.object({
  url: s.string().describe('Absolute http(s) URL, e.g. "https://status.example.com/".').example('"https://status.example.com/"'),
  statusCode: s.numbers(301, 302).describe("Redirect status.").defaultValue(302).optional(),
  keepQueryString: s.boolean().describe("Append the client's query string to the redirect.").defaultValue(false).optional(),
});

/** Maintenance mode: one switch for every server, evaluated before every other rule. */
export const maintenanceSchema = s
  .object({
    enabled: s.boolean().describe("Switch maintenance on or off without deleting its settings.").example("false"),
    response: s
      .tagged("type", { "fixed-response": fixedResponse, redirect })
      .describe("What maintenance answers: a fixed page or a redirect.")
      .example('{ "type": "fixed-response", "body": "<h1>Back soon</h1>" }'),
    bypass: s
      .object({
        sourceIps: s
          .array(s.name({ maxChars: 64 }))
          .describe("Staff source CIDRs.")
          .optional(),
        header: s
          .object({
            name: s.name({ maxChars: 40 }).describe("Header name.").example('"X-Maintenance-Bypass"'),
            value: s.string({ maxChars: 128 }).describe("Header value.").example('"staff"'),
          })
          .describe("A header staff send.")
          .optional(),
      })
      .describe("Staff who still reach the app while maintenance is on.")
      .defaultText("nobody bypasses")
      .optional(),
  })
  .describe("Maintenance mode, decided in one place for every server.");

/**
 * Where the override header is honoured from: required wherever a configuration file sets an
 * override header (both layouts), so a header alone never lets a stranger pick the backend.
 */
export const overrideSourceIpsSchema = s
  .array(s.name({ maxChars: 64 }), { minItems: 1 })
  .describe(
    "Staff source CIDRs (IPv4 or IPv6) the header is honoured from; from any other address it is ignored and normal routing applies.",
  )
  .example('["203.0.113.0/24"]');

/** The routing table of the two-version layout (and of `app-fleets --table`). */
export const routingTableSchema = s
  .object({
    routes: s.array(routeSchema).describe("Named routes; a more specific route wins over a broader one.").optional(),
    default: destinationSchema.describe("Where requests that match no rule go."),
    overrideHeader: s
      .object({
        name: s.name({ maxChars: 40 }).describe('Header name, e.g. "X-Backend-Version".').example('"X-Backend-Version"'),
        values: s
          .record(fleetName, { keyName: "header value", minEntries: 1 })
          .describe('Header value to fleet, e.g. { "4": "rails4" }.')
          .example('{ "4": "rails4" }'),
        sourceIps: overrideSourceIpsSchema,
      })
      .describe("A header that forces a fleet, for debugging, from staff addresses only; evaluated before routes and host pins.")
      .optional(),
    hostPins: s
      .array(
        s.object({
          hosts: s
            .array(s.name({ maxChars: 128 }), { minItems: 1 })
            .describe("Host names served by this fleet only.")
            .example('["assets4.example.com"]'),
          fleet: fleetName,
        }),
      )
      .describe("Hosts served by one fleet only, e.g. asset hosts per version.")
      .optional(),
    maintenance: maintenanceSchema.optional(),
  })
  .describe("The routing table; fleets are named by their keys in `fleets`.");

/** A fleet name, or a weighted split over fleet names. */
export type RouteDestinationJson =
  string | { readonly weights: readonly { readonly fleet: string; readonly weight: number }[]; readonly groupStickinessSeconds?: number };

export type RoutingTableJson = Infer<typeof routingTableSchema>;
export type RouteJson = NonNullable<RoutingTableJson["routes"]>[number];
export type MaintenanceJson = Infer<typeof maintenanceSchema>;

// The schema's output is what the routing code takes: a change to one fails `tsc` until the other follows.
const maintenanceFits = (m: MaintenanceJson): Maintenance => m;
void maintenanceFits;
