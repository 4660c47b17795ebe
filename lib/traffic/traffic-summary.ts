/**
 * Where traffic goes, in words and numbers: printed by `cdktf deploy` as outputs, so the
 * person running a stage change sees its effect without opening the console.
 */
import { roundPercent, weightsToPercents } from "../core/percent";
import { describeConditions as describeRuleConditions } from "../routing/describe";
import { CompiledAction, CompiledCondition, CompiledRouting, CompiledRule, RouteTarget } from "../routing/types";

/** One fleet's share of the default route and the rules that reach it. */
export interface FleetTrafficShare {
  /** Percent of requests that match no rule (the listener default) sent to this fleet. */
  readonly defaultPercent: number;
  /** Rules (by source) that send this fleet some traffic, with the fleet's percent in each. */
  readonly rules: Readonly<Record<string, number>>;
}

/** A rule's conditions in the summary's one-line style (lib/routing/describe.ts). */
function describeConditions(conditions: readonly CompiledCondition[]): string {
  return describeRuleConditions(conditions, "line") ?? "everything";
}

function percents<F extends RouteTarget>(action: Extract<CompiledAction<F>, { type: "forward" }>): Array<[string, number]> {
  const exact = weightsToPercents(action.targets.map((t) => t.weight));
  return action.targets.map((t, i) => [t.fleet.name, roundPercent(exact[i])]);
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

/**
 * What a rule is called in the summary: the route's name, or the table part it came from. An
 * override-header rule's source names the header (`override header X-Backend-Color`), which its
 * conditions name again with the value (`X-Backend-Color: blue`): the kind alone avoids saying it twice.
 */
function ruleLabel<F extends RouteTarget>(rule: CompiledRule<F>): string {
  return rule.kind === "override-header" ? "override header" : rule.source;
}

/**
 * One line per rule in priority order, then the default, e.g.
 * `[1250] override header: X-Backend-Version: 4 & from 203.0.113.0/24 -> rails4`,
 * `[42500] hoge-fuga: /hoge | /hoge/* -> rails3 90%, rails4 10%`, `default: -> rails3`.
 */
export function trafficSummary<F extends RouteTarget>(compiled: CompiledRouting<F>): string[] {
  const lines = compiled.rules.map(
    (r) => `[${r.priority}] ${ruleLabel(r)}: ${describeConditions(r.conditions)} -> ${describeAction(r.action)}`,
  );
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

/** What the `fleets` output says about a fleet (snake_case keys: they are read from Terraform's output). */
export interface FleetSummary {
  readonly min: number;
  /** The fixed instance count, or "scaling" when the fleet's policies decide it between min and max. */
  readonly desired: number | "scaling";
  readonly max: number;
  readonly image_id: string;
  /** Percent of the requests that match no rule (the listener default) sent to the fleet. */
  readonly default_percent: number;
  /** Rules (by source) that send the fleet traffic, with its percent in each. */
  readonly rules: Readonly<Record<string, number>>;
}

/** A fleet as the summary needs it: `AppServerGroup` satisfies it, and so does a fleet's resolved settings with its name. */
export interface SummarizedFleet {
  readonly name: string;
  readonly settings: {
    readonly capacity: { readonly min: number; readonly desired: number; readonly max: number };
    /** Present when the fleet scales. */
    readonly scaling?: unknown;
    readonly imageId: string;
  };
}

/**
 * Per fleet, in the order given: capacity, image, share of the default route and the rules that
 * reach it. The `fleets` output of `TrafficOutputs` (and of the layouts), and `app-fleets summary`.
 */
export function fleetSummaries<F extends RouteTarget>(
  fleets: readonly SummarizedFleet[],
  compiled: CompiledRouting<F>,
): Record<string, FleetSummary> {
  const shares = fleetShares(compiled);
  return Object.fromEntries(
    fleets.map((f) => [
      f.name,
      {
        min: f.settings.capacity.min,
        // A fleet that scales has no fixed desired count: its policies decide it between min and max.
        desired: f.settings.scaling ? "scaling" : f.settings.capacity.desired,
        max: f.settings.capacity.max,
        image_id: f.settings.imageId,
        default_percent: shares[f.name]?.defaultPercent ?? 0,
        rules: shares[f.name]?.rules ?? {},
      },
    ]),
  );
}
