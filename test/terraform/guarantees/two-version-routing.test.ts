/**
 * Change guarantees of the two-version layout (stacks/config/examples/two-version.staging.json),
 * decided by the real AWS provider: the example is "applied" offline once, then each routine
 * edit of its configuration is planned against it.
 */
import { PlanDiff } from "../../../lib/terraform/plan-changes";
import { synthTwoVersion } from "../../support/layouts";
import { describeWithTerraform, TERRAFORM_TEST_TIMEOUT_MS } from "../../support/terraform";
import { changeList, diffsAgainst, FRONT_DOOR_TYPES } from "./plan-expectations";


describeWithTerraform("two-version layout change guarantees (offline terraform plan with the AWS provider)", () => {
  let diffs: Record<string, PlanDiff> = {};

  beforeAll(async () => {
    diffs = await diffsAgainst("two-version", synthTwoVersion(), {
      weights: synthTwoVersion((c) => {
        c.routing.routes[0].to.weights = [
          { fleet: "rails3", weight: 5 },
          { fleet: "rails4", weight: 5 },
        ];
      }),
      addRoute: synthTwoVersion((c) => {
        c.routing.routes.push({ name: "api-v2", match: { paths: ["/api/v2/*"] }, to: "rails4" });
      }),
      removeRoute: synthTwoVersion((c) => {
        c.routing.routes = c.routing.routes.filter((r: { name: string }) => r.name !== "admin-piyo");
      }),
      maintenanceOn: synthTwoVersion((c) => {
        c.routing.maintenance.enabled = true;
      }),
      maintenanceOnWithoutBypass: synthTwoVersion((c) => {
        c.routing.maintenance.enabled = true;
        delete c.routing.maintenance.bypass;
      }),
      fullSwitch: synthTwoVersion((c) => {
        c.routing.default = "rails4";
        c.routing.routes = c.routing.routes.filter((r: { name: string }) => r.name === "hoge-legacy");
      }),
      newAmi: synthTwoVersion((c) => {
        c.fleets.rails4.imageId = "ami-0fedcba9876543210";
      }),
    });
  }, TERRAFORM_TEST_TIMEOUT_MS);

  test("moving traffic between versions (route weights) only updates that route's listener rules in place", () => {
    expect(diffs.weights).toOnlyTouch({ update: ["aws_lb_listener_rule"] });
    expect(changeList(diffs.weights).every((c) => c.includes("_route-hoge-fuga-"))).toBe(true);
  });

  test("adding a route creates its rules; no other rule is updated (no priority shift) or replaced", () => {
    expect(diffs.addRoute).toOnlyTouch({ create: ["aws_lb_listener_rule"] });
    expect(changeList(diffs.addRoute).every((c) => c.includes("_route-api-v2-"))).toBe(true);
  });

  test("removing a route deletes only its rules", () => {
    expect(diffs.removeRoute).toOnlyTouch({ delete: ["aws_lb_listener_rule"] });
    expect(changeList(diffs.removeRoute).every((c) => c.includes("_route-admin-piyo-"))).toBe(true);
  });

  test("turning maintenance on only creates listener rules (the maintenance response and its bypasses)", () => {
    expect(diffs.maintenanceOn).toOnlyTouch({ create: ["aws_lb_listener_rule"] });
    expect(changeList(diffs.maintenanceOn).every((c) => c.includes("_maintenance-"))).toBe(true);
  });

  // ALB conditions cannot negate, so a staff bypass costs rules: the source-IP bypass becomes
  // rules for the complement of the staff blocks, the header bypass a staff copy of each rule.
  test("turning maintenance on without a bypass creates exactly one rule, and nothing else", () => {
    expect(diffs.maintenanceOnWithoutBypass).toOnlyTouch({ create: ["aws_lb_listener_rule"] });
    expect(changeList(diffs.maintenanceOnWithoutBypass)).toEqual([expect.stringMatching(/^create aws_lb_listener_rule\.Router_Rules_maintenance-0_/)]);
  });

  test("the full switch updates the HTTPS listener's default action in place and deletes only the retired routes' rules", () => {
    expect(diffs.fullSwitch).toOnlyTouch({ update: ["aws_lb_listener"], delete: ["aws_lb_listener_rule"] });
    const listenerUpdates = diffs.fullSwitch.changes.filter((c) => c.type === "aws_lb_listener");
    expect(listenerUpdates.map((c) => [c.address, c.changedAttributes])).toEqual([[expect.stringContaining("_HttpsListener_"), ["default_action"]]]);
    const deleted = diffs.fullSwitch.changes.filter((c) => c.type === "aws_lb_listener_rule").map((c) => c.address);
    expect(deleted.length).toBeGreaterThan(0);
    expect(deleted.every((a) => /_route-(hoge-fuga|admin-piyo)-/.test(a))).toBe(true);
  });

  test("a new AMI updates the fleet's launch template and Auto Scaling group in place, and nothing else", () => {
    expect(diffs.newAmi).toOnlyTouch({ update: ["aws_launch_template", "aws_autoscaling_group"] });
    expect(changeList(diffs.newAmi).every((c) => c.includes(".rails4_"))).toBe(true);
  });

  test("no routine change replaces or deletes the load balancer, its listeners, its security group or the access-log bucket", () => {
    expect(Object.keys(diffs)).toHaveLength(7);
    for (const diff of Object.values(diffs)) expect(diff).toKeep(FRONT_DOOR_TYPES);
  });
});
