/**
 * The stack lock file as data: its types, a strict reader that checks every value, and a stable
 * serialization (see STACK-LOCK.md beside this file for what the file is for).
 * Pure: no cdktf import; the file itself is handled by stack-lock.ts.
 */
import { ConfigError, jsonPathKey, type Violation, Violations } from "../core/errors";
import { parseStrictJson } from "../config/json-parser";

export const LOCK_VERSION = 1;
export const LOCK_ABOUT = "Written by cdktf-app-fleets when the stack is synthesized. Commit it with the configuration.";

/** Listener-rule priorities ALB accepts. */
export const LOCK_PRIORITY_MIN = 1;
export const LOCK_PRIORITY_MAX = 50000;

/**
 * The priorities of one listener's rules. `held`: rule key -> the number its rule has.
 * `released`: tombstones, rule key -> a number a rule had; never given to another key (the deployed
 * rule may hold it until the apply that deletes or moves it finishes). A rule that moved keeps its
 * old number as the tombstone `<key>@<old number>`.
 */
export interface ListenerLock {
  readonly held: Readonly<Record<string, number>>;
  readonly released: Readonly<Record<string, number>>;
  /**
   * Held key -> a short hash of what the rule matches and where it sends it, when it got its
   * number: when an edit makes two rules disagree with their numbers, the edited one moves.
   * Absent in a lock without it (then no rule counts as edited).
   */
  readonly fingerprints?: Readonly<Record<string, string>>;
}

/** One router's listeners: its traffic listener (HTTPS, or HTTP-only) and its anchor listener. */
export interface RouterLock {
  readonly trafficRules: ListenerLock;
  readonly anchorRules: ListenerLock;
}

export type StatefulFleetStatus = "in-service" | "retiring";
export const STATEFUL_FLEET_STATUSES: readonly StatefulFleetStatus[] = ["in-service", "retiring"];

export interface StatefulFleetRecord {
  readonly status: StatefulFleetStatus;
}

export interface StackLockData {
  readonly lockVersion: typeof LOCK_VERSION;
  /** Router name -> its listeners' priorities. */
  readonly routers: Readonly<Record<string, RouterLock>>;
  /** Qualified fleet name (`<namespace>-<name>`) -> record. */
  readonly statefulFleets: Readonly<Record<string, StatefulFleetRecord>>;
}

export const EMPTY_LISTENER_LOCK: ListenerLock = Object.freeze({ held: Object.freeze({}), released: Object.freeze({}) });
export const EMPTY_ROUTER_LOCK: RouterLock = Object.freeze({ trafficRules: EMPTY_LISTENER_LOCK, anchorRules: EMPTY_LISTENER_LOCK });

export function emptyStackLock(): StackLockData {
  return { lockVersion: LOCK_VERSION, routers: {}, statefulFleets: {} };
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);

function checkKeys(v: Violations, where: string, value: Obj, allowed: readonly string[], required: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key))
      v.add(
        `${where}.${key}`,
        value[key],
        "is not a known lock file entry",
        `remove it (known: ${allowed.join(", ")}), or synthesize again to rewrite the file`,
      );
  }
  for (const key of required) {
    if (!(key in value))
      v.add(
        `${where}.${key}`,
        undefined,
        "is missing",
        "restore it from version control, or delete the lock file and synthesize again (every rule then gets a fresh priority)",
      );
  }
}

/** Checks one listener section; returns it typed, or undefined when broken (problems added to `v`). */
export function checkListenerLock(v: Violations, where: string, value: unknown): ListenerLock | undefined {
  if (!isObj(value)) {
    v.add(where, value, 'must be an object with "held" and "released"', "restore it from version control");
    return undefined;
  }
  checkKeys(v, where, value, ["held", "released", "fingerprints"], ["held", "released"]);
  const owners = new Map<number, string>();
  const sections: Record<string, Record<string, number>> = {};
  let ok = true;
  for (const part of ["held", "released"] as const) {
    const map = value[part];
    sections[part] = {};
    if (!isObj(map)) {
      if (map !== undefined) v.add(`${where}.${part}`, map, "must be an object of rule key -> priority", "restore it from version control");
      ok = false;
      continue;
    }
    for (const [key, priority] of Object.entries(map)) {
      const field = `${where}.${part}[${JSON.stringify(key)}]`;
      if (key.length === 0) {
        v.add(field, key, "is an empty rule key", "delete the entry");
        ok = false;
        continue;
      }
      if (typeof priority !== "number" || !Number.isInteger(priority) || priority < LOCK_PRIORITY_MIN || priority > LOCK_PRIORITY_MAX) {
        v.add(
          field,
          priority,
          `must be a listener-rule priority, an integer ${LOCK_PRIORITY_MIN}-${LOCK_PRIORITY_MAX}`,
          "delete the entry and synthesize again: the rule gets a fresh number",
        );
        ok = false;
        continue;
      }
      const other = owners.get(priority);
      if (other !== undefined) {
        v.add(
          field,
          priority,
          `is also ${other}; one listener cannot give one priority to two rules (this is what merging two branches that each added a rule produces)`,
          "delete one of the two entries and synthesize again: that rule gets a fresh number",
        );
        ok = false;
      }
      owners.set(priority, `${part}[${JSON.stringify(key)}]`);
      sections[part][key] = priority;
    }
  }
  for (const key of Object.keys(sections.held ?? {})) {
    if (key in (sections.released ?? {})) {
      v.add(
        `${where}.released[${JSON.stringify(key)}]`,
        sections.released[key],
        `rule key ${JSON.stringify(key)} is both held and released`,
        "delete the released entry and synthesize again",
      );
      ok = false;
    }
  }
  let fingerprints: Record<string, string> | undefined;
  if (value.fingerprints !== undefined) {
    if (!isObj(value.fingerprints)) {
      v.add(`${where}.fingerprints`, value.fingerprints, "must be an object of rule key -> fingerprint", "delete it and synthesize again");
      ok = false;
    } else {
      fingerprints = {};
      for (const [key, print] of Object.entries(value.fingerprints)) {
        const field = `${where}.fingerprints[${JSON.stringify(key)}]`;
        if (typeof print !== "string" || !/^[0-9a-f]{1,64}$/.test(print)) {
          v.add(field, print, "must be a hexadecimal fingerprint", "delete the entry and synthesize again");
          ok = false;
        } else if (!(key in (sections.held ?? {}))) {
          v.add(
            field,
            print,
            `is the fingerprint of rule key ${JSON.stringify(key)}, which the listener does not hold`,
            "delete the entry and synthesize again",
          );
          ok = false;
        } else fingerprints[key] = print;
      }
    }
  }
  return ok ? { held: sections.held, released: sections.released, ...(fingerprints ? { fingerprints } : {}) } : undefined;
}

/** Checks a whole lock value (already parsed), collecting every problem. */
export function checkStackLock(value: unknown, file: string): { data?: StackLockData; violations: Violations } {
  const v = new Violations();
  if (!isObj(value)) {
    v.add(
      file,
      value,
      "must be a JSON object (a cdktf-app-fleets stack lock)",
      "restore it from version control, or delete it and synthesize again",
    );
    return { violations: v };
  }
  checkKeys(v, file, value, ["lockVersion", "about", "routers", "statefulFleets"], ["lockVersion"]);
  if (value.lockVersion !== LOCK_VERSION) {
    v.add(
      `${file}.lockVersion`,
      value.lockVersion,
      `must be ${LOCK_VERSION}, the only lock format this version of cdktf-app-fleets reads`,
      "upgrade cdktf-app-fleets, or restore the file from version control",
    );
  }
  if (value.about !== undefined && typeof value.about !== "string")
    v.add(`${file}.about`, value.about, "must be a string", "delete it; synthesis writes it back");
  const routers: Record<string, RouterLock> = {};
  if (value.routers !== undefined) {
    if (!isObj(value.routers)) {
      v.add(`${file}.routers`, value.routers, "must be an object of router name -> listeners", "restore it from version control");
    } else {
      for (const [name, router] of Object.entries(value.routers)) {
        const where = `${file}.routers[${JSON.stringify(name)}]`;
        if (!isObj(router)) {
          v.add(where, router, 'must be an object with "trafficRules" and "anchorRules"', "restore it from version control");
          continue;
        }
        checkKeys(v, where, router, ["trafficRules", "anchorRules"], []);
        const trafficRules =
          router.trafficRules === undefined ? EMPTY_LISTENER_LOCK : checkListenerLock(v, `${where}.trafficRules`, router.trafficRules);
        const anchorRules =
          router.anchorRules === undefined ? EMPTY_LISTENER_LOCK : checkListenerLock(v, `${where}.anchorRules`, router.anchorRules);
        if (trafficRules && anchorRules) routers[name] = { trafficRules, anchorRules };
      }
    }
  }
  const statefulFleets: Record<string, StatefulFleetRecord> = {};
  if (value.statefulFleets !== undefined) {
    if (!isObj(value.statefulFleets)) {
      v.add(
        `${file}.statefulFleets`,
        value.statefulFleets,
        "must be an object of qualified fleet name -> { status }",
        "restore it from version control",
      );
    } else {
      for (const [name, record] of Object.entries(value.statefulFleets)) {
        const where = `${file}.statefulFleets[${JSON.stringify(name)}]`;
        if (!isObj(record)) {
          v.add(where, record, 'must be an object such as { "status": "in-service" }', "restore it from version control");
          continue;
        }
        checkKeys(v, where, record, ["status"], ["status"]);
        if (!STATEFUL_FLEET_STATUSES.includes(record.status as StatefulFleetStatus)) {
          v.add(
            `${where}.status`,
            record.status,
            `must be one of ${STATEFUL_FLEET_STATUSES.map((s) => `"${s}"`).join(", ")}`,
            "restore it from version control",
          );
          continue;
        }
        statefulFleets[name] = { status: record.status as StatefulFleetStatus };
      }
    }
  }
  return v.isEmpty ? { data: { lockVersion: LOCK_VERSION, routers, statefulFleets }, violations: v } : { violations: v };
}

/**
 * Reads a lock file's text, checking every value. The JSON is read by the configuration files'
 * strict reader (lib/config/json-parser.ts): duplicate keys and merge conflict markers are refused
 * with their JSON path, line and column.
 * @throws ConfigError naming the file and each broken entry
 */
export function parseStackLock(text: string, file: string): StackLockData {
  let value: unknown;
  try {
    value = parseStrictJson(text, file);
  } catch (e) {
    if (!ConfigError.isConfigError(e)) throw e;
    throw new ConfigError(
      e.violations.map((v) => ({
        ...v,
        limit: `is not valid lock file JSON: ${v.limit}`,
        fix: `${v.fix}, then synthesize again (or restore the lock file from version control: synthesis rewrites it)`,
      })),
    );
  }
  const { data, violations } = checkStackLock(value, file);
  violations.throwIfAny();
  return data!;
}

function sortedByPriority(map: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(map).sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)));
}

function sortedByKey<T>(map: Readonly<Record<string, T>>): [string, T][] {
  return Object.entries(map).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** A router section with nothing in it needs no entry in the file. */
function isEmptyRouter(r: RouterLock): boolean {
  return [r.trafficRules, r.anchorRules].every((l) => Object.keys(l.held).length === 0 && Object.keys(l.released).length === 0);
}

/** The file's text: keys in a fixed order, maps sorted (rules by priority) so a diff reads like the rule table. */
export function serializeStackLock(data: StackLockData): string {
  const listener = (l: ListenerLock) => ({
    held: sortedByPriority(l.held),
    released: sortedByPriority(l.released),
    ...(l.fingerprints && Object.keys(l.fingerprints).length > 0 ? { fingerprints: Object.fromEntries(sortedByKey(l.fingerprints)) } : {}),
  });
  const out = {
    lockVersion: LOCK_VERSION,
    about: LOCK_ABOUT,
    routers: Object.fromEntries(
      sortedByKey(data.routers)
        .filter(([, r]) => !isEmptyRouter(r))
        .map(([name, r]) => [name, { trafficRules: listener(r.trafficRules), anchorRules: listener(r.anchorRules) }]),
    ),
    statefulFleets: Object.fromEntries(sortedByKey(data.statefulFleets).map(([name, r]) => [name, { status: r.status }])),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** Whether a lock holds anything worth writing. */
export function isEmptyStackLock(data: StackLockData): boolean {
  return Object.values(data.routers).every(isEmptyRouter) && Object.keys(data.statefulFleets).length === 0;
}

/** The router's section, or an empty one. */
export function routerLockOf(data: StackLockData, router: string): RouterLock {
  return Object.prototype.hasOwnProperty.call(data.routers, router) ? data.routers[router] : EMPTY_ROUTER_LOCK;
}

export function withRouterLock(data: StackLockData, router: string, section: RouterLock): StackLockData {
  return { ...data, routers: { ...data.routers, [router]: section } };
}

/** The record of a stateful fleet, if the lock has one. */
export function statefulFleetOf(data: StackLockData, qualifiedName: string): StatefulFleetRecord | undefined {
  return Object.prototype.hasOwnProperty.call(data.statefulFleets, qualifiedName) ? data.statefulFleets[qualifiedName] : undefined;
}

export function withStatefulFleet(data: StackLockData, qualifiedName: string, record: StatefulFleetRecord | undefined): StackLockData {
  const statefulFleets = { ...data.statefulFleets };
  if (record) statefulFleets[qualifiedName] = record;
  else delete statefulFleets[qualifiedName];
  return { ...data, statefulFleets };
}

/** What changes from `before` to `after`, one line per entry, for frozen-mode messages. */
export function describeLockChanges(before: StackLockData, after: StackLockData): string[] {
  const lines: string[] = [];
  const routers = [...new Set([...Object.keys(before.routers), ...Object.keys(after.routers)])].sort();
  for (const router of routers) {
    for (const listener of ["trafficRules", "anchorRules"] as const) {
      for (const part of ["held", "released", "fingerprints"] as const) {
        const a: Readonly<Record<string, number | string>> = routerLockOf(before, router)[listener][part] ?? {};
        const b: Readonly<Record<string, number | string>> = routerLockOf(after, router)[listener][part] ?? {};
        const where = `routers.${router}.${listener}.${part}`;
        for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
          if (a[key] === b[key]) continue;
          lines.push(
            a[key] === undefined
              ? `${where}: add ${key} = ${b[key]}`
              : b[key] === undefined
                ? `${where}: remove ${key} (${a[key]})`
                : `${where}: ${key} ${a[key]} -> ${b[key]}`,
          );
        }
      }
    }
  }
  for (const name of [...new Set([...Object.keys(before.statefulFleets), ...Object.keys(after.statefulFleets)])].sort()) {
    const a = statefulFleetOf(before, name)?.status;
    const b = statefulFleetOf(after, name)?.status;
    if (a !== b) lines.push(`statefulFleets.${name}: ${a ?? "(none)"} -> ${b ?? "(none)"}`);
  }
  return lines;
}

// ---- stateful fleets: the removal guard (STACK-LOCK.md, "Stateful fleets: retiring one") ----

/**
 * What one synthesis saw of a fleet that names the lock: its stateful record, or `stateless`
 * (the fleet exists, but is not stateful).
 */
export type StatefulFleetSighting = StatefulFleetRecord | "stateless";

/** A stateful fleet the lock records `in-service` that this synthesis would remove without retiring it. */
export interface UnretiredRemoval {
  readonly qualifiedName: string;
  /** `missing`: no construct of the stack is that fleet any more; `stateless`: it is, but no longer stateful. */
  readonly how: "missing" | "stateless";
}

export interface StatefulFleetReview {
  /** The lock's next `statefulFleets` section. */
  readonly statefulFleets: Readonly<Record<string, StatefulFleetRecord>>;
  /** Removals to refuse: synthesis fails naming each. */
  readonly refused: readonly UnretiredRemoval[];
  /** Removals let through by the emergency override: synthesis warns naming each. */
  readonly overridden: readonly UnretiredRemoval[];
}

/**
 * The stateful-fleet step of a synthesis: fleets seen as stateful are recorded as they are now;
 * a record nobody renewed is dropped when the fleet was `retiring` (step 2 of a retirement), and
 * refused when it was `in-service`, unless `allowRemoval` names it (the emergency override).
 * A refused record stays in the next section, so nothing is lost if the lock is written anyway.
 */
export function reviewStatefulFleets(
  previous: Readonly<Record<string, StatefulFleetRecord>>,
  seen: ReadonlyMap<string, StatefulFleetSighting>,
  allowRemoval: readonly string[] = [],
): StatefulFleetReview {
  const next: Record<string, StatefulFleetRecord> = {};
  const refused: UnretiredRemoval[] = [];
  const overridden: UnretiredRemoval[] = [];
  for (const [name, sighting] of seen) if (sighting !== "stateless") next[name] = { status: sighting.status };
  for (const [name, record] of Object.entries(previous)) {
    if (name in next || record.status === "retiring") continue;
    const removal: UnretiredRemoval = { qualifiedName: name, how: seen.has(name) ? "stateless" : "missing" };
    if (allowRemoval.includes(name)) overridden.push(removal);
    else {
      refused.push(removal);
      next[name] = record;
    }
  }
  return { statefulFleets: next, refused, overridden };
}

/** The error of a refused removal: the fleet, the lock file, and the two-step fix. */
export function unretiredRemovalViolation(removal: UnretiredRemoval, lockLocation: string, overrideVariable: string): Violation {
  const gone =
    removal.how === "missing"
      ? "the stack no longer has it (its code or configuration entry was deleted, or it was renamed)"
      : "it is no longer stateful (its `stateful` option was removed)";
  return {
    field: `${lockLocation}: statefulFleets${jsonPathKey(removal.qualifiedName)}`,
    value: "in-service",
    limit:
      `records stateful fleet "${removal.qualifiedName}" in service, but ${gone}: deploying this would delete its Auto Scaling group ` +
      "and terminate its instances without draining them, and their data with them (Terraform forgets prevent_destroy together with the resource block)",
    fix:
      `restore fleet "${removal.qualifiedName}" as it was, then retire it in two changes, each deployed: 1. set stateful.retire: true ` +
      `(it drains and scales to zero; the lock records it "retiring"); 2. once it has no instances left, delete it. ` +
      `Emergency only: ${overrideVariable}=${removal.qualifiedName} removes it without draining`,
  };
}

/** The loud warning of a removal let through by the override. */
export function describeOverriddenRemoval(removal: UnretiredRemoval, lockLocation: string, overrideVariable: string): string {
  return (
    `${overrideVariable} names "${removal.qualifiedName}": removing stateful fleet "${removal.qualifiedName}", recorded "in-service" in ${lockLocation}, ` +
    `WITHOUT retiring it. Deploying this deletes its Auto Scaling group and terminates its instances without draining them; ` +
    `data that exists only on them is lost. Unset ${overrideVariable} unless that is what you want.`
  );
}
