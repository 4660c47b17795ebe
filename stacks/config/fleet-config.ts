/**
 * One fleet's settings in a configuration file: the AppServerGroup props that differ per fleet.
 * The schema (lib/config/fleet-schema.ts) is their one definition; `prop-sources.ts` ties its
 * keys to `AppServerGroupProps` so that a new prop without a schema entry fails `tsc`.
 */
import { DeploymentConfig } from "../../lib/fleet/deployment-config";
import type { DeploymentConfigName } from "../../lib/config/fleet-schema";

export { fleetSchema, type DeploymentConfigName, type FleetConfig } from "../../lib/config/fleet-schema";

/** The CodeDeploy setting of a configuration file as the construct takes it (the schema checked its shape). */
export function toDeploymentConfig(name: DeploymentConfigName | undefined): DeploymentConfig | undefined {
  if (name === undefined) return undefined;
  if (name === "one-at-a-time") return DeploymentConfig.oneAtATime();
  if (name === "half-at-a-time") return DeploymentConfig.halfAtATime();
  if (name === "all-at-once") return DeploymentConfig.allAtOnce();
  return DeploymentConfig.minimumHealthyPercent(name.minimumHealthyPercent);
}
