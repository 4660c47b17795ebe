/**
 * A scratch Terraform working directory for a synthesized cdktf stack, wired to run
 * `terraform init`, `validate` and `plan` with the real AWS provider and no network
 * and no AWS account: providers come from a filesystem mirror, and an override file
 * tells the provider to skip credential, account and region checks.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AWS_PROVIDER_VERSION, findProviderMirror, ProviderMirror } from "./mirror";
import { applySharedInit, needsOnlyAwsProvider, offlineCliConfig, WORKSPACE_STATE_FILE } from "./shared-init";
import { runTerraform, terraformVersion, TerraformResult } from "./terraform-cli";

/** Whether offline Terraform checks can run here, and if not, why. */
export type TerraformAvailability =
  | { readonly available: true; readonly terraformVersion: string; readonly mirror: ProviderMirror }
  | { readonly available: false; readonly reason: string };

let cachedAvailability: TerraformAvailability | undefined;

export function offlineTerraformAvailability(version = AWS_PROVIDER_VERSION): TerraformAvailability {
  if (cachedAvailability) return cachedAvailability;
  const tf = terraformVersion();
  if (!tf) {
    cachedAvailability = { available: false, reason: "terraform is not on PATH (Terraform >= 1.5 is needed)" };
    return cachedAvailability;
  }
  const mirror = findProviderMirror(version);
  cachedAvailability =
    "missing" in mirror ? { available: false, reason: mirror.missing } : { available: true, terraformVersion: tf, mirror };
  return cachedAvailability;
}

/** One diagnostic from `terraform validate -json`. */
export interface TerraformDiagnostic {
  readonly severity: "error" | "warning";
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
}

export interface ValidateResult {
  readonly valid: boolean;
  readonly diagnostics: readonly TerraformDiagnostic[];
}

/** What `OfflineWorkspace.check()` found: validation diagnostics and, when the plan succeeded, its changes. */
export interface CheckResult extends ValidateResult {
  /** Exit code of `terraform plan`: 0 when it succeeded. */
  readonly code: number;
  /** Counts of the plan's summary line (`Plan: N to add, N to change, N to destroy`); undefined when it failed. */
  readonly planned?: { readonly add: number; readonly change: number; readonly destroy: number };
  /** Every planned resource change: address and action (`create`, `update`, `replace`, `delete`, ...). */
  readonly changes: ReadonlyArray<{ readonly address: string; readonly action: string }>;
  /** Output terraform printed that is not a JSON message (normally empty). */
  readonly stderr: string;
}

/** Reads `terraform plan -json` (Terraform's machine-readable UI: one JSON message per line). */
export function parsePlanStream(result: TerraformResult): CheckResult {
  const diagnostics: TerraformDiagnostic[] = [];
  const changes: Array<{ address: string; action: string }> = [];
  let planned: CheckResult["planned"];
  for (const line of result.stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    let message: {
      type?: string;
      diagnostic?: { severity: "error" | "warning"; summary: string; detail?: string; address?: string };
      changes?: { add: number; change: number; remove: number };
      change?: { resource?: { addr?: string }; action?: string };
    };
    try {
      message = JSON.parse(line);
    } catch {
      continue;
    }
    if (message.type === "diagnostic" && message.diagnostic) {
      const d = message.diagnostic;
      diagnostics.push({ severity: d.severity, summary: d.summary, detail: d.detail, address: d.address });
    } else if (message.type === "change_summary" && message.changes) {
      planned = { add: message.changes.add, change: message.changes.change, destroy: message.changes.remove };
    } else if (message.type === "planned_change" && message.change?.resource?.addr && message.change.action) {
      changes.push({ address: message.change.resource.addr, action: message.change.action });
    }
  }
  const valid = result.code === 0 && !diagnostics.some((d) => d.severity === "error");
  return { valid, diagnostics, code: result.code, planned: result.code === 0 ? planned : undefined, changes, stderr: result.stderr };
}

type TerraformJson = {
  provider?: Record<string, Array<Record<string, unknown>> | Record<string, unknown>>;
  terraform?: Record<string, unknown>;
};

/** Provider settings that let plan run with no credentials and no network. */
const OFFLINE_AWS_SETTINGS = {
  access_key: "AKIAOFFLINEPLANONLY00",
  secret_key: "offline-plan-only-not-a-secret",
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
};

/**
 * Builds the override file: offline AWS provider settings and a local backend in the workspace.
 * `providerSettings` are merged over the offline settings in every `aws` block (e.g. the endpoints
 * and credentials of an emulated AWS, see emulated-aws.ts).
 */
export function offlineOverride(
  config: TerraformJson,
  statePath: string,
  providerSettings: Record<string, unknown> = {},
): Record<string, unknown> {
  const declared = config.provider?.aws;
  const blocks = Array.isArray(declared) ? declared : declared ? [declared] : [{}];
  const aws = blocks.map((block) => ({
    ...(typeof block.alias === "string" ? { alias: block.alias } : {}),
    ...OFFLINE_AWS_SETTINGS,
    ...providerSettings,
  }));
  return {
    provider: { aws },
    terraform: { backend: { local: { path: statePath } } },
  };
}

export interface OfflineWorkspaceOptions {
  /** Settings merged over the offline ones in every `aws` provider block. @default - none */
  readonly providerSettings?: Record<string, unknown>;
  /** Environment added to every terraform run. @default - none */
  readonly env?: NodeJS.ProcessEnv;
}

export class OfflineWorkspace {
  /** Creates a workspace for the given synthesized Terraform JSON (an object or a `cdk.tf.json` path). */
  static create(config: object | string, mirror?: ProviderMirror, options: OfflineWorkspaceOptions = {}): OfflineWorkspace {
    const resolvedMirror = mirror ?? requireAvailable().mirror;
    const dir = mkdtempSync(join(tmpdir(), "app-fleets-tf-"));
    return new OfflineWorkspace(dir, resolvedMirror, config, options);
  }

  readonly dir: string;
  readonly statePath: string;
  /** The CLI configuration file (TF_CLI_CONFIG_FILE) that installs providers from the mirror only. */
  readonly cliConfigPath: string;
  private initialized = false;
  private readonly mirror: ProviderMirror;
  /** Whether the configuration needs only hashicorp/aws, so the shared init serves it (shared-init.ts). */
  private sharedInitFits = false;

  private constructor(
    dir: string,
    mirror: ProviderMirror,
    config: object | string,
    private readonly options: OfflineWorkspaceOptions = {},
  ) {
    this.dir = dir;
    this.statePath = join(dir, WORKSPACE_STATE_FILE);
    this.cliConfigPath = join(dir, "offline.tfrc");
    this.mirror = mirror;
    writeFileSync(this.cliConfigPath, offlineCliConfig(mirror));
    this.setConfig(config);
  }

  /** Replaces the Terraform configuration (e.g. with the next version of a stack), keeping state and providers. */
  setConfig(config: object | string): void {
    const parsed: TerraformJson =
      typeof config === "string" ? (JSON.parse(readFileSync(config, "utf8")) as TerraformJson) : (config as TerraformJson);
    writeFileSync(join(this.dir, "cdk.tf.json"), JSON.stringify(parsed, null, 2));
    // The state path is relative (the workspace is terraform's working directory), so every
    // workspace has the same backend settings and the shared init's backend record fits it.
    writeFileSync(
      join(this.dir, "offline_override.tf.json"),
      JSON.stringify(offlineOverride(parsed, WORKSPACE_STATE_FILE, this.options.providerSettings), null, 2),
    );
    const fits = needsOnlyAwsProvider(parsed);
    // A new configuration that needs more than the shared init installed gets a real init.
    if (this.initialized && this.sharedInitFits && !fits) this.initialized = false;
    this.sharedInitFits = fits;
  }

  /** Runs terraform with the offline CLI configuration; throws with the output when it fails. */
  async run(args: readonly string[], options: { allowFailure?: boolean } = {}): Promise<TerraformResult> {
    const result = await runTerraform(args, {
      cwd: this.dir,
      env: { ...this.options.env, TF_CLI_CONFIG_FILE: this.cliConfigPath },
    });
    if (result.code !== 0 && !options.allowFailure) {
      throw new Error(`terraform ${args.join(" ")} failed in ${this.dir} (exit ${result.code}):\n${result.stderr}${result.stdout}`);
    }
    return result;
  }

  /** Initializes the workspace: from the shared init when the configuration needs only hashicorp/aws, else `terraform init`. */
  async init(): Promise<void> {
    if (this.initialized) return;
    const availability = offlineTerraformAvailability();
    if (this.sharedInitFits && availability.available) {
      await applySharedInit(this.dir, this.mirror, availability.terraformVersion);
    } else {
      await this.run(["init", "-input=false", "-no-color"]);
    }
    this.initialized = true;
  }

  async validate(): Promise<ValidateResult> {
    await this.init();
    const result = await this.run(["validate", "-json", "-no-color"], { allowFailure: true });
    const parsed = JSON.parse(result.stdout) as {
      valid: boolean;
      diagnostics: Array<{ severity: "error" | "warning"; summary: string; detail?: string; address?: string }>;
    };
    return {
      valid: parsed.valid,
      diagnostics: parsed.diagnostics.map((d) => ({
        severity: d.severity,
        summary: d.summary,
        detail: d.detail,
        address: d.address,
      })),
    };
  }

  /**
   * Validates and plans in one terraform run: `terraform plan` validates the configuration
   * first (its validate walk), so a separate `terraform validate` would start the ~700 MB
   * provider once more for nothing. Reads the plan's machine-readable output (`-json`):
   * the same diagnostics `validate -json` gives, plus what the plan would do.
   */
  async check(): Promise<CheckResult> {
    await this.init();
    const result = await this.run(["plan", "-json", "-refresh=false", "-input=false", "-lock=false"], { allowFailure: true });
    return parsePlanStream(result);
  }

  /** `terraform plan -refresh=false`; resolves with the result whether or not the plan succeeded. */
  async plan(extraArgs: readonly string[] = []): Promise<TerraformResult> {
    await this.init();
    return this.run(["plan", "-refresh=false", "-input=false", "-no-color", "-lock=false", ...extraArgs], {
      allowFailure: true,
    });
  }

  /** Plans, saves the plan and returns `terraform show -json` of it. */
  async planJson(): Promise<Record<string, unknown>> {
    const planFile = join(this.dir, "plan.out");
    const planned = await this.plan([`-out=${planFile}`]);
    if (planned.code !== 0) {
      throw new Error(`terraform plan failed in ${this.dir}:\n${planned.stderr}${planned.stdout}`);
    }
    const shown = await this.run(["show", "-json", "-no-color", planFile]);
    return JSON.parse(shown.stdout) as Record<string, unknown>;
  }

  /** Writes a state (e.g. an "as applied" state built offline) as this workspace's local state. */
  async writeState(state: object): Promise<void> {
    // After init, never before: the first init moves a state file it finds into the backend and leaves it empty.
    await this.init();
    writeFileSync(this.statePath, JSON.stringify(state, null, 2));
  }

  /** `terraform providers schema -json` for the providers this configuration uses. */
  async providerSchemasJson(): Promise<Record<string, unknown>> {
    await this.init();
    const shown = await this.run(["providers", "schema", "-json"]);
    return JSON.parse(shown.stdout) as Record<string, unknown>;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function requireAvailable(): Extract<TerraformAvailability, { available: true }> {
  const availability = offlineTerraformAvailability();
  if (!availability.available) throw new Error(`offline Terraform checks cannot run: ${availability.reason}`);
  return availability;
}
