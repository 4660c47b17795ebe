/**
 * The stack lock file on disk (or in memory, for tests): one object per stack, read when the first
 * construct opens it, updated by the constructs during construction, written after synthesis
 * succeeded, refused instead in frozen mode. See STACK-LOCK.md beside this file.
 */
import { resolve } from "node:path";
import { App, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { ConfigError } from "../core/errors";
import {
  describeLockChanges,
  emptyStackLock,
  isEmptyStackLock,
  parseStackLock,
  routerLockOf,
  serializeStackLock,
  statefulFleetOf,
  withRouterLock,
  withStatefulFleet,
  type RouterLock,
  type StackLockData,
  type StatefulFleetRecord,
} from "./stack-lock-data";
import { InMemoryStackLock, LOCK_MODE_ENV, StackLockFile, type StackLockStore } from "./stack-lock-store";

export * from "./stack-lock-store";

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
  private readonly previousText: string | undefined;

  private constructor(
    readonly stack: TerraformStack,
    readonly store: StackLockStore,
  ) {
    this.previousText = store.read();
    this.previous = this.previousText === undefined ? emptyStackLock() : parseStackLock(this.previousText, store.location);
    // Routers that nobody records in this synthesis are gone from the stack: drop their sections.
    this.next = { ...this.previous, routers: {} };
    // In-memory locks are written when the stack validates (tests synthesize stacks, not apps).
    stack.node.addValidation({
      validate: () => {
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

  /** Records (or, with undefined, removes) a stateful fleet. Unrecorded entries are kept as read. */
  recordStatefulFleet(qualifiedName: string, record: StatefulFleetRecord | undefined): void {
    this.next = withStatefulFleet(this.next, qualifiedName, record);
  }

  /** The lock as the constructs recorded it so far. */
  get pending(): StackLockData {
    return this.next;
  }

  /** What writing would change, one line per entry; empty when the lock stays as it is. */
  changes(): string[] {
    if (this.previousText === undefined) return isEmptyStackLock(this.next) ? [] : ["(the lock file does not exist yet)", ...describeLockChanges(emptyStackLock(), this.next)];
    return serializeStackLock(this.previous) === serializeStackLock(this.next) ? [] : describeLockChanges(this.previous, this.next);
  }

  /** Frozen-mode problems: a lock that would change, named with its file and the changes. */
  problems(): string[] {
    if (this.store.mode !== "frozen") return [];
    const changes = this.changes();
    if (changes.length === 0) return [];
    const shown = changes.slice(0, 20).map((c) => `\n    ${c}`).join("");
    return [
      `stack lock ${this.store.location} would change, but locks are frozen (${LOCK_MODE_ENV}=frozen, or CI=true):${shown}${changes.length > 20 ? `\n    ... and ${changes.length - 20} more` : ""}\n  ` +
        `Fix: synthesize locally (npx cdktf synth) and commit the updated lock file; ${LOCK_MODE_ENV}=write writes it even under CI.`,
    ];
  }

  /** Writes the new lock if it changed (never in frozen mode). Returns whether it wrote. */
  write(): boolean {
    if (this.store.mode === "frozen" || this.changes().length === 0) return false;
    this.store.write(serializeStackLock(this.next));
    return true;
  }
}
