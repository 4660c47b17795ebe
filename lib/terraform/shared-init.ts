/**
 * One `terraform init` shared by every offline workspace that needs only hashicorp/aws.
 *
 * What init leaves in a working directory when the provider comes from a filesystem mirror:
 * `.terraform/providers/...` (a link to the mirror's unpacked provider, or the unpacked copy of a
 * packed one), `.terraform.lock.hcl` (the provider's version and its `h1:` hash, computed by
 * reading the whole ~700 MB binary) and `.terraform/terraform.tfstate` (the backend settings and
 * their hash). None of it depends on the configuration beyond its provider requirements and its
 * backend, and every offline workspace has the same ones (hashicorp/aws at the mirror's version,
 * a local backend at `terraform.tfstate`). So init runs once per (terraform, provider, mirror) in
 * a template folder kept in the cache (see cache-dir.ts), and each workspace gets a copy of the
 * two files and a link to the template's provider folder: a few file operations instead of a
 * process that hashes the provider.
 *
 * The workspaces' lock file names the provider's version but records no hash. With a hash,
 * Terraform re-reads the whole ~700 MB provider on every command to check it (0.5-0.7 CPU
 * seconds each, measured with Terraform 1.11; a test run makes about a hundred such commands).
 * The hash guards against a download that differs from the first one; these workspaces download
 * nothing: the provider is the one in the machine's own mirror, linked by the template's init
 * (which is keyed by the mirror's path and version), and the workspaces are thrown away after one
 * preview. A user's own project keeps its full lock file: this concerns the scratch folders only.
 *
 * A configuration that needs anything else (another provider, a module) gets a real init.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cacheSubdir } from "./cache-dir";
import { ProviderMirror } from "./mirror";
import { runTerraform } from "./terraform-cli";

/** The state file every offline workspace uses, relative to the workspace (so all share one backend configuration). */
export const WORKSPACE_STATE_FILE = "terraform.tfstate";

/** CLI configuration that installs hashicorp providers from the mirror only, never from the network. */
export function offlineCliConfig(mirror: ProviderMirror): string {
  return [
    "provider_installation {",
    "  filesystem_mirror {",
    `    path    = ${JSON.stringify(mirror.path)}`,
    '    include = ["registry.terraform.io/hashicorp/*"]',
    "  }",
    '  direct { exclude = ["registry.terraform.io/hashicorp/*"] }',
    "}",
    "",
  ].join("\n");
}

const AWS_SOURCES = new Set(["aws", "hashicorp/aws", "registry.terraform.io/hashicorp/aws"]);
/** Resource and data source types built into Terraform: they need no provider install. */
const BUILT_IN_TYPES = new Set(["terraform_data", "terraform_remote_state"]);

type ConfigShape = {
  terraform?: { required_providers?: Record<string, unknown> };
  provider?: Record<string, unknown>;
  resource?: Record<string, unknown>;
  data?: Record<string, unknown>;
  module?: Record<string, unknown>;
};

/** Whether `terraform init` of this configuration installs hashicorp/aws and nothing else. */
export function needsOnlyAwsProvider(config: object): boolean {
  const c = config as ConfigShape;
  if (c.module && Object.keys(c.module).length > 0) return false;
  for (const [name, requirement] of Object.entries(c.terraform?.required_providers ?? {})) {
    const source = typeof requirement === "object" && requirement !== null ? (requirement as { source?: unknown }).source : undefined;
    if (name !== "aws" || (source !== undefined && !AWS_SOURCES.has(String(source).toLowerCase()))) return false;
  }
  if (Object.keys(c.provider ?? {}).some((name) => name !== "aws")) return false;
  const types = [...Object.keys(c.resource ?? {}), ...Object.keys(c.data ?? {})];
  return types.every((type) => type.startsWith("aws_") || BUILT_IN_TYPES.has(type));
}

/** What a workspace copies from the template. */
interface InitTemplate {
  readonly dir: string;
  readonly lockFile: string;
  readonly backendState: string;
}

const templates = new Map<string, Promise<InitTemplate>>();

function templateKey(mirror: ProviderMirror, terraformVersion: string): string {
  return createHash("sha256")
    .update([terraformVersion, mirror.path, mirror.version, process.platform, process.arch].join("\n"))
    .digest("hex")
    .slice(0, 16);
}

/** The lock file without its `hashes = [...]` lists (see the file comment). */
export function withoutHashes(lockFile: string): string {
  return lockFile.replace(/^\s*hashes\s*=\s*\[[^\]]*\]\s*\n/gm, "");
}

function readTemplate(dir: string): InitTemplate | undefined {
  try {
    const lockFile = withoutHashes(readFileSync(join(dir, ".terraform.lock.hcl"), "utf8"));
    const backendState = readFileSync(join(dir, ".terraform", "terraform.tfstate"), "utf8");
    if (!existsSync(join(dir, ".terraform", "providers"))) return undefined;
    return { dir, lockFile, backendState };
  } catch {
    return undefined;
  }
}

async function buildTemplate(mirror: ProviderMirror, terraformVersion: string): Promise<InitTemplate> {
  const key = templateKey(mirror, terraformVersion);
  const parent = cacheSubdir("terraform-init") ?? mkdtempSync(join(tmpdir(), "app-fleets-tf-init-"));
  const finalDir = join(parent, `aws-${mirror.version}-${key}`);
  const existing = readTemplate(finalDir);
  if (existing) return existing;

  const building = mkdtempSync(join(parent, `.building-${key}-`));
  const config = {
    terraform: {
      required_providers: { aws: { source: "hashicorp/aws", version: mirror.version } },
      backend: { local: { path: WORKSPACE_STATE_FILE } },
    },
  };
  writeFileSync(join(building, "main.tf.json"), JSON.stringify(config, null, 2));
  writeFileSync(join(building, "offline.tfrc"), offlineCliConfig(mirror));
  const result = await runTerraform(["init", "-input=false", "-no-color"], {
    cwd: building,
    env: { TF_CLI_CONFIG_FILE: join(building, "offline.tfrc") },
  });
  if (result.code !== 0) {
    rmSync(building, { recursive: true, force: true });
    throw new Error(`terraform init of the shared provider folder failed (exit ${result.code}):\n${result.stderr}${result.stdout}`);
  }
  try {
    // Atomic on one file system; a concurrent builder that got there first wins and ours is dropped.
    renameSync(building, finalDir);
  } catch {
    rmSync(building, { recursive: true, force: true });
  }
  const built = readTemplate(finalDir);
  if (!built) throw new Error(`the shared terraform init in ${finalDir} is incomplete; delete that folder and run again`);
  return built;
}

/** The shared init for this mirror and terraform version, built on first use (once per machine while the cache lasts). */
export function sharedInitTemplate(mirror: ProviderMirror, terraformVersion: string): Promise<InitTemplate> {
  const key = templateKey(mirror, terraformVersion);
  let template = templates.get(key);
  if (!template) {
    template = buildTemplate(mirror, terraformVersion);
    templates.set(key, template);
    template.catch(() => templates.delete(key));
  }
  return template;
}

/**
 * Makes `workspaceDir` initialized as the shared template is: the lock file and backend settings
 * copied, the provider folder linked. The workspace's configuration must need only hashicorp/aws
 * (`needsOnlyAwsProvider`) and use the local backend at `WORKSPACE_STATE_FILE`.
 */
export async function applySharedInit(workspaceDir: string, mirror: ProviderMirror, terraformVersion: string): Promise<void> {
  const template = await sharedInitTemplate(mirror, terraformVersion);
  mkdirSync(join(workspaceDir, ".terraform"), { recursive: true });
  writeFileSync(join(workspaceDir, ".terraform.lock.hcl"), template.lockFile);
  writeFileSync(join(workspaceDir, ".terraform", "terraform.tfstate"), template.backendState);
  symlinkSync(join(template.dir, ".terraform", "providers"), join(workspaceDir, ".terraform", "providers"), "dir");
}
