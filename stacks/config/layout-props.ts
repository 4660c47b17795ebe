/**
 * The construct props a layout builds from its configuration file, in one place: the layouts
 * use them to create the constructs, and `load-config.ts` checks them (with the constructs'
 * own rules) before any construct exists, so every problem of a file is reported in one run,
 * each at `<file>: <json path>`. Pure: no cdktf import.
 */
import { FieldLocation, jsonPathKey } from "../../lib/core/errors";
import { AppServerGroupProps, FleetLoadBalancer } from "../../lib/fleet/app-server-group-props";
import { AccessLogs } from "../../lib/router/access-logs";
import { TrafficRouterProps } from "../../lib/router/traffic-router-props";
import type { RouteTarget, RoutingTable } from "../../lib/routing/types";
import { BlueGreenTraffic, Color, COLORS, stageWeights } from "../../lib/traffic/blue-green-stage";
import type { EnvironmentConfig } from "./environment-config";
import { FleetConfig, toDeploymentConfig } from "./fleet-config";
import type { BlueGreenConfig } from "./layout-config";
import { FLEET_PROP_SOURCES, renamesOf, ROUTER_PROP_SOURCES } from "./prop-sources";

/** Name of the router in every layout; with the environment it names the load balancer. */
export const ROUTER_NAME = "web";

/** Default stickiness during a Blue/Green canary or split: one user sees one color for an hour. */
export const DEFAULT_STICKY_SECONDS = 3600;

/** Where the router's props come from in `file`. */
export function routerLocation(file: string): FieldLocation {
  return FieldLocation.file(file, "loadBalancer", {
    ...renamesOf(ROUTER_PROP_SOURCES, "loadBalancer"),
    // The load balancer's name is `<environment>-web-alb`: only the environment can make it too long.
    "namespace + name": "environment",
    "load balancer name": "environment",
  });
}

/** The TrafficRouter props of a configuration (the layout adds the lock file). */
export function routerPropsOf(config: EnvironmentConfig, file: string): TrafficRouterProps {
  const lb = config.loadBalancer;
  return {
    name: ROUTER_NAME,
    namespace: config.environment,
    vpcId: config.network.vpcId,
    subnetIds: config.network.publicSubnetIds,
    certificateArn: lb.certificateArn,
    httpOnly: lb.httpOnly,
    ingressCidrs: lb.ingressCidrs,
    ingressIpv6Cidrs: lb.ingressIpv6Cidrs,
    ipAddressType: lb.ipAddressType,
    http2Enabled: lb.http2Enabled,
    additionalCertificateArns: lb.additionalCertificateArns,
    webAclArn: lb.webAclArn,
    dnsAliases: lb.dnsAliases,
    deletionProtection: lb.deletionProtection,
    idleTimeoutSeconds: lb.idleTimeoutSeconds,
    accessLogs: AccessLogs.newBucket({ expirationDays: lb.accessLogExpirationDays }),
    limits: lb.maxRulesPerLoadBalancer === undefined ? undefined : { maxRulesPerLoadBalancer: lb.maxRulesPerLoadBalancer },
    tags: config.tags,
    source: routerLocation(file),
  };
}

/** Where a fleet's props come from in `file`: its entry, or the shared settings it inherits. */
export function fleetLocation(config: EnvironmentConfig, name: string, fleet: FleetConfig, file: string): FieldLocation {
  const entry = `fleets${jsonPathKey(name)}`;
  const renames = renamesOf(FLEET_PROP_SOURCES, entry, name);
  renames["namespace + name"] = entry;
  renames["target group name"] = entry;
  if (fleet.alarms?.snsTopicArn === undefined) renames["alarms.snsTopicArn"] = "alarmTopicArn";
  // Tags are the file's tags and the fleet's, merged: each one is reported where it was written.
  if (fleet.tags === undefined) renames.tags = "tags";
  for (const key of Object.keys(config.tags ?? {})) {
    if (fleet.tags === undefined || !Object.prototype.hasOwnProperty.call(fleet.tags, key))
      renames[`tags${jsonPathKey(key)}`] = `tags${jsonPathKey(key)}`;
  }
  return FieldLocation.file(file, entry, renames);
}

/** The AppServerGroup props of one fleet of a configuration. */
export function fleetPropsOf(
  config: EnvironmentConfig,
  name: string,
  fleet: FleetConfig,
  loadBalancer: FleetLoadBalancer,
  file: string,
): AppServerGroupProps {
  return {
    ...fleet,
    name,
    namespace: config.environment,
    vpcId: config.network.vpcId,
    subnetIds: config.network.privateSubnetIds,
    loadBalancer,
    artifacts: config.artifactBucket ? { bucketName: config.artifactBucket, prefix: `${name}/` } : undefined,
    alarms: { ...fleet.alarms, snsTopicArn: fleet.alarms?.snsTopicArn ?? config.alarmTopicArn },
    deployment: { applicationName: fleet.deployment?.applicationName, config: toDeploymentConfig(fleet.deployment?.config) },
    tags: { ...config.tags, ...fleet.tags },
    source: fleetLocation(config, name, fleet, file),
  };
}

/** Where the routing table of a two-version file sits. */
export function routingLocation(file: string): FieldLocation {
  return FieldLocation.file(file, "routing");
}

/** Where the parts of the Blue/Green routing table come from: the stage, the header, maintenance. */
export function blueGreenRoutingLocation(file: string): FieldLocation {
  return FieldLocation.file(file, "traffic", {
    default: "traffic.stage",
    "default.groupStickinessSeconds": "traffic.groupStickinessSeconds",
    overrideHeader: "overrideHeader",
    // The header's values are the colors, built by the layout.
    "overrideHeader.values": "overrideHeader",
    maintenance: "maintenance",
    fleets: "fleets",
  });
}

/** A fleet as the Blue/Green table needs it. */
export interface ColorFleet extends RouteTarget {
  readonly minCapacity: number;
}

/**
 * The routing table a Blue/Green stage describes: the live color (and the candidate's share)
 * as the default, a header that forces a color, and maintenance.
 */
export function blueGreenRoutingTable<F extends ColorFleet>(
  config: BlueGreenConfig,
  fleets: Readonly<Record<Color, F>>,
  traffic: BlueGreenTraffic,
): RoutingTable<F> {
  const weights = stageWeights(traffic);
  return {
    default:
      traffic.candidatePercent === 0
        ? fleets[traffic.live]
        : {
            weights: COLORS.map((c) => ({ fleet: fleets[c], weight: weights[c] })),
            groupStickinessSeconds: config.traffic.groupStickinessSeconds ?? DEFAULT_STICKY_SECONDS,
          },
    // A color scaled to zero between cycles gets no header route: no traffic to an empty fleet.
    // Staff only: the header applies from `sourceIps`, which the file must give with the header.
    overrideHeader:
      config.overrideHeader !== undefined
        ? {
            name: config.overrideHeader.name,
            values: Object.fromEntries(COLORS.filter((c) => fleets[c].minCapacity > 0).map((c) => [c, fleets[c]])),
            sourceIps: config.overrideHeader.sourceIps,
          }
        : undefined,
    maintenance: config.maintenance,
  };
}
