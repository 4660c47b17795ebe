/** One CIDR parser for both families: what AWS accepts is accepted, everything else is refused with the reason. */
import { ConfigError, Violations } from "../../../lib/core/errors";
import { resolveFleetProps } from "../../../lib/fleet/app-server-group-props";
import { resolveRouterProps } from "../../../lib/router/traffic-router-props";
import {
  checkIpv4Cidr,
  checkIpv6Cidr,
  cidrNetworkAddress,
  formatCidr,
  isIpv4Cidr,
  parseCidr,
  parseCidrNetwork,
  parseIp,
} from "../../../lib/core/cidr";

function problems(check: (v: Violations, field: string, cidr: string) => void, cidr: string): string[] {
  const v = new Violations();
  check(v, "cidr", cidr);
  return v.all.map((x) => `${x.limit} | ${x.fix}`);
}

describe("CIDR parsing (IPv4 and IPv6)", () => {
  test.each([
    ["0.0.0.0/0", "0.0.0.0/0"],
    ["203.0.113.0/24", "203.0.113.0/24"],
    ["::/0", "::/0"],
    ["2001:db8::/32", "2001:db8::/32"],
    ["2001:DB8:0:0:0:0:0:0/32", "2001:db8::/32"],
    ["::ffff:192.0.2.0/120", "::ffff:c000:200/120"],
    ["fe80::/10", "fe80::/10"],
    ["2001:db8:0:1:0:0:0:0/64", "2001:db8:0:1::/64"],
    ["::1/128", "::1/128"],
  ])("%s parses, and reads back as %s", (text, canonical) => {
    const parsed = parseCidr(text);
    expect("error" in parsed ? parsed.error : formatCidr(parsed)).toBe(canonical);
  });

  test.each([
    [":::::/64", /not a valid IPv4 or IPv6 address/],
    [":::/64", /not a valid/],
    ["1::2::3/64", /not a valid/],
    ["2001:db8:0:0:0:0:0:0:1/64", /not a valid/],
    ["2001:db8:0:0:0:0:0/64", /not a valid/],
    ["12345::/16", /not a valid/],
    ["2001:db8::g/64", /not a valid/],
    ["fe80::1%eth0/64", /not a valid/],
    [":2001:db8::/32", /not a valid/],
    ["2001:db8::/129", /prefix length outside 0-128/],
    ["2001:db8::/-1", /prefix length/],
    ["2001:db8::/", /prefix length/],
    ["2001:db8::1/32", /host bits set \(the network of this block is 2001:db8::\/32\)/],
    ["::ffff:192.0.2.1/120", /host bits set \(the network of this block is ::ffff:c000:200\/120\)/],
    ["10.0.0.0/33", /prefix length outside 0-32/],
    ["256.0.0.0/8", /not a valid/],
    ["010.0.0.0/8", /not a valid/],
    ["10.0.0/8", /not a valid/],
    [" 10.0.0.0/8", /not a valid/],
    ["10.0.0.0", /not in CIDR notation/],
    ["10.1.2.3/8", /host bits set \(the network of this block is 10\.0\.0\.0\/8\)/],
  ])("%s is refused: %s", (text, reason) => {
    const parsed = parseCidr(text);
    expect("error" in parsed ? parsed.error : formatCidr(parsed)).toMatch(reason);
  });

  test("addresses of both families parse; a zone id or a lone colon does not", () => {
    expect(parseIp("192.0.2.1")).toEqual({ family: 4, value: 0xc0000201n });
    expect(parseIp("::1")).toEqual({ family: 6, value: 1n });
    expect(parseIp("fe80::1%eth0")).toBeUndefined();
    expect(parseIp(":")).toBeUndefined();
    expect(parseIp("")).toBeUndefined();
  });

  test.each([
    ["203.0.113.7/24", "203.0.113.0/24"],
    ["10.1.2.3/8", "10.0.0.0/8"],
    ["255.255.255.255/32", "255.255.255.255/32"],
    ["192.168.1.1/0", "0.0.0.0/0"],
    ["2001:db8::1/32", "2001:db8::/32"],
  ])("the network of %s is %s, for masking readers and for the fix of a message", (text, network) => {
    expect(cidrNetworkAddress(text)).toBe(network);
    const masked = parseCidrNetwork(text);
    expect(masked && formatCidr(masked)).toBe(network);
  });

  test("isIpv4Cidr accepts IPv4 blocks with host bits (the check names them) and nothing of the other family", () => {
    expect(isIpv4Cidr("10.0.3.7/16")).toBe(true);
    expect(isIpv4Cidr("::/0")).toBe(false);
    expect(isIpv4Cidr("10.0.0.0/33")).toBe(false);
  });
});

describe("security group CIDR checks", () => {
  test("an IPv4 block with host bits set gets its network as the fix", () => {
    expect(problems(checkIpv4Cidr, "10.0.3.7/16")).toEqual([
      'has host bits set; security group rules take the network address | use "10.0.0.0/16"',
    ]);
  });

  test("an IPv6 block with host bits set gets its network as the fix", () => {
    expect(problems(checkIpv6Cidr, "2001:db8::1/32")).toEqual([
      'has host bits set; security group rules take the network address | use "2001:db8::/32"',
    ]);
  });

  test.each([[":::::/64"], ["2001:db8::/129"], ["10.0.0.0/8"], ["not-a-cidr"]])("%s is not an IPv6 CIDR", (cidr) => {
    expect(problems(checkIpv6Cidr, cidr)).toEqual(['is not an IPv6 CIDR such as "::/0" or "2001:db8::/32" | fix the CIDR']);
  });

  test.each([["::/0"], ["10.0.0.0/33"], ["010.0.0.0/8"]])("%s is not an IPv4 CIDR", (cidr) => {
    expect(problems(checkIpv4Cidr, cidr)).toEqual(['is not an IPv4 CIDR such as "0.0.0.0/0" or "203.0.113.0/24" | fix the CIDR']);
  });

  test("a value known only at deploy time passes both checks", () => {
    expect(problems(checkIpv4Cidr, "${TfToken[TOKEN.7]}")).toEqual([]);
    expect(problems(checkIpv6Cidr, "${TfToken[TOKEN.7]}")).toEqual([]);
  });
});

describe("the constructs use the one parser", () => {
  const router = {
    name: "web",
    vpcId: "vpc-0a1b2c3d4e5f60718",
    subnetIds: ["subnet-0a1b2c3d", "subnet-0a1b2c3e"],
    certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/x",
  };
  const messageOf = (build: () => unknown) => {
    try {
      build();
    } catch (e) {
      if (e instanceof ConfigError) return e.message;
      throw e;
    }
    return "";
  };

  test.each([[":::::/64"], ["2001:db8::/129"], ["1::2::3/64"]])("a dual-stack router refuses the IPv6 ingress %s", (cidr) => {
    const message = messageOf(() => resolveRouterProps({ ...router, ipAddressType: "dualstack", ingressIpv6Cidrs: [cidr] }));
    expect(message).toContain("ingressIpv6Cidrs[0]");
    expect(message).toContain("is not an IPv6 CIDR");
  });

  test("a router's IPv4 ingress with host bits gets the network as the fix", () => {
    expect(messageOf(() => resolveRouterProps({ ...router, ingressCidrs: ["203.0.113.7/24"] }))).toMatch(
      /ingressCidrs\[0\].*Fix: use "203\.0\.113\.0\/24"/,
    );
  });

  test("a fleet's egress CIDR with host bits is refused with the network as the fix", () => {
    const fleet = {
      name: "rails4",
      vpcId: "vpc-0a1b2c3d4e5f60718",
      subnetIds: ["subnet-0a1b2c3d", "subnet-0a1b2c3e"],
      imageId: "ami-0a1b2c3d4e5f60731",
      loadBalancer: { securityGroupId: "sg-0a1b2c3d4e5f60718", arnSuffix: "app/web/0123456789abcdef" },
      extraEgress: [{ description: "db", port: 5432, cidr: "10.0.0.1/16" }],
    };
    expect(messageOf(() => resolveFleetProps(fleet))).toMatch(/extraEgress\[0\]\.cidr.*Fix: use "10\.0\.0\.0\/16"/);
  });
});
