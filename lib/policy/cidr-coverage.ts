/**
 * How much of the internet a set of CIDR blocks admits, taken together: `0.0.0.0/0` written as
 * `0.0.0.0/1` plus `128.0.0.0/1`, or `::/0` as its two halves, is still the whole internet.
 *
 * Shares are measured against the public address space: IPv4 without the private, shared,
 * loopback, link-local, multicast and reserved blocks (RFC 6890), IPv6 global unicast (2000::/3),
 * where every public IPv6 address lives. So a VPC range (10.0.0.0/16) admits none of the internet,
 * and `2000::/3` alone all of the IPv6 internet.
 * Pure TypeScript (no cdktf import); parsing comes from lib/core/cidr.ts.
 */
import { Cidr } from "../core/cidr";

/** Blocks that together cover at least this share of a family's public space admit "the internet". */
export const INTERNET_SHARE_THRESHOLD = 0.5;
/**
 * A rule is named as opening the internet when its own blocks cover at least this share (a /10 or
 * more). Covering half the internet with smaller blocks takes more than 500 rules in one group, so
 * when no rule reaches it every public contributor is named instead.
 */
export const SIGNIFICANT_SHARE = 1 / 1024;

const BITS = { 4: 32, 6: 128 } as const;

interface Interval {
  readonly start: bigint;
  readonly end: bigint;
}

const v4 = (a: number, b: number, c: number, d: number, prefix: number): Interval => {
  const start = (BigInt(a) << 24n) | (BigInt(b) << 16n) | (BigInt(c) << 8n) | BigInt(d);
  return { start, end: start + (1n << BigInt(32 - prefix)) };
};

/** IPv4 blocks that are not on the public internet (RFC 6890 special-purpose registry). */
const IPV4_NOT_PUBLIC: readonly Interval[] = [
  v4(0, 0, 0, 0, 8),
  v4(10, 0, 0, 0, 8),
  v4(100, 64, 0, 0, 10),
  v4(127, 0, 0, 0, 8),
  v4(169, 254, 0, 0, 16),
  v4(172, 16, 0, 0, 12),
  v4(192, 0, 0, 0, 24),
  v4(192, 168, 0, 0, 16),
  v4(198, 18, 0, 0, 15),
  v4(224, 0, 0, 0, 3),
];

/** The public space of each family, as disjoint intervals. */
const PUBLIC_SPACE: Readonly<Record<4 | 6, readonly Interval[]>> = {
  4: subtract([{ start: 0n, end: 1n << 32n }], IPV4_NOT_PUBLIC),
  6: [{ start: 0x2000n << 112n, end: 0x4000n << 112n }],
};

function size(intervals: readonly Interval[]): bigint {
  return intervals.reduce((sum, i) => sum + (i.end - i.start), 0n);
}

/** Sorted, merged intervals. */
function union(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const merged: Interval[] = [];
  for (const i of sorted) {
    const last = merged[merged.length - 1];
    if (last && i.start <= last.end) merged[merged.length - 1] = { start: last.start, end: i.end > last.end ? i.end : last.end };
    else merged.push(i);
  }
  return merged;
}

function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const x of a) {
    for (const y of b) {
      const start = x.start > y.start ? x.start : y.start;
      const end = x.end < y.end ? x.end : y.end;
      if (start < end) out.push({ start, end });
    }
  }
  return union(out);
}

function subtract(from: readonly Interval[], remove: readonly Interval[]): Interval[] {
  let result = union(from);
  for (const r of union(remove)) {
    result = result.flatMap((i) => {
      if (r.end <= i.start || r.start >= i.end) return [i];
      return [...(r.start > i.start ? [{ start: i.start, end: r.start }] : []), ...(r.end < i.end ? [{ start: r.end, end: i.end }] : [])];
    });
  }
  return result;
}

/** The share (0 to 1) of the family's public address space the blocks cover together. */
export function internetShare(blocks: readonly Cidr[], family: 4 | 6): number {
  const intervals = blocks
    .filter((b) => b.family === family)
    .map((b) => ({ start: b.network, end: b.network + (1n << BigInt(BITS[family] - b.prefix)) }));
  const space = PUBLIC_SPACE[family];
  const covered = size(intersect(union(intervals), space));
  // Parts per million, so the ratio survives conversion to a number.
  return Number((covered * 1_000_000n) / size(space)) / 1_000_000;
}

/** The families in which the blocks together admit the internet, with the share. */
export function internetCoverage(blocks: readonly Cidr[]): { family: 4 | 6; share: number }[] {
  return ([4, 6] as const)
    .map((family) => ({ family, share: internetShare(blocks, family) }))
    .filter((c) => c.share >= INTERNET_SHARE_THRESHOLD);
}
