/**
 * Where a stack lock lives: a file (written atomically) or memory (tests), and whether synthesis may
 * write it (frozen mode, like `npm ci`). No cdktf import.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { ConfigError } from "../core/errors";

/** `write`: synthesis writes a changed lock. `frozen`: a lock that would change fails synthesis (like `npm ci`). */
export type StackLockMode = "write" | "frozen";

/** Environment variable: `frozen` or `write`, overriding the CI default. */
export const LOCK_MODE_ENV = "APP_FLEETS_LOCK";

/** Frozen under `CI=true` (or `APP_FLEETS_LOCK=frozen`); `APP_FLEETS_LOCK=write` writes even under CI. */
export function lockModeFromEnvironment(env: NodeJS.ProcessEnv = process.env): StackLockMode {
  const explicit = env[LOCK_MODE_ENV]?.trim().toLowerCase();
  if (explicit === "write" || explicit === "frozen") return explicit;
  if (explicit) {
    throw new ConfigError([
      {
        field: LOCK_MODE_ENV,
        value: env[LOCK_MODE_ENV],
        limit: 'must be "write" or "frozen"',
        fix: `unset it, or set ${LOCK_MODE_ENV}=frozen (fail when the lock would change) or ${LOCK_MODE_ENV}=write`,
      },
    ]);
  }
  const ci = env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== "" && ci !== "false" && ci !== "0" ? "frozen" : "write";
}

/**
 * Environment variable for emergencies: `<qualified fleet name>[,...]` lets synthesis remove stateful
 * fleets the lock records `in-service`, without retiring them (synth warns naming each).
 */
export const ALLOW_STATEFUL_REMOVAL_ENV = "APP_FLEETS_ALLOW_STATEFUL_REMOVAL";

/** The qualified fleet names `APP_FLEETS_ALLOW_STATEFUL_REMOVAL` lists (comma-separated). */
export function allowedStatefulRemovals(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env[ALLOW_STATEFUL_REMOVAL_ENV] ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
}

/** Where a stack lock lives. */
export interface StackLockStore {
  /** For messages: a file path, or a name. */
  readonly location: string;
  readonly mode: StackLockMode;
  /** The current text; undefined when there is no lock yet. */
  read(): string | undefined;
  /** Replaces the text. */
  write(text: string): void;
}

export interface StackLockFileOptions {
  /** @default - from the environment (lockModeFromEnvironment) */
  readonly mode?: StackLockMode;
}

/** A lock file on disk, written atomically (a temporary file beside it, then a rename). */
export class StackLockFile implements StackLockStore {
  /** The lock beside a configuration file: `production.json` -> `production.lock.json`. */
  static besideConfiguration(configFile: string, options: StackLockFileOptions = {}): StackLockFile {
    return new StackLockFile(configFile.replace(/(\.json)?$/, ".lock.json"), options);
  }

  readonly location: string;
  readonly mode: StackLockMode;

  constructor(path: string, options: StackLockFileOptions = {}) {
    this.location = resolve(path);
    this.mode = options.mode ?? lockModeFromEnvironment();
  }

  read(): string | undefined {
    return existsSync(this.location) ? readFileSync(this.location, "utf8") : undefined;
  }

  write(text: string): void {
    const temporary = join(dirname(this.location), `.${basename(this.location)}.${process.pid}.tmp`);
    try {
      writeFileSync(temporary, text, "utf8");
      const fd = openSync(temporary, "r");
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, this.location);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
  }
}

/** A lock held in memory: for tests, and for tools that want the result without a file. */
export class InMemoryStackLock implements StackLockStore {
  readonly mode: StackLockMode;
  private current: string | undefined;

  constructor(text?: string, options: { readonly location?: string; readonly mode?: StackLockMode } = {}) {
    this.current = text;
    this.location = options.location ?? "in-memory stack lock";
    this.mode = options.mode ?? "write";
  }

  readonly location: string;

  /** The lock's text after the last successful synthesis (or as given). */
  get text(): string | undefined {
    return this.current;
  }

  /** A copy that starts from this lock's current text: to synthesize an edit against the same baseline. */
  copy(): InMemoryStackLock {
    return new InMemoryStackLock(this.current, { location: this.location, mode: this.mode });
  }

  read(): string | undefined {
    return this.current;
  }

  write(text: string): void {
    this.current = text;
  }
}
