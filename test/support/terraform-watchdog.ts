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
import { RUN_LIMIT_MS, RUN_STARTED_MS, watchdogVerdict } from "./run-limit";
import { TERRAFORM_TEST_TIMEOUT_MS } from "./terraform";

const PROGRESS_EVERY_MS = 60_000;

jest.setTimeout(TERRAFORM_TEST_TIMEOUT_MS);

// A worker that ran a fast-part file before this one may still hold that part's terraform guard (no-terraform.ts).
const fastPartGuard = (childProcess as unknown as Record<symbol, { active: boolean } | undefined>)[Symbol.for("app-fleets.no-terraform")];
if (fastPartGuard) fastPartGuard.active = false;

const file = (() => {
  const path = expect.getState().testPath ?? "";
  const at = path.lastIndexOf("/test/");
  return at >= 0 ? path.slice(at + 1) : basename(path);
})();
let aborted = false;

function check(): void {
  if (aborted) return;
  const verdict = watchdogVerdict({
    nowMs: Date.now(),
    startedMs: RUN_STARTED_MS,
    limitMs: RUN_LIMIT_MS,
    file,
    running: activeTerraformRuns(),
    finished: finishedTerraformRuns(),
  });
  if (verdict.kind === "over-limit") {
    aborted = true;
    process.stderr.write(`\n[watchdog] ${verdict.reason}\n`);
    abortTerraformRuns(verdict.reason);
  } else if (verdict.kind === "progress") {
    process.stderr.write(`${verdict.line}\n`);
  }
}

const timer = setInterval(check, PROGRESS_EVERY_MS);
timer.unref();
afterAll(() => clearInterval(timer));
