/** One fleet's settings in a configuration file: the AppServerGroup props that differ per fleet. */
import { Violations } from "../../lib/core/errors";
import { AppServerGroupProps } from "../../lib/fleet/app-server-group-props";
import { DeploymentConfig } from "../../lib/fleet/deployment-config";
import { JsonReader } from "./json-reader";

/** The deployment config written as data. */
export type DeploymentConfigName = "one-at-a-time" | "half-at-a-time" | "all-at-once" | { readonly minimumHealthyPercent: number };

/** Props the layout decides (network, load balancer, names) are not part of a fleet's configuration. */
export type FleetConfig = Omit<
  AppServerGroupProps,
  "name" | "namespace" | "vpcId" | "subnetIds" | "loadBalancer" | "deployment" | "artifacts"
> & {
  readonly deployment?: { readonly applicationName?: string; readonly config?: DeploymentConfigName };
};

/** Settings a fleet entry may hold, and for nested objects the keys they may hold. */
const FLEET_KEYS: Readonly<Record<string, readonly string[] | null>> = {
  imageId: null,
  instanceType: null,
  capacity: ["min", "max", "desired"],
  appPort: null,
  healthCheck: ["path", "matcher", "intervalSeconds", "timeoutSeconds", "healthyThreshold", "unhealthyThreshold"],
  healthCheckGracePeriodSeconds: null,
  deregistrationDelaySeconds: null,
  slowStartSeconds: null,
  stickinessSeconds: null,
  capacityTimeout: null,
  userData: null,
  rootVolume: ["deviceName", "sizeGiB", "volumeType", "kmsKeyArn"],
  keyName: null,
  alarms: ["snsTopicArn", "p99LatencySeconds", "target5xxPerMinute", "evaluationPeriods"],
  deployment: ["applicationName", "config"],
  extraEgress: null,
  tags: null,
  bootstrapGate: ["enabled", "heartbeatTimeoutSeconds", "readinessUrl", "readinessCommand", "attemptTimeoutSeconds", "retryIntervalSeconds"],
  canary: ["imageId", "instanceType", "userData", "count", "sharePercent"],
  instanceRefresh: [
    "checkpointPercentages",
    "checkpointDelaySeconds",
    "minHealthyPercentage",
    "maxHealthyPercentage",
    "skipMatching",
    "instanceWarmupSeconds",
  ],
  recycling: ["maxInstanceLifetimeDays", "maxHealthyPercentage"],
  stateful: ["drainCommand", "heartbeatTimeoutSeconds", "keepRootVolume"],
};

/** Reads one fleet entry; value checks happen in `resolveFleetProps`, with the same field names. */
export function readFleetConfig(reader: JsonReader): FleetConfig {
  reader.object(Object.keys(FLEET_KEYS));
  for (const [key, nested] of Object.entries(FLEET_KEYS)) {
    if (nested && reader.has(key)) reader.child(key).object(nested);
  }
  reader.string("imageId");
  reader.string("instanceType", true);
  reader.string("userData", true);
  reader.stringMap("tags");
  return reader.value as FleetConfig;
}

export function toDeploymentConfig(name: DeploymentConfigName | undefined, field: string, v: Violations): DeploymentConfig | undefined {
  if (name === undefined) return undefined;
  if (name === "one-at-a-time") return DeploymentConfig.oneAtATime();
  if (name === "half-at-a-time") return DeploymentConfig.halfAtATime();
  if (name === "all-at-once") return DeploymentConfig.allAtOnce();
  if (typeof name === "object" && name !== null && typeof name.minimumHealthyPercent === "number") {
    return DeploymentConfig.minimumHealthyPercent(name.minimumHealthyPercent);
  }
  v.add(field, name, 'must be "one-at-a-time", "half-at-a-time", "all-at-once" or { "minimumHealthyPercent": n }', "pick one of those");
  return undefined;
}
