/**
 * Scaling: target tracking (CPU, requests per target, your own metric), step scaling on an
 * alarm, and scheduled capacity, as plain data with its rules. Pure: no cdktf import.
 *
 * What a deploy does to capacity once scaling is on: nothing. The group's `desired_capacity` is
 * left out of the configuration (the provider's attribute is optional and computed), so the
 * capacity scaling chose survives every apply, as terraform-aws-modules/autoscaling's
 * `ignore_desired_capacity_changes` and AWS CDK's `AutoScalingGroup` (which leaves
 * DesiredCapacity unset once scaling is configured) do. The trade-off, and why this rather than
 * `ignore_changes = [desired_capacity]`: a new group starts at `capacity.min` rather than at a
 * chosen desired count, and `capacity.desired` is refused while scaling is on, because an ignored
 * setting would be a setting that silently does nothing. `min` and `max` stay the file's: a deploy
 * sets them, and AWS raises or lowers the current desired count into the new range
 * (UpdateAutoScalingGroup: "If you specify a new value for MinSize without specifying a value for
 * DesiredCapacity, and the new MinSize is larger than the current size of the group, this sets
 * the group's DesiredCapacity to the new MinSize value").
 *
 * Schedules set the desired count only, never min or max: a schedule that moved min or max would
 * be undone by the next deploy (or, with those ignored, make the file's min and max a dead
 * letter), and `capacity.min` is the floor a Blue/Green rollback lands on (see
 * lib/traffic/rollback-capacity.ts), which must not dip on a timer.
 */
import { Violations } from "../core/errors";

/** CloudWatch statistics a scaling metric may use. */
export const SCALING_STATISTICS = ["Average", "Minimum", "Maximum", "Sum", "SampleCount"] as const;
export type ScalingStatistic = (typeof SCALING_STATISTICS)[number];

/** How a step changes the group (PutScalingPolicy AdjustmentType), in the configuration's words. */
export const ADJUSTMENT_TYPES = {
  "change-in-capacity": "ChangeInCapacity",
  "percent-change-in-capacity": "PercentChangeInCapacity",
  "exact-capacity": "ExactCapacity",
} as const;
export type AdjustmentTypeName = keyof typeof ADJUSTMENT_TYPES;

/** A CloudWatch metric that drives scaling. */
export interface ScalingMetric {
  /** e.g. "MyApp" or "AWS/SQS". */
  readonly namespace: string;
  /** e.g. "JobsWaitingPerInstance". */
  readonly metricName: string;
  /** @default - { "AutoScalingGroupName": <the fleet's group> }, so a metric you publish per group needs no name */
  readonly dimensions?: Readonly<Record<string, string>>;
  /** @default "Average" */
  readonly statistic?: ScalingStatistic;
}

/** Target tracking on a metric of your own: Auto Scaling keeps it near `targetValue`. */
export interface MetricTargetTracking extends ScalingMetric {
  /** Names the policy (lowercase letters, digits, hyphens), unique among the fleet's scaling entries. */
  readonly name: string;
  /** The value to keep the metric near; more instances must lower it (a per-instance load). */
  readonly targetValue: number;
}

/** One step of a step scaling policy, bounds in the metric's own units. */
export interface StepScalingStep {
  /** The step applies from this metric value (inclusive). @default - no lower bound (the lowest step of a "below" policy) */
  readonly lower?: number;
  /** The step applies below this metric value. @default - no upper bound (the highest step of an "above" policy) */
  readonly upper?: number;
  /**
   * Instances to add (positive) or remove (negative) for "change-in-capacity", a percentage of
   * the group for "percent-change-in-capacity", the instance count for "exact-capacity".
   */
  readonly change: number;
}

/** Step scaling on an alarm: when the metric is above (or below) the first step, the matching step applies. */
export interface StepScalingPolicy {
  /** Names the policy and its alarm (lowercase letters, digits, hyphens), unique among the fleet's scaling entries. */
  readonly name: string;
  readonly metric: ScalingMetric & {
    /** Seconds per data point the alarm evaluates (10, 30 or a multiple of 60). @default 60 */
    readonly periodSeconds?: number;
  };
  /** "above": the alarm fires at the lowest step's `lower` and up; "below": at the highest step's `upper` and down. */
  readonly when: "above" | "below";
  /** Consecutive periods that must breach before the alarm acts. @default 1 */
  readonly evaluationPeriods?: number;
  /** @default "change-in-capacity" */
  readonly adjustmentType?: AdjustmentTypeName;
  /** Contiguous steps: for "above" ascending from the threshold, the last without `upper`; for "below" descending, the last without `lower`. */
  readonly steps: readonly StepScalingStep[];
}

/** A desired capacity set on a schedule (PutScheduledUpdateGroupAction). */
export interface ScheduledCapacity {
  /** Names the scheduled action (lowercase letters, digits, hyphens), unique among the fleet's scaling entries. */
  readonly name: string;
  /** Unix cron: "minute hour day-of-month month day-of-week", e.g. "0 8 * * 1-5". */
  readonly cron: string;
  /** IANA time zone of the cron expression, e.g. "Asia/Tokyo". @default "UTC" */
  readonly timeZone?: string;
  /** Instances to run from then on, within capacity.min-max; target tracking adjusts from there. */
  readonly desired: number;
}

/** How a fleet scales. Any entry turns scaling on, and deploys then leave the desired count to it. */
export interface FleetScaling {
  /** Keep the group's average CPU utilization near this percentage (1-100). @default - no CPU tracking */
  readonly cpuTargetPercent?: number;
  /**
   * Keep the requests each instance receives per minute near this (ALB `RequestCountPerTarget`
   * of the fleet's own target group; the resource label is built for you). @default - none
   */
  readonly requestsPerTargetPerMinute?: number;
  /** Target tracking on metrics of your own. @default - none */
  readonly metricTargets?: readonly MetricTargetTracking[];
  /** Step scaling policies, each with its own alarm. @default - none */
  readonly steps?: readonly StepScalingPolicy[];
  /** Desired capacity on a schedule. @default - none */
  readonly schedules?: readonly ScheduledCapacity[];
  /**
   * Seconds a new instance needs before its metrics count toward scaling (estimated instance
   * warmup): the bootstrap gate holds it out of service first, this counts from InService.
   * @default - the health check grace period
   */
  readonly instanceWarmupSeconds?: number;
  /** Target tracking only adds instances; scale-in is left to schedules, steps and people. @default false */
  readonly disableScaleIn?: boolean;
}

/** A metric with every default applied; `dimensions` undefined means "the group's own". */
export interface ResolvedScalingMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions?: Readonly<Record<string, string>>;
  readonly statistic: ScalingStatistic;
}

export type ResolvedTargetTracking =
  | { readonly kind: "cpu"; readonly name: "cpu"; readonly targetValue: number }
  | { readonly kind: "requests"; readonly name: "requests"; readonly targetValue: number }
  | { readonly kind: "metric"; readonly name: string; readonly targetValue: number; readonly metric: ResolvedScalingMetric };

/** A step adjustment relative to the alarm threshold, as PutScalingPolicy takes it. */
export interface ResolvedStepAdjustment {
  readonly lowerBound?: number;
  readonly upperBound?: number;
  readonly change: number;
}

export interface ResolvedStepPolicy {
  readonly name: string;
  readonly metric: ResolvedScalingMetric;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly adjustmentType: (typeof ADJUSTMENT_TYPES)[AdjustmentTypeName];
  readonly comparison: "GreaterThanOrEqualToThreshold" | "LessThanOrEqualToThreshold";
  readonly threshold: number;
  readonly adjustments: readonly ResolvedStepAdjustment[];
}

export interface ResolvedSchedule {
  readonly name: string;
  readonly cron: string;
  readonly timeZone: string;
  readonly desired: number;
}

export interface ResolvedScaling {
  readonly targetTracking: readonly ResolvedTargetTracking[];
  readonly steps: readonly ResolvedStepPolicy[];
  readonly schedules: readonly ResolvedSchedule[];
  readonly instanceWarmupSeconds: number;
  readonly disableScaleIn: boolean;
}

/** What the scaling rules need to know about the fleet. */
export interface ScalingContext {
  readonly min: number;
  readonly max: number;
  readonly healthCheckGracePeriodSeconds: number;
}

/** Names of scaling entries become parts of AWS policy, alarm and scheduled action names. */
export const SCALING_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
/** Five cron fields of the characters EC2 Auto Scaling's recurrence accepts. */
const CRON_FIELD = /^[0-9*,/\-A-Za-z?LW#]+$/;
/** IANA time zone names ("UTC", "Asia/Tokyo", "America/Argentina/Buenos_Aires", "Etc/GMT+9"). */
const TIME_ZONE_PATTERN = /^(?:UTC|[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+)$/;
/** CloudWatch alarm periods: 10, 30, or a multiple of 60 seconds. */
const isAlarmPeriod = (s: number) => s === 10 || s === 30 || (Number.isInteger(s) && s >= 60 && s % 60 === 0);
/** Names the library gives its own target tracking policies. */
const RESERVED_NAMES = ["cpu", "requests"];

const isFiniteNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

export function resolveScaling(
  v: Violations,
  field: string,
  options: FleetScaling | undefined,
  context: ScalingContext,
): ResolvedScaling | undefined {
  if (options === undefined) return undefined;
  const targetTracking: ResolvedTargetTracking[] = [];
  const names = new Map<string, string>();
  const claim = (at: string, name: string) => {
    const first = names.get(name);
    v.check(
      first === undefined,
      at,
      name,
      `repeats the name of ${first}; names become AWS policy, alarm and scheduled action names`,
      "give each scaling entry its own name",
    );
    if (first === undefined) names.set(name, at);
  };
  const checkName = (at: string, name: string) => {
    v.check(
      typeof name === "string" && SCALING_NAME_PATTERN.test(name),
      at,
      name,
      "must be 1-40 lowercase letters, digits and hyphens, starting and ending with a letter or digit",
      'use a name such as "queue-depth"',
    );
    v.check(
      !RESERVED_NAMES.includes(name),
      at,
      name,
      `is reserved for the ${name === "cpu" ? "CPU" : "request count"} target tracking policy`,
      "choose another name",
    );
    claim(at, name);
  };

  if (options.cpuTargetPercent !== undefined) {
    const target = options.cpuTargetPercent;
    v.check(
      isFiniteNumber(target) && target > 0 && target <= 100,
      `${field}.cpuTargetPercent`,
      target,
      "must be a percentage above 0 and at most 100",
      "keep average CPU near e.g. 50 (%): low enough to absorb a burst while new instances boot",
    );
    targetTracking.push({ kind: "cpu", name: "cpu", targetValue: target });
  }
  if (options.requestsPerTargetPerMinute !== undefined) {
    const target = options.requestsPerTargetPerMinute;
    v.check(
      isFiniteNumber(target) && target > 0,
      `${field}.requestsPerTargetPerMinute`,
      target,
      "must be a number of requests above 0",
      "give the requests per minute one instance serves comfortably, e.g. 1000 (measure it under load)",
    );
    targetTracking.push({ kind: "requests", name: "requests", targetValue: target });
  }
  (options.metricTargets ?? []).forEach((entry, i) => {
    const at = `${field}.metricTargets[${i}]`;
    checkName(`${at}.name`, entry.name);
    v.check(
      isFiniteNumber(entry.targetValue) && entry.targetValue > 0,
      `${at}.targetValue`,
      entry.targetValue,
      "must be a number above 0",
      "give the per-instance value to keep the metric near",
    );
    targetTracking.push({ kind: "metric", name: entry.name, targetValue: entry.targetValue, metric: resolveMetric(v, at, entry) });
  });

  const steps = (options.steps ?? []).map((entry, i) => resolveStepPolicy(v, `${field}.steps[${i}]`, entry, checkName));

  const schedules = (options.schedules ?? []).map((entry, i): ResolvedSchedule => {
    const at = `${field}.schedules[${i}]`;
    checkName(`${at}.name`, entry.name);
    const fields = typeof entry.cron === "string" ? entry.cron.trim().split(/\s+/) : [];
    v.check(
      fields.length === 5 && fields.every((part) => CRON_FIELD.test(part)),
      `${at}.cron`,
      entry.cron,
      'must be a Unix cron expression of 5 fields: "minute hour day-of-month month day-of-week"',
      'write e.g. "0 8 * * 1-5" (08:00 on weekdays, in timeZone)',
    );
    const timeZone = entry.timeZone ?? "UTC";
    v.check(
      TIME_ZONE_PATTERN.test(timeZone),
      `${at}.timeZone`,
      timeZone,
      "is not an IANA time zone name",
      'write e.g. "Asia/Tokyo" or "UTC"',
    );
    v.check(
      Number.isInteger(entry.desired) && entry.desired >= context.min && entry.desired <= context.max,
      `${at}.desired`,
      entry.desired,
      `must be a whole number within capacity.min-max (${context.min}-${context.max}); schedules move the desired count, min and max stay the file's`,
      "raise capacity.max, or choose a count in range",
    );
    return { name: entry.name, cron: fields.join(" "), timeZone, desired: entry.desired };
  });

  const warmup = options.instanceWarmupSeconds ?? context.healthCheckGracePeriodSeconds;
  v.check(
    Number.isInteger(warmup) && warmup >= 0 && warmup <= 86_400,
    `${field}.instanceWarmupSeconds`,
    warmup,
    "must be a whole number of seconds 0-86400",
    "give the seconds an instance needs after it is in service before its metrics are representative, e.g. 300",
  );
  v.check(
    targetTracking.length + steps.length + schedules.length > 0,
    field,
    options,
    "turns nothing on: give cpuTargetPercent, requestsPerTargetPerMinute, metricTargets, steps or schedules",
    'add e.g. "cpuTargetPercent": 50, or remove scaling to run a fixed capacity.desired',
  );
  return { targetTracking, steps, schedules, instanceWarmupSeconds: warmup, disableScaleIn: options.disableScaleIn ?? false };
}

function resolveMetric(v: Violations, at: string, metric: ScalingMetric): ResolvedScalingMetric {
  v.check(
    typeof metric.namespace === "string" && /^[^:]{1,255}$/.test(metric.namespace),
    `${at}.namespace`,
    metric.namespace,
    'must be 1-255 characters without ":"',
    'give the metric\'s namespace, e.g. "MyApp"',
  );
  v.check(
    typeof metric.metricName === "string" && metric.metricName.length >= 1 && metric.metricName.length <= 255,
    `${at}.metricName`,
    metric.metricName,
    "must be 1-255 characters",
    "give the metric's name",
  );
  const statistic = metric.statistic ?? "Average";
  v.check(
    (SCALING_STATISTICS as readonly string[]).includes(statistic),
    `${at}.statistic`,
    statistic,
    `must be one of ${SCALING_STATISTICS.join(", ")}`,
    'use "Average" for a per-instance value',
  );
  const dimensions = metric.dimensions;
  if (dimensions !== undefined) {
    const entries = Object.entries(dimensions);
    v.check(
      entries.length >= 1 && entries.length <= 30,
      `${at}.dimensions`,
      dimensions,
      "must name 1-30 dimensions (CloudWatch's limit)",
      "leave dimensions out to use the fleet's group",
    );
  }
  return {
    namespace: metric.namespace,
    metricName: metric.metricName,
    dimensions: dimensions ? { ...dimensions } : undefined,
    statistic: statistic as ScalingStatistic,
  };
}

function resolveStepPolicy(
  v: Violations,
  at: string,
  entry: StepScalingPolicy,
  checkName: (at: string, name: string) => void,
): ResolvedStepPolicy {
  checkName(`${at}.name`, entry.name);
  const metric = resolveMetric(v, `${at}.metric`, entry.metric ?? ({} as ScalingMetric));
  const periodSeconds = entry.metric?.periodSeconds ?? 60;
  v.check(
    isAlarmPeriod(periodSeconds),
    `${at}.metric.periodSeconds`,
    periodSeconds,
    "must be 10, 30 or a multiple of 60 (CloudWatch alarm periods)",
    "use 60",
  );
  const evaluationPeriods = entry.evaluationPeriods ?? 1;
  v.check(
    Number.isInteger(evaluationPeriods) && evaluationPeriods >= 1 && evaluationPeriods * periodSeconds <= 86_400,
    `${at}.evaluationPeriods`,
    evaluationPeriods,
    "must be a whole number >= 1, spanning at most one day",
    "use e.g. 2",
  );
  const typeName = entry.adjustmentType ?? "change-in-capacity";
  v.check(
    typeName in ADJUSTMENT_TYPES,
    `${at}.adjustmentType`,
    typeName,
    `must be ${Object.keys(ADJUSTMENT_TYPES)
      .map((k) => `"${k}"`)
      .join(", ")}`,
    'use "change-in-capacity"',
  );
  const adjustmentType = ADJUSTMENT_TYPES[typeName] ?? "ChangeInCapacity";
  const above = entry.when === "above";
  v.check(
    entry.when === "above" || entry.when === "below",
    `${at}.when`,
    entry.when,
    'must be "above" or "below"',
    'use "above" to scale out on a high value, "below" to scale in on a low one',
  );

  const steps = entry.steps ?? [];
  v.check(
    steps.length >= 1 && steps.length <= 20,
    `${at}.steps`,
    steps.length,
    "must list 1-20 steps (Auto Scaling's limit is 20)",
    "give at least one step",
  );
  steps.forEach((step, i) => {
    const s = `${at}.steps[${i}]`;
    if (step.lower !== undefined)
      v.check(isFiniteNumber(step.lower), `${s}.lower`, step.lower, "must be a number", "give the metric value where the step starts");
    if (step.upper !== undefined)
      v.check(isFiniteNumber(step.upper), `${s}.upper`, step.upper, "must be a number", "give the metric value where the step ends");
    if (step.lower !== undefined && step.upper !== undefined)
      v.check(step.lower < step.upper, `${s}.upper`, step.upper, `must be above lower (${step.lower})`, "swap or fix the bounds");
    const okChange =
      adjustmentType === "ExactCapacity"
        ? Number.isInteger(step.change) && step.change >= 0
        : Number.isInteger(step.change) && step.change !== 0;
    v.check(
      okChange,
      `${s}.change`,
      step.change,
      adjustmentType === "ExactCapacity" ? "must be a whole instance count >= 0" : "must be a whole number other than 0",
      above ? "give the instances (or percent) to add, e.g. 2" : "give the instances (or percent) to remove, e.g. -1",
    );
    if (adjustmentType !== "ExactCapacity" && Number.isInteger(step.change)) {
      v.check(
        above ? step.change > 0 : step.change < 0,
        `${s}.change`,
        step.change,
        above ? 'must add capacity (> 0) in an "above" policy' : 'must remove capacity (< 0) in a "below" policy',
        'use a positive change with "above", a negative one with "below"',
      );
    }
  });
  // AWS: bounds relative to the threshold, contiguous, no overlap, one open end (PutScalingPolicy, StepAdjustment).
  const ordered = above
    ? [...steps].sort((a, b) => (a.lower ?? -Infinity) - (b.lower ?? -Infinity))
    : [...steps].sort((a, b) => (b.upper ?? Infinity) - (a.upper ?? Infinity));
  const contiguous = ordered.every((step, i) => {
    if (above) {
      if (step.lower === undefined) return false;
      const next = ordered[i + 1];
      return next === undefined ? step.upper === undefined : step.upper === next.lower;
    }
    if (step.upper === undefined) return false;
    const next = ordered[i + 1];
    return next === undefined ? step.lower === undefined : step.lower === next.upper;
  });
  v.check(
    steps.length === 0 || contiguous,
    `${at}.steps`,
    steps.map((s) => `[${s.lower ?? "-∞"}, ${s.upper ?? "∞"}) ${s.change}`),
    above
      ? "must cover the metric from the first step's lower bound upwards without a gap or overlap: each step's upper is the next one's lower, and the last has no upper"
      : "must cover the metric from the first step's upper bound downwards without a gap or overlap: each step's lower is the next one's upper, and the last has no lower",
    above
      ? 'write e.g. [{ "lower": 70, "upper": 85, "change": 1 }, { "lower": 85, "change": 3 }]'
      : 'write e.g. [{ "upper": 20, "lower": 10, "change": -1 }, { "upper": 10, "change": -2 }]',
  );
  const threshold = above ? (ordered[0]?.lower ?? 0) : (ordered[0]?.upper ?? 0);
  const relative = (value: number | undefined) => (value === undefined ? undefined : value - threshold);
  return {
    name: entry.name,
    metric,
    periodSeconds,
    evaluationPeriods,
    adjustmentType,
    comparison: above ? "GreaterThanOrEqualToThreshold" : "LessThanOrEqualToThreshold",
    threshold,
    adjustments: ordered.map((step) => ({ lowerBound: relative(step.lower), upperBound: relative(step.upper), change: step.change })),
  };
}

/**
 * The target tracking a canary copies from its fleet, so the canary's few instances grow with
 * its share of the traffic instead of being overrun: CPU, requests per target (on the canary's
 * own target group) and metrics measured per group (no dimensions given). Steps and schedules
 * name the fleet's own alarms and counts, so they stay the fleet's.
 */
export function canaryTargetTracking(scaling: ResolvedScaling | undefined): ResolvedTargetTracking[] {
  if (!scaling) return [];
  return scaling.targetTracking.filter((t) => t.kind !== "metric" || t.metric.dimensions === undefined);
}
