/**
 * Splits one route's match into listener rules that fit ALB's value quotas: at most 3 values per
 * condition and 5 per rule. Values of one kind are alternatives (OR), so a kind's values can be
 * spread over several rules with the same action; kinds are ANDed, so each rule carries one chunk
 * of every kind (a cross product).
 */
import { ALB_QUOTAS } from "./quotas";
import type { CompiledCondition, RouteMatch } from "./types";
import { wildcardSpecificity } from "./wildcard";
import { ROUTE_SPECIFICITY_CAP } from "./priorities";

/** One kind of condition and its values, some of which may be split into chunks. */
interface Dimension {
  /** Values grouped so that no chunk mixes groups (paths are grouped by specificity). */
  readonly groups: readonly (readonly unknown[])[];
  readonly build: (values: readonly unknown[]) => CompiledCondition;
}

export interface Pack {
  readonly conditions: readonly CompiledCondition[];
  /** Specificity of the pack's path patterns (all equal); 0 without a path condition. */
  readonly pathSpecificity: number;
  /** Whether the pack has any condition other than path-pattern. */
  readonly hasOtherConditions: boolean;
}

export type PackResult = { readonly packs: readonly Pack[] } | { readonly conditionsNeeded: number };

function dimensions(match: RouteMatch): { paths?: Dimension; others: Dimension[] } {
  const others: Dimension[] = [];
  let paths: Dimension | undefined;
  if (match.paths?.length) {
    const bySpecificity = new Map<number, string[]>();
    for (const p of match.paths) {
      const s = Math.min(wildcardSpecificity(p), ROUTE_SPECIFICITY_CAP);
      bySpecificity.set(s, [...(bySpecificity.get(s) ?? []), p]);
    }
    paths = {
      // Most specific first, so pack 0 is the route's narrowest rule.
      groups: [...bySpecificity.entries()].sort((a, b) => b[0] - a[0]).map(([, g]) => g),
      build: (values) => ({ type: "path-pattern", values: values as string[] }),
    };
  }
  if (match.hosts?.length) others.push({ groups: [match.hosts], build: (values) => ({ type: "host-header", values: values as string[] }) });
  for (const header of match.headers ?? []) {
    others.push({ groups: [header.values], build: (values) => ({ type: "http-header", name: header.name, values: values as string[] }) });
  }
  if (match.queryStrings?.length) {
    others.push({
      groups: [match.queryStrings],
      build: (values) => ({ type: "query-string", values: values as { key?: string; value: string }[] }),
    });
  }
  if (match.methods?.length) others.push({ groups: [match.methods], build: (values) => ({ type: "http-request-method", values: values as string[] }) });
  if (match.sourceIps?.length) others.push({ groups: [match.sourceIps], build: (values) => ({ type: "source-ip", values: values as string[] }) });
  return { paths, others };
}

function chunk<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

/**
 * Chooses a chunk size per dimension (1-3, sizes summing to at most `valuesPerRule`) that yields the
 * fewest rules, then emits the cross product. Deterministic: the same match always gives the same packs.
 */
export function packMatch(match: RouteMatch, valuesPerRule: number = ALB_QUOTAS.valuesPerRule): PackResult {
  const { paths, others } = dimensions(match);
  const all = paths ? [paths, ...others] : others;
  if (all.length > valuesPerRule) return { conditionsNeeded: all.length };
  const maxChunk = all.map((d) => Math.min(ALB_QUOTAS.valuesPerCondition, Math.max(...d.groups.map((g) => g.length))));

  let best: number[] | undefined;
  let bestCount = Infinity;
  const sizes: number[] = [];
  const search = (i: number, used: number): void => {
    if (i === all.length) {
      const count = all.reduce((n, d, k) => n * d.groups.reduce((m, g) => m + Math.ceil(g.length / sizes[k]), 0), 1);
      if (count < bestCount) {
        bestCount = count;
        best = [...sizes];
      }
      return;
    }
    const remainingDims = all.length - i - 1;
    for (let s = maxChunk[i]; s >= 1; s--) {
      if (used + s + remainingDims > valuesPerRule) continue;
      sizes[i] = s;
      search(i + 1, used + s);
    }
  };
  search(0, 0);

  const chunksPerDim = all.map((d, k) => d.groups.flatMap((g) => chunk(g, best![k])));
  const packs: Pack[] = [];
  const emit = (k: number, acc: CompiledCondition[], pathSpec: number): void => {
    if (k === all.length) {
      packs.push({ conditions: acc, pathSpecificity: pathSpec, hasOtherConditions: others.length > 0 });
      return;
    }
    for (const values of chunksPerDim[k]) {
      const spec = paths && k === 0 ? Math.min(wildcardSpecificity(values[0] as string), ROUTE_SPECIFICITY_CAP) : pathSpec;
      emit(k + 1, [...acc, all[k].build(values)], spec);
    }
  };
  emit(0, [], 0);
  return { packs };
}

/** Number of condition values in a rule, the unit of ALB's per-rule quota. */
export function valueCount(conditions: readonly CompiledCondition[]): number {
  return conditions.reduce((n, c) => n + c.values.length, 0);
}
