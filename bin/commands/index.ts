/**
 * The registry of `app-fleets` subcommands. To add one, write bin/commands/<name>.ts exporting a
 * `Command` and add one line below.
 */
import type { Command } from "./command";
import { driftCommand } from "./drift";
import { explainCommand } from "./explain";
import { importNginxCommand } from "./import-nginx";
import { mermaidCommand } from "./mermaid";
import { mirrorCommand } from "./mirror";
import { planDiffCommand } from "./plan-diff";
import { summaryCommand } from "./summary";
import { tableCommand } from "./table";

export const COMMANDS: readonly Command[] = [
  explainCommand,
  tableCommand,
  summaryCommand,
  mermaidCommand,
  importNginxCommand,
  planDiffCommand,
  mirrorCommand,
  driftCommand,
];
