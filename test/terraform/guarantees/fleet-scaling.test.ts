/**
 * Scaling and the canary's own target group, decided by the real AWS provider's diff logic
 * against an offline "as applied" state:
 * - after scaling changed a fleet's capacity, a deploy (the same configuration, or a new AMI)
 *   plans no capacity change: the desired count the policies chose survives;
 * - adding, aborting and promoting a canary behind a router touch only the canary's resources,
 *   the listener actions that name the fleet (in place), and CodeDeploy's deployment group.
 */
import { AppServerGroup } from "../../../lib/fleet/app-server-group";
import { AppServerGroupProps } from "../../../lib/fleet/app-server-group-props";
import { StateV4 } from "../../../lib/terraform/applied-state";
import { OfflineWorkspace } from "../../../lib/terraform/offline-workspace";
import { PlanDiff } from "../../../lib/terraform/plan-changes";
import { AppliedBaseline, buildAppliedBaseline } from "../../../lib/terraform/plan-diff";
import { PlanJson } from "../../../lib/terraform/plan-json";
import { fleetProps } from "../../support/fixtures";
import { buildStack, TerraformJson } from "../../support/synth";
import { describeWithTerraform, TERRAFORM_TEST_TIMEOUT_MS } from "../../support/terraform";
import { routerProps } from "../../synth/router/router-fixtures";
import { TrafficRouter } from "../../../lib/router/traffic-router";
import { FRONT_DOOR_TYPES } from "./plan-expectations";

const NEW_AMI = "ami-0fedcba9876543210";
const SCALING = { cpuTargetPercent: 50, requestsPerTargetPerMinute: 1000 } as const;

/** rails3 and rails4 behind a router, both scaling; rails4's overrides per change. */
function stack(rails4: Partial<AppServerGroupProps> = {}): TerraformJson {
  return buildStack((scope) => {
    const router = new TrafficRouter(scope, "Router", routerProps());
    const rails3 = new AppServerGroup(
      scope,
      "Rails3",
      fleetProps({ name: "rails3", loadBalancer: router, capacity: { min: 2, max: 8 }, scaling: SCALING }),
    );
    const r4 = new AppServerGroup(
      scope,
      "Rails4",
      fleetProps({ name: "rails4", loadBalancer: router, capacity: { min: 2, max: 8 }, scaling: SCALING, ...rails4 }),
    );
    router.setRoutingTable({
      default: rails3,
      routes: [
        {
          name: "hoge",
          match: { paths: ["/hoge/*"] },
          to: {
            weights: [
              { fleet: rails3, weight: 9 },
              { fleet: r4, weight: 1 },
            ],
            groupStickinessSeconds: 3600,
          },
        },
      ],
    });
  });
}

/** The state after scaling set every group's desired count to `desired` (what Auto Scaling does behind Terraform's back). */
function scaledTo(state: StateV4, desired: number): StateV4 {
  const copy = JSON.parse(JSON.stringify(state)) as { resources: { type: string; instances: { attributes: Record<string, unknown> }[] }[] };
  for (const resource of copy.resources) {
    if (resource.type !== "aws_autoscaling_group") continue;
    for (const instance of resource.instances) instance.attributes.desired_capacity = desired;
  }
  return copy as unknown as StateV4;
}

async function planAgainst(config: TerraformJson, state: StateV4): Promise<PlanDiff> {
  const workspace = OfflineWorkspace.create(config);
  try {
    await workspace.writeState(state);
    return PlanDiff.fromPlanJson((await workspace.planJson()) as unknown as PlanJson);
  } finally {
    workspace.dispose();
  }
}

const canaryAddresses = (diff: PlanDiff, action: "create" | "delete") => diff.addresses(action).filter((a) => a.includes("_Canary_"));

describeWithTerraform("scaling and canaries, planned against an offline applied state", () => {
  const plain = stack();
  const withCanary = stack({ canary: { imageId: NEW_AMI, sharePercent: 10 } });
  let baseline: AppliedBaseline;
  const diffs: Record<string, PlanDiff> = {};

  beforeAll(async () => {
    baseline = await buildAppliedBaseline(plain);
    const canaryBaseline = await buildAppliedBaseline(withCanary);
    await baseline.converged();
    const scaled = scaledTo(baseline.state, 5);
    const [sameAfterScaling, newAmiAfterScaling, addCanary, abort, promote] = await Promise.all([
      planAgainst(plain, scaled),
      planAgainst(stack({ imageId: NEW_AMI }), scaled),
      baseline.diff(withCanary),
      canaryBaseline.diff(plain),
      canaryBaseline.diff(stack({ imageId: NEW_AMI })),
    ]);
    Object.assign(diffs, { sameAfterScaling, newAmiAfterScaling, addCanary, abort, promote });
  }, TERRAFORM_TEST_TIMEOUT_MS);

  test("after scaling moved both fleets to 5 instances, a deploy of the same configuration plans nothing", () => {
    expect(diffs.sameAfterScaling.changes.filter((c) => c.action !== "no-op")).toEqual([]);
  });

  test("after scaling, a deploy of a new AMI updates the template and group in place and leaves the desired count alone", () => {
    const groups = diffs.newAmiAfterScaling.ofType("aws_autoscaling_group").filter((c) => c.action !== "no-op");
    expect(groups).toEqual([expect.objectContaining({ action: "update", changedAttributes: ["launch_template"] })]);
    for (const change of diffs.newAmiAfterScaling.changes) expect(change.changedAttributes ?? []).not.toContain("desired_capacity");
  });

  test("adding a canary creates only its resources, and updates in place only the listener actions that name the fleet and CodeDeploy's group", () => {
    const diff = diffs.addCanary;
    expect(diff.addresses("create")).toEqual(canaryAddresses(diff, "create"));
    expect(diff.addresses("create", "aws_lb_target_group")).toHaveLength(1);
    expect(diff.withAction("replace")).toEqual([]);
    expect(diff.withAction("delete")).toEqual([]);
    const updated = diff
      .withAction("update")
      .map((c) => `${c.type} ${(c.changedAttributes ?? []).join(",")}`)
      .sort();
    // The route's rule and rails4's anchor gain the canary's target group; rails3's default does not change.
    expect(updated).toEqual([
      "aws_codedeploy_deployment_group alarm_configuration,autoscaling_groups,load_balancer_info",
      "aws_lb_listener_rule action",
      "aws_lb_listener_rule action",
    ]);
  });

  test("aborting the canary destroys exactly its resources and puts the listener actions back", () => {
    const diff = diffs.abort;
    expect(diff.addresses("delete").sort()).toEqual(canaryAddresses(diffs.addCanary, "create").sort());
    expect(diff.withAction("create")).toEqual([]);
    expect(diff.withAction("replace")).toEqual([]);
    expect(
      diff
        .withAction("update")
        .map((c) => c.type)
        .sort(),
    ).toEqual(["aws_codedeploy_deployment_group", "aws_lb_listener_rule", "aws_lb_listener_rule"]);
  });

  test("promoting updates the main template and group in place, destroys the canary and puts the listener actions back", () => {
    const diff = diffs.promote;
    expect(diff.addresses("delete").sort()).toEqual(canaryAddresses(diffs.addCanary, "create").sort());
    expect(diff.withAction("replace")).toEqual([]);
    expect(diff.withAction("create")).toEqual([]);
    const mainTemplate = diff.ofType("aws_launch_template").filter((c) => c.address.includes("Rails4_LaunchTemplate"));
    expect(mainTemplate).toEqual([expect.objectContaining({ action: "update", changedAttributes: expect.arrayContaining(["image_id"]) })]);
    expect(
      diff
        .withAction("update")
        .map((c) => c.type)
        .sort(),
    ).toEqual([
      "aws_autoscaling_group",
      "aws_codedeploy_deployment_group",
      "aws_launch_template",
      "aws_lb_listener_rule",
      "aws_lb_listener_rule",
    ]);
  });

  test("no canary change replaces or deletes the load balancer, its listeners, its security group or its bucket", () => {
    for (const diff of [diffs.addCanary, diffs.abort, diffs.promote]) expect(diff).toKeep(FRONT_DOOR_TYPES);
  });
});
