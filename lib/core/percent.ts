/**
 * Weights as percentages: the one place that turns a forward action's weights into shares, and
 * a share into what people read. Pure: no cdktf import.
 *
 * ALB sends each target group weight / (sum of weights) of the requests (weights 0-999; "Target
 * group weights", ALB listener docs), so a share is exact arithmetic; only display rounds, to one
 * decimal, the same way everywhere (table, explain, stack outputs, CLI).
 */

/** Exact percent of each weight in the total; all zeros when the total is 0 (nothing is sent). */
export function weightsToPercents(weights: readonly number[]): number[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  return weights.map((w) => (total > 0 ? (w * 100) / total : 0));
}

/** A percent rounded to one decimal, as every view shows it: 33.333... -> 33.3, 50 -> 50. */
export function roundPercent(percent: number): number {
  return Math.round(percent * 10) / 10;
}

/** A percent as text: `"33.3%"`, `"50%"`. */
export function formatPercent(percent: number): string {
  return `${roundPercent(percent)}%`;
}
