/**
 * Checks that a compiled routing table is safe to deploy behind one load balancer:
 * fleet names unique, no traffic to a fleet that may be empty, rule quota respected.
 * Pure TypeScript (no cdktf import).
 */
import { Violations } from "../core/errors";
import type { CompiledAction, CompiledRouting, RouteTarget, WeightedFleet } from "../routing/types";

/** Every fleet a compiled table mentions (rules, weight-0 targets and the default), in first-mention order. */
export function fleetsOf<F extends RouteTarget>(compiled: CompiledRouting<F>): F[] {
  const seen: F[] = [];
  const add = (fleet: F) => {
    if (!seen.includes(fleet)) seen.push(fleet);
  };
  for (const rule of compiled.rules) forwardTargets(rule.action).forEach((t) => add(t.fleet));
  compiled.defaultAction.targets.forEach((t) => add(t.fleet));
  compiled.fleets.forEach(add);
  return seen;
}

function forwardTargets<F extends RouteTarget>(action: CompiledAction<F>): readonly WeightedFleet<F>[] {
  return action.type === "forward" ? action.targets : [];
}

type CheckedFleet = RouteTarget & { readonly minCapacity: number; readonly targetStickinessSeconds?: number; readonly retiring?: boolean };

export interface RoutedFleetCheckInput<F extends CheckedFleet> {
  readonly compiled: CompiledRouting<F>;
  /** Rules the router adds beyond the compiled ones (one anchor per fleet). */
  readonly extraRules: number;
  readonly maxRulesPerLoadBalancer: number;
  /** Prefix of every field name, e.g. `TrafficRouter "web"`. */
  readonly where: string;
  /**
   * Names the field of a table part (`route "hoge"`, `default`, `fleets`, or "" for the whole
   * table), e.g. as a place in a configuration file. @default - `<where> routing table <part>`
   */
  readonly field?: (part: string) => string;
}

export function checkRoutedFleets<F extends CheckedFleet>(input: RoutedFleetCheckInput<F>): Violations {
  const { compiled, where } = input;
  const at = input.field ?? ((part: string) => `${where} routing table${part === "" ? "" : ` ${part}`}`);
  const v = new Violations();
  const fleets = fleetsOf(compiled);

  const byName = new Map<string, number>();
  for (const fleet of fleets) byName.set(fleet.name, (byName.get(fleet.name) ?? 0) + 1);
  for (const [name, count] of byName) {
    v.check(
      count === 1,
      at("fleets"),
      name,
      `${count} different fleets are named "${name}"; names must be unique because they name rules, security group rules and metrics`,
      "give each AppServerGroup its own name, or route to the same AppServerGroup object",
    );
  }

  const sendsTraffic = (source: string, targets: readonly WeightedFleet<F>[]) => {
    for (const { fleet, weight } of targets) {
      // A retiring stateful fleet (stateful.retire) scales to zero and is deleted next: no rule may name it.
      if (fleet.retiring) {
        v.add(
          at(source),
          fleet.name,
          `${weight > 0 ? `sends traffic (weight ${weight})` : "names (with weight 0)"} fleet "${fleet.name}", which is retiring (stateful.retire: true): it is scaling to zero and its next step is deletion, so no rule may send it traffic`,
          `send these requests to another fleet (remove "${fleet.name}" from ${source}), or set stateful.retire back to false`,
        );
        continue;
      }
      v.check(
        !(weight > 0 && fleet.minCapacity === 0),
        at(source),
        fleet.name,
        `sends traffic (weight ${weight}) to fleet "${fleet.name}" whose capacity.min is 0: no traffic to an empty fleet`,
        `give fleet "${fleet.name}" capacity.min >= 1, or set its weight to 0 in ${source}`,
      );
    }
  };
  for (const rule of compiled.rules) sendsTraffic(`${rule.kind} "${rule.source}"`, forwardTargets(rule.action));
  sendsTraffic("default", compiled.defaultAction.targets);

  // ALB refuses target stickiness inside a multi-group forward that has no group stickiness.
  const splitNeedsGroupStickiness = (source: string, action: CompiledAction<F>) => {
    if (action.type !== "forward" || action.targets.length < 2 || action.stickySeconds !== undefined) return;
    for (const { fleet } of action.targets) {
      v.check(
        fleet.targetStickinessSeconds === undefined,
        at(source),
        fleet.name,
        `splits traffic across target groups without group stickiness, but fleet "${fleet.name}" has target stickiness on; ALB rejects that combination`,
        `add stickySeconds to the split in ${source} (it also keeps a user on one version), or remove stickinessSeconds from fleet "${fleet.name}"`,
      );
    }
  };
  for (const rule of compiled.rules) splitNeedsGroupStickiness(`${rule.kind} "${rule.source}"`, rule.action);
  splitNeedsGroupStickiness("default", compiled.defaultAction);

  const total = compiled.rules.length + input.extraRules;
  v.check(
    total <= input.maxRulesPerLoadBalancer,
    at(""),
    total,
    `needs ${total} listener rules (${compiled.rules.length} compiled + ${input.extraRules} anchor rules, one per fleet); ` +
      `the load balancer allows ${input.maxRulesPerLoadBalancer}`,
    "merge routes that share a destination (several paths fit in one route), remove unused fleets, " +
      "or raise limits.maxRulesPerLoadBalancer after AWS raised your quota",
  );
  return v;
}
