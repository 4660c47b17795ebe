/**
 * The cdktf app command (cdktf.json): brings the swc output in .cache/app up to date, then runs
 * the example app from it in the same process. Plain node on transpiled code, no loader: see
 * the Performance section of the README for why not tsx.
 */
const { join } = require("node:path");
const { precompile } = require("./precompile.cjs");

const repoRoot = join(__dirname, "..");
precompile(repoRoot, ".cache/app", ["lib", "stacks"]);
require(join(repoRoot, ".cache", "app", "stacks", "main.js"));
