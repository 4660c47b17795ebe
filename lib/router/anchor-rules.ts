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

/** Listener rule priorities AWS allows. */
const PRIORITY_MIN = 1;
const PRIORITY_MAX = 50000;

/**
 * Priorities for anchor rules, keyed by fleet name. Each comes from a hash of the name, so adding
 * or removing a fleet leaves the others' priorities alone (a shifted priority is an extra API
 * call that can collide mid-apply); clashes probe to the next free slot in name order.
 */
export function anchorPriorities(fleetNames: readonly string[]): Map<string, number> {
  const span = PRIORITY_MAX - PRIORITY_MIN + 1;
  const taken = new Set<number>();
  const result = new Map<string, number>();
  for (const name of [...new Set(fleetNames)].sort()) {
    let slot = fnv1a(name) % span;
    while (taken.has(slot)) slot = (slot + 1) % span;
    taken.add(slot);
    result.set(name, PRIORITY_MIN + slot);
  }
  return result;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
