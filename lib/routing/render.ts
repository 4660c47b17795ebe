/** Human views of compiled routing: a terminal table and a Mermaid diagram that GitHub renders. */
import type { CompiledAction, CompiledCondition, CompiledRouting, CompiledRule, RouteTarget, RuleCounts } from "./types";

export function formatCondition(c: CompiledCondition): string {
  switch (c.type) {
    case "path-pattern":
      return `path ${c.values.join(" | ")}`;
    case "host-header":
      return `host ${c.values.join(" | ")}`;
    case "http-header":
      return `header ${c.name}: ${c.values.join(" | ")}`;
    case "query-string":
      return `query ${c.values.map((q) => (q.key === undefined ? q.value : `${q.key}=${q.value}`)).join(" | ")}`;
    case "http-request-method":
      return `method ${c.values.join(" | ")}`;
    case "source-ip":
      return `ip ${c.values.join(" | ")}`;
  }
}

function percent(weight: number, total: number): string {
  const p = total > 0 ? (weight * 100) / total : 0;
  return `${Number.isInteger(p) ? p : p.toFixed(1)}%`;
}

export function formatAction(a: CompiledAction<RouteTarget>): string {
  switch (a.type) {
    case "forward": {
      if (a.targets.length === 1) return `-> ${a.targets[0].fleet.name}`;
      const total = a.targets.reduce((n, t) => n + t.weight, 0);
      const split = a.targets.map((t) => `${t.fleet.name} ${percent(t.weight, total)}`).join(", ");
      return `-> ${split}${a.stickySeconds ? ` (sticky ${a.stickySeconds}s)` : ""}`;
    }
    case "fixed-response":
      return `fixed ${a.statusCode} ${a.contentType}`;
    case "redirect":
      return `redirect ${a.statusCode} ${a.url}${a.keepQueryString ? " (keeps the query string)" : ""}`;
  }
}

/** A plain-text table of the rules in evaluation order, the default last. */
export function renderRuleTable(compiled: CompiledRouting<RouteTarget>): string {
  const rows: string[][] = [["PRIORITY", "KEY", "KIND", "CONDITIONS", "ACTION"]];
  for (const r of compiled.rules) {
    rows.push([String(r.priority), r.key, r.kind, r.conditions.map(formatCondition).join(" AND "), formatAction(r.action)]);
  }
  rows.push(["default", "default", "default", "(anything else)", formatAction(compiled.defaultAction)]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const table = rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ")).join("\n") + "\n";
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
  return r.kind === "override-header" || r.kind === "host-pin" ? r.conditions.map(formatCondition).join(" AND ") : r.source;
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
      const total = r.action.targets.reduce((n, t) => n + t.weight, 0);
      for (const t of r.action.targets) edge("router", `${edgeLabel(r)}: ${percent(t.weight, total)}`, nodeId(t.fleet.name));
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
  const total = compiled.defaultAction.targets.reduce((n, t) => n + t.weight, 0);
  for (const t of compiled.defaultAction.targets) edge("router", `default: ${percent(t.weight, total)}`, nodeId(t.fleet.name));
  return lines.join("\n") + "\n";
}
