/**
 * Our Terraform, checked by the real AWS provider (5.100.0 from the filesystem mirror), offline:
 * every stack of the example app passes `terraform validate` and `terraform plan`, and the
 * check is shown to bite on what TypeScript cannot see.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { AppServerGroup } from "../../lib/fleet/app-server-group";
import { OfflineWorkspace } from "../../lib/terraform/offline-workspace";
import { buildApp, configFiles } from "../../stacks/build-app";
import { fleetProps } from "../support/fixtures";
import { newStack, synthJson } from "../support/synth";
import { describeWithTerraform, TERRAFORM_TEST_TIMEOUT_MS } from "../support/terraform";

describeWithTerraform("every example stack passes terraform validate and plan", () => {
  const outdir = mkdtempSync(join(tmpdir(), "app-fleets-example-"));
  const results: Record<string, { validate: Awaited<ReturnType<OfflineWorkspace["validate"]>>; plan: Awaited<ReturnType<OfflineWorkspace["plan"]>> }> = {};
  let stackNames: string[] = [];

  beforeAll(async () => {
    const app = new App({ outdir });
    buildApp(app, configFiles());
    app.synth();
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> };
    stackNames = Object.keys(manifest.stacks);
    // Independent stacks run in parallel: each terraform call starts a ~700 MB provider.
    await Promise.all(
      stackNames.map(async (name) => {
        const ws = OfflineWorkspace.create(join(outdir, manifest.stacks[name].synthesizedStackPath));
        try {
          results[name] = { validate: await ws.validate(), plan: await ws.plan() };
        } finally {
          ws.dispose();
        }
      }),
    );
  }, TERRAFORM_TEST_TIMEOUT_MS);

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test("the example app synthesizes both layouts", () => {
    expect(stackNames.sort()).toEqual(["blue-green-prod", "two-version-staging"]);
  });

  test("terraform validate reports no errors", () => {
    for (const name of stackNames) {
      expect({ name, diagnostics: results[name].validate.diagnostics.filter((d) => d.severity === "error") }).toEqual({ name, diagnostics: [] });
      expect(results[name].validate.valid).toBe(true);
    }
  });

  test("terraform plan succeeds and creates every resource", () => {
    for (const name of stackNames) {
      const { code, stdout, stderr } = results[name].plan;
      expect({ name, code, stderr }).toEqual({ name, code: 0, stderr: "" });
      expect(stdout).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy\./);
    }
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

  test(
    "a 33-character target group name forced through an escape hatch",
    async () => {
      const result = await validateWith((fleet) => fleet.targetGroup.addOverride("name", "a".repeat(33)));
      expect(result.valid).toBe(false);
      expect(result.diagnostics.map((d) => d.summary).join("\n")).toMatch(/"name" cannot be longer than 32 characters/);
    },
    TERRAFORM_TEST_TIMEOUT_MS,
  );

  test(
    "a malformed ARN in the alarm actions",
    async () => {
      const result = await validateWith((fleet) => fleet.alarms.target5xx.addOverride("alarm_actions", ["not-an-arn"]));
      expect(result.valid).toBe(false);
      expect(JSON.stringify(result.diagnostics)).toMatch(/ARN|arn/);
    },
    TERRAFORM_TEST_TIMEOUT_MS,
  );

  test(
    "the unmodified fleet is valid, so the failures above come from the overrides",
    async () => {
      const result = await validateWith(() => undefined);
      expect(result).toEqual({ valid: true, diagnostics: [] });
    },
    TERRAFORM_TEST_TIMEOUT_MS,
  );
});
