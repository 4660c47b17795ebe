/**
 * Our Terraform, checked by the real AWS provider (5.100.0 from the filesystem mirror), offline:
 * every stack of the example app passes validation and `terraform plan`, a sample of generated
 * fleets passes `terraform validate`, and the check is shown to bite on what TypeScript cannot see.
 * A stack that is planned is validated by that plan (one terraform run: `OfflineWorkspace.check`).
 */
import { App, TerraformStack } from "cdktf";
import fc from "fast-check";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AwsProvider } from "../../lib/aws/resources";
import { AppServerGroup } from "../../lib/fleet/app-server-group";
import { qualifyName } from "../../lib/core/names";
import { CheckResult, OfflineWorkspace, ValidateResult } from "../../lib/terraform/offline-workspace";
import { buildApp, configFiles, EXAMPLE_CONFIG_DIR } from "../../stacks/build-app";
import { validFleetProps } from "../property/fleet-arbitraries";
import { SYNTH_SAMPLE } from "../property/property-runs";
import { fleetProps } from "../support/fixtures";
import { newStack, synthJson } from "../support/synth";
import { describeWithTerraform } from "../support/terraform";

describeWithTerraform("every example stack passes terraform validation and plan", () => {
  const outdir = mkdtempSync(join(tmpdir(), "app-fleets-example-"));
  const results: Record<string, CheckResult> = {};
  let stackNames: string[] = [];

  beforeAll(async () => {
    const app = new App({ outdir });
    buildApp(app, configFiles(EXAMPLE_CONFIG_DIR));
    app.synth();
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
      stacks: Record<string, { synthesizedStackPath: string }>;
    };
    stackNames = Object.keys(manifest.stacks);
    // Independent stacks run in parallel: each terraform call starts a ~700 MB provider.
    await Promise.all(
      stackNames.map(async (name) => {
        const ws = OfflineWorkspace.create(join(outdir, manifest.stacks[name].synthesizedStackPath));
        try {
          results[name] = await ws.check();
        } finally {
          ws.dispose();
        }
      }),
    );
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test("the example app synthesizes both layouts", () => {
    expect(stackNames.sort()).toEqual(["blue-green-prod", "two-version-staging"]);
  });

  test("validation reports no errors", () => {
    for (const name of stackNames) {
      expect({ name, errors: results[name].diagnostics.filter((d) => d.severity === "error") }).toEqual({ name, errors: [] });
      expect(results[name].valid).toBe(true);
    }
  });

  test("terraform plan succeeds and creates every resource", () => {
    for (const name of stackNames) {
      const { code, stderr, planned, changes } = results[name];
      expect({ name, code, stderr }).toEqual({ name, code: 0, stderr: "" });
      expect(planned).toEqual({ add: expect.any(Number), change: 0, destroy: 0 });
      expect(planned!.add).toBeGreaterThan(40);
      expect(changes.every((c) => c.action === "create")).toBe(true);
    }
  });
});

describeWithTerraform("a sample of generated fleets passes terraform validate", () => {
  // The sample the property tests synthesize (test/property/fleet-props.property.test.ts): same size, same seed.
  const sample = fc.sample(
    fc.uniqueArray(validFleetProps, {
      minLength: SYNTH_SAMPLE,
      maxLength: SYNTH_SAMPLE,
      selector: (p) => qualifyName(p.name, p.namespace),
    }),
    { numRuns: 1, seed: Number(process.env.PROPERTY_SEED ?? 4242) },
  )[0];
  let result: ValidateResult;

  beforeAll(async () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), "prop-sample-")) });
    const stack = new TerraformStack(app, "generated");
    new AwsProvider(stack, "aws", { region: "ap-northeast-1" });
    sample.forEach((props, i) => new AppServerGroup(stack, `Fleet${i}`, props));
    const ws = OfflineWorkspace.create(synthJson(stack));
    try {
      result = await ws.validate();
    } finally {
      ws.dispose();
      rmSync(app.outdir, { recursive: true, force: true });
    }
  });

  test(`terraform accepts all ${SYNTH_SAMPLE} generated fleets in one stack`, () => {
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.valid).toBe(true);
  });
});

describeWithTerraform("the terraform check rejects what TypeScript cannot see", () => {
  async function validateWith(mutate: (fleet: AppServerGroup) => void) {
    const { stack } = newStack();
    const fleet = new AppServerGroup(stack, "Fleet", fleetProps());
    mutate(fleet);
    const ws = OfflineWorkspace.create(synthJson(stack));
    try {
      return await ws.validate();
    } finally {
      ws.dispose();
    }
  }

  test("a 33-character target group name forced through an escape hatch", async () => {
    const result = await validateWith((fleet) => fleet.targetGroup.addOverride("name", "a".repeat(33)));
    expect(result.valid).toBe(false);
    expect(result.diagnostics.map((d) => d.summary).join("\n")).toMatch(/"name" cannot be longer than 32 characters/);
  });

  test("a malformed ARN in the alarm actions", async () => {
    const result = await validateWith((fleet) => fleet.alarms.target5xx.addOverride("alarm_actions", ["not-an-arn"]));
    expect(result.valid).toBe(false);
    expect(JSON.stringify(result.diagnostics)).toMatch(/ARN|arn/);
  });

  test("the unmodified fleet is valid, so the failures above come from the overrides", async () => {
    const result = await validateWith(() => undefined);
    expect(result).toEqual({ valid: true, diagnostics: [] });
  });

  test("a plan reports the same error a validate does (what makes a separate validate redundant)", async () => {
    const { stack } = newStack();
    const fleet = new AppServerGroup(stack, "Fleet", fleetProps());
    fleet.targetGroup.addOverride("name", "a".repeat(33));
    const ws = OfflineWorkspace.create(synthJson(stack));
    try {
      const checked = await ws.check();
      expect(checked.valid).toBe(false);
      expect(checked.planned).toBeUndefined();
      expect(checked.diagnostics.map((d) => d.summary).join("\n")).toMatch(/"name" cannot be longer than 32 characters/);
    } finally {
      ws.dispose();
    }
  });
});
