/**
 * The registry of `app-fleets` subcommands. To add one, write bin/commands/<name>.ts exporting a
 * `Command` and add one line below.
 */
import type { Command } from "./command";
import { driftCommand } from "./drift";
import { explainCommand } from "./explain";
import { importNginxCommand } from "./import-nginx";
import { mermaidCommand } from "./mermaid";
import { planDiffCommand } from "./plan-diff";
import { tableCommand } from "./table";

export const COMMANDS: readonly Command[] = [
  explainCommand,
  tableCommand,
  mermaidCommand,
  importNginxCommand,
  planDiffCommand,
  driftCommand,
];
