/**
 * Anchor rules: one per fleet, on a listener of their own, so a fleet's target group is
 * attached to the load balancer (and health-checked) before any traffic rule waits for it.
 *
 * Why they are needed: an ASG with `wait_for_elb_capacity` only turns healthy once its target
 * group is used by the load balancer, but every rule that sends real traffic depends on that
 * ASG. The anchor breaks the cycle: listener -> anchor rule -> ASG (waits healthy) -> traffic rules.
 *
 * Why a separate listener rather than the HTTPS one: the HTTPS listener's default action forwards
 * to the default fleets, so it depends on their ASGs; an anchor on it would close a dependency
 * cycle (listener -> ASG -> anchor -> listener). The anchor listener's port is not opened in the
 * load balancer's security group, so nothing from outside reaches it.
 *
 * Pure TypeScript (no cdktf import).
 */
import { ConfigError } from "../core/errors";
import { EMPTY_LISTENER_LOCK, type ListenerLock } from "../lock/stack-lock-data";
import { FULL_PRIORITY_RANGE } from "../routing/priorities";
import { allocatePriorities } from "../routing/priority-allocation";
import type { ConditionConfig } from "./listener-actions";

/** Port of the anchor listener; the security group never admits it. */
export const ANCHOR_LISTENER_PORT = 65535;

/**
 * Defence in depth should the port ever be opened: the limited-broadcast address can never be
 * the source of a TCP connection (a handshake needs a reply to it), and unlike a secret header
 * it cannot leak and let someone bypass maintenance mode.
 */
export const ANCHOR_SOURCE_IP = "255.255.255.255/32";

export const ANCHOR_CONDITION: ConditionConfig = { sourceIp: { values: [ANCHOR_SOURCE_IP] } };

/**
 * Priorities of the anchor rules, keyed by fleet name, from the anchor listener's lock section:
 * a fleet keeps its number while it exists, a new fleet takes a fresh one (never a number another
 * fleet held: its deleted rule may still hold it mid-apply, and AWS answers `PriorityInUse`).
 * Anchor rules never overlap in what they route (nothing), so they need no order.
 */
export function allocateAnchorRules(
  fleetNames: readonly string[],
  previous: ListenerLock = EMPTY_LISTENER_LOCK,
): { priorities: Map<string, number>; lock: ListenerLock } {
  const nodes = [...new Set(fleetNames)].sort().map((key) => ({ key, range: FULL_PRIORITY_RANGE }));
  const result = allocatePriorities(nodes, [], previous);
  if (result.problems.length > 0) {
    throw new ConfigError([
      {
        field: "anchor listener",
        value: fleetNames.length,
        limit: "has no free priority left that no anchor rule ever held (see the stack lock file's anchorRules.released)",
        fix: 'after deploying, delete the "released" entries of anchorRules from the stack lock file and synthesize again',
      },
    ]);
  }
  return { priorities: new Map(result.priorities), lock: result.lock };
}

/** Fresh anchor priorities, keyed by fleet name (no lock): `allocateAnchorRules(names).priorities`. */
export function anchorPriorities(fleetNames: readonly string[], previous: ListenerLock = EMPTY_LISTENER_LOCK): Map<string, number> {
  return allocateAnchorRules(fleetNames, previous).priorities;
}
