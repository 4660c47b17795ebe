/**
 * The scaling policies, step alarms and scheduled actions of one Auto Scaling group (a fleet's,
 * or its canary's), from the resolved scaling options (scaling.ts).
 */
import { Construct } from "constructs";
import { AutoscalingPolicy, AutoscalingSchedule, CloudwatchMetricAlarm } from "../aws/resources";
import { ResolvedSchedule, ResolvedScalingMetric, ResolvedStepPolicy, ResolvedTargetTracking } from "./scaling";

export interface FleetScalingPoliciesProps {
  /** Prefix of every AWS name, e.g. "staging-rails4" or "staging-rails4-canary". */
  readonly namePrefix: string;
  /** The group's name (its resource attribute, so every policy waits for the group). */
  readonly autoScalingGroupName: string;
  readonly targetTracking: readonly ResolvedTargetTracking[];
  /** @default - none */
  readonly steps?: readonly ResolvedStepPolicy[];
  /** @default - none */
  readonly schedules?: readonly ResolvedSchedule[];
  readonly instanceWarmupSeconds: number;
  readonly disableScaleIn: boolean;
  /**
   * `app/<lb>/<id>/targetgroup/<tg>/<id>`: the load balancer's and the group's target group's ARN
   * suffixes, which ALBRequestCountPerTarget needs as its resource label (PredefinedMetricSpecification).
   */
  readonly requestCountResourceLabel: string;
  readonly tags: Record<string, string>;
}

/** Policy and alarm names: `<prefix>-<entry name>`. */
export function scalingPolicyName(namePrefix: string, entryName: string): string {
  return `${namePrefix}-${entryName}`;
}

function dimensionsOf(metric: ResolvedScalingMetric, autoScalingGroupName: string): Record<string, string> {
  return metric.dimensions ? { ...metric.dimensions } : { AutoScalingGroupName: autoScalingGroupName };
}

export class FleetScalingPolicies extends Construct {
  readonly policies: AutoscalingPolicy[] = [];
  readonly stepAlarms: CloudwatchMetricAlarm[] = [];
  readonly schedules: AutoscalingSchedule[] = [];

  constructor(scope: Construct, id: string, props: FleetScalingPoliciesProps) {
    super(scope, id);
    const group = props.autoScalingGroupName;

    for (const tracking of props.targetTracking) {
      const common = { targetValue: tracking.targetValue, disableScaleIn: props.disableScaleIn };
      const configuration =
        tracking.kind === "cpu"
          ? { ...common, predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" } }
          : tracking.kind === "requests"
            ? {
                ...common,
                predefinedMetricSpecification: {
                  predefinedMetricType: "ALBRequestCountPerTarget",
                  resourceLabel: props.requestCountResourceLabel,
                },
              }
            : {
                ...common,
                customizedMetricSpecification: {
                  namespace: tracking.metric.namespace,
                  metricName: tracking.metric.metricName,
                  statistic: tracking.metric.statistic,
                  metricDimension: Object.entries(dimensionsOf(tracking.metric, group)).map(([name, value]) => ({ name, value })),
                },
              };
      this.policies.push(
        new AutoscalingPolicy(
          this,
          tracking.kind === "metric" ? `Metric-${tracking.name}` : tracking.kind === "cpu" ? "CpuTarget" : "RequestsTarget",
          {
            name: scalingPolicyName(props.namePrefix, tracking.kind === "metric" ? tracking.name : `${tracking.name}-target`),
            autoscalingGroupName: group,
            policyType: "TargetTrackingScaling",
            estimatedInstanceWarmup: props.instanceWarmupSeconds,
            targetTrackingConfiguration: configuration,
          },
        ),
      );
    }

    for (const step of props.steps ?? []) {
      const policy = new AutoscalingPolicy(this, `Step-${step.name}`, {
        name: scalingPolicyName(props.namePrefix, step.name),
        autoscalingGroupName: group,
        policyType: "StepScaling",
        adjustmentType: step.adjustmentType,
        metricAggregationType:
          step.metric.statistic === "Minimum" || step.metric.statistic === "Maximum" ? step.metric.statistic : "Average",
        estimatedInstanceWarmup: props.instanceWarmupSeconds,
        stepAdjustment: step.adjustments.map((a) => ({
          scalingAdjustment: a.change,
          metricIntervalLowerBound: a.lowerBound === undefined ? undefined : String(a.lowerBound),
          metricIntervalUpperBound: a.upperBound === undefined ? undefined : String(a.upperBound),
        })),
      });
      this.policies.push(policy);
      // The alarm's action is the policy: it changes capacity, it does not page anyone.
      this.stepAlarms.push(
        new CloudwatchMetricAlarm(this, `StepAlarm-${step.name}`, {
          alarmName: scalingPolicyName(props.namePrefix, `scale-${step.name}`),
          alarmDescription: `Runs the step scaling policy ${step.name} of ${props.namePrefix} while ${step.metric.metricName} is ${step.comparison === "GreaterThanOrEqualToThreshold" ? "at or above" : "at or below"} ${step.threshold}`,
          namespace: step.metric.namespace,
          metricName: step.metric.metricName,
          dimensions: dimensionsOf(step.metric, group),
          statistic: step.metric.statistic,
          period: step.periodSeconds,
          evaluationPeriods: step.evaluationPeriods,
          threshold: step.threshold,
          comparisonOperator: step.comparison,
          treatMissingData: "missing",
          actionsEnabled: true,
          alarmActions: [policy.arn],
          tags: props.tags,
        }),
      );
    }

    for (const schedule of props.schedules ?? []) {
      this.schedules.push(
        new AutoscalingSchedule(this, `Schedule-${schedule.name}`, {
          scheduledActionName: scalingPolicyName(props.namePrefix, schedule.name),
          autoscalingGroupName: group,
          recurrence: schedule.cron,
          timeZone: schedule.timeZone,
          desiredCapacity: schedule.desired,
          // -1 leaves min and max as the file says; left out, the provider would send 0 (its default).
          minSize: -1,
          maxSize: -1,
        }),
      );
    }
  }
}
