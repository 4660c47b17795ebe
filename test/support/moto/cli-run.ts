/** Runs `app-fleets` in-process with an environment (e.g. the emulator's endpoint and credentials), capturing its output. */
import { main } from "../../../bin/app-fleets";
import type { CommandIo } from "../../../bin/commands/command";

export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Sets `env` for the duration of the command (the AWS SDK reads it when a client is created), then restores it. */
export async function runAppFleets(env: NodeJS.ProcessEnv, ...argv: string[]): Promise<CliResult> {
  const saved = new Map(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIo = { out: (t) => out.push(t), err: (t) => err.push(t) };
  try {
    const code = await main(argv, io);
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
