/**
 * Start-up of a synth process (`cdktf synth` through scripts/run-app.cjs, and the bench apps): the
 * same program and the same output, for less CPU and memory. Call it before the app loads cdktf,
 * the provider or this library. `APP_FLEETS_FAST_START=off` turns all of it off (the tests compare
 * the synthesized JSON with and without, byte for byte).
 *
 * - The V8 code cache of every module (compile-cache.ts): compiling ~10 MB of JavaScript is the
 *   largest share of a synth; and, beside it, how node_modules resolve their requires (resolve-cache.ts).
 * - No optimizing compiler (V8 `--no-opt`): a synth is one short pass over the constructs; TurboFan
 *   spends more CPU (on its own threads) compiling functions than the run has left to gain from
 *   them, and its code takes memory. Measured on the two-version app: ~0.1 CPU-s and ~12 MB less.
 * - cdktf's zip and semver dependencies load on first use, not at start (deferred-modules.ts).
 * - No stack trace per cdktf token (token-creation-stacks.ts).
 */
import { setFlagsFromString } from "node:v8";
import { CompileCacheStats, installCompileCache } from "./compile-cache";
import { deferCdktfDependencies } from "./deferred-modules";
import { installResolveCache, RESOLUTIONS_SUFFIX } from "./resolve-cache";
import { skipTokenCreationStacks } from "./token-creation-stacks";

export const FAST_START_ENV = "APP_FLEETS_FAST_START";

export interface FastStart {
  /** The code cache of this process; undefined when it is off or has no folder. */
  readonly compileCache?: CompileCacheStats;
  /** cdktf dependencies that load on first use. */
  readonly deferred: readonly string[];
  readonly tokenStacksSkipped: boolean;
}

/** Applies the start-up speedups, unless APP_FLEETS_FAST_START=off. @param entry the script this process runs @default process.argv[1] */
export function startFast(entry?: string, env: NodeJS.ProcessEnv = process.env): FastStart {
  if ((env[FAST_START_ENV] ?? "").toLowerCase() === "off") return { deferred: [], tokenStacksSkipped: false };
  // Must precede the first compilation it should affect; V8 reads the flag each time it considers a function.
  setFlagsFromString("--no-opt");
  const compileCache = installCompileCache(entry);
  if (compileCache) installResolveCache(compileCache.file.replace(/\.bin$/, RESOLUTIONS_SUFFIX));
  return { compileCache, deferred: deferCdktfDependencies(), tokenStacksSkipped: skipTokenCreationStacks(env) };
}
