/**
 * `app-fleets import-nginx <file.json>`: converts an nginx regex routing list (the nginx-era
 * `{"rails4_path": {"regexps": [...]}}`) into the routing table of a two-version configuration.
 * Each list becomes one route, sent to one fleet (`--fleet`) or split by weight (`--weights`, e.g.
 * 9:1); with `--default` the output is a complete table (default fleet, routes, override
 * header from staff addresses), checked by the same rules the layouts apply, ready to paste as
 * `"routing"` into a configuration file or to read with `--table`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigError, FieldLocation, formatViolation, type Violation } from "../../lib/core/errors";
import { compileRouting } from "../../lib/routing/compile";
import { albRegexConditionsSupported } from "../../lib/aws/alb-regex-support";
import { routesFromNginxRoutingJson } from "../../lib/routing/nginx-import";
import { routingTableFromJsonByName, type RouteDestinationJson, type RoutingTableJson } from "../../lib/routing/routing-json";
import type { RouteDestination, RouteTarget } from "../../lib/routing/types";
import { parseArgs, type ParsedArgs } from "./args";
import type { Command } from "./command";
import { reportCommandError } from "./render-command";
import { UsageError } from "./routing-source";

const USAGE = [
  "usage: app-fleets import-nginx <file.json> [--fleet LIST=FLEET | --weights LIST=FLEET:W,FLEET:W]... [--sticky-seconds N]",
  "                               [--default FLEET | --default FLEET:W,FLEET:W]",
  "                               [--override-header NAME [--override-value VALUE=FLEET]... --staff-ip CIDR...] [--output FILE]",
  '  <file.json>              {"<list>": {"regexps": ["^/hoge/?", ...]}, ...}',
  "  --fleet LIST=FLEET       the fleet that receives a list's paths, repeatable (default: the list name without a",
  "                           trailing _path, so rails4_path goes to rails4)",
  "  --weights LIST=F:W,F:W   split a list's paths by weight instead, e.g. rails4_path=rails3:9,rails4:1 (1-5 fleets,",
  "                           weights 0-999, at least one above 0)",
  "  --sticky-seconds N       keep a client on the fleet it first reached in every weighted split (1-604800 s)",
  "  --default DEST           where requests no list matches go: a fleet, or F:W,F:W. With it the output is a complete",
  '                           routing table, the "routing" section of a two-version configuration; without it, {"routes": [...]}',
  "  --override-header NAME   a header that forces a fleet, for debugging (e.g. X-Backend-Version); needs --default",
  "  --override-value V=FLEET header value to fleet, repeatable (e.g. 3=rails3); default: each fleet under its own name",
  "  --staff-ip CIDR          an address range the header is honoured from, repeatable; required with --override-header",
  "  --output FILE            write the JSON to FILE instead of stdout",
  "Every regex that cannot be expressed as ALB path patterns is printed on stderr, and the command exits 1.",
  "Exit codes: 0 converted, 1 a regex or the resulting table was refused, 2 usage.",
].join("\n");

const OPTIONS = [
  { name: "fleet", value: true, repeat: true },
  { name: "weights", value: true, repeat: true },
  { name: "sticky-seconds", value: true },
  { name: "default", value: true },
  { name: "override-header", value: true },
  { name: "override-value", value: true, repeat: true },
  { name: "staff-ip", value: true, repeat: true },
  { name: "output", value: true },
] as const;

/** `LIST=VALUE`, split at the first `=`. */
function assignment(option: string, text: string, example: string): [string, string] {
  const eq = text.indexOf("=");
  if (eq <= 0 || eq === text.length - 1) throw new UsageError(`--${option} ${JSON.stringify(text)} must be ${example}`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

/** `rails4` or `rails3:9,rails4:1` as a destination of the routing table JSON. */
function destination(option: string, text: string): RouteDestinationJson {
  if (!text.includes(":")) return text;
  const weights = text.split(",").map((part) => {
    const m = /^([^:,]+):(\d+)$/.exec(part.trim());
    if (!m)
      throw new UsageError(`--${option} ${JSON.stringify(text)}: ${JSON.stringify(part)} must be FLEET:WEIGHT, e.g. rails3:9,rails4:1`);
    return { fleet: m[1], weight: Number(m[2]) };
  });
  return { weights };
}

function withStickiness(d: RouteDestinationJson, groupStickinessSeconds: number | undefined): RouteDestinationJson {
  return typeof d === "string" || groupStickinessSeconds === undefined ? d : { ...d, groupStickinessSeconds };
}

function fleetsIn(d: RouteDestinationJson): string[] {
  return typeof d === "string" ? [d] : d.weights.map((w) => w.fleet);
}

/** What the options ask for: a destination per list, and the rest of the table. */
interface ImportPlan {
  readonly destinations: Record<string, RouteDestinationJson>;
  readonly groupStickinessSeconds?: number;
  readonly defaultDestination?: RouteDestinationJson;
  readonly overrideHeader?: { readonly name: string; readonly values?: Record<string, string>; readonly sourceIps: readonly string[] };
}

function planOf(args: ParsedArgs, lists: readonly string[]): ImportPlan {
  const destinations: Record<string, RouteDestinationJson> = {};
  for (const list of lists) destinations[list] = list.replace(/_path$/, "");
  const given = new Set<string>();
  const assign = (option: string, list: string, d: RouteDestinationJson) => {
    if (given.has(list)) throw new UsageError(`list ${list} is given a destination twice (--fleet / --weights). Fix: keep one`);
    if (!lists.includes(list))
      throw new UsageError(`--${option} ${list}=...: the file has no list ${JSON.stringify(list)}; it has ${lists.join(", ") || "none"}`);
    given.add(list);
    destinations[list] = d;
  };
  for (const m of args.options.get("fleet") ?? []) {
    const [list, fleet] = assignment("fleet", m, "LIST=FLEET, e.g. rails4_path=rails4");
    if (fleet.includes(":")) throw new UsageError(`--fleet ${JSON.stringify(m)}: one fleet only. Fix: use --weights ${m} for a split`);
    assign("fleet", list, fleet);
  }
  for (const m of args.options.get("weights") ?? []) {
    const [list, split] = assignment("weights", m, "LIST=FLEET:W,FLEET:W, e.g. rails4_path=rails3:9,rails4:1");
    if (!split.includes(":"))
      throw new UsageError(
        `--weights ${JSON.stringify(m)} must give each fleet a weight, e.g. rails4_path=rails3:9,rails4:1 (one fleet: --fleet)`,
      );
    assign("weights", list, destination("weights", split));
  }
  const stickyText = args.options.get("sticky-seconds")?.[0];
  const groupStickinessSeconds = stickyText === undefined ? undefined : Number(stickyText);
  if (
    stickyText !== undefined &&
    !(Number.isInteger(groupStickinessSeconds) && groupStickinessSeconds! >= 1 && groupStickinessSeconds! <= 604800)
  ) {
    throw new UsageError(
      `--sticky-seconds ${JSON.stringify(stickyText)} must be a whole number of seconds, 1-604800 (ALB group stickiness)`,
    );
  }
  const defaultText = args.options.get("default")?.[0];
  const headerName = args.options.get("override-header")?.[0];
  const valueTexts = args.options.get("override-value") ?? [];
  const staffIps = args.options.get("staff-ip") ?? [];
  if (defaultText === undefined && (headerName !== undefined || valueTexts.length > 0 || staffIps.length > 0)) {
    throw new UsageError(
      "--override-header, --override-value and --staff-ip build a complete table, which needs a default. Fix: add --default FLEET",
    );
  }
  if (headerName === undefined && (valueTexts.length > 0 || staffIps.length > 0)) {
    throw new UsageError("--override-value and --staff-ip describe an override header. Fix: add --override-header NAME, or drop them");
  }
  if (headerName !== undefined && staffIps.length === 0) {
    throw new UsageError(
      `--override-header ${headerName} needs --staff-ip: from any address the header would let anyone pick a fleet, and the layouts refuse that. Fix: add --staff-ip 203.0.113.0/24 (your office)`,
    );
  }
  const values =
    valueTexts.length === 0
      ? undefined
      : Object.fromEntries(valueTexts.map((t) => assignment("override-value", t, "VALUE=FLEET, e.g. 4=rails4")));
  return {
    destinations,
    groupStickinessSeconds,
    defaultDestination: defaultText === undefined ? undefined : destination("default", defaultText),
    overrideHeader: headerName === undefined ? undefined : { name: headerName, values, sourceIps: staffIps },
  };
}

/** The JSON the command prints: routes alone, or a complete table checked like a configuration's. */
function outputOf(
  plan: ImportPlan,
  routes: RoutingTableJson["routes"],
): RoutingTableJson | { routes: NonNullable<RoutingTableJson["routes"]> } {
  if (plan.defaultDestination === undefined) return { routes: routes ?? [] };
  const fleets = [...new Set([...fleetsIn(plan.defaultDestination), ...(routes ?? []).flatMap((r) => fleetsIn(r.to))])];
  const table: RoutingTableJson = {
    default: withStickiness(plan.defaultDestination, plan.groupStickinessSeconds),
    ...(plan.overrideHeader
      ? {
          overrideHeader: {
            name: plan.overrideHeader.name,
            values: plan.overrideHeader.values ?? Object.fromEntries(fleets.map((f) => [f, f])),
            sourceIps: [...plan.overrideHeader.sourceIps],
          },
        }
      : {}),
    routes: routes ?? [],
  };
  // The checks a configuration's table passes (shape, values, ALB quotas): the output is ready to deploy.
  const location = FieldLocation.file("import-nginx output");
  const resolved = routingTableFromJsonByName(table, location);
  try {
    compileRouting(resolved);
  } catch (error) {
    if (!ConfigError.isConfigError(error)) throw error;
    throw new ConfigError(error.violations.map((v) => ({ ...v, field: location.field(v.field) })));
  }
  return table;
}

export const importNginxCommand: Command = {
  name: "import-nginx",
  summary: "convert nginx regex routing lists into a routing table (routes, weights, default, override header)",
  usage: USAGE,
  run(argv, io) {
    const args = parseArgs(argv, [...OPTIONS]);
    if ("error" in args || args.positionals.length !== 1) {
      io.err(`import-nginx: ${"error" in args ? args.error : `expected one JSON file, got ${args.positionals.length}`}\n${USAGE}`);
      return 2;
    }
    const file = args.positionals[0];
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(resolve(file), "utf8"));
    } catch (e) {
      io.err(
        `import-nginx: ${formatViolation({ field: file, value: file, limit: `cannot be read as JSON (${(e as Error).message})`, fix: 'pass the routing list file, e.g. {"rails4_path": {"regexps": ["^/hoge/?"]}}' })}`,
      );
      return 1;
    }
    const lists = typeof json === "object" && json !== null && !Array.isArray(json) ? Object.keys(json) : [];
    let text: string;
    let regexErrors: readonly string[];
    try {
      const plan = planOf(args, lists);
      const destinations: Record<string, RouteDestination<RouteTarget>> = {};
      for (const [list, d] of Object.entries(plan.destinations)) {
        const named = withStickiness(d, plan.groupStickinessSeconds);
        destinations[list] =
          typeof named === "string"
            ? { name: named }
            : { ...named, weights: named.weights.map((w) => ({ fleet: { name: w.fleet }, weight: w.weight })) };
      }
      const result = routesFromNginxRoutingJson(json, destinations, { regexConditionsSupported: albRegexConditionsSupported });
      regexErrors = result.errors;
      const routes = result.routes.map((r) => {
        const to = r.to as RouteDestination<RouteTarget>;
        return {
          name: r.name,
          match: r.match,
          to:
            "weights" in to
              ? {
                  weights: to.weights.map((w) => ({ fleet: w.fleet.name, weight: w.weight })),
                  ...(to.groupStickinessSeconds ? { groupStickinessSeconds: to.groupStickinessSeconds } : {}),
                }
              : to.name,
        };
      });
      text = JSON.stringify(outputOf(plan, routes), null, 2);
    } catch (e) {
      if (ConfigError.isConfigError(e)) {
        // The table the options make breaks a rule: say which option to change.
        const violations: Violation[] = e.violations.map((v) => ({
          ...v,
          fix: `${v.fix} (in the --fleet, --weights, --default or --override-* options)`,
        }));
        return reportCommandError("import-nginx", new ConfigError(violations), io);
      }
      return reportCommandError("import-nginx", e, io, USAGE);
    }
    const output = args.options.get("output")?.[0];
    if (output) {
      writeFileSync(resolve(output), `${text}\n`);
      io.err(`import-nginx: wrote ${output}`);
    } else {
      io.out(text);
    }
    for (const e of regexErrors) io.err(`import-nginx: ${e}`);
    return regexErrors.length > 0 ? 1 : 0;
  },
};
