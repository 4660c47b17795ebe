/**
 * Change guarantees of the Blue/Green layout (stacks/config/examples/blue-green.production.json,
 * at stage "blue-canary-10"), decided by the real AWS provider against an offline "as applied" state.
 */
import { PlanDiff } from "../../../lib/terraform/plan-changes";
import { AppliedBaseline, buildAppliedBaseline } from "../../../lib/terraform/plan-diff";
import { synthBlueGreen } from "../../support/layouts";
import { describeWithTerraform, TERRAFORM_TEST_TIMEOUT_MS } from "../../support/terraform";
import { changeList } from "./plan-expectations";

const FRONT_DOOR_TYPES = ["aws_lb", "aws_lb_listener", "aws_s3_bucket", "aws_security_group"];

describeWithTerraform("Blue/Green layout change guarantees (offline terraform plan with the AWS provider)", () => {
  let baseline: AppliedBaseline;
  const diffs: Record<string, PlanDiff> = {};
  const timings: string[] = [];

  beforeAll(async () => {
    baseline = await buildAppliedBaseline(synthBlueGreen());
    timings.push(`baseline ${baseline.elapsedMs} ms in ${baseline.rounds} plans`);
    const changes = {
      nextPreset: synthBlueGreen((c) => {
        c.traffic.stage = "blue-split-50";
      }),
      canaryShare: synthBlueGreen((c) => {
        c.traffic.stage = "blue-canary-20";
      }),
      fullSwitch: synthBlueGreen((c) => {
        c.traffic.stage = "green";
      }),
      maintenanceOn: synthBlueGreen((c) => {
        c.maintenance.enabled = true;
      }),
      newAmi: synthBlueGreen((c) => {
        c.fleets.green.imageId = "ami-0fedcba9876543210";
      }),
    };
    for (const [name, after] of Object.entries(changes)) {
      const started = Date.now();
      diffs[name] = await baseline.diff(after);
      timings.push(`${name} ${Date.now() - started} ms`);
    }
  }, TERRAFORM_TEST_TIMEOUT_MS);

  afterAll(() => {
    // eslint-disable-next-line no-console
    console.info(`plan-diff timings (blue-green): ${timings.join("; ")}`);
  });

  // The colors' weights live in the HTTPS listener's default action, not in a rule: moving
  // traffic updates that one listener in place (its default_action), nothing else.
  test.each([
    ["the next stage preset (blue-canary-10 -> blue-split-50)", "nextPreset"],
    ["a new canary share (10 % -> 20 %)", "canaryShare"],
    ["the full switch (-> green)", "fullSwitch"],
  ])("moving traffic with %s only updates the HTTPS listener's default action in place", (_label, key) => {
    const diff = diffs[key];
    expect(diff).toOnlyTouch({ update: ["aws_lb_listener"] });
    expect(diff.changes.map((c) => [c.address, c.changedAttributes])).toEqual([[expect.stringContaining("_HttpsListener_"), ["default_action"]]]);
  });

  test("turning maintenance on only creates listener rules", () => {
    expect(diffs.maintenanceOn).toOnlyTouch({ create: ["aws_lb_listener_rule"] });
    expect(changeList(diffs.maintenanceOn).every((c) => c.includes("_maintenance-"))).toBe(true);
  });

  // The issue asks for one rule; a source-IP bypass is compiled into rules for the complement
  // of the bypass CIDRs (ALB conditions cannot negate), 9 here. Fails once it is one rule.
  test.failing("turning maintenance on creates exactly one rule (issue 5; today 9)", () => {
    expect(diffs.maintenanceOn.changes).toHaveLength(1);
  });

  test("a new AMI for green updates its launch template and Auto Scaling group in place, and nothing else", () => {
    expect(diffs.newAmi).toOnlyTouch({ update: ["aws_launch_template", "aws_autoscaling_group"] });
    expect(changeList(diffs.newAmi).every((c) => c.includes(".green_"))).toBe(true);
  });

  test("no routine change replaces or deletes the load balancer, its listeners, its security group or the access-log bucket", () => {
    expect(Object.keys(diffs)).toHaveLength(5);
    for (const diff of Object.values(diffs)) expect(diff).toKeep(FRONT_DOOR_TYPES);
  });
});
