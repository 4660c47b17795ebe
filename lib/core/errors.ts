/**
 * Errors for bad configuration. Every message names the field, the bad value, the limit
 * it breaks and the fix, so a user can correct the input without reading our source.
 *
 * One location format from file to construct: `<file>: <json path>`, e.g.
 * `production.json: fleets.rails4.capacity.desired`; for props given in code, the construct:
 * `AppServerGroup "rails4" (web/rails4) capacity.desired`. `FieldLocation` builds both.
 */

/** One broken rule in a user's input. */
export interface Violation {
  /** Where the bad value sits, e.g. `production.json: fleets.rails4.capacity.min`. */
  readonly field: string;
  /** The value that was given. */
  readonly value: unknown;
  /** The rule or limit the value breaks, e.g. `must be at most 32 characters`. */
  readonly limit: string;
  /** What to change. */
  readonly fix: string;
}

/** Characters of a string value shown in a message; longer values are cut, with their length. */
export const MESSAGE_VALUE_CHARS = 80;
/** Characters of an object or list value shown in a message. */
const MESSAGE_STRUCTURE_CHARS = 160;
/** Nesting shown of an object or list value; deeper parts print as `{…}` / `[…]`. */
const MESSAGE_STRUCTURE_DEPTH = 3;
/** Violations listed by one error message; the rest are counted. */
export const MESSAGE_MAX_VIOLATIONS = 50;

/** Renders one violation as a single line. */
export function formatViolation(v: Violation): string {
  return `${v.field} = ${renderValue(v.value)}: ${v.limit}. Fix: ${v.fix}`;
}

/**
 * A value as it appears in a message: JSON-like, short, and safe for any input (a 10 MB
 * string, a list of a million items, an object nested a thousand deep, a cycle).
 */
export function renderValue(value: unknown): string {
  if (typeof value === "string") return renderString(value);
  if (typeof value !== "object" || value === null) return String(value);
  const budget = { left: MESSAGE_STRUCTURE_CHARS };
  const text = renderStructure(value, MESSAGE_STRUCTURE_DEPTH, budget, new Set());
  return budget.left < 0 ? `${text.slice(0, MESSAGE_STRUCTURE_CHARS)}…` : text;
}

function renderString(value: string): string {
  if (value.length <= MESSAGE_VALUE_CHARS) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, MESSAGE_VALUE_CHARS - 3))}… (${value.length} characters)`;
}

function renderStructure(value: object, depth: number, budget: { left: number }, seen: Set<object>): string {
  if (seen.has(value)) return "(cycle)";
  const isArray = Array.isArray(value);
  if (depth === 0) return isArray ? "[…]" : "{…}";
  seen.add(value);
  const parts: string[] = [];
  const entries: Iterable<[string, unknown]> = isArray
    ? (value as unknown[]).map((v, i) => [String(i), v] as [string, unknown])
    : ownEntries(value);
  for (const [key, item] of entries) {
    if (budget.left < 0) {
      parts.push("…");
      break;
    }
    const rendered =
      typeof item === "object" && item !== null
        ? renderStructure(item, depth - 1, budget, seen)
        : typeof item === "string"
          ? renderString(item)
          : String(item);
    const part = isArray
      ? rendered
      : `${JSON.stringify(key.length > MESSAGE_VALUE_CHARS ? `${key.slice(0, MESSAGE_VALUE_CHARS)}…` : key)}:${rendered}`;
    budget.left -= part.length + 1;
    parts.push(part);
  }
  seen.delete(value);
  return isArray ? `[${parts.join(",")}]` : `{${parts.join(",")}}`;
}

/** Own enumerable entries, read lazily so a huge object is not copied to show its first keys. */
function* ownEntries(value: object): Generator<[string, unknown]> {
  for (const key in value) {
    if (Object.prototype.hasOwnProperty.call(value, key)) yield [key, (value as Record<string, unknown>)[key]];
  }
}

/** Thrown when input is invalid; carries every violation found, not just the first. */
export class ConfigError extends Error {
  readonly violations: readonly Violation[];

  constructor(violations: readonly Violation[]) {
    const unique = dedupe(violations);
    super(formatViolations(unique));
    this.name = "ConfigError";
    this.violations = unique;
  }

  static isConfigError(x: unknown): x is ConfigError {
    // By name too: two copies of this package (or a transpiled copy) break `instanceof`.
    return x instanceof ConfigError || (x instanceof Error && x.name === "ConfigError" && Array.isArray((x as ConfigError).violations));
  }
}

function formatViolations(violations: readonly Violation[]): string {
  if (violations.length === 1) return formatViolation(violations[0]);
  const listed = violations.slice(0, MESSAGE_MAX_VIOLATIONS).map(formatViolation);
  const more = violations.length - listed.length;
  return `${violations.length} configuration errors:\n  - ${listed.join("\n  - ")}${more > 0 ? `\n  - … and ${more} more` : ""}`;
}

/** The same value checked twice (once per fleet that reads it, say) is reported once. */
function dedupe(violations: readonly Violation[]): Violation[] {
  const seen = new Set<string>();
  return violations.filter((v) => {
    const key = `${v.field}\u0000${v.limit}\u0000${v.fix}\u0000${renderValue(v.value)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
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

  get size(): number {
    return this.list.length;
  }

  /** Throws a ConfigError if anything was collected. */
  throwIfAny(): void {
    if (this.list.length > 0) throw new ConfigError([...this.list]);
  }

  /** Runs `check`, collecting the violations of a ConfigError it throws; other errors pass through. */
  collect<T>(check: () => T): T | undefined {
    try {
      return check();
    } catch (error) {
      if (!ConfigError.isConfigError(error)) throw error;
      this.merge(error.violations);
      return undefined;
    }
  }
}

// ---- locations ----

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** One key of a JSON path: `.name`, or `["odd key"]` for keys that are not identifiers (cut when long). */
export function jsonPathKey(key: string): string {
  if (IDENTIFIER.test(key) && key.length <= MESSAGE_VALUE_CHARS) return `.${key}`;
  const shown = key.length > MESSAGE_VALUE_CHARS ? `${key.slice(0, MESSAGE_VALUE_CHARS - 3)}… (${key.length} characters)` : key;
  return `[${JSON.stringify(shown)}]`;
}

/** A JSON path from its segments: `["fleets", "rails4", "capacity"]` -> `fleets.rails4.capacity`; numbers are indexes. */
export function jsonPath(segments: readonly (string | number)[]): string {
  return segments
    .map((s) => (typeof s === "number" ? `[${s}]` : jsonPathKey(s)))
    .join("")
    .replace(/^\./, "");
}

/** Appends a relative field (`capacity.min`, `[0].name`, or "" for the base itself) to a path. */
export function joinFieldPath(base: string, relative: string): string {
  if (relative === "") return base;
  if (base === "") return relative.replace(/^\./, "");
  return relative.startsWith("[") || relative.startsWith(".") ? `${base}${relative}` : `${base}.${relative}`;
}

/**
 * Where the fields of an error sit. Validation code names fields relative to what it checks
 * (`capacity.min`, `routes[0].match.paths[1]`) and asks its location for the full name.
 */
export abstract class FieldLocation {
  /** Fields of props given in code: `AppServerGroup "rails4" (web/rails4) capacity.min`. */
  static construct(description: string): FieldLocation {
    return new ConstructLocation(description);
  }

  /**
   * Fields of a configuration file: `production.json: fleets.rails4.capacity.min`.
   * @param base the JSON path of what is checked, e.g. `fleets.rails4`
   * @param renames relative fields (and all below them) whose place in the file differs,
   *   mapped to their JSON path from the file's root, e.g. `{ vpcId: "network.vpcId" }`
   */
  static file(file: string, base = "", renames: Readonly<Record<string, string>> = {}): FieldLocation {
    return new FileLocation(file, base, renames);
  }

  /**
   * A location from the text form older APIs take: `"staging.json: routing"` is that file and
   * path, a bare file name (`"routing.json"`) is the file's root, anything else a field prefix.
   */
  static parse(text: string): FieldLocation {
    const at = text.indexOf(": ");
    if (at > 0) return FieldLocation.file(text.slice(0, at), text.slice(at + 2));
    if (/\.json$/i.test(text)) return FieldLocation.file(text);
    return new PrefixLocation(text);
  }

  /** The full name of a field given relative to this location ("" names the location itself). */
  abstract field(relative: string): string;

  /** The location of a part: `location.at("capacity").field("min")` is `location.field("capacity.min")`. */
  at(relative: string): FieldLocation {
    return new NestedLocation(this, relative);
  }
}

class ConstructLocation extends FieldLocation {
  constructor(private readonly description: string) {
    super();
  }

  field(relative: string): string {
    return relative === "" ? this.description : `${this.description} ${relative.replace(/^\./, "")}`;
  }
}

class PrefixLocation extends FieldLocation {
  constructor(private readonly prefix: string) {
    super();
  }

  field(relative: string): string {
    return joinFieldPath(this.prefix, relative);
  }
}

class NestedLocation extends FieldLocation {
  constructor(
    private readonly parent: FieldLocation,
    private readonly path: string,
  ) {
    super();
  }

  field(relative: string): string {
    return this.parent.field(joinFieldPath(this.path, relative));
  }
}

class FileLocation extends FieldLocation {
  private readonly renameKeys: readonly string[];

  constructor(
    private readonly file: string,
    private readonly base: string,
    private readonly renames: Readonly<Record<string, string>>,
  ) {
    super();
    // Longest first, so `accessLogs.expirationDays` wins over `accessLogs`.
    this.renameKeys = Object.keys(renames).sort((a, b) => b.length - a.length);
  }

  field(relative: string): string {
    const path = toJsonPath(relative);
    for (const key of this.renameKeys) {
      if (path === key || path.startsWith(`${key}.`) || path.startsWith(`${key}[`)) {
        return this.named(joinFieldPath(this.renames[key], path.slice(key.length)));
      }
    }
    return this.named(joinFieldPath(this.base, path));
  }

  private named(path: string): string {
    return path === "" ? this.file : `${this.file}: ${path}`;
  }
}

/**
 * A field name as written by validation code, reduced to a JSON path: annotations that help in
 * code (`routes[0] "hoge"`, `hostPins (fleet "rails4")`) are dropped, since the path already
 * points at the entry in the file.
 */
function toJsonPath(field: string): string {
  let out = "";
  let i = 0;
  const skipQuoted = (from: number): number => {
    let j = from + 1;
    while (j < field.length && field[j] !== '"') j += field[j] === "\\" ? 2 : 1;
    return j + 1;
  };
  while (i < field.length) {
    const c = field[i];
    if (c === "[" && field[i + 1] === '"') {
      // A quoted key: copied as is, whatever it holds.
      const end = skipQuoted(i + 1) + 1;
      out += field.slice(i, end);
      i = end;
    } else if (c === " " && field[i + 1] === '"') {
      i = skipQuoted(i + 1);
    } else if (c === " " && field[i + 1] === "(") {
      let depth = 0;
      let j = i + 1;
      for (; j < field.length; j++) {
        if (field[j] === '"') j = skipQuoted(j) - 1;
        else if (field[j] === "(") depth++;
        else if (field[j] === ")" && --depth === 0) break;
      }
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out.trim();
}

// ---- printing ----

/** How cdktf (lib/errors.js `stackValidationFailure`) and `synthAtomically` start a validation failure. */
const VALIDATION_FAILURE = /^(App-level validation|Validation) failed with the following errors:/;
const SKIP_VALIDATION_HINT = /\n\s*If you wish to ignore these validations, pass 'skipValidation: true' to your App configuration\.\s*$/;

/**
 * What a command-line entry point prints when it fails: the short list of a ConfigError
 * (no stack trace: the user's input is wrong, not our code), the stack of anything else.
 */
export function describeFailure(error: unknown): string {
  if (ConfigError.isConfigError(error)) return error.message;
  // cdktf's stack and app validations (policy-pack findings, a router without a table) list problems
  // in the user's stack, each with its fix: the list is the message, cdktf's stack trace says nothing.
  // Its closing hint (skipValidation: true) would switch the policy pack off: dropped.
  if (error instanceof Error && VALIDATION_FAILURE.test(error.message)) return error.message.replace(SKIP_VALIDATION_HINT, "").trimEnd();
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * Prints a failure once, in one write (so a parent process that relays our stderr shows it as
 * one block), and returns the exit code: 1.
 */
export function reportFailure(error: unknown, write: (text: string) => void, prefix = ""): 1 {
  write(`${prefix}${describeFailure(error)}\n`);
  return 1;
}
