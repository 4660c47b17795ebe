/**
 * The alarms that say instances fail to join a fleet, as synthesized: launches stuck in a loop
 * (also during recycling, where the in-service count stays whole), an abandoned bootstrap, and a
 * terminating instance held by a stateful fleet's drain handler.
 */
import { AppServerGroup } from "../../../lib/fleet/app-server-group";
import { AppServerGroupProps } from "../../../lib/fleet/app-server-group-props";
import { InMemoryStackLock } from "../../../lib/lock/stack-lock-store";
import { fleetProps } from "../../support/fixtures";
import { newStack, resourcesOf, synthJson, TerraformJson } from "../../support/synth";

const TOPIC = "arn:aws:sns:ap-northeast-1:123456789012:ops";

function alarms(overrides: Partial<AppServerGroupProps> = {}): Record<string, Record<string, any>> {
  const { stack } = newStack();
  new AppServerGroup(stack, "Fleet", fleetProps({ alarms: { snsTopicArn: TOPIC }, ...overrides }));
  const json: TerraformJson = synthJson(stack);
  return Object.fromEntries(Object.values(resourcesOf(json, "aws_cloudwatch_metric_alarm")).map((a) => [a.alarm_name, a]));
}

describe("alarms on launches that fail", () => {
  const byName = alarms({ recycling: { maxInstanceLifetimeDays: 7 } });

  test("an instance pending longer than the gate allows fires launches-stuck, whatever the in-service count (recycling launches before it terminates)", () => {
    expect(byName["rails4-launches-stuck"]).toMatchObject({
      namespace: "AWS/AutoScaling",
      metric_name: "GroupPendingInstances",
      statistic: "Maximum",
      threshold: 1,
      comparison_operator: "GreaterThanOrEqualToThreshold",
      evaluation_periods: 12,
      datapoints_to_alarm: 12,
      alarm_actions: [TOPIC],
      ok_actions: [TOPIC],
    });
  });

  test("an abandoned bootstrap fires at once, from the metric the gate publishes for its group", () => {
    expect(byName["rails4-bootstrap-abandoned"]).toMatchObject({
      namespace: "AppFleets",
      metric_name: "BootstrapAbandoned",
      dimensions: { AutoScalingGroupName: expect.stringMatching(/Fleet_AutoScalingGroup_/) },
      statistic: "Sum",
      threshold: 1,
      evaluation_periods: 1,
      alarm_actions: [TOPIC],
    });
  });

  test("the window follows the gate's heartbeat: a longer bootstrap waits longer before it counts as stuck", () => {
    expect(
      alarms({ bootstrapGate: { heartbeatTimeoutSeconds: 1200 }, capacityTimeoutSeconds: 1800 })["rails4-launches-stuck"]
        .evaluation_periods,
    ).toBe(22);
    const ungated = alarms({ bootstrapGate: { enabled: false } });
    expect(ungated["rails4-launches-stuck"].evaluation_periods).toBe(5);
    expect(ungated["rails4-bootstrap-abandoned"]).toBeUndefined();
  });

  test("the instances may publish the library's metrics, in its namespace only", () => {
    const { stack } = newStack();
    new AppServerGroup(stack, "Fleet", fleetProps());
    const policy = Object.values(resourcesOf(synthJson(stack), "aws_iam_role_policy")).find((p) => p.name === "app-fleets-metrics")!;
    expect(JSON.parse(policy.policy).Statement).toEqual([
      {
        Sid: "PublishAppFleetsMetrics",
        Effect: "Allow",
        Action: "cloudwatch:PutMetricData",
        Resource: "*",
        Condition: { StringEquals: { "cloudwatch:namespace": "AppFleets" } },
      },
    ]);
  });

  test("the gate may suspend its own group's launches and read its activities, nothing more", () => {
    const { stack } = newStack();
    new AppServerGroup(stack, "Fleet", fleetProps());
    const policy = Object.values(resourcesOf(synthJson(stack), "aws_iam_role_policy")).find(
      (p) => p.name === "launch-loop-guard-rails4-asg",
    )!;
    expect(JSON.parse(policy.policy).Statement).toEqual([
      { Sid: "CountFailedLaunches", Effect: "Allow", Action: "autoscaling:DescribeScalingActivities", Resource: "*" },
      {
        Sid: "SuspendOwnLaunches",
        Effect: "Allow",
        Action: "autoscaling:SuspendProcesses",
        Resource: expect.stringMatching(/:autoScalingGroup:\*:autoScalingGroupName\/rails4-asg$/),
      },
    ]);
  });
});

describe("a held drain", () => {
  test("a stateful fleet's drain-held alarm fires while the drain handler holds an instance, its period spanning one heartbeat", () => {
    const byName = alarms({ stateful: { heartbeatTimeoutSeconds: 900 }, lockFile: new InMemoryStackLock() });
    // Heartbeats every 450 s (half the timeout): a period of 480 s always holds one.
    expect(byName["rails4-drain-held"]).toMatchObject({
      namespace: "AppFleets",
      metric_name: "DrainHeld",
      statistic: "Maximum",
      period: 480,
      evaluation_periods: 1,
      threshold: 1,
      alarm_actions: [TOPIC],
    });
  });

  test("a stateless fleet has none", () => {
    expect(alarms()["rails4-drain-held"]).toBeUndefined();
  });
});
