/**
 * The stateful guard, for fleets whose instances hold data that exists nowhere else.
 *
 * The default fleet is stateless: instances keep nothing that exists nowhere else, so Auto
 * Scaling may replace any of them at any time. A stateful fleet instead gets:
 * - a termination lifecycle hook and a drain handler (a systemd service that polls the
 *   instance metadata for `autoscaling/target-lifecycle-state` = `Terminated`, runs the drain
 *   command while sending heartbeats, then completes the action; when the drain fails or
 *   there is none, it keeps the instance alive with heartbeats so a person can rescue data),
 * - scale-in protection on every instance, so lowering `desired` never picks a data holder,
 * - a record in the stack lock file (lib/lock/STACK-LOCK.md): deleting the fleet's code while the
 *   lock records it in service fails synthesis. `prevent_destroy` on the ASG cannot do that
 *   (Terraform forgets it together with the resource block); it still refuses a plan that would
 *   replace the group,
 * - a status parameter (`/<namespace>-<name>/app-fleets/status`: `in-service` or `retiring`) that
 *   the drain handler polls, so instances already running learn that the fleet is retiring
 *   (their user data is fixed at launch),
 * - a root volume that outlives its instance (`delete_on_termination = false`).
 *
 * Retiring (`retire: true`) is the first of two changes that remove a stateful fleet: the group
 * scales to zero while its hook and drain handlers still exist, and each instance, seeing the
 * status `retiring`, lifts its own scale-in protection (scale-in skips protected instances, and
 * the group's `protect_from_scale_in` only applies to instances it launches), so Auto Scaling
 * terminates it through the hook and the handler drains it. The second change deletes the fleet.
 * Pure: no cdktf import.
 */
import { Violations } from "../core/errors";
import {
  DRAIN_HOOK_NAME,
  HEARTBEAT_MAX_SECONDS,
  HEARTBEAT_MIN_SECONDS,
  LifecycleHookSpec,
  lifecycleShellFunctions,
  SCRIPT_DIR,
} from "./lifecycle-hooks";
import { isEmbeddable, shellQuote, UserDataPart, writeFileSnippet } from "./user-data";
import { FLEET_METRICS, putMetricShellFunction } from "./fleet-metrics";

export interface StatefulGuardOptions {
  /**
   * Shell command that copies the instance's data somewhere safe (or hands it over), run
   * when Auto Scaling starts to terminate the instance; exit 0 lets the termination proceed.
   * @default - none: a terminating instance is held until a person completes the lifecycle action
   */
  readonly drainCommand?: string;
  /**
   * Seconds between the drain handler's heartbeats, and the time Auto Scaling waits for one
   * (30-7200). A held instance is kept at most 48 hours or 100 heartbeat timeouts, whichever is shorter (AWS).
   * @default 900
   */
  readonly heartbeatTimeoutSeconds?: number;
  /** Keep each instance's root EBS volume after the instance terminates. @default true */
  readonly keepRootVolume?: boolean;
  /**
   * Retire the fleet: step 1 of removing it. The group scales to zero (min = max = desired = 0)
   * while its termination hook and drain handler still exist; each running instance lifts its own
   * scale-in protection and is drained before it terminates. No route may send it traffic. Delete
   * the fleet in a later change, once it has no instances left (ROLLOUTS.md, "Retiring a stateful
   * fleet"); setting it back to false returns the fleet to service at its capacity.
   * @default false
   */
  readonly retire?: boolean;
}

/** What the status parameter says; the drain handler acts on `retiring` (and undoes it on `in-service`). */
export type FleetStatus = "in-service" | "retiring";

export interface ResolvedStatefulGuard {
  readonly drainCommand?: string;
  readonly heartbeatTimeoutSeconds: number;
  readonly keepRootVolume: boolean;
  /** True while the fleet is retiring: capacity 0, status `retiring`. */
  readonly retire: boolean;
  /** The SSM parameter the drain handler polls for the fleet's status. */
  readonly statusParameterName: string;
}

/**
 * The fleet's status parameter: under the fleet's own parameter path (`fleetParameterPath` in
 * instance-role.ts: `/<qualified name>/`), which the instance role may already read, so the drain
 * handler needs no extra read permission (a synth test checks the role's policy covers it).
 */
export function fleetStatusParameterName(qualifiedName: string): string {
  return `/${qualifiedName}/app-fleets/status`;
}

/** The capacity of a retiring fleet. */
export const RETIRED_CAPACITY = { min: 0, max: 0, desired: 0 } as const;

/** Seconds between the drain handler's reads of the status parameter (GetParameter throughput is shared by the whole account). */
export const STATUS_POLL_SECONDS = 60;

export function resolveStatefulGuard(
  v: Violations,
  field: string,
  options: StatefulGuardOptions | undefined,
  qualifiedName: string,
): ResolvedStatefulGuard | undefined {
  if (options === undefined) return undefined;
  if (options.retire !== undefined) {
    v.check(
      typeof options.retire === "boolean",
      `${field}.retire`,
      options.retire,
      "must be true or false",
      "set true to retire the fleet (step 1 of removing it), or leave it out",
    );
  }
  const heartbeat = options.heartbeatTimeoutSeconds ?? 900;
  v.check(
    Number.isInteger(heartbeat) && heartbeat >= HEARTBEAT_MIN_SECONDS && heartbeat <= HEARTBEAT_MAX_SECONDS,
    `${field}.heartbeatTimeoutSeconds`,
    heartbeat,
    `must be a whole number of seconds from ${HEARTBEAT_MIN_SECONDS} to ${HEARTBEAT_MAX_SECONDS} (AWS's lifecycle hook limits)`,
    "give the seconds between drain heartbeats, e.g. 900",
  );
  if (options.drainCommand !== undefined) {
    v.check(
      options.drainCommand.trim().length > 0,
      `${field}.drainCommand`,
      options.drainCommand,
      "must not be empty",
      "give a command, or leave drainCommand out to hold terminating instances for a person",
    );
    v.check(
      isEmbeddable(options.drainCommand),
      `${field}.drainCommand`,
      options.drainCommand,
      "contains a line reserved by the library's here-document",
      "remove the line APP_FLEETS_END_OF_FILE",
    );
  }
  return {
    drainCommand: options.drainCommand,
    heartbeatTimeoutSeconds: heartbeat,
    keepRootVolume: options.keepRootVolume ?? true,
    retire: options.retire === true,
    statusParameterName: fleetStatusParameterName(qualifiedName),
  };
}

/** The fleet's status, as its status parameter holds it. */
export function fleetStatus(guard: ResolvedStatefulGuard): FleetStatus {
  return guard.retire ? "retiring" : "in-service";
}

/** The termination hook. Both results terminate; the hold comes from the handler's heartbeats. */
export function drainHook(guard: ResolvedStatefulGuard): LifecycleHookSpec {
  return {
    name: DRAIN_HOOK_NAME,
    lifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING",
    heartbeatTimeout: guard.heartbeatTimeoutSeconds,
    defaultResult: "CONTINUE",
  };
}

export const DRAIN_HANDLER_UNIT = "app-fleets-drain-handler.service";

/** Seconds between heartbeats: half the timeout, on the handler's 5-second tick. */
export function heartbeatEverySeconds(guard: ResolvedStatefulGuard): number {
  return Math.max(5, Math.floor(guard.heartbeatTimeoutSeconds / 2 / 5) * 5);
}

/**
 * The drain handler's script. Independent of `retire` on purpose: retiring must not change the
 * launch template, and instances already running learn it from the status parameter.
 */
export function drainHandlerRunner(guard: ResolvedStatefulGuard, autoScalingGroupName: string): string {
  const release = `aws autoscaling complete-lifecycle-action --region $REGION --auto-scaling-group-name $ASG_NAME --lifecycle-hook-name $HOOK_NAME --instance-id $INSTANCE_ID --lifecycle-action-result CONTINUE`;
  return `#!/bin/bash
# app-fleets drain handler: answers the "${DRAIN_HOOK_NAME}" termination hook of this instance.
set -u
ASG_NAME=${shellQuote(autoScalingGroupName)}
HOOK_NAME=${shellQuote(DRAIN_HOOK_NAME)}
HEARTBEAT_EVERY_SECONDS=${heartbeatEverySeconds(guard)}
STATUS_PARAMETER=${shellQuote(guard.statusParameterName)}
STATUS_POLL_SECONDS=${STATUS_POLL_SECONDS}
${lifecycleShellFunctions()}${putMetricShellFunction()}
# The fleet's status ("in-service" or "retiring"); empty when it cannot be read (then nothing changes).
fleet_status() {
  aws ssm get-parameter --region "$REGION" --name "$STATUS_PARAMETER" --query Parameter.Value --output text 2>/dev/null || true
}
# Scale-in skips instances protected from scale-in, and the group's setting only covers instances it
# launches: while the fleet retires, each instance lifts its own protection so Auto Scaling can
# terminate it through the termination hook (and this handler drains it); back in service, it
# protects itself again.
set_protection() {
  if aws autoscaling set-instance-protection --region "$REGION" --auto-scaling-group-name "$ASG_NAME" --instance-ids "$INSTANCE_ID" "$1"; then
    return 0
  fi
  log "set-instance-protection $1 failed; retrying at the next status check"
  return 1
}
protection=protected
since_status=$STATUS_POLL_SECONDS
while :; do
  state=$(imds autoscaling/target-lifecycle-state 2>/dev/null || true)
  if [ "$state" = "Terminated" ]; then break; fi
  if [ "$since_status" -ge "$STATUS_POLL_SECONDS" ]; then
    since_status=0
    status=$(fleet_status)
    if [ "$status" = "retiring" ] && [ "$protection" = "protected" ]; then
      log "the fleet is retiring: lifting this instance's scale-in protection, so Auto Scaling drains and terminates it"
      if set_protection --no-protected-from-scale-in; then protection=lifted; fi
    elif [ "$status" = "in-service" ] && [ "$protection" = "lifted" ]; then
      log "the fleet is back in service: protecting this instance from scale-in again"
      if set_protection --protected-from-scale-in; then protection=protected; fi
    fi
  fi
  sleep 5
  since_status=$((since_status + 5))
done
${
  guard.drainCommand === undefined
    ? `log "Auto Scaling is terminating this instance and no drain command is set: holding it for a person"`
    : `log "Auto Scaling is terminating this instance: running the drain command"
/bin/bash ${SCRIPT_DIR}/drain-command &
drain_pid=$!
waited=0
while kill -0 "$drain_pid" 2>/dev/null; do
  sleep 5
  waited=$((waited + 5))
  if [ $((waited % HEARTBEAT_EVERY_SECONDS)) -eq 0 ]; then heartbeat; fi
done
wait "$drain_pid"
drained=$?
if [ "$drained" -eq 0 ]; then
  log "drained; completing with CONTINUE"
  complete_action CONTINUE
  exit 0
fi
log "the drain command failed (exit $drained): holding this instance for a person"`
}
log "to let it terminate once its data is safe, run: ${release}"
while :; do
  heartbeat
  # Keeps the fleet's drain-held alarm firing while the instance is held (fleet-alarms.ts).
  put_metric ${FLEET_METRICS.drainHeld}
  sleep "$HEARTBEAT_EVERY_SECONDS"
done
`;
}

export function drainHandlerUnit(): string {
  return `[Unit]
Description=app-fleets drain handler: drain this instance before Auto Scaling terminates it
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
ExecStart=${SCRIPT_DIR}/drain-handler
Restart=on-failure
RestartSec=5
StandardOutput=journal+console
StandardError=journal+console

[Install]
WantedBy=multi-user.target
`;
}

/** The user-data part: installs the drain handler and starts it now and at every boot. */
export function drainHandlerPart(guard: ResolvedStatefulGuard, autoScalingGroupName: string): UserDataPart {
  const command =
    guard.drainCommand === undefined ? "" : writeFileSnippet(`${SCRIPT_DIR}/drain-command`, `#!/bin/bash\n${guard.drainCommand}`);
  const content = `#!/bin/bash
# app-fleets stateful guard: drains this instance before Auto Scaling terminates it.
set -eu
${command}${writeFileSnippet(`${SCRIPT_DIR}/drain-handler`, drainHandlerRunner(guard, autoScalingGroupName))}${writeFileSnippet(`/etc/systemd/system/${DRAIN_HANDLER_UNIT}`, drainHandlerUnit(), "0644")}systemctl daemon-reload
systemctl enable --now --no-block ${DRAIN_HANDLER_UNIT}
`;
  return { filename: "91-app-fleets-drain-handler.sh", contentType: "text/x-shellscript", content };
}
