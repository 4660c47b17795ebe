/**
 * How a TypeScript entry is started: the way cdktf.json starts the app ("tsx": transpile on load
 * with tsx), or "precompiled": plain node on the swc output in .cache/bench-js.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "./measure";

export type RunnerKind = "tsx" | "precompiled";

export interface Runner {
  readonly kind: RunnerKind;
  /** A node command running `entry` (repo-relative .ts path), with an optional CommonJS preload (repo-relative). */
  node(entry: string, options?: { args?: readonly string[]; preload?: string; env?: Record<string, string> }): Command;
}

/** Where the precompiled copy lives, relative to the repository root. */
export const PRECOMPILED_DIR = ".cache/bench-js";

export function makeRunner(kind: RunnerKind, repoRoot: string): Runner {
  return {
    kind,
    node(entry, options = {}) {
      const preload = options.preload
        ? ["--require", kind === "tsx" ? `./${options.preload}` : `./${PRECOMPILED_DIR}/${options.preload}`]
        : [];
      const script = kind === "tsx" ? ["--import", "tsx", entry] : [join(PRECOMPILED_DIR, entry.replace(/\.ts$/, ".js"))];
      return {
        command: "node",
        args: [...preload, ...script, ...(options.args ?? [])],
        cwd: repoRoot,
        env: { BENCH_REPO_ROOT: repoRoot, ...options.env },
      };
    },
  };
}

/** The runner cdktf.json uses: tsx when its app command loads tsx, otherwise precompiled JavaScript. */
export function cdktfJsonRunner(repoRoot: string): RunnerKind {
  const app = String((JSON.parse(readFileSync(join(repoRoot, "cdktf.json"), "utf8")) as { app?: string }).app ?? "");
  return /\btsx\b|ts-node/.test(app) ? "tsx" : "precompiled";
}
