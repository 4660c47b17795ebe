/**
 * The canary sub-fleet as data: which launch settings it tries, how many instances run them,
 * and which share of the fleet's traffic they take. Each step of a canary is one configuration
 * edit and one deploy, with a person deciding between deploys and no time limit:
 * 1. add `canary` (candidate image, type or user data; a share and/or a count): the apply
 *    returns once the canary instances passed their bootstrap gate and are healthy in the
 *    canary's own target group, and only then do the listener actions that name the fleet give
 *    that target group its share of the fleet's weight;
 * 2. watch the canary's alarms and dashboard widgets (its 5xx rate, p99 latency and healthy
 *    hosts beside the rest of the fleet's);
 * 3. promote: copy the candidate settings into the fleet's own props and remove `canary`
 *    (the main launch template is updated in place; the canary's resources are destroyed),
 *    or abort: remove `canary` alone.
 * Pure: no cdktf import.
 */
import { Violations } from "../core/errors";

export interface CanaryOptions {
  /** Candidate AMI. @default - the fleet's imageId */
  readonly imageId?: string;
  /** Candidate instance type. @default - the fleet's instanceType */
  readonly instanceType?: string;
  /** Candidate user data (your part; the bootstrap gate is added as for the fleet). @default - the fleet's userData */
  readonly userData?: string;
  /**
   * Canary instances at the start (and its floor when the fleet scales), 1 up to the fleet's
   * desired capacity. @default - `sharePercent` of the fleet's desired capacity, rounded up; 1 without a share
   */
  readonly count?: number;
  /**
   * Share of the fleet's traffic (1-50 %) the canary's own target group receives: every forward
   * action that names the fleet splits the fleet's weight between its target group and the
   * canary's in this ratio. @default - the canary's share of the instances: count / (desired + count)
   */
  readonly sharePercent?: number;
}

export interface ResolvedCanary {
  readonly imageId: string;
  readonly instanceType: string;
  readonly userData?: string;
  /** Instances in the canary group at the start; min and desired of a fixed-size canary. */
  readonly count: number;
  /** Share of the fleet's traffic its target group receives, 1-50 %. */
  readonly sharePercent: number;
  /** Most canary instances: `count`, or its share of the fleet's max when the fleet scales. */
  readonly maxCount: number;
}

/** What the canary inherits from its fleet, and how the fleet checks IDs. */
export interface CanaryContext {
  readonly imageId: string;
  readonly instanceType: string;
  readonly userData?: string;
  readonly desiredCapacity: number;
  /** The fleet's max; the canary scales up to its share of it when the fleet scales. */
  readonly maxCapacity: number;
  /** Whether the fleet has scaling (target tracking is then copied to the canary). */
  readonly scales: boolean;
  readonly checkImageId: (field: string, value: string) => void;
  readonly checkInstanceType: (field: string, value: string) => void;
}

export const CANARY_SHARE_MAX_PERCENT = 50;
/**
 * How much more traffic one canary instance may carry than one instance of the rest of the
 * fleet: a canary overloaded by its share would fail for the wrong reason.
 */
export const CANARY_INSTANCE_LOAD_MAX_RATIO = 2;

/** Instances a share of the fleet amounts to: rounded up, never zero. */
export function canaryCountForShare(desiredCapacity: number, sharePercent: number): number {
  return Math.max(1, Math.ceil((desiredCapacity * sharePercent) / 100));
}

export function resolveCanary(
  v: Violations,
  field: string,
  options: CanaryOptions | undefined,
  context: CanaryContext,
): ResolvedCanary | undefined {
  if (options === undefined) return undefined;
  if (options.imageId !== undefined) context.checkImageId(`${field}.imageId`, options.imageId);
  if (options.instanceType !== undefined) context.checkInstanceType(`${field}.instanceType`, options.instanceType);
  const candidate = {
    imageId: options.imageId ?? context.imageId,
    instanceType: options.instanceType ?? context.instanceType,
    userData: options.userData ?? context.userData,
  };
  v.check(
    candidate.imageId !== context.imageId || candidate.instanceType !== context.instanceType || candidate.userData !== context.userData,
    field,
    options,
    "tries nothing new: its image, instance type and user data all equal the fleet's",
    "set at least one of canary.imageId, canary.instanceType and canary.userData to the candidate value",
  );

  const base = Math.max(1, context.desiredCapacity);
  const share = options.sharePercent;
  if (share !== undefined) {
    v.check(
      typeof share === "number" && Number.isFinite(share) && share >= 1 && share <= CANARY_SHARE_MAX_PERCENT,
      `${field}.sharePercent`,
      share,
      `must be 1-${CANARY_SHARE_MAX_PERCENT} %: a canary is a small part of the fleet`,
      "use a Blue/Green layout to move a whole fleet, or lower the share",
    );
  }
  const count = options.count ?? (share !== undefined ? canaryCountForShare(context.desiredCapacity, share) : 1);
  if (options.count !== undefined) {
    v.check(
      Number.isInteger(count) && count >= 1 && count <= base,
      `${field}.count`,
      count,
      `must be a whole number from 1 to the fleet's desired capacity (${base})`,
      "use a Blue/Green layout to run a second fleet of full size, or lower the count",
    );
  }
  const sharePercent = share ?? Math.min(CANARY_SHARE_MAX_PERCENT, Math.max(1, Math.round((100 * count) / (base + count))));
  if (share !== undefined && options.count !== undefined && Number.isInteger(count) && count >= 1) {
    const perCanary = sharePercent / count;
    const perMain = (100 - sharePercent) / base;
    v.check(
      perCanary <= CANARY_INSTANCE_LOAD_MAX_RATIO * perMain,
      `${field}.sharePercent`,
      share,
      `gives each of the ${count} canary instance(s) ${perCanary.toFixed(1)} % of the fleet's traffic, more than ${CANARY_INSTANCE_LOAD_MAX_RATIO}x what each of the fleet's ${base} other instances carries (${perMain.toFixed(1)} %): an overloaded canary fails for the wrong reason`,
      "raise canary.count, or lower canary.sharePercent",
    );
  }
  const maxCount = context.scales ? Math.max(count, Math.ceil((context.maxCapacity * sharePercent) / 100)) : count;
  return { ...candidate, count, sharePercent, maxCount };
}
