/**
 * The public API, reviewed: the runtime names the package root (`cdktf-app-fleets`) and
 * `cdktf-app-fleets/stacks` export. A change to either list is a change to what users may rely on:
 * update the list here in the same change, and note a removal in CHANGELOG.md.
 * Types are curated in lib/index.ts by name as well; they vanish at run time, so only the names
 * below are pinned.
 */
import * as root from "../../lib/index";
import * as stacks from "../../stacks/index";

const ROOT_EXPORTS = [
  "ALARM_SUBSCRIPTION_PROTOCOLS",
  "ALB_QUOTAS",
  "ALLOW_STATEFUL_REMOVAL_ENV",
  "APP_FLEETS_RULES",
  "AWS_PROVIDER_VERSION",
  "AccessLogBucket",
  "AccessLogs",
  "AlarmTopic",
  "ApiEndpoints",
  "AppFleetsPolicy",
  "AppServerGroup",
  "AppliedBaseline",
  "BOOTSTRAP_GATE_UNIT",
  "BOOTSTRAP_HOOK_NAME",
  "CHANGE_ACTIONS",
  "COLORS",
  "ConfigError",
  "DEFAULT_EXPLAIN_SOURCE_IP",
  "DEFAULT_MAX_RULES_PER_LOAD_BALANCER",
  "DEFAULT_SSL_POLICY",
  "DRAIN_HANDLER_UNIT",
  "DRAIN_HOOK_NAME",
  "DeploymentConfig",
  "EGRESS_PROTOCOLS",
  "FLEET_METRICS",
  "FLEET_METRICS_NAMESPACE",
  "FLEET_NAME_MAX",
  "FLEET_NAME_PATTERN",
  "FleetComparisonDashboard",
  "INSTANCE_SIZES",
  "INTERFACE_ENDPOINT_SERVICES",
  "IP_ADDRESS_TYPES",
  "InMemoryStackLock",
  "LOAD_BALANCING_ALGORITHMS",
  "LOCK_MODE_ENV",
  "MIRROR_ENV",
  "OfflineWorkspace",
  "POLICY_REPORT_FILE",
  "PRIORITY_BANDS",
  "PlanDiff",
  "PolicyCheck",
  "PolicySuppressions",
  "ROOT_VOLUME_TYPES",
  "RULE_PROTOCOLS",
  "SCALING_STATISTICS",
  "SPOT_ALLOCATION_STRATEGIES",
  "StackLock",
  "StackLockFile",
  "TARGET_PROTOCOLS",
  "TARGET_PROTOCOL_VERSIONS",
  "TrafficOutputs",
  "TrafficRouter",
  "Violations",
  "WARM_POOL_STATES",
  "albRegexConditionsSupported",
  "appliedStateFromPlan",
  "buildAppliedBaseline",
  "compileRouting",
  "explain",
  "findProviderMirror",
  "fleetStatusParameterName",
  "fleetSummaries",
  "fromNginxRegex",
  "fromNginxRegexps",
  "lockModeFromEnvironment",
  "offlineTerraformAvailability",
  "otherColor",
  "parseStackLock",
  "parseStage",
  "planDiff",
  "readStackConfig",
  "renderMermaid",
  "renderRuleTable",
  "reportFailure",
  "reviewStatefulFleets",
  "routesFromNginxRoutingJson",
  "routingTableFromJson",
  "routingTableFromJsonByName",
  "routingTableToJson",
  "serializeStackLock",
  "stagePresets",
  "stageWeights",
  "statefulFleetOf",
  "synthAtomically",
  "trafficSummary",
  "withStatefulFleet",
];

const STACKS_EXPORTS = [
  "BlueGreenStack",
  "CONFIG_ENV",
  "EXAMPLE_CONFIG_DIR",
  "FleetEnvironmentStack",
  "LAYOUTS",
  "TwoVersionStack",
  "addLayoutStack",
  "buildApp",
  "compileLayoutRouting",
  "configFiles",
  "layoutRoutingTable",
  "loadConfigs",
  "loadLayoutConfig",
  "lockFileOf",
  "parseLayoutConfig",
  "stackIdOf",
];

const sorted = (names: readonly string[]) => [...names].sort();

describe("public API", () => {
  test("the package root exports exactly the reviewed names", () => {
    expect(sorted(Object.keys(root))).toEqual(sorted(ROOT_EXPORTS));
  });

  test("cdktf-app-fleets/stacks exports exactly the reviewed names", () => {
    expect(sorted(Object.keys(stacks))).toEqual(sorted(STACKS_EXPORTS));
  });

  test("no internal helper leaks through the root: validators, parsers and the Terraform runner stay private", () => {
    for (const internal of [
      "checkPattern",
      "offlineOverride",
      "runTerraform",
      "parseCidr",
      "resolveFleetProps",
      "resourceName",
      "isIpv4Cidr",
    ]) {
      expect([internal, internal in root]).toEqual([internal, false]);
    }
  });

  test("every exported value is defined (a curated list cannot name something that is gone)", () => {
    for (const [name, value] of Object.entries(root)) expect([name, value === undefined]).toEqual([name, false]);
    for (const [name, value] of Object.entries(stacks)) expect([name, value === undefined]).toEqual([name, false]);
  });
});
