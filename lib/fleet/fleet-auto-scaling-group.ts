/** The Auto Scaling group of a fleet or of its canary, with the rollout options applied. */
import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { AutoscalingGroup, LaunchTemplate } from "../aws/resources";
import { ResolvedFleetProps } from "./app-server-group-props";
import { instanceRefreshBlock } from "./instance-refresh";
import { LifecycleActions } from "./lifecycle-actions";
import { mixedInstancesPolicyBlock, ResolvedMixedInstances } from "./mixed-instances";
import { ResolvedWarmPool, WARM_POOL_GROUP_METRICS, warmPoolBlock } from "./warm-pool";

/** Group metrics the alarms and the dashboard read. */
export const GROUP_METRICS = [
  "GroupMinSize",
  "GroupMaxSize",
  "GroupDesiredCapacity",
  "GroupInServiceInstances",
  "GroupPendingInstances",
  "GroupTerminatingInstances",
  "GroupTotalInstances",
];

export interface FleetAutoScalingGroupProps {
  readonly name: string;
  readonly fleet: ResolvedFleetProps;
  readonly capacity: { readonly min: number; readonly max: number; readonly desired: number };
  /**
   * Whether scaling policies decide the instance count: the group then leaves `desired_capacity`
   * to them (see scaling.ts) and an apply waits for `min` healthy instances instead of desired.
   */
  readonly scales: boolean;
  readonly launchTemplate: LaunchTemplate;
  readonly targetGroupArn: string;
  /** Hooks and the permission to answer them; the group waits for the permission. */
  readonly lifecycle?: LifecycleActions;
  /** Destroy the group only after the listener actions stop sending to its target group (see fleet-target-group.ts). @default false */
  readonly destroyAfterDependents?: boolean;
  /** Further resources the group's first instances need before they boot (their other permissions). @default - none */
  readonly dependsOn?: readonly ITerraformDependable[];
  /** Alarm names that stop an instance refresh; no refresh block without them. */
  readonly instanceRefreshAlarmNames?: readonly string[];
  /**
   * Several instance types and Spot above an On-Demand base (the main group only: the canary
   * runs its candidate On-Demand, on its own template). @default - the launch template alone
   */
  readonly mixedInstances?: ResolvedMixedInstances;
  /** Instances bootstrapped ahead of need (the main group only). @default - none */
  readonly warmPool?: ResolvedWarmPool;
  readonly nameTag: string;
  readonly tags: Record<string, string>;
}

export function newFleetAutoScalingGroup(scope: Construct, id: string, props: FleetAutoScalingGroupProps): AutoscalingGroup {
  const { fleet } = props;
  const { recycling, stateful, instanceRefresh } = fleet.rollouts;
  // Pinned to a concrete version: "$Latest" would never trigger a change in Terraform. With a
  // mixed instances policy the same pinned template sits inside the policy (the two are exclusive).
  const template = { id: props.launchTemplate.id, version: props.launchTemplate.latestVersion.toString() };
  const mixed = props.mixedInstances;
  const group = new AutoscalingGroup(scope, id, {
    name: props.name,
    minSize: props.capacity.min,
    maxSize: props.capacity.max,
    // Left out while scaling is on: the attribute is optional and computed, so Terraform then
    // neither sets nor resets it, and every deploy keeps the count the policies chose.
    desiredCapacity: props.scales ? undefined : props.capacity.desired,
    vpcZoneIdentifier: [...fleet.subnetIds],
    launchTemplate: mixed ? undefined : template,
    mixedInstancesPolicy: mixed ? mixedInstancesPolicyBlock(mixed, template) : undefined,
    capacityRebalance: mixed ? mixed.capacityRebalance : undefined,
    warmPool: props.warmPool ? warmPoolBlock(props.warmPool) : undefined,
    healthCheckType: "ELB",
    healthCheckGracePeriod: fleet.healthCheckGracePeriodSeconds,
    // Bound inline: a separate attachment resource fights this list and has detached live fleets.
    targetGroupArns: [props.targetGroupArn],
    // An apply returns only when at least this many instances are healthy behind the target
    // group (the provider's "Waiting for Capacity": it waits for haveELB >= wantELB): desired for
    // a fixed-size group; min for one that scales, whose desired count the policies decide.
    waitForElbCapacity: props.scales ? props.capacity.min : props.capacity.desired,
    waitForCapacityTimeout: `${fleet.capacityTimeoutSeconds}s`,
    enabledMetrics: props.warmPool ? [...GROUP_METRICS, ...WARM_POOL_GROUP_METRICS] : GROUP_METRICS,
    metricsGranularity: "1Minute",
    terminationPolicies: ["OldestLaunchTemplate", "OldestInstance"],
    initialLifecycleHook: props.lifecycle?.initialLifecycleHooks,
    maxInstanceLifetime: recycling?.maxInstanceLifetimeSeconds,
    instanceMaintenancePolicy: recycling
      ? { minHealthyPercentage: recycling.minHealthyPercentage, maxHealthyPercentage: recycling.maxHealthyPercentage }
      : undefined,
    instanceRefresh:
      instanceRefresh && props.instanceRefreshAlarmNames
        ? instanceRefreshBlock(instanceRefresh, props.instanceRefreshAlarmNames, stateful !== undefined)
        : undefined,
    protectFromScaleIn: stateful ? true : undefined,
    tag: Object.entries({ ...props.tags, Name: props.nameTag }).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
    dependsOn:
      props.lifecycle || props.dependsOn?.length
        ? [...(props.lifecycle ? [props.lifecycle.policy] : []), ...(props.dependsOn ?? [])]
        : undefined,
    lifecycle: {
      // Always ignored, whether or not hooks are set today: provider 5.x replaces the group
      // when this block changes, and `LifecycleActions` carries hook changes in place instead.
      ignoreChanges: ["initial_lifecycle_hook"],
      preventDestroy: stateful ? true : undefined,
      createBeforeDestroy: props.destroyAfterDependents ? true : undefined,
    },
  });
  props.lifecycle?.manage(group);
  return group;
}
