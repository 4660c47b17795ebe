import { App, TerraformStack } from "cdktf";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AwsProvider, Lb } from "../../../lib/aws/resources";
import { AppServerGroup } from "../../../lib/fleet/app-server-group";
import { AppFleetsPolicy } from "../../../lib/policy/app-fleets-policy";
import { synthAtomically } from "../../../lib/synth/synth-atomically";
import { notifyingFleetProps } from "./policy-helpers";
import { PLACEHOLDER } from "../../support/fixtures";
import { filesUnder } from "../../support/files";

/** An app with a compliant fleet stack and, optionally, a second stack the policy rejects. */
function buildApp(outdir: string, withBadStack: boolean, fleetName = "rails4"): App {
  const app = new App({ outdir });
  const good = new TerraformStack(app, "a-good");
  new AwsProvider(good, "aws", { region: "ap-northeast-1" });
  new AppServerGroup(good, "Fleet", notifyingFleetProps({ name: fleetName }));
  if (withBadStack) {
    const bad = new TerraformStack(app, "b-bad");
    new AwsProvider(bad, "aws", { region: "ap-northeast-1" });
    new Lb(bad, "Unhardened", { name: "unhardened", subnets: [...PLACEHOLDER.subnetIds] });
  }
  AppFleetsPolicy.applyTo(app, { printReport: false });
  return app;
}

describe("synthAtomically", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "atomic-synth-"));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test("with a good and a bad stack, leaves no cdktf.out where there was none", () => {
    const outdir = join(root, "cdktf.out");
    const app = buildApp(outdir, true);
    expect(() => synthAtomically(app)).toThrow(/\[APF-LB-DELETION-PROTECTION\] aws_lb.Unhardened/);
    expect(existsSync(outdir)).toBe(false);
    expect(readdirSync(root)).toEqual([]);
  });

  test("cdktf's own App.synth() would have left the good stack half-written (the problem this solves)", () => {
    const outdir = join(root, "cdktf.out");
    const app = buildApp(outdir, true);
    expect(() => app.synth()).toThrow(/APF-LB-DELETION-PROTECTION/);
    expect(existsSync(join(outdir, "stacks", "a-good", "cdk.tf.json"))).toBe(true);
  });

  test("with a good and a bad stack, leaves the previous output unchanged", () => {
    const outdir = join(root, "cdktf.out");
    synthAtomically(buildApp(outdir, false, "rails3"));
    const before = filesUnder(outdir);
    expect(Object.keys(before)).toEqual(expect.arrayContaining(["manifest.json", join("stacks", "a-good", "cdk.tf.json")]));

    expect(() => synthAtomically(buildApp(outdir, true, "rails4"))).toThrow(/APF-LB-DELETION-PROTECTION/);
    expect(filesUnder(outdir)).toEqual(before);
    expect(readdirSync(root)).toEqual(["cdktf.out"]);
  });

  test("on success replaces the output and keeps what terraform put in a stack folder", () => {
    const outdir = join(root, "cdktf.out");
    synthAtomically(buildApp(outdir, false, "rails3"));
    const stackDir = join(outdir, "stacks", "a-good");
    mkdirSync(join(stackDir, ".terraform"));
    writeFileSync(join(stackDir, ".terraform", "marker"), "initialized");
    writeFileSync(join(stackDir, ".terraform.lock.hcl"), "# lock");

    const result = synthAtomically(buildApp(outdir, false, "rails4"));
    expect(result.stacks).toEqual(["a-good"]);
    expect(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")).toContain('"rails4-asg"');
    expect(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")).not.toContain('"rails3-asg"');
    expect(readFileSync(join(stackDir, ".terraform", "marker"), "utf8")).toBe("initialized");
    expect(existsSync(join(stackDir, ".terraform.lock.hcl"))).toBe(true);
    expect(existsSync(join(stackDir, "policy-report.json"))).toBe(true);
    expect(JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")).stacks["a-good"]).toBeDefined();
    expect(readdirSync(root)).toEqual(["cdktf.out"]);
  });
});
