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
import { isEmbeddable, shellQuote, UserDataPart, writeFileSnippet } from "./user-data";

export interface BootstrapGateOptions {
  /**
   * Hold new instances until they report ready. Turning it off lets an instance receive
   * traffic as soon as the load balancer's health check passes, even mid-bootstrap.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Seconds from launch an instance has to finish bootstrapping and pass the readiness check
   * (30-7200, and shorter than `capacityTimeout`). Past it, the hook's default result
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
}

/** The gate with defaults applied, or `undefined` when it is off. */
export interface ResolvedBootstrapGate {
  readonly heartbeatTimeoutSeconds: number;
  readonly readiness: { readonly kind: "url"; readonly url: string } | { readonly kind: "command"; readonly command: string };
  readonly attemptTimeoutSeconds: number;
  readonly retryIntervalSeconds: number;
  /** Seconds since boot after which the gate itself gives up with ABANDON, before the hook times out. */
  readonly deadlineSeconds: number;
}

/** What the gate needs to know about its fleet. */
export interface BootstrapGateContext {
  readonly appPort: number;
  readonly healthCheckPath: string;
  /** `capacityTimeout` in seconds: how long an apply waits for healthy instances. */
  readonly capacityTimeoutSeconds: number;
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
    `must be shorter than capacityTimeout (${context.capacityTimeoutSeconds} s), or an apply gives up before the gate decides`,
    "lower the heartbeat timeout or raise capacityTimeout",
  );
  v.check(isWhole(attempt) && attempt >= 1 && attempt <= 60, `${field}.attemptTimeoutSeconds`, attempt, "must be a whole number 1-60", "give the seconds one check may take, e.g. 5");
  v.check(isWhole(interval) && interval >= 1 && interval <= 300, `${field}.retryIntervalSeconds`, interval, "must be a whole number 1-300", "give the seconds between checks, e.g. 10");
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
    v.check(options.readinessUrl === undefined, `${field}.readinessUrl`, options.readinessUrl, "cannot be combined with readinessCommand", "give one of readinessUrl and readinessCommand");
    v.check(command.trim().length > 0, `${field}.readinessCommand`, command, "must not be empty", "give a command that exits 0 when the instance is ready");
    v.check(isEmbeddable(command), `${field}.readinessCommand`, command, "contains a line reserved by the library's here-document", "remove the line APP_FLEETS_END_OF_FILE");
    readiness = { kind: "command", command };
  } else {
    const url = options?.readinessUrl ?? `http://127.0.0.1:${context.appPort}${context.healthCheckPath}`;
    v.check(
      URL_PATTERN.test(url),
      `${field}.readinessUrl`,
      url,
      "must be an http:// or https:// URL without spaces, quotes, backslashes or $",
      'give a URL such as "http://127.0.0.1:8080/health", or use readinessCommand',
    );
    readiness = { kind: "url", url };
  }
  return { heartbeatTimeoutSeconds: heartbeat, readiness, attemptTimeoutSeconds: attempt, retryIntervalSeconds: interval, deadlineSeconds: deadline };
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
      ? `exec curl -fsS -o /dev/null --max-time ${gate.attemptTimeoutSeconds} ${shellQuote(gate.readiness.url)}`
      : gate.readiness.command;
  return `#!/bin/bash\n# app-fleets readiness check: exits 0 when this instance may take traffic.\n${check}\n`;
}

/** The script the systemd unit runs once cloud-init has finished. */
export function bootstrapGateRunner(gate: ResolvedBootstrapGate, autoScalingGroupName: string): string {
  return `#!/bin/bash
# app-fleets bootstrap gate: completes the "${BOOTSTRAP_HOOK_NAME}" launch hook of this instance.
set -u
ASG_NAME=${shellQuote(autoScalingGroupName)}
HOOK_NAME=${shellQuote(BOOTSTRAP_HOOK_NAME)}
DEADLINE_SECONDS=${gate.deadlineSeconds}
ATTEMPT_TIMEOUT_SECONDS=${gate.attemptTimeoutSeconds}
RETRY_INTERVAL_SECONDS=${gate.retryIntervalSeconds}
${lifecycleShellFunctions()}
# The hook's heartbeat runs from launch, so the budget is counted from boot, not from now.
uptime_seconds() { cut -d. -f1 /proc/uptime; }
remaining=$((DEADLINE_SECONDS - $(uptime_seconds)))
if [ "$remaining" -le 0 ]; then
  log "bootstrap took longer than $DEADLINE_SECONDS s; completing with ABANDON"
  complete_action ABANDON
  exit 1
fi
timeout "$remaining" cloud-init status --wait >/dev/null
status=$?
# 0: done; 2: done with recoverable errors (cloud-init >= 23.4). Anything else, including
# 124 from timeout, means the bootstrap failed and this instance must not serve.
if [ "$status" -ne 0 ] && [ "$status" -ne 2 ]; then
  log "cloud-init did not finish cleanly (exit $status); completing with ABANDON"
  complete_action ABANDON
  exit 1
fi
attempt=0
while :; do
  attempt=$((attempt + 1))
  if timeout "$ATTEMPT_TIMEOUT_SECONDS" /bin/bash ${SCRIPT_DIR}/readiness-check; then
    log "ready after $attempt check(s); completing with CONTINUE"
    complete_action CONTINUE
    exit $?
  fi
  if [ $(($(uptime_seconds) + RETRY_INTERVAL_SECONDS)) -ge "$DEADLINE_SECONDS" ]; then
    log "not ready after $attempt check(s) within $DEADLINE_SECONDS s of boot; completing with ABANDON"
    complete_action ABANDON
    exit 1
  fi
  sleep "$RETRY_INTERVAL_SECONDS"
done
`;
}

/** The systemd unit: ordered after cloud-final, whose own script is what starts it. */
export function bootstrapGateUnit(): string {
  return `[Unit]
Description=app-fleets bootstrap gate: tell Auto Scaling whether this instance finished bootstrapping
After=cloud-final.service network-online.target
Wants=network-online.target

[Service]
Type=oneshot
ExecStart=${SCRIPT_DIR}/bootstrap-gate
StandardOutput=journal+console
StandardError=journal+console
`;
}

/**
 * The user-data part. It only installs and queues the unit: a script that waited for
 * cloud-init here would wait for itself, since cloud-init runs it in its final stage.
 */
export function bootstrapGatePart(gate: ResolvedBootstrapGate, autoScalingGroupName: string): UserDataPart {
  const content = `#!/bin/bash
# app-fleets bootstrap gate: holds this instance out of service until it is ready.
set -eu
${writeFileSnippet(`${SCRIPT_DIR}/readiness-check`, readinessCheckScript(gate))}${writeFileSnippet(`${SCRIPT_DIR}/bootstrap-gate`, bootstrapGateRunner(gate, autoScalingGroupName))}${writeFileSnippet(`/etc/systemd/system/${BOOTSTRAP_GATE_UNIT}`, bootstrapGateUnit(), "0644")}systemctl daemon-reload
# --no-block: the unit runs after cloud-final.service, which is running this script right now.
systemctl start --no-block ${BOOTSTRAP_GATE_UNIT}
`;
  return { filename: "90-app-fleets-bootstrap-gate.sh", contentType: "text/x-shellscript", content };
}

function isWhole(value: number): boolean {
  return typeof value === "number" && Number.isInteger(value);
}
