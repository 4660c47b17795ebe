/**
 * The canary sub-fleet: a small second Auto Scaling group in the fleet's own target group,
 * launched from a candidate launch template, with its own alarms. Everything it creates sits
 * under the fleet's `Canary` construct, so removing the `canary` option destroys exactly
 * these resources and leaves every address of the main fleet unchanged.
 */
import { Construct } from "constructs";
import { fleetAlarmDefaults } from "./fleet-alarms";
import { AutoscalingGroup, CloudwatchMetricAlarm, IamRole, LaunchTemplate } from "../aws/resources";
import { FLEET_NAME_SUFFIXES, ResolvedFleetProps } from "./app-server-group-props";
import { ResolvedCanary } from "./canary";
import { newFleetAutoScalingGroup } from "./fleet-auto-scaling-group";
import { newFleetLaunchTemplate } from "./fleet-launch-template";
import { LifecycleActions } from "./lifecycle-actions";
import { bootstrapHook } from "./bootstrap-gate";
import { instanceUserData } from "./rollouts";

export interface CanaryFleetProps {
  readonly fleet: ResolvedFleetProps;
  readonly canary: ResolvedCanary;
  readonly targetGroupArn: string;
  readonly securityGroupId: string;
  readonly instanceProfileArn: string;
  readonly instanceRole: IamRole;
  readonly partition: string;
  /** Needed when the bootstrap gate is on. */
  readonly region?: string;
  readonly tags: Record<string, string>;
}

/** Canary alarm names, derived from the fleet's qualified name alone. */
export function canaryAlarmNames(qualifiedName: string) {
  return {
    inServiceBelowCount: `${qualifiedName}-canary-in-service-below-count`,
    statusCheckFailed: `${qualifiedName}-canary-status-check-failed`,
  } as const;
}

export class CanaryFleet extends Construct {
  readonly launchTemplate: LaunchTemplate;
  readonly autoScalingGroup: AutoscalingGroup;
  readonly autoScalingGroupName: string;
  readonly alarms: readonly CloudwatchMetricAlarm[];
  /** Alarm names, in a stable order. */
  readonly alarmNames: readonly string[];

  constructor(scope: Construct, id: string, props: CanaryFleetProps) {
    super(scope, id);
    const { fleet, canary } = props;
    const q = fleet.qualifiedName;
    this.autoScalingGroupName = `${q}${FLEET_NAME_SUFFIXES.canaryAutoScalingGroup}`;
    const tags = { ...props.tags, Canary: "true" };

    this.launchTemplate = newFleetLaunchTemplate(this, "LaunchTemplate", {
      name: `${q}${FLEET_NAME_SUFFIXES.canaryLaunchTemplate}`,
      description: `Candidate launch settings tried by the canary of ${q}`,
      fleet,
      imageId: canary.imageId,
      instanceType: canary.instanceType,
      userData: instanceUserData(fleet.rollouts, canary.userData, this.autoScalingGroupName),
      instanceProfileArn: props.instanceProfileArn,
      securityGroupId: props.securityGroupId,
      nameTag: `${q}-canary`,
      tags,
    });

    const gate = fleet.rollouts.bootstrapGate;
    const lifecycle =
      gate && props.region
        ? new LifecycleActions(this, "LifecycleActions", {
            role: props.instanceRole,
            partition: props.partition,
            region: props.region,
            autoScalingGroupName: this.autoScalingGroupName,
            hooks: [bootstrapHook(gate)],
          })
        : undefined;

    this.autoScalingGroup = newFleetAutoScalingGroup(this, "AutoScalingGroup", {
      name: this.autoScalingGroupName,
      fleet,
      capacity: { min: canary.count, max: canary.count, desired: canary.count },
      launchTemplate: this.launchTemplate,
      targetGroupArn: props.targetGroupArn,
      lifecycle,
      nameTag: `${q}-canary`,
      tags,
    });

    const names = canaryAlarmNames(q);
    const common = { ...fleetAlarmDefaults(fleet, tags), dimensions: { AutoScalingGroupName: this.autoScalingGroup.name } };
    // The canary shares the fleet's target group, so load balancer metrics cannot tell its
    // instances apart; its own signals come from its group and its instances.
    this.alarms = [
      new CloudwatchMetricAlarm(this, "InServiceBelowCount", {
        ...common,
        alarmName: names.inServiceBelowCount,
        alarmDescription: `${fleet.name} canary: fewer than ${canary.count} candidate instances in service`,
        namespace: "AWS/AutoScaling",
        metricName: "GroupInServiceInstances",
        statistic: "Minimum",
        comparisonOperator: "LessThanThreshold",
        threshold: canary.count,
        treatMissingData: "breaching",
      }),
      new CloudwatchMetricAlarm(this, "StatusCheckFailed", {
        ...common,
        alarmName: names.statusCheckFailed,
        alarmDescription: `${fleet.name} canary: a candidate instance fails its EC2 status checks`,
        namespace: "AWS/EC2",
        metricName: "StatusCheckFailed",
        statistic: "Maximum",
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        treatMissingData: "notBreaching",
      }),
    ];
    this.alarmNames = [names.inServiceBelowCount, names.statusCheckFailed];
  }
}
