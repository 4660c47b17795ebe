// Jest global setup (runs once, in the parent, before any worker starts): records when the run
// started, so every worker's watchdog measures the same run (see run-limit.ts).
module.exports = async function globalSetup() {
  if (!process.env.APP_FLEETS_TEST_RUN_STARTED_MS) process.env.APP_FLEETS_TEST_RUN_STARTED_MS = String(Date.now());
};
