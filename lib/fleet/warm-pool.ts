/**
 * A warm pool: instances launched and bootstrapped ahead of need, kept Stopped, Running or
 * Hibernated beside the group, and moved into it on scale-out instead of booting from scratch.
 *
 * The bootstrap gate still decides when an instance may take traffic. With a warm pool the
 * launch lifecycle hook fires twice for one instance ("Use lifecycle hooks with a warm pool",
 * EC2 Auto Scaling User Guide): at `Warmed:Pending:Wait`, when it launches into the pool, and
 * at `Pending:Wait`, when it leaves the pool for the group. The gate answers the first after the
 * bootstrap (cloud-init, then the readiness check) without treating the instance as in service,
 * and checks readiness again before answering the second (bootstrap-gate.ts, `warmPool` mode).
 * Without the gate, AWS stops a warming instance as soon as it launches, interrupting its user
 * data, so a warm pool requires the gate.
 *
 * AWS refuses a warm pool on a group with a mixed instances policy or Spot instances
 * (PutWarmPool, Amazon EC2 Auto Scaling API Reference); a stateful fleet is refused here: it does
 * not scale, and an instance returned to the pool on scale-in would skip its drain handler,
 * which waits for `Terminated`. Pure: no cdktf import.
 */
import { Violations } from "../core/errors";

/** The state warmed instances wait in (WarmPoolConfiguration.PoolState). */
export const WARM_POOL_STATES = ["Stopped", "Running", "Hibernated"] as const;
export type WarmPoolState = (typeof WARM_POOL_STATES)[number];

/** Group metrics of the warm pool (EnableMetricsCollection), collected when the fleet has one. */
export const WARM_POOL_GROUP_METRICS = [
  "WarmPoolDesiredCapacity",
  "WarmPoolWarmedCapacity",
  "WarmPoolPendingCapacity",
  "WarmPoolTerminatingCapacity",
  "WarmPoolTotalCapacity",
  "GroupAndWarmPoolDesiredCapacity",
  "GroupAndWarmPoolTotalCapacity",
] as const;

export interface WarmPoolOptions {
  /**
   * What warmed instances do while they wait: "Stopped" (pay for their volumes only),
   * "Running" (pay for the instances, fastest), or "Hibernated" (memory kept on the encrypted
   * root volume: the instance type must support hibernation and the root volume must hold its RAM).
   * @default "Stopped"
   */
  readonly poolState?: WarmPoolState;
  /** Instances kept in the pool at least, whatever the group's size. @default 0 */
  readonly minSize?: number;
  /**
   * Instances allowed in the group and the pool together; the pool holds this less the group's
   * desired count (at least `minSize`). At least capacity.min.
   * @default - the group's capacity.max
   */
  readonly maxGroupPreparedCapacity?: number;
  /** Return instances to the pool on scale-in instead of terminating them. @default false */
  readonly reuseOnScaleIn?: boolean;
}

export interface ResolvedWarmPool {
  readonly poolState: WarmPoolState;
  readonly minSize: number;
  readonly maxGroupPreparedCapacity?: number;
  readonly reuseOnScaleIn: boolean;
}

export interface WarmPoolContext {
  readonly minCapacity: number;
}

export function resolveWarmPool(
  v: Violations,
  field: string,
  options: WarmPoolOptions | undefined,
  context: WarmPoolContext,
): ResolvedWarmPool | undefined {
  if (options === undefined) return undefined;
  const poolState = options.poolState ?? "Stopped";
  v.check(
    (WARM_POOL_STATES as readonly string[]).includes(poolState),
    `${field}.poolState`,
    poolState,
    `must be ${WARM_POOL_STATES.map((s) => `"${s}"`).join(", ")}`,
    'use "Stopped" (the cheapest) unless the app needs its memory kept',
  );
  const minSize = options.minSize ?? 0;
  v.check(
    Number.isInteger(minSize) && minSize >= 0,
    `${field}.minSize`,
    minSize,
    "must be a whole number >= 0",
    "give the instances the pool keeps at least, e.g. 1",
  );
  const prepared = options.maxGroupPreparedCapacity;
  if (prepared !== undefined) {
    v.check(
      Number.isInteger(prepared) && prepared >= context.minCapacity && prepared >= minSize,
      `${field}.maxGroupPreparedCapacity`,
      prepared,
      `must be a whole number >= capacity.min (${context.minCapacity}) and >= warmPool.minSize (${minSize}); below them the pool never holds more than minSize`,
      "leave it out (the group's max), or give the instances the group and the pool may hold together",
    );
  }
  return { poolState, minSize, maxGroupPreparedCapacity: prepared, reuseOnScaleIn: options.reuseOnScaleIn ?? false };
}

/** The group's `warm_pool` block (camelCase, as the provider binding takes it). */
export function warmPoolBlock(pool: ResolvedWarmPool) {
  return {
    poolState: pool.poolState,
    minSize: pool.minSize,
    maxGroupPreparedCapacity: pool.maxGroupPreparedCapacity,
    instanceReusePolicy: { reuseOnScaleIn: pool.reuseOnScaleIn },
  };
}
