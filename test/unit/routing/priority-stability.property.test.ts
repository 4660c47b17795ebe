/**
 * The promise behind hashed priorities: adding, removing or reordering routes never changes the
 * priority or key of an unrelated rule (Terraform would replace that rule).
 */
import fc from "fast-check";
import { ConfigError } from "../../../lib/core/errors";
import { compileRouting } from "../../../lib/routing/compile";
import type { CompiledRouting, Route, RoutingTable } from "../../../lib/routing/types";
import { rails3, rails4 } from "./fixtures";

const segment = fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/);
/** Routes with unique names and unique first segments, so no route covers another. */
const route: fc.Arbitrary<Route> = fc
  .record({
    name: segment,
    depth: fc.integer({ min: 0, max: 3 }),
    tail: fc.constantFrom("*", "/*", ""),
    host: fc.option(fc.constantFrom("a.example.com", "b.example.com"), { nil: undefined }),
    toNew: fc.boolean(),
  })
  .map(({ name, depth, tail, host, toNew }) => ({
    name,
    match: { paths: [`/${name}${"/x".repeat(depth)}${tail}`], ...(host ? { hosts: [host] } : {}) },
    to: toNew ? rails4 : rails3,
  }));
const routes = fc.uniqueArray(route, { selector: (r) => r.name, maxLength: 25 });

const table = (rs: readonly Route[]): RoutingTable => ({
  default: rails3,
  overrideHeader: { name: "X-Backend-Version", values: { "3": rails3, "4": rails4 } },
  hostPins: [{ hosts: ["assets4.example.com"], fleet: rails4 }],
  routes: rs,
});

/** Compiles, or undefined for the documented hash collision (which never silently moves a rule). */
function tryCompile(rs: readonly Route[]): CompiledRouting | undefined {
  try {
    return compileRouting(table(rs));
  } catch (e) {
    if (e instanceof ConfigError && e.violations.every((v) => v.limit.includes("same listener-rule priority"))) return undefined;
    throw e;
  }
}
const byKey = (c: CompiledRouting) => new Map(c.rules.map((r) => [r.key, { priority: r.priority, source: r.source }]));

let compared = 0;
afterAll(() => {
  // A property that compares nothing proves nothing: most runs must compile both tables.
  expect(compared).toBeGreaterThan(120);
});

test("adding, removing or reordering routes keeps every other rule's key and priority", () => {
  fc.assert(
    fc.property(routes, route, fc.nat(), fc.boolean(), (base, extra, seed, shuffle) => {
      fc.pre(!base.some((r) => r.name === extra.name));
      const before = tryCompile(base);
      const editedBase = shuffle ? [...base].sort((a, b) => ((a.name.charCodeAt(0) * 31 + seed) % 7) - ((b.name.charCodeAt(0) * 31 + seed) % 7)) : base;
      const added = [...editedBase];
      added.splice(seed % (added.length + 1), 0, extra);
      const after = tryCompile(added);
      if (!before || !after) return;
      compared++;
      const a = byKey(after);
      for (const [key, rule] of byKey(before)) expect(a.get(key)).toEqual(rule);
      // And removing it again gives back exactly the original rules.
      const removed = tryCompile(added.filter((r) => r.name !== extra.name))!;
      expect(byKey(removed)).toEqual(byKey(before));
    }),
    { numRuns: 200 },
  );
});

test("editing one route's paths changes only that route's rules", () => {
  fc.assert(
    fc.property(routes, fc.nat(), (base, pick) => {
      fc.pre(base.length > 0);
      const target = base[pick % base.length];
      const edited = base.map((r) => (r === target ? { ...r, match: { paths: [...r.match.paths!, `/${r.name}-more/*`] } } : r));
      const before = tryCompile(base);
      const after = tryCompile(edited);
      if (!before || !after) return;
      const a = byKey(after);
      for (const [key, rule] of byKey(before)) if (rule.source !== target.name) expect(a.get(key)).toEqual(rule);
    }),
    { numRuns: 100 },
  );
});
