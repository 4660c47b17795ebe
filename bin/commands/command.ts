/** The contract every `app-fleets` subcommand implements; register it in ./index.ts. */

/** Where a command writes; tests pass their own to capture output. */
export interface CommandIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export const PROCESS_IO: CommandIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

export interface Command {
  /** The word after `app-fleets`. */
  readonly name: string;
  /** One line for `app-fleets --help`. */
  readonly summary: string;
  /** Full usage, printed by `app-fleets <name> --help` and after a usage error. */
  readonly usage: string;
  /** Runs with the arguments after the command name; returns the exit code (0 ok, 1 failure, 2 usage). */
  readonly run: (argv: readonly string[], io: CommandIo) => number | Promise<number>;
}
