/**
 * The routing table as JSON, for configuration files and the `app-fleets` CLI: the same shape as
 * `RoutingTable`, with fleets named by strings. Its structure is checked by the configuration
 * schema (`lib/config/routing-schema.ts`: unknown keys, types, sizes), every error pointing at
 * the field; then the names are resolved to fleet objects. Values (patterns, weights, quotas) are
 * checked by `compileRouting`.
 *
 * ```json
 * {
 *   "default": "rails3",
 *   "overrideHeader": { "name": "X-Backend-Version", "values": { "3": "rails3", "4": "rails4" }, "sourceIps": ["203.0.113.0/24"] },
 *   "hostPins": [{ "hosts": ["assets4.example.com"], "fleet": "rails4" }],
 *   "routes": [
 *     { "name": "hoge", "match": { "paths": ["/hoge*"] }, "to": { "weights": [{ "fleet": "rails4", "weight": 9 }, { "fleet": "rails3", "weight": 1 }] } },
 *     { "name": "hoge-legacy", "match": { "paths": ["/hoge/legacy/*"] }, "to": "rails3" }
 *   ],
 *   "maintenance": { "enabled": false, "response": { "type": "fixed-response", "body": "back soon" } }
 * }
 * ```
 */
import { FieldLocation, jsonPathKey, Violations } from "../core/errors";
import { checkFleetName, routingTableSchema, type RouteDestinationJson, type RoutingTableJson } from "../config/routing-schema";
import { checkAgainst } from "../config/schema";
import type { RouteDestination, RouteTarget, RoutingTable } from "./types";

export type { RouteDestinationJson, RouteJson, RoutingTableJson } from "../config/routing-schema";

/** A location from what callers pass: a location, or its text form ("staging.json: routing"). */
function locationOf(source: string | FieldLocation): FieldLocation {
  return typeof source === "string" ? FieldLocation.parse(source) : source;
}

/**
 * Checks a routing table JSON value and resolves its fleet names through `fleets`.
 * @param source where the table sits, naming every field in messages: a location, or text such
 *   as "staging.json: routing" (a file and a path) or "routing" (a prefix)
 * @throws ConfigError listing every problem, including every name that is not in `fleets`
 */
export function routingTableFromJson<F extends RouteTarget>(
  json: unknown,
  fleets: Readonly<Record<string, F>>,
  source: string | FieldLocation = "routing",
): RoutingTable<F> {
  const known = Object.keys(fleets);
  // Own keys only: "constructor" or "__proto__" must never resolve to something that is not a fleet.
  return resolve(
    json,
    locationOf(source),
    (name) => (Object.prototype.hasOwnProperty.call(fleets, name) ? fleets[name] : undefined),
    known,
  );
}

/** Like `routingTableFromJson`, but every fleet name stands for itself (`{ name }`): for tools that have no fleets. */
export function routingTableFromJsonByName(json: unknown, source: string | FieldLocation = "routing"): RoutingTable<RouteTarget> {
  const made = new Map<string, RouteTarget>();
  const byName = (name: string): RouteTarget => {
    if (!made.has(name)) made.set(name, { name });
    return made.get(name)!;
  };
  return resolve(json, locationOf(source), byName, undefined);
}

function resolve<F extends RouteTarget>(
  json: unknown,
  location: FieldLocation,
  lookup: (name: string) => F | undefined,
  known: readonly string[] | undefined,
): RoutingTable<F> {
  const v = new Violations();
  // Unknown fleet names are reported with the shape's problems, in one run.
  const table = checkAgainst(routingTableSchema, json, location, v, known ? { fleetNames: known } : {});
  v.throwIfAny();
  const resolved = resolveNames(table!, location, lookup, known, v);
  v.throwIfAny();
  return resolved;
}

/**
 * Resolves the fleet names of a table whose shape is already checked. A name that is not a
 * fleet is reported in `v` at its field, and stands for a fleet of that name in the result, so
 * the table's other values can still be checked in the same run.
 */
export function resolveNames<F extends RouteTarget>(
  table: RoutingTableJson,
  location: FieldLocation,
  lookup: (name: string) => F | undefined,
  known: readonly string[] | undefined,
  v: Violations,
): RoutingTable<F> {
  const fleet = (name: string, path: string): F => {
    const found = lookup(name);
    if (!found) {
      if (known) checkFleetName(v, location.field(path), name, known);
      else v.add(location.field(path), name, "names a fleet that does not exist", "define the fleet");
      return { name } as F;
    }
    return found;
  };
  const destination = (d: RouteDestinationJson, path: string): RouteDestination<F> =>
    typeof d === "string"
      ? fleet(d, path)
      : {
          weights: d.weights.map((w, i) => ({ fleet: fleet(w.fleet, `${path}.weights[${i}].fleet`), weight: w.weight })),
          ...(d.groupStickinessSeconds !== undefined ? { groupStickinessSeconds: d.groupStickinessSeconds } : {}),
        };

  const resolved: { -readonly [K in keyof RoutingTable<F>]: RoutingTable<F>[K] } = {
    default: destination(table.default, "default"),
  };
  if (table.routes) {
    resolved.routes = table.routes.map((route, i) => ({
      name: route.name,
      match: route.match,
      to: destination(route.to, `routes[${i}].to`),
      ...(route.priority !== undefined ? { priority: route.priority } : {}),
    }));
  }
  if (table.overrideHeader) {
    const values: Record<string, F> = {};
    for (const [value, name] of Object.entries(table.overrideHeader.values))
      values[value] = fleet(name, `overrideHeader.values${jsonPathKey(value)}`);
    resolved.overrideHeader = { name: table.overrideHeader.name, values, sourceIps: table.overrideHeader.sourceIps };
  }
  if (table.hostPins)
    resolved.hostPins = table.hostPins.map((pin, i) => ({ hosts: pin.hosts, fleet: fleet(pin.fleet, `hostPins[${i}].fleet`) }));
  if (table.maintenance) resolved.maintenance = table.maintenance;
  return resolved;
}

/** The JSON form of a table (fleets by name), e.g. to print what `import-nginx` produced. */
export function routingTableToJson(table: RoutingTable<RouteTarget>): RoutingTableJson {
  const dest = (d: RouteDestination<RouteTarget>): RouteDestinationJson =>
    "weights" in d
      ? {
          weights: d.weights.map((w) => ({ fleet: w.fleet.name, weight: w.weight })),
          ...(d.groupStickinessSeconds !== undefined ? { groupStickinessSeconds: d.groupStickinessSeconds } : {}),
        }
      : d.name;
  return {
    ...(table.routes
      ? {
          routes: table.routes.map((r) => ({
            name: r.name,
            match: r.match,
            to: dest(r.to),
            ...(r.priority !== undefined ? { priority: r.priority } : {}),
          })),
        }
      : {}),
    default: dest(table.default),
    ...(table.overrideHeader
      ? {
          overrideHeader: {
            name: table.overrideHeader.name,
            values: Object.fromEntries(Object.entries(table.overrideHeader.values).map(([k, f]) => [k, f.name])),
            // A table written in code may leave the header open (no sourceIps); its JSON form says so plainly.
            sourceIps: table.overrideHeader.sourceIps ?? ["0.0.0.0/0", "::/0"],
          },
        }
      : {}),
    ...(table.hostPins ? { hostPins: table.hostPins.map((p) => ({ hosts: p.hosts, fleet: p.fleet.name })) } : {}),
    ...(table.maintenance ? { maintenance: table.maintenance } : {}),
  };
}
