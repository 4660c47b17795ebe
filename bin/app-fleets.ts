#!/usr/bin/env node
/** `app-fleets`: command-line tools for cdktf-app-fleets. Subcommands live in bin/commands/. */
import { reportFailure } from "../lib/core/errors";
import { COMMANDS } from "./commands";
import { PROCESS_IO, type CommandIo } from "./commands/command";

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "usage: app-fleets <command> [options]",
    "",
    "commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "app-fleets <command> --help shows a command's options.",
  ].join("\n");
}

/** Runs the CLI with the arguments after the program name; resolves with the exit code. */
export async function main(argv: readonly string[], io: CommandIo = PROCESS_IO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? io.err : io.out)(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`app-fleets: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(command.usage);
    return 0;
  }
  return command.run(rest, io);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // A bad input reads as a short list; only an unexpected error shows its stack.
      process.exitCode = reportFailure(error, (text) => process.stderr.write(text), "app-fleets: ");
    },
  );
}
