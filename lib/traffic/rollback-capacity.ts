/**
 * What a Blue/Green rollback lands on when the colors scale. A color that receives 0 % scales in
 * to its `capacity.min` (target tracking on requests or CPU sees no load), so the next stage that
 * moves weight back to it (a rollback after the full switch: "green" -> "blue-split-50" or
 * "blue") meets `min` instances; the router moves that weight only once `min` are healthy
 * (wait_for_elb_capacity), and scaling adds the rest as the load arrives. `min` is therefore what
 * a rollback needs at once, and scaling never goes below it.
 *
 * The rule: a color that scales and is kept for rollback (min > 0) while the other is live has at
 * least the live color's min. A color scaled away (min 0) is not a rollback target: no stage may
 * send it weight (routed-fleets.ts). Pure: no cdktf import.
 */
import { Violations } from "../core/errors";
import { BlueGreenTraffic, Color } from "./blue-green-stage";

export interface ColorCapacity {
  readonly min: number;
  /** Whether the color has scaling (its capacity then drifts to min while it is idle). */
  readonly scales: boolean;
}

/** The smallest min the non-live color may have: the live color's min, or 0 (scaled away, no rollback). */
export function rollbackFloor(traffic: BlueGreenTraffic, colors: Readonly<Record<Color, ColorCapacity>>): number {
  return colors[traffic.live].min;
}

/**
 * Checks that the color a rollback would move weight to can take it.
 * @param field names a color's `capacity.min` in the configuration
 */
export function checkRollbackCapacity(
  v: Violations,
  field: (color: Color) => string,
  traffic: BlueGreenTraffic,
  colors: Readonly<Record<Color, ColorCapacity>>,
): void {
  const other = traffic.candidate;
  const { min, scales } = colors[other];
  if (!scales || min === 0) return;
  const floor = rollbackFloor(traffic, colors);
  v.check(
    min >= floor,
    field(other),
    min,
    `is below the live color ${traffic.live}'s min (${floor}): ${other} scales, so while it receives less than the live color it shrinks toward ${min} instances, and a rollback to it (stage "${other}" or "${other}-split-<p>") would land on them`,
    `raise fleets.${other}.capacity.min to ${floor} (what a rollback needs at once), or set it to 0 to scale ${other} away between cycles (no stage may then send it traffic)`,
  );
}
