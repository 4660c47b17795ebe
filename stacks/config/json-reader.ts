/**
 * Reads untyped JSON with a path for every value, so each error points at the field
 * (`production.json: fleets.rails4.capacity.min`). Unknown keys are errors: a typo in a
 * configuration file must not be silently ignored.
 */
import { Violations } from "../../lib/core/errors";

type Json = unknown;

export class JsonReader {
  constructor(
    readonly value: Json,
    readonly path: string,
    readonly violations: Violations,
  ) {}

  private at(key: string): string {
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${this.path}.${key}` : `${this.path}[${JSON.stringify(key)}]`;
  }

  isObject(): boolean {
    return typeof this.value === "object" && this.value !== null && !Array.isArray(this.value);
  }

  /** Checks that this is an object with only the given keys. */
  object(allowed: readonly string[]): this {
    if (!this.isObject()) {
      this.violations.add(this.path, this.value, "must be an object", `write { ${allowed.map((k) => `"${k}": ...`).join(", ")} }`);
      return this;
    }
    for (const key of Object.keys(this.value as object)) {
      if (!allowed.includes(key)) {
        this.violations.add(this.at(key), (this.value as Record<string, Json>)[key], "is not a known setting", `remove it or use one of: ${allowed.join(", ")}`);
      }
    }
    return this;
  }

  has(key: string): boolean {
    return this.isObject() && (this.value as Record<string, Json>)[key] !== undefined;
  }

  child(key: string): JsonReader {
    const v = this.isObject() ? (this.value as Record<string, Json>)[key] : undefined;
    return new JsonReader(v, this.at(key), this.violations);
  }

  keys(): string[] {
    return this.isObject() ? Object.keys(this.value as object) : [];
  }

  string(key: string): string;
  string(key: string, optional: true): string | undefined;
  string(key: string, optional = false): string | undefined {
    return this.typed(key, "string", "a string", optional) as string | undefined;
  }

  number(key: string): number;
  number(key: string, optional: true): number | undefined;
  number(key: string, optional = false): number | undefined {
    return this.typed(key, "number", "a number", optional) as number | undefined;
  }

  boolean(key: string): boolean;
  boolean(key: string, optional: true): boolean | undefined;
  boolean(key: string, optional = false): boolean | undefined {
    return this.typed(key, "boolean", "true or false", optional) as boolean | undefined;
  }

  stringArray(key: string): string[];
  stringArray(key: string, optional: true): string[] | undefined;
  stringArray(key: string, optional = false): string[] | undefined {
    const c = this.child(key);
    if (c.value === undefined) {
      if (!optional) this.violations.add(c.path, undefined, "is required", "add a list of strings");
      return undefined;
    }
    if (!Array.isArray(c.value) || !c.value.every((x) => typeof x === "string")) {
      this.violations.add(c.path, c.value, "must be a list of strings", 'write e.g. ["a", "b"]');
      return undefined;
    }
    return [...(c.value as string[])];
  }

  /** A map of string to string (e.g. tags). */
  stringMap(key: string): Record<string, string> | undefined {
    const c = this.child(key);
    if (c.value === undefined) return undefined;
    if (!c.isObject() || !Object.values(c.value as object).every((x) => typeof x === "string")) {
      this.violations.add(c.path, c.value, "must be an object of string values", 'write e.g. { "Team": "web" }');
      return undefined;
    }
    return { ...(c.value as Record<string, string>) };
  }

  /** The raw value, for sections validated elsewhere. */
  raw(key: string): Json {
    return this.child(key).value;
  }

  private typed(key: string, type: string, described: string, optional: boolean): Json {
    const c = this.child(key);
    if (c.value === undefined) {
      if (!optional) this.violations.add(c.path, undefined, "is required", `add ${described}`);
      return undefined;
    }
    if (typeof c.value !== type) {
      this.violations.add(c.path, c.value, `must be ${described}`, `write ${described}`);
      return undefined;
    }
    return c.value;
  }
}
