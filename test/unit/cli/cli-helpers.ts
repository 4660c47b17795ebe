/** Runs `app-fleets` in-process with captured output, and prepares scratch copies of the example configurations. */
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../../bin/app-fleets";
import type { CommandIo } from "../../../bin/commands/command";
import { EXAMPLE_CONFIG_DIR, lockFileOf } from "../../../stacks/build-app";

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** `app-fleets <argv>` as the binary runs it, with `env` overriding the process environment meanwhile. */
export async function runCli(argv: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIo = { out: (t) => out.push(t), err: (t) => err.push(t) };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    const code = await main(argv, io);
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export const EXAMPLES = {
  twoVersion: join(EXAMPLE_CONFIG_DIR, "two-version.staging.json"),
  blueGreen: join(EXAMPLE_CONFIG_DIR, "blue-green.production.json"),
} as const;

/** A scratch directory holding copies of both examples and their stack locks (so tests never touch the committed ones). */
export function scratchExamples(): string {
  const dir = mkdtempSync(join(tmpdir(), "app-fleets-cli-config-"));
  for (const file of Object.values(EXAMPLES)) {
    const name = file.split("/").pop()!;
    copyFileSync(file, join(dir, name));
    copyFileSync(lockFileOf(file), lockFileOf(join(dir, name)));
  }
  return dir;
}

/** Writes `json` as a configuration file in `dir`. */
export function writeConfig(dir: string, name: string, json: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(json, null, 2));
  return path;
}
