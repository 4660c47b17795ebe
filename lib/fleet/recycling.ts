/**
 * Recycling: the platform replaces each instance after a maximum lifetime, launching the
 * replacement before it terminates the old one. This replaces host-level reboot timers
 * (one such timer, `Persistent=true` on a daily reboot, looped forever because the reboot
 * never counted as done). Pure: no cdktf import.
 */
import { Violations } from "../core/errors";

export interface FleetRecycling {
  /**
   * Days an instance may live before Auto Scaling replaces it: 1-365
   * (AWS accepts 86,400-31,536,000 seconds).
   */
  readonly maxInstanceLifetimeDays: number;
  /**
   * How far above the desired capacity the group may go while it launches replacements
   * first (110-200 % of desired); the minimum healthy share stays at 100 %.
   * @default 110 (AWS's "launch before terminating" preset)
   */
  readonly maxHealthyPercentage?: number;
}

export interface ResolvedRecycling {
  readonly maxInstanceLifetimeSeconds: number;
  readonly minHealthyPercentage: 100;
  readonly maxHealthyPercentage: number;
}

export const SECONDS_PER_DAY = 86_400;
export const MAX_INSTANCE_LIFETIME_DAYS = 365;

export function resolveRecycling(v: Violations, field: string, options: FleetRecycling | undefined): ResolvedRecycling | undefined {
  if (options === undefined) return undefined;
  const days = options.maxInstanceLifetimeDays;
  const seconds = Math.round(days * SECONDS_PER_DAY);
  v.check(
    typeof days === "number" && days >= 1 && days <= MAX_INSTANCE_LIFETIME_DAYS,
    `${field}.maxInstanceLifetimeDays`,
    days,
    `must be 1-${MAX_INSTANCE_LIFETIME_DAYS} days (AWS accepts ${SECONDS_PER_DAY}-${MAX_INSTANCE_LIFETIME_DAYS * SECONDS_PER_DAY} seconds)`,
    "give a lifetime of at least one day, e.g. 7",
  );
  const max = options.maxHealthyPercentage ?? 110;
  v.check(
    Number.isInteger(max) && max >= 110 && max <= 200,
    `${field}.maxHealthyPercentage`,
    max,
    "must be a whole percentage 110-200: above 100 so a replacement launches before its predecessor terminates, at most 200 (AWS)",
    "use 110 to replace one instance at a time, up to 200 to replace faster",
  );
  return { maxInstanceLifetimeSeconds: seconds, minHealthyPercentage: 100, maxHealthyPercentage: max };
}
