/**
 * Converged "as applied" baselines kept on disk, so a second preview of the same deployed
 * version (`app-fleets plan-diff`, a test file sharing a baseline with another) skips the plans
 * that build it. An entry is keyed by a hash of everything the state is derived from:
 *   - the synthesized configuration (canonical JSON: object keys sorted),
 *   - the terraform version and the AWS provider version that planned it,
 *   - `PLACEHOLDER_CODE_VERSION`, the version of the code that turns a plan into a state.
 * A change to any of them gives another key, so an entry is never stale, only unused; the
 * least recently used entries beyond `MAX_ENTRIES` are deleted. Entries live in
 * `<cache>/baselines/` (cache-dir.ts) and are written atomically.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { StateV4 } from "./applied-state";
import { cacheSubdir, pruneOldest, touch, writeFileAtomically } from "./cache-dir";

/**
 * Bump whenever a change to placeholders.ts, applied-state.ts, reference-values.ts or the
 * convergence loop in plan-diff.ts can change the state built for a configuration: cached
 * baselines of the previous code are then ignored.
 */
export const PLACEHOLDER_CODE_VERSION = 3;

/** Baselines kept; a two-version stack's is ~0.3 MB. */
export const MAX_ENTRIES = 200;

const FORMAT = 1;

export interface BaselineKeyInputs {
  readonly config: object;
  readonly terraformVersion: string;
  readonly providerVersion: string;
}

export interface CachedBaseline {
  readonly state: StateV4;
  /** Plans it took to build when it was built. */
  readonly rounds: number;
  /** Wall time the build took. */
  readonly buildMs: number;
  /** The cache file it was read from. */
  readonly file: string;
}

/** JSON with object keys sorted at every level: the same configuration always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The cache key of a baseline: hex SHA-256 of its inputs. */
export function baselineCacheKey(inputs: BaselineKeyInputs): string {
  return createHash("sha256")
    .update(`app-fleets baseline ${FORMAT}\n`)
    .update(`terraform ${inputs.terraformVersion}\n`)
    .update(`hashicorp/aws ${inputs.providerVersion}\n`)
    .update(`placeholders ${PLACEHOLDER_CODE_VERSION}\n`)
    .update(canonicalJson(inputs.config))
    .digest("hex");
}

function entryPath(key: string): string | undefined {
  const dir = cacheSubdir("baselines");
  return dir && join(dir, `${key}.json`);
}

/** The cached baseline for `key`, or undefined (none, cache off, or an unreadable entry). */
export function readCachedBaseline(key: string): CachedBaseline | undefined {
  const file = entryPath(key);
  if (!file) return undefined;
  try {
    const entry = JSON.parse(readFileSync(file, "utf8")) as {
      format?: number;
      key?: string;
      state?: StateV4;
      rounds?: number;
      buildMs?: number;
    };
    if (entry.format !== FORMAT || entry.key !== key || !entry.state || entry.state.version !== 4) return undefined;
    touch(file);
    return { state: entry.state, rounds: entry.rounds ?? 0, buildMs: entry.buildMs ?? 0, file };
  } catch {
    return undefined;
  }
}

/** Stores a converged baseline under `key`; returns the file, or undefined when the cache is off or not writable. */
export function writeCachedBaseline(
  key: string,
  baseline: { state: StateV4; rounds: number; buildMs: number },
  inputs: Omit<BaselineKeyInputs, "config">,
): string | undefined {
  const file = entryPath(key);
  if (!file) return undefined;
  const content = JSON.stringify({
    format: FORMAT,
    key,
    terraformVersion: inputs.terraformVersion,
    providerVersion: inputs.providerVersion,
    placeholderCodeVersion: PLACEHOLDER_CODE_VERSION,
    rounds: baseline.rounds,
    buildMs: baseline.buildMs,
    createdAt: new Date().toISOString(),
    state: baseline.state,
  });
  if (!writeFileAtomically(file, content)) return undefined;
  pruneOldest(join(file, ".."), MAX_ENTRIES);
  return file;
}
