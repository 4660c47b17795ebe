/**
 * The rollout options checked by the real AWS provider, offline: every option on passes
 * `terraform validate` and `terraform plan`, and plans against an "as applied" state show
 * that adding, aborting and promoting a canary touch only what they should, and that
 * lifecycle hook changes never replace a live Auto Scaling group.
 */
import { AppServerGroup } from "../../lib/fleet/app-server-group";
import { AppServerGroupProps } from "../../lib/fleet/app-server-group-props";
import { InMemoryStackLock } from "../../lib/lock/stack-lock-store";
import { OfflineWorkspace, ValidateResult } from "../../lib/terraform/offline-workspace";
import { AppliedBaseline, buildAppliedBaseline } from "../../lib/terraform/plan-diff";
import { PlanDiff } from "../../lib/terraform/plan-changes";
import { TerraformResult } from "../../lib/terraform/terraform-cli";
import { fleetProps } from "../support/fixtures";
import { newStack, synthJson, TerraformJson } from "../support/synth";
import { describeWithTerraform, TERRAFORM_TEST_TIMEOUT_MS } from "../support/terraform";

const CANDIDATE_AMI = "ami-0fedcba9876543210";

function fleetStack(...fleets: Array<Partial<AppServerGroupProps>>): TerraformJson {
  const { stack } = newStack("rollouts");
  // Stateful fleets record themselves in the stack lock; a fresh one per synthesis.
  const lockFile = new InMemoryStackLock();
  fleets.forEach((overrides, i) => new AppServerGroup(stack, `Fleet${i}`, fleetProps({ name: `web${i}`, lockFile, ...overrides })));
  return synthJson(stack);
}

const everyOption: Array<Partial<AppServerGroupProps>> = [
  {
    userData: '#!/bin/bash\nset -eu\necho "bootstrapping ${HOSTNAME}"\n',
    capacity: { min: 2, desired: 4, max: 8 },
    artifacts: { bucketName: "deploy-artifacts", prefix: "web0/" },
    bootstrapGate: {
      heartbeatTimeoutSeconds: 840,
      readinessUrl: "http://127.0.0.1:80/up",
      attemptTimeoutSeconds: 3,
      retryIntervalSeconds: 15,
    },
    canary: { imageId: CANDIDATE_AMI, instanceType: "t3.medium", sharePercent: 25 },
    instanceRefresh: {
      checkpointPercentages: [25, 50, 100],
      checkpointDelaySeconds: 600,
      minHealthyPercentage: 90,
      maxHealthyPercentage: 150,
      instanceWarmupSeconds: 120,
    },
    recycling: { maxInstanceLifetimeDays: 7, maxHealthyPercentage: 150 },
  },
  {
    stateful: { drainCommand: "/usr/local/bin/copy-uploads-to-s3", heartbeatTimeoutSeconds: 1800 },
    bootstrapGate: { readinessCommand: "systemctl is-active unicorn" },
    instanceRefresh: {},
  },
];

describeWithTerraform("a stack with every rollout option on passes terraform validate and plan", () => {
  let validation: ValidateResult;
  let plan: TerraformResult;

  beforeAll(async () => {
    const ws = OfflineWorkspace.create(fleetStack(...everyOption));
    try {
      validation = await ws.validate();
      plan = await ws.plan();
    } finally {
      ws.dispose();
    }
  }, TERRAFORM_TEST_TIMEOUT_MS);

  test("terraform validate reports no errors", () => {
    expect(validation.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(validation.valid).toBe(true);
  });

  test("terraform plan succeeds and only creates", () => {
    expect({ code: plan.code, stderr: plan.stderr }).toEqual({ code: 0, stderr: "" });
    expect(plan.stdout).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy\./);
    expect(plan.stdout).toContain("aws_autoscaling_lifecycle_hook.Fleet1_LifecycleActions_DrainHook");
    expect(plan.stdout).toContain("aws_autoscaling_group.Fleet0_Canary_AutoScalingGroup");
  });
});

function canaryAddresses(diff: PlanDiff, action: "create" | "delete"): string[] {
  return diff.addresses(action).filter((a) => a.includes("_Canary_"));
}

describeWithTerraform("changes to a deployed fleet, planned against an offline applied state", () => {
  const plain = fleetStack({});
  const withCanary = fleetStack({ canary: { imageId: CANDIDATE_AMI, count: 1 } });
  let deployed: AppliedBaseline;
  let deployedWithCanary: AppliedBaseline;
  const diffs: Record<string, PlanDiff> = {};

  beforeAll(async () => {
    [deployed, deployedWithCanary] = await Promise.all([buildAppliedBaseline(plain), buildAppliedBaseline(withCanary)]);
    const [addCanary, abort, promote, hooks] = await Promise.all([
      deployed.diff(withCanary),
      deployedWithCanary.diff(plain),
      deployedWithCanary.diff(fleetStack({ imageId: CANDIDATE_AMI })),
      // Two hook changes at once: a new heartbeat for the gate, and the drain hook added.
      deployed.diff(fleetStack({ bootstrapGate: { heartbeatTimeoutSeconds: 840 }, stateful: {} })),
    ]);
    Object.assign(diffs, { addCanary, abort, promote, hooks });
  }, TERRAFORM_TEST_TIMEOUT_MS);

  test("adding a canary creates only the canary's resources and updates no main resource but CodeDeploy's deployment group", () => {
    const diff = diffs.addCanary;
    expect(diff.addresses("create")).toEqual(canaryAddresses(diff, "create"));
    expect(diff.addresses("create", "aws_autoscaling_group")).toHaveLength(1);
    expect(diff.addresses("create", "aws_launch_template")).toHaveLength(1);
    expect(diff.addresses("create", "aws_lb_target_group")).toHaveLength(1);
    expect(diff.withAction("replace")).toEqual([]);
    expect(diff.withAction("delete")).toEqual([]);
    // Its groups, target groups and alarms gain the canary's; the service role's policy names them already.
    expect(diff.withAction("update").map((e) => [e.type, e.changedAttributes])).toEqual([
      ["aws_codedeploy_deployment_group", ["alarm_configuration", "autoscaling_groups", "load_balancer_info"]],
    ]);
  });

  test("aborting a canary destroys exactly its resources", () => {
    const diff = diffs.abort;
    expect(diff.addresses("delete")).toEqual(canaryAddresses(diffs.addCanary, "create"));
    expect(diff.withAction("create")).toEqual([]);
    expect(diff.withAction("replace")).toEqual([]);
    expect(diff.withAction("update").map((e) => e.type)).toEqual(["aws_codedeploy_deployment_group"]);
  });

  test("promoting updates the main launch template and group in place and destroys the canary", () => {
    const diff = diffs.promote;
    expect(diff.addresses("delete")).toEqual(canaryAddresses(diffs.addCanary, "create"));
    expect(diff.withAction("replace")).toEqual([]);
    expect(diff.withAction("create")).toEqual([]);
    const mainTemplate = diff.ofType("aws_launch_template").filter((e) => !e.address.includes("_Canary_"));
    expect(mainTemplate).toEqual([expect.objectContaining({ action: "update", changedAttributes: expect.arrayContaining(["image_id"]) })]);
    const mainGroup = diff.ofType("aws_autoscaling_group").filter((e) => !e.address.includes("_Canary_"));
    expect(mainGroup).toEqual([expect.objectContaining({ action: "update", changedAttributes: ["launch_template"] })]);
  });

  test("changing a hook's heartbeat and guarding the fleet as stateful update hooks and the group in place, never replacing the live group", () => {
    const diff = diffs.hooks;
    expect(diff.withAction("replace")).toEqual([]);
    expect(diff.withAction("delete")).toEqual([]);
    const hooks = diff.ofType("aws_autoscaling_lifecycle_hook");
    expect(hooks.find((h) => h.address.includes("BootstrapHook"))).toMatchObject({
      action: "update",
      changedAttributes: ["heartbeat_timeout"],
    });
    expect(hooks.find((h) => h.address.includes("DrainHook"))).toMatchObject({ action: "create" });
    // The gate's deadline and the drain handler live in the user data: a new template version, taken in place.
    expect(diff.ofType("aws_autoscaling_group")).toEqual([
      expect.objectContaining({ action: "update", changedAttributes: ["launch_template", "protect_from_scale_in"] }),
    ]);
  });
});
