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
 * - `prevent_destroy` on the ASG, so deleting the fleet from the code fails the plan,
 * - a root volume that outlives its instance (`delete_on_termination = false`).
 * Pure: no cdktf import.
 */
import { Violations } from "../core/errors";
import { DRAIN_HOOK_NAME, HEARTBEAT_MAX_SECONDS, HEARTBEAT_MIN_SECONDS, LifecycleHookSpec, lifecycleShellFunctions, SCRIPT_DIR } from "./lifecycle-hooks";
import { isEmbeddable, shellQuote, UserDataPart, writeFileSnippet } from "./user-data";

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
}

export interface ResolvedStatefulGuard {
  readonly drainCommand?: string;
  readonly heartbeatTimeoutSeconds: number;
  readonly keepRootVolume: boolean;
}

export function resolveStatefulGuard(v: Violations, field: string, options: StatefulGuardOptions | undefined): ResolvedStatefulGuard | undefined {
  if (options === undefined) return undefined;
  const heartbeat = options.heartbeatTimeoutSeconds ?? 900;
  v.check(
    Number.isInteger(heartbeat) && heartbeat >= HEARTBEAT_MIN_SECONDS && heartbeat <= HEARTBEAT_MAX_SECONDS,
    `${field}.heartbeatTimeoutSeconds`,
    heartbeat,
    `must be a whole number of seconds from ${HEARTBEAT_MIN_SECONDS} to ${HEARTBEAT_MAX_SECONDS} (AWS's lifecycle hook limits)`,
    "give the seconds between drain heartbeats, e.g. 900",
  );
  if (options.drainCommand !== undefined) {
    v.check(options.drainCommand.trim().length > 0, `${field}.drainCommand`, options.drainCommand, "must not be empty", "give a command, or leave drainCommand out to hold terminating instances for a person");
    v.check(isEmbeddable(options.drainCommand), `${field}.drainCommand`, options.drainCommand, "contains a line reserved by the library's here-document", "remove the line APP_FLEETS_END_OF_FILE");
  }
  return { drainCommand: options.drainCommand, heartbeatTimeoutSeconds: heartbeat, keepRootVolume: options.keepRootVolume ?? true };
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

export function drainHandlerRunner(guard: ResolvedStatefulGuard, autoScalingGroupName: string): string {
  const release = `aws autoscaling complete-lifecycle-action --region $REGION --auto-scaling-group-name $ASG_NAME --lifecycle-hook-name $HOOK_NAME --instance-id $INSTANCE_ID --lifecycle-action-result CONTINUE`;
  return `#!/bin/bash
# app-fleets drain handler: answers the "${DRAIN_HOOK_NAME}" termination hook of this instance.
set -u
ASG_NAME=${shellQuote(autoScalingGroupName)}
HOOK_NAME=${shellQuote(DRAIN_HOOK_NAME)}
HEARTBEAT_EVERY_SECONDS=${heartbeatEverySeconds(guard)}
${lifecycleShellFunctions()}
while :; do
  state=$(imds autoscaling/target-lifecycle-state 2>/dev/null || true)
  if [ "$state" = "Terminated" ]; then break; fi
  sleep 5
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
  const command = guard.drainCommand === undefined ? "" : writeFileSnippet(`${SCRIPT_DIR}/drain-command`, `#!/bin/bash\n${guard.drainCommand}`);
  const content = `#!/bin/bash
# app-fleets stateful guard: drains this instance before Auto Scaling terminates it.
set -eu
${command}${writeFileSnippet(`${SCRIPT_DIR}/drain-handler`, drainHandlerRunner(guard, autoScalingGroupName))}${writeFileSnippet(`/etc/systemd/system/${DRAIN_HANDLER_UNIT}`, drainHandlerUnit(), "0644")}systemctl daemon-reload
systemctl enable --now --no-block ${DRAIN_HANDLER_UNIT}
`;
  return { filename: "91-app-fleets-drain-handler.sh", contentType: "text/x-shellscript", content };
}
