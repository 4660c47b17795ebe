/**
 * Loads a layout configuration file and checks all of it before any construct exists:
 * 1. the file: at most 1 MiB of UTF-8, strict JSON (no duplicate keys, nesting at most 32);
 * 2. the shape: `layoutConfigSchema` (unknown keys at every depth, types, sizes);
 * 3. the values: the constructs' own rules (`resolveRouterProps`, `resolveFleetProps`, the routing
 *    table's), run on exactly the props the layout will build, their errors renamed to the field
 *    the user wrote.
 * Every problem is reported in one ConfigError, each at `<file>: <json path>`.
 */
import { isUtf8 } from "node:buffer";
import { readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import { ConfigError, FieldLocation, jsonPathKey, Violations } from "../../lib/core/errors";
import { DEPLOY_TIME_PLACEHOLDER } from "../../lib/core/terraform-literal";
import { CONFIG_FILE_MAX_BYTES, parseStrictJson } from "../../lib/config/json-parser";
import { checkAgainst } from "../../lib/config/schema";
import { FleetLoadBalancer, resolveFleetProps } from "../../lib/fleet/app-server-group-props";
import { checkAlarmNotifications } from "../../lib/fleet/alarm-topic-options";
import { checkListenerServesVersion } from "../../lib/fleet/target-group-options";
import { resolveRouterProps } from "../../lib/router/traffic-router-props";
import { resolveNames } from "../../lib/routing/routing-json";
import type { RoutingTable } from "../../lib/routing/types";
import { validateRoutingTable } from "../../lib/routing/validate";
import { BlueGreenTraffic, Color, parseStage } from "../../lib/traffic/blue-green-stage";
import { checkRollbackCapacity } from "../../lib/traffic/rollback-capacity";
import { checkStageCapacity } from "../../lib/traffic/stage-capacity";
import { BlueGreenConfig, LayoutConfig, layoutConfigSchema, LAYOUTS, TwoVersionConfig } from "./layout-config";
import { blueGreenRoutingLocation, blueGreenRoutingTable, ColorFleet, fleetPropsOf, routerPropsOf, routingLocation } from "./layout-props";

export { LAYOUTS };

/** The router's security group and ARN suffix exist only once deployed (lib/core/terraform-literal.ts). */
const DEPLOY_TIME_VALUE = DEPLOY_TIME_PLACEHOLDER;
/** @internal The load balancer as the fleets' checks see it before deploy (also stacks/config/layout-routing.ts). */
export const LOAD_BALANCER_AT_DEPLOY: FleetLoadBalancer = { securityGroupId: DEPLOY_TIME_VALUE, arnSuffix: DEPLOY_TIME_VALUE };

/**
 * Checks an already parsed configuration.
 * @param source the file name that starts every field in messages, e.g. `production.json`
 * @throws ConfigError listing every problem
 */
export function parseLayoutConfig(raw: unknown, source: string): LayoutConfig {
  const v = new Violations();
  const fleets = typeof raw === "object" && raw !== null ? (raw as { fleets?: unknown }).fleets : undefined;
  const fleetNames = typeof fleets === "object" && fleets !== null && !Array.isArray(fleets) ? Object.keys(fleets) : undefined;
  const config = checkAgainst(layoutConfigSchema, raw, FieldLocation.file(source), v, { fleetNames });
  if (config !== undefined) checkValues(config, source, v);
  v.throwIfAny();
  return config!;
}

/** The constructs' value rules, on the props the layout will build. */
function checkValues(config: LayoutConfig, file: string, v: Violations): void {
  const router = v.collect(() => resolveRouterProps(routerPropsOf(config, file)));
  const root = FieldLocation.file(file);
  checkAlarmNotifications(v, (field) => root.field(field), config);
  const minCapacity: Record<string, number> = {};
  const scales: Record<string, boolean> = {};
  for (const [name, fleet] of Object.entries<TwoVersionConfig["fleets"][string]>(config.fleets)) {
    const resolved = v.collect(() => resolveFleetProps(fleetPropsOf(config, name, fleet, LOAD_BALANCER_AT_DEPLOY, file)));
    if (resolved) {
      minCapacity[name] = resolved.capacity.min;
      scales[name] = resolved.scaling !== undefined;
      // Every fleet of a file sits behind its router: an HTTP/2 or gRPC fleet needs its HTTPS listener with HTTP/2 on.
      const version = resolved.targetGroup.protocolVersion;
      const listener = router && { https: !router.httpOnly, http2Enabled: router.http2Enabled };
      if (listener)
        checkListenerServesVersion(
          v,
          root.field(`fleets${jsonPathKey(name)}.targetProtocolVersion`),
          version,
          { name, targetProtocolVersion: version },
          listener,
        );
    }
  }
  if (config.layout === "two-version") checkTwoVersionRouting(config, file, v);
  else checkBlueGreenRouting(config, file, minCapacity, scales, v);
}

/** Target groups a forward to the fleet lists: its own, and its canary's while it has one. */
function targetGroupCount(fleet: { readonly canary?: unknown }): number {
  return fleet.canary === undefined ? 1 : 2;
}

function checkTwoVersionRouting(config: TwoVersionConfig, file: string, v: Violations): void {
  const location = routingLocation(file);
  const names = Object.keys(config.fleets);
  const standIns = new Map(names.map((name) => [name, { name, targetGroupCount: targetGroupCount(config.fleets[name]) }]));
  checkTable(
    resolveNames(config.routing, location, (name) => standIns.get(name), names, v),
    location,
    v,
  );
}

function checkBlueGreenRouting(
  config: BlueGreenConfig,
  file: string,
  minCapacity: Readonly<Record<string, number>>,
  scales: Readonly<Record<string, boolean>>,
  v: Violations,
): void {
  // A malformed stage was reported by the schema's rule; here it only decides the table.
  const traffic: BlueGreenTraffic | undefined = new Violations().collect(() => parseStage(config.traffic.stage));
  if (!traffic || minCapacity.blue === undefined || minCapacity.green === undefined) return;
  const fleets: Record<Color, ColorFleet> = {
    blue: { name: "blue", minCapacity: minCapacity.blue, targetGroupCount: targetGroupCount(config.fleets.blue) },
    green: { name: "green", minCapacity: minCapacity.green, targetGroupCount: targetGroupCount(config.fleets.green) },
  };
  const root = FieldLocation.file(file);
  checkRollbackCapacity(v, (color) => root.field(`fleets.${color}.capacity.min`), traffic, {
    blue: { min: minCapacity.blue, scales: scales.blue === true },
    green: { min: minCapacity.green, scales: scales.green === true },
  });
  checkStageCapacity(v, root.field("traffic.stage"), traffic, { blue: minCapacity.blue, green: minCapacity.green });
  checkTable(blueGreenRoutingTable(config, fleets, traffic), blueGreenRoutingLocation(file), v);
}

function checkTable<F extends { readonly name: string }>(table: RoutingTable<F>, location: FieldLocation, v: Violations): void {
  for (const violation of validateRoutingTable(table).all)
    v.add(location.field(violation.field), violation.value, violation.limit, violation.fix);
}

/**
 * Reads and checks a configuration file.
 * @throws ConfigError naming the file and each field (line and column for JSON syntax errors)
 */
export function loadLayoutConfig(path: string): LayoutConfig {
  const file = basename(path);
  const refuse = (value: unknown, limit: string, fix: string): never => {
    throw new ConfigError([{ field: file, value, limit, fix }]);
  };
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) refuse(path, "is not a file", "point at a JSON configuration file");
    size = stat.size;
  } catch (error) {
    if (ConfigError.isConfigError(error)) throw error;
    return refuse(
      path,
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      "check the path and its permissions",
    );
  }
  if (size > CONFIG_FILE_MAX_BYTES) {
    refuse(
      `${size} bytes`,
      `is larger than ${CONFIG_FILE_MAX_BYTES} bytes (1 MiB); no configuration is that large`,
      "check that this is the configuration file",
    );
  }
  const bytes = readFileSync(path);
  if (!isUtf8(bytes)) refuse(path, "is not UTF-8 text", "save the file as UTF-8");
  return parseLayoutConfig(parseStrictJson(bytes.toString("utf8"), file), file);
}
