/**
 * Target group weights of a forward action whose fleets may split their weight between several
 * target groups (a fleet and its canary). Pure: no cdktf import.
 *
 * A fleet of weight w whose canary takes p % becomes two target groups of weights w * (100 - p)
 * and w * p (relative to the other fleets' w * 100). ALB takes whole weights 0-999
 * (TargetGroupTuple), so the exact shares are scaled by the smallest factor that makes them all
 * whole within 999 (9:1 with a 10 % canary on the second fleet: 90, 9, 1), and only when no
 * factor fits, scaled to 999 and rounded (each non-zero share keeping at least 1).
 * A forward whose fleets have one target group each keeps its weights exactly as compiled.
 */

/** One of a fleet's target groups and its share of the fleet's weight (a fleet's shares sum to 100). */
export interface TargetGroupShare<K> {
  readonly key: K;
  readonly sharePercent: number;
}

export interface WeightedTargetGroups<K> {
  readonly weight: number;
  readonly groups: readonly TargetGroupShare<K>[];
}

export const MAX_TARGET_GROUP_WEIGHT = 999;
const EPSILON = 1e-9;

/** Whole weights per target group, in the order the fleets and their groups are given. */
export function splitForwardWeights<K>(targets: readonly WeightedTargetGroups<K>[]): { readonly key: K; readonly weight: number }[] {
  if (targets.every((t) => t.groups.length === 1)) return targets.map((t) => ({ key: t.groups[0].key, weight: t.weight }));
  const exact = targets.flatMap((t) => t.groups.map((g) => ({ key: g.key, value: (t.weight * g.sharePercent) / 100 })));
  const largest = Math.max(...exact.map((e) => e.value));
  if (largest <= 0) return exact.map((e) => ({ key: e.key, weight: 0 }));
  for (let factor = 1; largest * factor <= MAX_TARGET_GROUP_WEIGHT + EPSILON; factor++) {
    const scaled = exact.map((e) => e.value * factor);
    if (scaled.every((x) => Math.abs(x - Math.round(x)) < EPSILON))
      return exact.map((e, i) => ({ key: e.key, weight: Math.round(scaled[i]) }));
  }
  const scale = MAX_TARGET_GROUP_WEIGHT / largest;
  return exact.map((e) => ({ key: e.key, weight: e.value > 0 ? Math.max(1, Math.round(e.value * scale)) : 0 }));
}

/** Target groups a forward lists for these fleets: each fleet's count, 1 when it does not say. */
export function targetGroupsOf(fleets: readonly { readonly targetGroupCount?: number }[]): number {
  return fleets.reduce((sum, f) => sum + (f.targetGroupCount ?? 1), 0);
}
