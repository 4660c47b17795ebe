/**
 * The alarms of a fleet. Four say whether it is fit to receive traffic (CodeDeploy and instance
 * refresh stop on them); the others say that instances fail to join it (a launch loop, an
 * abandoned bootstrap, a terminating instance held by its drain handler). Every one notifies the
 * fleet's topic when it fires and when it clears. Names are deterministic so dashboards,
 * CodeDeploy and instance refresh can refer to them.
 */
import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "../aws/resources";
import { ResolvedFleetProps } from "./app-server-group-props";
import { FLEET_METRICS, FLEET_METRICS_NAMESPACE } from "./fleet-metrics";
import { heartbeatEverySeconds } from "./stateful-guard";

export interface FleetAlarmsProps {
  readonly fleet: ResolvedFleetProps;
  readonly targetGroupArnSuffix: string;
  readonly loadBalancerArnSuffix: string;
  readonly autoScalingGroupName: string;
  readonly tags: Record<string, string>;
}

/** The alarms that gate traffic and deployments, derived from the fleet's qualified name alone. */
export function fleetAlarmNames(qualifiedName: string) {
  return {
    unhealthyHosts: `${qualifiedName}-unhealthy-hosts`,
    target5xx: `${qualifiedName}-target-5xx`,
    p99Latency: `${qualifiedName}-p99-latency`,
    inServiceBelowDesired: `${qualifiedName}-in-service-below-desired`,
  } as const;
}

/** The alarms that say instances fail to join the fleet. */
export function fleetFailureAlarmNames(qualifiedName: string) {
  return {
    launchesStuck: `${qualifiedName}-launches-stuck`,
    bootstrapAbandoned: `${qualifiedName}-bootstrap-abandoned`,
    drainHeld: `${qualifiedName}-drain-held`,
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

/**
 * Minutes a healthy launch may take before the fleet's capacity alarms count it as stuck: the
 * bootstrap gate's heartbeat (the longest an instance may wait in Pending:Wait), or three
 * minutes without the gate, plus two minutes for group metrics to catch up; never fewer than
 * the fleet's evaluation periods.
 */
export function launchWindowMinutes(fleet: ResolvedFleetProps): number {
  const gate = fleet.rollouts.bootstrapGate;
  const launch = gate ? Math.ceil(gate.heartbeatTimeoutSeconds / 60) : 3;
  return Math.max(fleet.alarms.evaluationPeriods, launch + 2);
}

/** The three alarms on one target group: unhealthy hosts, target 5xx, p99 latency. */
export interface TargetGroupAlarms {
  readonly unhealthyHosts: CloudwatchMetricAlarm;
  readonly target5xx: CloudwatchMetricAlarm;
  readonly p99Latency: CloudwatchMetricAlarm;
}

export interface TargetGroupAlarmsProps {
  readonly fleet: ResolvedFleetProps;
  /** Who the alarm speaks of in its description, e.g. "rails4" or "rails4 canary". */
  readonly subject: string;
  readonly names: { readonly unhealthyHosts: string; readonly target5xx: string; readonly p99Latency: string };
  readonly targetGroupArnSuffix: string;
  readonly loadBalancerArnSuffix: string;
  /** 5xx responses per minute at which the 5xx alarm fires. */
  readonly target5xxPerMinute: number;
  readonly tags: Record<string, string>;
}

/** Creates the target group alarms in `scope` (IDs UnhealthyHosts, Target5xx, P99Latency). */
export function newTargetGroupAlarms(scope: Construct, props: TargetGroupAlarmsProps): TargetGroupAlarms {
  const { fleet } = props;
  const common = fleetAlarmDefaults(fleet, props.tags);
  const dimensions = { TargetGroup: props.targetGroupArnSuffix, LoadBalancer: props.loadBalancerArnSuffix };
  return {
    unhealthyHosts: new CloudwatchMetricAlarm(scope, "UnhealthyHosts", {
      ...common,
      alarmName: props.names.unhealthyHosts,
      alarmDescription: `${props.subject}: at least one target failed its health check`,
      namespace: "AWS/ApplicationELB",
      metricName: "UnHealthyHostCount",
      dimensions,
      statistic: "Maximum",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      treatMissingData: "notBreaching",
    }),
    target5xx: new CloudwatchMetricAlarm(scope, "Target5xx", {
      ...common,
      alarmName: props.names.target5xx,
      alarmDescription: `${props.subject}: the app answers ${props.target5xxPerMinute} or more 5xx per minute`,
      namespace: "AWS/ApplicationELB",
      metricName: "HTTPCode_Target_5XX_Count",
      dimensions,
      statistic: "Sum",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: props.target5xxPerMinute,
      treatMissingData: "notBreaching",
    }),
    p99Latency: new CloudwatchMetricAlarm(scope, "P99Latency", {
      ...common,
      alarmName: props.names.p99Latency,
      alarmDescription: `${props.subject}: p99 response time above ${fleet.alarms.p99LatencySeconds} s`,
      namespace: "AWS/ApplicationELB",
      metricName: "TargetResponseTime",
      dimensions,
      extendedStatistic: "p99",
      comparisonOperator: "GreaterThanThreshold",
      threshold: fleet.alarms.p99LatencySeconds,
      treatMissingData: "notBreaching",
    }),
  };
}

/** The gate's "abandoned" metric of one group: any abandoned bootstrap tells a person at once. */
export function newBootstrapAbandonedAlarm(
  scope: Construct,
  id: string,
  fleet: ResolvedFleetProps,
  alarmName: string,
  subject: string,
  autoScalingGroupName: string,
  tags: Record<string, string>,
) {
  return new CloudwatchMetricAlarm(scope, id, {
    ...fleetAlarmDefaults(fleet, tags),
    alarmName,
    alarmDescription: `${subject}: the bootstrap gate abandoned a new instance (cloud-init failed or the readiness check never passed); see the instance's console log, and the group's activity history`,
    namespace: FLEET_METRICS_NAMESPACE,
    metricName: FLEET_METRICS.bootstrapAbandoned,
    dimensions: { AutoScalingGroupName: autoScalingGroupName },
    statistic: "Sum",
    period: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    threshold: 1,
    treatMissingData: "notBreaching",
  });
}

export class FleetAlarms extends Construct {
  readonly unhealthyHosts: CloudwatchMetricAlarm;
  readonly target5xx: CloudwatchMetricAlarm;
  readonly p99Latency: CloudwatchMetricAlarm;
  /** Fewer instances in service than the group's desired count, for longer than a launch takes. */
  readonly inServiceBelowDesired: CloudwatchMetricAlarm;
  /** An instance pending for longer than a launch takes: a replacement loop, also during recycling. */
  readonly launchesStuck: CloudwatchMetricAlarm;
  /** The bootstrap gate abandoned an instance; absent without the gate. */
  readonly bootstrapAbandoned?: CloudwatchMetricAlarm;
  /** The drain handler holds a terminating instance; absent for a stateless fleet. */
  readonly drainHeld?: CloudwatchMetricAlarm;
  /** The alarms that gate traffic and deployments, in a stable order. */
  readonly names: string[];
  /** Every alarm name of the fleet, in a stable order. */
  readonly allNames: string[];

  constructor(scope: Construct, id: string, props: FleetAlarmsProps) {
    super(scope, id);
    const { fleet } = props;
    const names = fleetAlarmNames(fleet.qualifiedName);
    const failures = fleetFailureAlarmNames(fleet.qualifiedName);
    const common = fleetAlarmDefaults(fleet, props.tags);
    const group = { AutoScalingGroupName: props.autoScalingGroupName };

    const target = newTargetGroupAlarms(this, {
      fleet,
      subject: fleet.name,
      names,
      targetGroupArnSuffix: props.targetGroupArnSuffix,
      loadBalancerArnSuffix: props.loadBalancerArnSuffix,
      target5xxPerMinute: fleet.alarms.target5xxPerMinute,
      tags: props.tags,
    });
    this.unhealthyHosts = target.unhealthyHosts;
    this.target5xx = target.target5xx;
    this.p99Latency = target.p99Latency;

    const window = launchWindowMinutes(fleet);
    // Measured against the group's own desired count, not a fixed min: it speaks up when a
    // scaled-out fleet loses instances, or a scale-out never arrives, as well as below min.
    this.inServiceBelowDesired = new CloudwatchMetricAlarm(this, "InServiceBelowDesired", {
      ...common,
      alarmName: names.inServiceBelowDesired,
      alarmDescription: `${fleet.name}: fewer instances in service than the group's desired count for ${window} minutes (longer than a launch and its bootstrap take)`,
      evaluationPeriods: window,
      datapointsToAlarm: window,
      period: undefined,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      // No data means the group reports nothing: a breach, so a vanished fleet alarms.
      treatMissingData: fleet.capacity.min > 0 ? "breaching" : "notBreaching",
      metricQuery: [
        { id: "shortfall", expression: "desired - inservice", label: "Desired instances not in service", returnData: true },
        {
          id: "desired",
          metric: { namespace: "AWS/AutoScaling", metricName: "GroupDesiredCapacity", dimensions: group, period: 60, stat: "Maximum" },
        },
        {
          id: "inservice",
          metric: { namespace: "AWS/AutoScaling", metricName: "GroupInServiceInstances", dimensions: group, period: 60, stat: "Minimum" },
        },
      ],
    });
    // With launch-before-terminate (recycling, instance refresh at 100 %), a failing replacement
    // never lowers the in-service count: a launch that never completes shows as a pending
    // instance, minute after minute.
    this.launchesStuck = new CloudwatchMetricAlarm(this, "LaunchesStuck", {
      ...common,
      alarmName: failures.launchesStuck,
      alarmDescription: `${fleet.name}: an instance has been pending for ${window} minutes: launches fail and are replaced in a loop (bootstrap, readiness, or no route to the AWS APIs)`,
      namespace: "AWS/AutoScaling",
      metricName: "GroupPendingInstances",
      dimensions: group,
      statistic: "Maximum",
      evaluationPeriods: window,
      datapointsToAlarm: window,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      treatMissingData: "notBreaching",
    });
    if (fleet.rollouts.bootstrapGate) {
      this.bootstrapAbandoned = newBootstrapAbandonedAlarm(
        this,
        "BootstrapAbandoned",
        fleet,
        failures.bootstrapAbandoned,
        fleet.name,
        props.autoScalingGroupName,
        props.tags,
      );
    }
    const stateful = fleet.rollouts.stateful;
    if (stateful) {
      // The drain handler publishes at every heartbeat while it holds an instance: a period that
      // always holds one heartbeat keeps the alarm in ALARM until the instance is released.
      const period = Math.ceil((heartbeatEverySeconds(stateful) + 30) / 60) * 60;
      this.drainHeld = new CloudwatchMetricAlarm(this, "DrainHeld", {
        ...common,
        alarmName: failures.drainHeld,
        alarmDescription: `${fleet.name}: a terminating instance is held because its drain failed or there is no drain command; save its data, then complete its lifecycle action (the command is in the instance's console log)`,
        namespace: FLEET_METRICS_NAMESPACE,
        metricName: FLEET_METRICS.drainHeld,
        dimensions: group,
        statistic: "Maximum",
        period,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        treatMissingData: "notBreaching",
      });
    }
    this.names = [names.unhealthyHosts, names.target5xx, names.p99Latency, names.inServiceBelowDesired];
    this.allNames = [
      ...this.names,
      failures.launchesStuck,
      ...(this.bootstrapAbandoned ? [failures.bootstrapAbandoned] : []),
      ...(this.drainHeld ? [failures.drainHeld] : []),
    ];
  }
}
