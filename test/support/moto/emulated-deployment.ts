/**
 * One example stack, deployed for real against the emulated AWS and changed step by step, as a
 * user follows the README walkthroughs: each step edits a copy of the configuration, synthesizes
 * it in-process (as `cdktf synth` does: stacks/build-app.ts, the policy pack, all-or-nothing),
 * applies it with terraform and the real AWS provider, plans again (which must be empty), and
 * reads the live state back.
 *
 * Two ways to drive terraform, both offline (providers from the filesystem mirror only):
 * - "terraform": an OfflineWorkspace whose provider blocks name the emulator's endpoint for every
 *   service (lib/terraform/emulated-aws.ts), with few retries;
 * - "cdktf-cli": `npx cdktf deploy|diff|destroy` as the README runs them, the endpoint coming from
 *   AWS_ENDPOINT_URL; the steps between run terraform in the stack directory the CLI created.
 */
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { App } from "cdktf";
import { loadElbV2Sdk } from "../../../lib/live/read-live";
import { AppFleetsPolicy } from "../../../lib/policy/app-fleets-policy";
import type { CompiledRouting, RouteTarget } from "../../../lib/routing/types";
import { synthAtomically } from "../../../lib/synth/synth-atomically";
import { EMULATED_AWS_CREDENTIALS, emulatedAwsEnvironment, emulatedAwsProviderSettings } from "../../../lib/terraform/emulated-aws";
import { offlineTerraformAvailability, OfflineWorkspace } from "../../../lib/terraform/offline-workspace";
import { runTerraform, TerraformResult } from "../../../lib/terraform/terraform-cli";
import { buildApp, EXAMPLE_CONFIG_DIR, lockFileOf } from "../../../stacks/build-app";
import type { FleetEnvironmentStack } from "../../../stacks/layouts/fleet-environment";
import type { TerraformJson } from "../synth";
import { ApplyEvent, eventsFromJsonLog, eventsFromTextLog } from "./apply-log";
import { AwsEndpoint } from "./aws-client";
import { createEmulatedNetwork, EmulatedNetwork } from "./emulated-network";
import { LiveDeploymentState, liveMismatches, readLiveDeployment } from "./live-state";
import { MotoServer, startMotoServer } from "./moto-server";

export type ExampleFile = "two-version.staging.json" | "blue-green.production.json";
export type DeployMode = "terraform" | "cdktf-cli";

const REPO_ROOT = resolve(__dirname, "..", "..", "..");
/** Until the configuration is read. */
const DEFAULT_REGION = "ap-northeast-1";

/** The configuration after a step, synthesized. */
export interface SynthesizedConfig {
  readonly stackId: string;
  readonly json: TerraformJson;
  readonly compiled: CompiledRouting<RouteTarget>;
  readonly loadBalancerName: string;
  readonly trafficPort: number;
}

/** What one walkthrough step did. */
export interface StepResult {
  readonly label: string;
  readonly synth: SynthesizedConfig;
  /** The apply's resource events, in order. */
  readonly events: readonly ApplyEvent[];
  /** `action address` of every change the plan right after the apply still wanted: empty when the apply converged. */
  readonly secondPlan: readonly string[];
  readonly live: LiveDeploymentState;
  /** Differences between the live state and the configuration: empty when the deployment is what it says. */
  readonly mismatches: readonly string[];
}

export interface CommandResult {
  readonly code: number;
  readonly output: string;
}

type Json = any;

/** `action address` of each resource change in `terraform plan -json` output. */
function plannedChanges(stdout: string): string[] {
  const changes: string[] = [];
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const message = JSON.parse(line) as { type?: string; change?: { resource?: { addr?: string }; action?: string } };
    if (message.type === "planned_change" && message.change?.resource?.addr)
      changes.push(`${message.change.action} ${message.change.resource.addr}`);
  }
  return changes.sort();
}

/** Error diagnostics of a `-json` run, one line each. */
function diagnostics(stdout: string): string {
  return stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as { type?: string; diagnostic?: { severity: string; summary: string; detail?: string; address?: string } })
    .filter((m) => m.type === "diagnostic" && m.diagnostic?.severity === "error")
    .map((m) => `${m.diagnostic!.address ?? ""} ${m.diagnostic!.summary}: ${m.diagnostic!.detail ?? ""}`.trim())
    .join("\n");
}

export class EmulatedDeployment {
  /**
   * Starts an emulator, creates the network and certificate, and writes the configuration copy.
   * Call `stop()` in afterAll whatever happens.
   */
  static async start(
    example: ExampleFile,
    mode: DeployMode,
    label: string,
    edit: (config: Json) => void = () => undefined,
  ): Promise<EmulatedDeployment> {
    const deployment = new EmulatedDeployment(example, mode, label);
    try {
      deployment.progress(`starting moto (${mode})`);
      deployment.moto = await startMotoServer();
      deployment.progress(`moto pid ${deployment.moto.pid} on ${deployment.moto.url}`);
      const raw = JSON.parse(readFileSync(join(EXAMPLE_CONFIG_DIR, example), "utf8"));
      deployment.region = raw.region;
      deployment.network = await createEmulatedNetwork(deployment.endpoint);
      raw.network = {
        vpcId: deployment.network.vpcId,
        publicSubnetIds: deployment.network.publicSubnetIds,
        privateSubnetIds: deployment.network.privateSubnetIds,
      };
      raw.loadBalancer = { ...raw.loadBalancer, certificateArn: deployment.network.certificateArn };
      // Local state in the stack's working directory (the default a configuration may only narrow).
      raw.state = { backend: "local" };
      edit(raw);
      deployment.current = raw;
      // The example's stack lock goes with it, so the deployment starts from the priorities it records.
      const lock = lockFileOf(join(EXAMPLE_CONFIG_DIR, example));
      if (existsSync(lock)) copyFileSync(lock, lockFileOf(deployment.configPath));
      return deployment;
    } catch (error) {
      await deployment.stop();
      throw error;
    }
  }

  readonly dir: string;
  /** The configuration copy every step edits (its stack lock is written beside it). */
  readonly configPath: string;
  moto?: MotoServer;
  network?: EmulatedNetwork;
  private current: Json;
  private workspace?: OfflineWorkspace;
  private cliStackDir?: string;
  private readonly cliConfigPath: string;
  private readonly started = Date.now();
  private synthCount = 0;
  private deployed = false;
  private stackId?: string;
  private localStatePath?: string;
  /** The configuration's region: the network, the certificate and every call live there. */
  private region = DEFAULT_REGION;

  private constructor(
    readonly example: ExampleFile,
    readonly mode: DeployMode,
    readonly label: string,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), `app-fleets-deploy-${label}-`));
    mkdirSync(join(this.dir, "config"));
    this.configPath = join(this.dir, "config", example);
    this.cliConfigPath = join(this.dir, "offline.tfrc");
  }

  /** The emulator's API endpoint, for the harness's own calls. */
  get endpoint(): AwsEndpoint {
    return { url: this.moto!.url, region: this.region, ...EMULATED_AWS_CREDENTIALS };
  }

  /** An ELBv2 client (AWS SDK v3) on the emulator, for changes behind Terraform's back; destroy it after use. */
  elbv2() {
    const sdk = loadElbV2Sdk();
    const { region, url, accessKeyId, secretAccessKey } = this.endpoint;
    return { sdk, client: new sdk.ElasticLoadBalancingV2Client({ region, endpoint: url, credentials: { accessKeyId, secretAccessKey } }) };
  }

  /** Environment for terraform, the cdktf CLI and `app-fleets` against this emulator. */
  get environment(): NodeJS.ProcessEnv {
    return {
      ...emulatedAwsEnvironment(this.moto!.url, this.region),
      TF_CLI_CONFIG_FILE: this.cliConfigPath,
      // Steps add routes, so the stack lock beside the configuration copy changes: write it, even under CI.
      APP_FLEETS_LOCK: "write",
    };
  }

  /** A copy of the configuration as it stands (after the last successful synth). */
  get config(): Json {
    return structuredClone(this.current);
  }

  /** Prints one progress line at once (jest buffers console output until a test ends). */
  progress(message: string): void {
    process.stderr.write(`[deploy ${this.label} +${((Date.now() - this.started) / 1000).toFixed(1)}s] ${message}\n`);
  }

  /**
   * Writes the edited configuration and synthesizes it in-process, as `cdktf synth` does. On a
   * synth error the configuration file is put back, so the deployment stays at the last good step.
   */
  synth(edit: (config: Json) => void = () => undefined): SynthesizedConfig {
    const next = this.config;
    edit(next);
    writeFileSync(this.configPath, JSON.stringify(next, null, 2));
    const outdir = join(this.dir, `synth-${++this.synthCount}`);
    const previousLockMode = process.env.APP_FLEETS_LOCK;
    process.env.APP_FLEETS_LOCK = "write";
    try {
      const app = new App({ outdir });
      const [stack] = buildApp(app, [this.configPath]) as FleetEnvironmentStack[];
      // The pack judges as in `cdktf synth`; its summary would only clutter the test log.
      AppFleetsPolicy.applyTo(app, { printReport: false });
      synthAtomically(app);
      const json = JSON.parse(readFileSync(join(outdir, "stacks", stack.node.id, "cdk.tf.json"), "utf8")) as TerraformJson;
      this.current = next;
      this.stackId = stack.node.id;
      this.localStatePath = (json.terraform as { backend?: { local?: { path?: string } } } | undefined)?.backend?.local?.path;
      return {
        stackId: stack.node.id,
        json,
        compiled: stack.router.compiled,
        loadBalancerName: stack.router.settings.loadBalancerName,
        trafficPort: stack.router.settings.httpOnly ? 80 : 443,
      };
    } catch (error) {
      writeFileSync(this.configPath, JSON.stringify(this.current, null, 2));
      throw error;
    } finally {
      if (previousLockMode === undefined) delete process.env.APP_FLEETS_LOCK;
      else process.env.APP_FLEETS_LOCK = previousLockMode;
    }
  }

  private mirror() {
    const availability = offlineTerraformAvailability();
    if (!availability.available) throw new Error(`terraform cannot run: ${availability.reason}`);
    return availability.mirror;
  }

  private writeCliConfig(): void {
    // The provider comes from the mirror; `direct` excludes the registry, so nothing is fetched.
    writeFileSync(
      this.cliConfigPath,
      [
        "provider_installation {",
        `  filesystem_mirror {\n    path    = ${JSON.stringify(this.mirror().path)}\n    include = ["registry.terraform.io/hashicorp/*"]\n  }`,
        '  direct { exclude = ["registry.terraform.io/hashicorp/*"] }',
        "}",
        "",
      ].join("\n"),
    );
  }

  /** Runs terraform where this deployment's configuration lives. */
  private async terraform(args: readonly string[]): Promise<TerraformResult> {
    if (this.mode === "terraform") return this.workspace!.run(args, { allowFailure: true });
    return runTerraform(args, { cwd: this.cliStackDir!, env: this.environment });
  }

  /** Runs `npx cdktf <args>` in the repository, against this deployment's configuration copy. */
  cdktf(args: readonly string[]): Promise<CommandResult> {
    this.writeCliConfig();
    return new Promise((resolvePromise, reject) => {
      const child = spawn("npx", ["cdktf", ...args, "--skip-provider-lock", "--output", join(this.dir, "cdktf.out")], {
        cwd: REPO_ROOT,
        env: { ...process.env, ...this.environment, APP_FLEETS_CONFIG: this.configPath, CI: "true", FORCE_COLOR: "0" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const chunks: Buffer[] = [];
      child.stdout.on("data", (d: Buffer) => chunks.push(d));
      child.stderr.on("data", (d: Buffer) => chunks.push(d));
      child.on("error", reject);
      child.on("close", (code) => resolvePromise({ code: code ?? 1, output: Buffer.concat(chunks).toString("utf8") }));
    });
  }

  /** Applies the synthesized configuration; resolves with the apply's events, rejects with terraform's errors. */
  async apply(synth: SynthesizedConfig): Promise<ApplyEvent[]> {
    if (this.mode === "cdktf-cli" && !this.deployed) {
      this.progress(`npx cdktf deploy ${synth.stackId}`);
      const result = await this.cdktf(["deploy", synth.stackId, "--auto-approve"]);
      writeFileSync(join(this.dir, "cdktf-deploy.log"), result.output);
      if (result.code !== 0) throw new Error(`npx cdktf deploy failed (exit ${result.code}):\n${result.output.slice(-6000)}`);
      this.cliStackDir = join(this.dir, "cdktf.out", "stacks", synth.stackId);
      this.deployed = true;
      return eventsFromTextLog(result.output);
    }
    if (this.mode === "cdktf-cli") {
      // What `cdktf deploy` runs after its synth: terraform apply in the stack directory.
      writeFileSync(join(this.cliStackDir!, "cdk.tf.json"), JSON.stringify(synth.json, null, 2));
    } else if (!this.workspace) {
      this.workspace = OfflineWorkspace.create(synth.json, this.mirror(), {
        providerSettings: emulatedAwsProviderSettings(this.moto!.url),
        env: { ...emulatedAwsEnvironment(this.moto!.url, this.region), APP_FLEETS_LOCK: "write" },
      });
      await this.workspace.init();
    } else {
      this.workspace.setConfig(synth.json);
    }
    const result = await this.terraform(["apply", "-auto-approve", "-input=false", "-no-color", "-json"]);
    if (result.code !== 0)
      throw new Error(
        `terraform apply failed (exit ${result.code}):\n${diagnostics(result.stdout) || result.stderr || result.stdout.slice(-4000)}`,
      );
    this.deployed = true;
    return eventsFromJsonLog(result.stdout);
  }

  /** `action address` of every change `terraform plan` finds now (refreshing from the emulator). */
  async plan(): Promise<string[]> {
    const result = await this.terraform(["plan", "-input=false", "-no-color", "-json", "-detailed-exitcode", "-lock=false"]);
    if (result.code === 0) return [];
    if (result.code !== 2) throw new Error(`terraform plan failed (exit ${result.code}):\n${diagnostics(result.stdout) || result.stderr}`);
    return plannedChanges(result.stdout);
  }

  /** Reads the live state of the last synthesized stack. */
  async readLive(synth: SynthesizedConfig): Promise<LiveDeploymentState> {
    return readLiveDeployment(this.endpoint, synth.loadBalancerName, synth.trafficPort);
  }

  /** One walkthrough step: edit, synth, apply, plan again, read back. */
  async step(label: string, edit: (config: Json) => void = () => undefined): Promise<StepResult> {
    const stepStarted = Date.now();
    const synth = this.synth(edit);
    this.progress(`${label}: applying`);
    const events = await this.apply(synth);
    const applied = Date.now();
    const [secondPlan, live] = await Promise.all([this.plan(), this.readLive(synth)]);
    const mismatches = liveMismatches(synth.json, synth.compiled, live);
    this.progress(
      `${label}: applied ${events.filter((e) => e.phase === "complete").length} change(s) in ${((applied - stepStarted) / 1000).toFixed(1)} s, ` +
        `second plan ${secondPlan.length === 0 ? "empty" : `${secondPlan.length} change(s)`} and live state read in ${((Date.now() - applied) / 1000).toFixed(1)} s`,
    );
    return { label, synth, events, secondPlan, live, mismatches };
  }

  /** `terraform destroy` (or `npx cdktf destroy` in CLI mode); resolves with the exit code and output. */
  async destroy(): Promise<CommandResult> {
    this.progress("destroying");
    if (this.mode === "cdktf-cli") {
      const result = await this.cdktf(["destroy", this.stackId!, "--auto-approve"]);
      this.progress(`npx cdktf destroy exited ${result.code}`);
      return result;
    }
    const result = await this.terraform(["destroy", "-auto-approve", "-input=false", "-no-color", "-json"]);
    this.progress(`terraform destroy exited ${result.code}`);
    return { code: result.code, output: result.code === 0 ? result.stdout : `${diagnostics(result.stdout)}\n${result.stderr}` };
  }

  /** The resources terraform's state holds (empty after a destroy). */
  stateAddresses(): string[] {
    const path =
      this.mode === "terraform"
        ? this.workspace?.statePath
        : this.cliStackDir && this.localStatePath && join(this.cliStackDir, this.localStatePath);
    if (!path) return [];
    let state: { resources?: Array<{ mode: string; type: string; name: string }> };
    try {
      state = JSON.parse(readFileSync(path, "utf8"));
    } catch {
      return [];
    }
    return (state.resources ?? [])
      .filter((r) => r.mode === "managed")
      .map((r) => `${r.type}.${r.name}`)
      .sort();
  }

  /** Stops the emulator by its PID and removes the scratch directories (kept when APP_FLEETS_KEEP_DEPLOY=1). */
  async stop(): Promise<void> {
    await this.moto?.stop();
    if (this.moto) this.progress(`moto pid ${this.moto.pid} stopped; ${((Date.now() - this.started) / 1000).toFixed(1)} s in all`);
    if (process.env.APP_FLEETS_KEEP_DEPLOY === "1") {
      this.progress(`kept ${this.dir}${this.workspace ? ` and ${this.workspace.dir}` : ""}`);
      return;
    }
    this.workspace?.dispose();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
