/**
 * Change guarantees of the two-version layout (stacks/config/examples/two-version.staging.json),
 * decided by the real AWS provider: the example is "applied" offline once, then each routine
 * edit of its configuration is planned against it.
 */
import { Testing } from "cdktf";
import { InMemoryStackLock } from "../../../lib/lock/stack-lock-store";
import { PlanDiff } from "../../../lib/terraform/plan-changes";
import { TwoVersionConfig } from "../../../stacks/config/layout-config";
import { parseLayoutConfig } from "../../../stacks/config/load-config";
import { TwoVersionStack } from "../../../stacks/layouts/two-version-stack";
import { exampleJson, exampleLock, rulesOf, trafficRules } from "../../support/layouts";
import { synthJson, TerraformJson } from "../../support/synth";
import { describeWithTerraform, TERRAFORM_TEST_TIMEOUT_MS } from "../../support/terraform";
import { changeList, diffsAgainst, FRONT_DOOR_TYPES } from "./plan-expectations";

/**
 * The example configuration, edited, synthesized against a copy of the baseline's stack lock, the
 * way a user's next `cdktf diff` reads the lock the previous synth wrote (never the committed one).
 */
const baselineLock = exampleLock("two-version.staging.json");
function synthTwoVersion(edit: (config: any) => void = () => undefined, lock: InMemoryStackLock = baselineLock.copy()): TerraformJson {
  const raw = exampleJson("two-version.staging.json");
  edit(raw);
  const config = parseLayoutConfig(raw, "two-version.staging.json") as TwoVersionConfig;
  return synthJson(new TwoVersionStack(Testing.app(), "two-version-staging", config, "two-version.staging.json", { lockFile: lock }));
}

describeWithTerraform("two-version layout change guarantees (offline terraform plan with the AWS provider)", () => {
  let diffs: Record<string, PlanDiff> = {};
  let baseline: TerraformJson;
  let between: TerraformJson;

  beforeAll(async () => {
    baseline = synthTwoVersion(undefined, baselineLock);
    between = synthTwoVersion((c) => {
      // Inside /hoge/* and around /hoge/legacy/*: its place in the order is between two adjacent rules.
      c.routing.routes.push({ name: "hoge-l", match: { paths: ["/hoge/l*"] }, to: "rails4" });
    });
    diffs = await diffsAgainst("two-version", baseline, {
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
      addBetween: between,
      add50: synthTwoVersion((c) => {
        for (let i = 0; i < 50; i++) c.routing.routes.push({ name: `svc${i}`, match: { paths: [`/svc${i}/*`] }, to: "rails4" });
        // A header bypass copies every rule while maintenance is on: 58 routes with it exceed the quota.
        delete c.routing.maintenance.bypass.header;
      }),
      renameRoute: synthTwoVersion((c) => {
        c.routing.routes.find((r: { name: string }) => r.name === "admin-piyo").name = "admin-piyo-v2";
      }),
      // admin-piyo becomes a catch-all under /: it must now come after every other route, so it moves.
      moveRoute: synthTwoVersion((c) => {
        c.routing.routes.find((r: { name: string }) => r.name === "admin-piyo").match.paths = ["/*"];
      }),
      maintenanceOnDuringEdit: synthTwoVersion((c) => {
        c.routing.maintenance.enabled = true;
        c.routing.routes.push({ name: "api-v2", match: { paths: ["/api/v2/*"] }, to: "rails4" });
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
    expect(changeList(diffs.maintenanceOnWithoutBypass)).toEqual([
      expect.stringMatching(/^create aws_lb_listener_rule\.Router_Rules_maintenance-0_/),
    ]);
  });

  test("the full switch updates the HTTPS listener's default action in place and deletes only the retired routes' rules", () => {
    expect(diffs.fullSwitch).toOnlyTouch({ update: ["aws_lb_listener"], delete: ["aws_lb_listener_rule"] });
    const listenerUpdates = diffs.fullSwitch.changes.filter((c) => c.type === "aws_lb_listener");
    expect(listenerUpdates.map((c) => [c.address, c.changedAttributes])).toEqual([
      [expect.stringContaining("_HttpsListener_"), ["default_action"]],
    ]);
    const deleted = diffs.fullSwitch.changes.filter((c) => c.type === "aws_lb_listener_rule").map((c) => c.address);
    expect(deleted.length).toBeGreaterThan(0);
    expect(deleted.every((a) => /_route-(hoge-fuga|admin-piyo)-/.test(a))).toBe(true);
  });

  test("a new AMI updates the fleet's launch template and Auto Scaling group in place, and nothing else", () => {
    expect(diffs.newAmi).toOnlyTouch({ update: ["aws_launch_template", "aws_autoscaling_group"] });
    expect(changeList(diffs.newAmi).every((c) => c.includes(".rails4_"))).toBe(true);
  });

  test("a route whose place in the order falls between two adjacent rules takes a number between them; nothing else changes", () => {
    expect(diffs.addBetween).toOnlyTouch({ create: ["aws_lb_listener_rule"] });
    expect(changeList(diffs.addBetween).every((c) => c.includes("_route-hoge-l-"))).toBe(true);
    const [added] = rulesOf(between, "route-hoge-l");
    const legacy = rulesOf(between, "route-hoge-legacy")[0].priority;
    const broad = rulesOf(between, "route-hoge-fuga").find((r) =>
      r.conditions.some((c: any) => c.path_pattern?.values.includes("/hoge/*")),
    )!.priority;
    expect(legacy < added.priority && added.priority < broad).toBe(true);
    // The existing rules keep the numbers the baseline gave them.
    const before = Object.fromEntries(trafficRules(baseline).map((r) => [r.id, r.priority]));
    for (const r of trafficRules(between)) if (r.id in before) expect(r.priority).toBe(before[r.id]);
  });

  test("adding 50 routes at once creates exactly their 50 rules; no other rule changes priority", () => {
    expect(diffs.add50).toOnlyTouch({ create: ["aws_lb_listener_rule"] });
    expect(changeList(diffs.add50)).toHaveLength(50);
    expect(changeList(diffs.add50).every((c) => /_route-svc\d+-0_/.test(c))).toBe(true);
  });

  test("renaming a route replaces only that route's rules (its key names them); no other rule changes", () => {
    expect(diffs.renameRoute).toOnlyTouch({ create: ["aws_lb_listener_rule"], delete: ["aws_lb_listener_rule"] });
    expect(changeList(diffs.renameRoute).every((c) => c.includes("_route-admin-piyo-"))).toBe(true);
  });

  test("turning maintenance on during an edit creates maintenance's rules and the new route's, nothing else", () => {
    expect(diffs.maintenanceOnDuringEdit).toOnlyTouch({ create: ["aws_lb_listener_rule"] });
    expect(changeList(diffs.maintenanceOnDuringEdit).every((c) => c.includes("_maintenance-") || c.includes("_route-api-v2-"))).toBe(true);
    expect(changeList(diffs.maintenanceOnDuringEdit).some((c) => c.includes("_route-api-v2-"))).toBe(true);
  });

  test("a rule whose priority must change (its route now comes last) is updated in place, never replaced; no other rule moves", () => {
    expect(diffs.moveRoute).toOnlyTouch({ update: ["aws_lb_listener_rule"] });
    const changes = diffs.moveRoute.changes.filter((c) => c.type === "aws_lb_listener_rule");
    expect(changes.map((c) => [c.address.includes("_route-admin-piyo-0_"), c.changedAttributes?.includes("priority")])).toEqual([
      [true, true],
    ]);
  });

  test("no routine change replaces or deletes the load balancer, its listeners, its security group or the access-log bucket", () => {
    expect(Object.keys(diffs)).toHaveLength(12);
    for (const diff of Object.values(diffs)) expect(diff).toKeep(FRONT_DOOR_TYPES);
  });
});
