/**
 * Where `table`, `explain`, `mermaid` and `summary` read the routing from:
 * - `--config PATH`: layout configuration files, the same files `cdktf synth` reads: one file, or a
 *   directory (one stack per file; `--stack ID` picks one). Two-version and Blue/Green files alike:
 *   a Blue/Green table is derived from its stage exactly as the layout derives it, and compiled as the
 *   stack's router compiles it (stacks/config/layout-routing.ts), without building a stack;
 * - `--table FILE`: a routing table alone (the `routing` section of a two-version file, or what
 *   `app-fleets import-nginx` writes), fleets named by strings;
 * - neither: the configuration APP_FLEETS_CONFIG names (what `cdktf synth` reads), else ./routing.json.
 * Listener-rule priorities come from the stack lock file beside each file, read and never written,
 * so the numbers are the ones the last synth recorded.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import type { CompiledRouting, RouteTarget } from "../../lib/routing/types";
import { CONFIG_ENV, configFiles, loadConfigs, lockFileOf, stackIdOf } from "../../stacks/config/config-files";
import type { LayoutConfig } from "../../stacks/config/layout-config";
import { ROUTER_NAME } from "../../stacks/config/layout-props";
import { type CompiledLayoutRouting, compileLayoutRouting } from "../../stacks/config/layout-routing";
import type { OptionSpec, ParsedArgs } from "./args";
import { DEFAULT_TABLE_FILE, loadCompiledTable, lockFileBeside, readTrafficLock } from "./load-table";

/** A wrong combination of arguments: the command exits 2 and prints its usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export const ROUTING_SOURCE_OPTIONS: readonly OptionSpec[] = [
  { name: "config", value: true },
  { name: "stack", value: true },
  { name: "table", value: true },
];

export const ROUTING_SOURCE_USAGE = [
  "  --config PATH      layout configuration: a file, or a directory of them (the files cdktf synth reads);",
  `                     default: $${CONFIG_ENV} when set, else --table ./${DEFAULT_TABLE_FILE}`,
  "  --stack ID         with a directory: only the stack with this ID (<layout>-<environment>, e.g. two-version-staging)",
  '  --table FILE       a routing table alone (the "routing" section of a two-version configuration, or what',
  "                     import-nginx writes)",
  "  Priorities come from the stack lock file beside each file (<name>.lock.json), read and never written.",
].join("\n");

/** One routing table to show: a layout configuration's stack, or a table file. */
export interface RoutingSource {
  /** The stack ID (`two-version-staging`) or the table file's name. */
  readonly label: string;
  /** Absolute path of the file read. */
  readonly file: string;
  /** The stack lock file the priorities came from; undefined when there was none beside the file. */
  readonly lockFile?: string;
  readonly compiled: CompiledRouting<RouteTarget>;
  /** What a layout configuration says besides its table; undefined for a table file. */
  readonly layout?: { readonly config: LayoutConfig; readonly routing: CompiledLayoutRouting };
}

/**
 * The routing tables the arguments name, each compiled with its stack lock.
 * @throws UsageError for a wrong combination of options, ConfigError for a bad file (every problem listed)
 */
export function loadRoutingSources(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): RoutingSource[] {
  const config = args.options.get("config")?.[0];
  const table = args.options.get("table")?.[0];
  const stack = args.options.get("stack")?.[0];
  if (config !== undefined && table !== undefined) {
    throw new UsageError("--config and --table both given: a configuration holds its routing table. Fix: pass one of them");
  }
  if (table !== undefined || (config === undefined && !env[CONFIG_ENV])) {
    if (stack !== undefined)
      throw new UsageError("--stack picks a stack of a configuration directory. Fix: pass --config DIR with it, or drop --stack");
    if (table === undefined && !existsSync(resolve(DEFAULT_TABLE_FILE))) {
      throw new UsageError(
        `nothing to read: no --config, no ${CONFIG_ENV}, and no ./${DEFAULT_TABLE_FILE}. ` +
          `Fix: pass --config FILE|DIR (a layout configuration, e.g. stacks/config/examples/two-version.staging.json) or --table FILE`,
      );
    }
    const file = resolve(table ?? DEFAULT_TABLE_FILE);
    if (isLayoutConfiguration(file)) {
      throw new UsageError(
        `${table ?? DEFAULT_TABLE_FILE} is a layout configuration (it has "layout"), not a routing table. Fix: pass it with --config`,
      );
    }
    const lockFile = lockFileBeside(file);
    return [{ label: basename(file), file, lockFile: existsSync(lockFile) ? lockFile : undefined, compiled: loadCompiledTable(file) }];
  }
  const location = config ?? env[CONFIG_ENV]!;
  const configs = loadConfigs(configFiles(location, config !== undefined ? "--config" : CONFIG_ENV));
  const chosen = stack === undefined ? configs : configs.filter((c) => stackIdOf(c.config) === stack);
  if (chosen.length === 0) {
    throw new UsageError(
      `--stack ${stack}: ${location} has no stack with this ID; it has ${configs.map((c) => stackIdOf(c.config)).join(", ")}. Fix: pass one of them`,
    );
  }
  return chosen.map(({ file, config: layoutConfig }) => {
    const lockFile = lockFileOf(file);
    const hasLock = existsSync(lockFile);
    const routing = compileLayoutRouting(layoutConfig, basename(file), hasLock ? readTrafficLock(lockFile, ROUTER_NAME) : undefined);
    return {
      label: stackIdOf(layoutConfig),
      file,
      lockFile: hasLock ? lockFile : undefined,
      compiled: routing.compiled,
      layout: { config: layoutConfig, routing },
    };
  });
}

/** Whether a file given as a table is a whole layout configuration (a common mix-up, refused with the fix). */
function isLayoutConfiguration(file: string): boolean {
  try {
    const json: unknown = JSON.parse(readFileSync(file, "utf8"));
    return typeof json === "object" && json !== null && "layout" in json && "fleets" in json;
  } catch {
    return false; // missing or not JSON: the table reader says so, naming the file
  }
}

/** The line above a source's output: where the rules and their numbers come from. */
export function describeSource(source: RoutingSource): string {
  const file = basename(source.file);
  const what = source.layout ? `${source.label} (${file}, ${source.layout.config.layout} layout)` : file;
  const numbers = source.lockFile
    ? `priorities from ${basename(source.lockFile)}`
    : "no stack lock beside it: priorities as a first synth would allocate them";
  return `${what}: ${numbers}`;
}
