/** Splitting a list into consecutive pieces of at most `size` items. Pure: no cdktf import. */

/**
 * `[1, 2, 3, 4, 5]` by 2 -> `[[1, 2], [3, 4], [5]]`, order kept, no empty piece. Used wherever an
 * AWS limit caps how many values one call or one rule takes (five values per ALB condition,
 * twenty ARNs per `DescribeTags` call).
 */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a whole number >= 1, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
