/**
 * Scaling as synthesized: target tracking on CPU, on requests per target (its resource label
 * wired from the load balancer's and target group's ARN suffixes) and on your own metric; step
 * scaling on an alarm; scheduled capacity. Once scaling is on, the group leaves its desired
 * count to the policies and an apply waits for `min` healthy instances.
 */
import { AppServerGroup } from "../../../lib/fleet/app-server-group";
import { AppServerGroupProps } from "../../../lib/fleet/app-server-group-props";
import { fleetProps } from "../../support/fixtures";
import { newStack, onlyResource, resourcesOf, synthJson, TerraformJson } from "../../support/synth";

function synthFleet(overrides: Partial<AppServerGroupProps> = {}): TerraformJson {
  const { stack } = newStack();
  new AppServerGroup(stack, "Fleet", fleetProps({ capacity: { min: 2, max: 10 }, ...overrides }));
  return synthJson(stack);
}

const policies = (json: TerraformJson) => Object.values(resourcesOf(json, "aws_autoscaling_policy"));
const policyNamed = (json: TerraformJson, name: string) => policies(json).find((p) => p.name === name)!;
const byName = (json: TerraformJson, type: string, name: string) =>
  Object.values(resourcesOf(json, type)).find((r) => r.name === name || r.alarm_name === name)!;

describe("a fleet that scales", () => {
  const json = synthFleet({ scaling: { cpuTargetPercent: 50, requestsPerTargetPerMinute: 1200 } });

  test("leaves desired_capacity to the policies, so no deploy resets the capacity they chose", () => {
    const asg = byName(json, "aws_autoscaling_group", "rails4-asg");
    expect(asg).not.toHaveProperty("desired_capacity");
    expect(asg).toMatchObject({ min_size: 2, max_size: 10 });
    // min and max stay the file's: a deploy sets them, and AWS moves the current count into the range.
    expect(asg.lifecycle.ignore_changes).not.toContain("desired_capacity");
  });

  test("an apply waits for min healthy instances (not a desired count it does not set) before rules move traffic", () => {
    expect(byName(json, "aws_autoscaling_group", "rails4-asg").wait_for_elb_capacity).toBe(2);
  });

  test("tracks average CPU with the group's own predefined metric", () => {
    expect(policyNamed(json, "rails4-cpu-target")).toMatchObject({
      autoscaling_group_name: expect.stringMatching(/^\$\{aws_autoscaling_group\.Fleet_AutoScalingGroup_\w+\.name\}$/),
      policy_type: "TargetTrackingScaling",
      estimated_instance_warmup: 300,
      target_tracking_configuration: {
        target_value: 50,
        disable_scale_in: false,
        predefined_metric_specification: { predefined_metric_type: "ASGAverageCPUUtilization" },
      },
    });
  });

  test("tracks requests per target, its resource label built from the load balancer's and the fleet's target group's ARN suffixes", () => {
    const requests = policyNamed(json, "rails4-requests-target");
    expect(requests.target_tracking_configuration).toEqual({
      target_value: 1200,
      disable_scale_in: false,
      predefined_metric_specification: {
        predefined_metric_type: "ALBRequestCountPerTarget",
        resource_label: expect.stringMatching(
          /^app\/example\/0123456789abcdef\/\$\{aws_lb_target_group\.Fleet_TargetGroup_\w+\.arn_suffix\}$/,
        ),
      },
    });
  });
});

describe("a fleet of fixed size", () => {
  test("sets desired_capacity and waits for that many healthy instances", () => {
    const asg = onlyResource(synthFleet({ capacity: { min: 2, desired: 3, max: 10 } }), "aws_autoscaling_group");
    expect(asg).toMatchObject({ desired_capacity: 3, wait_for_elb_capacity: 3 });
    expect(resourcesOf(synthFleet({ capacity: { min: 2, desired: 3, max: 10 } }), "aws_autoscaling_policy")).toEqual({});
  });
});

describe("every kind of scaling", () => {
  const json = synthFleet({
    scaling: {
      metricTargets: [
        { name: "jobs", namespace: "MyApp", metricName: "JobsWaitingPerInstance", targetValue: 20 },
        {
          name: "queue",
          namespace: "AWS/SQS",
          metricName: "ApproximateNumberOfMessagesVisible",
          dimensions: { QueueName: "jobs" },
          statistic: "Sum",
          targetValue: 100,
        },
      ],
      steps: [
        {
          name: "cpu-burst",
          metric: { namespace: "AWS/EC2", metricName: "CPUUtilization", periodSeconds: 60 },
          when: "above",
          evaluationPeriods: 2,
          steps: [
            { lower: 70, upper: 85, change: 1 },
            { lower: 85, change: 3 },
          ],
        },
        {
          name: "cpu-idle",
          metric: { namespace: "AWS/EC2", metricName: "CPUUtilization" },
          when: "below",
          steps: [{ upper: 10, change: -1 }],
        },
      ],
      schedules: [{ name: "weekday-morning", cron: "30 8 * * 1-5", timeZone: "Asia/Tokyo", desired: 6 }],
      instanceWarmupSeconds: 120,
      disableScaleIn: true,
    },
  });

  test("a metric of your own is tracked per group unless its dimensions say otherwise", () => {
    expect(policyNamed(json, "rails4-jobs").target_tracking_configuration).toEqual({
      target_value: 20,
      disable_scale_in: true,
      customized_metric_specification: {
        namespace: "MyApp",
        metric_name: "JobsWaitingPerInstance",
        statistic: "Average",
        metric_dimension: [
          { name: "AutoScalingGroupName", value: expect.stringMatching(/aws_autoscaling_group\.Fleet_AutoScalingGroup_\w+\.name/) },
        ],
      },
    });
    expect(policyNamed(json, "rails4-queue").target_tracking_configuration.customized_metric_specification).toMatchObject({
      statistic: "Sum",
      metric_dimension: [{ name: "QueueName", value: "jobs" }],
    });
    expect(policyNamed(json, "rails4-jobs").estimated_instance_warmup).toBe(120);
  });

  test("a step policy runs from its own alarm, its steps relative to the alarm's threshold", () => {
    const policy = policyNamed(json, "rails4-cpu-burst");
    expect(policy).toMatchObject({ policy_type: "StepScaling", adjustment_type: "ChangeInCapacity", metric_aggregation_type: "Average" });
    expect(policy.step_adjustment).toEqual([
      { scaling_adjustment: 1, metric_interval_lower_bound: "0", metric_interval_upper_bound: "15" },
      { scaling_adjustment: 3, metric_interval_lower_bound: "15" },
    ]);
    const alarm = byName(json, "aws_cloudwatch_metric_alarm", "rails4-scale-cpu-burst");
    expect(alarm).toMatchObject({
      namespace: "AWS/EC2",
      metric_name: "CPUUtilization",
      threshold: 70,
      comparison_operator: "GreaterThanOrEqualToThreshold",
      evaluation_periods: 2,
      alarm_actions: [expect.stringMatching(/^\$\{aws_autoscaling_policy\.Fleet_Scaling_Step-cpu-burst_\w+\.arn\}$/)],
    });
    expect(alarm.dimensions).toEqual({ AutoScalingGroupName: expect.stringMatching(/Fleet_AutoScalingGroup_/) });
  });

  test("a scale-in step policy fires at or below its highest upper bound", () => {
    expect(policyNamed(json, "rails4-cpu-idle").step_adjustment).toEqual([{ scaling_adjustment: -1, metric_interval_upper_bound: "0" }]);
    expect(byName(json, "aws_cloudwatch_metric_alarm", "rails4-scale-cpu-idle")).toMatchObject({
      threshold: 10,
      comparison_operator: "LessThanOrEqualToThreshold",
    });
  });

  test("a schedule sets the desired count in its time zone and leaves min and max alone", () => {
    expect(onlyResource(json, "aws_autoscaling_schedule")).toEqual({
      scheduled_action_name: "rails4-weekday-morning",
      autoscaling_group_name: expect.stringMatching(/Fleet_AutoScalingGroup_/),
      recurrence: "30 8 * * 1-5",
      time_zone: "Asia/Tokyo",
      desired_capacity: 6,
      min_size: -1,
      max_size: -1,
    });
  });
});

describe("a canary of a fleet that scales", () => {
  const json = synthFleet({
    capacity: { min: 4, max: 40 },
    scaling: {
      cpuTargetPercent: 50,
      requestsPerTargetPerMinute: 1000,
      steps: [
        { name: "burst", metric: { namespace: "AWS/EC2", metricName: "CPUUtilization" }, when: "above", steps: [{ lower: 90, change: 2 }] },
      ],
    },
    canary: { imageId: "ami-0fedcba9876543210", sharePercent: 10 },
  });

  test("grows with its share of the traffic: the fleet's target tracking, on the canary's own target group, from its count up to its share of max", () => {
    const canary = byName(json, "aws_autoscaling_group", "rails4-canary-asg");
    expect(canary).toMatchObject({ min_size: 1, max_size: 4, wait_for_elb_capacity: 1 });
    expect(canary).not.toHaveProperty("desired_capacity");
    expect(policyNamed(json, "rails4-canary-cpu-target").autoscaling_group_name).toMatch(/Fleet_Canary_AutoScalingGroup_/);
    expect(
      policyNamed(json, "rails4-canary-requests-target").target_tracking_configuration.predefined_metric_specification.resource_label,
    ).toMatch(/^app\/example\/0123456789abcdef\/\$\{aws_lb_target_group\.Fleet_Canary_TargetGroup_\w+\.arn_suffix\}$/);
    // Steps and schedules name the fleet's counts and alarms: they stay the fleet's.
    expect(
      policies(json)
        .map((p) => p.name)
        .sort(),
    ).toEqual(["rails4-burst", "rails4-canary-cpu-target", "rails4-canary-requests-target", "rails4-cpu-target", "rails4-requests-target"]);
  });
});
