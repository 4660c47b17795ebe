/**
 * `cdktf-app-fleets/stacks`: the two layouts and the app builder that reads their configuration
 * files. The list is reviewed: `test/unit/public-api.test.ts` pins it, CHANGELOG.md records changes.
 * Schemas, patterns and helpers of the configuration stay in their modules (internal).
 */
export { buildApp, addLayoutStack, CONFIG_ENV, configFiles, EXAMPLE_CONFIG_DIR, loadConfigs, lockFileOf, stackIdOf } from "./build-app";
export { TwoVersionStack } from "./layouts/two-version-stack";
export { BlueGreenStack } from "./layouts/blue-green-stack";
export { FleetEnvironmentStack, type LayoutOptions } from "./layouts/fleet-environment";
export { LAYOUTS, loadLayoutConfig, parseLayoutConfig } from "./config/load-config";
export type { LayoutConfig, TwoVersionConfig, BlueGreenConfig } from "./config/layout-config";
export type { EnvironmentConfig, NetworkConfig, LoadBalancerConfig, StateBackendConfig } from "./config/environment-config";
export type { FleetConfig, DeploymentConfigName } from "./config/fleet-config";
export { compileLayoutRouting, layoutRoutingTable, type CompiledLayoutRouting, type LayoutRouting } from "./config/layout-routing";
