/**
 * A mixed instances policy: several instance types, and Spot capacity above an On-Demand base.
 *
 * The defaults are the cautious reading of "I want Spot": nothing runs on Spot until
 * `onDemandPercentageAboveBaseCapacity` says so (AWS's own default, 100, is all On-Demand), and
 * the On-Demand base defaults to `capacity.min`, the floor the router relies on (a fleet's
 * guaranteed capacity; see AppServerGroup.trafficGate), so a Spot interruption never takes the
 * fleet below it. Capacity rebalancing (replace a Spot instance AWS flags at elevated risk before
 * it is interrupted) is on whenever Spot is used.
 *
 * Interplay, checked in app-server-group-props.ts and documented in the README:
 * - the launch template is still pinned to its `latest_version`, now inside the policy, so a
 *   new AMI still changes the group (and instance refresh, when on, still replaces instances:
 *   the provider starts a refresh when `mixed_instances_policy` changes);
 * - the canary keeps its own group and template, On-Demand only, so a Spot interruption never
 *   reads as a failure of the candidate;
 * - no warm pool (AWS refuses PutWarmPool for a group with a mixed instances policy) and no Spot
 *   on a stateful fleet (a two-minute interruption notice is not a drain).
 * Pure: no cdktf import.
 */
import { Violations } from "../core/errors";

/**
 * How Auto Scaling picks Spot capacity (InstancesDistribution.SpotAllocationStrategy).
 * "price-capacity-optimized" is what AWS recommends for most workloads; "capacity-optimized-prioritized"
 * follows the order of `instanceTypes`; "lowest-price" risks the most interruptions.
 */
export const SPOT_ALLOCATION_STRATEGIES = [
  "price-capacity-optimized",
  "capacity-optimized",
  "capacity-optimized-prioritized",
  "lowest-price",
] as const;
export type SpotAllocationStrategy = (typeof SPOT_ALLOCATION_STRATEGIES)[number];

/** AWS's limit on the instance types of one Auto Scaling group (launch template overrides). */
export const MAX_INSTANCE_TYPES = 40;

export interface MixedInstancesOptions {
  /**
   * Instance types the group may launch, in priority order (On-Demand capacity is launched in
   * this order). Must include the fleet's `instanceType`, and all types must run the fleet's AMI
   * (one CPU architecture). At most 40.
   * @default - the fleet's instanceType alone
   */
  readonly instanceTypes?: readonly string[];
  /**
   * Instances that are always On-Demand, whatever the percentage (0 to capacity.max).
   * @default - capacity.min: the fleet's guaranteed floor never runs on Spot
   */
  readonly onDemandBaseCapacity?: number;
  /**
   * Share of the instances above the base that are On-Demand (0-100); the rest are Spot.
   * 100 means no Spot at all; 0 means every instance above the base is Spot.
   * @default 100
   */
  readonly onDemandPercentageAboveBaseCapacity?: number;
  /** How Spot capacity is chosen. @default "price-capacity-optimized" */
  readonly spotAllocationStrategy?: SpotAllocationStrategy;
  /**
   * Launch a replacement for a Spot instance that AWS flags at elevated risk of interruption,
   * before the interruption (Capacity Rebalancing). Only meaningful with Spot.
   * @default - true when the policy uses Spot, false otherwise
   */
  readonly capacityRebalance?: boolean;
}

export interface ResolvedMixedInstances {
  readonly instanceTypes: readonly string[];
  readonly onDemandBaseCapacity: number;
  readonly onDemandPercentageAboveBaseCapacity: number;
  readonly spotAllocationStrategy: SpotAllocationStrategy;
  readonly capacityRebalance: boolean;
  /** True when some instances may run on Spot. */
  readonly usesSpot: boolean;
}

export interface MixedInstancesContext {
  readonly instanceType: string;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Checks one instance type's format (the fleet's own rule). */
  readonly checkInstanceType: (field: string, value: string) => void;
}

/**
 * Graviton (arm64) families: `a1`, and a `g` right after the generation digit (t4g, m7gd, c7gn,
 * im4gn, x2gd, g5g). Everything else runs x86_64. One AMI runs on one architecture.
 */
export function instanceArchitecture(instanceType: string): "arm64" | "x86_64" {
  const family = instanceType.split(".")[0];
  return family === "a1" || /^[a-z]+\d+g/.test(family) ? "arm64" : "x86_64";
}

export function resolveMixedInstances(
  v: Violations,
  field: string,
  options: MixedInstancesOptions | undefined,
  context: MixedInstancesContext,
): ResolvedMixedInstances | undefined {
  if (options === undefined) return undefined;
  const instanceTypes = options.instanceTypes ?? [context.instanceType];
  const typesField = `${field}.instanceTypes`;
  v.check(
    instanceTypes.length >= 1 && instanceTypes.length <= MAX_INSTANCE_TYPES,
    typesField,
    instanceTypes,
    `lists ${instanceTypes.length} instance types; an Auto Scaling group takes 1-${MAX_INSTANCE_TYPES}`,
    instanceTypes.length === 0
      ? "list at least the fleet's instanceType, or leave the field out"
      : `keep the ${MAX_INSTANCE_TYPES} types you prefer`,
  );
  instanceTypes.forEach((type, i) => context.checkInstanceType(`${typesField}[${i}]`, type));
  v.check(
    new Set(instanceTypes).size === instanceTypes.length,
    typesField,
    instanceTypes,
    "lists an instance type twice",
    "list each type once",
  );
  v.check(
    instanceTypes.length === 0 || instanceTypes.includes(context.instanceType),
    typesField,
    instanceTypes,
    `does not include the fleet's instanceType ("${context.instanceType}"), which the launch template names; the group would never launch it`,
    `add "${context.instanceType}" (first, if it is your preferred type), or change instanceType to one of the listed types`,
  );
  const architectures = new Set(instanceTypes.map(instanceArchitecture));
  v.check(
    architectures.size <= 1,
    typesField,
    instanceTypes,
    `mixes arm64 (Graviton) and x86_64 types (${instanceTypes.map((t) => `${t}: ${instanceArchitecture(t)}`).join(", ")}); the fleet's one AMI runs on one architecture`,
    "list types of the AMI's architecture only, or run the other architecture as its own fleet with its own AMI",
  );

  const base = options.onDemandBaseCapacity ?? context.minCapacity;
  v.check(
    Number.isInteger(base) && base >= 0 && base <= context.maxCapacity,
    `${field}.onDemandBaseCapacity`,
    base,
    `must be a whole number from 0 to capacity.max (${context.maxCapacity})`,
    `give the instances that must never run on Spot, e.g. capacity.min (${context.minCapacity})`,
  );
  const percentage = options.onDemandPercentageAboveBaseCapacity ?? 100;
  v.check(
    Number.isInteger(percentage) && percentage >= 0 && percentage <= 100,
    `${field}.onDemandPercentageAboveBaseCapacity`,
    percentage,
    "must be a whole percentage 0-100 (the On-Demand share above the base; the rest is Spot)",
    "use 0 for Spot above the base, 100 for no Spot, or a share in between",
  );
  const strategy = options.spotAllocationStrategy ?? "price-capacity-optimized";
  v.check(
    (SPOT_ALLOCATION_STRATEGIES as readonly string[]).includes(strategy),
    `${field}.spotAllocationStrategy`,
    strategy,
    `must be one of ${SPOT_ALLOCATION_STRATEGIES.map((s) => `"${s}"`).join(", ")}`,
    'use "price-capacity-optimized" (AWS\'s recommendation)',
  );
  // Spot is used when some instance above the base may be Spot: the group can grow past the base.
  const usesSpot = percentage < 100 && base < context.maxCapacity;
  if (options.capacityRebalance === true) {
    v.check(
      usesSpot,
      `${field}.capacityRebalance`,
      true,
      `has nothing to rebalance: no instance runs on Spot (onDemandPercentageAboveBaseCapacity ${percentage}, onDemandBaseCapacity ${base} of at most ${context.maxCapacity})`,
      "lower onDemandPercentageAboveBaseCapacity to use Spot, or remove capacityRebalance",
    );
  }
  return {
    instanceTypes: [...instanceTypes],
    onDemandBaseCapacity: base,
    onDemandPercentageAboveBaseCapacity: percentage,
    spotAllocationStrategy: strategy,
    capacityRebalance: options.capacityRebalance ?? usesSpot,
    usesSpot,
  };
}

/**
 * The group's `mixed_instances_policy` block (camelCase, as the provider binding takes it), with
 * the launch template pinned to a concrete version: `$Latest` would never change the group in
 * Terraform, so a new AMI would reach no instance.
 */
export function mixedInstancesPolicyBlock(
  policy: ResolvedMixedInstances,
  launchTemplate: { readonly id: string; readonly version: string },
) {
  return {
    instancesDistribution: {
      onDemandBaseCapacity: policy.onDemandBaseCapacity,
      onDemandPercentageAboveBaseCapacity: policy.onDemandPercentageAboveBaseCapacity,
      // "prioritized": On-Demand capacity follows the order of instanceTypes (AWS's default for it).
      onDemandAllocationStrategy: "prioritized",
      spotAllocationStrategy: policy.spotAllocationStrategy,
    },
    launchTemplate: {
      launchTemplateSpecification: { launchTemplateId: launchTemplate.id, version: launchTemplate.version },
      override: policy.instanceTypes.map((instanceType) => ({ instanceType })),
    },
  };
}
