/**
 * IPv4 only, or dual-stack: which clients reach the load balancer, and from where.
 *
 * A dual-stack load balancer (`ip_address_type = "dualstack"`) gets AAAA addresses besides its A
 * addresses; its subnets must have IPv6 CIDR blocks (AWS refuses the change otherwise, at apply:
 * a subnet's blocks are not known at synth). Its security group then admits IPv6 clients too:
 * `ingressIpv6Cidrs`, by default the IPv6 internet when the IPv4 side is the internet as well (the
 * default), and otherwise only what you list, so restricting IPv4 to an office never opens IPv6
 * to the world behind your back.
 *
 * `ingressIpv6Cidrs` existed before `ipAddressType`, for load balancers made dual-stack through
 * the escape hatch: left unset, the type stays as before (no `ip_address_type` written) and the
 * router warns that the rules admit clients the load balancer cannot reach on its own.
 * Pure: no cdktf import.
 */
import { Violations } from "../core/errors";
import { checkIpv6Cidr } from "../core/cidr";

/** "dualstack-without-public-ipv4" is left to the escape hatch (see README). */
export const IP_ADDRESS_TYPES = ["ipv4", "dualstack"] as const;
export type IpAddressType = (typeof IP_ADDRESS_TYPES)[number];

export const IPV4_INTERNET = "0.0.0.0/0";
export const IPV6_INTERNET = "::/0";

export interface ResolvedAddressing {
  /** Undefined when the prop was left out: nothing is written, AWS's default (ipv4) or the escape hatch applies. */
  readonly ipAddressType?: IpAddressType;
  readonly ingressCidrs: readonly string[];
  readonly ingressIpv6Cidrs: readonly string[];
  /** A warning for the construct to print, or undefined. */
  readonly warning?: string;
}

export interface AddressingInput {
  readonly ipAddressType?: string;
  readonly ingressCidrs?: readonly string[];
  readonly ingressIpv6Cidrs?: readonly string[];
}

export function resolveAddressing(v: Violations, f: (field: string) => string, input: AddressingInput): ResolvedAddressing {
  const type = input.ipAddressType;
  if (type !== undefined) {
    v.check(
      (IP_ADDRESS_TYPES as readonly string[]).includes(type),
      f("ipAddressType"),
      type,
      `must be ${IP_ADDRESS_TYPES.map((t) => `"${t}"`).join(" or ")}`,
      'use "dualstack" to serve IPv6 clients too, or leave it out for IPv4 only',
    );
  }
  const ingressCidrs = input.ingressCidrs ?? [IPV4_INTERNET];
  const dualStack = type === "dualstack";
  // The IPv6 side follows the IPv4 default only while the IPv4 side is the default: the internet.
  const ingressIpv6Cidrs = input.ingressIpv6Cidrs ?? (dualStack && input.ingressCidrs === undefined ? [IPV6_INTERNET] : []);
  ingressIpv6Cidrs.forEach((cidr, i) => checkIpv6Cidr(v, f(`ingressIpv6Cidrs[${i}]`), cidr));
  v.check(
    new Set(ingressIpv6Cidrs).size === ingressIpv6Cidrs.length,
    f("ingressIpv6Cidrs"),
    ingressIpv6Cidrs,
    "lists a CIDR twice",
    "list each CIDR once",
  );
  if (type === "ipv4") {
    v.check(
      ingressIpv6Cidrs.length === 0,
      f("ingressIpv6Cidrs"),
      ingressIpv6Cidrs,
      'admits IPv6 clients, but ipAddressType "ipv4" gives the load balancer no IPv6 address',
      'set ipAddressType to "dualstack", or remove ingressIpv6Cidrs',
    );
  }
  if (dualStack) {
    v.check(
      ingressIpv6Cidrs.length > 0,
      f("ingressIpv6Cidrs"),
      ingressIpv6Cidrs,
      "admits no IPv6 client, so the dual-stack load balancer's IPv6 addresses would refuse every connection (ingressCidrs was narrowed, so the IPv6 side is not opened to the internet by default)",
      'list the IPv6 ranges to admit, e.g. your office\'s, or ["::/0"] for the IPv6 internet',
    );
  }
  const warning =
    type === undefined && ingressIpv6Cidrs.length > 0
      ? `ingressIpv6Cidrs admits IPv6 clients, but the load balancer has IPv6 addresses only when it is dual-stack. Fix: set ipAddressType: "dualstack" (its subnets need IPv6 CIDR blocks), or remove ingressIpv6Cidrs; ignore this if the escape hatch sets ip_address_type.`
      : undefined;
  return { ipAddressType: type as IpAddressType | undefined, ingressCidrs, ingressIpv6Cidrs, warning };
}
