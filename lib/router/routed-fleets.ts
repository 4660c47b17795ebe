/**
 * Checks that a compiled routing table is safe to deploy behind one load balancer:
 * no traffic to a fleet that may be empty, rule quota respected (fleet names are unique already:
 * the compiler refuses two fleets of one name).
 * Pure TypeScript (no cdktf import).
 */
import { Violations } from "../core/errors";
import { checkListenerServesVersion } from "../fleet/target-group-options";
import type { CompiledAction, CompiledRouting, RouteTarget, RoutingTable, WeightedFleet } from "../routing/types";

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

type CheckedFleet = RouteTarget & {
  readonly minCapacity: number;
  readonly targetStickinessSeconds?: number;
  readonly retiring?: boolean;
  /** "HTTP1", "HTTP2" or "GRPC". @default "HTTP1" */
  readonly targetProtocolVersion?: string;
};

export interface RoutedFleetCheckInput<F extends CheckedFleet> {
  readonly compiled: CompiledRouting<F>;
  /** Rules the router adds beyond the compiled ones (one anchor per fleet). */
  readonly extraRules: number;
  readonly maxRulesPerLoadBalancer: number;
  /**
   * The listener traffic arrives on: HTTP/2 and gRPC target groups serve HTTPS listeners only,
   * and need HTTP/2 from clients. @default - HTTPS with HTTP/2 on
   */
  readonly listener?: { readonly https: boolean; readonly http2Enabled: boolean };
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
  // Fleet names are unique here: compileRouting refuses two fleets of one name (validate.ts).
  const fleets = fleetsOf(compiled);

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
    if (action.type !== "forward" || action.targets.length < 2 || action.groupStickinessSeconds !== undefined) return;
    for (const { fleet } of action.targets) {
      v.check(
        fleet.targetStickinessSeconds === undefined,
        at(source),
        fleet.name,
        `splits traffic across target groups without group stickiness, but fleet "${fleet.name}" has target stickiness on; ALB rejects that combination`,
        `add groupStickinessSeconds to the split in ${source} (it also keeps a user on one version), or remove stickinessSeconds from fleet "${fleet.name}"`,
      );
    }
  };
  for (const rule of compiled.rules) splitNeedsGroupStickiness(`${rule.kind} "${rule.source}"`, rule.action);
  splitNeedsGroupStickiness("default", compiled.defaultAction);

  // HTTP/2 and gRPC fleets need an HTTPS listener with HTTP/2 on (target-group-options.ts).
  const listener = input.listener ?? { https: true, http2Enabled: true };
  for (const fleet of fleets) checkListenerServesVersion(v, at("fleets"), fleet.name, fleet, listener);

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

/**
 * The table part a check names (`route "hoge"`, `override-header "..."`, `host-pin ...`, `default`,
 * `fleets`) as a path in the table (`routes[2]`, `overrideHeader`), for errors that point into a
 * configuration file.
 */
export function tablePath<F extends RouteTarget>(part: string, table: RoutingTable<F>): string {
  const route = /^route "(.*)"$/.exec(part);
  if (route) {
    const index = (table.routes ?? []).findIndex((r) => r.name === route[1]);
    return index >= 0 ? `routes[${index}]` : "routes";
  }
  if (part.startsWith("override-header")) return "overrideHeader";
  if (part.startsWith("host-pin")) return "hostPins";
  if (part.startsWith("maintenance")) return "maintenance";
  return part === "fleets" ? "" : part;
}
