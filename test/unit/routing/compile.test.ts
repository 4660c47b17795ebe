import { ConfigError } from "../../../lib/core/errors";
import { compileRouting } from "../../../lib/routing/compile";
import { explain } from "../../../lib/routing/explain";
import { PRIORITY_BANDS } from "../../../lib/routing/priorities";
import type { CompiledRouting, Route, RouteTarget, RoutingTable } from "../../../lib/routing/types";
import { rails3, rails4, seedTable } from "./fixtures";

function violations(table: RoutingTable, limits = {}) {
  try {
    compileRouting(table, limits);
  } catch (e) {
    if (e instanceof ConfigError) return e.violations;
    throw e;
  }
  throw new Error("expected a ConfigError");
}
const withRoutes = (...routes: Route[]): RoutingTable => ({ default: rails3, routes });
const rulesOf = (c: CompiledRouting, source: string) => c.rules.filter((r) => r.source === source);

describe("compiled rules", () => {
  let compiled: CompiledRouting;
  beforeAll(() => {
    compiled = compileRouting(seedTable());
  });

  test("are sorted by priority, bands in precedence order", () => {
    const priorities = compiled.rules.map((r) => r.priority);
    expect(priorities).toEqual([...priorities].sort((a, b) => a - b));
    const kinds = compiled.rules.map((r) => r.kind);
    expect(kinds).toEqual(["override-header", "override-header", "host-pin", "host-pin", "route", "route", "route"]);
    for (const r of compiled.rules.filter((x) => x.kind === "route")) expect(r.priority).toBeGreaterThanOrEqual(PRIORITY_BANDS.route.first);
  });

  test("a more specific route gets a lower number than the broader route it reverts", () => {
    expect(rulesOf(compiled, "hoge-legacy")[0].priority).toBeLessThan(rulesOf(compiled, "hoge")[0].priority);
  });

  test("keys derive from the route name and pack index and are unique", () => {
    expect(rulesOf(compiled, "hoge").map((r) => r.key)).toEqual(["route-hoge-0"]);
    expect(new Set(compiled.rules.map((r) => r.key)).size).toBe(compiled.rules.length);
  });

  test("the default is the listener's default action, not a rule", () => {
    expect(compiled.defaultAction).toEqual({ type: "forward", targets: [{ fleet: rails3, weight: 1 }] });
    expect(compiled.rules.some((r) => r.conditions.length === 0)).toBe(false);
  });

  test("fleets lists every fleet once; receivingFleets only those with weight > 0", () => {
    expect(compiled.fleets).toEqual([rails4, rails3]);
    const c = compileRouting(
      withRoutes({
        name: "dark",
        match: { paths: ["/d/*"] },
        to: {
          weights: [
            { fleet: rails4, weight: 0 },
            { fleet: rails3, weight: 1 },
          ],
        },
      }),
    );
    expect(c.rules[0].receivingFleets).toEqual([rails3]);
  });
});

describe("packing into ALB's value quotas (3 per condition, 5 per rule)", () => {
  test("a route with 7 paths becomes several rules with the same action, none over quota", () => {
    const paths = ["/a1/*", "/a2/*", "/a3/*", "/a4/*", "/a5/*", "/a6/*", "/a7/*"];
    const c = compileRouting(withRoutes({ name: "seven", match: { paths }, to: rails4 }));
    expect(c.rules.length).toBe(3);
    expect(c.rules.flatMap((r) => r.conditions.flatMap((x) => x.values as string[])).sort()).toEqual(paths);
    for (const r of c.rules) {
      expect(r.action).toEqual({ type: "forward", targets: [{ fleet: rails4, weight: 1 }] });
      for (const cond of r.conditions) expect(cond.values.length).toBeLessThanOrEqual(3);
    }
    expect(c.rules.map((r) => r.key).sort()).toEqual(["route-seven-0", "route-seven-1", "route-seven-2"]);
  });

  test("kinds are combined as a cross product within 5 values per rule", () => {
    const c = compileRouting(
      withRoutes({
        name: "mix",
        match: { paths: ["/a/*", "/b/*", "/c/*", "/d/*"], hosts: ["a.example.com", "b.example.com"], methods: ["GET"] },
        to: rails4,
      }),
    );
    for (const r of c.rules) expect(r.conditions.reduce((n, x) => n + x.values.length, 0)).toBeLessThanOrEqual(5);
    const combos = c.rules.flatMap((r) => {
      const p = r.conditions.find((x) => x.type === "path-pattern")!.values as string[];
      const h = r.conditions.find((x) => x.type === "host-header")!.values as string[];
      return p.flatMap((pp) => h.map((hh) => `${pp}@${hh}`));
    });
    expect(combos.sort()).toEqual(["/a/*", "/b/*", "/c/*", "/d/*"].flatMap((p) => [`${p}@a.example.com`, `${p}@b.example.com`]).sort());
  });

  test("a route's paths share a rule when nothing else needs to sit between them", () => {
    const c = compileRouting(withRoutes({ name: "both", match: { paths: ["/z*", "/q/r/s/t/*"] }, to: rails4 }));
    expect(c.rules.map((r) => r.conditions[0].values)).toEqual([["/z*", "/q/r/s/t/*"]]);
  });

  test("a pack that another route must split (one atom before it, one after) becomes two rules in the right order", () => {
    // route "outer" has /a/* and /b/x; route "mid" (/a/x and /b/*) lies inside /a/* but around /b/x.
    const c = compileRouting(
      withRoutes(
        { name: "outer", match: { paths: ["/a/*", "/b/x"] }, to: rails4 },
        { name: "mid", match: { paths: ["/a/x", "/b/*"] }, to: rails3 },
      ),
    );
    for (const [url, fleet] of [
      ["/a/x", "rails3"],
      ["/a/y", "rails4"],
      ["/b/x", "rails4"],
      ["/b/y", "rails3"],
    ] as const) {
      expect(explain(c, { url }).fleets.map((f) => f.fleet.name)).toEqual([fleet]);
    }
  });

  test('wildcards are spread over rules so none holds more than 5 (ALB\'s "Condition wildcards per rule")', () => {
    const c = compileRouting(
      withRoutes({
        name: "bots",
        match: { paths: ["/a/*/*/*"], headers: [{ name: "User-Agent", values: ["*bot*", "*spider*"] }] },
        to: rails4,
      }),
    );
    expect(c.rules).toHaveLength(2);
    for (const r of c.rules)
      expect(
        r.conditions
          .flatMap((x) => x.values as string[])
          .join("")
          .replace(/[^*?]/g, "").length,
      ).toBeLessThanOrEqual(5);
  });
});

describe("errors name the route, the quota and the fix", () => {
  test.each<[string, RoutingTable, RegExp, RegExp, RegExp]>([
    [
      "weights above 999",
      withRoutes({
        name: "w",
        match: { paths: ["/w"] },
        to: {
          weights: [
            { fleet: rails3, weight: 1000 },
            { fleet: rails4, weight: 1 },
          ],
        },
      }),
      /routes\[0\] "w"\.to\.weights\[0\]\.weight/,
      /0-999/,
      /scale/,
    ],
    [
      "all weights 0",
      withRoutes({ name: "w", match: { paths: ["/w"] }, to: { weights: [{ fleet: rails3, weight: 0 }] } }),
      /routes\[0\] "w"\.to\.weights/,
      /at least one weight above 0/,
      /weight above 0/,
    ],
    [
      "six target groups",
      withRoutes({
        name: "w",
        match: { paths: ["/w"] },
        to: { weights: [1, 2, 3, 4, 5, 6].map((i) => ({ fleet: { name: `f${i}` }, weight: 1 })) },
      }),
      /routes\[0\] "w"\.to\.weights/,
      /1-5 target groups/,
      /drop fleets to 5/,
    ],
    [
      "pattern over 128 chars",
      withRoutes({ name: "long", match: { paths: [`/${"a".repeat(128)}`] }, to: rails4 }),
      /routes\[0\] "long"\.match\.paths\[0\]/,
      /at most 128/,
      /shorten/,
    ],
    [
      "header name over 40 chars",
      withRoutes({ name: "h", match: { headers: [{ name: `X-${"a".repeat(39)}`, values: ["1"] }] }, to: rails4 }),
      /routes\[0\] "h"\.match\.headers\[0\]\.name/,
      /at most 40/,
      /shorter/,
    ],
    [
      "priority outside 5000-50000",
      withRoutes({ name: "p", priority: 50001, match: { paths: ["/p"] }, to: rails4 }),
      /routes\[0\] "p"\.priority/,
      /5000-50000/,
      /pick a number/,
    ],
    [
      "bad route name",
      withRoutes({ name: "Hoge_1", match: { paths: ["/p"] }, to: rails4 }),
      /routes\[0\]\.name/,
      /lowercase letters/,
      /rename/,
    ],
    [
      "duplicate route name",
      withRoutes({ name: "a", match: { paths: ["/p"] }, to: rails4 }, { name: "a", match: { paths: ["/q"] }, to: rails4 }),
      /routes\[1\]\.name/,
      /already used by routes\[0\]/,
      /rename/,
    ],
    [
      "duplicate match",
      withRoutes({ name: "a", match: { paths: ["/p", "/q"] }, to: rails4 }, { name: "b", match: { paths: ["/q", "/p"] }, to: rails3 }),
      /routes\[1\] "b"\.match/,
      /same match as route "a"/,
      /merge/,
    ],
    [
      "too many condition kinds",
      withRoutes({
        name: "k",
        match: {
          paths: ["/p"],
          hosts: ["a.example.com"],
          methods: ["GET"],
          sourceIps: ["10.0.0.0/8"],
          headers: [
            { name: "A", values: ["1"] },
            { name: "B", values: ["2"] },
          ],
        },
        to: rails4,
      }),
      /routes\[0\] "k"\.match/,
      /needs 6 conditions.*at most 5/,
      /split the route/,
    ],
    [
      "two fleets with one name",
      withRoutes({ name: "a", match: { paths: ["/p"] }, to: { name: "rails3" } }),
      /fleets/,
      /unique names/,
      /rename one fleet/,
    ],
    [
      "bad CIDR",
      withRoutes({ name: "ip", match: { sourceIps: ["10.0.0.1/8"] }, to: rails4 }),
      /routes\[0\] "ip"\.match\.sourceIps\[0\]/,
      /host bits/,
      /CIDR/,
    ],
    ["empty match", withRoutes({ name: "e", match: {}, to: rails4 }), /routes\[0\] "e"\.match/, /no condition/, /default/],
  ])("%s", (_, table, field, limit, fix) => {
    const v = violations(table);
    expect(v).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: expect.stringMatching(field),
          limit: expect.stringMatching(limit),
          fix: expect.stringMatching(fix),
        }),
      ]),
    );
  });

  test("rules per load balancer: 100 by default, the named largest routes, and a raised quota", () => {
    const routes: Route[] = Array.from({ length: 34 }, (_, i) => ({
      name: `r${i}`,
      priority: 6000 + i * 10,
      match: { paths: [`/r${i}/a`, `/r${i}/b`, `/r${i}/c`, `/r${i}/d`, `/r${i}/e`, `/r${i}/f`, `/r${i}/g`] },
      to: rails4,
    }));
    const [v] = violations(withRoutes(...routes));
    expect(v.field).toBe("routes");
    expect(v.value).toMatch(/^102 listener rules \(largest: route "r0": 3/);
    expect(v.limit).toMatch(/quota of 100 rules per load balancer/);
    expect(v.fix).toMatch(/maxRulesPerLoadBalancer/);
    expect(compileRouting(withRoutes(...routes), { maxRulesPerLoadBalancer: 200 }).rules).toHaveLength(102);
  });

  test("errors are all collected before anything is created", () => {
    const v = violations(withRoutes({ name: "A", match: { paths: [] }, to: { weights: [] } }));
    expect(v.length).toBeGreaterThanOrEqual(3);
  });
});

describe("shadowed routes", () => {
  test("an explicit priority that puts a broader route first is refused, naming both routes", () => {
    const v = violations(
      withRoutes(
        { name: "broad", priority: 6000, match: { paths: ["/hoge/*"] }, to: rails4 },
        { name: "narrow", match: { paths: ["/hoge/legacy/*"] }, to: rails3, priority: 7000 },
      ),
    );
    expect(v).toHaveLength(1);
    expect(v[0].field).toBe('routes[1] "narrow".priority');
    expect(v[0].limit).toMatch(/can never match: route "broad" \(priority 6000\) is evaluated first/);
    expect(v[0].fix).toMatch(/priority` below 6000/);
  });

  test("without explicit priorities the narrower route simply comes first", () => {
    const c = compileRouting(
      withRoutes(
        { name: "broad", match: { paths: ["/hoge/*"] }, to: rails4 },
        { name: "narrow", match: { paths: ["/hoge/legacy/*"] }, to: rails3 },
      ),
    );
    expect(c.rules.map((r) => r.source)).toEqual(["narrow", "broad"]);
  });

  test("a host pin shadows a route limited to the same host", () => {
    const v = violations(
      seedTable({ routes: [{ name: "assets", match: { hosts: ["assets4.example.com"], paths: ["/x/*"] }, to: rails3 }] }),
    );
    expect(v[0].limit).toMatch(/can never match: host pin rails4/);
  });

  test("a partial overlap with different destinations is an error naming both routes and an example request", () => {
    const v = violations(
      withRoutes({ name: "api", match: { paths: ["/api/*"] }, to: rails4 }, { name: "json", match: { paths: ["*.json"] }, to: rails3 }),
    );
    expect(v).toHaveLength(1);
    expect(v[0].field).toBe('routes[1] "json".match.paths[0]');
    expect(v[0].limit).toMatch(
      /overlaps route "api" .* neither is narrower: a request such as GET https:\/\/example\.com\/api\/\.json matches both/,
    );
    expect(v[0].fix).toMatch(/priority` on both routes/);
  });

  test("a partial overlap with the same destination, or settled by explicit priorities on both, compiles", () => {
    expect(() =>
      compileRouting(
        withRoutes({ name: "api", match: { paths: ["/api/*"] }, to: rails4 }, { name: "json", match: { paths: ["*.json"] }, to: rails4 }),
      ),
    ).not.toThrow();
    const c = compileRouting(
      withRoutes(
        { name: "api", priority: 9000, match: { paths: ["/api/*"] }, to: rails4 },
        { name: "json", priority: 8000, match: { paths: ["*.json"] }, to: rails3 },
      ),
    );
    expect(explain(c, { url: "/api/x.json" }).rule?.source).toBe("json");
  });

  test("a route with an extra condition is evaluated before the same paths without it", () => {
    const c = compileRouting(
      withRoutes(
        { name: "api", match: { paths: ["/api/*"] }, to: rails4 },
        { name: "api-post", match: { paths: ["/api/*"], methods: ["POST"] }, to: rails3 },
      ),
    );
    expect(c.rules.map((r) => r.source)).toEqual(["api-post", "api"]);
  });
});

describe("priorities never collide", () => {
  test("a full table of one class (98 routes with one prefix each) compiles, every number distinct", () => {
    const routes: Route[] = Array.from({ length: 98 }, (_, i) => ({
      name: `svc${i}`,
      match: { paths: [`/svc${i}/*`] },
      to: i % 2 ? rails4 : rails3,
    }));
    const c = compileRouting(withRoutes(...routes));
    expect(new Set(c.rules.map((r) => r.priority)).size).toBe(98);
  });

  test("an explicit priority may not take a number the lock records for another rule", () => {
    const first = compileRouting(withRoutes({ name: "a", match: { paths: ["/a/*"] }, to: rails4 }));
    const taken = first.lock.held["route-a-0"];
    const v = violations(
      withRoutes(
        { name: "a", match: { paths: ["/a/*"] }, to: rails4 },
        { name: "b", priority: taken, match: { paths: ["/b/*"] }, to: rails3 },
      ),
      { lock: first.lock },
    );
    expect(v[0].field).toBe('routes[1] "b".priority');
    expect(v[0].limit).toMatch(/records for rule route-a-0/);
  });
});

describe("override header and host pins", () => {
  test("one rule per fleet, values of one fleet grouped, at most 3 per condition", () => {
    const values: Record<string, RouteTarget> = { "3": rails3, "4": rails4, "4.0": rails4, "4.1": rails4, "4.2": rails4 };
    const c = compileRouting({ default: rails3, overrideHeader: { name: "X-Backend-Version", values } });
    expect(c.rules.map((r) => [r.key, r.conditions[0].values])).toEqual(
      expect.arrayContaining([
        ["override-rails3-0", ["3"]],
        ["override-rails4-0", ["4", "4.0", "4.1"]],
        ["override-rails4-1", ["4.2"]],
      ]),
    );
    for (const r of c.rules) expect(r.priority).toBeGreaterThanOrEqual(PRIORITY_BANDS.overrideHeader.first);
  });

  test("a specific host pin is evaluated before a wildcard one", () => {
    const c = compileRouting({
      default: rails3,
      hostPins: [
        { hosts: ["*.example.com"], fleet: rails3 },
        { hosts: ["assets4.example.com"], fleet: rails4 },
      ],
    });
    expect(c.rules.map((r) => r.conditions[0].values[0])).toEqual(["assets4.example.com", "*.example.com"]);
  });
});
