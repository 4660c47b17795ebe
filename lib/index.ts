/**
 * The public API of `cdktf-app-fleets`: what users build with, by name. Everything else (validators,
 * parsers, resource helpers, the offline Terraform plumbing) is internal and may change in any
 * release; import it from its module inside this repository only.
 *
 * The runtime names listed here are pinned by test/unit/public-api.test.ts: adding or removing one
 * is a reviewed change, and a removal is noted in CHANGELOG.md. See ARCHITECTURE.md for the modules.
 */

// Errors: one message per problem, collected and thrown once.
export { ConfigError, Violations, reportFailure } from "./core/errors";
export type { Violation } from "./core/errors";
export { FLEET_NAME_MAX, FLEET_NAME_PATTERN } from "./core/names";

// Fleets: AppServerGroup, its props, and the values its options accept.
export { AppServerGroup } from "./fleet/app-server-group";
export { EGRESS_PROTOCOLS, INSTANCE_SIZES, ROOT_VOLUME_TYPES } from "./fleet/app-server-group-props";
export type {
  AppServerGroupProps,
  ArtifactLocation,
  FleetAlarmOptions,
  FleetCapacity,
  FleetDeploymentOptions,
  FleetEgressRule,
  FleetHealthCheck,
  FleetLoadBalancer,
  FleetRootVolume,
  ResolvedFleetProps,
} from "./fleet/app-server-group-props";
export { DeploymentConfig } from "./fleet/deployment-config";
export type { DeploymentConfigChoice } from "./fleet/deployment-config";
export type { FleetAlarms, FleetAlarmsProps } from "./fleet/fleet-alarms";
export type { FleetDeployment, FleetDeploymentProps } from "./fleet/fleet-deployment";
export type { InstanceRole, InstanceRoleProps } from "./fleet/instance-role";
export type { RolloutProps } from "./fleet/rollouts";
export type { BootstrapGateOptions } from "./fleet/bootstrap-gate";
export { BOOTSTRAP_GATE_UNIT } from "./fleet/bootstrap-gate";
export type { CanaryOptions } from "./fleet/canary";
export type { CanaryFleet, CanaryFleetProps } from "./fleet/canary-fleet";
export type { InstanceRefreshOptions } from "./fleet/instance-refresh";
export type { FleetRecycling } from "./fleet/recycling";
export type { FleetStatus, StatefulGuardOptions } from "./fleet/stateful-guard";
export { DRAIN_HANDLER_UNIT, fleetStatusParameterName } from "./fleet/stateful-guard";
export type { FleetStatusParameter } from "./fleet/fleet-status-parameter";
export { BOOTSTRAP_HOOK_NAME, DRAIN_HOOK_NAME } from "./fleet/lifecycle-hooks";
export type { LifecycleActions } from "./fleet/lifecycle-actions";
export { SCALING_STATISTICS } from "./fleet/scaling";
export type {
  FleetScaling,
  MetricTargetTracking,
  ScalingMetric,
  ScheduledCapacity,
  StepScalingPolicy,
  StepScalingStep,
} from "./fleet/scaling";
export type { FleetScalingPolicies } from "./fleet/fleet-scaling";
export { AlarmTopic } from "./fleet/alarm-topic";
export type { AlarmTopicProps } from "./fleet/alarm-topic";
export { ALARM_SUBSCRIPTION_PROTOCOLS } from "./fleet/alarm-topic-options";
export type { AlarmSubscription, AlarmTopicOptions } from "./fleet/alarm-topic-options";
export { ApiEndpoints, INTERFACE_ENDPOINT_SERVICES } from "./fleet/api-endpoints";
export type { ApiEndpointsProps } from "./fleet/api-endpoints";
export { FLEET_METRICS, FLEET_METRICS_NAMESPACE } from "./fleet/fleet-metrics";
export { RULE_PROTOCOLS } from "./fleet/instance-ingress";
export type { FleetIngressRule } from "./fleet/instance-ingress";
export { SPOT_ALLOCATION_STRATEGIES } from "./fleet/mixed-instances";
export type { MixedInstancesOptions, SpotAllocationStrategy } from "./fleet/mixed-instances";
export { LOAD_BALANCING_ALGORITHMS, TARGET_PROTOCOL_VERSIONS, TARGET_PROTOCOLS } from "./fleet/target-group-options";
export type { LoadBalancingAlgorithm, TargetGroupOptions, TargetProtocol, TargetProtocolVersion } from "./fleet/target-group-options";
export { WARM_POOL_STATES } from "./fleet/warm-pool";
export type { WarmPoolOptions, WarmPoolState } from "./fleet/warm-pool";

// The router: TrafficRouter, its props, access logs.
export { TrafficRouter } from "./router/traffic-router";
export type { SetRoutingTableOptions } from "./router/traffic-router";
export { DEFAULT_MAX_RULES_PER_LOAD_BALANCER, DEFAULT_SSL_POLICY } from "./router/traffic-router-props";
export type { DesyncMitigationMode, ResolvedRouterProps, TrafficRouterProps } from "./router/traffic-router-props";
export { AccessLogs } from "./router/access-logs";
export type { ExistingAccessLogBucketOptions, NewAccessLogBucketOptions } from "./router/access-logs";
export { AccessLogBucket } from "./router/access-log-bucket";
export type { AccessLogBucketProps } from "./router/access-log-bucket";
export type { RoutableFleet } from "./router/routable-fleet";
export type { DnsAlias } from "./router/dns-alias";
export { IP_ADDRESS_TYPES } from "./router/dual-stack";
export type { IpAddressType } from "./router/dual-stack";

// Routing (pure): the compiler, explain, the views, JSON and nginx import.
export type {
  CompileOptions,
  CompileResult,
  CompiledAction,
  CompiledCondition,
  CompiledRouting,
  CompiledRule,
  ForwardAction,
  HostPin,
  Maintenance,
  MaintenanceResponse,
  OverrideHeader,
  Route,
  RouteDestination,
  RouteMatch,
  RouteTarget,
  RoutingLimits,
  RoutingTable,
  RuleCounts,
  RuleKind,
  WeightedFleet,
  WeightedSplit,
} from "./routing/types";
export { compileRouting } from "./routing/compile";
export { DEFAULT_EXPLAIN_SOURCE_IP, explain } from "./routing/explain";
export type { ExplainRequest, Explanation, FleetShare } from "./routing/explain";
export { renderMermaid, renderRuleTable } from "./routing/render";
export { routingTableFromJson, routingTableFromJsonByName, routingTableToJson } from "./routing/routing-json";
export type { RouteDestinationJson, RouteJson, RoutingTableJson } from "./routing/routing-json";
export { fromNginxRegex, fromNginxRegexps, routesFromNginxRoutingJson } from "./routing/nginx-import";
export type { NginxImportOptions, NginxRegexImport, NginxRoutesResult, NginxRoutingJson } from "./routing/nginx-import";
export { albRegexConditionsSupported } from "./aws/alb-regex-support";
export { ALB_QUOTAS } from "./routing/quotas";
export { PRIORITY_BANDS } from "./routing/priorities";

// The stack lock file (rule priorities and stateful fleets kept across synths).
export { StackLock } from "./lock/stack-lock";
export {
  ALLOW_STATEFUL_REMOVAL_ENV,
  InMemoryStackLock,
  LOCK_MODE_ENV,
  lockModeFromEnvironment,
  StackLockFile,
} from "./lock/stack-lock-store";
export type { StackLockFileOptions, StackLockMode, StackLockStore } from "./lock/stack-lock-store";
export { parseStackLock, reviewStatefulFleets, serializeStackLock, statefulFleetOf, withStatefulFleet } from "./lock/stack-lock-data";
export type {
  ListenerLock,
  RouterLock,
  StackLockData,
  StatefulFleetRecord,
  StatefulFleetReview,
  StatefulFleetStatus,
} from "./lock/stack-lock-data";

// Traffic state, outputs and dashboards.
export { COLORS, otherColor, parseStage, stagePresets, stageWeights } from "./traffic/blue-green-stage";
export type { BlueGreenTraffic, Color } from "./traffic/blue-green-stage";
export { fleetSummaries, trafficSummary } from "./traffic/traffic-summary";
export type { FleetSummary, FleetTrafficShare, SummarizedFleet } from "./traffic/traffic-summary";
export { TrafficOutputs } from "./outputs/traffic-outputs";
export type { TrafficOutputsProps, TrafficOutputsRouter } from "./outputs/traffic-outputs";
export { FleetComparisonDashboard } from "./dashboard/fleet-comparison-dashboard";
export type {
  DashboardRouter,
  DashboardSourceFleet,
  FleetComparisonDashboardProps,
  FleetDashboardProps,
} from "./dashboard/fleet-comparison-dashboard";

// The policy pack and synthesis.
export { AppFleetsPolicy } from "./policy/app-fleets-policy";
export type { AppFleetsPolicyOptions } from "./policy/app-fleets-policy";
export { PolicySuppressions } from "./policy/suppressions";
export type { PolicyFinding, PolicyResource, PolicyRule, PolicySeverity, PolicySuppression } from "./policy/types";
export { POLICY_REPORT_FILE } from "./policy/report";
export type { PolicyReport } from "./policy/report";
export { PolicyCheck } from "./policy/policy-check";
export type { PolicyCheckOptions } from "./policy/policy-check";
export { APP_FLEETS_RULES } from "./policy/rules";
export { synthAtomically } from "./synth/synth-atomically";
export type { AtomicSynthResult } from "./synth/synth-atomically";

// Offline plans: what a change does, before it is applied.
export { AWS_PROVIDER_VERSION, findProviderMirror, MIRROR_ENV } from "./terraform/mirror";
export type { ProviderMirror } from "./terraform/mirror";
export { OfflineWorkspace, offlineTerraformAvailability } from "./terraform/offline-workspace";
export type { OfflineWorkspaceOptions, TerraformAvailability } from "./terraform/offline-workspace";
export { AppliedBaseline, buildAppliedBaseline, planDiff, readStackConfig } from "./terraform/plan-diff";
export type { PlanDiffOptions, StackConfig } from "./terraform/plan-diff";
export { CHANGE_ACTIONS, PlanDiff } from "./terraform/plan-changes";
export type { ChangeAction, ResourceChange } from "./terraform/plan-changes";
export { appliedStateFromPlan } from "./terraform/applied-state";
export type { StateV4 } from "./terraform/applied-state";
