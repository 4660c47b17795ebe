/**
 * The promises of the stack lock, over random edit sequences (add, remove, rename, reorder, edit
 * paths), each compiled against the lock the previous step produced:
 * - every untouched rule (same key, same conditions, same action) keeps its priority;
 * - a number, once held or released by a rule key, is never given to another key;
 * - no table fails for a priority reason: whatever fails with the lock fails without it too.
 */
import fc from "fast-check";
import { ConfigError } from "../../../lib/core/errors";
import type { ListenerLock } from "../../../lib/lock/stack-lock-data";
import { compileRouting } from "../../../lib/routing/compile";
import type { CompileResult, Route, RouteTarget, RoutingTable } from "../../../lib/routing/types";
import { PURE_RUNS } from "../../property/property-runs";
import { rails3, rails4 } from "./fixtures";

const rails5: RouteTarget = { name: "rails5" };
const FLEETS = [rails3, rails4, rails5];

/**
 * Paths from a small tree, as prefixes (`/a/b*`, `/a/b/*`) or exact paths: two of them are either
 * nested or disjoint, so tables overlap a lot (and need ordering) without partial overlaps.
 */
const pathPattern = fc
  .tuple(fc.array(fc.constantFrom("a", "b", "c", "hoge", "legacy"), { minLength: 1, maxLength: 3 }), fc.constantFrom("*", "/*", ""))
  .map(([segments, tail]) => `/${segments.join("/")}${tail}`);
const paths = fc.uniqueArray(pathPattern, { minLength: 1, maxLength: 4 });
const destination = fc.oneof(
  fc.constantFrom(...FLEETS),
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 9 })).map(([a, b]) => ({
    weights: [
      { fleet: rails3, weight: a },
      { fleet: rails4, weight: b },
    ],
  })),
);

type Edit =
  | { kind: "add"; paths: string[]; to: Route["to"] }
  | { kind: "remove"; pick: number }
  | { kind: "rename"; pick: number }
  | { kind: "reorder"; seed: number }
  | { kind: "edit-paths"; pick: number; paths: string[] };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("add" as const), paths, to: destination }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("remove" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("rename" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("reorder" as const), seed: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("edit-paths" as const), pick: fc.nat(), paths }) },
);

const table = (routes: readonly Route[]): RoutingTable => ({
  default: rails3,
  overrideHeader: { name: "X-Backend-Version", values: { "3": rails3, "4": rails4 } },
  hostPins: [{ hosts: ["assets4.example.com"], fleet: rails4 }],
  routes,
  maintenance: {
    enabled: false,
    response: { type: "fixed-response", body: "back soon" },
    bypass: { header: { name: "X-Staff", value: "yes" } },
  },
});

function tryCompile(routes: readonly Route[], lock?: ListenerLock): CompileResult | ConfigError {
  try {
    return compileRouting(table(routes), { lock });
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
}

const fieldsOf = (e: ConfigError) => e.violations.map((v) => `${v.field}: ${v.limit}`).sort();
const PRIORITY_WORDS = /priorit|lock file|no free/i;

const stats = { steps: 0, compiled: 0, refused: 0, compared: 0 };
afterAll(() => {
  // A property that compares nothing proves nothing.
  expect(stats.compared).toBeGreaterThan(PURE_RUNS / 2);
  expect(stats.compiled).toBeGreaterThan(stats.refused);
});

test("random edit sequences: untouched rules keep their numbers, no number changes hands, no priority failures", () => {
  fc.assert(
    fc.property(fc.array(edit, { minLength: 1, maxLength: 14 }), fc.boolean(), (edits, maintenanceOn) => {
      let routes: Route[] = [];
      let lock: ListenerLock | undefined;
      let previous: CompileResult | undefined;
      let counter = 0;
      /** Every number ever held or released, and the rule key it belongs to. */
      const owner = new Map<number, string>();
      for (const e of edits) {
        stats.steps++;
        const touched = new Set<string>();
        let next = [...routes];
        if (e.kind === "add") {
          const r: Route = { name: `r${counter++}`, match: { paths: e.paths }, to: e.to };
          next.push(r);
          touched.add(r.name);
        } else if (e.kind === "remove" && next.length > 0) {
          const [r] = next.splice(e.pick % next.length, 1);
          touched.add(r.name);
        } else if (e.kind === "rename" && next.length > 0) {
          const i = e.pick % next.length;
          touched.add(next[i].name);
          next[i] = { ...next[i], name: `r${counter++}` };
        } else if (e.kind === "reorder") {
          next = next
            .map((r, i) => ({ r, k: (i * 7919 + e.seed) % 101 }))
            .sort((a, b) => a.k - b.k)
            .map((x) => x.r);
        } else if (e.kind === "edit-paths" && next.length > 0) {
          const i = e.pick % next.length;
          touched.add(next[i].name);
          next[i] = { ...next[i], match: { paths: e.paths } };
        }
        const result = tryCompile(next, lock);
        if (result instanceof ConfigError) {
          stats.refused++;
          // The table itself is refused (two routes with the same paths): never the lock's doing.
          const fresh = tryCompile(next);
          expect(fresh).toBeInstanceOf(ConfigError);
          expect(fieldsOf(result)).toEqual(fieldsOf(fresh as ConfigError));
          for (const v of result.violations) expect(`${v.limit} ${v.fix}`).not.toMatch(PRIORITY_WORDS);
          continue; // the user fixes the table; the deployed state stays as it was
        }
        stats.compiled++;
        if (previous) {
          const before = new Map(previous.rules.map((r) => [r.key, r]));
          for (const rule of result.rules) {
            const old = before.get(rule.key);
            if (!old || touched.has(rule.source) || rule.kind === "maintenance") continue;
            if (JSON.stringify([old.conditions, old.action]) !== JSON.stringify([rule.conditions, rule.action])) continue;
            stats.compared++;
            expect({ key: rule.key, priority: rule.priority }).toEqual({ key: old.key, priority: old.priority });
          }
        }
        for (const [key, n] of [...Object.entries(result.lock.held), ...Object.entries(result.lock.released)]) {
          const base = key.replace(/@\d+$/, "");
          const first = owner.get(n);
          if (first === undefined) owner.set(n, base);
          else expect({ number: n, key: base }).toEqual({ number: n, key: first });
        }
        // Synthesizing again with the lock just written changes nothing (a frozen CI synth passes).
        const again = compileRouting(table(next), { lock: result.lock });
        expect(again.rules).toEqual(result.rules);
        expect(again.lock).toEqual(result.lock);
        routes = next;
        lock = result.lock;
        previous = result;
        // Switching maintenance on and off goes through the same lock.
        if (maintenanceOn) {
          const on = compileRouting({ ...table(routes), maintenance: { ...table(routes).maintenance!, enabled: true } }, { lock });
          for (const r of on.rules.filter((x) => x.kind !== "maintenance"))
            expect(r.priority).toBe(result.rules.find((x) => x.key === r.key)!.priority);
          lock = compileRouting(table(routes), { lock: on.lock }).lock;
        }
      }
    }),
    { numRuns: PURE_RUNS },
  );
});

test("adding 50 routes to one class at once compiles, and every earlier rule keeps its number", () => {
  const base: Route[] = [
    { name: "hoge", match: { paths: ["/hoge/*"] }, to: rails4 },
    { name: "hoge-legacy", match: { paths: ["/hoge/legacy/*"] }, to: rails3 },
  ];
  const first = compileRouting(table(base));
  const added = Array.from({ length: 50 }, (_, i): Route => ({ name: `svc${i}`, match: { paths: [`/svc${i}/*`] }, to: rails5 }));
  const second = compileRouting(table([...base, ...added]), { lock: first.lock, limits: { maxRulesPerLoadBalancer: 200 } });
  for (const r of first.rules) expect(second.rules.find((x) => x.key === r.key)?.priority).toBe(r.priority);
  expect(new Set(second.rules.map((r) => r.priority)).size).toBe(second.rules.length);
});

test("a new rule between two adjacent rules takes a fresh number between them; when none is left, one rule moves, to a fresh number", () => {
  // Five nested routes inserted innermost-last: each must sit between the previous one and its parent.
  const chain = ["/n/*", "/n/a/*", "/n/a/b/*", "/n/a/b/c/*", "/n/a/b/c/d/*"];
  let lock: ListenerLock | undefined;
  const routes: Route[] = [];
  chain.forEach((p, i) => {
    routes.push({ name: `n${i}`, match: { paths: [p] }, to: i % 2 ? rails4 : rails3 });
    const c = compileRouting(table(routes), { lock });
    const numbers = routes.map((r) => c.rules.find((x) => x.source === r.name)!.priority);
    // Narrower first: the order of the numbers is the reverse of the nesting.
    expect([...numbers].sort((a, b) => b - a)).toEqual(numbers);
    lock = c.lock;
  });
  // A crowded lock: every number between two adjacent rules is someone's tombstone.
  const c = compileRouting(table(routes), { lock });
  const [inner, outer] = ["n4", "n3"].map((n) => c.rules.find((r) => r.source === n)!.priority);
  const released: Record<string, number> = { ...lock!.released };
  for (let p = inner + 1; p < outer; p++) released[`gone-${p}`] = p;
  const crowded: ListenerLock = { held: lock!.held, released };
  const between = compileRouting(table([...routes, { name: "mid", match: { paths: ["/n/a/b/c/d*"] }, to: rails5 }]), { lock: crowded });
  const moved = between.rules.filter((r) => r.priority !== c.rules.find((x) => x.key === r.key)?.priority && r.source !== "mid");
  expect(moved.length).toBe(1);
  for (const r of [...moved, ...between.rules.filter((x) => x.source === "mid")]) {
    expect(Object.values(crowded.held).concat(Object.values(crowded.released))).not.toContain(r.priority);
  }
  expect(between.lock.released[`${moved[0].key}@${c.rules.find((x) => x.key === moved[0].key)!.priority}`]).toBeDefined();
});
