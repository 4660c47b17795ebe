/**
 * What the package tests share: a copy of this checkout as a clean clone has it (the files git
 * tracks or would track, no build output, no caches), the README's code blocks, and child
 * processes that never reach the network.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

export const REPO = resolve(__dirname, "../..");

/**
 * A copy of the working tree as a clean clone of it would be (tracked and not-ignored files only:
 * no dist/, cdktf.out/, .cache/), with the packages of this checkout's node_modules (installed by `npm ci`).
 * Building or synthesizing there never touches this checkout's dist/ or cdktf.out/.
 */
export function cleanCloneCopy(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: REPO, encoding: "utf8" });
  for (const file of listed.split("\0").filter(Boolean)) {
    const from = join(REPO, file);
    // A tracked file deleted in the working tree is not in the next commit either.
    if (!existsSync(from) || !statSync(from).isFile()) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(from, join(dir, file));
  }
  // Each installed package linked, node_modules itself a folder of the copy: what the copy caches
  // there (baselines, a provider mirror) stays in the copy.
  mkdirSync(join(dir, "node_modules"));
  for (const entry of readdirSync(join(REPO, "node_modules"))) {
    if (entry !== ".cache") symlinkSync(join(REPO, "node_modules", entry), join(dir, "node_modules", entry));
  }
  return dir;
}

/**
 * The environment of child processes: offline (npm never asks a registry, cdktf and terraform never
 * ask HashiCorp's checkpoint service) and without this run's configuration choices.
 */
export function offlineEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CHECKPOINT_DISABLE: "1",
    npm_config_offline: "true",
    npm_config_audit: "false",
    npm_config_fund: "false",
  };
  delete env.APP_FLEETS_CONFIG;
  delete env.APP_FLEETS_VERBOSE;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs a command to completion (no timeout: the machine may be busy), capturing its output. */
export function run(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Run {
  const r = spawnSync(command, args, { cwd: options.cwd, env: options.env ?? offlineEnv(), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status ?? 1, out: r.stdout, err: r.stderr };
}

/** The README. */
export function readme(): string {
  return readFileSync(join(REPO, "README.md"), "utf8");
}

/** The first fenced code block in `language` after the heading `heading` (e.g. "### In your own project"). */
export function readmeCodeBlock(heading: string, language: string): string {
  const text = readme();
  const at = text.split("\n").findIndex((line) => line.trim() === heading);
  if (at < 0) throw new Error(`README.md has no heading ${JSON.stringify(heading)}`);
  const rest = text.split("\n").slice(at + 1);
  const start = rest.findIndex((line) => line.trim() === `\`\`\`${language}`);
  if (start < 0) throw new Error(`README.md has no \`\`\`${language} block under ${heading}`);
  const end = rest.findIndex((line, i) => i > start && line.trim() === "```");
  return rest.slice(start + 1, end).join("\n") + "\n";
}
