/**
 * Where every construct prop comes from in a layout configuration file: the explicit rename
 * table between the props (what errors raised inside the constructs call a field) and the file
 * (what the user wrote). It serves twice:
 * - errors raised inside `resolveFleetProps` / `resolveRouterProps` are renamed through it, so
 *   `subnetIds[1]` of the router reads `production.json: network.publicSubnetIds[1]`;
 * - the type checks at the end make `tsc` fail when a prop has no entry (add it to the schema,
 *   or mark it LAYOUT / NOT_CONFIGURABLE), or when the schema and the props disagree on a key
 *   at any depth.
 */
import type { AppServerGroupProps } from "../../lib/fleet/app-server-group-props";
import type { TrafficRouterProps } from "../../lib/router/traffic-router-props";
import type { FleetConfig } from "../../lib/config/fleet-schema";
import type { KeyMismatch, Leaves, NoMismatch, SameKeys } from "../../lib/config/type-coverage";
import type { LoadBalancerConfig } from "./environment-config";

/** Set by the layout itself, not read from the file. */
export const LAYOUT = "(layout)";
/** Not configurable in a layout file: the construct's default applies. */
export const NOT_CONFIGURABLE = "(default)";
/** Placeholder for the fleet's key in `fleets`. */
export const FLEET = "<fleet>";

type PropSource = string | { readonly [part: string]: PropSource };

/** AppServerGroup props: `fleets.<fleet>.<same key>` for the fleet's own settings. */
export const FLEET_PROP_SOURCES = {
  imageId: "fleets.<fleet>.imageId",
  instanceType: "fleets.<fleet>.instanceType",
  capacity: "fleets.<fleet>.capacity",
  scaling: "fleets.<fleet>.scaling",
  appPort: "fleets.<fleet>.appPort",
  healthCheck: "fleets.<fleet>.healthCheck",
  healthCheckGracePeriodSeconds: "fleets.<fleet>.healthCheckGracePeriodSeconds",
  deregistrationDelaySeconds: "fleets.<fleet>.deregistrationDelaySeconds",
  slowStartSeconds: "fleets.<fleet>.slowStartSeconds",
  stickinessSeconds: "fleets.<fleet>.stickinessSeconds",
  capacityTimeoutSeconds: "fleets.<fleet>.capacityTimeoutSeconds",
  userData: "fleets.<fleet>.userData",
  rootVolume: "fleets.<fleet>.rootVolume",
  keyName: "fleets.<fleet>.keyName",
  alarms: "fleets.<fleet>.alarms",
  deployment: "fleets.<fleet>.deployment",
  extraEgress: "fleets.<fleet>.extraEgress",
  extraIngress: "fleets.<fleet>.extraIngress",
  extraSecurityGroupIds: "fleets.<fleet>.extraSecurityGroupIds",
  mixedInstances: "fleets.<fleet>.mixedInstances",
  warmPool: "fleets.<fleet>.warmPool",
  targetProtocol: "fleets.<fleet>.targetProtocol",
  targetProtocolVersion: "fleets.<fleet>.targetProtocolVersion",
  loadBalancingAlgorithm: "fleets.<fleet>.loadBalancingAlgorithm",
  anomalyMitigation: "fleets.<fleet>.anomalyMitigation",
  tags: "fleets.<fleet>.tags",
  bootstrapGate: "fleets.<fleet>.bootstrapGate",
  canary: "fleets.<fleet>.canary",
  instanceRefresh: "fleets.<fleet>.instanceRefresh",
  recycling: "fleets.<fleet>.recycling",
  stateful: "fleets.<fleet>.stateful",
  // Decided by the layout, from the file's shared settings:
  name: "fleets.<fleet>",
  namespace: "environment",
  vpcId: "network.vpcId",
  subnetIds: "network.privateSubnetIds",
  loadBalancer: LAYOUT,
  lockFile: LAYOUT,
  artifacts: { bucketName: "artifactBucket", prefix: LAYOUT },
  source: LAYOUT,
} as const satisfies { readonly [K in keyof Required<AppServerGroupProps>]: PropSource };

/** TrafficRouter props: the `loadBalancer` section and the shared settings. */
export const ROUTER_PROP_SOURCES = {
  name: LAYOUT,
  namespace: "environment",
  vpcId: "network.vpcId",
  subnetIds: "network.publicSubnetIds",
  certificateArn: "loadBalancer.certificateArn",
  sslPolicy: NOT_CONFIGURABLE,
  ingressCidrs: "loadBalancer.ingressCidrs",
  ingressIpv6Cidrs: "loadBalancer.ingressIpv6Cidrs",
  ipAddressType: "loadBalancer.ipAddressType",
  http2Enabled: "loadBalancer.http2Enabled",
  additionalCertificateArns: "loadBalancer.additionalCertificateArns",
  webAclArn: "loadBalancer.webAclArn",
  dnsAliases: "loadBalancer.dnsAliases",
  internal: NOT_CONFIGURABLE,
  idleTimeoutSeconds: "loadBalancer.idleTimeoutSeconds",
  deletionProtection: "loadBalancer.deletionProtection",
  desyncMitigationMode: NOT_CONFIGURABLE,
  accessLogs: { expirationDays: "loadBalancer.accessLogExpirationDays", forceDestroy: NOT_CONFIGURABLE, prefix: NOT_CONFIGURABLE },
  httpOnly: "loadBalancer.httpOnly",
  limits: { maxRulesPerLoadBalancer: "loadBalancer.maxRulesPerLoadBalancer" },
  tags: "tags",
  lockFile: LAYOUT,
  source: LAYOUT,
} as const satisfies { readonly [K in keyof Required<TrafficRouterProps>]: PropSource };

/**
 * A table as FieldLocation renames (prop path -> JSON path from the file's root), for one
 * fleet. Props the layout sets map to `fallback`: their errors point at the entry as a whole.
 */
export function renamesOf(table: PropSource, fallback: string, fleet = ""): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (node: PropSource, prefix: string) => {
    if (typeof node === "string") {
      out[prefix] = node === LAYOUT || node === NOT_CONFIGURABLE ? fallback : node.replace(FLEET, fleet);
      return;
    }
    for (const [key, child] of Object.entries(node)) walk(child, prefix === "" ? key : `${prefix}.${key}`);
  };
  walk(table, "");
  return out;
}

// ---- compile-time ties between the schema and the props ----

type FleetEntryKey = Leaves<typeof FLEET_PROP_SOURCES> extends infer L ? (L extends `fleets.<fleet>.${infer K}` ? K : never) : never;
type EntryKeyIsPropName = {
  [K in keyof typeof FLEET_PROP_SOURCES]: (typeof FLEET_PROP_SOURCES)[K] extends `fleets.<fleet>.${infer Key}`
    ? Key extends K
      ? never
      : K
    : never;
}[keyof typeof FLEET_PROP_SOURCES];
type LoadBalancerKey = Leaves<typeof ROUTER_PROP_SOURCES> extends infer L ? (L extends `loadBalancer.${infer K}` ? K : never) : never;

/** Every fleet setting of the schema is a prop read from the fleet's entry, and every such prop is in the schema. */
export type FleetSchemaCoversProps = NoMismatch<SameKeys<keyof FleetConfig, FleetEntryKey>>;
/** A fleet setting has the name of the prop it sets. */
export type FleetKeysAreProps = NoMismatch<EntryKeyIsPropName>;
/**
 * Nested options have the same keys as their prop types, at every depth. `deployment.config` is
 * written as a name (`"one-at-a-time"`) and turned into a `DeploymentConfig` by `toDeploymentConfig`.
 */
export type FleetOptionsMatchProps = NoMismatch<
  KeyMismatch<FleetConfig, Pick<AppServerGroupProps, FleetEntryKey>, "fleets.<fleet>", "fleets.<fleet>.deployment.config">
>;
/** Every `loadBalancer` key of the schema sets a router prop, and every such prop has a key. */
export type LoadBalancerSchemaCoversProps = NoMismatch<SameKeys<keyof LoadBalancerConfig, LoadBalancerKey>>;
