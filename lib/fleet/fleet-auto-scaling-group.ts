/** The Auto Scaling group of a fleet or of its canary, with the rollout options applied. */
import { Construct } from "constructs";
import { AutoscalingGroup, LaunchTemplate } from "../aws/resources";
import { ResolvedFleetProps } from "./app-server-group-props";
import { instanceRefreshBlock } from "./instance-refresh";
import { LifecycleActions } from "./lifecycle-actions";

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
  readonly launchTemplate: LaunchTemplate;
  readonly targetGroupArn: string;
  /** Hooks and the permission to answer them; the group waits for the permission. */
  readonly lifecycle?: LifecycleActions;
  /** Alarm names that stop an instance refresh; no refresh block without them. */
  readonly instanceRefreshAlarmNames?: readonly string[];
  readonly nameTag: string;
  readonly tags: Record<string, string>;
}

export function newFleetAutoScalingGroup(scope: Construct, id: string, props: FleetAutoScalingGroupProps): AutoscalingGroup {
  const { fleet } = props;
  const { recycling, stateful, instanceRefresh } = fleet.rollouts;
  const group = new AutoscalingGroup(scope, id, {
    name: props.name,
    minSize: props.capacity.min,
    maxSize: props.capacity.max,
    desiredCapacity: props.capacity.desired,
    vpcZoneIdentifier: [...fleet.subnetIds],
    // Pinned to a concrete version: "$Latest" would never trigger a change in Terraform.
    launchTemplate: { id: props.launchTemplate.id, version: props.launchTemplate.latestVersion.toString() },
    healthCheckType: "ELB",
    healthCheckGracePeriod: fleet.healthCheckGracePeriodSeconds,
    // Bound inline: a separate attachment resource fights this list and has detached live fleets.
    targetGroupArns: [props.targetGroupArn],
    // An apply returns only when this many instances are healthy behind the target group.
    waitForElbCapacity: props.capacity.desired,
    waitForCapacityTimeout: fleet.capacityTimeout,
    enabledMetrics: GROUP_METRICS,
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
    dependsOn: props.lifecycle ? [props.lifecycle.policy] : undefined,
    lifecycle: {
      // Always ignored, whether or not hooks are set today: provider 5.x replaces the group
      // when this block changes, and `LifecycleActions` carries hook changes in place instead.
      ignoreChanges: ["initial_lifecycle_hook"],
      preventDestroy: stateful ? true : undefined,
    },
  });
  props.lifecycle?.manage(group);
  return group;
}
