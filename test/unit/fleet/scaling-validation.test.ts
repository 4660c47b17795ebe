/**
 * Scaling, canary traffic splits, the Blue/Green rollback floor and alarm notifications, as
 * rules: every bad input is refused naming its field, with the limit and the fix.
 */
import { ConfigError, Violation, Violations } from "../../../lib/core/errors";
import { checkAlarmNotifications } from "../../../lib/fleet/alarm-topic-options";
import { AppServerGroupProps, resolveFleetProps } from "../../../lib/fleet/app-server-group-props";
import { FleetScaling } from "../../../lib/fleet/scaling";
import { splitForwardWeights } from "../../../lib/router/forward-weights";
import { parseStage } from "../../../lib/traffic/blue-green-stage";
import { checkRollbackCapacity } from "../../../lib/traffic/rollback-capacity";
import { fleetProps } from "../../support/fixtures";

function violations(overrides: Partial<AppServerGroupProps>): Violation[] {
  try {
    resolveFleetProps(fleetProps(overrides), "fleet");
  } catch (e) {
    if (e instanceof ConfigError) return [...e.violations];
    throw e;
  }
  return [];
}

const scaled = (scaling: FleetScaling, capacity: AppServerGroupProps["capacity"] = { min: 2, max: 8 }) => violations({ capacity, scaling });
const fieldsOf = (found: Violation[]) => found.map((v) => v.field);

describe("scaling validation", () => {
  test("capacity.desired with scaling is refused: the policies choose the count, and a deploy must not undo it", () => {
    const [found] = scaled({ cpuTargetPercent: 50 }, { min: 2, desired: 3, max: 8 });
    expect(found).toMatchObject({ field: "fleet capacity.desired", value: 3 });
    expect(found.limit).toContain("cannot be combined with scaling");
    expect(found.fix).toContain("a new group starts at capacity.min");
  });

  test("a fleet without scaling keeps capacity.desired meaningful", () => {
    expect(resolveFleetProps(fleetProps({ capacity: { min: 2, desired: 3, max: 8 } })).capacity.desired).toBe(3);
  });

  test("scaling with max equal to min is refused: it leaves no room", () => {
    expect(fieldsOf(scaled({ cpuTargetPercent: 50 }, { min: 4, max: 4 }))).toEqual(["fleet capacity.max"]);
  });

  test("scaling that turns nothing on is refused", () => {
    expect(scaled({ disableScaleIn: true })[0].limit).toContain("turns nothing on");
  });

  test("a stateful fleet does not scale: every instance is protected from scale-in", () => {
    expect(fieldsOf(violations({ capacity: { min: 2, max: 4 }, scaling: { cpuTargetPercent: 50 }, stateful: {} }))).toContain(
      "fleet scaling",
    );
  });

  test.each([
    [{ cpuTargetPercent: 0 }, "fleet scaling.cpuTargetPercent"],
    [{ cpuTargetPercent: 120 }, "fleet scaling.cpuTargetPercent"],
    [{ requestsPerTargetPerMinute: -5 }, "fleet scaling.requestsPerTargetPerMinute"],
    [{ metricTargets: [{ name: "Jobs!", namespace: "MyApp", metricName: "Jobs", targetValue: 5 }] }, "fleet scaling.metricTargets[0].name"],
    [{ metricTargets: [{ name: "cpu", namespace: "MyApp", metricName: "Jobs", targetValue: 5 }] }, "fleet scaling.metricTargets[0].name"],
    [
      { metricTargets: [{ name: "jobs", namespace: "MyApp", metricName: "Jobs", targetValue: 0 }] },
      "fleet scaling.metricTargets[0].targetValue",
    ],
    [{ schedules: [{ name: "night", cron: "0 22 * *", desired: 2 }] }, "fleet scaling.schedules[0].cron"],
    [{ schedules: [{ name: "night", cron: "0 22 * * *", timeZone: "Tokyo time", desired: 2 }] }, "fleet scaling.schedules[0].timeZone"],
    [{ schedules: [{ name: "night", cron: "0 22 * * *", desired: 9 }] }, "fleet scaling.schedules[0].desired"],
    [{ instanceWarmupSeconds: -1, cpuTargetPercent: 50 }, "fleet scaling.instanceWarmupSeconds"],
  ] as const)("%j is refused at %s", (scaling, field) => {
    const found = scaled(scaling as FleetScaling);
    expect(fieldsOf(found)).toContain(field);
    const violation = found.find((v) => v.field === field)!;
    expect(violation.fix.length).toBeGreaterThan(5);
  });

  test("two scaling entries with one name are refused: the name becomes an AWS policy name", () => {
    const found = scaled({
      metricTargets: [{ name: "jobs", namespace: "MyApp", metricName: "Jobs", targetValue: 5 }],
      schedules: [{ name: "jobs", cron: "0 8 * * *", desired: 4 }],
    });
    expect(found.map((v) => v.limit).join("\n")).toContain("repeats the name of fleet scaling.metricTargets[0].name");
  });

  const cpu = { namespace: "AWS/EC2", metricName: "CPUUtilization" };
  test.each([
    [
      "a gap between steps",
      [
        { lower: 70, upper: 80, change: 1 },
        { lower: 85, change: 2 },
      ],
    ],
    [
      "an overlap",
      [
        { lower: 70, upper: 90, change: 1 },
        { lower: 85, change: 2 },
      ],
    ],
    ["a closed last step, leaving high values uncovered", [{ lower: 70, upper: 90, change: 1 }]],
    ['a step without a lower bound in an "above" policy', [{ upper: 90, change: 1 }]],
  ])("step scaling with %s is refused, naming the steps", (_label, steps) => {
    const found = scaled({ steps: [{ name: "burst", metric: cpu, when: "above", steps }] });
    expect(fieldsOf(found)).toEqual(["fleet scaling.steps[0].steps"]);
    expect(found[0].limit).toContain("without a gap or overlap");
  });

  test("a step's change must point the way its policy scales", () => {
    expect(fieldsOf(scaled({ steps: [{ name: "burst", metric: cpu, when: "above", steps: [{ lower: 80, change: -1 }] }] }))).toEqual([
      "fleet scaling.steps[0].steps[0].change",
    ]);
    expect(fieldsOf(scaled({ steps: [{ name: "idle", metric: cpu, when: "below", steps: [{ upper: 10, change: 1 }] }] }))).toEqual([
      "fleet scaling.steps[0].steps[0].change",
    ]);
  });

  test("steps given out of order are accepted and sorted", () => {
    const resolved = resolveFleetProps(
      fleetProps({
        capacity: { min: 2, max: 8 },
        scaling: {
          steps: [
            {
              name: "burst",
              metric: cpu,
              when: "above",
              steps: [
                { lower: 85, change: 3 },
                { lower: 70, upper: 85, change: 1 },
              ],
            },
          ],
        },
      }),
    );
    expect(resolved.scaling!.steps[0]).toMatchObject({
      threshold: 70,
      adjustments: [
        { lowerBound: 0, upperBound: 15, change: 1 },
        { lowerBound: 15, change: 3 },
      ],
    });
  });
});

describe("canary weights in forward actions", () => {
  const fleet = (weight: number, canaryShare?: number) => ({
    weight,
    groups:
      canaryShare === undefined
        ? [{ key: `tg${weight}`, sharePercent: 100 }]
        : [
            { key: `main${weight}`, sharePercent: 100 - canaryShare },
            { key: `canary${weight}`, sharePercent: canaryShare },
          ],
  });
  const weights = (targets: ReturnType<typeof fleet>[]) => splitForwardWeights(targets).map((g) => `${g.key}=${g.weight}`);

  test("a forward without canaries keeps its compiled weights exactly", () => {
    expect(weights([fleet(9), fleet(1)])).toEqual(["tg9=9", "tg1=1"]);
  });

  test("a fleet's canary takes its share of the fleet's weight, in the smallest whole weights that keep the ratio", () => {
    expect(weights([fleet(1, 10)])).toEqual(["main1=9", "canary1=1"]);
    expect(weights([fleet(9), fleet(1, 10)])).toEqual(["tg9=90", "main1=9", "canary1=1"]);
    expect(weights([fleet(90, 5), fleet(10)])).toEqual(["main90=171", "canary90=9", "tg10=20"]);
  });

  test("a fleet of weight 0 keeps 0 for its canary too", () => {
    expect(weights([fleet(1), fleet(0, 25)])).toEqual(["tg1=1", "main0=0", "canary0=0"]);
  });

  test("when no whole factor fits ALB's 0-999, weights are scaled to 999 and a non-zero share never rounds to 0", () => {
    const split = splitForwardWeights([fleet(997, 1), fleet(3)]);
    expect(Math.max(...split.map((g) => g.weight))).toBeLessThanOrEqual(999);
    expect(split.every((g) => g.weight >= 1)).toBe(true);
  });
});

describe("Blue/Green rollback floor", () => {
  const field = (color: string) => `prod.json: fleets.${color}.capacity.min`;
  const check = (stage: string, blue: { min: number; scales: boolean }, green: { min: number; scales: boolean }) => {
    const v = new Violations();
    checkRollbackCapacity(v, field, parseStage(stage), { blue, green });
    return v.all;
  };

  test("a scaling color kept for rollback below the live color's min is refused: a rollback would land on that many instances", () => {
    const [found] = check("green", { min: 1, scales: true }, { min: 3, scales: true });
    expect(found.field).toBe("prod.json: fleets.blue.capacity.min");
    expect(found.limit).toContain('a rollback to it (stage "blue" or "blue-split-<p>") would land on them');
    expect(found.fix).toContain("raise fleets.blue.capacity.min to 3");
  });

  test("equal mins pass in every stage of a cycle", () => {
    for (const stage of ["blue", "blue-canary-10", "blue-split-50", "green", "green-canary-5"])
      expect(check(stage, { min: 3, scales: true }, { min: 3, scales: true })).toEqual([]);
  });

  test("a color scaled away (min 0) is no rollback target, and a color of fixed size keeps what the file says", () => {
    expect(check("green", { min: 0, scales: true }, { min: 3, scales: true })).toEqual([]);
    expect(check("green", { min: 1, scales: false }, { min: 3, scales: true })).toEqual([]);
  });
});

describe("alarm notifications", () => {
  const check = (input: Parameters<typeof checkAlarmNotifications>[2]) => {
    const v = new Violations();
    checkAlarmNotifications(v, (f) => `staging.json: ${f}`, input);
    return v.all;
  };

  test("a file with neither a topic nor alarmTopicArn is refused: every alarm needs someone to tell", () => {
    const [found] = check({});
    expect(found.field).toBe("staging.json: alarmTopic");
    expect(found.fix).toContain('"alarmTopic": { "subscriptions": [{ "protocol": "email", "endpoint": "oncall@example.com" }] }');
  });

  test("a topic without subscriptions needs the explicit opt-out, with a reason", () => {
    expect(check({ alarmTopic: { subscriptions: [] } }).map((v) => v.field)).toEqual(["staging.json: alarmTopic.subscriptions"]);
    expect(check({ alarmTopic: { noSubscriptionBecause: "later" } }).map((v) => v.field)).toEqual([
      "staging.json: alarmTopic.noSubscriptionBecause",
    ]);
    expect(check({ alarmTopic: { noSubscriptionBecause: "AWS Chatbot subscribes to this topic from the ops account" } })).toEqual([]);
  });

  test("endpoints are checked for their protocol, and both ways at once are refused", () => {
    const found = check({
      alarmTopic: {
        subscriptions: [
          { protocol: "email", endpoint: "oncall" },
          { protocol: "https", endpoint: "http://hooks.example.com/x" },
          { protocol: "sms", endpoint: "090-1234-5678" },
          { protocol: "sqs", endpoint: "arn:aws:sns:ap-northeast-1:123456789012:alarms" },
        ],
      },
    });
    expect(found.map((v) => v.field)).toEqual([0, 1, 2, 3].map((i) => `staging.json: alarmTopic.subscriptions[${i}].endpoint`));
    expect(
      check({
        alarmTopicArn: "arn:aws:sns:ap-northeast-1:123456789012:ops",
        alarmTopic: { noSubscriptionBecause: "AWS Chatbot subscribes from the ops account" },
      })[0].limit,
    ).toContain("cannot be combined with alarmTopicArn");
  });
});
