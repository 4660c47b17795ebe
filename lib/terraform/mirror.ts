/**
 * Finds a Terraform provider filesystem mirror on this machine, so `terraform init`
 * works offline. The location is never hard-coded: it comes from an environment
 * variable or from a search of the places such mirrors are conventionally kept.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** Environment variable that names the mirror directory (the one holding `registry.terraform.io/`). */
export const MIRROR_ENV = "TF_PROVIDER_MIRROR";

/** The provider build our development binding (@cdktf/provider-aws 20.1.0) was generated for. */
export const AWS_PROVIDER_VERSION = "5.100.0";

export interface ProviderMirror {
  /** Directory to use as `filesystem_mirror { path = ... }`. */
  readonly path: string;
  readonly version: string;
  /** How it was found: the environment variable or a search. */
  readonly source: "env" | "discovered";
}

function platformDir(): string {
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  return `${process.platform}_${arch}`;
}

function holdsProvider(root: string, version: string): boolean {
  const dir = join(root, "registry.terraform.io", "hashicorp", "aws", version, platformDir());
  try {
    return statSync(dir).isDirectory() && readdirSync(dir).some((f) => f.startsWith("terraform-provider-aws"));
  } catch {
    return false;
  }
}

/** Terraform's own implicit mirror locations, then the common places images install plugins to. */
function candidateRoots(): string[] {
  const xdg = (process.env.XDG_DATA_DIRS ?? "/usr/local/share:/usr/share").split(":").filter(Boolean);
  const direct = [join(homedir(), ".terraform.d", "plugins"), ...xdg.map((d) => join(d, "terraform", "plugins"))];
  // Images also drop mirrors one or two levels below these roots (e.g. /opt/<name>).
  const searched: string[] = [];
  for (const base of ["/opt", "/usr/local/share", "/usr/local/lib", "/var/lib", homedir()]) {
    for (const child of listDirs(base)) {
      searched.push(child);
      for (const grandchild of listDirs(child)) searched.push(grandchild);
    }
  }
  return [...direct, ...searched];
}

function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith(".") && e.name !== "node_modules")
      .map((e) => join(dir, e.name));
  } catch {
    return [];
  }
}

/**
 * Locates a mirror holding hashicorp/aws at `version`.
 * @returns the mirror, or an explanation of where it looked.
 */
export function findProviderMirror(version = AWS_PROVIDER_VERSION): ProviderMirror | { readonly missing: string } {
  const fromEnv = process.env[MIRROR_ENV];
  if (fromEnv) {
    if (holdsProvider(fromEnv, version)) return { path: fromEnv, version, source: "env" };
    return {
      missing: `${MIRROR_ENV}=${fromEnv} holds no registry.terraform.io/hashicorp/aws/${version}/${platformDir()}/terraform-provider-aws*`,
    };
  }
  for (const root of candidateRoots()) {
    if (existsSync(join(root, "registry.terraform.io")) && holdsProvider(root, version)) {
      return { path: root, version, source: "discovered" };
    }
  }
  return {
    missing:
      `no filesystem mirror with hashicorp/aws ${version} for ${platformDir()} was found; ` +
      `set ${MIRROR_ENV} to the directory that holds registry.terraform.io/`,
  };
}
