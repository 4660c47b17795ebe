/**
 * Commands that read routing (layout configurations or a table file, see routing-source.ts) and
 * print one rendering of each (`table`, `mermaid`, `summary`).
 */
import { describeFailure } from "../../lib/core/errors";
import { parseArgs, type OptionSpec, type ParsedArgs } from "./args";
import type { Command, CommandIo } from "./command";
import {
  describeSource,
  loadRoutingSources,
  ROUTING_SOURCE_OPTIONS,
  ROUTING_SOURCE_USAGE,
  type RoutingSource,
  UsageError,
} from "./routing-source";

export interface RenderCommandSpec {
  readonly name: string;
  readonly summary: string;
  /** Extra options (besides --config, --stack, --table), e.g. `--json`. */
  readonly options?: readonly OptionSpec[];
  /** Usage lines of the extra options and notes. */
  readonly usageNotes?: readonly string[];
  /** Prints the sources; returns the exit code. */
  readonly render: (sources: readonly RoutingSource[], args: ParsedArgs, io: CommandIo) => number;
}

export function renderCommand(spec: RenderCommandSpec): Command {
  const usage = [
    `usage: app-fleets ${spec.name} [--config PATH [--stack ID] | --table FILE]${(spec.options ?? []).map((o) => ` [--${o.name}]`).join("")}`,
    ROUTING_SOURCE_USAGE,
    ...(spec.usageNotes ?? []),
  ].join("\n");
  return {
    name: spec.name,
    summary: spec.summary,
    usage,
    run(argv, io) {
      const args = parseArgs(argv, [...ROUTING_SOURCE_OPTIONS, ...(spec.options ?? [])]);
      if ("error" in args || args.positionals.length > 0) {
        io.err(`${spec.name}: ${"error" in args ? args.error : `unexpected argument ${args.positionals[0]}`}\n${usage}`);
        return 2;
      }
      let sources: RoutingSource[];
      try {
        sources = loadRoutingSources(args);
      } catch (e) {
        return reportCommandError(spec.name, e, io, usage);
      }
      return spec.render(sources, args, io);
    },
  };
}

/**
 * Prints a failure the way every command does: a usage error with the usage (exit 2), a bad file as
 * the short list of what is wrong, each `file: field = value: limit. Fix: ...` (exit 1), and only an
 * unexpected error with its stack.
 */
export function reportCommandError(name: string, error: unknown, io: CommandIo, usage?: string): number {
  if (error instanceof UsageError) {
    io.err(`${name}: ${error.message}${usage ? `\n${usage}` : ""}`);
    return 2;
  }
  io.err(`${name}: ${describeFailure(error)}`);
  return 1;
}

/**
 * Prints each source, under a heading that names its stack, file and stack lock when it is a layout
 * configuration or one of several (a lone table file prints bare, as it always did).
 */
export function withHeadings(
  sources: readonly RoutingSource[],
  io: CommandIo,
  print: (source: RoutingSource) => void,
  heading: (text: string) => string = (text) => `== ${text}`,
): void {
  sources.forEach((source, i) => {
    if (i > 0) io.out("");
    if (sources.length > 1 || source.layout) io.out(heading(describeSource(source)));
    print(source);
  });
}
