/**
 * The stack lock file on disk (or in memory, for tests): one object per stack, read when the first
 * construct opens it, updated by the constructs during construction, written after synthesis
 * succeeded, refused instead in frozen mode. See STACK-LOCK.md beside this file.
 */
import { resolve } from "node:path";
import { Annotations, App, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { ConfigError } from "../core/errors";
import {
  describeLockChanges,
  describeOverriddenRemoval,
  emptyStackLock,
  isEmptyStackLock,
  parseStackLock,
  reviewStatefulFleets,
  routerLockOf,
  serializeStackLock,
  statefulFleetOf,
  withRouterLock,
  type RouterLock,
  type StackLockData,
  type StatefulFleetRecord,
  type StatefulFleetReview,
  type StatefulFleetSighting,
  unretiredRemovalViolation,
} from "./stack-lock-data";
import {
  ALLOW_STATEFUL_REMOVAL_ENV,
  allowedStatefulRemovals,
  InMemoryStackLock,
  LOCK_MODE_ENV,
  StackLockFile,
  type StackLockStore,
} from "./stack-lock-store";

const registries = new WeakMap<IConstruct, Registry>();

/** The locks of one app, and whether `synthAtomically` holds writes until the output is staged. */
class Registry {
  readonly locks = new Map<string | StackLockStore, StackLock>();
  holdWrites = false;
}

function registryOf(app: IConstruct, create: boolean): Registry | undefined {
  let registry = registries.get(app);
  if (!registry && create) {
    const created = new Registry();
    registries.set(app, created);
    // After every stack synthesized and validated: check frozen locks and write changed ones.
    app.node.addValidation({
      validate: () => {
        const problems = [...created.locks.values()].flatMap((l) => l.problems());
        if (problems.length > 0 || created.holdWrites) return problems;
        for (const l of created.locks.values()) l.write();
        return [];
      },
    });
    registry = created;
  }
  return registry;
}

/**
 * One stack's lock: the previous content (as read) and the next one (as the constructs record it).
 * Open it with `StackLock.open(scope, lockFile)`; every construct of one stack names the same lock.
 */
export class StackLock {
  /** The stack's lock for `lockFile` (a path or a store); created and read on first use. */
  static open(scope: IConstruct, lockFile: string | StackLockStore): StackLock {
    const stack = TerraformStack.of(scope);
    const root = stack.node.root;
    const registry = registryOf(root, true)!;
    const key = typeof lockFile === "string" ? resolve(lockFile) : lockFile;
    const existing = registry.locks.get(key);
    if (existing) {
      if (existing.stack !== stack) {
        throw new ConfigError([
          {
            field: `stack "${stack.node.path}" lockFile`,
            value: existing.store.location,
            limit: `is already the lock file of stack "${existing.stack.node.path}"; each stack needs its own lock file`,
            fix: "give each stack its own lock file, e.g. beside its configuration file",
          },
        ]);
      }
      return existing;
    }
    const store = typeof lockFile === "string" ? new StackLockFile(lockFile) : lockFile;
    const lock = new StackLock(stack, store);
    registry.locks.set(key, lock);
    return lock;
  }

  /** Stops the app-level validation from writing: `synthAtomically` writes after staging the output. */
  static holdWrites(app: App): void {
    const registry = registryOf(app, false);
    if (registry) registry.holdWrites = true;
  }

  /** Every lock of the app, for `synthAtomically`. */
  static allOf(app: IConstruct): readonly StackLock[] {
    return [...(registryOf(app, false)?.locks.values() ?? [])];
  }

  /** The lock as read when it was opened. */
  readonly previous: StackLockData;
  private next: StackLockData;
  private readonly recordedRouters = new Set<string>();
  /** Fleets that named this lock in this synthesis, by qualified name: their stateful record, or "stateless". */
  private readonly sightings = new Map<string, StatefulFleetSighting>();
  private readonly previousText: string | undefined;
  private warnedOverrides = false;

  private constructor(
    readonly stack: TerraformStack,
    readonly store: StackLockStore,
  ) {
    this.previousText = store.read();
    this.previous = this.previousText === undefined ? emptyStackLock() : parseStackLock(this.previousText, store.location);
    // Routers that nobody records in this synthesis are gone from the stack: drop their sections.
    this.next = { ...this.previous, routers: {} };
    // The stateful-fleet guard runs in every mode: a stateful fleet recorded in-service must not
    // vanish. In-memory locks are written when the stack validates (tests synthesize stacks, not apps).
    stack.node.addValidation({
      validate: () => {
        // Thrown, not returned: a ConfigError prints as the short list, without a stack trace.
        this.checkStatefulFleets();
        this.warnAboutOverrides();
        if (this.store instanceof InMemoryStackLock) {
          const problems = this.problems();
          if (problems.length === 0) this.write();
          return problems;
        }
        return this.store.mode === "frozen" ? this.problems() : [];
      },
    });
  }

  /** A router's section as read (empty when the lock has none). */
  routerLock(router: string): RouterLock {
    return routerLockOf(this.previous, router);
  }

  /** Records a router's new section; each router of the stack records once. */
  recordRouter(router: string, section: RouterLock): void {
    if (this.recordedRouters.has(router)) {
      throw new ConfigError([
        {
          field: `TrafficRouter "${router}" lockFile`,
          value: this.store.location,
          limit: "is used by two routers of that name in one stack; the lock keeps one section per router name",
          fix: "give the routers of one stack different names",
        },
      ]);
    }
    this.recordedRouters.add(router);
    this.next = withRouterLock(this.next, router, section);
  }

  /** The lock's record of a stateful fleet (by qualified name), as read. */
  statefulFleet(qualifiedName: string): StatefulFleetRecord | undefined {
    return statefulFleetOf(this.previous, qualifiedName);
  }

  /** Every stateful fleet the lock recorded, as read. */
  statefulFleets(): Readonly<Record<string, StatefulFleetRecord>> {
    return this.previous.statefulFleets;
  }

  /**
   * Records a fleet of the stack, by qualified name: its stateful record (`in-service`, or `retiring`
   * once `stateful.retire` is set), or `"stateless"` for a fleet that is not stateful. Every fleet
   * records itself once per synthesis. A record that no fleet renews is the removal guard's business
   * (see `reviewStatefulFleets`): dropped when it was `retiring`, refused when it was `in-service`.
   */
  recordStatefulFleet(qualifiedName: string, record: StatefulFleetSighting): void {
    if (this.sightings.has(qualifiedName)) {
      throw new ConfigError([
        {
          field: `AppServerGroup "${qualifiedName}" lockFile`,
          value: this.store.location,
          limit: "is used by two fleets of that qualified name (<namespace>-<name>) in one stack; the lock keeps one record per fleet",
          fix: "give the fleets of one stack different names",
        },
      ]);
    }
    this.sightings.set(qualifiedName, record);
  }

  /** The stateful-fleet step of this synthesis: the next records, and the removals refused or let through. */
  statefulFleetReview(): StatefulFleetReview {
    return reviewStatefulFleets(this.previous.statefulFleets, this.sightings, allowedStatefulRemovals());
  }

  /**
   * The removal guard: refuses a synthesis that would remove a stateful fleet the lock records
   * `in-service` (deleted, renamed, or no longer stateful) without retiring it first.
   * @throws ConfigError naming each such fleet, the lock file and the two-step fix
   */
  checkStatefulFleets(): void {
    const refused = this.statefulFleetReview().refused;
    if (refused.length > 0)
      throw new ConfigError(refused.map((r) => unretiredRemovalViolation(r, this.store.location, ALLOW_STATEFUL_REMOVAL_ENV)));
  }

  /** The lock as the constructs recorded it so far. */
  get pending(): StackLockData {
    return { ...this.next, statefulFleets: this.statefulFleetReview().statefulFleets };
  }

  /** The override's warning, once per synthesis, on the stack: cdktf prints it with the synth output. */
  private warnAboutOverrides(): void {
    if (this.warnedOverrides) return;
    this.warnedOverrides = true;
    for (const removal of this.statefulFleetReview().overridden) {
      Annotations.of(this.stack).addWarning(describeOverriddenRemoval(removal, this.store.location, ALLOW_STATEFUL_REMOVAL_ENV));
    }
  }

  /** What writing would change, one line per entry; empty when the lock stays as it is. */
  changes(): string[] {
    const next = this.pending;
    if (this.previousText === undefined)
      return isEmptyStackLock(next) ? [] : ["(the lock file does not exist yet)", ...describeLockChanges(emptyStackLock(), next)];
    return serializeStackLock(this.previous) === serializeStackLock(next) ? [] : describeLockChanges(this.previous, next);
  }

  /** Frozen-mode problems: a lock that would change, named with its file and the changes. */
  problems(): string[] {
    if (this.store.mode !== "frozen") return [];
    const changes = this.changes();
    if (changes.length === 0) return [];
    const shown = changes
      .slice(0, 20)
      .map((c) => `\n    ${c}`)
      .join("");
    return [
      `stack lock ${this.store.location} would change, but locks are frozen (${LOCK_MODE_ENV}=frozen, or CI=true):${shown}${changes.length > 20 ? `\n    ... and ${changes.length - 20} more` : ""}\n  ` +
        `Fix: synthesize locally (npx cdktf synth) and commit the updated lock file; ${LOCK_MODE_ENV}=write writes it even under CI.`,
    ];
  }

  /**
   * Writes the new lock if it changed (never in frozen mode). Returns whether it wrote.
   * @throws ConfigError when a stateful fleet would be removed without retiring it: even with
   *   validation skipped, the guard is never written away
   */
  write(): boolean {
    this.checkStatefulFleets();
    if (this.store.mode === "frozen" || this.changes().length === 0) return false;
    this.store.write(serializeStackLock(this.pending));
    return true;
  }
}
