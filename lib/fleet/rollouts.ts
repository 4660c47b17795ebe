/**
 * The rollout options of a fleet (bootstrap gate, canary, instance refresh, recycling,
 * stateful guard), their cross-checks, and the user data they compose.
 * Pure: no cdktf import.
 */
import { Violations } from "../core/errors";
import { bootstrapGatePart, BootstrapGateOptions, resolveBootstrapGate, ResolvedBootstrapGate } from "./bootstrap-gate";
import { CanaryOptions, resolveCanary, ResolvedCanary } from "./canary";
import { InstanceRefreshOptions, ResolvedInstanceRefresh, resolveInstanceRefresh } from "./instance-refresh";
import { FleetRecycling, ResolvedRecycling, resolveRecycling } from "./recycling";
import { drainHandlerPart, ResolvedStatefulGuard, resolveStatefulGuard, StatefulGuardOptions } from "./stateful-guard";
import type { TargetProtocol, TargetProtocolVersion } from "./target-group-options";
import { checkUserDataSize, checkUserPart, composeUserData, UserDataPart, userPart } from "./user-data";
import type { ResolvedWarmPool } from "./warm-pool";

/** Options of `AppServerGroup` that decide how instances are introduced, replaced and retired. */
export interface RolloutProps {
  /**
   * Hold each new instance out of service until cloud-init finished and a readiness check passed.
   * @default - on: 600 s heartbeat, readiness = the target group's health path on the app port
   */
  readonly bootstrapGate?: BootstrapGateOptions;
  /**
   * A small second group running candidate launch settings in the same target group.
   * @default - no canary
   */
  readonly canary?: CanaryOptions;
  /**
   * Replace instances automatically after the launch template changes. Read the caveats in
   * ROLLOUTS.md first: the apply does not wait for the refresh, and the next apply cancels it.
   * @default - no instance refresh: new settings reach instances as they are replaced
   */
  readonly instanceRefresh?: InstanceRefreshOptions;
  /**
   * Replace every instance after a maximum lifetime, launching before terminating,
   * instead of rebooting hosts on a timer.
   * @default - instances live until scaled in or found unhealthy
   */
  readonly recycling?: FleetRecycling;
  /**
   * Guard instances that hold data existing nowhere else.
   * @default - stateless: instances keep nothing that exists nowhere else, and any may be replaced at any time
   */
  readonly stateful?: StatefulGuardOptions;
}

export interface ResolvedRollouts {
  readonly bootstrapGate?: ResolvedBootstrapGate;
  readonly canary?: ResolvedCanary;
  readonly instanceRefresh?: ResolvedInstanceRefresh;
  readonly recycling?: ResolvedRecycling;
  readonly stateful?: ResolvedStatefulGuard;
}

/** What the rollout options need from the rest of the fleet's (already defaulted) props. */
export interface RolloutContext {
  readonly appPort: number;
  readonly healthCheckPath: string;
  /** How the load balancer talks to the app, for the gate's default readiness check. */
  readonly targetProtocol?: TargetProtocol;
  readonly targetProtocolVersion?: TargetProtocolVersion;
  /** The main group's warm pool, whose gate answers more transitions (a longer script). */
  readonly warmPool?: ResolvedWarmPool;
  /** Seconds an apply waits for healthy instances. */
  readonly capacityTimeoutSeconds: number;
  readonly imageId: string;
  readonly instanceType: string;
  readonly userData?: string;
  readonly desiredCapacity: number;
  readonly maxCapacity: number;
  /** Whether the fleet has scaling. */
  readonly scales: boolean;
  readonly autoScalingGroupName: string;
  readonly canaryAutoScalingGroupName: string;
  /** `<namespace>-<name>`: names the stateful guard's status parameter. */
  readonly qualifiedName: string;
  readonly checkImageId: (field: string, value: string) => void;
  readonly checkInstanceType: (field: string, value: string) => void;
}

export function resolveRollouts(
  v: Violations,
  f: (field: string) => string,
  props: RolloutProps,
  context: RolloutContext,
): ResolvedRollouts {
  const rollouts: ResolvedRollouts = {
    bootstrapGate: resolveBootstrapGate(v, f("bootstrapGate"), props.bootstrapGate, {
      appPort: context.appPort,
      healthCheckPath: context.healthCheckPath,
      capacityTimeoutSeconds: context.capacityTimeoutSeconds,
      targetProtocol: context.targetProtocol,
      targetProtocolVersion: context.targetProtocolVersion,
    }),
    canary: resolveCanary(v, f("canary"), props.canary, context),
    instanceRefresh: resolveInstanceRefresh(v, f("instanceRefresh"), props.instanceRefresh),
    recycling: resolveRecycling(v, f("recycling"), props.recycling),
    stateful: resolveStatefulGuard(v, f("stateful"), props.stateful, context.qualifiedName),
  };
  if (rollouts.stateful) {
    v.check(
      props.canary === undefined,
      f("canary"),
      props.canary,
      "cannot be combined with stateful: aborting or promoting a canary deletes its instances, and with them their data",
      "try the candidate settings on a stateless fleet, or replace stateful instances one by one under the drain hook",
    );
    v.check(
      props.recycling === undefined,
      f("recycling"),
      props.recycling,
      "cannot be combined with stateful: recycling would replace data-holding instances on a timer",
      "remove recycling, or make the fleet stateless by moving its data to a managed store (S3, RDS, EFS)",
    );
  }
  if (composes(rollouts)) {
    if (context.userData !== undefined) checkUserPart(v, f("userData"), context.userData);
    if (props.canary?.userData !== undefined) checkUserPart(v, f("canary.userData"), props.canary.userData);
    if (v.isEmpty) {
      checkUserDataSize(v, f("userData"), instanceUserData(rollouts, context.userData, context.autoScalingGroupName, context.warmPool)!);
      if (rollouts.canary) {
        checkUserDataSize(
          v,
          f("canary.userData"),
          instanceUserData(rollouts, rollouts.canary.userData, context.canaryAutoScalingGroupName)!,
        );
      }
    }
  }
  return rollouts;
}

/** True when the library adds parts to the user data. */
export function composes(rollouts: ResolvedRollouts): boolean {
  return rollouts.bootstrapGate !== undefined || rollouts.stateful !== undefined;
}

/**
 * The user data an instance of the given group boots with: the user's part, then the gate,
 * then the drain handler; the user's own user data unchanged when the library adds nothing.
 * `warmPool`: the group's warm pool, whose transitions the gate answers too.
 */
export function instanceUserData(
  rollouts: ResolvedRollouts,
  userData: string | undefined,
  autoScalingGroupName: string,
  warmPool?: ResolvedWarmPool,
): string | undefined {
  if (!composes(rollouts)) return userData;
  const parts: UserDataPart[] = [];
  if (userData !== undefined) parts.push(userPart(userData));
  if (rollouts.bootstrapGate) parts.push(bootstrapGatePart(rollouts.bootstrapGate, autoScalingGroupName, warmPool));
  if (rollouts.stateful) parts.push(drainHandlerPart(rollouts.stateful, autoScalingGroupName));
  return composeUserData(parts);
}
