/**
 * IPv4/IPv6 CIDR blocks for source-ip conditions: parsing, containment and complement.
 * ALB source-ip values are CIDR blocks of either family (SourceIpConditionConfig).
 */

export interface Cidr {
  readonly family: 4 | 6;
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
export function parseIp(text: string): { family: 4 | 6; value: bigint } | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = text.includes(":") ? parseIpv6(text) : undefined;
  return v6 !== undefined ? { family: 6, value: v6 } : undefined;
}

/** Parses "203.0.113.0/24" or "2001:db8::/32". Host bits must be zero, as AWS stores only the network. */
export function parseCidr(text: string): Cidr | { error: string } {
  const slash = text.indexOf("/");
  if (slash < 0) return { error: "is not in CIDR notation (address/prefix)" };
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!ip) return { error: "is not a valid IPv4 or IPv6 address" };
  const bits = BITS[ip.family];
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) return { error: `has a prefix length outside 0-${bits}` };
  const prefix = Number(prefixText);
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  if ((ip.value & hostMask) !== 0n) {
    const canonical = formatCidr({ family: ip.family, network: ip.value & ~hostMask, prefix });
    return { error: `has host bits set (the network of this block is ${canonical})` };
  }
  return { family: ip.family, network: ip.value, prefix };
}

/** Whether the address lies in the block. */
export function cidrContainsIp(cidr: Cidr, ip: { family: 4 | 6; value: bigint }): boolean {
  if (cidr.family !== ip.family) return false;
  const shift = BigInt(BITS[cidr.family] - cidr.prefix);
  return ip.value >> shift === cidr.network >> shift;
}

/** Whether block `outer` contains block `inner`. */
export function cidrCovers(outer: Cidr, inner: Cidr): boolean {
  return outer.family === inner.family && outer.prefix <= inner.prefix && cidrContainsIp(outer, { family: inner.family, value: inner.network });
}

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
  for (let i = 0; i < 8; ) {
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
  const text =
    bestStart < 0
      ? groups.join(":")
      : `${groups.slice(0, bestStart).join(":")}::${groups.slice(bestStart + bestLen).join(":")}`;
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
