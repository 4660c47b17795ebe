// Core
export * from "./core/errors";
export * from "./core/names";
export * from "./core/ipv4";

// Fleets
export * from "./fleet/app-server-group";
export * from "./fleet/app-server-group-props";
export * from "./fleet/deployment-config";
export * from "./fleet/fleet-alarms";
export * from "./fleet/fleet-deployment";
export * from "./fleet/instance-role";
export { type RolloutProps, type ResolvedRollouts, instanceUserData } from "./fleet/rollouts";
export { type BootstrapGateOptions, BOOTSTRAP_GATE_UNIT } from "./fleet/bootstrap-gate";
export { type CanaryOptions, canaryCountForShare } from "./fleet/canary";
export { CanaryFleet, canaryAlarmNames } from "./fleet/canary-fleet";
export type { InstanceRefreshOptions } from "./fleet/instance-refresh";
export type { FleetRecycling } from "./fleet/recycling";
export { type StatefulGuardOptions, type FleetStatus, DRAIN_HANDLER_UNIT, fleetStatusParameterName } from "./fleet/stateful-guard";
export { FleetStatusParameter } from "./fleet/fleet-status-parameter";
export { BOOTSTRAP_HOOK_NAME, DRAIN_HOOK_NAME } from "./fleet/lifecycle-hooks";
export { LifecycleActions } from "./fleet/lifecycle-actions";
export { composeUserData, parseUserData, type UserDataPart } from "./fleet/user-data";
export {
  type FleetScaling,
  type MetricTargetTracking,
  type ScalingMetric,
  type ScheduledCapacity,
  type StepScalingPolicy,
  type StepScalingStep,
  SCALING_STATISTICS,
} from "./fleet/scaling";
export { FleetScalingPolicies } from "./fleet/fleet-scaling";
export { AlarmTopic, alarmTopicKeyPolicy, type AlarmTopicProps } from "./fleet/alarm-topic";
export { type AlarmSubscription, type AlarmTopicOptions, ALARM_SUBSCRIPTION_PROTOCOLS, checkAlarmNotifications } from "./fleet/alarm-topic-options";
export { ApiEndpoints, type ApiEndpointsProps, INTERFACE_ENDPOINT_SERVICES } from "./fleet/api-endpoints";
export { FLEET_METRICS, FLEET_METRICS_NAMESPACE } from "./fleet/fleet-metrics";
export { splitForwardWeights } from "./router/forward-weights";

// Routing (pure) and the router
export * from "./routing/types";
export * from "./routing/compile";
export * from "./routing/routing-json";
export * from "./routing/explain";
export * from "./routing/render";
export * from "./routing/nginx-import";
export * from "./routing/alb-regex-support";
export { ALB_QUOTAS } from "./routing/quotas";
export { PRIORITY_BANDS } from "./routing/priorities";
export { wildcardMatch, wildcardCovers } from "./routing/wildcard";
export * from "./router/traffic-router";
export * from "./router/traffic-router-props";
export * from "./router/access-logs";
export * from "./router/access-log-bucket";
export * from "./router/routable-fleet";
export { ANCHOR_LISTENER_PORT, ANCHOR_SOURCE_IP, allocateAnchorRules, anchorPriorities } from "./router/anchor-rules";

// The stack lock file (rule priorities and stateful fleets kept across synths)
export * from "./lock/stack-lock-data";
export * from "./lock/stack-lock";

// Traffic state and dashboards
export * from "./traffic/blue-green-stage";
export * from "./traffic/traffic-summary";
export * from "./traffic/rollback-capacity";
export * from "./dashboard/dashboard-body";
export * from "./dashboard/fleet-comparison-dashboard";

// Policy pack and synthesis
export * from "./policy/app-fleets-policy";
export * from "./policy/suppressions";
export * from "./policy/types";
export * from "./policy/report";
export * from "./policy/policy-check";
export { APP_FLEETS_RULES } from "./policy/rules";
export * from "./synth/synth-atomically";

// Offline Terraform
export * from "./terraform/mirror";
export * from "./terraform/terraform-cli";
export * from "./terraform/offline-workspace";
export { AppliedBaseline, buildAppliedBaseline, planDiff, readStackConfig } from "./terraform/plan-diff";
export type { PlanDiffOptions, StackConfig } from "./terraform/plan-diff";
export { PlanDiff, CHANGE_ACTIONS } from "./terraform/plan-changes";
export type { ChangeAction, ResourceChange } from "./terraform/plan-changes";
export { appliedStateFromPlan } from "./terraform/applied-state";
export type { StateV4 } from "./terraform/applied-state";
