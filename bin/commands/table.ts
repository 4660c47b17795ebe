/** `app-fleets table`: the compiled listener rules in evaluation order. */
import { renderRuleTable } from "../../lib/routing/render";
import { parseArgs } from "./args";
import type { Command } from "./command";
import { loadCompiledTable, TABLE_OPTION_USAGE } from "./load-table";

const USAGE = ["usage: app-fleets table [--table FILE]", TABLE_OPTION_USAGE].join("\n");

export const tableCommand: Command = {
  name: "table",
  summary: "print the listener rules compiled from the routing table",
  usage: USAGE,
  run(argv, io) {
    const args = parseArgs(argv, [{ name: "table", value: true }]);
    if ("error" in args || args.positionals.length > 0) {
      io.err(`table: ${"error" in args ? args.error : `unexpected argument ${args.positionals[0]}`}\n${USAGE}`);
      return 2;
    }
    try {
      io.out(renderRuleTable(loadCompiledTable(args.options.get("table")?.[0])).trimEnd());
      return 0;
    } catch (e) {
      io.err(`table: ${(e as Error).message}`);
      return 1;
    }
  },
};
