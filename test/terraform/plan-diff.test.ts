/**
 * The offline plan diff itself: the "as applied" state it builds converges, holds values of
 * the right shape wired through references, and a diff against it reports what the AWS
 * provider decides (here, a replacement and the attribute forcing it). A converged baseline is
 * cached on disk and read back without terraform; diffs asked for together are planned in one
 * terraform run and say exactly what separate plans say.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppServerGroup } from "../../lib/fleet/app-server-group";
import { AppServerGroupProps } from "../../lib/fleet/app-server-group-props";
import { StateV4 } from "../../lib/terraform/applied-state";
import { PlanDiff } from "../../lib/terraform/plan-changes";
import { AppliedBaseline, buildAppliedBaseline } from "../../lib/terraform/plan-diff";
import { finishedTerraformRuns, finishedTerraformRunsBySubcommand } from "../../lib/terraform/terraform-cli";
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
  let newPortAlone: PlanDiff;
  let cached: AppliedBaseline;
  let terraformRunsForCachedBaseline: number;
  let plansForTwoDiffs: number;
  // A cache of this file's own, so "built first, then read" holds whatever ran before.
  const cacheDir = mkdtempSync(join(tmpdir(), "plan-diff-cache-"));
  const savedCacheDir = process.env.APP_FLEETS_CACHE_DIR;

  beforeAll(async () => {
    process.env.APP_FLEETS_CACHE_DIR = cacheDir;
    baseline = await buildAppliedBaseline(oneFleet());
    stateBefore = JSON.stringify(baseline.state);
    // Asked for together: planned in one terraform run (two modules of one root).
    const plansBefore = finishedTerraformRunsBySubcommand().plan ?? 0;
    [newPort, unchanged] = await Promise.all([baseline.diff(oneFleet({ appPort: 8080 })), baseline.diff(oneFleet())]);
    plansForTwoDiffs = (finishedTerraformRunsBySubcommand().plan ?? 0) - plansBefore;
    // Asked for alone: its own workspace, as before batching existed.
    newPortAlone = await baseline.diff(oneFleet({ appPort: 8080 }));
    const runsBefore = finishedTerraformRuns();
    cached = await buildAppliedBaseline(oneFleet());
    terraformRunsForCachedBaseline = finishedTerraformRuns() - runsBefore;
  }, TERRAFORM_TEST_TIMEOUT_MS);

  afterAll(() => {
    if (savedCacheDir === undefined) delete process.env.APP_FLEETS_CACHE_DIR;
    else process.env.APP_FLEETS_CACHE_DIR = savedCacheDir;
    rmSync(cacheDir, { recursive: true, force: true });
  });

  test("the state converges in at most three plans: the first already resolves references between resources", () => {
    expect(baseline.cachedIn).toBeUndefined();
    expect(baseline.rounds).toBeGreaterThanOrEqual(2);
    expect(baseline.rounds).toBeLessThanOrEqual(3);
  });

  test("a second baseline of the same stack is read from the on-disk cache, identical, without running terraform", () => {
    expect(cached.cachedIn).toMatch(new RegExp(`^${cacheDir}/baselines/[0-9a-f]{64}\\.json$`));
    expect(cached.state).toEqual(baseline.state);
    expect(terraformRunsForCachedBaseline).toBe(0);
  });

  test("diffs planned together in one terraform run say exactly what a diff planned alone says", () => {
    expect(plansForTwoDiffs).toBe(1);
    expect(newPort.entries).toEqual(newPortAlone.entries);
    expect(newPort.changes.length).toBeGreaterThan(0);
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
