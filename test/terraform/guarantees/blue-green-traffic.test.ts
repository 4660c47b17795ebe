/**
 * Change guarantees of the Blue/Green layout (stacks/config/examples/blue-green.production.json,
 * at stage "blue-canary-10", during a maintenance window without bypass), decided by the real AWS
 * provider against an offline "as applied" state.
 */
import { PlanDiff } from "../../../lib/terraform/plan-changes";
import { synthBlueGreen } from "../../support/layouts";
import { describeWithTerraform, TERRAFORM_TEST_TIMEOUT_MS } from "../../support/terraform";
import { changeList, diffsAgainst, FRONT_DOOR_TYPES } from "./plan-expectations";

describeWithTerraform("Blue/Green layout change guarantees (offline terraform plan with the AWS provider)", () => {
  let diffs: Record<string, PlanDiff> = {};

  // Applied with maintenance on, so the same baseline shows both directions of the switch
  // (the two-version file turns it on). Every change below keeps it on, except maintenanceOff.
  const inMaintenance = (edit: (c: any) => void = () => undefined) =>
    synthBlueGreen((c) => {
      c.maintenance.enabled = true;
      delete c.maintenance.bypass;
      edit(c);
    });

  beforeAll(async () => {
    diffs = await diffsAgainst("blue-green", inMaintenance(), {
      nextPreset: inMaintenance((c) => {
        c.traffic.stage = "blue-split-50";
      }),
      canaryShare: inMaintenance((c) => {
        c.traffic.stage = "blue-canary-20";
      }),
      fullSwitch: inMaintenance((c) => {
        c.traffic.stage = "green";
      }),
      maintenanceOff: inMaintenance((c) => {
        c.maintenance.enabled = false;
      }),
      newAmi: inMaintenance((c) => {
        c.fleets.green.imageId = "ami-0fedcba9876543210";
      }),
    });
  }, TERRAFORM_TEST_TIMEOUT_MS);

  // The colors' weights live in the HTTPS listener's default action, not in a rule: moving
  // traffic updates that one listener in place (its default_action), nothing else.
  test.each([
    ["the next stage preset (blue-canary-10 -> blue-split-50)", "nextPreset"],
    ["a new canary share (10 % -> 20 %)", "canaryShare"],
    ["the full switch (-> green)", "fullSwitch"],
  ])("moving traffic with %s only updates the HTTPS listener's default action in place", (_label, key) => {
    const diff = diffs[key];
    expect(diff).toOnlyTouch({ update: ["aws_lb_listener"] });
    expect(diff.changes.map((c) => [c.address, c.changedAttributes])).toEqual([
      [expect.stringContaining("_HttpsListener_"), ["default_action"]],
    ]);
  });

  test("turning maintenance off deletes exactly its one rule, and nothing else", () => {
    expect(diffs.maintenanceOff).toOnlyTouch({ delete: ["aws_lb_listener_rule"] });
    expect(changeList(diffs.maintenanceOff)).toEqual([expect.stringMatching(/^delete aws_lb_listener_rule\.Router_Rules_maintenance-0_/)]);
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
