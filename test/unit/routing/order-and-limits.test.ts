/**
 * The specificity order decided from the conditions alone (never from names), and every ALB limit
 * checked at compile time with the route, the limit and the fix named.
 */
import { ConfigError, type Violation } from "../../../lib/core/errors";
import { compileRouting } from "../../../lib/routing/compile";
import { explain } from "../../../lib/routing/explain";
import type { Maintenance, Route, RouteTarget, RoutingTable } from "../../../lib/routing/types";
import { rails3, rails4 } from "./fixtures";

const rails5: RouteTarget = { name: "rails5" };
const withRoutes = (...routes: Route[]): RoutingTable => ({ default: rails3, routes });

function violations(table: RoutingTable, options = {}): readonly Violation[] {
  try {
    compileRouting(table, options);
  } catch (e) {
    if (e instanceof ConfigError) return e.violations;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

/** Every assignment of the given names to the routes: the table's meaning must not change. */
function underEveryNaming(routes: Route[], names: string[], check: (table: RoutingTable) => void): void {
  const permutations = (xs: string[]): string[][] =>
    xs.length <= 1 ? [xs] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
  for (const p of permutations(names)) check(withRoutes(...routes.map((r, i) => ({ ...r, name: p[i] }))));
}

describe("a narrower route wins, whatever the routes are called", () => {
  test.each<[string, Route[], string, string]>([
    [
      "an exact path beats the wildcard that matches it",
      [
        { name: "x", match: { paths: ["/docs/*"] }, to: rails3 },
        { name: "y", match: { paths: ["/docs/"] }, to: rails4 },
      ],
      "/docs/",
      "rails4",
    ],
    [
      "a rule with every condition of another plus one more beats it",
      [
        { name: "x", match: { paths: ["/api/*"], methods: ["POST"] }, to: rails3 },
        { name: "y", match: { paths: ["/api/*"], methods: ["POST"], headers: [{ name: "X-Beta", values: ["1"] }] }, to: rails4 },
      ],
      "/api/x",
      "rails4",
    ],
    [
      "a longer prefix beats a shorter one",
      [
        { name: "x", match: { paths: ["/hoge*"] }, to: rails3 },
        { name: "y", match: { paths: ["/hoge/legacy/*"] }, to: rails4 },
      ],
      "/hoge/legacy/1",
      "rails4",
    ],
    [
      "containment is decided by the patterns, not their length: /a*b*c is inside /a*c",
      [
        { name: "x", match: { paths: ["/a*c"] }, to: rails3 },
        { name: "y", match: { paths: ["/a*b*c"] }, to: rails4 },
      ],
      "/axbxc",
      "rails4",
    ],
    [
      "a host pattern inside a wildcard host",
      [
        { name: "x", match: { hosts: ["*.example.com"] }, to: rails3 },
        { name: "y", match: { hosts: ["shop.example.com"] }, to: rails4 },
      ],
      "https://shop.example.com/",
      "rails4",
    ],
    [
      "a smaller source block inside a larger one",
      [
        { name: "x", match: { sourceIps: ["192.0.2.0/24"] }, to: rails3 },
        { name: "y", match: { sourceIps: ["192.0.2.0/28"] }, to: rails4 },
      ],
      "/",
      "rails4",
    ],
  ])("%s", (_, routes, url, fleet) => {
    underEveryNaming(routes, ["aaa", "zzz"], (table) => {
      expect(explain(compileRouting(table), { url, method: "POST", headers: { "X-Beta": "1" } }).fleets.map((f) => f.fleet.name)).toEqual([
        fleet,
      ]);
    });
  });

  test("a canary route: a new route with a path of a 9:1 route, to another fleet, is refused whatever the names", () => {
    const routes: Route[] = [
      {
        name: "hoge-fuga",
        match: { paths: ["/hoge/*", "/fuga/*"] },
        to: {
          weights: [
            { fleet: rails3, weight: 9 },
            { fleet: rails4, weight: 1 },
          ],
        },
      },
      { name: "hoge", match: { paths: ["/hoge/*"] }, to: rails4 },
    ];
    underEveryNaming(routes, ["a", "b"], (table) => {
      const [v] = violations(table);
      expect(v.field).toMatch(/^routes\[1\] "[ab]"\.match\.paths\[0\]$/);
      expect(v.limit).toMatch(
        /is the same match as route "[ab]" .*both match e\.g\. GET https:\/\/example\.com\/hoge\/.* sends it to rails3 90%, rails4 10% and route "[ab]" to rails4/,
      );
      expect(v.fix).toMatch(/merge the two/);
    });
  });

  test("the same match and destination twice is a duplicate: one of the two can never match", () => {
    const [v] = violations(
      withRoutes({ name: "a", match: { paths: ["/x?*"] }, to: rails4 }, { name: "b", match: { paths: ["/x*?"] }, to: rails4 }),
    );
    expect(v.limit).toMatch(/same match as route "a" .*with the same destination.*can never match/);
    expect(v.fix).toMatch(/delete one of them/);
  });

  test("a request may carry several query pairs or header values: two such routes to different fleets overlap", () => {
    const [v] = violations(
      withRoutes(
        { name: "v3", match: { queryStrings: [{ key: "version", value: "3" }] }, to: rails3 },
        { name: "v4", match: { queryStrings: [{ key: "version", value: "4" }] }, to: rails4 },
      ),
    );
    expect(v.limit).toMatch(/a request such as GET https:\/\/example\.com\/\?version=3&version=4 matches both/);
    const [h] = violations(
      withRoutes(
        { name: "b1", match: { headers: [{ name: "X-Beta", values: ["1"] }] }, to: rails3 },
        { name: "b2", match: { headers: [{ name: "X-Beta", values: ["2"] }] }, to: rails4 },
      ),
    );
    expect(h.limit).toMatch(/-H 'X-Beta: 1' -H 'X-Beta: 2'/);
    // Explicit priorities on both say which one wins.
    const c = compileRouting(
      withRoutes(
        { name: "v3", priority: 7000, match: { queryStrings: [{ key: "version", value: "3" }] }, to: rails3 },
        { name: "v4", priority: 6000, match: { queryStrings: [{ key: "version", value: "4" }] }, to: rails4 },
      ),
    );
    expect(explain(c, { url: "/?version=3&version=4" }).rule?.source).toBe("v4");
  });

  test("host pins follow the same order, and a partial overlap between pins is refused", () => {
    const c = compileRouting({
      default: rails3,
      hostPins: [
        { hosts: ["*.example.com"], fleet: rails3 },
        { hosts: ["assets4.example.com"], fleet: rails4 },
      ],
    });
    expect(explain(c, { url: "https://assets4.example.com/" }).fleets[0].fleet).toBe(rails4);
    const [v] = violations({
      default: rails3,
      hostPins: [
        { hosts: ["a*.example.com"], fleet: rails3 },
        { hosts: ["*b.example.com"], fleet: rails4 },
      ],
    });
    expect(v.field).toBe("hostPins[1].hosts[0]");
    expect(v.limit).toMatch(/overlaps host pin rails3 .*ab\.example\.com/);
    expect(
      violations({
        default: rails3,
        hostPins: [
          { hosts: ["a.example.com"], fleet: rails3 },
          { hosts: ["A.example.com"], fleet: rails3 },
        ],
      })[0].limit,
    ).toMatch(/repeats hostPins\[0\]\.hosts\[0\]/);
  });

  test("a wildcard override value gives way to the exact values inside it", () => {
    const c = compileRouting({ default: rails3, overrideHeader: { name: "X-Backend-Version", values: { "4*": rails4, "4.1": rails5 } } });
    expect(explain(c, { url: "/", headers: { "X-Backend-Version": "4.1" } }).fleets[0].fleet).toBe(rails5);
    expect(explain(c, { url: "/", headers: { "X-Backend-Version": "4.2" } }).fleets[0].fleet).toBe(rails4);
  });

  test("two override values that one header value matches, mapped to different fleets, are refused", () => {
    const [v] = violations({ default: rails3, overrideHeader: { name: "X-Backend-Version", values: { "4*": rails4, "*4": rails5 } } });
    expect(v.limit).toMatch(/overlaps override header X-Backend-Version .*-H 'X-Backend-Version: 4' matches both/);
    expect(v.fix).toMatch(/map both to the same fleet/);
  });
});

describe("ALB limits, each named with the route, the limit and the fix", () => {
  test("more than 5 wildcards in one atom (a route's values that must share a rule)", () => {
    const [v] = violations(
      withRoutes({ name: "bots", match: { paths: ["/a/*/*/*/*"], headers: [{ name: "User-Agent", values: ["*bot*"] }] }, to: rails4 }),
    );
    expect(v).toMatchObject({ field: 'routes[0] "bots".match', value: "path /a/*/*/*/* + User-Agent: *bot*" });
    expect(v.limit).toMatch(/needs 6 wildcards .* ALB allows 5 per rule \("Condition wildcards per rule"\)/);
    expect(v.fix).toMatch(/fewer wildcards/);
  });

  test("a path that does not start with / (or a wildcard) can never match", () => {
    const [v] = violations(withRoutes({ name: "admin", match: { paths: ["admin/piyo*"] }, to: rails4 }));
    expect(v).toMatchObject({ field: 'routes[0] "admin".match.paths[0]', value: "admin/piyo*", fix: 'write "/admin/piyo*"' });
    expect(v.limit).toMatch(/must start with "\/"/);
  });

  test.each<[string, Route, RegExp, RegExp, RegExp]>([
    [
      "a space in a query-string condition",
      { name: "q", match: { queryStrings: [{ key: "q", value: "a b" }] }, to: rails4 },
      /queryStrings\[0\]\.value/,
      /RFC 3986/,
      /"a%20b"/,
    ],
    [
      "a lone backslash in a query-string condition",
      { name: "q", match: { queryStrings: [{ value: "a\\b" }] }, to: rails4 },
      /queryStrings\[0\]\.value/,
      /only before \* or \?/,
      /percent-encode/,
    ],
    [
      "a control character in a header value",
      { name: "h", match: { headers: [{ name: "X-A", values: ["a\tb"] }] }, to: rails4 },
      /headers\[0\]\.values\[0\]/,
      /visible ASCII/,
      /printable/,
    ],
    [
      "a host without a dot",
      { name: "h", match: { hosts: ["localhost"] }, to: rails4 },
      /hosts\[0\]/,
      /must contain a "\."/,
      /full host name/,
    ],
    [
      "a path pattern of 129 characters",
      { name: "p", match: { paths: [`/${"a".repeat(128)}`] }, to: rails4 },
      /paths\[0\]/,
      /at most 128/,
      /shorten/,
    ],
    [
      "a path listed twice in one route",
      { name: "p", match: { paths: ["/a", "/b", "/a"] }, to: rails4 },
      /paths\[2\]/,
      /repeats paths\[0\]/,
      /delete the repeated value/,
    ],
  ])("%s", (_, route, field, limit, fix) => {
    expect(violations(withRoutes(route))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: expect.stringMatching(field),
          limit: expect.stringMatching(limit),
          fix: expect.stringMatching(fix),
        }),
      ]),
    );
  });

  test("values beyond 3 per condition and 5 per rule are packed into more rules, never refused", () => {
    const c = compileRouting(
      withRoutes({
        name: "many",
        match: { paths: ["/a", "/b", "/c", "/d"], hosts: ["a.example.com", "b.example.com", "c.example.com", "d.example.com"] },
        to: rails4,
      }),
    );
    for (const r of c.rules) {
      expect(r.conditions.every((x) => x.values.length <= 3)).toBe(true);
      expect(r.conditions.reduce((n, x) => n + x.values.length, 0)).toBeLessThanOrEqual(5);
    }
    expect(
      c.rules.flatMap((r) =>
        r.conditions
          .find((x) => x.type === "path-pattern")!
          .values.flatMap((p) => r.conditions.find((x) => x.type === "host-header")!.values.map((h) => `${p}@${h}`)),
      ).length,
    ).toBe(16);
  });
});

describe("maintenance and the rule quota", () => {
  const routes = (n: number): Route[] =>
    Array.from({ length: n }, (_, i) => ({ name: `r${i}`, match: { paths: [`/r${i}/*`] }, to: rails4 }));
  const maintenance = (bypass: Maintenance["bypass"], enabled = false): Maintenance => ({
    enabled,
    response: { type: "fixed-response", body: "back soon" },
    bypass,
  });

  test("the rule count with maintenance on is known while it is off", () => {
    const c = compileRouting({ ...withRoutes(...routes(10)), maintenance: maintenance({ header: { name: "X-Staff", value: "yes" } }) });
    expect(c.rules.some((r) => r.kind === "maintenance")).toBe(false);
    expect(c.ruleCounts).toEqual({ normal: 10, maintenance: 12, withMaintenance: 22, extra: 0, quota: 100 });
  });

  test("a table that maintenance would push over the quota is refused now, with what maintenance needs", () => {
    const table = { ...withRoutes(...routes(48)), maintenance: maintenance({ header: { name: "X-Staff", value: "yes" } }) };
    // 48 routes + 2 anchors + 50 maintenance rules (a staff copy of each route, the staff default, the response) = 100: fits.
    expect(compileRouting(table, { extraRules: 2 }).ruleCounts.withMaintenance).toBe(100);
    const [w] = violations({ ...table, routes: routes(49) }, { extraRules: 2, extraRulesLabel: "anchor rules, one per fleet" });
    expect(w.field).toBe("maintenance.bypass");
    expect(w.value).toBe("49 listener rules + 2 anchor rules, one per fleet + 51 for maintenance = 102");
    expect(w.limit).toMatch(/^maintenance with this bypass needs 51 more rules .*2 over the quota of 100/);
    expect(w.fix).toMatch(/fewer or wider source IP blocks|raise the quota/);
  });

  test("a source-IP bypass takes whichever form needs fewer rules", () => {
    // One /24: its complement is 24 IPv4 blocks and ::/0 (9 rules of 3); with 2 routes, staff copies need 4.
    const few = compileRouting({ ...withRoutes(...routes(2)), maintenance: maintenance({ sourceIps: ["203.0.113.0/24"] }, true) });
    expect(few.ruleCounts.maintenance).toBe(4);
    expect(explain(few, { url: "/r1/x", sourceIp: "203.0.113.9" }).fleets[0].fleet).toBe(rails4);
    expect(explain(few, { url: "/r1/x", sourceIp: "198.51.100.1" }).action.type).toBe("fixed-response");
    const many = compileRouting({ ...withRoutes(...routes(20)), maintenance: maintenance({ sourceIps: ["203.0.113.0/24"] }, true) });
    expect(many.ruleCounts.maintenance).toBe(9);
    expect(explain(many, { url: "/r1/x", sourceIp: "203.0.113.9" }).fleets[0].fleet).toBe(rails4);
    expect(explain(many, { url: "/r1/x", sourceIp: "2001:db8::1" }).action.type).toBe("fixed-response");
  });

  test("a redirect drops the client's query string unless keepQueryString is set", () => {
    const redirect = (keepQueryString?: boolean) =>
      compileRouting({
        default: rails3,
        maintenance: {
          enabled: true,
          response: { type: "redirect", url: "https://status.example.com/", ...(keepQueryString ? { keepQueryString } : {}) },
        },
      }).rules[0].action;
    expect(redirect()).toEqual({ type: "redirect", url: "https://status.example.com/", statusCode: 302 });
    expect(redirect(true)).toEqual({ type: "redirect", url: "https://status.example.com/", statusCode: 302, keepQueryString: true });
  });
});
