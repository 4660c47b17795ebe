/** `app-fleets mermaid`: a Mermaid flowchart of the router and its fleets, for README files and PRs. */
import { renderMermaid } from "../../lib/routing/render";
import { parseArgs } from "./args";
import type { Command } from "./command";
import { loadCompiledTable, TABLE_OPTION_USAGE } from "./load-table";

const USAGE = ["usage: app-fleets mermaid [--table FILE]", TABLE_OPTION_USAGE, "Paste the output into a ```mermaid block; GitHub renders it."].join("\n");

export const mermaidCommand: Command = {
  name: "mermaid",
  summary: "print a Mermaid diagram of the router, its fleets and their weights",
  usage: USAGE,
  run(argv, io) {
    const args = parseArgs(argv, [{ name: "table", value: true }]);
    if ("error" in args || args.positionals.length > 0) {
      io.err(`mermaid: ${"error" in args ? args.error : `unexpected argument ${args.positionals[0]}`}\n${USAGE}`);
      return 2;
    }
    try {
      io.out(renderMermaid(loadCompiledTable(args.options.get("table")?.[0])).trimEnd());
      return 0;
    } catch (e) {
      io.err(`mermaid: ${(e as Error).message}`);
      return 1;
    }
  },
};
