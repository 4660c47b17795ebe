/**
 * Compiled rules in words: the one home of how a condition and an action read, used by the rule
 * table and the Mermaid diagram (render.ts), `app-fleets explain`, drift reports (lib/live) and
 * the `traffic_summary` stack output (lib/traffic). Pure: no cdktf import.
 *
 * Two styles of the same words: `"table"` names each condition's kind (`path /a | /b`,
 * `header X-Color: green`, `ip 203.0.113.0/24`) and joins them with AND, for wide views; `"line"`
 * is the compact form of one-line summaries (`/a | /b`, `X-Color: green`, `from 203.0.113.0/24`,
 * joined with &), where the path is the usual condition and goes without a label.
 */
import { formatPercent, weightsToPercents } from "../core/percent";
import type { Atom, Dimension } from "./atoms";
import type { CompiledAction, CompiledCondition, ForwardAction, RouteTarget } from "./types";

export type DescribeStyle = "table" | "line";

function queryText(c: Extract<CompiledCondition, { type: "query-string" }>): string {
  return c.values.map((q) => (q.key === undefined ? q.value : `${q.key}=${q.value}`)).join(" | ");
}

/** One condition in words. */
export function describeCondition(c: CompiledCondition, style: DescribeStyle = "table"): string {
  const table = style === "table";
  switch (c.type) {
    case "path-pattern":
      return `${table ? "path " : ""}${c.values.join(" | ")}`;
    case "host-header":
      return `host ${c.values.join(" | ")}`;
    case "http-header":
      return `${table ? "header " : ""}${c.name}: ${c.values.join(" | ")}`;
    case "query-string":
      return table ? `query ${queryText(c)}` : `?${queryText(c)}`;
    case "http-request-method":
      return table ? `method ${c.values.join(" | ")}` : c.values.join("|");
    case "source-ip":
      return table ? `ip ${c.values.join(" | ")}` : `from ${c.values.join(", ")}`;
  }
}

/** Which condition a dimension of a route is, for messages: `path-pattern`, `header X-Beta`. */
export function describeConditionKind(d: Dimension): string {
  return d.kind === "http-header" ? `header ${d.name}` : d.kind;
}

/** A rule's conditions (all must match) in words; `undefined` for a rule without conditions. */
export function describeConditions(conditions: readonly CompiledCondition[], style: DescribeStyle = "table"): string | undefined {
  if (conditions.length === 0) return undefined;
  return conditions.map((c) => describeCondition(c, style)).join(style === "table" ? " AND " : " & ");
}

/**
 * A short form of an atom (one value per condition kind) for messages:
 * `path /hoge/* + method GET + X-Beta: 1`. The header goes without a label: its name says it.
 */
export function describeAtom(atom: Atom): string {
  const one = (type: "path-pattern" | "host-header" | "http-request-method" | "source-ip", value: string | undefined) =>
    value === undefined ? [] : [describeCondition({ type, values: [value] })];
  return [
    ...one("path-pattern", atom.path),
    ...one("host-header", atom.host),
    ...atom.headers.map((h) => describeCondition({ type: "http-header", name: h.name, values: [h.value] }, "line")),
    ...atom.queries.map((q) => describeCondition({ type: "query-string", values: [q] })),
    ...one("http-request-method", atom.method),
    ...one("source-ip", atom.sourceIp),
  ].join(" + ");
}

/** Each target's share of a forward action, as every view prints it ("90%", "33.3%"). */
export function describeShares(action: ForwardAction<RouteTarget>): string[] {
  return weightsToPercents(action.targets.map((t) => t.weight)).map(formatPercent);
}

/** An action in words, as the rule table and `explain` print it: `-> rails3 90%, rails4 10% (sticky 3600s)`. */
export function describeAction(a: CompiledAction<RouteTarget>): string {
  switch (a.type) {
    case "forward": {
      if (a.targets.length === 1) return `-> ${a.targets[0].fleet.name}`;
      const shares = describeShares(a);
      const split = a.targets.map((t, i) => `${t.fleet.name} ${shares[i]}`).join(", ");
      return `-> ${split}${a.groupStickinessSeconds ? ` (sticky ${a.groupStickinessSeconds}s)` : ""}`;
    }
    case "fixed-response":
      return `fixed ${a.statusCode} ${a.contentType}`;
    case "redirect":
      return `redirect ${a.statusCode} ${a.url}${a.keepQueryString ? " (keeps the query string)" : ""}`;
  }
}
