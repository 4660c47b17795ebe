/**
 * IPv4 and IPv6 addresses and CIDR blocks: the one parser behind security group rules
 * (fleets, the load balancer's ingress), ALB `source-ip` conditions and the policy pack's
 * internet-coverage check. Pure: no cdktf import.
 *
 * What is accepted follows what AWS accepts:
 * - IPv4 is dotted decimal, four octets 0-255 without leading zeros (`010.0.0.1` is octal to some
 *   parsers and decimal to others, so it is refused rather than guessed).
 * - IPv6 is RFC 4291 text: eight groups of 1-4 hex digits, at most one `::` standing for one or
 *   more zero groups, optionally an embedded IPv4 tail (`::ffff:192.0.2.1`).
 * - A prefix is a decimal number 0-32 (IPv4) or 0-128 (IPv6).
 * - AWS stores only a block's network address, and the EC2 API and the provider refuse a security
 *   group CIDR with host bits set; `parseCidr` therefore refuses them too, naming the network.
 */
import { Violations } from "./errors";
import { hasToken } from "./terraform-literal";

export type IpFamily = 4 | 6;

export interface IpAddress {
  readonly family: IpFamily;
  /** The address as an integer of 32 or 128 bits. */
  readonly value: bigint;
}

export interface Cidr {
  readonly family: IpFamily;
  /** Network address as an integer of 32 or 128 bits. */
  readonly network: bigint;
  readonly prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255 || (part.length > 1 && part.startsWith("0"))) return undefined;
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groupsOf = (s: string): string[] | undefined => {
    if (s === "") return [];
    const groups = s.split(":");
    const last = groups[groups.length - 1];
    if (last.includes(".")) {
      // Embedded IPv4 tail, e.g. ::ffff:192.0.2.1.
      const v4 = parseIpv4(last);
      if (v4 === undefined) return undefined;
      groups.splice(groups.length - 1, 1, ((v4 >> 16n) & 0xffffn).toString(16), (v4 & 0xffffn).toString(16));
    }
    // An empty group here is a lone ":" at an end or a ":::" run: not an address.
    return groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g)) ? groups : undefined;
  };
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Parses an IP address of either family. */
export function parseIp(text: string): IpAddress | undefined {
  if (typeof text !== "string") return undefined;
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = text.includes(":") ? parseIpv6(text) : undefined;
  return v6 !== undefined ? { family: 6, value: v6 } : undefined;
}

/** An address and a prefix as written, host bits allowed. */
interface CidrText {
  readonly ip: IpAddress;
  readonly prefix: number;
}

function parseCidrText(text: string): CidrText | { error: string } {
  if (typeof text !== "string") return { error: "is not a string in CIDR notation (address/prefix)" };
  const slash = text.indexOf("/");
  if (slash < 0) return { error: "is not in CIDR notation (address/prefix)" };
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!ip) return { error: "is not a valid IPv4 or IPv6 address" };
  const bits = BITS[ip.family];
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) return { error: `has a prefix length outside 0-${bits}` };
  return { ip, prefix: Number(prefixText) };
}

function networkOf(block: CidrText): Cidr {
  const hostMask = (1n << BigInt(BITS[block.ip.family] - block.prefix)) - 1n;
  return { family: block.ip.family, network: block.ip.value & ~hostMask, prefix: block.prefix };
}

/** Parses "203.0.113.0/24" or "2001:db8::/32". Host bits must be zero, as AWS stores only the network. */
export function parseCidr(text: string): Cidr | { error: string } {
  const parsed = parseCidrText(text);
  if ("error" in parsed) return parsed;
  const network = networkOf(parsed);
  if (network.network !== parsed.ip.value) return { error: `has host bits set (the network of this block is ${formatCidr(network)})` };
  return network;
}

/**
 * Parses a block and keeps its network, host bits masked: `128.1.2.3/1` -> `128.0.0.0/1`. For
 * reading what a resource covers (the policy pack), where the spelling does not matter.
 */
export function parseCidrNetwork(text: string): Cidr | undefined {
  const parsed = parseCidrText(text);
  return "error" in parsed ? undefined : networkOf(parsed);
}

/** True for an IPv4 block `a.b.c.d/n` (host bits may be set; `checkIpv4Cidr` refuses them). */
export function isIpv4Cidr(value: string): boolean {
  const parsed = parseCidrText(value);
  return !("error" in parsed) && parsed.ip.family === 4;
}

/** The network of a block written with host bits: `203.0.113.7/24` -> `203.0.113.0/24`, `2001:db8::1/32` -> `2001:db8::/32`. */
export function cidrNetworkAddress(cidr: string): string {
  const parsed = parseCidrText(cidr);
  if ("error" in parsed) throw new Error(`${JSON.stringify(cidr)} ${parsed.error}`);
  return formatCidr(networkOf(parsed));
}

/** Whether the address lies in the block. */
export function cidrContainsIp(cidr: Cidr, ip: IpAddress): boolean {
  if (cidr.family !== ip.family) return false;
  const shift = BigInt(BITS[cidr.family] - cidr.prefix);
  return ip.value >> shift === cidr.network >> shift;
}

/** Whether block `outer` contains block `inner`. */
export function cidrCovers(outer: Cidr, inner: Cidr): boolean {
  return (
    outer.family === inner.family && outer.prefix <= inner.prefix && cidrContainsIp(outer, { family: inner.family, value: inner.network })
  );
}

/** The block as text; IPv6 in the RFC 5952 canonical form (lower case, longest zero run as `::`). */
export function formatCidr(cidr: Cidr): string {
  if (cidr.family === 4) {
    const octets = [24n, 16n, 8n, 0n].map((s) => ((cidr.network >> s) & 0xffn).toString());
    return `${octets.join(".")}/${cidr.prefix}`;
  }
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((cidr.network >> BigInt(i * 16)) & 0xffffn).toString(16));
  // Compress the longest run of zero groups (RFC 5952) so the values read like what users write.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > bestLen && j - i > 1) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const text = bestStart < 0 ? groups.join(":") : `${groups.slice(0, bestStart).join(":")}::${groups.slice(bestStart + bestLen).join(":")}`;
  return `${text}/${cidr.prefix}`;
}

/**
 * The smallest set of blocks covering every address of both families except those in `excluded`.
 * ALB conditions cannot say "not from these addresses"; this list says the same thing positively.
 */
export function complementCidrs(excluded: readonly Cidr[]): Cidr[] {
  const out: Cidr[] = [];
  const visit = (block: Cidr): void => {
    const inside = excluded.filter((e) => e.family === block.family && (cidrCovers(block, e) || cidrCovers(e, block)));
    if (inside.length === 0) {
      out.push(block);
      return;
    }
    if (inside.some((e) => cidrCovers(e, block))) return;
    const bits = BITS[block.family];
    const half = 1n << BigInt(bits - block.prefix - 1);
    visit({ family: block.family, network: block.network, prefix: block.prefix + 1 });
    visit({ family: block.family, network: block.network | half, prefix: block.prefix + 1 });
  };
  visit({ family: 4, network: 0n, prefix: 0 });
  visit({ family: 6, network: 0n, prefix: 0 });
  return out;
}

const EXAMPLES = { 4: '"0.0.0.0/0" or "203.0.113.0/24"', 6: '"::/0" or "2001:db8::/32"' } as const;

/**
 * Checks a CIDR of one family for a security group rule. The EC2 API refuses a block with host
 * bits set, so that is caught here, with the network address as the fix. Values known only at
 * deploy time (cdktf tokens) pass.
 */
export function checkCidr(v: Violations, field: string, cidr: string, family: IpFamily): void {
  if (hasToken(cidr)) return;
  const parsed = parseCidrText(cidr);
  if ("error" in parsed || parsed.ip.family !== family) {
    v.add(field, cidr, `is not an IPv${family} CIDR such as ${EXAMPLES[family]}`, "fix the CIDR");
    return;
  }
  const network = networkOf(parsed);
  v.check(
    network.network === parsed.ip.value,
    field,
    cidr,
    "has host bits set; security group rules take the network address",
    `use "${formatCidr(network)}"`,
  );
}

/** `checkCidr` for IPv4: `ingressCidrs`, fleet ingress and egress rules. */
export function checkIpv4Cidr(v: Violations, field: string, cidr: string): void {
  checkCidr(v, field, cidr, 4);
}

/** `checkCidr` for IPv6: `ingressIpv6Cidrs`. */
export function checkIpv6Cidr(v: Violations, field: string, cidr: string): void {
  checkCidr(v, field, cidr, 6);
}
