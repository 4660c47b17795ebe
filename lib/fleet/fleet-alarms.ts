/**
 * The four alarms that say whether a fleet is fit to receive traffic. Their names are
 * deterministic so dashboards, CodeDeploy and instance refresh can refer to them.
 */
import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "../aws/resources";
import { ResolvedFleetProps } from "./app-server-group-props";

export interface FleetAlarmsProps {
  readonly fleet: ResolvedFleetProps;
  readonly targetGroupArnSuffix: string;
  readonly loadBalancerArnSuffix: string;
  readonly autoScalingGroupName: string;
  readonly tags: Record<string, string>;
}

/** Alarm names, derived from the fleet's qualified name alone. */
export function fleetAlarmNames(qualifiedName: string) {
  return {
    unhealthyHosts: `${qualifiedName}-unhealthy-hosts`,
    target5xx: `${qualifiedName}-target-5xx`,
    p99Latency: `${qualifiedName}-p99-latency`,
    inServiceBelowMin: `${qualifiedName}-in-service-below-min`,
  } as const;
}

/** Settings every alarm of a fleet shares: one-minute periods, actions to the fleet's topic. */
export function fleetAlarmDefaults(fleet: ResolvedFleetProps, tags: Record<string, string>) {
  const actions = fleet.alarms.snsTopicArn ? [fleet.alarms.snsTopicArn] : [];
  return {
    actionsEnabled: true,
    alarmActions: actions,
    okActions: actions,
    period: 60,
    evaluationPeriods: fleet.alarms.evaluationPeriods,
    datapointsToAlarm: fleet.alarms.evaluationPeriods,
    tags,
  };
}

export class FleetAlarms extends Construct {
  readonly unhealthyHosts: CloudwatchMetricAlarm;
  readonly target5xx: CloudwatchMetricAlarm;
  readonly p99Latency: CloudwatchMetricAlarm;
  readonly inServiceBelowMin: CloudwatchMetricAlarm;
  /** Every alarm name, in a stable order. */
  readonly names: string[];

  constructor(scope: Construct, id: string, props: FleetAlarmsProps) {
    super(scope, id);
    const { fleet } = props;
    const names = fleetAlarmNames(fleet.qualifiedName);
    const common = fleetAlarmDefaults(fleet, props.tags);
    const targetDimensions = {
      TargetGroup: props.targetGroupArnSuffix,
      LoadBalancer: props.loadBalancerArnSuffix,
    };

    this.unhealthyHosts = new CloudwatchMetricAlarm(this, "UnhealthyHosts", {
      ...common,
      alarmName: names.unhealthyHosts,
      alarmDescription: `${fleet.name}: at least one target failed its health check`,
      namespace: "AWS/ApplicationELB",
      metricName: "UnHealthyHostCount",
      dimensions: targetDimensions,
      statistic: "Maximum",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      treatMissingData: "notBreaching",
    });
    this.target5xx = new CloudwatchMetricAlarm(this, "Target5xx", {
      ...common,
      alarmName: names.target5xx,
      alarmDescription: `${fleet.name}: the app answers ${fleet.alarms.target5xxPerMinute} or more 5xx per minute`,
      namespace: "AWS/ApplicationELB",
      metricName: "HTTPCode_Target_5XX_Count",
      dimensions: targetDimensions,
      statistic: "Sum",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: fleet.alarms.target5xxPerMinute,
      treatMissingData: "notBreaching",
    });
    this.p99Latency = new CloudwatchMetricAlarm(this, "P99Latency", {
      ...common,
      alarmName: names.p99Latency,
      alarmDescription: `${fleet.name}: p99 response time above ${fleet.alarms.p99LatencySeconds} s`,
      namespace: "AWS/ApplicationELB",
      metricName: "TargetResponseTime",
      dimensions: targetDimensions,
      extendedStatistic: "p99",
      comparisonOperator: "GreaterThanThreshold",
      threshold: fleet.alarms.p99LatencySeconds,
      treatMissingData: "notBreaching",
    });
    this.inServiceBelowMin = new CloudwatchMetricAlarm(this, "InServiceBelowMin", {
      ...common,
      alarmName: names.inServiceBelowMin,
      alarmDescription: `${fleet.name}: fewer than ${fleet.capacity.min} instances in service`,
      namespace: "AWS/AutoScaling",
      metricName: "GroupInServiceInstances",
      dimensions: { AutoScalingGroupName: props.autoScalingGroupName },
      statistic: "Minimum",
      comparisonOperator: "LessThanThreshold",
      threshold: fleet.capacity.min,
      // No data means the group reports nothing: treat it as a breach so a vanished fleet alarms.
      treatMissingData: fleet.capacity.min > 0 ? "breaching" : "notBreaching",
    });
    this.names = [names.unhealthyHosts, names.target5xx, names.p99Latency, names.inServiceBelowMin];
  }
}
