/**
 * Retiring a stateful fleet, as the real AWS provider plans it: the two-version layout with rails3
 * stateful is "applied" offline, then each step of the documented retirement is planned against
 * the state the previous step left.
 *
 * Step 1 (`stateful.retire: true`, rails3 no longer routed) scales the group to zero in place and
 * keeps its termination hook: every instance is terminated through the hook and drained. Step 2
 * (the entry deleted) deletes the hook and the group, which have nothing left to drain. Deleting
 * the entry at once (only possible with the emergency override) deletes them in the same plan as
 * the instances still running: what the stack lock refuses without the override.
 */
import { PlanDiff } from "../../../lib/terraform/plan-changes";
import { InMemoryStackLock } from "../../../lib/lock/stack-lock-store";
import { ALLOW_STATEFUL_REMOVAL_ENV } from "../../../lib/lock/stack-lock-store";
import { exampleLock, synthTwoVersion } from "../../support/layouts";
import { TerraformJson } from "../../support/synth";
import { describeWithTerraform, TERRAFORM_TEST_TIMEOUT_MS } from "../../support/terraform";
import { changeList, diffsAgainst } from "./plan-expectations";
import { withEnv } from "../../support/environment";

/** rails3 as a stateful fleet of fixed size (stateful fleets are neither recycled nor scaled). */
function statefulRails3(c: any): void {
  delete c.fleets.rails3.recycling;
  delete c.fleets.rails3.scaling;
  c.fleets.rails3.capacity = { min: 2, desired: 2, max: 6 };
  c.fleets.rails3.stateful = { drainCommand: "/usr/local/bin/ship-uploads" };
}

/** Every request on rails4: a retiring fleet may receive no traffic. */
function rails3Unrouted(c: any): void {
  c.routing = {
    default: "rails4",
    overrideHeader: { name: "X-Backend-Version", values: { "4": "rails4" }, sourceIps: ["203.0.113.0/24"] },
    hostPins: [{ hosts: ["assets4.example.com"], fleet: "rails4" }],
  };
}

/** Addresses of rails3's own resources (its construct ID prefixes their logical IDs). */
function rails3Addresses(json: TerraformJson, type?: string): string[] {
  return Object.entries(json.resource ?? {})
    .filter(([t]) => type === undefined || t === type)
    .flatMap(([t, byId]) => Object.keys(byId).map((id) => `${t}.${id}`))
    .filter((address) => address.split(".")[1].startsWith("rails3_"))
    .sort((a, b) => a.localeCompare(b));
}

/** Runs `run` with APP_FLEETS_ALLOW_STATEFUL_REMOVAL set to `value`. */
function withOverride<T>(value: string, run: () => T): T {
  return withEnv(ALLOW_STATEFUL_REMOVAL_ENV, value, run);
}

describeWithTerraform("retiring a stateful fleet in two steps (offline terraform plan with the AWS provider)", () => {
  // Each step synthesizes against the lock the previous one wrote, as a user's synths would.
  const deployedLock: InMemoryStackLock = exampleLock("two-version.staging.json");
  const deployed = synthTwoVersion(statefulRails3, deployedLock);
  const retiredLock = deployedLock.copy();
  const retired = synthTwoVersion((c) => {
    statefulRails3(c);
    rails3Unrouted(c);
    c.fleets.rails3.stateful.retire = true;
  }, retiredLock);
  const removed = synthTwoVersion((c) => {
    rails3Unrouted(c);
    delete c.fleets.rails3;
  }, retiredLock.copy());
  const removedAtOnce = withOverride("staging-rails3", () =>
    synthTwoVersion((c) => {
      rails3Unrouted(c);
      delete c.fleets.rails3;
    }, deployedLock.copy()),
  );
  const hooks = rails3Addresses(deployed, "aws_autoscaling_lifecycle_hook");
  const [group] = rails3Addresses(deployed, "aws_autoscaling_group");
  let step1: PlanDiff;
  let atOnce: PlanDiff;
  let step2: PlanDiff;

  beforeAll(async () => {
    ({ retire: step1, atOnce } = await diffsAgainst("stateful fleet deployed", deployed, { retire: retired, atOnce: removedAtOnce }));
    ({ remove: step2 } = await diffsAgainst("stateful fleet retired", retired, { remove: removed }));
  }, TERRAFORM_TEST_TIMEOUT_MS);

  test("the fleet has a drain hook and a group to protect", () => {
    expect(hooks.length).toBeGreaterThanOrEqual(1);
    expect(
      Object.entries(deployed.resource!.aws_autoscaling_lifecycle_hook)
        .filter(([id]) => id.startsWith("rails3_"))
        .map(([, h]) => h.name),
    ).toContain("drain-before-terminate");
    expect(group).toBeDefined();
  });

  describe("step 1: retire", () => {
    test("scales the group to zero in place: min, max and desired go to 0, nothing of it is replaced", () => {
      expect(step1.get(group).action).toBe("update");
      expect(step1.get(group).changedAttributes).toEqual(expect.arrayContaining(["min_size", "max_size", "desired_capacity"]));
      expect(retired.resource!.aws_autoscaling_group[group.split(".")[1]]).toMatchObject({ min_size: 0, max_size: 0, desired_capacity: 0 });
    });

    test("keeps the drain hook untouched while capacity reaches 0, and deletes nothing of the fleet", () => {
      for (const hook of hooks) expect(step1.get(hook).action).toBe("no-op");
      expect(changeList(step1).filter((c) => /^(delete|replace) [a-z_]+\.rails3_/.test(c))).toEqual([]);
    });

    test("tells the running instances through the status parameter, and leaves their launch template alone", () => {
      const [status] = rails3Addresses(deployed, "aws_ssm_parameter");
      expect(step1.get(status)).toMatchObject({ action: "update", changedAttributes: expect.arrayContaining(["insecure_value"]) });
      expect(retired.resource!.aws_ssm_parameter[status.split(".")[1]].insecure_value).toBe("retiring");
      for (const template of rails3Addresses(deployed, "aws_launch_template")) expect(step1.get(template).action).toBe("no-op");
    });

    test("touches only the group, the status parameter, alarms watching the now empty group, and the routing away from it", () => {
      const fleetChanges = step1.changes.filter((c) => c.address.split(".")[1].startsWith("rails3_")).map((c) => `${c.action} ${c.type}`);
      expect(
        fleetChanges.filter(
          (c) => !["update aws_autoscaling_group", "update aws_ssm_parameter", "update aws_cloudwatch_metric_alarm"].includes(c),
        ),
      ).toEqual([]);
    });
  });

  describe("step 2: delete the retired fleet", () => {
    test("deletes the drain hook and the group, and every other resource of the fleet", () => {
      for (const hook of hooks) expect(step2.get(hook).action).toBe("delete");
      expect(step2.get(group).action).toBe("delete");
      expect(step2.addresses("delete").filter((a) => a.split(".")[1].startsWith("rails3_"))).toEqual(rails3Addresses(retired));
    });

    test("creates and replaces nothing", () => {
      expect(changeList(step2).filter((c) => c.startsWith("create ") || c.startsWith("replace "))).toEqual([]);
    });
  });

  test("without retiring (the emergency override), one plan deletes the drain hook together with a group still at capacity 2", () => {
    for (const hook of hooks) expect(atOnce.get(hook).action).toBe("delete");
    expect(atOnce.get(group).action).toBe("delete");
    expect(deployed.resource!.aws_autoscaling_group[group.split(".")[1]]).toMatchObject({ desired_capacity: 2 });
  });
});
