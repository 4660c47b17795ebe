/**
 * Listener-rule priority bands. An ALB evaluates rules by priority, lowest first; each part of the
 * table gets a band, so precedence between the parts never depends on the rules themselves:
 *
 *   1-1000        maintenance (bypass copies, then the maintenance response); only while enabled
 *   1001-1999     override header
 *   2000-4999     host pins
 *   5000-50000    routes (and explicit route `priority` values)
 *
 * Inside a band, numbers come from the stack lock file (priority-allocation.ts, PRIORITIES.md).
 */
import type { PriorityRange } from "./priority-allocation";

export const PRIORITY_BANDS = {
  maintenance: { first: 1, last: 1000 },
  overrideHeader: { first: 1001, last: 1999 },
  hostPin: { first: 2000, last: 4999 },
  route: { first: 5000, last: 50000 },
} as const satisfies Record<string, PriorityRange>;

/** Every number a listener rule can have (the anchor listener uses all of them). */
export const FULL_PRIORITY_RANGE: PriorityRange = { first: 1, last: 50000 };
