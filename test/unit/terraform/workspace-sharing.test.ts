/** The pure parts of the shared init, the batched plan and the plan-with-diagnostics check. */
import { StateV4 } from "../../../lib/terraform/applied-state";
import { planOfModule, sharedProviderSection, stateForModules } from "../../../lib/terraform/batch-plan";
import { parsePlanStream } from "../../../lib/terraform/offline-workspace";
import { PlanJson } from "../../../lib/terraform/plan-json";
import { needsOnlyAwsProvider, withoutHashes } from "../../../lib/terraform/shared-init";
import { AWS, change } from "./plan-fixtures";

describe("which configurations the shared terraform init serves", () => {
  test("hashicorp/aws only, by any spelling of its source, and Terraform's built-in resources", () => {
    expect(
      needsOnlyAwsProvider({ terraform: { required_providers: { aws: { source: "aws", version: "5.100.0" } } }, resource: { aws_lb: {} } }),
    ).toBe(true);
    expect(
      needsOnlyAwsProvider({ terraform: { required_providers: { aws: { source: "hashicorp/aws" } } }, resource: { terraform_data: {} } }),
    ).toBe(true);
  });

  test("another provider (declared or implied by a resource type) or a module needs a real init", () => {
    expect(needsOnlyAwsProvider({ terraform: { required_providers: { random: { source: "hashicorp/random" } } } })).toBe(false);
    expect(needsOnlyAwsProvider({ resource: { random_id: {} } })).toBe(false);
    expect(needsOnlyAwsProvider({ module: { vpc: { source: "terraform-aws-modules/vpc/aws" } } })).toBe(false);
    expect(needsOnlyAwsProvider({ terraform: { required_providers: { aws: { source: "someone/aws" } } } })).toBe(false);
  });

  test("the workspaces' lock file keeps the version and drops the hashes", () => {
    const lock = [
      'provider "registry.terraform.io/hashicorp/aws" {',
      '  version     = "5.100.0"',
      '  constraints = "5.100.0"',
      "  hashes = [",
      '    "h1:edXOJWE4ORX8Fm+dpVpICzMZJat4AX0VRCAy/xkcOc0=",',
      "  ]",
      "}",
      "",
    ].join("\n");
    expect(withoutHashes(lock)).toBe(
      ['provider "registry.terraform.io/hashicorp/aws" {', '  version     = "5.100.0"', '  constraints = "5.100.0"', "}", ""].join("\n"),
    );
  });
});

describe("several versions planned in one run", () => {
  const state: StateV4 = {
    version: 4,
    terraform_version: "1.11.4",
    serial: 3,
    lineage: "l",
    outputs: {},
    resources: [
      {
        mode: "managed",
        type: "aws_autoscaling_group",
        name: "Web",
        provider: `provider["${AWS}"]`,
        instances: [
          { schema_version: 1, attributes: { name: "web" }, sensitive_attributes: [], dependencies: ["aws_launch_template.Web"] },
        ],
      },
    ],
  };

  test("each module gets its own copy of the baseline: addresses, dependencies and provider under module.<name>", () => {
    const batched = stateForModules(state, ["c0", "c1"]);
    expect(batched.resources.map((r) => [r.module, r.provider, r.instances[0].dependencies])).toEqual([
      ["module.c0", `module.c0.provider["${AWS}"]`, ["module.c0.aws_launch_template.Web"]],
      ["module.c1", `module.c1.provider["${AWS}"]`, ["module.c1.aws_launch_template.Web"]],
    ]);
    expect(batched.lineage).toBe(state.lineage);
  });

  test("when every version configures the provider alike, the root configures it once and the state names the root's provider", () => {
    const provider = { aws: [{ region: "ap-northeast-1", default_tags: [{ tags: { Service: "web" } }] }] };
    expect(sharedProviderSection([{ provider }, { provider: JSON.parse(JSON.stringify(provider)) }])).toEqual(provider);
    expect(sharedProviderSection([{ provider }, { provider: { aws: [{ region: "eu-west-1" }] } }])).toBeUndefined();
    expect(sharedProviderSection([{ provider: { aws: [{ region: "x" }, { alias: "use1", region: "us-east-1" }] } }])).toBeUndefined();
    expect(stateForModules(state, ["c0"], true).resources[0].provider).toBe(`provider["${AWS}"]`);
  });

  test("the plan is split back per module, with the addresses a plan of that stack alone has", () => {
    const plan: PlanJson = {
      format_version: "1.2",
      terraform_version: "1.11.4",
      resource_changes: [
        {
          ...change("aws_autoscaling_group", "Web", ["update"]),
          address: "module.c0.aws_autoscaling_group.Web",
          module_address: "module.c0",
        },
        {
          ...change("aws_autoscaling_group", "Web", ["no-op"]),
          address: "module.c1.aws_autoscaling_group.Web",
          module_address: "module.c1",
        },
      ],
    };
    expect(planOfModule(plan, "c1").resource_changes).toEqual([change("aws_autoscaling_group", "Web", ["no-op"])]);
    expect(planOfModule(plan, "c0").resource_changes!.map((rc) => [rc.address, rc.change.actions])).toEqual([
      ["aws_autoscaling_group.Web", ["update"]],
    ]);
  });
});

describe("a plan that reports its validation diagnostics (one terraform run instead of validate + plan)", () => {
  const line = (message: object) => JSON.stringify(message);

  test("a successful plan is valid and says what it would do", () => {
    const result = parsePlanStream({
      code: 0,
      stderr: "",
      stdout: [
        line({ type: "version", terraform: "1.11.4" }),
        line({ type: "planned_change", change: { resource: { addr: "aws_lb.Main" }, action: "create" } }),
        line({ type: "diagnostic", diagnostic: { severity: "warning", summary: "Deprecated attribute" } }),
        line({ type: "change_summary", changes: { add: 1, change: 0, import: 0, remove: 0, operation: "plan" } }),
      ].join("\n"),
    });
    expect(result).toEqual({
      valid: true,
      code: 0,
      stderr: "",
      planned: { add: 1, change: 0, destroy: 0 },
      changes: [{ address: "aws_lb.Main", action: "create" }],
      diagnostics: [{ severity: "warning", summary: "Deprecated attribute", detail: undefined, address: undefined }],
    });
  });

  test("an invalid configuration is reported with the error diagnostics validate gives", () => {
    const result = parsePlanStream({
      code: 1,
      stderr: "",
      stdout: line({
        type: "diagnostic",
        diagnostic: { severity: "error", summary: '"name" cannot be longer than 32 characters', detail: "", address: "aws_lb.Main" },
      }),
    });
    expect(result.valid).toBe(false);
    expect(result.planned).toBeUndefined();
    expect(result.diagnostics).toEqual([
      { severity: "error", summary: '"name" cannot be longer than 32 characters', detail: "", address: "aws_lb.Main" },
    ]);
  });
});
