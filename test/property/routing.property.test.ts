/**
 * Property tests over the routing table as users write it in configuration (fleets named by
 * string): valid tables compile; each kind of broken table fails with a ConfigError naming the field.
 */
import fc from "fast-check";
import { ConfigError } from "../../lib/core/errors";
import { compileRouting } from "../../lib/routing/compile";
import { RouteJson, routingTableFromJson, RoutingTableJson } from "../../lib/routing/routing-json";
import { RouteTarget } from "../../lib/routing/types";
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
const validTable: fc.Arbitrary<RoutingTableJson> = fc
  .uniqueArray(segment, { minLength: 0, maxLength: 12 })
  .chain((names) =>
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
    fc.oneof(fc.integer({ min: 1000, max: 100000 }), fc.integer({ min: -1000, max: -1 }), fc.constant(0.5)).map((weight) => (t) =>
      withRoute(t, { name: "zz-split", match: { paths: ["/zz/*"] }, to: { weights: [{ fleet: "rails3", weight }, { fleet: "rails4", weight: 1 }] } }),
    ),
  ),
  breakWith(
    "all weights zero",
    /weights/,
    fc.constant((t: RoutingTableJson) => ({ ...t, default: { weights: [{ fleet: "rails3", weight: 0 }, { fleet: "rails4", weight: 0 }] } })),
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
      withRoute(withRoute(t, { name: "zz-dup", match: { paths: ["/a/*"] }, to: "rails3" }), { name: "zz-dup", match: { paths: ["/b/*"] }, to: "rails4" }),
    ),
  ),
  breakWith(
    "malformed source CIDR",
    /sourceIps\[0\]/,
    fc.constantFrom("10.0.0.0/33", "300.1.1.0/24", "10.0.0", "office").map((cidr) => (t) =>
      withRoute(t, { name: "zz-office", match: { sourceIps: [cidr] }, to: "rails4" }),
    ),
  ),
  breakWith(
    "rule quota exceeded",
    /routes = .*exceeds the quota of 100 rules per load balancer/,
    fc.integer({ min: 101, max: 130 }).map((n) => (t) => ({
      ...t,
      // Explicit priorities: with ~100 hashed priorities, collisions are reported first and hide the quota.
      routes: Array.from({ length: n }, (_, i) => ({ name: `r${i}`, priority: 20000 + i, match: { paths: [`/r${i}/*`] }, to: "rails4" })),
    })),
  ),
  breakWith(
    "bad route name",
    /routes\[\d+\]\.name/,
    fc.constantFrom("Hoge", "hoge_legacy", "-hoge", "", "x".repeat(49)).map((name) => (t) =>
      withRoute(t, { name, match: { paths: ["/zz/*"] }, to: "rails3" }),
    ),
  ),
);

test("every valid routing table compiles, or names a hashed-priority collision and a free priority", () => {
  fc.assert(
    fc.property(validTable, (json) => {
      counter.hit("valid tables");
      let compiled;
      try {
        compiled = compile(json);
      } catch (e) {
        // Hashed priorities can collide (documented): the error must then name both routes and a free priority.
        if (!(e instanceof ConfigError) || !e.violations.every((v) => v.limit.includes("is the same listener-rule priority") && /priority: \d+/.test(v.fix))) throw e;
        counter.hit("valid tables rejected for a hashed-priority collision");
        return;
      }
      counter.hit("valid tables compiled");
      expect(compiled.rules.length).toBeGreaterThanOrEqual((json.routes ?? []).length);
    }),
    { numRuns: PURE_RUNS },
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
