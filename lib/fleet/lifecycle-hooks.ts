/**
 * What the bootstrap gate and the stateful guard share: lifecycle hook names and limits,
 * the IAM policy that lets an instance answer its own group's hooks, and the shell
 * functions the on-instance scripts use. Pure: no cdktf import.
 */

/** Launch hook that holds a new instance in Pending:Wait until its bootstrap is done. */
export const BOOTSTRAP_HOOK_NAME = "bootstrap-gate";
/** Termination hook that holds a terminating instance in Terminating:Wait until it is drained. */
export const DRAIN_HOOK_NAME = "drain-before-terminate";

/** AWS limits of a lifecycle hook's heartbeat timeout, in seconds. */
export const HEARTBEAT_MIN_SECONDS = 30;
export const HEARTBEAT_MAX_SECONDS = 7200;

/** Where the scripts the user-data parts install live on the instance. */
export const SCRIPT_DIR = "/usr/local/libexec/app-fleets";

/** An `initial_lifecycle_hook` block (camelCase, as the provider binding takes it). */
export interface LifecycleHookSpec {
  readonly name: string;
  readonly lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING" | "autoscaling:EC2_INSTANCE_TERMINATING";
  readonly heartbeatTimeout: number;
  readonly defaultResult: "CONTINUE" | "ABANDON";
}

/**
 * The ARN of an Auto Scaling group built from its name alone. The IAM policy must exist
 * before the group's first instance boots, and the group's create waits for healthy
 * instances, so the policy cannot wait for the group's own ARN attribute.
 * Auto Scaling puts a generated ID in the ARN, hence the wildcard before the name.
 */
export function autoScalingGroupArnPattern(partition: string, region: string, autoScalingGroupName: string): string {
  return `arn:${partition}:autoscaling:${region}:*:autoScalingGroup:*:autoScalingGroupName/${autoScalingGroupName}`;
}

export interface LifecycleActionsPolicyOptions {
  /**
   * Also let instances set their own scale-in protection (`SetInstanceProtection`, which takes the
   * group's ARN as its resource): the drain handler of a stateful fleet lifts it while the fleet
   * retires. @default false
   */
  readonly setInstanceProtection?: boolean;
  /**
   * Also let instances read their own lifecycle state (`DescribeAutoScalingInstances`, a Describe
   * action without resource-level permissions, hence on "*"): the bootstrap gate of a fleet with a
   * warm pool asks whether a launch action waits when IMDS alone cannot tell. @default false
   */
  readonly readLifecycleState?: boolean;
}

/** The instance role's permission to answer lifecycle hooks of the given groups, and nothing else. */
export function lifecycleActionsPolicy(groupArns: readonly string[], options: LifecycleActionsPolicyOptions = {}): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AnswerOwnLifecycleHooks",
        Effect: "Allow",
        Action: ["autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat"],
        Resource: [...groupArns],
      },
      ...(options.setInstanceProtection
        ? [{ Sid: "SetOwnScaleInProtection", Effect: "Allow", Action: ["autoscaling:SetInstanceProtection"], Resource: [...groupArns] }]
        : []),
      ...(options.readLifecycleState
        ? [{ Sid: "ReadOwnLifecycleState", Effect: "Allow", Action: ["autoscaling:DescribeAutoScalingInstances"], Resource: "*" }]
        : []),
    ],
  });
}

/**
 * Shell functions for scripts that answer a lifecycle hook: IMDSv2 reads (a fresh token
 * each time, so long waits never hold an expired one), and the two Auto Scaling calls.
 * Written without `${` or `%{`, so the text survives Terraform's string interpolation
 * when it ever passes through `base64encode()`.
 */
export function lifecycleShellFunctions(): string {
  return `log() { echo "app-fleets $HOOK_NAME: $*"; }
imds() {
  token=$(curl -fsS --retry 5 --max-time 3 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' http://169.254.169.254/latest/api/token) || return 1
  curl -fsS --retry 5 --max-time 3 -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"
}
INSTANCE_ID=$(imds instance-id)
REGION=$(imds placement/region)
complete_action() {
  for try in 1 2 3 4 5; do
    if aws autoscaling complete-lifecycle-action --region "$REGION" --auto-scaling-group-name "$ASG_NAME" \\
      --lifecycle-hook-name "$HOOK_NAME" --instance-id "$INSTANCE_ID" --lifecycle-action-result "$1"; then
      return 0
    fi
    log "complete-lifecycle-action $1 failed (try $try); retrying"
    sleep 5
  done
  log "could not complete the lifecycle action; the hook's default result applies when its heartbeat times out"
  return 1
}
heartbeat() {
  aws autoscaling record-lifecycle-action-heartbeat --region "$REGION" --auto-scaling-group-name "$ASG_NAME" \\
    --lifecycle-hook-name "$HOOK_NAME" --instance-id "$INSTANCE_ID" || log "heartbeat failed"
}
`;
}
