/**
 * Change guarantees of a fleet, decided by the real AWS provider's diff logic: a stack of
 * two fleets is "applied" offline once, then each routine change is planned against it.
 */
import { AppServerGroup } from "../../../lib/fleet/app-server-group";
import { AppServerGroupProps } from "../../../lib/fleet/app-server-group-props";
import { PlanDiff } from "../../../lib/terraform/plan-changes";
import { AppliedBaseline, buildAppliedBaseline } from "../../../lib/terraform/plan-diff";
import { fleetProps } from "../../support/fixtures";
import { buildStack, TerraformJson } from "../../support/synth";
import { describeWithTerraform, TERRAFORM_TEST_TIMEOUT_MS } from "../../support/terraform";
import { changeList } from "./plan-expectations";

const NEW_AMI = "ami-0fedcba9876543210";

interface TwoFleets {
  readonly rails3?: Partial<AppServerGroupProps> | "deleted";
  readonly rails4?: Partial<AppServerGroupProps>;
}

/** The old version (rails3) and the new one (rails4), as a two-version stack holds them. */
function twoFleets(change: TwoFleets = {}): TerraformJson {
  return buildStack((scope) => {
    if (change.rails3 !== "deleted") {
      new AppServerGroup(
        scope,
        "Rails3",
        fleetProps({ name: "rails3", artifacts: { bucketName: "my-deploy-artifacts" }, ...change.rails3 }),
      );
    }
    new AppServerGroup(scope, "Rails4", fleetProps({ name: "rails4", instanceRefresh: {}, ...change.rails4 }));
  });
}

/** Addresses of every managed resource whose logical ID starts with `prefix` (the fleet's construct ID). */
function addressesUnder(json: TerraformJson, prefix: string): string[] {
  return Object.entries(json.resource ?? {})
    .flatMap(([type, byId]) => Object.keys(byId).map((id) => `${type}.${id}`))
    .filter((address) => address.split(".")[1].startsWith(`${prefix}_`))
    .sort((a, b) => a.localeCompare(b));
}

/** Resource types that must survive every routine change of a fleet. */
const DURABLE_FLEET_TYPES = [
  "aws_autoscaling_group",
  "aws_lb_target_group",
  "aws_security_group",
  "aws_iam_role",
  "aws_iam_instance_profile",
  "aws_codedeploy_deployment_group",
];

describeWithTerraform("fleet change guarantees (offline terraform plan with the AWS provider)", () => {
  const before = twoFleets();
  let baseline: AppliedBaseline;
  let newAmi: PlanDiff;
  let newInstanceType: PlanDiff;
  let rails3Deleted: PlanDiff;
  const timings: string[] = [];

  beforeAll(async () => {
    baseline = await buildAppliedBaseline(before);
    timings.push(`baseline ${baseline.elapsedMs} ms in ${baseline.rounds} plans`);
    const timed = async (label: string, after: TerraformJson) => {
      const started = Date.now();
      const diff = await baseline.diff(after);
      timings.push(`${label} ${Date.now() - started} ms`);
      return diff;
    };
    [newAmi, newInstanceType, rails3Deleted] = await Promise.all([
      timed("new AMI", twoFleets({ rails4: { imageId: NEW_AMI } })),
      timed("new instance type", twoFleets({ rails4: { instanceType: "m5.large" } })),
      timed("rails3 deleted", twoFleets({ rails3: "deleted" })),
    ]);
  }, TERRAFORM_TEST_TIMEOUT_MS);

  afterAll(() => {
    // eslint-disable-next-line no-console
    console.info(`plan-diff timings: ${timings.join("; ")}`);
  });

  describe("a new AMI", () => {
    test("updates the fleet's launch template and Auto Scaling group in place, and nothing else", () => {
      expect(newAmi).toOnlyTouch({ update: ["aws_launch_template", "aws_autoscaling_group"] });
      expect(changeList(newAmi).every((c) => c.includes(".Rails4_"))).toBe(true);
    });

    test("changes the launch template's image and moves the group to the new template version", () => {
      const [template] = newAmi.withAction("update").filter((c) => c.type === "aws_launch_template");
      const [group] = newAmi.withAction("update").filter((c) => c.type === "aws_autoscaling_group");
      expect(template.changedAttributes).toContain("image_id");
      expect(group.changedAttributes).toContain("launch_template");
    });

    test("the updated group has an instance refresh, so the update replaces its instances", () => {
      const group = baseline.state.resources.find((r) => r.type === "aws_autoscaling_group" && r.name.startsWith("Rails4_"));
      expect(group?.instances[0].attributes.instance_refresh).toEqual([expect.objectContaining({ strategy: "Rolling" })]);
    });

    test("replaces no Auto Scaling group, target group, security group, IAM role or deployment group", () => {
      expect(newAmi).toKeep(DURABLE_FLEET_TYPES);
    });
  });

  describe("a new instance type", () => {
    test("updates the fleet's launch template and Auto Scaling group in place, and nothing else", () => {
      expect(newInstanceType).toOnlyTouch({ update: ["aws_launch_template", "aws_autoscaling_group"] });
      expect(changeList(newInstanceType).every((c) => c.includes(".Rails4_"))).toBe(true);
    });

    test("replaces no Auto Scaling group, target group, security group, IAM role or deployment group", () => {
      expect(newInstanceType).toKeep(DURABLE_FLEET_TYPES);
    });
  });

  describe("deleting the old fleet's instantiation", () => {
    test("destroys exactly that fleet's resources and changes nothing else", () => {
      const rails3 = addressesUnder(before, "Rails3");
      expect(rails3.length).toBeGreaterThan(10);
      expect(changeList(rails3Deleted)).toEqual(rails3.map((address) => `delete ${address}`));
    });

    test("leaves every resource of the remaining fleet untouched", () => {
      const rails4 = addressesUnder(before, "Rails4");
      expect(rails4.length).toBeGreaterThan(10);
      expect(rails4.map((address) => `${rails3Deleted.get(address).action} ${address}`)).toEqual(rails4.map((a) => `no-op ${a}`));
    });
  });
});
