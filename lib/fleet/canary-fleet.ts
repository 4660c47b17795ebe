/**
 * The canary sub-fleet: a small second Auto Scaling group behind its own target group, launched
 * from a candidate launch template. Every listener action that names the fleet splits the
 * fleet's weight between the fleet's target group and this one (`sharePercent`), so the
 * candidate's own 5xx rate, p99 latency and healthy hosts are measured on its own target group,
 * undiluted by the rest of the fleet. Everything it creates sits under the fleet's `Canary`
 * construct, so removing the `canary` option destroys exactly these resources and leaves every
 * address of the main fleet unchanged.
 */
import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { AutoscalingGroup, CloudwatchMetricAlarm, IamRole, LaunchTemplate, LbTargetGroup } from "../aws/resources";
import { FLEET_NAME_SUFFIXES, ResolvedFleetProps } from "./app-server-group-props";
import { bootstrapHook } from "./bootstrap-gate";
import { ResolvedCanary } from "./canary";
import { fleetAlarmDefaults, newBootstrapAbandonedAlarm, newTargetGroupAlarms } from "./fleet-alarms";
import { newFleetAutoScalingGroup } from "./fleet-auto-scaling-group";
import { newFleetLaunchTemplate } from "./fleet-launch-template";
import { FleetScalingPolicies } from "./fleet-scaling";
import { newFleetTargetGroup } from "./fleet-target-group";
import { LifecycleActions } from "./lifecycle-actions";
import { instanceUserData } from "./rollouts";
import { canaryTargetTracking } from "./scaling";

export interface CanaryFleetProps {
  readonly fleet: ResolvedFleetProps;
  readonly canary: ResolvedCanary;
  /** `app/<name>/<id>`: the LoadBalancer dimension of the canary's target group metrics. */
  readonly loadBalancerArnSuffix: string;
  readonly securityGroupId: string;
  readonly instanceProfileArn: string;
  readonly instanceRole: IamRole;
  readonly partition: string;
  /** Needed when the bootstrap gate is on. */
  readonly region?: string;
  /** The fleet's own group: the canary's group is created after it (see AppServerGroup.trafficGate). */
  readonly mainAutoScalingGroup: AutoscalingGroup;
  /** Creates (in the canary's scope) the further permissions its first instances need before they boot. @default - none */
  readonly instancePermissions?: (scope: Construct, autoScalingGroupName: string) => readonly ITerraformDependable[];
  readonly tags: Record<string, string>;
}

/** Canary alarm names, derived from the fleet's qualified name alone. */
export function canaryAlarmNames(qualifiedName: string) {
  return {
    unhealthyHosts: `${qualifiedName}-canary-unhealthy-hosts`,
    target5xx: `${qualifiedName}-canary-target-5xx`,
    p99Latency: `${qualifiedName}-canary-p99-latency`,
    inServiceBelowCount: `${qualifiedName}-canary-in-service-below-count`,
    statusCheckFailed: `${qualifiedName}-canary-status-check-failed`,
    bootstrapAbandoned: `${qualifiedName}-canary-bootstrap-abandoned`,
  } as const;
}

/** 5xx per minute at which the canary's alarm fires: the fleet's threshold scaled to the canary's share, at least 1. */
export function canary5xxPerMinute(fleetThreshold: number, sharePercent: number): number {
  return Math.max(1, Math.ceil((fleetThreshold * sharePercent) / 100));
}

export class CanaryFleet extends Construct {
  readonly launchTemplate: LaunchTemplate;
  readonly autoScalingGroup: AutoscalingGroup;
  readonly autoScalingGroupName: string;
  /** The canary's own target group: listener actions give it `sharePercent` of the fleet's weight. */
  readonly targetGroup: LbTargetGroup;
  /** Share of the fleet's traffic the canary receives, 1-50 %. */
  readonly sharePercent: number;
  readonly alarms: readonly CloudwatchMetricAlarm[];
  /** Alarm names, in a stable order. */
  readonly alarmNames: readonly string[];
  /** Target tracking copied from the fleet; absent when the fleet does not scale. */
  readonly scaling?: FleetScalingPolicies;
  private readonly qualifiedName: string;

  constructor(scope: Construct, id: string, props: CanaryFleetProps) {
    super(scope, id);
    const { fleet, canary } = props;
    const q = fleet.qualifiedName;
    this.qualifiedName = q;
    this.autoScalingGroupName = `${q}${FLEET_NAME_SUFFIXES.canaryAutoScalingGroup}`;
    this.sharePercent = canary.sharePercent;
    const tags = { ...props.tags, Canary: "true" };

    // Aborting or promoting removes the canary: its group and target group go only after the
    // listener actions that split to them were updated (otherwise ResourceInUse, and requests to
    // instances that are already terminating). Neither is ever replaced in place: the canary is
    // short-lived, and its fixed names would collide with a replacement created first.
    this.targetGroup = newFleetTargetGroup(this, "TargetGroup", {
      name: `${q}${FLEET_NAME_SUFFIXES.canaryTargetGroup}`,
      fleet,
      tags,
      destroyAfterDependents: true,
    });

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

    const tracking = canaryTargetTracking(fleet.scaling);
    const scales = tracking.length > 0;
    this.autoScalingGroup = newFleetAutoScalingGroup(this, "AutoScalingGroup", {
      name: this.autoScalingGroupName,
      fleet,
      capacity: { min: canary.count, max: scales ? canary.maxCount : canary.count, desired: canary.count },
      scales,
      launchTemplate: this.launchTemplate,
      targetGroupArn: this.targetGroup.arn,
      lifecycle,
      destroyAfterDependents: true,
      // After the fleet's own group: rules that send the fleet traffic wait for the canary's
      // group, and through it for the fleet's (AppServerGroup.trafficGate).
      dependsOn: [props.mainAutoScalingGroup, ...(props.instancePermissions?.(this, this.autoScalingGroupName) ?? [])],
      nameTag: `${q}-canary`,
      tags,
    });

    if (scales) {
      this.scaling = new FleetScalingPolicies(this, "Scaling", {
        namePrefix: `${q}-canary`,
        autoScalingGroupName: this.autoScalingGroup.name,
        targetTracking: tracking,
        instanceWarmupSeconds: fleet.scaling!.instanceWarmupSeconds,
        disableScaleIn: fleet.scaling!.disableScaleIn,
        requestCountResourceLabel: `${props.loadBalancerArnSuffix}/${this.targetGroup.arnSuffix}`,
        tags,
      });
    }

    const names = canaryAlarmNames(q);
    const subject = `${fleet.name} canary`;
    const target = newTargetGroupAlarms(this, {
      fleet,
      subject,
      names,
      targetGroupArnSuffix: this.targetGroup.arnSuffix,
      loadBalancerArnSuffix: props.loadBalancerArnSuffix,
      target5xxPerMinute: canary5xxPerMinute(fleet.alarms.target5xxPerMinute, canary.sharePercent),
      tags,
    });
    const common = { ...fleetAlarmDefaults(fleet, tags), dimensions: { AutoScalingGroupName: this.autoScalingGroup.name } };
    const alarms = [
      target.unhealthyHosts,
      target.target5xx,
      target.p99Latency,
      new CloudwatchMetricAlarm(this, "InServiceBelowCount", {
        ...common,
        alarmName: names.inServiceBelowCount,
        alarmDescription: `${subject}: fewer than ${canary.count} candidate instances in service`,
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
        alarmDescription: `${subject}: a candidate instance fails its EC2 status checks`,
        namespace: "AWS/EC2",
        metricName: "StatusCheckFailed",
        statistic: "Maximum",
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        treatMissingData: "notBreaching",
      }),
    ];
    const alarmNames: string[] = [
      names.unhealthyHosts,
      names.target5xx,
      names.p99Latency,
      names.inServiceBelowCount,
      names.statusCheckFailed,
    ];
    if (gate) {
      alarms.push(
        newBootstrapAbandonedAlarm(this, "BootstrapAbandoned", fleet, names.bootstrapAbandoned, subject, this.autoScalingGroup.name, tags),
      );
      alarmNames.push(names.bootstrapAbandoned);
    }
    this.alarms = alarms;
    this.alarmNames = alarmNames;
  }

  /** The alarms that stop and roll back a CodeDeploy deployment: what the candidate serves, on its own target group. */
  get deploymentAlarmNames(): string[] {
    const names = canaryAlarmNames(this.qualifiedName);
    return [names.unhealthyHosts, names.target5xx, names.p99Latency];
  }
}
