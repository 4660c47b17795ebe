/**
 * The cdktf app command (cdktf.json): brings the swc output in .cache/app up to date, then runs
 * the example app from it in the same process. Plain node on transpiled code, no loader: see
 * the Performance section of the README for why not tsx.
 *
 * Before the app loads, lib/synth/fast-start.ts applies the start-up speedups (V8 code cache,
 * cdktf's zip and semver dependencies on first use, no stack trace per token, no optimizing
 * compiler): the same output for about half the CPU. `APP_FLEETS_FAST_START=off` runs without them.
 */
const { join } = require("node:path");
const { precompile } = require("./precompile.cjs");

const repoRoot = join(__dirname, "..");
const appDir = join(repoRoot, ".cache", "app");
precompile(repoRoot, ".cache/app", ["lib", "stacks"]);
const entry = join(appDir, "stacks", "main.js");
require(join(appDir, "lib", "synth", "fast-start.js")).startFast(entry);
require(entry);
