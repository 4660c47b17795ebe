/**
 * `app-fleets table`: the listener rules compiled from the routing, in evaluation order, with their
 * priorities (from the stack lock), and the rule count against the quota with maintenance on too.
 */
import { renderRuleTable } from "../../lib/routing/render";
import { renderCommand, withHeadings } from "./render-command";

export const tableCommand = renderCommand({
  name: "table",
  summary: "print the listener rules compiled from the configuration (or a routing table), in priority order",
  usageNotes: [
    "The last line counts the rules against the load balancer's quota, anchor rules (one per fleet) included,",
    "and with maintenance switched on.",
  ],
  render(sources, _args, io) {
    withHeadings(sources, io, (source) => io.out(renderRuleTable(source.compiled).trimEnd()));
    return 0;
  },
});
