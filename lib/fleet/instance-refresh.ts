/**
 * Instance refresh: Auto Scaling replaces the fleet's instances after its launch template
 * changes, pausing at checkpoints and stopping when one of the fleet's alarms fires.
 *
 * The alternative to the canary, with caveats (see ROLLOUTS.md):
 * - the apply returns as soon as the refresh starts; nothing waits for it to finish
 *   (hashicorp/terraform-provider-aws#42355);
 * - the next apply that touches the group cancels a refresh still running;
 * - the provider updates the group's launch template before it starts the refresh, so an
 *   automatic rollback would "return" to the new template
 *   (hashicorp/terraform-provider-aws#34189): auto-rollback stays off here;
 * - checkpoints are timed pauses, not a person's decision: a human gate needs the canary.
 * Pure: no cdktf import.
 */
import { Violations } from "../core/errors";

export interface InstanceRefreshOptions {
  /**
   * Shares of the fleet (%, ascending, the last 100) after which the refresh pauses for
   * `checkpointDelaySeconds`. @default - no checkpoints: one pass
   */
  readonly checkpointPercentages?: readonly number[];
  /** Seconds each checkpoint pauses (0-172800). @default 3600 when checkpoints are set */
  readonly checkpointDelaySeconds?: number;
  /** Share of desired capacity that stays healthy during the refresh (0-100). @default 100 */
  readonly minHealthyPercentage?: number;
  /** Share of desired capacity the group may reach while replacing (100-200, at most min + 100). @default 110 */
  readonly maxHealthyPercentage?: number;
  /** Leave alone instances that already match the new launch template. @default true */
  readonly skipMatching?: boolean;
  /** Seconds a new instance warms up before it counts as updated. @default - the health check grace period */
  readonly instanceWarmupSeconds?: number;
}

export interface ResolvedInstanceRefresh {
  readonly checkpointPercentages?: readonly number[];
  readonly checkpointDelaySeconds?: number;
  readonly minHealthyPercentage: number;
  readonly maxHealthyPercentage: number;
  readonly skipMatching: boolean;
  readonly instanceWarmupSeconds?: number;
}

/** AWS's limit on a checkpoint's pause: two days. */
export const CHECKPOINT_DELAY_MAX_SECONDS = 172_800;

export function resolveInstanceRefresh(
  v: Violations,
  field: string,
  options: InstanceRefreshOptions | undefined,
): ResolvedInstanceRefresh | undefined {
  if (options === undefined) return undefined;
  const checkpoints = options.checkpointPercentages;
  if (checkpoints !== undefined) {
    const at = `${field}.checkpointPercentages`;
    v.check(
      checkpoints.length >= 1,
      at,
      checkpoints,
      "must list at least one percentage",
      "list percentages such as [10, 50, 100], or leave the field out",
    );
    v.check(
      checkpoints.every((p) => Number.isInteger(p) && p >= 1 && p <= 100),
      at,
      checkpoints,
      "must hold whole percentages 1-100",
      "use values such as [10, 50, 100]",
    );
    v.check(
      checkpoints.every((p, i) => i === 0 || p > checkpoints[i - 1]),
      at,
      checkpoints,
      "must be strictly ascending",
      "sort the percentages and remove duplicates",
    );
    v.check(
      checkpoints.length === 0 || checkpoints[checkpoints.length - 1] === 100,
      at,
      checkpoints,
      "must end with 100; otherwise the refresh stops after the last checkpoint and leaves the rest of the fleet on the old template",
      "append 100",
    );
  }
  const delay = options.checkpointDelaySeconds ?? (checkpoints ? 3600 : undefined);
  if (delay !== undefined) {
    v.check(
      Number.isInteger(delay) && delay >= 0 && delay <= CHECKPOINT_DELAY_MAX_SECONDS,
      `${field}.checkpointDelaySeconds`,
      delay,
      `must be a whole number of seconds 0-${CHECKPOINT_DELAY_MAX_SECONDS} (two days, AWS's limit)`,
      "give the pause between checkpoints, e.g. 3600",
    );
    v.check(
      checkpoints !== undefined,
      `${field}.checkpointDelaySeconds`,
      delay,
      "only applies with checkpointPercentages",
      "add checkpointPercentages or remove the delay",
    );
  }
  const min = options.minHealthyPercentage ?? 100;
  const max = options.maxHealthyPercentage ?? 110;
  v.check(
    Number.isInteger(min) && min >= 0 && min <= 100,
    `${field}.minHealthyPercentage`,
    min,
    "must be a whole percentage 0-100",
    "use 100 to keep full capacity while replacing",
  );
  v.check(
    Number.isInteger(max) && max >= 100 && max <= 200,
    `${field}.maxHealthyPercentage`,
    max,
    "must be a whole percentage 100-200",
    "use 110 to launch one replacement at a time",
  );
  v.check(
    max - min <= 100,
    `${field}.maxHealthyPercentage`,
    max,
    `must be at most minHealthyPercentage + 100 (${min + 100}), AWS's limit`,
    "narrow the range",
  );
  v.check(
    !(min === 100 && max === 100),
    `${field}.maxHealthyPercentage`,
    max,
    "leaves no room to replace anything when minHealthyPercentage is also 100",
    "raise maxHealthyPercentage above 100 or lower minHealthyPercentage",
  );
  if (options.instanceWarmupSeconds !== undefined) {
    v.check(
      Number.isInteger(options.instanceWarmupSeconds) && options.instanceWarmupSeconds >= 0,
      `${field}.instanceWarmupSeconds`,
      options.instanceWarmupSeconds,
      "must be a whole number of seconds >= 0",
      "give the seconds a new instance needs before it serves at full speed",
    );
  }
  return {
    checkpointPercentages: checkpoints ? [...checkpoints] : undefined,
    checkpointDelaySeconds: delay,
    minHealthyPercentage: min,
    maxHealthyPercentage: max,
    skipMatching: options.skipMatching ?? true,
    instanceWarmupSeconds: options.instanceWarmupSeconds,
  };
}

/** The `instance_refresh` block (camelCase, as the provider binding takes it). */
export function instanceRefreshBlock(refresh: ResolvedInstanceRefresh, alarmNames: readonly string[], scaleInProtected: boolean) {
  return {
    strategy: "Rolling",
    preferences: {
      checkpointPercentages: refresh.checkpointPercentages ? [...refresh.checkpointPercentages] : undefined,
      checkpointDelay: refresh.checkpointDelaySeconds === undefined ? undefined : String(refresh.checkpointDelaySeconds),
      minHealthyPercentage: refresh.minHealthyPercentage,
      maxHealthyPercentage: refresh.maxHealthyPercentage,
      skipMatching: refresh.skipMatching,
      instanceWarmup: refresh.instanceWarmupSeconds === undefined ? undefined : String(refresh.instanceWarmupSeconds),
      // See the module comment: the provider's ordering makes a rollback land on the new template.
      autoRollback: false,
      alarmSpecification: { alarms: [...alarmNames] },
      // A stateful fleet's instances are protected from scale-in: the refresh waits for a
      // person to lift the protection rather than replacing data holders on its own.
      scaleInProtectedInstances: scaleInProtected ? "Wait" : undefined,
    },
  };
}
