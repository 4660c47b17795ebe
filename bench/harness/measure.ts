/**
 * Runs a command repeatedly and records wall time and peak RSS per run, with public tools only:
 * GNU time (`/usr/bin/time -f %M`) for the peak RSS when installed, otherwise the child's own
 * `process.resourceUsage().maxRSS` through a preload (node commands only).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A process to time. */
export interface Command {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** Added to the harness environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** @default 120000 */
  readonly timeoutMs?: number;
  /**
   * Keep timing a run that exits non-zero (a test suite with a failing test still took that long);
   * the exit code is recorded. @default false - a failed run ends the case
   */
  readonly tolerateExitCode?: boolean;
}

export interface Sample {
  readonly wallMs: number;
  /** Peak resident set size in KiB; undefined where it cannot be measured. */
  readonly maxRssKb?: number;
  /**
   * User + system CPU seconds of the process tree (GNU time only). Steadier than wall time on a
   * shared machine: waiting for a core does not count.
   */
  readonly cpuSeconds?: number;
  readonly exitCode: number;
  /** Last lines of the output when the run exited non-zero. */
  readonly failure?: string;
}

export type Measurement = { readonly ok: true; readonly samples: readonly Sample[] } | { readonly ok: false; readonly error: string };

const GNU_TIME = "/usr/bin/time";
const RSS_PRELOAD = join(__dirname, "report-max-rss.cjs");

/** How peak RSS is measured on this machine, for the table's footnote. */
export function rssMethod(): string {
  return hasGnuTime() ? "GNU time %M (largest process of the tree)" : "process.resourceUsage().maxRSS of node children";
}

let gnuTime: boolean | undefined;
function hasGnuTime(): boolean {
  if (gnuTime === undefined) {
    gnuTime = existsSync(GNU_TIME) && spawnSync(GNU_TIME, ["-f", "%M", "true"], { stdio: "ignore" }).status === 0;
  }
  return gnuTime;
}

/** Runs `warmup` untimed runs then `runs` timed ones; stops at the first failure. */
export function measure(cmd: Command, runs: number, warmup = 1): Measurement {
  const scratch = mkdtempSync(join(tmpdir(), "bench-rss-"));
  try {
    const samples: Sample[] = [];
    for (let i = 0; i < warmup + runs; i++) {
      const result = runOnce(cmd, join(scratch, `rss-${i}`));
      if ("error" in result) return { ok: false, error: result.error };
      if (result.failure && !cmd.tolerateExitCode) return { ok: false, error: result.failure };
      if (i >= warmup) samples.push(result);
    }
    return { ok: true, samples };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Measures several commands in turns (a round runs each once, starting with a different one
 * each round), so a change in the machine's load during the bench hits all of them alike:
 * what a comparison between them needs. A command that fails ends its own measurement only.
 */
export function measureInterleaved(cmds: readonly Command[], runs: number, warmup = 1): Measurement[] {
  const scratch = mkdtempSync(join(tmpdir(), "bench-rss-"));
  try {
    const samples: Sample[][] = cmds.map(() => []);
    const errors: (string | undefined)[] = cmds.map(() => undefined);
    for (let round = 0; round < warmup + runs; round++) {
      for (let k = 0; k < cmds.length; k++) {
        const i = (round + k) % cmds.length;
        if (errors[i] !== undefined) continue;
        const result = runOnce(cmds[i], join(scratch, `rss-${round}-${i}`));
        if ("error" in result) errors[i] = result.error;
        else if (result.failure && !cmds[i].tolerateExitCode) errors[i] = result.failure;
        else if (round >= warmup) samples[i].push(result);
      }
    }
    return cmds.map((_, i) => (errors[i] !== undefined ? { ok: false, error: errors[i]! } : { ok: true, samples: samples[i] }));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function runOnce(cmd: Command, rssFile: string): Sample | { error: string } {
  const useGnuTime = hasGnuTime();
  const isNode = cmd.command === "node" || cmd.command === process.execPath;
  const [command, args] = useGnuTime
    ? [GNU_TIME, ["-f", "%M %U %S", "-o", rssFile, cmd.command, ...cmd.args]]
    : [cmd.command, isNode ? ["--require", RSS_PRELOAD, ...cmd.args] : [...cmd.args]];
  const env = { ...process.env, ...cmd.env, BENCH_RSS_FILE: rssFile };
  const start = process.hrtime.bigint();
  const child = spawnSync(command, args, {
    cwd: cmd.cwd,
    env,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    timeout: cmd.timeoutMs ?? 120_000,
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.error) return { error: `${child.error.message}: ${lastLines(`${child.stderr ?? ""}`, 8)}` };
  const exitCode = child.status ?? 128;
  const failure =
    exitCode === 0 ? undefined : `exit ${child.status ?? child.signal}: ${gist(`${child.stderr ?? ""}\n${child.stdout ?? ""}`)}`;
  return { wallMs, ...readUsage(rssFile), exitCode, failure };
}

/** Reads "<maxRSS KiB> <user s> <sys s>" (GNU time) or "<maxRSS KiB>" (the preload). */
function readUsage(file: string): { maxRssKb?: number; cpuSeconds?: number } {
  if (!existsSync(file)) return {};
  // GNU time writes "Command exited with non-zero status N" first when the command fails: use the last line.
  const lines = readFileSync(file, "utf8").trim().split("\n");
  const [rss, user, sys] = lines[lines.length - 1].trim().split(/\s+/).map(Number);
  return {
    maxRssKb: Number.isFinite(rss) ? rss : undefined,
    cpuSeconds: Number.isFinite(user) && Number.isFinite(sys) ? user + sys : undefined,
  };
}

function lastLines(text: string, n: number): string {
  return text.split("\n").slice(-n).join(" / ");
}

/** The lines of a crash that say what went wrong: no stack frames, no source excerpt, no node banner. */
export function gist(output: string, maxChars = 400): string {
  const lines = output
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !/^at\s/.test(l) && !/^Node\.js v/.test(l) && !/^\^+$/.test(l) && !/^npm warn/i.test(l));
  const errorAt = lines.findIndex((l) => /error/i.test(l));
  const picked = lines.slice(errorAt >= 0 ? errorAt : Math.max(0, lines.length - 6));
  return picked.join(" / ").slice(0, maxChars);
}
