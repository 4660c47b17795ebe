/**
 * Statistics over benchmark samples. Pure: no process, no file, no cdktf.
 */

/** Middle value (mean of the two middle values for an even count); NaN for no samples. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Largest value; NaN for no samples. */
export function maximum(values: readonly number[]): number {
  return values.length === 0 ? NaN : Math.max(...values);
}

/** A point of a size/cost curve, e.g. (10 fleets, 0.62 s). */
export interface CostPoint {
  readonly size: number;
  readonly cost: number;
}

/** Verdict on whether cost grows linearly with size. */
export interface LinearityVerdict {
  readonly linear: boolean;
  /** Cost per unit between the last two points divided by cost per unit between the first two. */
  readonly slopeRatio: number;
  /** Cost per unit of size over the whole curve. */
  readonly perUnit: number;
}

/**
 * Decides whether cost grows linearly, by comparing the marginal cost per unit of the
 * last step with that of the first: a quadratic term makes later units dearer, so the
 * ratio rises with size. `tolerance` is the highest ratio still called linear; timing noise
 * on sub-second runs needs slack, hence 1.5 rather than 1.0.
 */
export function checkLinearity(points: readonly CostPoint[], tolerance = 1.5): LinearityVerdict {
  if (points.length < 3) throw new Error(`checkLinearity needs at least 3 points, got ${points.length}`);
  const p = [...points].sort((a, b) => a.size - b.size);
  const slope = (a: CostPoint, b: CostPoint) => (b.cost - a.cost) / (b.size - a.size);
  const first = slope(p[0], p[1]);
  const last = slope(p[p.length - 2], p[p.length - 1]);
  const perUnit = slope(p[0], p[p.length - 1]);
  // A last step that added no cost cannot be super-linear. When start-up dominates, the first step
  // can measure flat or negative (noise): compare with the whole-curve slope then, which still
  // exposes a steep last step.
  const slopeRatio = last <= 0 ? 0 : last / (first > 0 ? first : Math.max(perUnit, 1e-9));
  return { linear: slopeRatio <= tolerance, slopeRatio, perUnit };
}
