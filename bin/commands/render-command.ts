/** Commands that compile the routing table file and print one rendering of it (`table`, `mermaid`). */
import type { CompiledRouting, RouteTarget } from "../../lib/routing/types";
import { parseArgs } from "./args";
import type { Command } from "./command";
import { loadCompiledTable, TABLE_OPTION_USAGE } from "./load-table";

export function renderCommand(
  name: string,
  summary: string,
  usageNotes: readonly string[],
  render: (compiled: CompiledRouting<RouteTarget>) => string,
): Command {
  const usage = [`usage: app-fleets ${name} [--table FILE]`, TABLE_OPTION_USAGE, ...usageNotes].join("\n");
  return {
    name,
    summary,
    usage,
    run(argv, io) {
      const args = parseArgs(argv, [{ name: "table", value: true }]);
      if ("error" in args || args.positionals.length > 0) {
        io.err(`${name}: ${"error" in args ? args.error : `unexpected argument ${args.positionals[0]}`}\n${usage}`);
        return 2;
      }
      try {
        io.out(render(loadCompiledTable(args.options.get("table")?.[0])).trimEnd());
        return 0;
      } catch (e) {
        io.err(`${name}: ${(e as Error).message}`);
        return 1;
      }
    },
  };
}
