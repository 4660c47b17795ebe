/**
 * Four parts, one run: `npm test` runs them all (the README's and CI's command);
 * `npm run test:fast` runs the fast part alone (no terraform process, seconds).
 *
 *   fast       test/unit, test/property, test/synth: pure logic and synthesized JSON
 *   package    test/package: builds with tsc, packs, type-checks and synthesizes a consumer app;
 *              the project's commands run as processes (the README's shell blocks, cdktf synth)
 *   terraform  test/terraform: validate / plan / plan diffs with the real AWS provider, offline
 *   deploy     test/deploy: applies against an emulated AWS on loopback
 *
 * Terraform- and emulator-bound files have no per-hook timeout sized for some machine: the
 * watchdog (test/support/terraform-watchdog.ts) gives them one far beyond the run's limit,
 * prints progress every minute while terraform runs, and fails the run past the limit.
 *
 * Every part synthesizes as the app does, without cdktf's stack trace per token
 * (test/support/synth-setup.ts), and compiles each module once per worker
 * (test/support/code-cache-runtime.js): together ~40 % less CPU for the fast part (bench/PERFORMANCE.md).
 */
const { existsSync } = require("node:fs");
const { join } = require("node:path");

/** @type {import('jest').Config} */
const shared = {
  testEnvironment: "node",
  rootDir: __dirname,
  // Transpile only: type checking is `npm run typecheck`, not a cost paid in every test file.
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" } }] },
  moduleFileExtensions: ["ts", "js", "json"],
  // Compiles each module once per worker, not once per test file (V8 code cache; see the file).
  runtime: "<rootDir>/test/support/code-cache-runtime.js",
};

const slowPart = (displayName, folder) => ({
  ...shared,
  displayName,
  roots: [`<rootDir>/test/${folder}`],
  testMatch: ["**/*.test.ts"],
  setupFilesAfterEnv: ["<rootDir>/test/support/synth-setup.ts", "<rootDir>/test/support/terraform-watchdog.ts"],
});

/** @type {import('jest').Config} */
module.exports = {
  maxWorkers: 2,
  globalSetup: "<rootDir>/test/support/global-setup.js",
  reporters: ["default", "<rootDir>/test/support/summary-reporter.js"],
  projects: [
    {
      ...shared,
      displayName: "fast",
      roots: ["<rootDir>/test/unit", "<rootDir>/test/property", "<rootDir>/test/synth"],
      testMatch: ["**/*.test.ts"],
      setupFilesAfterEnv: ["<rootDir>/test/support/synth-setup.ts", "<rootDir>/test/support/no-terraform.ts"],
      // Generous for pure work (a single test takes well under a second on a quiet machine).
      testTimeout: 120000,
    },
    {
      ...shared,
      displayName: "package",
      roots: ["<rootDir>/test/package"],
      testMatch: ["**/*.test.ts"],
      testTimeout: 600000,
    },
    slowPart("terraform", "terraform"),
    ...(existsSync(join(__dirname, "test", "deploy")) ? [slowPart("deploy", "deploy")] : []),
  ],
};
