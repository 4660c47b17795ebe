/**
 * Errors for bad configuration. Every message names the field, the bad value, the limit
 * it breaks and the fix, so a user can correct the input without reading our source.
 */

/** One broken rule in a user's input. */
export interface Violation {
  /** Where the bad value sits, e.g. `AppServerGroup "rails4" capacity.min`. */
  readonly field: string;
  /** The value that was given. */
  readonly value: unknown;
  /** The rule or limit the value breaks, e.g. `must be at most 32 characters`. */
  readonly limit: string;
  /** What to change. */
  readonly fix: string;
}

/** Renders one violation as a single line. */
export function formatViolation(v: Violation): string {
  return `${v.field} = ${renderValue(v.value)}: ${v.limit}. Fix: ${v.fix}`;
}

function renderValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === undefined) return "undefined";
  try {
    const text = JSON.stringify(value);
    return text.length > 200 ? `${text.slice(0, 197)}...` : text;
  } catch {
    return String(value);
  }
}

/** Thrown when input is invalid; carries every violation found, not just the first. */
export class ConfigError extends Error {
  readonly violations: readonly Violation[];

  constructor(violations: readonly Violation[]) {
    super(
      violations.length === 1
        ? formatViolation(violations[0])
        : `${violations.length} configuration errors:\n  - ${violations.map(formatViolation).join("\n  - ")}`,
    );
    this.name = "ConfigError";
    this.violations = violations;
  }
}

/** Collects violations and throws them together, so a user fixes a config in one pass. */
export class Violations {
  private readonly list: Violation[] = [];

  add(field: string, value: unknown, limit: string, fix: string): this {
    this.list.push({ field, value, limit, fix });
    return this;
  }

  /** Adds the violation when `ok` is false. */
  check(ok: boolean, field: string, value: unknown, limit: string, fix: string): this {
    if (!ok) this.add(field, value, limit, fix);
    return this;
  }

  merge(other: Violations | readonly Violation[]): this {
    const items = other instanceof Violations ? other.all : other;
    this.list.push(...items);
    return this;
  }

  get all(): readonly Violation[] {
    return this.list;
  }

  get isEmpty(): boolean {
    return this.list.length === 0;
  }

  /** Throws a ConfigError if anything was collected. */
  throwIfAny(): void {
    if (this.list.length > 0) throw new ConfigError([...this.list]);
  }
}
