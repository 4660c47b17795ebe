/**
 * Metrics the on-instance scripts publish so that what happens on one instance reaches a person
 * through an alarm: a bootstrap the gate abandoned, a terminating instance the drain handler
 * holds. Pure: no cdktf import.
 */

/** CloudWatch namespace of the library's own metrics; the instance role may publish to it only. */
export const FLEET_METRICS_NAMESPACE = "AppFleets";

export const FLEET_METRICS = {
  /** 1 each time the bootstrap gate completes the launch hook with ABANDON. */
  bootstrapAbandoned: "BootstrapAbandoned",
  /** 1 each time the bootstrap gate suspends its group's launches after repeated failures. */
  launchesSuspended: "LaunchesSuspended",
  /** 1 at every heartbeat while the drain handler holds a terminating instance for a person. */
  drainHeld: "DrainHeld",
} as const;

/**
 * A shell function `put_metric <name>` that publishes 1 for the instance's group. It never fails
 * the caller: without a route to CloudWatch the log line is all that remains (the platform-side
 * alarms on the group's own metrics still fire). Uses $REGION, $ASG_NAME and `log` from
 * lifecycleShellFunctions; written without `${` or `%{`.
 */
export function putMetricShellFunction(): string {
  return `put_metric() {
  aws cloudwatch put-metric-data --region "$REGION" --namespace ${FLEET_METRICS_NAMESPACE} --metric-name "$1" \\
    --dimensions "AutoScalingGroupName=$ASG_NAME" --value 1 --unit Count || log "could not publish metric $1"
}
`;
}

/** The instance role's permission to publish the library's metrics, and no other namespace. */
export function fleetMetricsPolicy(): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "PublishAppFleetsMetrics",
        Effect: "Allow",
        // PutMetricData has no resource type (Service Authorization Reference); the namespace condition scopes it.
        Action: "cloudwatch:PutMetricData",
        Resource: "*",
        Condition: { StringEquals: { "cloudwatch:namespace": FLEET_METRICS_NAMESPACE } },
      },
    ],
  });
}
