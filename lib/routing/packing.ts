/**
 * Packs one route's atoms into listener rules that fit ALB's per-rule quotas: at most 3 values per
 * condition, 5 values per rule, 5 wildcards (`*`, `?`) per rule. Values of one kind are
 * alternatives (OR), so a kind's values can be spread over several rules with the same action;
 * kinds are ANDed, so each rule carries one chunk of every kind (a cross product).
 * The compiler may split a pack further (splitPack) when two routes' packs would have to come
 * before each other.
 * Sources: "Quotas for your Application Load Balancers" (Condition values per rule: 5, Condition
 * wildcards per rule: 5) and the listener rules guide ("up to three match evaluations per condition").
 * Pure: no cdktf import.
 */
import { conditionOf, type Dimension } from "./atoms";
import { ALB_QUOTAS } from "./quotas";
import type { CompiledCondition } from "./types";
import { wildcardCount } from "./wildcard";

/** One rule's share of a route: for each dimension, the indexes of the values it carries. */
export interface Pack {
  readonly valueIndexes: readonly (readonly number[])[];
}

export type PackResult =
  | { readonly packs: readonly Pack[] }
  /** More condition kinds than a rule holds values. */
  | { readonly conditionsNeeded: number }
  /** The atom with the most wildcards (a value index per dimension) needs more than a rule holds. */
  | { readonly wildcardsNeeded: number; readonly atom: readonly number[] };

/** Wildcards a value adds to a rule; escaped `\*` / `\?` in query strings do not count. */
export function valueWildcards(dim: Dimension, index: number): number {
  switch (dim.kind) {
    case "path-pattern":
    case "host-header":
    case "http-header":
      return wildcardCount(dim.values[index]);
    case "query-string": {
      const q = dim.values[index];
      return (
        wildcardCount(q.value, { backslashEscapes: true }) + (q.key === undefined ? 0 : wildcardCount(q.key, { backslashEscapes: true }))
      );
    }
    default:
      return 0;
  }
}

/** Bins of value indexes, each with at most `size` values and `wildcards` wildcards, first-fit by wildcards. */
function chunkDimension(dim: Dimension, size: number, wildcards: number): number[][] {
  const order = dim.values.map((_, i) => i).sort((a, b) => valueWildcards(dim, b) - valueWildcards(dim, a) || a - b);
  const bins: { members: number[]; wildcards: number }[] = [];
  for (const i of order) {
    const w = valueWildcards(dim, i);
    const bin = bins.find((b) => b.members.length < size && b.wildcards + w <= wildcards);
    if (bin) {
      bin.members.push(i);
      bin.wildcards += w;
    } else bins.push({ members: [i], wildcards: w });
  }
  return bins.map((b) => b.members.sort((x, y) => x - y)).sort((a, b) => a[0] - b[0]);
}

/**
 * Chooses, per dimension, a cap on values and on wildcards per chunk (caps summing to at most the
 * per-rule quotas, since every combination of chunks becomes a rule) that gives the fewest rules.
 * Deterministic: the same dimensions always give the same packs.
 */
export function packDimensions(dims: readonly Dimension[]): PackResult {
  if (dims.length > ALB_QUOTAS.valuesPerRule) return { conditionsNeeded: dims.length };
  const maxW = dims.map((d) => Math.max(0, ...d.values.map((_, i) => valueWildcards(d, i))));
  const neededWildcards = maxW.reduce((a, b) => a + b, 0);
  if (neededWildcards > ALB_QUOTAS.wildcardsPerRule) {
    return { wildcardsNeeded: neededWildcards, atom: dims.map((d, k) => d.values.findIndex((_, i) => valueWildcards(d, i) === maxW[k])) };
  }
  const totalW = dims.map((d) => d.values.reduce((n: number, _, i) => n + valueWildcards(d, i), 0));
  const options = dims.map((d, k) => {
    const out: { size: number; wildcards: number; chunks: number[][] }[] = [];
    for (let size = Math.min(ALB_QUOTAS.valuesPerCondition, d.values.length); size >= 1; size--) {
      for (let w = Math.min(ALB_QUOTAS.wildcardsPerRule, Math.max(maxW[k], totalW[k])); w >= maxW[k]; w--) {
        out.push({ size, wildcards: w, chunks: chunkDimension(d, size, w) });
      }
    }
    return out;
  });
  let best: number[] | undefined;
  let bestCount = Infinity;
  const choice: number[] = [];
  const search = (k: number, values: number, wildcards: number, count: number): void => {
    if (count >= bestCount) return;
    if (k === dims.length) {
      bestCount = count;
      best = [...choice];
      return;
    }
    const remaining = dims.length - k - 1;
    const remainingW = maxW.slice(k + 1).reduce((a, b) => a + b, 0);
    options[k].forEach((o, i) => {
      if (values + o.size + remaining > ALB_QUOTAS.valuesPerRule) return;
      if (wildcards + o.wildcards + remainingW > ALB_QUOTAS.wildcardsPerRule) return;
      choice[k] = i;
      search(k + 1, values + o.size, wildcards + o.wildcards, count * o.chunks.length);
    });
  };
  search(0, 0, 0, 1);
  const chunks = dims.map((_, k) => options[k][best![k]].chunks);
  let packs: number[][][] = [[]];
  for (const perDim of chunks) packs = packs.flatMap((prefix) => perDim.map((c) => [...prefix, c]));
  return { packs: packs.map((valueIndexes) => ({ valueIndexes })) };
}

/** The conditions of one pack. */
export function packConditions(dims: readonly Dimension[], pack: Pack): CompiledCondition[] {
  return dims.map((d, k) => conditionOf(d, pack.valueIndexes[k]));
}

/** Every value-index combination (atom choice) a pack carries. */
export function packChoices(pack: Pack): number[][] {
  let out: number[][] = [[]];
  for (const values of pack.valueIndexes) out = out.flatMap((prefix) => values.map((v) => [...prefix, v]));
  return out;
}

/** Splits a pack in two along its dimension with the most values; undefined for a single atom. */
export function splitPack(pack: Pack): [Pack, Pack] | undefined {
  let widest = -1;
  pack.valueIndexes.forEach((v, k) => {
    if (v.length > 1 && (widest < 0 || v.length > pack.valueIndexes[widest].length)) widest = k;
  });
  if (widest < 0) return undefined;
  const values = pack.valueIndexes[widest];
  const half = Math.ceil(values.length / 2);
  const make = (part: readonly number[]): Pack => ({ valueIndexes: pack.valueIndexes.map((v, k) => (k === widest ? part : v)) });
  return [make(values.slice(0, half)), make(values.slice(half))];
}

/** Number of condition values in a rule, the unit of ALB's per-rule quota. */
export function valueCount(conditions: readonly CompiledCondition[]): number {
  return conditions.reduce((n, c) => n + c.values.length, 0);
}
