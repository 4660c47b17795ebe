/** `app-fleets table`: the compiled listener rules in evaluation order. */
import { renderRuleTable } from "../../lib/routing/render";
import { renderCommand } from "./render-command";

export const tableCommand = renderCommand("table", "print the listener rules compiled from the routing table", [], renderRuleTable);
