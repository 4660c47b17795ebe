/**
 * The test run's one time limit, and where the run started. Terraform- and emulator-bound work
 * has no timeout of its own sized for some machine: the watchdog (terraform-watchdog.ts) fails
 * the run once it has taken longer than this, which no healthy run on a loaded 2-core machine
 * comes near (the whole suite takes ~10 minutes there when quiet).
 *
 *   APP_FLEETS_TEST_LIMIT_MINUTES=150 npm test     # a slower machine
 */
export const RUN_LIMIT_ENV = "APP_FLEETS_TEST_LIMIT_MINUTES";
/** Set by the global setup (global-setup.js) in the parent, inherited by every worker. */
export const RUN_STARTED_ENV = "APP_FLEETS_TEST_RUN_STARTED_MS";

const DEFAULT_LIMIT_MINUTES = 90;

function limitMinutes(): number {
  const raw = process.env[RUN_LIMIT_ENV];
  if (raw === undefined || raw === "") return DEFAULT_LIMIT_MINUTES;
  const minutes = Number(raw);
  if (!Number.isFinite(minutes) || minutes <= 0) {
    throw new Error(`${RUN_LIMIT_ENV} = ${JSON.stringify(raw)}: must be a number of minutes > 0. Fix: e.g. ${RUN_LIMIT_ENV}=150`);
  }
  return minutes;
}

/** The whole run's limit: past it, the watchdog stops terraform and fails what is still running. */
export const RUN_LIMIT_MS = limitMinutes() * 60_000;

/** When the run started (the global setup's clock), else when this file was loaded. */
export const RUN_STARTED_MS = Number(process.env[RUN_STARTED_ENV]) || Date.now();

/** What the watchdog does at one of its checks: nothing, print a progress line, or stop the run. */
export type WatchdogVerdict =
  | { readonly kind: "quiet" }
  | { readonly kind: "progress"; readonly line: string }
  | { readonly kind: "over-limit"; readonly reason: string };

function minutesAndSeconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

/** Decides a watchdog check (pure, so it is tested without waiting minutes). */
export function watchdogVerdict(input: {
  readonly nowMs: number;
  readonly startedMs: number;
  readonly limitMs: number;
  /** The test file, relative to the repository. */
  readonly file: string;
  readonly running: ReadonlyArray<{ readonly command: string; readonly startedAtMs: number }>;
  readonly finished: number;
}): WatchdogVerdict {
  const elapsed = input.nowMs - input.startedMs;
  const limitMinutes = input.limitMs / 60_000;
  if (elapsed > input.limitMs) {
    return {
      kind: "over-limit",
      reason: `the test run has taken ${minutesAndSeconds(elapsed)}, over its limit of ${limitMinutes} minutes (${RUN_LIMIT_ENV}); terraform stopped by the watchdog in ${input.file}`,
    };
  }
  if (input.running.length === 0) return { kind: "quiet" };
  const what = input.running.map((r) => `${r.command} ${Math.round((input.nowMs - r.startedAtMs) / 1000)} s`).join(", ");
  return {
    kind: "progress",
    line: `[watchdog] ${minutesAndSeconds(elapsed)} into the run (limit ${limitMinutes}m) | ${input.file}: terraform running: ${what}; ${input.finished} finished in this file`,
  };
}
