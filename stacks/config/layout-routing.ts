/**
 * The routing a layout configuration file describes, in one place. The layouts build their
 * router's table with `layoutRoutingTable`; the `app-fleets` commands (`table`, `explain`,
 * `mermaid`, `summary`) compile the same table from the same file with `compileLayoutRouting`,
 * without building a stack, with the priorities of the stack lock beside the file. A two-version
 * file writes its table under `routing`; a Blue/Green file's table is derived from its stage.
 * Pure: no cdktf import.
 */
import { ConfigError, FieldLocation, Violations } from "../../lib/core/errors";
import { type ResolvedFleetProps, resolveFleetProps } from "../../lib/fleet/app-server-group-props";
import type { ListenerLock } from "../../lib/lock/stack-lock-data";
import { checkRoutedFleets, tablePath } from "../../lib/router/routed-fleets";
import { resolveRouterProps } from "../../lib/router/traffic-router-props";
import { compileRouting } from "../../lib/routing/compile";
import { routingTableFromJson } from "../../lib/routing/routing-json";
import type { CompileResult, RoutingTable } from "../../lib/routing/types";
import { fleetsOf } from "../../lib/routing/validate";
import { BlueGreenTraffic, Color, parseStage } from "../../lib/traffic/blue-green-stage";
import { checkStageCapacity } from "../../lib/traffic/stage-capacity";
import type { LayoutConfig } from "./layout-config";
import { blueGreenRoutingLocation, blueGreenRoutingTable, ColorFleet, fleetPropsOf, routerPropsOf, routingLocation } from "./layout-props";
import { LOAD_BALANCER_AT_DEPLOY } from "./load-config";

/** The table a configuration describes, and where its parts sit in the file (for errors). */
export interface LayoutRouting<F extends ColorFleet> {
  readonly table: RoutingTable<F>;
  readonly location: FieldLocation;
  /** The Blue/Green stage the table was derived from; undefined for a two-version file. */
  readonly traffic?: BlueGreenTraffic;
}

/**
 * The routing table of a configuration, its fleets looked up by their keys in `fleets`.
 * @param file the configuration file's name, starting every field in errors
 * @throws ConfigError naming each field: a name that is not a fleet, a malformed stage, a stage
 *   that sends traffic to a color whose `capacity.min` is 0
 */
export function layoutRoutingTable<F extends ColorFleet>(
  config: LayoutConfig,
  file: string,
  fleets: Readonly<Record<string, F>>,
): LayoutRouting<F> {
  if (config.layout === "two-version") {
    const location = routingLocation(file);
    return { table: routingTableFromJson(config.routing, fleets, location), location };
  }
  const stageField = `${file}: traffic.stage`;
  const traffic = parseStage(config.traffic.stage, stageField);
  const colors: Record<Color, F> = { blue: fleets.blue, green: fleets.green };
  // Said in the terms of the file (its stage), before the router's generic "weight to a fleet with min 0".
  const v = new Violations();
  checkStageCapacity(v, stageField, traffic, { blue: colors.blue.minCapacity, green: colors.green.minCapacity });
  v.throwIfAny();
  return { table: blueGreenRoutingTable(config, colors, traffic), location: blueGreenRoutingLocation(file), traffic };
}

/** A fleet of a configuration as the router sees it, without its resources: what the file says it is. */
export interface ConfiguredFleet extends ColorFleet {
  /** Target groups a forward to the fleet lists: 2 while it runs a canary. */
  readonly targetGroupCount: number;
  readonly retiring: boolean;
  readonly targetStickinessSeconds?: number;
  /** The fleet's props with defaults applied, as `AppServerGroup.settings` holds them. */
  readonly settings: ResolvedFleetProps;
}

/** Every fleet of a configuration, by its key in `fleets`, as `AppServerGroup` would report it. */
export function configuredFleets(config: LayoutConfig, file: string): Record<string, ConfiguredFleet> {
  const fleets: Record<string, ConfiguredFleet> = {};
  for (const [name, fleet] of Object.entries<LayoutConfig["fleets"][keyof LayoutConfig["fleets"]]>(config.fleets)) {
    const settings = resolveFleetProps(fleetPropsOf(config, name, fleet, LOAD_BALANCER_AT_DEPLOY, file));
    fleets[name] = {
      name,
      minCapacity: settings.capacity.min,
      targetGroupCount: settings.rollouts.canary ? 2 : 1,
      retiring: settings.rollouts.stateful?.retire === true,
      targetStickinessSeconds: settings.stickinessSeconds,
      settings,
    };
  }
  return fleets;
}

/** A configuration's routing, compiled as its stack's router compiles it. */
export interface CompiledLayoutRouting {
  readonly compiled: CompileResult<ConfiguredFleet>;
  /** Every fleet of the file, in file order (also those the table does not route to). */
  readonly fleets: readonly ConfiguredFleet[];
  /** The Blue/Green stage; undefined for a two-version file. */
  readonly traffic?: BlueGreenTraffic;
  /** `<environment>-web-alb`. */
  readonly loadBalancerName: string;
  /** The quota the rules were counted against. */
  readonly maxRulesPerLoadBalancer: number;
}

/** Label of the router's anchor rules in quota messages (TrafficRouter counts them the same way). */
const ANCHOR_RULES_LABEL = "anchor rules, one per fleet";

/**
 * Compiles a checked configuration's routing exactly as `TrafficRouter.setRoutingTable` does for
 * its stack (the same compiler options, anchor rules counted against the quota, the same routed
 * fleet checks), so the rules, priorities and counts are what `cdktf synth` produces.
 * @param lock the traffic listener's section of the stack lock (read, never written)
 * @throws ConfigError listing every problem, each at `<file>: <field>`
 */
export function compileLayoutRouting(config: LayoutConfig, file: string, lock?: ListenerLock): CompiledLayoutRouting {
  const router = resolveRouterProps(routerPropsOf(config, file));
  const fleetsByName = configuredFleets(config, file);
  const { table, location, traffic } = layoutRoutingTable(config, file, fleetsByName);
  const compiled = withFieldLocation(location, () =>
    compileRouting(table, {
      lock,
      limits: { maxRulesPerLoadBalancer: router.maxRulesPerLoadBalancer },
      extraRules: fleetsOf(table).length,
      extraRulesLabel: ANCHOR_RULES_LABEL,
    }),
  );
  checkRoutedFleets({
    compiled,
    extraRules: fleetsOf(table).length,
    maxRulesPerLoadBalancer: router.maxRulesPerLoadBalancer,
    where: file,
    field: (part) => location.field(tablePath(part, table)),
  }).throwIfAny();
  return {
    compiled,
    fleets: Object.values(fleetsByName),
    traffic,
    loadBalancerName: router.loadBalancerName,
    maxRulesPerLoadBalancer: router.maxRulesPerLoadBalancer,
  };
}

/** Runs `compile`, naming the fields of its errors where they sit in the file. */
function withFieldLocation<T>(location: FieldLocation, compile: () => T): T {
  try {
    return compile();
  } catch (error) {
    if (!ConfigError.isConfigError(error)) throw error;
    throw new ConfigError(error.violations.map((v) => ({ ...v, field: location.field(v.field) })));
  }
}
