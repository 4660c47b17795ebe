/**
 * What Terraform would do to a deployed stack when its configuration changes, found
 * offline with the real AWS provider: whether each resource is created, updated in
 * place, replaced (and why) or deleted. Synthesized JSON cannot show this; the
 * provider's diff logic decides it, and `terraform plan -refresh=false` runs that logic
 * against a state without calling AWS.
 *
 * Version A's "as applied" state is built by planning, filling the values known only
 * after apply with placeholders (applied-state.ts), writing that as the state and
 * planning again, until the plan is empty. Version B is then planned against a copy of it.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { appliedStateFromPlan, emptyState, planIsEmpty, StateV4 } from "./applied-state";
import { ProviderMirror } from "./mirror";
import { offlineTerraformAvailability, OfflineWorkspace } from "./offline-workspace";
import { PlanDiff } from "./plan-changes";
import { PlanJson } from "./plan-json";
import { providerSchemas } from "./provider-schema-cache";

/** A synthesized stack: its Terraform JSON, a `cdk.tf.json` file, or a stack directory under `cdktf.out/stacks/`. */
export type StackConfig = object | string;

export interface PlanDiffOptions {
  /** Provider mirror to install the AWS provider from. @default - found by `offlineTerraformAvailability()` */
  readonly mirror?: ProviderMirror;
  /** Plans to run before giving up on an empty plan while building the baseline. @default 8 */
  readonly maxRounds?: number;
  /** Progress messages (one per plan). @default - silent */
  readonly log?: (message: string) => void;
}

const DEFAULT_MAX_ROUNDS = 8;

/** Reads a stack's Terraform JSON from an object, a `*.tf.json` file or a directory holding `cdk.tf.json`. */
export function readStackConfig(config: StackConfig): object {
  if (typeof config !== "string") return config;
  const file = existsSync(config) && statSync(config).isDirectory() ? join(config, "cdk.tf.json") : config;
  if (!existsSync(file)) {
    throw new Error(`${config}: no such file; give a synthesized cdk.tf.json or the stack directory holding it (cdktf.out/stacks/<stack>)`);
  }
  return JSON.parse(readFileSync(file, "utf8")) as object;
}

function installedTerraformVersion(): string {
  const availability = offlineTerraformAvailability();
  return availability.available ? availability.terraformVersion : "1.0.0";
}

function resolveMirror(options: PlanDiffOptions): ProviderMirror {
  if (options.mirror) return options.mirror;
  const availability = offlineTerraformAvailability();
  if (!availability.available) throw new Error(`offline plan diffs cannot run: ${availability.reason}`);
  return availability.mirror;
}

/**
 * A stack as if it had been applied: its configuration and a state in which
 * `terraform plan -refresh=false` finds nothing to do. Reusable: every diff plans
 * against its own copy of the state.
 */
export class AppliedBaseline {
  /** The plans it took for the plan to come back empty, the last one included. */
  readonly rounds: number;
  /** Wall time spent building it. */
  readonly elapsedMs: number;

  constructor(
    /** Version A's Terraform JSON. */
    readonly config: object,
    /** The converged "as applied" state. */
    readonly state: StateV4,
    private readonly mirror: ProviderMirror,
    stats: { rounds: number; elapsedMs: number },
  ) {
    this.rounds = stats.rounds;
    this.elapsedMs = stats.elapsedMs;
  }

  /** Plans `after` against this state and reports what happens to each managed resource. */
  async diff(after: StackConfig): Promise<PlanDiff> {
    return PlanDiff.fromPlanJson(await this.planJson(after));
  }

  /** The raw `terraform show -json` of planning `after` against this state. */
  async planJson(after: StackConfig): Promise<PlanJson> {
    const workspace = OfflineWorkspace.create(readStackConfig(after), this.mirror);
    try {
      await workspace.writeState(this.state);
      return (await workspace.planJson()) as unknown as PlanJson;
    } finally {
      workspace.dispose();
    }
  }
}

/**
 * Builds version A's "as applied" state offline. Takes a few plans (4 for the two-version
 * example: ALB, two fleets, 10 listener rules, 67 resources): build it once, `diff` often.
 * @throws when the plan does not come back empty within `maxRounds`, naming what still changes.
 */
export async function buildAppliedBaseline(before: StackConfig, options: PlanDiffOptions = {}): Promise<AppliedBaseline> {
  const started = Date.now();
  const config = readStackConfig(before);
  const mirror = resolveMirror(options);
  const maxRounds = options.maxRounds ?? DEFAULT_MAX_ROUNDS;
  const workspace = OfflineWorkspace.create(config, mirror);
  try {
    await workspace.init();
    // Fetched alongside the first plan: both start the provider, and the two CPUs of a CI runner are enough.
    const schemas = providerSchemas(workspace, mirror);
    // Awaited only once a plan has changes; a failure before that must not surface as an unhandled rejection.
    schemas.catch(() => undefined);
    let state: StateV4 | undefined;
    let pending = "";
    for (let round = 1; round <= maxRounds; round++) {
      const roundStarted = Date.now();
      const plan = await planUnlessUnchanged(workspace);
      if (plan === undefined || planIsEmpty(plan)) {
        options.log?.(`round ${round}: no changes (${Date.now() - roundStarted} ms)`);
        return new AppliedBaseline(config, state ?? emptyState(installedTerraformVersion()), mirror, {
          rounds: round,
          elapsedMs: Date.now() - started,
        });
      }
      const changes = PlanDiff.fromPlanJson(plan);
      pending = changes.toTable();
      state = appliedStateFromPlan(plan, await schemas, { previous: state });
      await workspace.writeState(state);
      options.log?.(`round ${round}: ${changes.changes.length} changes written as applied (${Date.now() - roundStarted} ms)`);
    }
    throw new Error(
      `the offline "as applied" state did not converge in ${maxRounds} plans; still changing:\n${pending}\n` +
        "A placeholder probably has a shape the provider rewrites on every plan: see lib/terraform/placeholders.ts",
    );
  } finally {
    workspace.dispose();
  }
}

/**
 * Plans; returns `terraform show -json` of the plan, or undefined when Terraform reports no
 * changes at all (which saves the `show`, another start of the provider, on the last round).
 */
async function planUnlessUnchanged(workspace: OfflineWorkspace): Promise<PlanJson | undefined> {
  const planFile = join(workspace.dir, "plan.out");
  const planned = await workspace.plan(["-detailed-exitcode", `-out=${planFile}`]);
  if (planned.code === 0) return undefined;
  if (planned.code !== 2) throw new Error(`terraform plan failed in ${workspace.dir}:\n${planned.stderr}${planned.stdout}`);
  const shown = await workspace.run(["show", "-json", "-no-color", planFile]);
  return JSON.parse(shown.stdout) as PlanJson;
}

/** One-off: what applying `after` to a deployed `before` would do. Build a baseline to test several changes. */
export async function planDiff(before: StackConfig, after: StackConfig, options: PlanDiffOptions = {}): Promise<PlanDiff> {
  const baseline = await buildAppliedBaseline(before, options);
  return baseline.diff(after);
}
