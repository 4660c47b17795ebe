/**
 * Property tests over the routing table as users write it in configuration (fleets named by
 * string): valid tables compile; each kind of broken table fails with a ConfigError naming the field.
 */
import fc from "fast-check";
import { ConfigError } from "../../lib/core/errors";
import { compileRouting } from "../../lib/routing/compile";
import { RouteJson, routingTableFromJson, RoutingTableJson } from "../../lib/routing/routing-json";
import { atomOf, choicesOf, dimensionsOf, relateAtoms, sampleRequest } from "../../lib/routing/atoms";
import { explain, type ExplainRequest } from "../../lib/routing/explain";
import type { CompileResult, RouteMatch, RouteTarget, RoutingTable } from "../../lib/routing/types";
import { PURE_RUNS, RunCounter } from "./property-runs";

const counter = new RunCounter();
afterAll(() => {
  // eslint-disable-next-line no-console
  console.log(counter.summary("routing"));
});

const FLEETS: Record<string, RouteTarget> = { rails3: { name: "rails3" }, rails4: { name: "rails4" } };
const fleetName = fc.constantFrom("rails3", "rails4");
const segment = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
const destination = fc.oneof(
  fleetName,
  fc.tuple(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 0, max: 999 })).map(([a, b]) => ({
    weights: [
      { fleet: "rails3", weight: a },
      { fleet: "rails4", weight: b },
    ],
  })),
);

/** Tables with distinct route names and distinct paths, within every ALB quota. */
const validTable: fc.Arbitrary<RoutingTableJson> = fc.uniqueArray(segment, { minLength: 0, maxLength: 12 }).chain((names) =>
  fc.tuple(fc.array(destination, { minLength: names.length, maxLength: names.length }), destination).map(([dests, dflt]) => ({
    routes: names.map((name, i) => ({ name, match: { paths: [`/${name}/*`] }, to: dests[i] })),
    default: dflt,
  })),
);

const compile = (json: RoutingTableJson) => compileRouting(routingTableFromJson(json, FLEETS, "routing"));

interface Breakage {
  readonly kind: string;
  readonly field: RegExp;
  readonly table: unknown;
}
const breakWith = (kind: string, field: RegExp, gen: fc.Arbitrary<(t: RoutingTableJson) => unknown>) =>
  fc.tuple(validTable, gen).map(([table, mutate]): Breakage => ({ kind, field, table: mutate(table) }));
const withRoute = (t: RoutingTableJson, route: object): RoutingTableJson => ({ ...t, routes: [...(t.routes ?? []), route as RouteJson] });

const brokenTable = fc.oneof(
  breakWith(
    "weight out of range",
    /weights\[0\]\.weight/,
    fc.oneof(fc.integer({ min: 1000, max: 100000 }), fc.integer({ min: -1000, max: -1 }), fc.constant(0.5)).map(
      (weight) => (t) =>
        withRoute(t, {
          name: "zz-split",
          match: { paths: ["/zz/*"] },
          to: {
            weights: [
              { fleet: "rails3", weight },
              { fleet: "rails4", weight: 1 },
            ],
          },
        }),
    ),
  ),
  breakWith(
    "all weights zero",
    /weights/,
    fc.constant((t: RoutingTableJson) => ({
      ...t,
      default: {
        weights: [
          { fleet: "rails3", weight: 0 },
          { fleet: "rails4", weight: 0 },
        ],
      },
    })),
  ),
  breakWith(
    "unknown fleet",
    /rails9/,
    fc.constant((t: RoutingTableJson) => withRoute(t, { name: "zz-unknown", match: { paths: ["/zz/*"] }, to: "rails9" })),
  ),
  breakWith(
    "duplicate route name",
    /routes\[\d+\]\.name/,
    fc.constant((t: RoutingTableJson) =>
      withRoute(withRoute(t, { name: "zz-dup", match: { paths: ["/a/*"] }, to: "rails3" }), {
        name: "zz-dup",
        match: { paths: ["/b/*"] },
        to: "rails4",
      }),
    ),
  ),
  breakWith(
    "malformed source CIDR",
    /sourceIps\[0\]/,
    fc
      .constantFrom("10.0.0.0/33", "300.1.1.0/24", "10.0.0", "office")
      .map((cidr) => (t) => withRoute(t, { name: "zz-office", match: { sourceIps: [cidr] }, to: "rails4" })),
  ),
  breakWith(
    "rule quota exceeded",
    /routes = .*exceeds the quota of 100 rules per load balancer/,
    fc.integer({ min: 101, max: 130 }).map((n) => (t) => ({
      ...t,
      routes: Array.from({ length: n }, (_, i) => ({ name: `r${i}`, match: { paths: [`/r${i}/*`] }, to: "rails4" })),
    })),
  ),
  breakWith(
    "bad route name",
    /routes\[\d+\]\.name/,
    fc
      .constantFrom("Hoge", "hoge_legacy", "-hoge", "", "x".repeat(49))
      .map((name) => (t) => withRoute(t, { name, match: { paths: ["/zz/*"] }, to: "rails3" })),
  ),
);

test("every valid routing table compiles, with distinct priorities (no collision, whatever the names)", () => {
  fc.assert(
    fc.property(validTable, (json) => {
      counter.hit("valid tables");
      const compiled = compile(json);
      counter.hit("valid tables compiled");
      expect(compiled.rules.length).toBeGreaterThanOrEqual((json.routes ?? []).length);
      expect(new Set(compiled.rules.map((r) => r.priority)).size).toBe(compiled.rules.length);
    }),
    { numRuns: PURE_RUNS },
  );
});

// ---- renaming: a table means the same whatever its routes are called ----

const FLEET_OBJECTS = [{ name: "rails3" }, { name: "rails4" }, { name: "rails5" }] as const;
const richDestination = fc.oneof(
  fc.constantFrom(...FLEET_OBJECTS),
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 })).map(([a, b]) => ({
    weights: [
      { fleet: FLEET_OBJECTS[0], weight: a },
      { fleet: FLEET_OBJECTS[1], weight: b },
    ],
  })),
);
/** Nested prefixes, exact paths and a few suffix patterns, so tables overlap every way (and often conflict). */
const richPath = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(
        fc.array(fc.constantFrom("api", "docs", "hoge", "v1", "shop", "img"), { minLength: 1, maxLength: 3 }),
        fc.constantFrom("*", "/*", "", "/"),
      )
      .map(([s, t]) => `/${s.join("/")}${t}`),
  },
  { weight: 1, arbitrary: fc.constantFrom("*.json", "/api/*/edit", "/docs/?", "*/v1/*") },
);
const extraCondition: fc.Arbitrary<Partial<RouteMatch>> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({}) },
  {
    weight: 1,
    arbitrary: fc.constantFrom({ hosts: ["a.example.com"] }, { hosts: ["*.example.com"] }, { hosts: ["b.example.com", "a.example.com"] }),
  },
  { weight: 1, arbitrary: fc.constantFrom({ methods: ["GET"] }, { methods: ["POST"] }, { methods: ["GET", "HEAD"] }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom({ headers: [{ name: "X-Beta", values: ["1"] }] }, { headers: [{ name: "X-Beta", values: ["*"] }] }),
  },
  { weight: 1, arbitrary: fc.constantFrom({ queryStrings: [{ key: "v", value: "1" }] }, { queryStrings: [{ value: "beta*" }] }) },
  { weight: 1, arbitrary: fc.constantFrom({ sourceIps: ["203.0.113.0/24"] }, { sourceIps: ["203.0.0.0/16"] }) },
);
const richMatch: fc.Arbitrary<RouteMatch> = fc
  .tuple(fc.uniqueArray(richPath, { minLength: 1, maxLength: 3 }), extraCondition, extraCondition)
  .map(([paths, a, b]) => ({ paths, ...a, ...b }));
const richTable = fc.uniqueArray(segment, { minLength: 1, maxLength: 8 }).chain((names) =>
  fc
    .tuple(
      fc.array(fc.tuple(richMatch, richDestination), { minLength: names.length, maxLength: names.length }),
      fc.uniqueArray(segment, { minLength: names.length, maxLength: names.length }),
    )
    .map(([routes, renamed]) => ({
      table: {
        default: FLEET_OBJECTS[0],
        routes: routes.map(([match, to], i) => ({ name: names[i], match, to })),
      } as RoutingTable<RouteTarget>,
      renamed: renamed.map((n) => `x${n}`),
    })),
);

function outcome(table: RoutingTable<RouteTarget>): CompileResult<RouteTarget> | string[] {
  try {
    return compileRouting(table);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    // Names removed: what remains must not depend on them.
    const names = (table.routes ?? []).map((r) => r.name).sort((a, b) => b.length - a.length);
    const anonymous = (text: string) => names.reduce((t, n) => t.split(`"${n}"`).join('"#"').split(`route-${n}-`).join("route-#-"), text);
    return e.violations.map((v) => anonymous(`${v.field} | ${v.limit} | ${v.fix}`)).sort();
  }
}

/** Requests that matter: a sample of every atom, and a witness of every overlapping pair. */
function probeRequests(table: RoutingTable<RouteTarget>): ExplainRequest[] {
  const atoms = (table.routes ?? []).flatMap((r) => {
    const dims = dimensionsOf(r.match);
    return choicesOf(dims.map((d) => d.values.map((_, i) => i))).map((c) => atomOf(dims, c));
  });
  const out = atoms.map(sampleRequest);
  atoms.forEach((a, i) =>
    atoms.slice(i + 1).forEach((b) => {
      const w = relateAtoms(a, b).witness;
      if (w) out.push(w);
    }),
  );
  return out;
}

const destinationOf = (c: CompileResult<RouteTarget>, req: ExplainRequest) => {
  const a = explain(c, req).action;
  return a.type === "forward"
    ? a.targets.map((t) => `${t.fleet.name}:${t.weight}`).join(",") + `|${a.groupStickinessSeconds ?? ""}`
    : a.type;
};

test("renaming every route changes neither whether the table compiles nor where any request goes", () => {
  fc.assert(
    fc.property(richTable, ({ table, renamed }) => {
      counter.hit("rename: tables");
      const renamedTable: RoutingTable<RouteTarget> = { ...table, routes: table.routes!.map((r, i) => ({ ...r, name: renamed[i] })) };
      const a = outcome(table);
      const b = outcome(renamedTable);
      if (Array.isArray(a) || Array.isArray(b)) {
        counter.hit("rename: refused tables");
        expect(Array.isArray(b)).toBe(Array.isArray(a));
        expect(b).toEqual(a);
        return;
      }
      counter.hit("rename: compiled tables");
      for (const req of probeRequests(table)) {
        counter.hit("rename: requests compared");
        expect({ req, to: destinationOf(b, req) }).toEqual({ req, to: destinationOf(a, req) });
      }
    }),
    { numRuns: PURE_RUNS * 2 },
  );
});

test("every broken routing table fails with a ConfigError naming the field", () => {
  fc.assert(
    fc.property(brokenTable, ({ kind, field, table }) => {
      counter.hit("broken tables rejected");
      let error: unknown;
      try {
        compile(table as RoutingTableJson);
      } catch (e) {
        error = e;
      }
      if (!(error instanceof ConfigError)) throw new Error(`${kind}: expected a ConfigError, got ${String(error)}`);
      if (!field.test(error.message)) throw new Error(`${kind}: expected the message to name ${field}, got: ${error.message}`);
    }),
    { numRuns: PURE_RUNS },
  );
});
