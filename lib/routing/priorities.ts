/**
 * Listener-rule priority layout. Terraform replaces a listener rule whose priority changes, so a
 * rule's priority must depend only on the rule itself, never on its neighbours in the table.
 * The full reasoning is in PRIORITIES.md next to this file.
 *
 *   1-1000        maintenance window rules (exist only while maintenance is enabled; numbered in order)
 *   1001-1999     override header rules (hash of the fleet name)
 *   2000-4999     host pins (specificity class, then hash of fleet name and pack index)
 *   5000-50000    routes (specificity class, then hash of route name and pack index; or explicit `priority`)
 */
import { wildcardSpecificity } from "./wildcard";

export interface PriorityRange {
  readonly first: number;
  readonly last: number;
}

export const PRIORITY_BANDS = {
  maintenance: { first: 1, last: 1000 },
  overrideHeader: { first: 1001, last: 1999 },
  hostPin: { first: 2000, last: 4999 },
  route: { first: 5000, last: 50000 },
} as const satisfies Record<string, PriorityRange>;

/** 32-bit FNV-1a: tiny, deterministic across platforms and Node versions, good enough spread. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Slot of a key inside a range: `first + hash(key) mod size`. */
export function hashedSlot(key: string, range: PriorityRange): number {
  return range.first + (stableHash(key) % (range.last - range.first + 1));
}

/**
 * Path specificities above this share one class. Patterns that long are rare, and a finer split
 * would shrink every class and make hash collisions likelier.
 */
export const ROUTE_SPECIFICITY_CAP = 40;
/** Two sub-classes per path specificity: with and without further (host, header, method...) conditions. */
export const ROUTE_CLASS_COUNT = (ROUTE_SPECIFICITY_CAP + 1) * 2;
export const ROUTE_SLOTS_PER_CLASS = Math.floor(
  (PRIORITY_BANDS.route.last - PRIORITY_BANDS.route.first + 1) / ROUTE_CLASS_COUNT,
);

/**
 * Specificity class of a route rule, 0 (broadest) to ROUTE_CLASS_COUNT-1 (most specific).
 * Primary key: the specificity of the rule's path patterns (packing puts only patterns of equal
 * specificity into one rule); a rule without a path condition counts as `*` (0).
 * Secondary key: whether the rule has any other condition kind. A rule that covers another never has
 * a strictly higher class (see `wildcardSpecificity`), so classes alone never invert containment.
 */
export function routeClass(pathSpecificity: number, hasOtherConditions: boolean): number {
  return Math.min(pathSpecificity, ROUTE_SPECIFICITY_CAP) * 2 + (hasOtherConditions ? 1 : 0);
}

/** Priority range of a route class; more specific classes get lower numbers (evaluated first). */
export function routeClassRange(cls: number): PriorityRange {
  const first = PRIORITY_BANDS.route.first + (ROUTE_CLASS_COUNT - 1 - cls) * ROUTE_SLOTS_PER_CLASS;
  return { first, last: first + ROUTE_SLOTS_PER_CLASS - 1 };
}

/** Inverse of `routeClassRange`, for messages; undefined outside the hashed part of the band. */
export function routeClassOfPriority(priority: number): number | undefined {
  const offset = priority - PRIORITY_BANDS.route.first;
  if (offset < 0) return undefined;
  const index = Math.floor(offset / ROUTE_SLOTS_PER_CLASS);
  return index < ROUTE_CLASS_COUNT ? ROUTE_CLASS_COUNT - 1 - index : undefined;
}

export const HOST_SPECIFICITY_CAP = 59;
const HOST_CLASS_COUNT = HOST_SPECIFICITY_CAP + 1;
const HOST_SLOTS_PER_CLASS = Math.floor((PRIORITY_BANDS.hostPin.last - PRIORITY_BANDS.hostPin.first + 1) / HOST_CLASS_COUNT);

/** Host pins: a more specific host (`assets4.example.com`) is evaluated before a broader one (`*.example.com`). */
export function hostPinClassRange(hostPattern: string): PriorityRange {
  const cls = Math.min(wildcardSpecificity(hostPattern), HOST_SPECIFICITY_CAP);
  const first = PRIORITY_BANDS.hostPin.first + (HOST_CLASS_COUNT - 1 - cls) * HOST_SLOTS_PER_CLASS;
  return { first, last: first + HOST_SLOTS_PER_CLASS - 1 };
}

/**
 * Claims `hashedSlot(key)` in `range`, probing forward (wrapping inside the range) when taken.
 * Used for override-header and host-pin rules only: there are few of them, they carry no user-set
 * priority, and a collision among them is the one case where adding one can move another.
 */
export function claimProbing(key: string, range: PriorityRange, taken: Set<number>): number | undefined {
  const size = range.last - range.first + 1;
  const start = hashedSlot(key, range) - range.first;
  for (let i = 0; i < size; i++) {
    const p = range.first + ((start + i) % size);
    if (!taken.has(p)) {
      taken.add(p);
      return p;
    }
  }
  return undefined;
}
