/** Human views of compiled routing: a terminal table and a Mermaid diagram that GitHub renders. */
import { describeAction, describeConditions, describeShares } from "./describe";
import type { CompiledRouting, CompiledRule, RouteTarget, RuleCounts } from "./types";

/** A plain-text table of the rules in evaluation order, the default last. */
export function renderRuleTable(compiled: CompiledRouting<RouteTarget>): string {
  const rows: string[][] = [["PRIORITY", "KEY", "KIND", "CONDITIONS", "ACTION"]];
  for (const r of compiled.rules) {
    rows.push([String(r.priority), r.key, r.kind, describeConditions(r.conditions) ?? "(no condition)", describeAction(r.action)]);
  }
  rows.push(["default", "default", "default", "(anything else)", describeAction(compiled.defaultAction)]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const table =
    rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ")).join("\n") + "\n";
  return compiled.ruleCounts ? `${table}${describeRuleCounts(compiled.ruleCounts)}\n` : table;
}

/** One line: the rules the table needs against the quota, and with maintenance switched on. */
export function describeRuleCounts(c: RuleCounts): string {
  const extra = c.extra > 0 ? ` + ${c.extra} other` : "";
  const now = c.normal + c.extra;
  return (
    `rules: ${c.normal}${extra} of ${c.quota}; with maintenance on: ${c.withMaintenance} of ${c.quota}` +
    (c.maintenance > 0 ? ` (maintenance adds ${c.maintenance})` : " (no maintenance settings)") +
    (now <= c.quota ? `, headroom ${c.quota - c.withMaintenance}` : "")
  );
}

const nodeId = (name: string) => `fleet_${name.replace(/[^A-Za-z0-9_]/g, "_")}`;
// Mermaid labels in quotes cannot hold a raw double quote; its entity code renders as one.
const label = (text: string) => text.replace(/"/g, "#quot;");

/** Routes by name; override headers and host pins by what they match, since their source names no value. */
function edgeLabel(r: CompiledRule<RouteTarget>): string {
  return r.kind === "override-header" || r.kind === "host-pin" ? (describeConditions(r.conditions) ?? r.source) : r.source;
}

/**
 * A `flowchart LR` from the router to each fleet, one edge per table entry (packs of one route are
 * merged), labelled with its share, plus the default and maintenance. Paste into Markdown on GitHub.
 */
export function renderMermaid(compiled: CompiledRouting<RouteTarget>): string {
  const lines = ["flowchart LR", '  client(["client"]) --> router{{"load balancer"}}'];
  for (const fleet of compiled.fleets) lines.push(`  ${nodeId(fleet.name)}["${label(fleet.name)}"]`);
  const seen = new Set<string>();
  const edge = (from: string, text: string, to: string) => {
    const line = `  ${from} -->|"${label(text)}"| ${to}`;
    if (!seen.has(line)) {
      seen.add(line);
      lines.push(line);
    }
  };
  let responses = 0;
  for (const r of compiled.rules) {
    if (r.action.type === "forward") {
      const shares = describeShares(r.action);
      r.action.targets.forEach((t, i) => edge("router", `${edgeLabel(r)}: ${shares[i]}`, nodeId(t.fleet.name)));
    } else {
      const id = `response_${responses}`;
      const text = r.action.type === "redirect" ? `redirect ${r.action.statusCode}` : `fixed ${r.action.statusCode}`;
      if (![...seen].some((l) => l.includes(`|"${label(`${r.source}`)}"|`))) {
        responses++;
        lines.push(`  ${id}[["${label(`${text}`)}"]]`);
        edge("router", r.source, id);
      }
    }
  }
  const defaultShares = describeShares(compiled.defaultAction);
  compiled.defaultAction.targets.forEach((t, i) => edge("router", `default: ${defaultShares[i]}`, nodeId(t.fleet.name)));
  return lines.join("\n") + "\n";
}
