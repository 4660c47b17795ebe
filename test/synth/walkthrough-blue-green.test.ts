/**
 * The README's Blue/Green cycle, one test per step: the stage is one value in the configuration,
 * and each test checks its effect on the listener's default action and rules.
 */
import { defaultWeights, synthBlueGreen, trafficRules } from "../support/layouts";

const colorRule = (json: ReturnType<typeof synthBlueGreen>, color: string) =>
  trafficRules(json).find((r) =>
    r.conditions.some((c: any) => c.http_header?.http_header_name === "X-Backend-Color" && c.http_header.values.includes(color)),
  );

describe("Blue/Green walkthrough", () => {
  test("blue live: every request goes to blue", () => {
    expect(defaultWeights(synthBlueGreen((c) => (c.traffic.stage = "blue")))).toEqual({ blue: 1 });
  });

  test("human check before any weight moves: X-Backend-Color: green reaches green while blue serves everyone", () => {
    const json = synthBlueGreen((c) => (c.traffic.stage = "blue"));
    expect(colorRule(json, "green")!.weights).toEqual({ green: 1 });
    expect(colorRule(json, "blue")!.weights).toEqual({ blue: 1 });
    // From staff addresses only: strangers sending the header are routed as if they had none.
    for (const color of ["blue", "green"])
      expect(colorRule(json, color)!.conditions).toContainEqual({ source_ip: { values: ["203.0.113.0/24"] } });
  });

  test("canary: blue-canary-10 sends 10 % to green, sticky per user", () => {
    const json = synthBlueGreen((c) => (c.traffic.stage = "blue-canary-10"));
    expect(defaultWeights(json)).toEqual({ blue: 90, green: 10 });
    const https = Object.values(json.resource!.aws_lb_listener).find((l: any) => l.port === 443) as any;
    expect(https.default_action[0].forward.stickiness).toEqual({ enabled: true, duration: 3600 });
  });

  test("split: blue-split-50 sends half to each color", () => {
    expect(defaultWeights(synthBlueGreen((c) => (c.traffic.stage = "blue-split-50")))).toEqual({ blue: 50, green: 50 });
  });

  test("full switch: green takes every request", () => {
    expect(defaultWeights(synthBlueGreen((c) => (c.traffic.stage = "green")))).toEqual({ green: 1 });
  });

  test("rollback is setting the previous stage: the listener depends only on the stage, so the previous stage restores it exactly", () => {
    const beforeSwitch = synthBlueGreen((c) => (c.traffic.stage = "blue-split-50"));
    const rolledBack = synthBlueGreen((c) => (c.traffic.stage = "blue-split-50"));
    const switched = synthBlueGreen((c) => (c.traffic.stage = "green"));
    expect(defaultWeights(switched)).not.toEqual(defaultWeights(beforeSwitch));
    expect(rolledBack.resource!.aws_lb_listener).toEqual(beforeSwitch.resource!.aws_lb_listener);
    expect(rolledBack.resource!.aws_lb_listener_rule).toEqual(beforeSwitch.resource!.aws_lb_listener_rule);
  });

  test("moving a stage touches only the listener's default action, not the rules or the fleets", () => {
    const canary = synthBlueGreen((c) => (c.traffic.stage = "blue-canary-10"));
    const split = synthBlueGreen((c) => (c.traffic.stage = "blue-split-50"));
    expect(split.resource!.aws_lb_listener_rule).toEqual(canary.resource!.aws_lb_listener_rule);
    expect(split.resource!.aws_autoscaling_group).toEqual(canary.resource!.aws_autoscaling_group);
    expect(split.resource!.aws_lb_target_group).toEqual(canary.resource!.aws_lb_target_group);
  });

  test("the idle color may scale to zero once it gets no traffic; its header route goes with it", () => {
    const json = synthBlueGreen((c) => {
      c.traffic.stage = "blue";
      c.fleets.green.capacity = { min: 0, max: 12 };
    });
    expect(colorRule(json, "green")).toBeUndefined();
    expect(defaultWeights(json)).toEqual({ blue: 1 });
  });

  test("no traffic to an empty fleet: a canary to a color with min 0 fails synth naming it", () => {
    expect(() =>
      synthBlueGreen((c) => {
        c.traffic.stage = "blue-canary-10";
        c.fleets.green.capacity = { min: 0, max: 12 };
      }),
    ).toThrow(/green/);
  });

  test("exactly one live color: a stage naming both fails synth, pointing at the field", () => {
    expect(() => synthBlueGreen((c) => (c.traffic.stage = "blue-green"))).toThrow(
      /blue-green\.production\.json: traffic\.stage = "blue-green"/,
    );
  });

  test("the listener default waits for the healthy capacity of both colors during a split", () => {
    const json = synthBlueGreen((c) => (c.traffic.stage = "blue-split-50"));
    const https = Object.values(json.resource!.aws_lb_listener).find((l: any) => l.port === 443) as any;
    expect(https.depends_on).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^aws_autoscaling_group\.blue_/),
        expect.stringMatching(/^aws_autoscaling_group\.green_/),
      ]),
    );
  });
});
