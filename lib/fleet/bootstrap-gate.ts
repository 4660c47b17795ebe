/**
 * Bootstrap gating: a new instance takes traffic only after its own bootstrap (cloud-init,
 * Chef, the app's start) has finished and a readiness check passed.
 *
 * A launch lifecycle hook holds every new instance in Pending:Wait, where it is neither
 * registered with the target group nor counted by `wait_for_elb_capacity`. A user-data part
 * installs a one-shot systemd unit ordered after cloud-init's final stage; it runs the
 * readiness check and completes the lifecycle action with CONTINUE, or ABANDON when the
 * bootstrap failed or never became ready. The instance's state (InService) is the signal
 * that bootstrap finished: no self-set tag is needed.
 *
 * The unit is enabled, not only started: user data that reboots the instance (cloud-init
 * `power_state`, `package_reboot_if_required`) would otherwise leave the hook unanswered. After a
 * reboot it counts the heartbeat from the first boot it saw, and once it has answered it does
 * nothing at later boots.
 *
 * Auto Scaling replaces an abandoned instance with a new one, without limit: an AMI that never
 * bootstraps loops forever. The gate bounds the loop: when this launch is the
 * `maxFailedLaunches`-th failed launch of its group within `failedLaunchWindowSeconds`, it
 * suspends the group's Launch process (the next deploy resumes it: the group's suspended
 * processes are Terraform's, and none are configured) and the fleet's alarms tell a person.
 * Pure: no cdktf import.
 */
import { Violations } from "../core/errors";
import {
  BOOTSTRAP_HOOK_NAME,
  HEARTBEAT_MAX_SECONDS,
  HEARTBEAT_MIN_SECONDS,
  LifecycleHookSpec,
  lifecycleShellFunctions,
  SCRIPT_DIR,
} from "./lifecycle-hooks";
import { FLEET_METRICS, putMetricShellFunction } from "./fleet-metrics";
import type { TargetProtocol, TargetProtocolVersion } from "./target-group-options";
import { isEmbeddable, shellQuote, UserDataPart, writeFileSnippet } from "./user-data";
import type { ResolvedWarmPool } from "./warm-pool";

export interface BootstrapGateOptions {
  /**
   * Hold new instances until they report ready. Turning it off lets an instance receive
   * traffic as soon as the load balancer's health check passes, even mid-bootstrap.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Seconds from launch an instance has to finish bootstrapping and pass the readiness check
   * (30-7200, and shorter than `capacityTimeoutSeconds`). Past it, the hook's default result
   * (ABANDON) terminates the instance and Auto Scaling launches another.
   * @default 600
   */
  readonly heartbeatTimeoutSeconds?: number;
  /**
   * URL on the instance that answers 2xx/3xx once the app is ready.
   * @default - `http://127.0.0.1:<appPort><healthCheck.path>`, the load balancer's own check
   */
  readonly readinessUrl?: string;
  /**
   * Shell command that exits 0 once the instance is ready, instead of `readinessUrl`,
   * e.g. `systemctl is-active unicorn && test -f /var/app/current/REVISION`.
   * @default - the URL check
   */
  readonly readinessCommand?: string;
  /** Seconds one readiness attempt may take (1-60). @default 5 */
  readonly attemptTimeoutSeconds?: number;
  /** Seconds between readiness attempts (1-300). @default 10 */
  readonly retryIntervalSeconds?: number;
  /**
   * Failed launches of the group within `failedLaunchWindowSeconds` (this one included) after
   * which the gate, instead of letting Auto Scaling launch yet another instance, suspends the
   * group's launches (1-100; 0 never suspends). @default 3
   */
  readonly maxFailedLaunches?: number;
  /** The window in which failed launches are counted, in seconds (300-86400). @default 3600 */
  readonly failedLaunchWindowSeconds?: number;
}

/** The gate with defaults applied, or `undefined` when it is off. */
export interface ResolvedBootstrapGate {
  readonly heartbeatTimeoutSeconds: number;
  /** A URL with the curl options its target needs (TLS, HTTP/2), or a command. */
  readonly readiness:
    | { readonly kind: "url"; readonly url: string; readonly curlOptions: readonly string[] }
    | { readonly kind: "command"; readonly command: string };
  readonly attemptTimeoutSeconds: number;
  readonly retryIntervalSeconds: number;
  /** Seconds since boot after which the gate itself gives up with ABANDON, before the hook times out. */
  readonly deadlineSeconds: number;
  /** Failed launches in the window that suspend launching; 0 never suspends. */
  readonly maxFailedLaunches: number;
  readonly failedLaunchWindowSeconds: number;
}

/** What the gate needs to know about its fleet. */
export interface BootstrapGateContext {
  readonly appPort: number;
  readonly healthCheckPath: string;
  /** `capacityTimeoutSeconds`: how long an apply waits for healthy instances. */
  readonly capacityTimeoutSeconds: number;
  /** How the load balancer talks to the app: the default readiness URL speaks the same. @default "HTTP" */
  readonly targetProtocol?: TargetProtocol;
  /** @default "HTTP1" */
  readonly targetProtocolVersion?: TargetProtocolVersion;
}

/** The gate answers this long before its hook would time out, so the outcome is its own. */
const ANSWER_MARGIN_SECONDS = 20;
const URL_PATTERN = /^https?:\/\/[^\s'"`$\\]+$/;

export function resolveBootstrapGate(
  v: Violations,
  field: string,
  options: BootstrapGateOptions | undefined,
  context: BootstrapGateContext,
): ResolvedBootstrapGate | undefined {
  if (options?.enabled === false) return undefined;
  const heartbeat = options?.heartbeatTimeoutSeconds ?? 600;
  const attempt = options?.attemptTimeoutSeconds ?? 5;
  const interval = options?.retryIntervalSeconds ?? 10;
  v.check(
    isWhole(heartbeat) && heartbeat >= HEARTBEAT_MIN_SECONDS && heartbeat <= HEARTBEAT_MAX_SECONDS,
    `${field}.heartbeatTimeoutSeconds`,
    heartbeat,
    `must be a whole number of seconds from ${HEARTBEAT_MIN_SECONDS} to ${HEARTBEAT_MAX_SECONDS} (AWS's lifecycle hook limits)`,
    "give the time an instance needs from launch to ready, e.g. 600",
  );
  v.check(
    heartbeat < context.capacityTimeoutSeconds,
    `${field}.heartbeatTimeoutSeconds`,
    heartbeat,
    `must be shorter than capacityTimeoutSeconds (${context.capacityTimeoutSeconds} s), or an apply gives up before the gate decides`,
    "lower the heartbeat timeout or raise capacityTimeoutSeconds",
  );
  v.check(
    isWhole(attempt) && attempt >= 1 && attempt <= 60,
    `${field}.attemptTimeoutSeconds`,
    attempt,
    "must be a whole number 1-60",
    "give the seconds one check may take, e.g. 5",
  );
  v.check(
    isWhole(interval) && interval >= 1 && interval <= 300,
    `${field}.retryIntervalSeconds`,
    interval,
    "must be a whole number 1-300",
    "give the seconds between checks, e.g. 10",
  );
  const deadline = heartbeat - ANSWER_MARGIN_SECONDS;
  v.check(
    attempt + interval < deadline,
    `${field}.attemptTimeoutSeconds + retryIntervalSeconds`,
    attempt + interval,
    `must leave room for more than one attempt within the heartbeat timeout less a ${ANSWER_MARGIN_SECONDS} s margin (${deadline} s)`,
    "shorten the attempt timeout or the retry interval, or raise heartbeatTimeoutSeconds",
  );

  let readiness: ResolvedBootstrapGate["readiness"];
  if (options?.readinessCommand !== undefined) {
    const command = options.readinessCommand;
    v.check(
      options.readinessUrl === undefined,
      `${field}.readinessUrl`,
      options.readinessUrl,
      "cannot be combined with readinessCommand",
      "give one of readinessUrl and readinessCommand",
    );
    v.check(
      command.trim().length > 0,
      `${field}.readinessCommand`,
      command,
      "must not be empty",
      "give a command that exits 0 when the instance is ready",
    );
    v.check(
      isEmbeddable(command),
      `${field}.readinessCommand`,
      command,
      "contains a line reserved by the library's here-document",
      "remove the line APP_FLEETS_END_OF_FILE",
    );
    readiness = { kind: "command", command };
  } else {
    const protocolVersion = context.targetProtocolVersion ?? "HTTP1";
    // curl cannot make a gRPC call: a gRPC fleet names its own readiness check.
    v.check(
      protocolVersion !== "GRPC" || options?.readinessUrl !== undefined,
      `${field}.readinessCommand`,
      undefined,
      'is required for a gRPC fleet (targetProtocolVersion "GRPC"): the default readiness check is an HTTP request to the health check path, which a gRPC server does not answer',
      'give a command that calls your health service, e.g. "grpc_health_probe -addr=127.0.0.1:50051 -tls -tls-no-verify", or turn the gate off',
    );
    const https = (context.targetProtocol ?? "HTTP") === "HTTPS";
    const url = options?.readinessUrl ?? `${https ? "https" : "http"}://127.0.0.1:${context.appPort}${context.healthCheckPath}`;
    v.check(
      URL_PATTERN.test(url),
      `${field}.readinessUrl`,
      url,
      "must be an http:// or https:// URL without spaces, quotes, backslashes or $",
      'give a URL such as "http://127.0.0.1:8080/health", or use readinessCommand',
    );
    const curlOptions: string[] = [];
    // The default URL checks the instance's own certificate, which nobody verifies: the load
    // balancer does not validate target certificates either (ALB guide, "HTTPS target groups").
    if (options?.readinessUrl === undefined && https) curlOptions.push("--insecure");
    // An HTTP/2 target speaks HTTP/2 only (an HTTP/1.1 request to it fails): over TLS curl
    // negotiates it (ALPN), in cleartext it must start with it (h2c with prior knowledge).
    if (protocolVersion === "HTTP2") curlOptions.push(url.startsWith("https:") ? "--http2" : "--http2-prior-knowledge");
    readiness = { kind: "url", url, curlOptions };
  }
  const maxFailedLaunches = options?.maxFailedLaunches ?? 3;
  const window = options?.failedLaunchWindowSeconds ?? 3600;
  v.check(
    isWhole(maxFailedLaunches) && maxFailedLaunches >= 0 && maxFailedLaunches <= 100,
    `${field}.maxFailedLaunches`,
    maxFailedLaunches,
    "must be a whole number 0-100 (0 never suspends launches)",
    "give the failed launches after which Auto Scaling should stop trying, e.g. 3",
  );
  v.check(
    isWhole(window) && window >= 300 && window <= 86_400,
    `${field}.failedLaunchWindowSeconds`,
    window,
    "must be a whole number of seconds 300-86400",
    "give the window in which failed launches count, e.g. 3600",
  );
  return {
    heartbeatTimeoutSeconds: heartbeat,
    readiness,
    attemptTimeoutSeconds: attempt,
    retryIntervalSeconds: interval,
    deadlineSeconds: deadline,
    maxFailedLaunches,
    failedLaunchWindowSeconds: window,
  };
}

/**
 * What the gate needs beyond answering its hook, to bound the replacement loop: read its group's
 * scaling activities (a Describe action without resource-level permissions, Service Authorization
 * Reference) and suspend its own group's processes.
 */
export function launchLoopGuardPolicy(groupArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "CountFailedLaunches", Effect: "Allow", Action: "autoscaling:DescribeScalingActivities", Resource: "*" },
      { Sid: "SuspendOwnLaunches", Effect: "Allow", Action: "autoscaling:SuspendProcesses", Resource: groupArn },
    ],
  });
}

/** The launch hook. ABANDON by default: an instance that never reports ready never serves. */
export function bootstrapHook(gate: ResolvedBootstrapGate): LifecycleHookSpec {
  return {
    name: BOOTSTRAP_HOOK_NAME,
    lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
    heartbeatTimeout: gate.heartbeatTimeoutSeconds,
    defaultResult: "ABANDON",
  };
}

export const BOOTSTRAP_GATE_UNIT = "app-fleets-bootstrap-gate.service";

/** The readiness check as a standalone script. */
export function readinessCheckScript(gate: ResolvedBootstrapGate): string {
  const check =
    gate.readiness.kind === "url"
      ? `exec curl -fsS -o /dev/null --max-time ${gate.attemptTimeoutSeconds} ${[...gate.readiness.curlOptions, shellQuote(gate.readiness.url)].join(" ")}`
      : gate.readiness.command;
  return `#!/bin/bash\n# app-fleets readiness check: exits 0 when this instance may take traffic.\n${check}\n`;
}

/** Where the gate keeps what must survive a reboot: the first boot's time, and its answer. */
export const GATE_STATE_DIR = "/var/lib/app-fleets";

/**
 * AWS APIs an instance calls: the gate and drain handler (autoscaling, and monitoring for their
 * metrics), CodeDeploy's agent (codedeploy, codedeploy-commands-secure, s3 for revisions) and the
 * SSM Agent (ssm, ssmmessages, ec2messages). Private subnets reach them through a NAT gateway or
 * VPC endpoints (vpc-endpoints.ts creates the interface endpoints on request).
 */
export const INSTANCE_API_SERVICES = [
  "autoscaling",
  "monitoring",
  "codedeploy",
  "codedeploy-commands-secure",
  "s3",
  "ssm",
  "ssmmessages",
  "ec2messages",
] as const;

/** Seconds between reads of the instance's target lifecycle state while a warm-pool gate watches it. */
export const WARM_POOL_POLL_SECONDS = 5;

/**
 * The script the systemd unit runs once cloud-init has finished (and at every later boot).
 *
 * Without a warm pool the launch hook fires once: the gate answers it once, records the answer,
 * and does nothing at later boots. With a warm pool (`warmPool`) the hook fires when the instance
 * launches into the pool (`Warmed:Pending:Wait`) and again each time it leaves the pool for the
 * group (`Pending:Wait`), and the instance tells which from IMDS `autoscaling/target-lifecycle-state`
 * (`Warmed:Stopped|Running|Hibernated` or `InService`; "Use lifecycle hooks with a warm pool",
 * EC2 Auto Scaling User Guide). The gate then:
 * - answers the launch into the pool after the full bootstrap (cloud-init and the readiness
 *   check), recording it as bootstrapped but not in service;
 * - when the instance leaves the pool, checks readiness again (its services restarted with the
 *   instance, or sat idle) before it answers, with the heartbeat counted from that transition;
 * - answers a direct launch into the group (the pool was empty) like a gate without a pool;
 * - at a boot where the state is InService as before (a reboot in service, or a trip to a
 *   Stopped pool and back that it could not watch), asks Auto Scaling whether a launch action
 *   waits (DescribeAutoScalingInstances) and answers only then; if it cannot tell, it answers
 *   nothing, and the hook's default result (ABANDON) replaces the instance: never traffic to an
 *   instance whose readiness was not checked.
 * In a Stopped pool each transition comes with a boot, so the gate exits after answering; in a
 * Running or Hibernated pool (and with reuse on scale-in) it keeps watching the state.
 */
export function bootstrapGateRunner(gate: ResolvedBootstrapGate, autoScalingGroupName: string, warmPool?: ResolvedWarmPool): string {
  const head = `#!/bin/bash
# app-fleets bootstrap gate: completes the "${BOOTSTRAP_HOOK_NAME}" launch hook of this instance${warmPool ? `, at each launch into its warm pool (${warmPool.poolState}) and each exit from it` : ""}.
set -u
ASG_NAME=${shellQuote(autoScalingGroupName)}
HOOK_NAME=${shellQuote(BOOTSTRAP_HOOK_NAME)}
DEADLINE_SECONDS=${gate.deadlineSeconds}
ATTEMPT_TIMEOUT_SECONDS=${gate.attemptTimeoutSeconds}
RETRY_INTERVAL_SECONDS=${gate.retryIntervalSeconds}
MAX_FAILED_LAUNCHES=${gate.maxFailedLaunches}
FAILED_LAUNCH_WINDOW_SECONDS=${gate.failedLaunchWindowSeconds}
STATE_DIR=${GATE_STATE_DIR}
`;
  // Without a warm pool the hook fires once per instance: a later boot has nothing to answer.
  const answeredOnce = warmPool
    ? ""
    : `if [ -f "$STATE_DIR/bootstrap-gate.answer" ]; then
  echo "app-fleets $HOOK_NAME: answered before a reboot ($(cat "$STATE_DIR/bootstrap-gate.answer")); nothing to do"
  exit 0
fi
`;
  const common = `${lifecycleShellFunctions()}${putMetricShellFunction()}
# The hook's heartbeat runs from launch: the budget is counted from the first boot this gate saw,
# kept across reboots (user data may reboot the instance before or after the gate first runs).
mkdir -p "$STATE_DIR"
uptime_seconds() { cut -d. -f1 /proc/uptime; }
BOOT_TIME=$(($(date +%s) - $(uptime_seconds)))
[ -f "$STATE_DIR/bootstrap-gate.first-boot" ] || echo "$BOOT_TIME" > "$STATE_DIR/bootstrap-gate.first-boot"
FIRST_BOOT=$(cat "$STATE_DIR/bootstrap-gate.first-boot")

api_host="autoscaling.$REGION.amazonaws.com"
case "$REGION" in cn-*) api_host="$api_host.cn" ;; esac
if curl -sS -o /dev/null --max-time 5 "https://$api_host/"; then
  log "reaches the Auto Scaling API ($api_host)"
else
  log "cannot reach https://$api_host/: instances need a route to the AWS APIs (${INSTANCE_API_SERVICES.join(", ")}) through a NAT gateway or VPC endpoints; without one this hook is never answered and Auto Scaling abandons the instance when its heartbeat times out"
fi

answer() {
  complete_action "$1"
  answered=$?
  echo "$1" > "$STATE_DIR/bootstrap-gate.answer"
  return $answered
}

# Counts the group's failed launches in the window (this one included) and, at the limit, stops
# Auto Scaling from launching yet another instance that will fail the same way.
bound_launch_loop() {
  [ "$MAX_FAILED_LAUNCHES" -gt 0 ] || return 0
  since=$(($(date +%s) - FAILED_LAUNCH_WINDOW_SECONDS))
  failed=1
  for started in $(aws autoscaling describe-scaling-activities --region "$REGION" --auto-scaling-group-name "$ASG_NAME" --max-items 100 \\
    --query "Activities[?starts_with(Description, 'Launching') && (StatusCode=='Failed' || StatusCode=='Cancelled')].StartTime" --output text 2>/dev/null); do
    at=$(date -d "$started" +%s 2>/dev/null) || continue
    if [ "$at" -ge "$since" ]; then failed=$((failed + 1)); fi
  done
  if [ "$failed" -lt "$MAX_FAILED_LAUNCHES" ]; then
    log "failed launch $failed of at most $MAX_FAILED_LAUNCHES within $FAILED_LAUNCH_WINDOW_SECONDS s; Auto Scaling launches a replacement"
    return 0
  fi
  log "$failed launches failed within $FAILED_LAUNCH_WINDOW_SECONDS s: suspending the group's launches so Auto Scaling stops replacing instances that cannot bootstrap"
  if aws autoscaling suspend-processes --region "$REGION" --auto-scaling-group-name "$ASG_NAME" --scaling-processes Launch; then
    put_metric ${FLEET_METRICS.launchesSuspended}
  else
    log "could not suspend launches"
  fi
  log "once the cause is fixed, the next deploy resumes launches, or run: aws autoscaling resume-processes --auto-scaling-group-name $ASG_NAME --scaling-processes Launch"
}

abandon() {
  log "$1; completing with ABANDON"
  put_metric ${FLEET_METRICS.bootstrapAbandoned}
  bound_launch_loop
  answer ABANDON
  exit 1
}

# Waits for cloud-init and the readiness check, with the hook's heartbeat counted from $1 (epoch
# seconds) and $2 naming that moment in messages; completes the action with CONTINUE (returning
# whether that call succeeded), or abandons the instance (and exits).
gate_transition() {
  started=$1
  since_start() { echo $(($(date +%s) - started)); }
  remaining=$((DEADLINE_SECONDS - $(since_start)))
  if [ "$remaining" -le 0 ]; then
    abandon "bootstrap took longer than $DEADLINE_SECONDS s"
  fi
  timeout "$remaining" cloud-init status --wait >/dev/null
  status=$?
  # 0: done; 2: done with recoverable errors (cloud-init >= 23.4). Anything else, including
  # 124 from timeout, means the bootstrap failed and this instance must not serve.
  if [ "$status" -ne 0 ] && [ "$status" -ne 2 ]; then
    abandon "cloud-init did not finish cleanly (exit $status)"
  fi
  attempt=0
  while :; do
    attempt=$((attempt + 1))
    if timeout "$ATTEMPT_TIMEOUT_SECONDS" /bin/bash ${SCRIPT_DIR}/readiness-check; then
      log "ready after $attempt check(s); completing with CONTINUE"
      answer CONTINUE
      return $?
    fi
    if [ $(($(since_start) + RETRY_INTERVAL_SECONDS)) -ge "$DEADLINE_SECONDS" ]; then
      abandon "not ready after $attempt check(s) within $DEADLINE_SECONDS s of $2"
    fi
    sleep "$RETRY_INTERVAL_SECONDS"
  done
}
`;
  const main = warmPool ? warmPoolMain(warmPool) : `gate_transition "$FIRST_BOOT" launch\nexit $?\n`;
  return `${head}${answeredOnce}${common}\n${main}`;
}

/** The warm-pool gate's main loop (see bootstrapGateRunner). */
function warmPoolMain(pool: ResolvedWarmPool): string {
  // A Stopped pool stops the instance on the way in and starts it on the way out: the next
  // transition comes with a boot, which runs the gate again. A Running or Hibernated pool does not.
  const watches = gateWatches(pool);
  return `# Warm pool (${pool.poolState}${pool.reuseOnScaleIn ? ", instances reused on scale-in" : ""}): the launch hook fires on the way into the pool and on each way out.
WATCH=${watches ? 1 : 0}
REUSE_ON_SCALE_IN=${pool.reuseOnScaleIn ? 1 : 0}
POLL_SECONDS=${WARM_POOL_POLL_SECONDS}
BOOTSTRAPPED="$STATE_DIR/bootstrap-gate.bootstrapped"
LAST_TARGET="$STATE_DIR/bootstrap-gate.target"
# 0: Auto Scaling holds this instance for a launch hook; 1: it does not; 2: cannot tell.
launch_action_waits() {
  state=$(aws autoscaling describe-auto-scaling-instances --region "$REGION" --instance-ids "$INSTANCE_ID" \\
    --query 'AutoScalingInstances[0].LifecycleState' --output text 2>/dev/null) || return 2
  case "$state" in
    Pending:Wait | Warmed:Pending:Wait) return 0 ;;
    "" | None) return 2 ;;
    *) return 1 ;;
  esac
}
at_boot=1
while :; do
  if ! target=$(imds autoscaling/target-lifecycle-state); then
    sleep "$POLL_SECONDS"
    continue
  fi
  last=$(cat "$LAST_TARGET" 2>/dev/null)
  if [ "$target" != "$last" ] || [ "$at_boot" -eq 1 ]; then
    # When the transition the instance is in began: at this boot, or within the last poll.
    if [ "$at_boot" -eq 1 ]; then began=$BOOT_TIME; else began=$(($(date +%s) - POLL_SECONDS)); fi
    case "$target" in
      Warmed:*)
        if [ ! -f "$BOOTSTRAPPED" ]; then
          log "launching into the warm pool ($target): bootstrapping now; the instance enters service only when it leaves the pool"
          gate_transition "$FIRST_BOOT" launch && touch "$BOOTSTRAPPED"
        elif [ "$target" != "$last" ]; then
          log "back in the warm pool ($target): nothing to answer until it leaves the pool"
        fi
        ;;
      InService)
        if [ ! -f "$BOOTSTRAPPED" ]; then
          log "launching straight into the group (the warm pool had no instance ready)"
          gate_transition "$FIRST_BOOT" launch && touch "$BOOTSTRAPPED"
        elif [ "$target" != "$last" ]; then
          log "leaving the warm pool ($last): checking readiness again before it takes traffic"
          gate_transition "$began" "leaving the warm pool"
        else
          launch_action_waits
          case $? in
            0)
              log "in service before, and a launch action waits (back from the warm pool): checking readiness again"
              gate_transition "$began" "leaving the warm pool"
              ;;
            1) log "in service; no launch action waits: nothing to answer" ;;
            *) log "cannot read this instance's lifecycle state from Auto Scaling; answering nothing (if a launch action waits, its default result ABANDON replaces the instance)" ;;
          esac
        fi
        ;;
    esac
    echo "$target" > "$LAST_TARGET"
  fi
  at_boot=0
  if [ -f "$BOOTSTRAPPED" ]; then
    # Nothing further to watch: a Stopped pool brings its next transition with a boot, and an
    # instance in service that is never returned to the pool has no further launch transition.
    [ "$WATCH" -eq 0 ] && exit 0
    [ "$target" = InService ] && [ "$REUSE_ON_SCALE_IN" -eq 0 ] && exit 0
  fi
  sleep "$POLL_SECONDS"
done
`;
}

/**
 * The systemd unit: ordered after cloud-final (whose script queues it at first boot), and enabled,
 * so a reboot during bootstrap runs it again. A gate that keeps watching a warm pool's
 * transitions runs as a simple service rather than a oneshot, so boot never waits for it.
 */
export function bootstrapGateUnit(watches = false): string {
  return `[Unit]
Description=app-fleets bootstrap gate: tell Auto Scaling whether this instance finished bootstrapping
After=cloud-final.service network-online.target
Wants=network-online.target

[Service]
Type=${watches ? "simple" : "oneshot"}
ExecStart=${SCRIPT_DIR}/bootstrap-gate
StandardOutput=journal+console
StandardError=journal+console

[Install]
WantedBy=multi-user.target
`;
}

/** True when the gate keeps running to watch a warm pool's transitions (see warmPoolMain). */
export function gateWatches(warmPool: ResolvedWarmPool | undefined): boolean {
  return warmPool !== undefined && warmPool.poolState !== "Stopped";
}

/**
 * The user-data part. It only installs and queues the unit: a script that waited for
 * cloud-init here would wait for itself, since cloud-init runs it in its final stage.
 */
export function bootstrapGatePart(gate: ResolvedBootstrapGate, autoScalingGroupName: string, warmPool?: ResolvedWarmPool): UserDataPart {
  const content = `#!/bin/bash
# app-fleets bootstrap gate: holds this instance out of service until it is ready.
set -eu
${writeFileSnippet(`${SCRIPT_DIR}/readiness-check`, readinessCheckScript(gate))}${writeFileSnippet(`${SCRIPT_DIR}/bootstrap-gate`, bootstrapGateRunner(gate, autoScalingGroupName, warmPool))}${writeFileSnippet(`/etc/systemd/system/${BOOTSTRAP_GATE_UNIT}`, bootstrapGateUnit(gateWatches(warmPool)), "0644")}systemctl daemon-reload
# Enabled, so a reboot in the user data (power_state, package_reboot_if_required) runs it again;
# --no-block: the unit runs after cloud-final.service, which is running this script right now.
systemctl enable ${BOOTSTRAP_GATE_UNIT}
systemctl start --no-block ${BOOTSTRAP_GATE_UNIT}
`;
  return { filename: "90-app-fleets-bootstrap-gate.sh", contentType: "text/x-shellscript", content };
}

function isWhole(value: number): boolean {
  return typeof value === "number" && Number.isInteger(value);
}
