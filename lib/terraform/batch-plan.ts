/**
 * Several versions of a stack planned against the same "as applied" state in one terraform
 * run: each version becomes a child module of one root (`module.c0`, `module.c1`, ...), the
 * state holds one copy of the baseline per module, and the plan is split back per module.
 *
 * Why: every terraform command pays a fixed price (start, the provider's ~14 MB schema) that
 * is most of a small plan's cost; measured with the two-version example, four diffs in one
 * plan + show cost 15 CPU seconds against 37 for four separate ones. The provider's diff logic
 * is the same: each module has its own copy of the state, so no module sees another. When the
 * stacks configure the provider alike (the versions of one stack do), the root configures it
 * once and every module uses it (one provider process per plan walk instead of one per module:
 * another ~30 % of the batch's CPU); otherwise each module keeps its own `provider "aws"` block,
 * which a child module may do when it is called without `count`, `for_each` or `depends_on`.
 *
 * Only stacks that need nothing but hashicorp/aws and contain no modules of their own are
 * batched; `planBatch` rejects the rest, and the caller plans them one by one.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StateV4 } from "./applied-state";
import { canonicalJson } from "./baseline-cache";
import { ProviderMirror } from "./mirror";
import { offlineOverride, offlineTerraformAvailability } from "./offline-workspace";
import { PlanJson, PlanResourceChange } from "./plan-json";
import { applySharedInit, needsOnlyAwsProvider, offlineCliConfig, WORKSPACE_STATE_FILE } from "./shared-init";
import { runTerraform } from "./terraform-cli";

/** Whether `config` can be one module of a batch. */
export function batchable(config: object): boolean {
  return needsOnlyAwsProvider(config);
}

/** The name of the i-th module of a batch. */
function moduleName(i: number): string {
  return `c${i}`;
}

/**
 * The `provider` section the stacks share, when they all have the same one with no alias: the
 * root can then configure it once for every module. Undefined otherwise.
 */
export function sharedProviderSection(configs: readonly object[]): Record<string, unknown> | undefined {
  const sections = configs.map((c) => ((c as { provider?: Record<string, unknown> }).provider ?? {}) as Record<string, unknown>);
  const first = canonicalJson(sections[0]);
  if (!sections.every((section) => canonicalJson(section) === first)) return undefined;
  if (Object.keys(sections[0]).some((name) => name !== "aws")) return undefined;
  const aws = sections[0].aws;
  const blocks = (Array.isArray(aws) ? aws : aws ? [aws] : []) as Array<Record<string, unknown>>;
  return blocks.some((b) => b.alias !== undefined) ? undefined : sections[0];
}

/**
 * The baseline state, once per module: every address and dependency moved under
 * `module.<name>`; the provider too, unless the root configures it for all modules.
 */
export function stateForModules(state: StateV4, modules: readonly string[], providerInRoot = false): StateV4 {
  return {
    ...state,
    resources: modules.flatMap((m) =>
      state.resources
        .filter((r) => r.module === undefined)
        .map((r) => ({
          ...r,
          module: `module.${m}`,
          provider: providerInRoot ? r.provider : `module.${m}.${r.provider}`,
          instances: r.instances.map((instance) => ({
            ...instance,
            ...(instance.dependencies ? { dependencies: instance.dependencies.map((d) => `module.${m}.${d}`) } : {}),
          })),
        })),
    ),
  };
}

/** The part of a batch plan that concerns one module, with addresses as a plan of that stack alone has them. */
export function planOfModule(plan: PlanJson, module: string): PlanJson {
  const prefix = `module.${module}.`;
  const changes: PlanResourceChange[] = (plan.resource_changes ?? [])
    .filter((rc) => rc.module_address === `module.${module}`)
    .map((rc) => {
      const { module_address: _, ...rest } = rc;
      return { ...rest, address: rc.address.slice(prefix.length) };
    });
  return { format_version: plan.format_version, terraform_version: plan.terraform_version, resource_changes: changes };
}

/** The offline provider settings of a stack, as an override file's content. */
function providerOverride(config: object): { provider: unknown } {
  return {
    provider: (offlineOverride(config as Parameters<typeof offlineOverride>[0], WORKSPACE_STATE_FILE) as { provider: unknown }).provider,
  };
}

/**
 * A stack as a child module: its backend removed (only the root has one); its provider
 * configuration removed when the root has it, else kept with the offline settings as an override.
 */
function writeModule(dir: string, config: object, providerInRoot: boolean): void {
  const copy = JSON.parse(JSON.stringify(config)) as { terraform?: Record<string, unknown>; provider?: unknown };
  if (copy.terraform) delete copy.terraform.backend;
  if (providerInRoot) delete copy.provider;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(copy));
  if (!providerInRoot) writeFileSync(join(dir, "offline_override.tf.json"), JSON.stringify(providerOverride(config)));
}

/**
 * `terraform show -json` of each of `configs` planned against `state`, from one plan.
 * Throws when any stack is not batchable or the plan fails (plan them one by one then: the
 * error belongs to one of them).
 */
export async function planBatch(configs: readonly object[], state: StateV4, mirror: ProviderMirror): Promise<PlanJson[]> {
  if (configs.some((c) => !batchable(c))) throw new Error("a stack of the batch needs more than hashicorp/aws");
  const availability = offlineTerraformAvailability();
  if (!availability.available) throw new Error(`offline plan diffs cannot run: ${availability.reason}`);
  const dir = mkdtempSync(join(tmpdir(), "app-fleets-tf-batch-"));
  try {
    const modules = configs.map((_, i) => moduleName(i));
    const sharedProvider = sharedProviderSection(configs);
    configs.forEach((config, i) => writeModule(join(dir, modules[i]), config, sharedProvider !== undefined));
    writeFileSync(
      join(dir, "main.tf.json"),
      JSON.stringify({
        terraform: {
          required_providers: { aws: { source: "hashicorp/aws", version: mirror.version } },
          backend: { local: { path: WORKSPACE_STATE_FILE } },
        },
        ...(sharedProvider ? { provider: sharedProvider } : {}),
        module: Object.fromEntries(modules.map((m) => [m, { source: `./${m}` }])),
      }),
    );
    if (sharedProvider) writeFileSync(join(dir, "offline_override.tf.json"), JSON.stringify(providerOverride(configs[0])));
    const cliConfig = join(dir, "offline.tfrc");
    writeFileSync(cliConfig, offlineCliConfig(mirror));
    await applySharedInit(dir, mirror, availability.terraformVersion);
    const run = async (args: string[]) => {
      const result = await runTerraform(args, { cwd: dir, env: { TF_CLI_CONFIG_FILE: cliConfig } });
      if (result.code !== 0)
        throw new Error(
          `terraform ${args[0]} of a batch of ${configs.length} failed in ${dir} (exit ${result.code}):\n${result.stderr}${result.stdout}`,
        );
      return result;
    };
    // `terraform get` records the local modules (what init does for them), without touching the providers.
    await run(["get", "-no-color"]);
    writeFileSync(join(dir, WORKSPACE_STATE_FILE), JSON.stringify(stateForModules(state, modules, sharedProvider !== undefined)));
    const planFile = join(dir, "plan.out");
    await run(["plan", "-refresh=false", "-input=false", "-no-color", "-lock=false", `-out=${planFile}`]);
    const shown = await run(["show", "-json", "-no-color", planFile]);
    const plan = JSON.parse(shown.stdout) as PlanJson;
    return modules.map((m) => planOfModule(plan, m));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
