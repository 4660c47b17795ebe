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
 *
 * Where the time goes, and what keeps it short:
 * - the first plan's state already holds the values configured from other resources: references,
 *   templates and the few functions cdktf writes are evaluated (reference-values.ts,
 *   hcl-expression.ts); when nothing configured is left unknown, that state is most likely
 *   converged after one plan, else the second plan fills the rest;
 * - the plan that confirms convergence (the baseline planned against its own state, which must
 *   find nothing to do) runs in the same terraform run as the first diffs (batch-plan.ts);
 * - diffs asked for together are planned in one terraform run;
 * - converged baselines are kept on disk (baseline-cache.ts): the second preview of the same
 *   version A plans only version B.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { chunk } from "../core/chunk";
import { appliedStateReport, emptyState, planIsEmpty, StateV4 } from "./applied-state";
import { baselineCacheKey, readCachedBaseline, writeCachedBaseline } from "./baseline-cache";
import { batchable, planBatch } from "./batch-plan";
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
  /**
   * Read and write converged baselines in the on-disk cache (see baseline-cache.ts and
   * cache-dir.ts). @default true (unless APP_FLEETS_CACHE=off)
   */
  readonly cache?: boolean;
}

const DEFAULT_MAX_ROUNDS = 8;
/** Stacks planned in one terraform run at most (batch-plan.ts); more are split into several runs. */
const MAX_BATCH = 8;

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

interface PendingDiff {
  readonly config: object;
  readonly resolve: (plan: PlanJson) => void;
  readonly reject: (error: unknown) => void;
}

type Planned = { readonly plan: PlanJson } | { readonly error: unknown };

/**
 * A stack as if it had been applied: its configuration and a state in which
 * `terraform plan -refresh=false` finds nothing to do. Reusable: every diff plans
 * against its own copy of the state.
 *
 * A freshly built baseline is confirmed converged by its first diff (or `converged()`): that
 * diff's terraform run also plans the baseline against its own state and fails if anything
 * would still change... in which case the state is converged further and the diffs planned
 * again, so a diff is only ever reported against a converged state.
 */
export class AppliedBaseline {
  /** Wall time spent getting it: building it, or reading it from the cache. */
  readonly elapsedMs: number;
  /** The cache file it was read from; undefined when it was built by this call. */
  readonly cachedIn?: string;
  private currentState: StateV4;
  private currentRounds: number;
  private confirmed: boolean;
  private confirmation?: Promise<void>;
  private readonly onConfirmed?: (baseline: AppliedBaseline) => void;
  private readonly queued: PendingDiff[] = [];
  private flushScheduled = false;

  constructor(
    /** Version A's Terraform JSON. */
    readonly config: object,
    state: StateV4,
    private readonly mirror: ProviderMirror,
    stats: {
      rounds: number;
      elapsedMs: number;
      cachedIn?: string;
      /** Whether a plan against `state` already found nothing to do. @default true */
      confirmed?: boolean;
      onConfirmed?: (baseline: AppliedBaseline) => void;
    },
  ) {
    this.currentState = state;
    this.currentRounds = stats.rounds;
    this.elapsedMs = stats.elapsedMs;
    this.cachedIn = stats.cachedIn;
    this.confirmed = stats.confirmed ?? true;
    this.onConfirmed = stats.onConfirmed;
  }

  /** The "as applied" state (converged once `converged()` resolved or a diff returned). */
  get state(): StateV4 {
    return this.currentState;
  }

  /** The plans it took for the plan to come back empty, the confirming one included once it ran (when it was built, for a cached one). */
  get rounds(): number {
    return this.currentRounds;
  }

  /**
   * Plans `after` against this state and reports what happens to each managed resource.
   * Diffs asked for together (`Promise.all`, or `diffAll`) are planned in one terraform run.
   */
  async diff(after: StackConfig): Promise<PlanDiff> {
    const config = readStackConfig(after);
    const plan = await new Promise<PlanJson>((resolve, reject) => {
      this.queued.push({ config, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // After the current turn: every diff() of a Promise.all is queued by then.
        setImmediate(() => this.flush());
      }
    });
    return PlanDiff.fromPlanJson(plan);
  }

  /** Plans every version of `afters` against this state, in as few terraform runs as possible. */
  async diffAll<K extends string>(afters: Readonly<Record<K, StackConfig>>): Promise<Record<K, PlanDiff>> {
    const keys = Object.keys(afters) as K[];
    const diffs = await Promise.all(keys.map((key) => this.diff(afters[key])));
    return Object.fromEntries(keys.map((key, i) => [key, diffs[i]])) as Record<K, PlanDiff>;
  }

  /** The raw `terraform show -json` of planning `after` against this (converged) state, in a workspace of its own. */
  async planJson(after: StackConfig): Promise<PlanJson> {
    await this.converged();
    return planAgainst(readStackConfig(after), this.currentState, this.mirror);
  }

  /** Resolves once a plan of the baseline against its own state has found nothing to do. */
  converged(): Promise<void> {
    if (this.confirmed) return Promise.resolve();
    this.confirmation ??= this.convergeFurther().finally(() => {
      this.confirmation = undefined;
    });
    return this.confirmation;
  }

  /** Plans until nothing changes, from the current state; the first of those plans is the confirmation. */
  private async convergeFurther(): Promise<void> {
    const more = await converge(this.config, this.mirror, {}, { state: this.currentState, rounds: this.currentRounds });
    this.currentState = more.state;
    this.currentRounds = more.rounds;
    this.markConfirmed();
  }

  private markConfirmed(): void {
    this.confirmed = true;
    this.onConfirmed?.(this);
  }

  private flush(): void {
    this.flushScheduled = false;
    const pending = this.queued.splice(0);
    void this.planQueued(pending).catch((error) => pending.forEach((p) => p.reject(error)));
  }

  private async planQueued(pending: readonly PendingDiff[]): Promise<void> {
    if (!this.confirmed && this.confirmation) await this.confirmation.catch(() => undefined);
    if (!this.confirmed) {
      // The first terraform run carries the confirmation: the baseline's own stack as one more module.
      const first = pending.slice(0, MAX_BATCH - 1);
      let release!: () => void;
      this.confirmation = new Promise<void>((resolve) => (release = resolve));
      try {
        const [own, ...results] = await planEach([this.config, ...first.map((p) => p.config)], this.currentState, this.mirror);
        if ("error" in own) throw own.error;
        if (planIsEmpty(own.plan)) {
          this.currentRounds += 1;
          this.markConfirmed();
          first.forEach((p, i) => settle(p, results[i]));
        } else {
          // Not converged after all: converge, then plan these diffs again against the converged state.
          await this.convergeFurther();
          await this.planQueued(first);
        }
      } finally {
        this.confirmation = undefined;
        release();
      }
      if (pending.length > first.length) await this.planQueued(pending.slice(first.length));
      return;
    }
    await Promise.all(
      chunk(pending, MAX_BATCH).map(async (batch) => {
        const results = await planEach(
          batch.map((p) => p.config),
          this.currentState,
          this.mirror,
        );
        batch.forEach((p, i) => settle(p, results[i]));
      }),
    );
  }
}

function settle(pending: PendingDiff, result: Planned): void {
  if ("plan" in result) pending.resolve(result.plan);
  else pending.reject(result.error);
}

/**
 * Each stack planned against `state`: in one terraform run when they can share one
 * (batch-plan.ts), else (or when that run fails: the error belongs to one of them) one by one.
 */
async function planEach(configs: readonly object[], state: StateV4, mirror: ProviderMirror): Promise<Planned[]> {
  if (configs.length > 1 && configs.every(batchable)) {
    try {
      return (await planBatch(configs, state, mirror)).map((plan) => ({ plan }));
    } catch {
      // Planned one by one below, so each error names its own stack.
    }
  }
  const settled = await Promise.allSettled(configs.map((config) => planAgainst(config, state, mirror)));
  return settled.map((s) => (s.status === "fulfilled" ? { plan: s.value } : { error: s.reason }));
}

/**
 * Builds version A's "as applied" state offline, or reads it from the on-disk cache. A build
 * takes one plan (and one show) for the example stacks (ALB, two fleets, 10 listener rules, 67
 * resources) when every configured value could be evaluated, else a second one; the plan that
 * confirms nothing changes any more runs with the first diff. Build once, `diff` often.
 * @throws when the plan does not come back empty within `maxRounds`, naming what still changes.
 */
export async function buildAppliedBaseline(before: StackConfig, options: PlanDiffOptions = {}): Promise<AppliedBaseline> {
  const started = Date.now();
  const config = readStackConfig(before);
  const mirror = resolveMirror(options);
  const versions = { terraformVersion: installedTerraformVersion(), providerVersion: mirror.version };
  const key = options.cache === false ? undefined : baselineCacheKey({ config, ...versions });
  const cached = key ? readCachedBaseline(key) : undefined;
  if (cached) {
    options.log?.(`read from the cache: ${cached.file} (built in ${cached.buildMs} ms, ${cached.rounds} plans)`);
    return new AppliedBaseline(config, cached.state, mirror, {
      rounds: cached.rounds,
      elapsedMs: Date.now() - started,
      cachedIn: cached.file,
    });
  }
  const built = await converge(config, mirror, options, { rounds: 0 }, true);
  const buildMs = Date.now() - started;
  const store = (baseline: AppliedBaseline) => {
    if (key) writeCachedBaseline(key, { state: baseline.state, rounds: baseline.rounds, buildMs }, versions);
  };
  const baseline = new AppliedBaseline(config, built.state, mirror, {
    rounds: built.rounds,
    elapsedMs: buildMs,
    confirmed: built.confirmed,
    onConfirmed: store,
  });
  if (built.confirmed) store(baseline);
  return baseline;
}

/**
 * Whether the state written from `plan` is most likely converged: the plan only updated
 * objects in place with values it fully knew, so the next plan is expected to find nothing
 * to do (it still runs, to make sure: see AppliedBaseline).
 */
function likelyConverged(plan: PlanJson): boolean {
  const changed = (plan.resource_changes ?? []).filter((rc) => rc.mode === "managed" && rc.change.actions.some((a) => a !== "no-op"));
  return changed.every(
    (rc) =>
      rc.change.actions.length === 1 &&
      rc.change.actions[0] === "update" &&
      !JSON.stringify(rc.change.after_unknown ?? {}).includes("true"),
  );
}

/**
 * Plans and writes "as applied" states, from `from.state` (or nothing), until a plan finds
 * nothing to do (`confirmed`), or, with `stopWhenLikely`, until the state is most likely converged.
 */
async function converge(
  config: object,
  mirror: ProviderMirror,
  options: PlanDiffOptions,
  from: { readonly state?: StateV4; readonly rounds: number },
  stopWhenLikely = false,
): Promise<{ state: StateV4; rounds: number; confirmed: boolean }> {
  const maxRounds = options.maxRounds ?? DEFAULT_MAX_ROUNDS;
  const workspace = OfflineWorkspace.create(config, mirror);
  try {
    if (from.state) await workspace.writeState(from.state);
    else await workspace.init();
    // Fetched alongside the first plan (or read from the cache): both start the provider, and a CI runner has two CPUs.
    const schemas = providerSchemas(workspace, mirror);
    // Awaited only once a plan has changes; a failure before that must not surface as an unhandled rejection.
    schemas.catch(() => undefined);
    let state = from.state;
    let pending = "";
    for (let round = from.rounds + 1; round <= maxRounds; round++) {
      const roundStarted = Date.now();
      const plan = await planUnlessUnchanged(workspace);
      if (plan === undefined || planIsEmpty(plan)) {
        options.log?.(`round ${round}: no changes (${Date.now() - roundStarted} ms)`);
        return { state: state ?? emptyState(installedTerraformVersion()), rounds: round, confirmed: true };
      }
      const changes = PlanDiff.fromPlanJson(plan);
      pending = changes.toTable();
      const report = appliedStateReport(plan, await schemas, {
        previous: state,
        locals: (config as { locals?: Record<string, unknown> }).locals,
      });
      state = report.state;
      await workspace.writeState(state);
      options.log?.(
        `round ${round}: ${changes.changes.length} changes written as applied (${Date.now() - roundStarted} ms)` +
          (report.unresolved.length > 0 ? `; ${report.unresolved.length} configured values left to the next plan` : ""),
      );
      // Every configured value known (or only in-place updates with known values): the next plan most likely finds nothing.
      if (stopWhenLikely && (report.unresolved.length === 0 || likelyConverged(plan))) return { state, rounds: round, confirmed: false };
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

/** `terraform show -json` of planning `config` against `state` in a workspace of its own. */
async function planAgainst(config: object, state: StateV4, mirror: ProviderMirror): Promise<PlanJson> {
  const workspace = OfflineWorkspace.create(config, mirror);
  try {
    await workspace.writeState(state);
    return (await workspace.planJson()) as unknown as PlanJson;
  } finally {
    workspace.dispose();
  }
}

/** One-off: what applying `after` to a deployed `before` would do. Build a baseline to test several changes. */
export async function planDiff(before: StackConfig, after: StackConfig, options: PlanDiffOptions = {}): Promise<PlanDiff> {
  return (await previewChange(before, after, options)).diff;
}

/**
 * One preview, the way `app-fleets plan-diff` runs it: the baseline of `before` (from the
 * cache, or built) and the plan of `after` against it; a fresh baseline's confirming plan runs
 * in the same terraform run as `after`'s.
 */
export async function previewChange(
  before: StackConfig,
  after: StackConfig,
  options: PlanDiffOptions = {},
): Promise<{ readonly baseline: AppliedBaseline; readonly diff: PlanDiff; readonly diffMs: number }> {
  const afterConfig = readStackConfig(after);
  const baseline = await buildAppliedBaseline(before, options);
  const started = Date.now();
  const diff = await baseline.diff(afterConfig);
  return { baseline, diff, diffMs: Date.now() - started };
}
