/**
 * The canary sub-fleet as data: which launch settings it tries and how many instances run
 * them. Each step of a canary is one configuration edit and one deploy, with a person
 * deciding between deploys and no time limit:
 * 1. add `canary` (candidate image, type or user data; a count or a share): the apply
 *    returns once the canary instances passed their bootstrap gate and are healthy in the
 *    fleet's target group, where they take their share of the fleet's traffic;
 * 2. watch the canary's alarms and the fleet's;
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
  /** Canary instances, 1 up to the fleet's desired capacity. Exclusive with `share`. @default 1 */
  readonly count?: number;
  /**
   * Canary size as a share of the fleet's desired capacity (1-50 %), rounded up to at least
   * one instance. Exclusive with `count`. @default - `count`
   */
  readonly sharePercent?: number;
}

export interface ResolvedCanary {
  readonly imageId: string;
  readonly instanceType: string;
  readonly userData?: string;
  /** Instances in the canary group (min = desired = max). */
  readonly count: number;
}

/** What the canary inherits from its fleet, and how the fleet checks IDs. */
export interface CanaryContext {
  readonly imageId: string;
  readonly instanceType: string;
  readonly userData?: string;
  readonly desiredCapacity: number;
  readonly checkImageId: (field: string, value: string) => void;
  readonly checkInstanceType: (field: string, value: string) => void;
}

export const CANARY_SHARE_MAX_PERCENT = 50;

/** Instances a share of the fleet amounts to: rounded up, never zero. */
export function canaryCountForShare(desiredCapacity: number, sharePercent: number): number {
  return Math.max(1, Math.ceil((desiredCapacity * sharePercent) / 100));
}

export function resolveCanary(v: Violations, field: string, options: CanaryOptions | undefined, context: CanaryContext): ResolvedCanary | undefined {
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

  let count = options.count ?? 1;
  if (options.sharePercent !== undefined) {
    const share = options.sharePercent;
    v.check(options.count === undefined, `${field}.count`, options.count, "cannot be combined with sharePercent", "give either count or sharePercent");
    v.check(
      typeof share === "number" && share >= 1 && share <= CANARY_SHARE_MAX_PERCENT,
      `${field}.sharePercent`,
      share,
      `must be 1-${CANARY_SHARE_MAX_PERCENT} %: a canary is a small part of the fleet`,
      "use a Blue/Green layout to move a whole fleet, or lower the share",
    );
    count = canaryCountForShare(context.desiredCapacity, share);
  } else {
    const limit = Math.max(1, context.desiredCapacity);
    v.check(
      Number.isInteger(count) && count >= 1 && count <= limit,
      `${field}.count`,
      count,
      `must be a whole number from 1 to the fleet's desired capacity (${limit})`,
      "use a Blue/Green layout to run a second fleet of full size, or lower the count",
    );
  }
  return { ...candidate, count };
}
