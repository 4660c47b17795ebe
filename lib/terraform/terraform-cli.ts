/**
 * Runs the `terraform` binary. Async so independent stacks can be checked in parallel.
 * Every run is registered while it lasts, so a supervisor (the test suite's watchdog) can say
 * what is running and stop it: `activeTerraformRuns()`, `abortTerraformRuns(reason)`.
 */
import { ChildProcess, spawn, spawnSync } from "node:child_process";

export interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** A terraform process that has not exited yet. */
export interface ActiveTerraformRun {
  /** The subcommand, e.g. `plan`. */
  readonly command: string;
  readonly cwd: string;
  readonly startedAtMs: number;
}

const active = new Map<ChildProcess, ActiveTerraformRun>();
let finishedRuns = 0;
const finishedBySubcommand = new Map<string, number>();
let abortReason: string | undefined;

/** The terraform processes of this process that are still running, oldest first. */
export function activeTerraformRuns(): ActiveTerraformRun[] {
  return [...active.values()].sort((a, b) => a.startedAtMs - b.startedAtMs);
}

/** How many terraform processes this process has run to completion. */
export function finishedTerraformRuns(): number {
  return finishedRuns;
}

/** Finished terraform processes by subcommand, e.g. `{ plan: 5, show: 4, get: 1 }`. */
export function finishedTerraformRunsBySubcommand(): Record<string, number> {
  return Object.fromEntries(finishedBySubcommand);
}

/**
 * Stops every running terraform process and makes every later run fail with `reason`. For a
 * supervisor that gives up on the whole run (e.g. a test run over its time limit): the callers
 * see an error that says why, instead of hanging.
 */
export function abortTerraformRuns(reason: string): void {
  abortReason = reason;
  for (const child of active.keys()) child.kill("SIGTERM");
}

export function runTerraform(args: readonly string[], options: RunOptions): Promise<TerraformResult> {
  if (abortReason !== undefined) return Promise.reject(new Error(`terraform ${args[0] ?? ""} not started: ${abortReason}`));
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", [...args], {
      cwd: options.cwd,
      env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    active.set(child, { command: args[0] ?? "", cwd: options.cwd, startedAtMs: Date.now() });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", (error) => {
      active.delete(child);
      reject(error);
    });
    child.on("close", (code) => {
      active.delete(child);
      finishedRuns += 1;
      finishedBySubcommand.set(args[0] ?? "", (finishedBySubcommand.get(args[0] ?? "") ?? 0) + 1);
      if (abortReason !== undefined) {
        reject(new Error(`terraform ${args.join(" ")} stopped: ${abortReason}`));
        return;
      }
      resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
    });
  });
}

/** The installed terraform version, or undefined when there is none on PATH. */
export function terraformVersion(): string | undefined {
  const probe = spawnSync("terraform", ["version", "-json"], {
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
  });
  if (probe.error || probe.status !== 0) return undefined;
  try {
    return (JSON.parse(probe.stdout) as { terraform_version: string }).terraform_version;
  } catch {
    return undefined;
  }
}
