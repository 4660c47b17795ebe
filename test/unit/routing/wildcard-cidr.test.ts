import { complementCidrs, cidrContainsIp, formatCidr, parseCidr, parseIp, type Cidr } from "../../../lib/routing/cidr";
import { wildcardCovers, wildcardMatch, wildcardSpecificity } from "../../../lib/routing/wildcard";

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
  ])("%s covers %s: %s", (broad, narrow, expected) => {
    expect(wildcardCovers(broad, narrow)).toBe(expected);
  });

  test("specificity never ranks a covering pattern above the one it covers", () => {
    expect(wildcardSpecificity("/hoge/*")).toBeLessThan(wildcardSpecificity("/hoge/legacy/*"));
    expect(wildcardSpecificity("/a*")).toBeLessThan(wildcardSpecificity("/a?"));
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
    for (const ip of ["203.0.112.255", "203.0.114.0", "0.0.0.0", "255.255.255.255", "10.1.2.3", "2001:db8:1::1", "::1"]) expect(inComplement(ip)).toBe(true);
    expect(complement.map(formatCidr)).toContain("0.0.0.0/1");
    expect(complement.length).toBe(24 + 48);
  });
});
