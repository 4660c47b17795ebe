import fc from "fast-check";
import { albRegexConditionsSupported } from "../../../lib/aws/alb-regex-support";
import { fromNginxRegex, fromNginxRegexps, routesFromNginxRoutingJson } from "../../../lib/routing/nginx-import";
import { wildcardMatch } from "../../../lib/routing/wildcard";
import { rails3, rails4 } from "./fixtures";

const NGINX_LIST = { rails4_path: { regexps: ["^/(hoge|fuga)/?", "^/public/(hoge|fuga)/?", "^/admin/piyo/?"] } };

describe("nginx regex to ALB path patterns", () => {
  test.each<[string, string[]]>([
    ["^/(hoge|fuga)/?", ["/hoge*", "/fuga*"]],
    ["^/public/(hoge|fuga)/?", ["/public/hoge*", "/public/fuga*"]],
    ["^/admin/piyo/?", ["/admin/piyo*"]],
    ["^/admin/piyo/?$", ["/admin/piyo", "/admin/piyo/"]],
    ["^/a.b$", ["/a?b"]],
    ["^/a/.*/b$", ["/a/*/b"]],
    ["^/a/.+$", ["/a/?*"]],
    ["^/x+", ["/x*"]],
    ["^/(?:v1|v2)/users", ["/v1/users*", "/v2/users*"]],
    ["^/(a|b)(c|d)?$", ["/a", "/ac", "/ad", "/b", "/bc", "/bd"]],
    ["^/api\\.json", ["/api.json*"]],
    ["/legacy", ["*/legacy*"]],
    ["\\.php$", ["*.php"]],
    ["^/a|^/b", ["/a*", "/b*"]],
    ["^/a|/b$", ["/a*", "*/b"]],
    ["x+/y", ["*x/y*"]],
  ])("%s becomes %j", (regex, patterns) => {
    expect(fromNginxRegex(regex, { regexFallback: false })).toEqual({ regex, patterns });
  });

  test.each<[string, RegExp]>([
    ["^hoge", /can never match: request paths start with "\/"/],
    ["^/a[0-9]", /character class/],
    ["^/a\\d", /\\d \(digit class\)/],
    ["^/x+/y", /`\+` on `x`/],
    ["^/(ab)*/c", /`\*` on `\(ab\)`/],
    ["^/(a)\\1", /backreference/],
    ["^/(?!admin)", /lookaround/],
    ["^/a{2}", /\{n,m\}/],
    ["^/a\\?b", /literal `\?`.*no escape/],
    ["^/a$x", /`\$` before the end of a branch/],
  ])("%s cannot be expressed: the error names the regex and the construct", (regex, construct) => {
    const result = fromNginxRegex(regex, { regexFallback: false });
    expect(result).toEqual({ regex, error: expect.stringMatching(construct) });
    expect((result as { error: string }).error).toContain(JSON.stringify(regex));
  });

  test("the pinned binding (@cdktf/provider-aws 20.1.0) has no regex conditions, so inexpressible regexes are errors", () => {
    expect(albRegexConditionsSupported()).toBe(false);
    const [result] = fromNginxRegexps(["^/a[0-9]"], { regexConditionsSupported: albRegexConditionsSupported });
    expect(result).toEqual({
      regex: "^/a[0-9]",
      error: expect.stringMatching(/AWS provider >= 6\.19.*installed binding has no regex_values/),
    });
  });

  test("a binding whose converter emits regex_values enables the regex fallback", () => {
    const newer = (s: Record<string, unknown>) => ({ values: s.values, regex_values: s.regexValues });
    const older = (s: Record<string, unknown>) => ({ values: s.values });
    expect(albRegexConditionsSupported(newer)).toBe(true);
    expect(albRegexConditionsSupported(older)).toBe(false);
    expect(fromNginxRegex("^/a[0-9]", {}, () => albRegexConditionsSupported(newer))).toEqual({
      regex: "^/a[0-9]",
      regexValues: ["^/a[0-9]"],
      reason: expect.stringContaining("character class"),
    });
    expect(fromNginxRegex("^/(?!x)", {}, () => true)).toHaveProperty("error");
  });

  // Equivalence: nginx searches the regex in the path (start anchored by ^, end open); the ALB
  // patterns must accept exactly the same paths. Paths are drawn from the regex's own characters.
  const equivalent = [
    "^/(hoge|fuga)/?",
    "^/public/(hoge|fuga)/?",
    "^/admin/piyo/?",
    "^/admin/piyo/?$",
    "^/a.b$",
    "^/a/.*/b$",
    "^/a/.+$",
    "^/x+",
    "^/(a|b)(c|d)?$",
    "^/a.c/?",
    "/legacy",
    "legacy/?$",
    "^/a|/b$",
    "x+/y",
  ];
  test.each(equivalent)("%s: ALB patterns match exactly the paths nginx matches", (regex) => {
    const result = fromNginxRegex(regex, { regexFallback: false });
    if (!("patterns" in result)) throw new Error(`not converted: ${JSON.stringify(result)}`);
    const nginx = new RegExp(regex);
    const alphabet = [...new Set([...regex.replace(/[\^$\\()|?*+.]/g, ""), "/", "x", "."])];
    const fragments = regex.match(/[a-z]+/g) ?? [];
    const words = fragments.length ? fragments : ["x"];
    const piece = fc.oneof(fc.constantFrom(...alphabet), fc.constantFrom(...words), fc.constantFrom(...words.map((w) => `/${w}`)));
    const path = fc.array(piece, { minLength: 1, maxLength: 6 }).map((parts) => {
      const joined = parts.join("");
      return joined.startsWith("/") ? joined : `/${joined}`;
    });
    let hits = 0;
    fc.assert(
      fc.property(path, (p) => {
        const alb = result.patterns.some((pattern) => wildcardMatch(pattern, p));
        if (alb) hits++;
        expect(alb).toBe(nginx.test(p));
      }),
      { numRuns: 400 },
    );
    // Sampling that never hits the regex proves nothing.
    expect(hits).toBeGreaterThan(0);
  });
});

describe("an nginx-era routing list to routes", () => {
  test("each list becomes one route with the union of its patterns, to the mapped fleet", () => {
    const result = routesFromNginxRoutingJson(NGINX_LIST, { rails4_path: rails4 });
    expect(result.errors).toEqual([]);
    expect(result.routes).toEqual([
      { name: "rails4-path", match: { paths: ["/hoge*", "/fuga*", "/public/hoge*", "/public/fuga*", "/admin/piyo*"] }, to: rails4 },
    ]);
  });

  test("a both-directions table (rails4 and back to rails3) imports both lists", () => {
    const result = routesFromNginxRoutingJson(
      { ...NGINX_LIST, rails3_path: { regexps: ["^/hoge/legacy/?"] } },
      { rails4_path: rails4, rails3_path: rails3 },
    );
    expect(result.routes.map((r) => [r.name, r.match.paths])).toEqual([
      ["rails4-path", ["/hoge*", "/fuga*", "/public/hoge*", "/public/fuga*", "/admin/piyo*"]],
      ["rails3-path", ["/hoge/legacy*"]],
    ]);
  });

  test("errors name the list and the regex; unmapped lists and bad shapes are reported", () => {
    const result = routesFromNginxRoutingJson(
      { rails4_path: { regexps: ["^/ok/?", "^/bad[0-9]"] }, other: { regexps: ["^/x"] }, broken: { regexps: "^/x" } },
      { rails4_path: rails4 },
      { regexFallback: false },
    );
    expect(result.routes).toEqual([{ name: "rails4-path", match: { paths: ["/ok*"] }, to: rails4 }]);
    expect(result.errors).toEqual([
      expect.stringMatching(/^rails4_path: regex "\^\/bad\[0-9\]" uses a character class/),
      expect.stringMatching(/^other has no destination fleet/),
      "broken.regexps must be an array of regex strings",
    ]);
  });
});
