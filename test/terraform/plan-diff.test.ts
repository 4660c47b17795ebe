/**
 * The offline plan diff itself: the "as applied" state it builds converges, holds values of
 * the right shape wired through references, and a diff against it reports what the AWS
 * provider decides (here, a replacement and the attribute forcing it).
 */
import { AppServerGroup } from "../../lib/fleet/app-server-group";
import { AppServerGroupProps } from "../../lib/fleet/app-server-group-props";
import { StateV4 } from "../../lib/terraform/applied-state";
import { PlanDiff } from "../../lib/terraform/plan-changes";
import { AppliedBaseline, buildAppliedBaseline } from "../../lib/terraform/plan-diff";
import { fleetProps } from "../support/fixtures";
import { buildStack, TerraformJson } from "../support/synth";
import { describeWithTerraform, TERRAFORM_TEST_TIMEOUT_MS } from "../support/terraform";

function oneFleet(overrides: Partial<AppServerGroupProps> = {}): TerraformJson {
  return buildStack((scope) => {
    new AppServerGroup(scope, "Web", fleetProps({ name: "web", ...overrides }));
  });
}

function attributesOf(state: StateV4, type: string): Record<string, any> {
  const found = state.resources.filter((r) => r.mode === "managed" && r.type === type);
  if (found.length !== 1) throw new Error(`expected one ${type} in state, found ${found.length}`);
  return found[0].instances[0].attributes;
}

describeWithTerraform("offline plan diff against an 'as applied' state", () => {
  let baseline: AppliedBaseline;
  let stateBefore: string;
  let newPort: PlanDiff;
  let unchanged: PlanDiff;

  beforeAll(async () => {
    baseline = await buildAppliedBaseline(oneFleet());
    stateBefore = JSON.stringify(baseline.state);
    [newPort, unchanged] = await Promise.all([baseline.diff(oneFleet({ appPort: 8080 })), baseline.diff(oneFleet())]);
  }, TERRAFORM_TEST_TIMEOUT_MS);

  test("the state converges: the last of at most a handful of plans finds nothing to do", () => {
    expect(baseline.rounds).toBeGreaterThanOrEqual(2);
    expect(baseline.rounds).toBeLessThanOrEqual(6);
  });

  test("planning the same stack in a fresh workspace against the state changes nothing", () => {
    expect(unchanged.toTable()).toMatch(/^No changes\./);
    expect(unchanged.entries.length).toBeGreaterThan(15);
  });

  test("IDs and ARNs assigned on apply have the shapes AWS gives them", () => {
    expect(attributesOf(baseline.state, "aws_launch_template").id).toMatch(/^lt-[0-9a-f]{17}$/);
    expect(attributesOf(baseline.state, "aws_security_group").id).toMatch(/^sg-[0-9a-f]{17}$/);
    const targetGroup = attributesOf(baseline.state, "aws_lb_target_group");
    expect(targetGroup.arn).toMatch(/^arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup\/web-tg\/[0-9a-f]{16}$/);
    expect(targetGroup.arn).toBe(`arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:${targetGroup.arn_suffix}`);
    expect(attributesOf(baseline.state, "aws_launch_template").latest_version).toBe(1);
  });

  test("references resolve to the referenced resource's placeholder, as after a real apply", () => {
    const group = attributesOf(baseline.state, "aws_autoscaling_group");
    const template = attributesOf(baseline.state, "aws_launch_template");
    expect(group.launch_template[0].id).toBe(template.id);
    expect(group.launch_template[0].version).toBe("1");
    expect(group.target_group_arns).toEqual([attributesOf(baseline.state, "aws_lb_target_group").arn]);
    expect(attributesOf(baseline.state, "aws_vpc_security_group_ingress_rule").security_group_id).toBe(
      attributesOf(baseline.state, "aws_security_group").id,
    );
  });

  test("a change the provider cannot make in place is reported as a replacement with the attribute that forces it", () => {
    const [targetGroup] = newPort.ofType("aws_lb_target_group");
    expect(targetGroup.action).toBe("replace");
    expect(targetGroup.replacedBecause).toEqual(["port"]);
  });

  test("a change the provider makes in place is reported as an update", () => {
    const [ingress] = newPort.ofType("aws_vpc_security_group_ingress_rule");
    expect(ingress.action).toBe("update");
    expect(ingress.changedAttributes).toEqual(expect.arrayContaining(["from_port", "to_port"]));
  });

  test("diffing does not alter the baseline, so it serves every change tested against it", () => {
    expect(JSON.stringify(baseline.state)).toBe(stateBefore);
  });
});
