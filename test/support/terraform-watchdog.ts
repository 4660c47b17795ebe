/**
 * Jest setup file of the terraform- and emulator-bound tests (jest.config.js): the one guard on
 * their time, instead of per-hook timeouts sized for some machine.
 *
 * - Every hook and test of these files gets TERRAFORM_TEST_TIMEOUT_MS by default (longer than
 *   the run's limit: never reached by a run that makes progress, however loaded the machine).
 * - Every minute while terraform runs, one progress line on stderr: how far into the run, which
 *   file, which terraform commands and for how long, so a slow run is visibly alive.
 * - Once the whole run has taken longer than its limit (run-limit.ts; APP_FLEETS_TEST_LIMIT_MINUTES),
 *   every terraform process of the file is stopped and every later one refused, with a message
 *   naming the limit: the tests waiting on them fail saying why, instead of hanging.
 */
import childProcess from "node:child_process";
import { basename } from "node:path";
import { abortTerraformRuns, activeTerraformRuns, finishedTerraformRuns } from "../../lib/terraform/terraform-cli";
import { RUN_LIMIT_ENV, RUN_LIMIT_MS, RUN_STARTED_MS } from "./run-limit";
import { TERRAFORM_TEST_TIMEOUT_MS } from "./terraform";

const PROGRESS_EVERY_MS = 60_000;

jest.setTimeout(TERRAFORM_TEST_TIMEOUT_MS);

// A worker that ran a fast-part file before this one may still hold that part's terraform guard (no-terraform.ts).
const fastPartGuard = (childProcess as unknown as Record<symbol, { active: boolean } | undefined>)[Symbol.for("app-fleets.no-terraform")];
if (fastPartGuard) fastPartGuard.active = false;

function minutesAndSeconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

const file = (() => {
  const path = expect.getState().testPath ?? "";
  const at = path.lastIndexOf("/test/");
  return at >= 0 ? path.slice(at + 1) : basename(path);
})();
let aborted = false;

function check(): void {
  const now = Date.now();
  const elapsed = now - RUN_STARTED_MS;
  const running = activeTerraformRuns();
  if (elapsed > RUN_LIMIT_MS && !aborted) {
    aborted = true;
    const reason =
      `the test run has taken ${minutesAndSeconds(elapsed)}, over its limit of ${RUN_LIMIT_MS / 60_000} minutes ` +
      `(${RUN_LIMIT_ENV}); terraform stopped by the watchdog in ${file}`;
    process.stderr.write(`\n[watchdog] ${reason}\n`);
    abortTerraformRuns(reason);
    return;
  }
  if (running.length === 0) return;
  const what = running.map((r) => `${r.command} ${Math.round((now - r.startedAtMs) / 1000)} s`).join(", ");
  process.stderr.write(
    `[watchdog] ${minutesAndSeconds(elapsed)} into the run (limit ${RUN_LIMIT_MS / 60_000}m) | ${file}: ` +
      `terraform running: ${what}; ${finishedTerraformRuns()} finished in this file\n`,
  );
}

const timer = setInterval(check, PROGRESS_EVERY_MS);
timer.unref();
afterAll(() => clearInterval(timer));
