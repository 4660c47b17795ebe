/**
 * Where traffic goes, in words and numbers: printed by `cdktf deploy` as outputs, so the
 * person running a stage change sees its effect without opening the console.
 */
import { CompiledAction, CompiledCondition, CompiledRouting, RouteTarget } from "../routing/types";

/** One fleet's share of the default route and the rules that reach it. */
export interface FleetTrafficShare {
  /** Percent of requests that match no rule (the listener default) sent to this fleet. */
  readonly defaultPercent: number;
  /** Rules (by source) that send this fleet some traffic, with the fleet's percent in each. */
  readonly rules: Readonly<Record<string, number>>;
}

function describeConditions(conditions: readonly CompiledCondition[]): string {
  if (conditions.length === 0) return "everything";
  return conditions
    .map((c) => {
      switch (c.type) {
        case "path-pattern":
          return c.values.join(" | ");
        case "host-header":
          return `host ${c.values.join(" | ")}`;
        case "http-header":
          return `${c.name}: ${c.values.join(" | ")}`;
        case "query-string":
          return `?${c.values.map((q) => (q.key === undefined ? q.value : `${q.key}=${q.value}`)).join(" | ")}`;
        case "http-request-method":
          return c.values.join("|");
        case "source-ip":
          return `from ${c.values.join(", ")}`;
      }
    })
    .join(" & ");
}

function percents<F extends RouteTarget>(action: Extract<CompiledAction<F>, { type: "forward" }>): Array<[string, number]> {
  const total = action.targets.reduce((sum, t) => sum + t.weight, 0);
  return action.targets.map((t) => [t.fleet.name, total === 0 ? 0 : Math.round((1000 * t.weight) / total) / 10]);
}

function describeAction<F extends RouteTarget>(action: CompiledAction<F>): string {
  switch (action.type) {
    case "forward":
      return percents(action)
        .filter(([, pct]) => pct > 0)
        .map(([name, pct]) => (pct === 100 ? name : `${name} ${pct}%`))
        .join(", ");
    case "fixed-response":
      return `fixed response ${action.statusCode}`;
    case "redirect":
      return `redirect ${action.statusCode} to ${action.url}`;
  }
}

/** One line per rule in priority order, then the default. */
export function trafficSummary<F extends RouteTarget>(compiled: CompiledRouting<F>): string[] {
  const lines = compiled.rules.map((r) => `[${r.priority}] ${r.source}: ${describeConditions(r.conditions)} -> ${describeAction(r.action)}`);
  lines.push(`default: -> ${describeAction(compiled.defaultAction)}`);
  return lines;
}

/** Per fleet: its default share and every rule that sends it traffic. */
export function fleetShares<F extends RouteTarget>(compiled: CompiledRouting<F>): Record<string, FleetTrafficShare> {
  const shares: Record<string, { defaultPercent: number; rules: Record<string, number> }> = {};
  for (const fleet of compiled.fleets) shares[fleet.name] = { defaultPercent: 0, rules: {} };
  for (const [name, pct] of percents(compiled.defaultAction)) shares[name].defaultPercent = pct;
  for (const rule of compiled.rules) {
    if (rule.action.type !== "forward") continue;
    for (const [name, pct] of percents(rule.action)) {
      if (pct > 0) shares[name].rules[rule.source] = Math.max(shares[name].rules[rule.source] ?? 0, pct);
    }
  }
  return shares;
}
