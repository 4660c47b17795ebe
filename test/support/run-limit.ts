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
