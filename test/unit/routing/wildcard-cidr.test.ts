import { complementCidrs, cidrContainsIp, formatCidr, parseCidr, parseIp, type Cidr } from "../../../lib/core/cidr";
import { wildcardCount, wildcardCovers, wildcardMatch } from "../../../lib/routing/wildcard";
import { globContains, globMeet, globUniversal } from "../../../lib/routing/wildcard-automata";
import fc from "fast-check";

describe("ALB wildcard patterns", () => {
  test.each([
    ["/hoge/*", "/hoge/1", true],
    ["/hoge/*", "/hoge", false],
    ["/hoge*", "/hoge", true],
    ["/a?c", "/abc", true],
    ["/a?c", "/ac", false],
    ["*", "", true],
    ["/img/*/pics", "/img/x/y/pics", true],
    ["/Hoge", "/hoge", false],
  ])("%s matches %s: %s", (pattern, text, expected) => {
    expect(wildcardMatch(pattern, text)).toBe(expected);
  });

  test("case-insensitive mode folds letters; query-string escapes make * literal", () => {
    expect(wildcardMatch("ASSETS4.example.com", "assets4.EXAMPLE.com", { caseInsensitive: true })).toBe(true);
    expect(wildcardMatch("a\\*", "a*", { backslashEscapes: true })).toBe(true);
    expect(wildcardMatch("a\\*", "ab", { backslashEscapes: true })).toBe(false);
  });

  test.each([
    ["/hoge/*", "/hoge/legacy/*", true],
    ["/hoge*", "/hoge/*", true],
    ["/hoge/legacy/*", "/hoge/*", false],
    ["/a?", "/a*", false],
    ["/a*", "/a?", true],
    ["*", "/anything?*", true],
    ["/x", "/x", true],
    ["/*/b", "/a/*/b", true],
    ["?*", "*?", true],
    ["*?", "?*", true],
    ["*a*", "*a?a*", true],
    ["*a?a*", "*a*", false],
    ["/a*b*c", "/a*bc", true],
    ["/a*bc", "/a*b*c", false],
  ])("%s covers %s: %s", (broad, narrow, expected) => {
    expect(wildcardCovers(broad, narrow)).toBe(expected);
  });

  test("on request paths (which start with /), `*` and `/*` are the same condition", () => {
    const paths = { startsWith: "/" };
    expect(globUniversal("/*", paths)).toBe(true);
    expect(globUniversal("/*")).toBe(false);
    expect(globContains("/*/a", "*/a", paths)).toBe(false);
    expect(globContains("*/a", "/*/a", paths)).toBe(true);
  });

  test("case and escapes follow the condition type: query strings fold case, read \\* as a star and %XX as a character", () => {
    const query = { caseInsensitive: true, backslashEscapes: true, percentDecoding: true };
    expect(globMeet("A\\*", "a?", query)).toBe("a*");
    expect(globContains("a?", "a\\*", query)).toBe(true);
    expect(globContains("a\\*", "a?", query)).toBe(false);
    expect(globMeet("a%20b", "a?b", query)).toBe("a b");
    expect(wildcardCount("a\\*b?", { backslashEscapes: true })).toBe(1);
  });

  test("containment past the automaton budget answers unknown, never a wrong yes", () => {
    expect(globContains("*a??????????????", "*a*", { budget: 50 })).not.toBe(true);
  });

  // Independent check: on strings drawn from the patterns' own characters, containment and meeting
  // agree with brute-force matching (a witness is matched by both; "contains" is never refuted).
  const pattern = fc.stringMatching(/^[ab*?/]{0,6}$/);
  test("containment and meet agree with the matcher on sampled strings", () => {
    fc.assert(
      fc.property(pattern, pattern, fc.array(fc.stringMatching(/^[abc/]{0,7}$/), { maxLength: 40 }), (a, b, texts) => {
        const meet = globMeet(a, b);
        if (meet !== undefined) {
          expect(wildcardMatch(a, meet)).toBe(true);
          expect(wildcardMatch(b, meet)).toBe(true);
        }
        if (globContains(a, b) === true) for (const t of texts) if (wildcardMatch(b, t)) expect(wildcardMatch(a, t)).toBe(true);
        for (const t of texts) if (wildcardMatch(a, t) && wildcardMatch(b, t)) expect(meet).toBeDefined();
      }),
      { numRuns: 300 },
    );
  });
});

describe("CIDR blocks", () => {
  test("parses both families and rejects host bits, naming the network", () => {
    expect(parseCidr("203.0.113.0/24")).toMatchObject({ family: 4, prefix: 24 });
    expect(parseCidr("2001:db8::/32")).toMatchObject({ family: 6, prefix: 32 });
    expect(parseCidr("203.0.113.7/24")).toEqual({ error: expect.stringContaining("203.0.113.0/24") });
    expect(parseCidr("10.0.0.0/33")).toHaveProperty("error");
    expect(parseCidr("10.0.0.1")).toHaveProperty("error");
  });

  test("the complement of bypass blocks covers every other address of both families and none inside", () => {
    const excluded = ["203.0.113.0/24", "2001:db8::/48"].map((c) => parseCidr(c) as Cidr);
    const complement = complementCidrs(excluded);
    const inComplement = (ip: string) => complement.some((c) => cidrContainsIp(c, parseIp(ip)!));
    for (const ip of ["203.0.113.0", "203.0.113.255", "2001:db8::1", "2001:db8:0:ffff::1"]) expect(inComplement(ip)).toBe(false);
    for (const ip of ["203.0.112.255", "203.0.114.0", "0.0.0.0", "255.255.255.255", "10.1.2.3", "2001:db8:1::1", "::1"])
      expect(inComplement(ip)).toBe(true);
    expect(complement.map(formatCidr)).toContain("0.0.0.0/1");
    expect(complement.length).toBe(24 + 48);
  });
});
