/**
 * Where offline Terraform work is kept between runs: converged "as applied" baselines, the
 * provider schema and the one shared `terraform init`. Each entry is derived from its inputs
 * only (a content hash is part of its name), so a stale entry is never read, only left behind.
 *
 * Location, first match wins:
 *   1. `APP_FLEETS_CACHE_DIR`                          (a path; relative paths are taken from the cwd)
 *   2. `<project>/node_modules/.cache/app-fleets`      (the nearest folder from the cwd up that holds
 *                                                       node_modules: the convention of babel, eslint, terser)
 *   3. `$XDG_CACHE_HOME/app-fleets`, else `~/.cache/app-fleets`
 * `APP_FLEETS_CACHE=off` turns the on-disk cache off (everything is then rebuilt in a temporary folder).
 *
 * Writers never leave half a file: they write a file of their own next to the target and rename
 * it into place, which is atomic on one file system, so parallel test workers and concurrent
 * commands can share the folder without a lock.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";

export const CACHE_DIR_ENV = "APP_FLEETS_CACHE_DIR";
export const CACHE_SWITCH_ENV = "APP_FLEETS_CACHE";

/** The cache folder for this process, or undefined when `APP_FLEETS_CACHE=off`. Not created here. */
export function appFleetsCacheDir(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string | undefined {
  if ((env[CACHE_SWITCH_ENV] ?? "").toLowerCase() === "off") return undefined;
  const explicit = env[CACHE_DIR_ENV];
  if (explicit) return resolve(cwd, explicit);
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "node_modules"))) return join(dir, "node_modules", ".cache", "app-fleets");
    if (dirname(dir) === dir) break;
  }
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg ? resolve(xdg) : join(homedir(), ".cache"), "app-fleets");
}

/** Creates `<cache>/<sub>` and returns it; undefined when the cache is off or the folder cannot be created (read-only disk). */
export function cacheSubdir(sub: string): string | undefined {
  const root = appFleetsCacheDir();
  if (!root) return undefined;
  const dir = join(root, sub);
  try {
    mkdirSync(dir, { recursive: true });
    return dir;
  } catch {
    return undefined;
  }
}

/**
 * Writes `content` to `path` through a uniquely named file in the same folder and a rename, so a
 * concurrent reader sees the old file or the new one, never a torn one. Best effort: a cache that
 * cannot be written costs a rebuild next time, not a failure now.
 */
export function writeFileAtomically(path: string, content: string | NodeJS.ArrayBufferView): boolean {
  const partial = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.partial`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(partial, content);
    renameSync(partial, path);
    return true;
  } catch {
    rmSync(partial, { force: true });
    return false;
  }
}

/** Marks a cache file as used now, for `pruneOldest`. Best effort. */
export function touch(path: string): void {
  try {
    const now = new Date();
    utimesSync(path, now, now);
  } catch {
    // Another process may have pruned it; the caller already holds its content.
  }
}

/** Deletes the least recently used files of `dir` beyond the newest `keep` (by modification time). */
export function pruneOldest(dir: string, keep: number, suffix = ".json"): void {
  try {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith(suffix))
      .map((f) => ({ path: join(dir, f), mtimeMs: statSync(join(dir, f)).mtimeMs }))
      .sort((a, b) => b.mtimeMs - a.mtimeMs);
    for (const stale of files.slice(keep)) rmSync(stale.path, { force: true });
  } catch {
    // A concurrent prune removed a file first: nothing to do.
  }
}
