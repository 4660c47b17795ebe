import { App, TerraformStack, Testing } from "cdktf";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AwsProvider, LaunchTemplate, Lb } from "../../../lib/aws/resources";
import { ConfigError } from "../../../lib/core/errors";
import { AppServerGroup } from "../../../lib/fleet/app-server-group";
import { AppFleetsPolicy } from "../../../lib/policy/app-fleets-policy";
import { POLICY_REPORT_FILE, summarizeReport, verboseFromEnvironment } from "../../../lib/policy/report";
import { PolicySuppressions } from "../../../lib/policy/suppressions";
import { PLACEHOLDER } from "../../support/fixtures";
import { notifyingFleetProps, PolicyRun, runPolicy, violationsOf } from "./policy-helpers";

const REASON = "internal tool behind the VPN; logs are shipped by the sidecar instead";

function imdsV1Template(scope: import("constructs").Construct, id: string): LaunchTemplate {
  return new LaunchTemplate(scope, id, {
    name: id.toLowerCase(),
    imageId: PLACEHOLDER.imageId,
    metadataOptions: { httpTokens: "optional" },
    blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true" } }],
  });
}

describe("a suppression with a written reason", () => {
  let run: PolicyRun;
  let template: LaunchTemplate;
  beforeAll(() => {
    run = runPolicy((scope) => {
      template = imdsV1Template(scope, "LegacyAgent");
      PolicySuppressions.add(template, [{ id: "APF-IMDSV2", reason: REASON }]);
    });
  });

  test("excuses the finding, so synth succeeds", () => {
    expect(violationsOf(run, "APF-IMDSV2")).toEqual([]);
    expect(run.error).toBeUndefined();
  });

  test("is listed in the report with its reason", () => {
    expect(run.report.suppressed).toEqual([
      expect.objectContaining({
        ruleId: "APF-IMDSV2",
        path: "policy/LegacyAgent",
        suppression: { reason: REASON, declaredAt: "policy/LegacyAgent" },
      }),
    ]);
  });

  test("shows up as an info annotation on the resource on request (verbose, APP_FLEETS_VERBOSE=1), and not otherwise", () => {
    const infosOf = (t: LaunchTemplate) => t.node.metadata.filter((m) => m.type === "@cdktf/info").map((m) => String(m.data));
    expect(infosOf(template)).toEqual([]);
    let verboseTemplate: LaunchTemplate | undefined;
    runPolicy(
      (scope) => {
        verboseTemplate = imdsV1Template(scope, "LegacyAgent");
        PolicySuppressions.add(verboseTemplate, [{ id: "APF-IMDSV2", reason: REASON }]);
      },
      "verbose-policy",
      { verbose: true },
    );
    const infos = infosOf(verboseTemplate!);
    expect(infos).toEqual([expect.stringContaining(`[APF-IMDSV2] suppressed: metadata_options.http_tokens is "optional"`)]);
    expect(infos[0]).toContain(REASON);
  });

  test("is written next to the resource in cdk.tf.json (under the comment key)", () => {
    const tf = run.stack.toTerraform() as { resource: Record<string, Record<string, Record<string, any>>> };
    const block = Object.values(tf.resource.aws_launch_template)[0];
    expect(block["//"].app_fleets_policy_suppressions).toEqual([{ id: "APF-IMDSV2", reason: REASON }]);
  });
});

describe("suppressions are checked when declared", () => {
  const declare = (suppressions: { id: string; reason: string }[]) => {
    const stack = new TerraformStack(Testing.app(), "declare");
    const template = imdsV1Template(stack, "Template");
    return () => PolicySuppressions.add(template, suppressions);
  };

  test("a reason shorter than 20 characters is rejected, naming the field", () => {
    expect(declare([{ id: "APF-IMDSV2", reason: "legacy" }])).toThrow(ConfigError);
    expect(declare([{ id: "APF-IMDSV2", reason: "legacy" }])).toThrow(
      /suppressions\[0\]\.reason = "legacy": is 6 characters; .*at least 20/,
    );
  });

  test("an unknown rule id is rejected, listing the known ids", () => {
    expect(declare([{ id: "APF-IMDS", reason: REASON }])).toThrow(
      /suppressions\[0\]\.id = "APF-IMDS": is not a rule of the policy pack\. Fix: use one of APF-IMDSV2, /,
    );
  });
});

describe("a suppression on a construct", () => {
  let run: PolicyRun;
  beforeAll(() => {
    run = runPolicy((scope) => {
      const fleet = new AppServerGroup(scope, "Fleet", notifyingFleetProps());
      fleet.launchTemplate.addOverride("metadata_options.http_tokens", "optional");
      PolicySuppressions.add(fleet, [{ id: "APF-IMDSV2", reason: REASON }]);
      PolicySuppressions.add(fleet, [{ id: "APF-ALARM-ACTIONS", reason: "kept for the audit: no alarm in this fleet is silenced" }]);
    });
  });

  test("excuses the rule on every resource under it", () => {
    expect(run.report.suppressed.map((f) => [f.ruleId, f.path])).toEqual([["APF-IMDSV2", "policy/Fleet/LaunchTemplate"]]);
    expect(run.error).toBeUndefined();
  });

  test("that excuses nothing is reported as unused", () => {
    expect(run.report.unusedSuppressions).toEqual([{ id: "APF-ALARM-ACTIONS", declaredAt: "policy/Fleet" }]);
  });
});

describe("an unsuppressed finding", () => {
  let outdir: string;
  let error: Error | undefined;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), "policy-synth-"));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "edge");
    new AwsProvider(stack, "aws", { region: "ap-northeast-1" });
    new Lb(stack, "PublicLb", { name: "edge", subnets: [...PLACEHOLDER.subnetIds], dropInvalidHeaderFields: true });
    AppFleetsPolicy.applyTo(app, { printReport: false });
    try {
      app.synth();
    } catch (e) {
      error = e as Error;
    }
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test("fails app.synth() with the rule id, the resource, the problem and the fix", () => {
    expect(error?.message).toContain(
      "[APF-LB-DELETION-PROTECTION] aws_lb.PublicLb (edge/PublicLb): enable_deletion_protection is not set. Fix: set enable_deletion_protection = true",
    );
    expect(error?.message).toContain("[APF-LB-ACCESS-LOGS] aws_lb.PublicLb (edge/PublicLb): access_logs is not set.");
  });

  test("stops before the stack's Terraform is written", () => {
    expect(existsSync(join(outdir, "stacks", "edge", "cdk.tf.json"))).toBe(false);
  });
});

describe("a clean synth", () => {
  let outdir: string;
  let printed: string[];
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), "policy-report-"));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "fleet");
    new AwsProvider(stack, "aws", { region: "ap-northeast-1" });
    const fleet = new AppServerGroup(stack, "Fleet", notifyingFleetProps());
    fleet.launchTemplate.addOverride("metadata_options.http_tokens", "optional");
    PolicySuppressions.add(fleet.launchTemplate, [{ id: "APF-IMDSV2", reason: REASON }]);
    // The default output (APP_FLEETS_VERBOSE unset), whatever the environment of this run.
    AppFleetsPolicy.applyTo(app, { verbose: false });
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    app.synth();
    printed = log.mock.calls.map((c) => String(c[0]));
    log.mockRestore();
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test("writes policy-report.json next to cdk.tf.json, listing suppressed findings", () => {
    const report = JSON.parse(readFileSync(join(outdir, "stacks", "fleet", POLICY_REPORT_FILE), "utf8"));
    expect(report.violations).toEqual([]);
    expect(report.suppressed).toEqual([
      expect.objectContaining({ ruleId: "APF-IMDSV2", suppression: expect.objectContaining({ reason: REASON }) }),
    ]);
    expect(existsSync(join(outdir, "stacks", "fleet", "cdk.tf.json"))).toBe(true);
  });

  test("prints one summary line per stack: counts, and where the suppressed finding is listed", () => {
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(
      /^app-fleets policy: fleet: \d+ resources, \d+ rules, 0 findings, 1 suppressed \(details: policy-report\.json beside cdk\.tf\.json, or APP_FLEETS_VERBOSE=1\)$/,
    );
  });

  test("verbose (APP_FLEETS_VERBOSE=1) prints each suppressed finding with its reason", () => {
    const report = JSON.parse(readFileSync(join(outdir, "stacks", "fleet", POLICY_REPORT_FILE), "utf8"));
    const text = summarizeReport(report, { verbose: true }).join("\n");
    expect(text).toContain(`suppressed [APF-IMDSV2] aws_launch_template.`);
    expect(text).toContain(`Reason: ${REASON}`);
    expect(verboseFromEnvironment({ APP_FLEETS_VERBOSE: "1" })).toBe(true);
    expect(verboseFromEnvironment({})).toBe(false);
  });
});

test("applying the pack to an app fails synth for a stack added afterwards", () => {
  const app = Testing.app();
  new TerraformStack(app, "early");
  AppFleetsPolicy.applyTo(app, { printReport: false });
  new TerraformStack(app, "late");
  expect(app.node.validate()).toEqual([expect.stringContaining(`stack "late" was created after AppFleetsPolicy.applyTo(app)`)]);
});
