/**
 * The routing table as JSON, for configuration files and the `app-fleets` CLI: the same shape as
 * `RoutingTable`, with fleets named by strings. The loader checks the structure, pointing at the
 * field of every error, and resolves the names to fleet objects; values (patterns, weights,
 * quotas) are checked by `compileRouting`.
 *
 * ```json
 * {
 *   "default": "rails3",
 *   "overrideHeader": { "name": "X-Backend-Version", "values": { "3": "rails3", "4": "rails4" } },
 *   "hostPins": [{ "hosts": ["assets4.example.com"], "fleet": "rails4" }],
 *   "routes": [
 *     { "name": "hoge", "match": { "paths": ["/hoge*"] }, "to": { "weights": [{ "fleet": "rails4", "weight": 9 }, { "fleet": "rails3", "weight": 1 }] } },
 *     { "name": "hoge-legacy", "match": { "paths": ["/hoge/legacy/*"] }, "to": "rails3" }
 *   ],
 *   "maintenance": { "enabled": false, "response": { "type": "fixed-response", "body": "back soon" } }
 * }
 * ```
 */
import { ConfigError, Violations } from "../core/errors";
import type {
  HostPin,
  Maintenance,
  Route,
  RouteDestination,
  RouteMatch,
  RouteTarget,
  RoutingTable,
  WeightedFleet,
} from "./types";

/** A fleet name, or a weighted split over fleet names. */
export type RouteDestinationJson =
  | string
  | { readonly weights: readonly { readonly fleet: string; readonly weight: number }[]; readonly stickySeconds?: number };

export interface RouteJson {
  readonly name: string;
  readonly match: RouteMatch;
  readonly to: RouteDestinationJson;
  readonly priority?: number;
}

/** `RoutingTable` with fleets named by strings. */
export interface RoutingTableJson {
  readonly routes?: readonly RouteJson[];
  readonly default: RouteDestinationJson;
  readonly overrideHeader?: { readonly name: string; readonly values: Readonly<Record<string, string>> };
  readonly hostPins?: readonly { readonly hosts: readonly string[]; readonly fleet: string }[];
  readonly maintenance?: Maintenance;
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);

class Reader {
  constructor(readonly v: Violations) {}

  object(value: unknown, path: string, allowed: readonly string[], required: readonly string[] = []): value is Obj {
    if (!isObj(value)) {
      this.v.add(path, value, "must be an object", `write { ${allowed.map((k) => `"${k}": ...`).join(", ")} }`);
      return false;
    }
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.v.add(`${path}.${key}`, value[key], "is not a known setting", `remove it or use one of: ${allowed.join(", ")}`);
    }
    for (const key of required) {
      if (value[key] === undefined) this.v.add(`${path}.${key}`, undefined, "is required", `add "${key}"`);
    }
    return true;
  }

  array(value: unknown, path: string, optional = true): value is unknown[] {
    if (value === undefined && optional) return false;
    if (!Array.isArray(value)) {
      this.v.add(path, value, "must be an array", "write [ ... ]");
      return false;
    }
    return true;
  }

  stringArray(value: unknown, path: string): void {
    if (!this.array(value, path)) return;
    value.forEach((s, i) => this.v.check(typeof s === "string", `${path}[${i}]`, s, "must be a string", "quote it"));
  }

  type(value: unknown, path: string, type: "string" | "number" | "boolean", optional = true): void {
    if (value === undefined && optional) return;
    this.v.check(typeof value === type, path, value, `must be a ${type}`, `write a ${type}`);
  }
}

function checkMatch(r: Reader, match: unknown, path: string): void {
  if (!r.object(match, path, ["paths", "hosts", "headers", "queryStrings", "methods", "sourceIps"])) return;
  for (const key of ["paths", "hosts", "methods", "sourceIps"]) r.stringArray(match[key], `${path}.${key}`);
  if (r.array(match.headers, `${path}.headers`)) {
    match.headers.forEach((h, i) => {
      if (r.object(h, `${path}.headers[${i}]`, ["name", "values"], ["name", "values"])) {
        r.type(h.name, `${path}.headers[${i}].name`, "string");
        r.stringArray(h.values, `${path}.headers[${i}].values`);
      }
    });
  }
  if (r.array(match.queryStrings, `${path}.queryStrings`)) {
    match.queryStrings.forEach((q, i) => {
      if (r.object(q, `${path}.queryStrings[${i}]`, ["key", "value"], ["value"])) {
        r.type(q.key, `${path}.queryStrings[${i}].key`, "string");
        r.type(q.value, `${path}.queryStrings[${i}].value`, "string");
      }
    });
  }
}

function checkMaintenance(r: Reader, m: unknown, path: string): void {
  if (!r.object(m, path, ["enabled", "response", "bypass"], ["enabled", "response"])) return;
  r.type(m.enabled, `${path}.enabled`, "boolean");
  const resp = m.response;
  if (isObj(resp) && resp.type === "redirect") {
    r.object(resp, `${path}.response`, ["type", "url", "statusCode"], ["url"]);
  } else if (isObj(resp) && resp.type === "fixed-response") {
    r.object(resp, `${path}.response`, ["type", "statusCode", "contentType", "body"], ["body"]);
  } else if (resp !== undefined) {
    r.object(resp, `${path}.response`, ["type"]);
    if (isObj(resp)) {
      r.v.add(`${path}.response.type`, resp.type, 'must be "fixed-response" or "redirect"', 'write "type": "fixed-response" with a "body", or "type": "redirect" with a "url"');
    }
  }
  if (m.bypass !== undefined && r.object(m.bypass, `${path}.bypass`, ["sourceIps", "header"])) {
    r.stringArray(m.bypass.sourceIps, `${path}.bypass.sourceIps`);
    if (m.bypass.header !== undefined) r.object(m.bypass.header, `${path}.bypass.header`, ["name", "value"], ["name", "value"]);
  }
}

/**
 * Checks a routing table JSON value and resolves its fleet names through `fleets`.
 * @param source prefix of every field path in messages, e.g. "staging.json: routing"
 * @throws ConfigError listing every problem, including every name that is not in `fleets`
 */
export function routingTableFromJson<F extends RouteTarget>(
  json: unknown,
  fleets: Readonly<Record<string, F>>,
  source = "routing",
): RoutingTable<F> {
  return resolve(json, source, (name) => fleets[name], Object.keys(fleets));
}

/** Like `routingTableFromJson`, but every fleet name stands for itself (`{ name }`): for tools that have no fleets. */
export function routingTableFromJsonByName(json: unknown, source = "routing"): RoutingTable<RouteTarget> {
  const made = new Map<string, RouteTarget>();
  const byName = (name: string): RouteTarget => {
    if (!made.has(name)) made.set(name, { name });
    return made.get(name)!;
  };
  return resolve(json, source, byName, undefined);
}

function resolve<F extends RouteTarget>(
  json: unknown,
  source: string,
  lookup: (name: string) => F | undefined,
  known: readonly string[] | undefined,
): RoutingTable<F> {
  const v = new Violations();
  const r = new Reader(v);
  if (!r.object(json, source, ["routes", "default", "overrideHeader", "hostPins", "maintenance"], ["default"])) v.throwIfAny();
  const root = json as Obj;

  const fleet = (name: unknown, path: string): F => {
    if (typeof name !== "string") {
      v.add(path, name, "must be a fleet name (a string)", "write the fleet's name, e.g. \"rails4\"");
      return undefined as unknown as F;
    }
    // `known` guards against inherited keys such as "constructor" resolving to something that is not a fleet.
    const found = known && !known.includes(name) ? undefined : lookup(name);
    if (!found) {
      v.add(path, name, "names a fleet that does not exist", known ? `use one of: ${known.join(", ") || "(no fleets defined)"}, or define the fleet` : "define the fleet");
    }
    return found as F;
  };

  const destination = (d: unknown, path: string): RouteDestination<F> => {
    if (typeof d === "string") return fleet(d, path);
    if (!r.object(d, path, ["weights", "stickySeconds"], ["weights"])) return undefined as unknown as F;
    r.type(d.stickySeconds, `${path}.stickySeconds`, "number");
    const weights: WeightedFleet<F>[] = [];
    if (r.array(d.weights, `${path}.weights`, false)) {
      d.weights.forEach((w, i) => {
        if (r.object(w, `${path}.weights[${i}]`, ["fleet", "weight"], ["fleet", "weight"])) {
          r.type(w.weight, `${path}.weights[${i}].weight`, "number");
          weights.push({ fleet: fleet(w.fleet, `${path}.weights[${i}].fleet`), weight: w.weight as number });
        }
      });
    }
    return { weights, ...(d.stickySeconds !== undefined ? { stickySeconds: d.stickySeconds as number } : {}) };
  };

  const routes: Route<F>[] = [];
  if (r.array(root.routes, `${source}.routes`)) {
    root.routes.forEach((route, i) => {
      const path = `${source}.routes[${i}]`;
      if (!r.object(route, path, ["name", "match", "to", "priority"], ["name", "match", "to"])) return;
      r.type(route.name, `${path}.name`, "string");
      r.type(route.priority, `${path}.priority`, "number");
      checkMatch(r, route.match, `${path}.match`);
      routes.push({
        name: route.name as string,
        match: (route.match ?? {}) as RouteMatch,
        to: destination(route.to, `${path}.to`),
        ...(route.priority !== undefined ? { priority: route.priority as number } : {}),
      });
    });
  }

  const table: { -readonly [K in keyof RoutingTable<F>]: RoutingTable<F>[K] } = {
    default: destination(root.default, `${source}.default`),
  };
  if (root.routes !== undefined) table.routes = routes;

  const oh = root.overrideHeader;
  if (oh !== undefined && r.object(oh, `${source}.overrideHeader`, ["name", "values"], ["name", "values"])) {
    r.type(oh.name, `${source}.overrideHeader.name`, "string");
    const values: Record<string, F> = {};
    if (r.object(oh.values, `${source}.overrideHeader.values`, Object.keys(isObj(oh.values) ? oh.values : {}))) {
      for (const [value, name] of Object.entries(oh.values)) values[value] = fleet(name, `${source}.overrideHeader.values[${JSON.stringify(value)}]`);
    }
    table.overrideHeader = { name: oh.name as string, values };
  }

  if (r.array(root.hostPins, `${source}.hostPins`)) {
    table.hostPins = root.hostPins.map((pin, i): HostPin<F> => {
      const path = `${source}.hostPins[${i}]`;
      if (!r.object(pin, path, ["hosts", "fleet"], ["hosts", "fleet"])) return undefined as unknown as HostPin<F>;
      r.stringArray(pin.hosts, `${path}.hosts`);
      return { hosts: (pin.hosts ?? []) as string[], fleet: fleet(pin.fleet, `${path}.fleet`) };
    });
  }

  if (root.maintenance !== undefined) {
    checkMaintenance(r, root.maintenance, `${source}.maintenance`);
    table.maintenance = root.maintenance as Maintenance;
  }

  if (!v.isEmpty) throw new ConfigError([...v.all]);
  return table;
}

/** The JSON form of a table (fleets by name), e.g. to print what `import-nginx` produced. */
export function routingTableToJson(table: RoutingTable<RouteTarget>): RoutingTableJson {
  const dest = (d: RouteDestination<RouteTarget>): RouteDestinationJson =>
    "weights" in d
      ? { weights: d.weights.map((w) => ({ fleet: w.fleet.name, weight: w.weight })), ...(d.stickySeconds !== undefined ? { stickySeconds: d.stickySeconds } : {}) }
      : d.name;
  return {
    ...(table.routes ? { routes: table.routes.map((r) => ({ name: r.name, match: r.match, to: dest(r.to), ...(r.priority !== undefined ? { priority: r.priority } : {}) })) } : {}),
    default: dest(table.default),
    ...(table.overrideHeader
      ? { overrideHeader: { name: table.overrideHeader.name, values: Object.fromEntries(Object.entries(table.overrideHeader.values).map(([k, f]) => [k, f.name])) } }
      : {}),
    ...(table.hostPins ? { hostPins: table.hostPins.map((p) => ({ hosts: p.hosts, fleet: p.fleet.name })) } : {}),
    ...(table.maintenance ? { maintenance: table.maintenance } : {}),
  };
}
