/**
 * A small typed schema for configuration files: one declaration gives the TypeScript type,
 * the runtime check, the field of every error and the published JSON Schema (with
 * descriptions and defaults). Ours rather than a library's so that every message has our
 * shape (field, value, limit, fix) and nothing is paid at synth start-up (this module loads
 * in well under a millisecond).
 *
 * What every schema enforces, whatever it describes:
 * - unknown keys are errors at every depth, with "did you mean" when a known key is close;
 * - `__proto__`, `constructor` and `prototype` are refused as keys anywhere;
 * - types are exact (a number in quotes is not a number, `null` is not "unset");
 * - limits: strings `LIMITS.stringChars`, lists `LIMITS.listItems`, maps `LIMITS.mapEntries`
 *   (a schema may set others, e.g. user data `LIMITS.userDataChars`);
 * - no string may hold cdktf's token marker (`${TfToken[`), which cdktf would replace by a
 *   reference to another resource; strings that name things (IDs, ARNs, paths) may not hold
 *   `${` or `%{` either. Free text may: it is escaped where it reaches Terraform.
 *
 * Shape and types first; value rules (`rule`) run on a value only once its shape is valid, so
 * they can trust their input. Value rules are the existing checks (names, CIDRs, ARNs, ALB
 * patterns), called from their one home, never copied. Pure: no cdktf import.
 */
import { FieldLocation, jsonPath, Violations } from "../core/errors";
import { CDKTF_STRING_TOKEN_MARKER, CDKTF_STRING_TOKEN_MARKER_PATTERN, hasTemplateSequence } from "../core/terraform-literal";
import { closestKey } from "./suggest";

/** Size limits of a configuration file's values, documented in the JSON Schema and the README. */
export const LIMITS = {
  /** Characters of a string (a maintenance page, a tag value, a command). */
  stringChars: 4096,
  /** Characters of user data: EC2 refuses more than 16 KiB. */
  userDataChars: 16384,
  /** Items of a list. */
  listItems: 1000,
  /** Entries of a map (fleets, tags, override values). */
  mapEntries: 1000,
} as const;

/** Keys that would reach JavaScript's object machinery; refused everywhere. */
export const RESERVED_KEYS: readonly string[] = ["__proto__", "constructor", "prototype"];

export type Segment = string | number;
export type JsonSchema = { [key: string]: unknown };

/** What value rules may know about the whole file, e.g. the names of its fleets. */
export interface Facts {
  /** Keys of the file's `fleets`, for rules that check a fleet's name. */
  readonly fleetNames?: readonly string[];
}

/** Where a check runs: the violations it adds to and the location that names its fields. */
export interface CheckContext {
  readonly violations: Violations;
  readonly location: FieldLocation;
  readonly facts: Facts;
  /** Value rules of values whose shape is valid, run once the whole shape was checked. */
  readonly rules: (() => void)[];
}

/** What a value rule gets besides the value. */
export interface RuleContext {
  readonly v: Violations;
  /** The full name of the checked field. */
  readonly field: string;
  /** The full name of a field below it, e.g. `at("[0]")` or `at("min")`. */
  at(relative: string): string;
  readonly facts: Facts;
}

export type Rule<T> = (value: T, at: RuleContext) => void;

/** One row of the generated configuration reference. */
export interface DocRow {
  readonly key: string;
  readonly type: string;
  readonly default: string;
  readonly description: string;
}

interface Meta {
  readonly description?: string;
  readonly default?: { readonly value: unknown } | { readonly text: string };
  readonly example?: string;
  readonly rules: readonly Rule<never>[];
}

export function fieldName(ctx: CheckContext, path: readonly Segment[]): string {
  return ctx.location.field(jsonPath(path));
}

function describeJsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

export abstract class Schema<T> {
  /** Phantom: the TypeScript type of a valid value. */
  declare readonly __output?: T;
  protected meta: Meta = { rules: [] };

  /** Text shown in the JSON Schema (editor hover) and the README reference. */
  describe(description: string): this {
    return this.withMeta({ description });
  }

  /** The default the library applies when the key is left out (documentation; the constructs apply it). */
  defaultValue(value: unknown): this {
    return this.withMeta({ default: { value } });
  }

  /** A default that is a behaviour, not a value, e.g. "the fleet's imageId". */
  defaultText(text: string): this {
    return this.withMeta({ default: { text } });
  }

  /** A value to suggest when the key is required but missing. */
  example(text: string): this {
    return this.withMeta({ example: text });
  }

  /** A value rule, run once the shape is valid. */
  rule(rule: Rule<T>): this {
    return this.withMeta({ rules: [...this.meta.rules, rule as Rule<never>] });
  }

  optional(): OptionalSchema<T> {
    return new OptionalSchema(this);
  }

  get description(): string | undefined {
    return this.meta.description;
  }

  get exampleText(): string | undefined {
    return this.meta.example;
  }

  /**
   * Checks the shape and types of `value` at `path`, and queues its value rules in `ctx.rules`
   * (they run once the whole shape is known to be right; see `checkAgainst`).
   * @returns the value, typed, or undefined when its shape (or a part's) was reported
   */
  check(value: unknown, path: readonly Segment[], ctx: CheckContext): T | undefined {
    const before = ctx.violations.size;
    const out = this.checkShape(value, path, ctx);
    if (out === undefined || ctx.violations.size !== before) return undefined;
    if (this.meta.rules.length > 0) {
      const field = fieldName(ctx, path);
      const at: RuleContext = {
        v: ctx.violations,
        field,
        at: (relative) => fieldName(ctx, [...path, ...parseRelative(relative)]),
        facts: ctx.facts,
      };
      for (const rule of this.meta.rules) ctx.rules.push(() => (rule as Rule<T>)(out, at));
    }
    return out;
  }

  /** The JSON Schema of this value (draft-07). */
  jsonSchema(): JsonSchema {
    const schema = this.jsonSchemaOfType();
    const d = this.meta.default;
    return {
      ...(this.meta.description ? { description: this.describeWithDefault() } : {}),
      ...schema,
      ...(d && "value" in d ? { default: d.value } : {}),
    };
  }

  /** Rows of the configuration reference for this value and everything below it. */
  docRows(key: string): DocRow[] {
    return [this.docRow(key)];
  }

  /** A short type, e.g. `string ≤ 4096 chars` or `"tcp" \| "udp"`. */
  abstract typeName(): string;

  protected docRow(key: string): DocRow {
    return { key, type: this.typeName(), default: this.defaultForDocs(), description: this.meta.description ?? "" };
  }

  protected defaultForDocs(): string {
    const d = this.meta.default;
    if (!d) return "";
    return "value" in d ? `\`${JSON.stringify(d.value)}\`` : d.text;
  }

  private describeWithDefault(): string {
    const d = this.meta.default;
    if (!d || "value" in d) return this.meta.description ?? "";
    return `${this.meta.description} Default: ${d.text}.`;
  }

  /** The JSON types a value of this schema can have ("string", "object", ...), for unions. */
  abstract jsonTypes(): readonly string[];

  protected abstract checkShape(value: unknown, path: readonly Segment[], ctx: CheckContext): T | undefined;

  protected abstract jsonSchemaOfType(): JsonSchema;

  /** @internal A copy with more metadata. */
  withMeta(meta: Partial<Meta>): this {
    const copy = Object.create(Object.getPrototypeOf(this)) as this;
    Object.assign(copy, this);
    copy.meta = { ...this.meta, ...meta };
    return copy;
  }
}

/** `capacity.min`, `[0]`, `tags["a b"]` -> path segments (for value rules naming sub-fields). */
function parseRelative(relative: string): Segment[] {
  const out: Segment[] = [];
  const re = /\.?([A-Za-z_$][A-Za-z0-9_$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(relative)) !== null) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(JSON.parse(m[3]) as string);
  }
  return out;
}

function reportType(ctx: CheckContext, path: readonly Segment[], value: unknown, expected: string, fix: string): undefined {
  ctx.violations.add(fieldName(ctx, path), value, `must be ${expected}, not ${describeJsonType(value)}`, fix);
  return undefined;
}

// ---- leaves ----

export interface StringOptions {
  /** @default 0 */
  readonly minChars?: number;
  /** @default LIMITS.stringChars */
  readonly maxChars?: number;
  /**
   * "text": free text, escaped where it reaches Terraform. "name": an ID, ARN, path or name,
   * which never legitimately holds `${` or `%{`, so those are refused.
   * @default "text"
   */
  readonly kind?: "text" | "name";
  /** A pattern published in the JSON Schema for editors (the check itself is a value rule). */
  readonly jsonPattern?: RegExp;
}

export class StringSchema extends Schema<string> {
  constructor(private readonly options: StringOptions = {}) {
    super();
  }

  get maxChars(): number {
    return this.options.maxChars ?? LIMITS.stringChars;
  }

  typeName(): string {
    return `string${this.options.kind === "name" ? "" : " (text)"}, ≤ ${this.maxChars} chars`;
  }

  jsonTypes(): readonly string[] {
    return ["string"];
  }

  protected checkShape(value: unknown, path: readonly Segment[], ctx: CheckContext): string | undefined {
    if (typeof value !== "string") {
      return reportType(
        ctx,
        path,
        value,
        "a string",
        typeof value === "number" || typeof value === "boolean"
          ? `write it in double quotes: "${String(value)}"`
          : "write a string in double quotes",
      );
    }
    const field = () => fieldName(ctx, path);
    const min = this.options.minChars ?? 0;
    if (value.length < min) {
      ctx.violations.add(
        field(),
        value,
        min === 1 ? "must not be empty" : `must be at least ${min} characters`,
        "give a value, or leave the key out",
      );
    }
    if (value.length > this.maxChars) {
      ctx.violations.add(field(), value, `is ${value.length} characters; at most ${this.maxChars} are allowed`, "shorten it");
      return undefined;
    }
    if (value.includes(CDKTF_STRING_TOKEN_MARKER)) {
      ctx.violations.add(
        field(),
        value,
        `contains cdktf's token marker "${CDKTF_STRING_TOKEN_MARKER}", which cdktf would replace by a reference to another resource`,
        "remove it; a configuration file holds literal values only",
      );
    } else if (this.options.kind === "name" && hasTemplateSequence(value)) {
      ctx.violations.add(
        field(),
        value,
        'contains "${" or "%{", which Terraform would evaluate as an expression; an ID, ARN, name or path never contains them',
        "write the literal value",
      );
    }
    return value;
  }

  protected jsonSchemaOfType(): JsonSchema {
    return {
      type: "string",
      ...(this.options.minChars ? { minLength: this.options.minChars } : {}),
      maxLength: this.maxChars,
      ...(this.options.jsonPattern ? { pattern: this.options.jsonPattern.source } : {}),
      ...(this.options.kind === "name" ? { not: { pattern: "\\$\\{|%\\{" } } : { not: { pattern: CDKTF_STRING_TOKEN_MARKER_PATTERN } }),
    };
  }
}

export interface NumberOptions {
  /** Whole numbers only. @default false */
  readonly integer?: boolean;
  /** Bounds enforced here (most ranges are value rules of the constructs). */
  readonly min?: number;
  readonly max?: number;
  /** Text for the README when the range is a construct's value rule, e.g. "0-3600". */
  readonly range?: string;
}

export class NumberSchema extends Schema<number> {
  constructor(private readonly options: NumberOptions = {}) {
    super();
  }

  typeName(): string {
    const base = this.options.integer ? "whole number" : "number";
    const range =
      this.options.range ??
      (this.options.min !== undefined || this.options.max !== undefined ? `${this.options.min ?? ""}-${this.options.max ?? ""}` : "");
    return range ? `${base}, ${range}` : base;
  }

  jsonTypes(): readonly string[] {
    return ["number"];
  }

  protected checkShape(value: unknown, path: readonly Segment[], ctx: CheckContext): number | undefined {
    const what = this.options.integer ? "a whole number" : "a number";
    if (typeof value !== "number" || !Number.isFinite(value)) {
      const fix =
        typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))
          ? `write it without quotes: ${Number(value)}`
          : `write ${what}`;
      if (typeof value === "number") {
        ctx.violations.add(fieldName(ctx, path), value, `must be ${what} of sensible size`, `write ${what}`);
        return undefined;
      }
      return reportType(ctx, path, value, what, fix);
    }
    if (this.options.integer && !Number.isInteger(value)) {
      ctx.violations.add(fieldName(ctx, path), value, "must be a whole number", `use ${Math.round(value)}`);
      return undefined;
    }
    const { min, max } = this.options;
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
      ctx.violations.add(fieldName(ctx, path), value, `must be ${min ?? "-∞"}-${max ?? "∞"}`, "choose a value in that range");
      return undefined;
    }
    return value;
  }

  protected jsonSchemaOfType(): JsonSchema {
    return {
      type: this.options.integer ? "integer" : "number",
      ...(this.options.min !== undefined ? { minimum: this.options.min } : {}),
      ...(this.options.max !== undefined ? { maximum: this.options.max } : {}),
    };
  }
}

export class BooleanSchema extends Schema<boolean> {
  typeName(): string {
    return "true / false";
  }

  jsonTypes(): readonly string[] {
    return ["boolean"];
  }

  protected checkShape(value: unknown, path: readonly Segment[], ctx: CheckContext): boolean | undefined {
    if (typeof value === "boolean") return value;
    return reportType(
      ctx,
      path,
      value,
      "true or false",
      value === "true" || value === "false" ? `write ${value} without quotes` : "write true or false",
    );
  }

  protected jsonSchemaOfType(): JsonSchema {
    return { type: "boolean" };
  }
}

export class EnumSchema<V extends string> extends Schema<V> {
  constructor(readonly values: readonly V[]) {
    super();
  }

  typeName(): string {
    return this.values.map((v) => `\`"${v}"\``).join(" | ");
  }

  jsonTypes(): readonly string[] {
    return ["string"];
  }

  protected checkShape(value: unknown, path: readonly Segment[], ctx: CheckContext): V | undefined {
    const list = this.values.map((v) => `"${v}"`).join(", ");
    if (typeof value === "string" && (this.values as readonly string[]).includes(value)) return value as V;
    const near = typeof value === "string" ? closestKey(value, this.values) : undefined;
    ctx.violations.add(
      fieldName(ctx, path),
      value,
      `must be one of ${list}`,
      near !== undefined ? `did you mean "${near}"?` : `use one of ${list}`,
    );
    return undefined;
  }

  protected jsonSchemaOfType(): JsonSchema {
    return this.values.length === 1 ? { type: "string", const: this.values[0] } : { type: "string", enum: [...this.values] };
  }
}

/** One of a few numbers, e.g. an HTTP status code 301 or 302. */
export class NumberEnumSchema<V extends number> extends Schema<V> {
  constructor(readonly values: readonly V[]) {
    super();
  }

  typeName(): string {
    return this.values.map((v) => `\`${v}\``).join(" | ");
  }

  jsonTypes(): readonly string[] {
    return ["number"];
  }

  protected checkShape(value: unknown, path: readonly Segment[], ctx: CheckContext): V | undefined {
    if (typeof value === "number" && (this.values as readonly number[]).includes(value)) return value as V;
    const fix =
      typeof value === "string" && (this.values as readonly number[]).includes(Number(value))
        ? `write it without quotes: ${value}`
        : `use ${this.values.join(" or ")}`;
    ctx.violations.add(fieldName(ctx, path), value, `must be ${this.values.join(" or ")}`, fix);
    return undefined;
  }

  protected jsonSchemaOfType(): JsonSchema {
    return { type: "integer", enum: [...this.values] };
  }
}

// ---- containers ----

export class OptionalSchema<T> extends Schema<T> {
  readonly isOptional = true as const;

  constructor(readonly inner: Schema<T>) {
    super();
  }

  override get description(): string | undefined {
    return this.inner.description;
  }

  override get exampleText(): string | undefined {
    return this.inner.exampleText;
  }

  /** Metadata (description, default, rules) belongs to the inner schema. */
  override withMeta(meta: Partial<Meta>): this {
    return new OptionalSchema(this.inner.withMeta(meta)) as this;
  }

  override rule(rule: Rule<T>): this {
    return new OptionalSchema(this.inner.rule(rule)) as this;
  }

  typeName(): string {
    return this.inner.typeName();
  }

  jsonTypes(): readonly string[] {
    return this.inner.jsonTypes();
  }

  override check(value: unknown, path: readonly Segment[], ctx: CheckContext): T | undefined {
    if (value === null) {
      ctx.violations.add(
        fieldName(ctx, path),
        null,
        'is null; JSON null does not mean "use the default" here',
        "leave the key out to use the default",
      );
      return undefined;
    }
    return this.inner.check(value, path, ctx);
  }

  override jsonSchema(): JsonSchema {
    return this.inner.jsonSchema();
  }

  override docRows(key: string): DocRow[] {
    return this.inner.docRows(key);
  }

  protected checkShape(): T | undefined {
    throw new Error("OptionalSchema checks through its inner schema");
  }

  protected jsonSchemaOfType(): JsonSchema {
    return this.inner.jsonSchema();
  }
}

export interface ArrayOptions {
  /** @default LIMITS.listItems */
  readonly maxItems?: number;
  /** @default 0 */
  readonly minItems?: number;
}

export class ArraySchema<T> extends Schema<readonly T[]> {
  constructor(
    readonly item: Schema<T>,
    private readonly options: ArrayOptions = {},
  ) {
    super();
  }

  get maxItems(): number {
    return this.options.maxItems ?? LIMITS.listItems;
  }

  typeName(): string {
    return `list of ${this.item instanceof ObjectSchema || this.item instanceof TaggedUnionSchema ? "objects" : this.item.typeName()} (${this.options.minItems ? `${this.options.minItems}-` : "≤ "}${this.maxItems} items)`;
  }

  jsonTypes(): readonly string[] {
    return ["array"];
  }

  override docRows(key: string): DocRow[] {
    const rows = [this.docRow(key)];
    if (this.item instanceof ObjectSchema || this.item instanceof TaggedUnionSchema || this.item instanceof UnionSchema)
      rows.push(...this.item.docRows(`${key}[]`).slice(1));
    return rows;
  }

  protected checkShape(value: unknown, path: readonly Segment[], ctx: CheckContext): readonly T[] | undefined {
    if (!Array.isArray(value)) {
      return reportType(
        ctx,
        path,
        value,
        "a list",
        typeof value === "string" ? `put it in a list: ["${value.length > 40 ? `${value.slice(0, 40)}…` : value}"]` : "write [ ... ]",
      );
    }
    if (value.length > this.maxItems) {
      ctx.violations.add(
        fieldName(ctx, path),
        `${value.length} items`,
        `is more than ${this.maxItems} items`,
        `list at most ${this.maxItems}`,
      );
      return undefined;
    }
    const min = this.options.minItems ?? 0;
    if (value.length < min) {
      ctx.violations.add(
        fieldName(ctx, path),
        value,
        `must list at least ${min} item${min === 1 ? "" : "s"}`,
        "add items, or leave the key out",
      );
    }
    const out: T[] = [];
    value.forEach((item, i) => {
      const checked = this.item.check(item, [...path, i], ctx);
      if (checked !== undefined) out.push(checked);
    });
    return out;
  }

  protected jsonSchemaOfType(): JsonSchema {
    return {
      type: "array",
      items: this.item.jsonSchema(),
      ...(this.options.minItems ? { minItems: this.options.minItems } : {}),
      maxItems: this.maxItems,
    };
  }
}

function checkReservedKey(key: string, path: readonly Segment[], ctx: CheckContext, what: string): boolean {
  if (!RESERVED_KEYS.includes(key)) return true;
  ctx.violations.add(
    fieldName(ctx, [...path, key]),
    key,
    `is a reserved JavaScript name (${RESERVED_KEYS.join(", ")}) and cannot be ${what}`,
    "rename it",
  );
  return false;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface RecordOptions {
  /** The key's own schema (a name pattern, say). @default - any string up to LIMITS.stringChars */
  readonly key?: StringSchema;
  /** What a key is, for messages and the README, e.g. "fleet name". */
  readonly keyName: string;
  /** @default LIMITS.mapEntries */
  readonly maxEntries?: number;
  /** @default 0 */
  readonly minEntries?: number;
  /** Why `maxEntries` is what it is, for the message. @default - the generic limit */
  readonly tooMany?: { readonly limit: string; readonly fix: string };
}

export class RecordSchema<V> extends Schema<Readonly<Record<string, V>>> {
  constructor(
    readonly value: Schema<V>,
    private readonly options: RecordOptions,
  ) {
    super();
  }

  get maxEntries(): number {
    return this.options.maxEntries ?? LIMITS.mapEntries;
  }

  typeName(): string {
    const valueType = this.value instanceof ObjectSchema ? "object" : this.value.typeName();
    return `map of ${this.options.keyName} → ${valueType} (${this.options.minEntries ? `${this.options.minEntries}-` : "≤ "}${this.maxEntries} entries)`;
  }

  jsonTypes(): readonly string[] {
    return ["object"];
  }

  override docRows(key: string): DocRow[] {
    const rows = [this.docRow(key)];
    if (this.value instanceof ObjectSchema)
      rows.push(...this.value.docRows(`${key}.<${this.options.keyName.replace(/ /g, "-")}>`).slice(1));
    return rows;
  }

  protected checkShape(value: unknown, path: readonly Segment[], ctx: CheckContext): Readonly<Record<string, V>> | undefined {
    if (!isPlainObject(value)) return reportType(ctx, path, value, `an object of ${this.options.keyName}s`, 'write { "<name>": ... }');
    const keys = Object.keys(value);
    if (keys.length > this.maxEntries) {
      const { limit, fix } = this.options.tooMany ?? {
        limit: `is more than ${this.maxEntries} entries`,
        fix: `keep at most ${this.maxEntries}`,
      };
      ctx.violations.add(fieldName(ctx, path), `${keys.length} entries`, limit, fix);
      return undefined;
    }
    const min = this.options.minEntries ?? 0;
    if (keys.length < min) {
      ctx.violations.add(
        fieldName(ctx, path),
        value,
        `must hold at least ${min} ${this.options.keyName}${min === 1 ? "" : "s"}`,
        `add one, e.g. { "<${this.options.keyName}>": ... }`,
      );
    }
    const out: Record<string, V> = {};
    for (const key of keys) {
      if (!checkReservedKey(key, path, ctx, `a ${this.options.keyName}`)) continue;
      if (this.options.key) {
        const before = ctx.violations.size;
        this.options.key.check(key, [...path, key], ctx);
        if (ctx.violations.size !== before) continue;
      } else if (key.length > LIMITS.stringChars) {
        ctx.violations.add(
          fieldName(ctx, [...path, key]),
          key,
          `is a key of ${key.length} characters; at most ${LIMITS.stringChars} are allowed`,
          "shorten it",
        );
        continue;
      }
      const checked = this.value.check(value[key], [...path, key], ctx);
      if (checked !== undefined) out[key] = checked;
    }
    return out;
  }

  protected jsonSchemaOfType(): JsonSchema {
    const keySchema = this.options.key?.jsonSchema() ?? { maxLength: LIMITS.stringChars };
    const { description: _ignored, ...keyConstraints } = keySchema;
    return {
      type: "object",
      propertyNames: { allOf: [keyConstraints, { not: { enum: [...RESERVED_KEYS] } }] },
      additionalProperties: this.value.jsonSchema(),
      ...(this.options.minEntries ? { minProperties: this.options.minEntries } : {}),
      maxProperties: this.maxEntries,
    };
  }
}

export type Shape = { readonly [key: string]: Schema<unknown> };
type RequiredKeys<S extends Shape> = { [K in keyof S]: S[K] extends OptionalSchema<unknown> ? never : K }[keyof S];
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends OptionalSchema<unknown> ? K : never }[keyof S];
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOutput<S extends Shape> = Simplify<
  { readonly [K in RequiredKeys<S>]: Infer<S[K]> } & { readonly [K in OptionalKeys<S>]?: Infer<S[K]> }
>;
export type Infer<S> = S extends Schema<infer T> ? T : never;

export interface ObjectOptions {
  /** Keys that were renamed, to their new name: the fix says so instead of guessing. */
  readonly renamed?: Readonly<Record<string, string>>;
}

export class ObjectSchema<S extends Shape> extends Schema<ObjectOutput<S>> {
  constructor(
    readonly shape: S,
    private readonly options: ObjectOptions = {},
  ) {
    super();
  }

  /** The same object with more keys. */
  extend<E extends Shape>(more: E): ObjectSchema<S & E> {
    const extended = new ObjectSchema({ ...this.shape, ...more } as S & E, this.options);
    extended.meta = this.meta as Meta;
    return extended;
  }

  get keys(): readonly string[] {
    return Object.keys(this.shape);
  }

  typeName(): string {
    return "object";
  }

  jsonTypes(): readonly string[] {
    return ["object"];
  }

  override docRows(key: string, skip: readonly string[] = []): DocRow[] {
    const rows = [this.docRow(key)];
    for (const [name, child] of Object.entries(this.shape)) {
      if (skip.includes(name)) continue;
      rows.push(...child.docRows(key === "" ? name : `${key}.${name}`));
    }
    return rows;
  }

  protected checkShape(value: unknown, path: readonly Segment[], ctx: CheckContext): ObjectOutput<S> | undefined {
    if (!isPlainObject(value)) {
      const keys = this.keys.slice(0, 4).map((k) => `"${k}": ...`);
      return reportType(ctx, path, value, "an object", `write { ${keys.join(", ")}${this.keys.length > 4 ? ", ..." : ""} }`);
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (!checkReservedKey(key, path, ctx, "a setting")) continue;
      if (!Object.prototype.hasOwnProperty.call(this.shape, key)) this.reportUnknown(key, value[key], path, ctx);
    }
    for (const [key, child] of Object.entries(this.shape)) {
      const given = Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
      if (given === undefined) {
        if (!(child instanceof OptionalSchema)) {
          ctx.violations.add(
            fieldName(ctx, [...path, key]),
            undefined,
            "is required",
            child.exampleText !== undefined ? `add "${key}": ${child.exampleText}` : `add "${key}"`,
          );
        }
        continue;
      }
      const checked = child.check(given, [...path, key], ctx);
      if (checked !== undefined) out[key] = checked;
    }
    return out as ObjectOutput<S>;
  }

  private reportUnknown(key: string, given: unknown, path: readonly Segment[], ctx: CheckContext): void {
    const renames = this.options.renamed ?? {};
    const renamed = Object.prototype.hasOwnProperty.call(renames, key) ? renames[key] : undefined;
    const near = renamed ?? closestKey(key, this.keys);
    const known = this.keys.join(", ");
    ctx.violations.add(
      fieldName(ctx, [...path, key]),
      given,
      "is not a known setting",
      renamed !== undefined
        ? `it was renamed: write "${renamed}"`
        : near !== undefined
          ? `did you mean "${near}"? (known here: ${known})`
          : `remove it, or use one of: ${known}`,
    );
  }

  protected jsonSchemaOfType(): JsonSchema {
    const required = Object.entries(this.shape)
      .filter(([, child]) => !(child instanceof OptionalSchema))
      .map(([key]) => key);
    return {
      type: "object",
      properties: Object.fromEntries(Object.entries(this.shape).map(([key, child]) => [key, child.jsonSchema()])),
      ...(required.length > 0 ? { required } : {}),
      additionalProperties: false,
    };
  }
}

type TaggedOutput<K extends string, M extends { readonly [tag: string]: ObjectSchema<Shape> }> = {
  [T in keyof M & string]: Simplify<Infer<M[T]> & { readonly [P in K]: T }>;
}[keyof M & string];

/** Objects told apart by one key, e.g. `"backend": "local" | "s3"` or `"type": "redirect" | ...`. */
export class TaggedUnionSchema<K extends string, M extends { readonly [tag: string]: ObjectSchema<Shape> }> extends Schema<
  TaggedOutput<K, M>
> {
  private readonly variants: Record<string, ObjectSchema<Shape>>;

  constructor(
    readonly tagKey: K,
    variants: M,
  ) {
    super();
    this.variants = Object.fromEntries(
      Object.entries(variants).map(([tag, variant]) => [tag, variant.extend({ [tagKey]: new EnumSchema([tag]).describe(`"${tag}"`) })]),
    );
  }

  get tags(): readonly string[] {
    return Object.keys(this.variants);
  }

  variant(tag: string): ObjectSchema<Shape> | undefined {
    return Object.prototype.hasOwnProperty.call(this.variants, tag) ? this.variants[tag] : undefined;
  }

  typeName(): string {
    return `object, by \`${this.tagKey}\``;
  }

  jsonTypes(): readonly string[] {
    return ["object"];
  }

  override docRows(key: string): DocRow[] {
    const rows = [this.docRow(key)];
    const prefix = key === "" ? "" : `${key}.`;
    rows.push({
      key: `${prefix}${this.tagKey}`,
      type: new EnumSchema(this.tags).typeName(),
      default: "",
      description: `Which kind of \`${key || "file"}\` this is; it decides the other keys.`,
    });
    for (const [tag, variant] of Object.entries(this.variants)) {
      for (const row of variant.docRows(key, [this.tagKey]).slice(1))
        rows.push({ ...row, description: `(${this.tagKey} "${tag}") ${row.description}` });
    }
    return rows;
  }

  protected checkShape(value: unknown, path: readonly Segment[], ctx: CheckContext): TaggedOutput<K, M> | undefined {
    if (!isPlainObject(value))
      return reportType(ctx, path, value, "an object", `write { "${this.tagKey}": ${this.tags.map((t) => `"${t}"`).join(" | ")}, ... }`);
    const tag = Object.prototype.hasOwnProperty.call(value, this.tagKey) ? value[this.tagKey] : undefined;
    if (tag === undefined) {
      // Without the tag the other keys cannot be checked; a misspelt tag is named where it is.
      const known = [...new Set(Object.values(this.variants).flatMap((v) => v.keys))];
      for (const key of Object.keys(value)) {
        if (known.includes(key) || !checkReservedKey(key, path, ctx, "a setting")) continue;
        const near = closestKey(key, known);
        ctx.violations.add(
          fieldName(ctx, [...path, key]),
          value[key],
          "is not a known setting",
          near !== undefined ? `did you mean "${near}"?` : `remove it; "${this.tagKey}" decides the other keys`,
        );
      }
      ctx.violations.add(
        fieldName(ctx, [...path, this.tagKey]),
        undefined,
        "is required",
        `add "${this.tagKey}": one of ${this.tags.map((t) => `"${t}"`).join(", ")}`,
      );
      return undefined;
    }
    const variant = typeof tag === "string" && Object.prototype.hasOwnProperty.call(this.variants, tag) ? this.variants[tag] : undefined;
    if (!variant) {
      new EnumSchema(this.tags).check(tag, [...path, this.tagKey], ctx);
      return undefined;
    }
    return variant.check(value, path, ctx) as TaggedOutput<K, M> | undefined;
  }

  protected jsonSchemaOfType(): JsonSchema {
    return {
      type: "object",
      required: [this.tagKey],
      properties: { [this.tagKey]: { enum: [...this.tags] } },
      allOf: Object.entries(this.variants).map(([tag, variant]) => ({
        if: { properties: { [this.tagKey]: { const: tag } }, required: [this.tagKey] },
        then: variant.jsonSchema(),
      })),
    };
  }
}

/** A value that is one of a few JSON types, e.g. a fleet name or a weighted split. */
export class UnionSchema<T> extends Schema<T> {
  constructor(
    readonly branches: readonly Schema<unknown>[],
    private readonly expected: string,
    private readonly fix: string,
  ) {
    super();
  }

  typeName(): string {
    return this.branches.map((b) => (b instanceof ObjectSchema ? "object" : b.typeName())).join(" or ");
  }

  jsonTypes(): readonly string[] {
    return this.branches.flatMap((b) => b.jsonTypes());
  }

  override docRows(key: string): DocRow[] {
    const rows = [this.docRow(key)];
    for (const branch of this.branches) if (branch instanceof ObjectSchema) rows.push(...branch.docRows(key).slice(1));
    return rows;
  }

  protected checkShape(value: unknown, path: readonly Segment[], ctx: CheckContext): T | undefined {
    const type = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
    const branch = this.branches.find((b) => b.jsonTypes().includes(type));
    if (!branch) return reportType(ctx, path, value, this.expected, this.fix);
    return branch.check(value, path, ctx) as T | undefined;
  }

  protected jsonSchemaOfType(): JsonSchema {
    return { anyOf: this.branches.map((b) => b.jsonSchema()) };
  }
}

// ---- constructors ----

export const s = {
  string: (options?: StringOptions) => new StringSchema(options),
  /** An ID, ARN, path or name: `${` and `%{` are refused (see StringOptions.kind). */
  name: (options?: Omit<StringOptions, "kind">) => new StringSchema({ ...options, kind: "name" }),
  number: (options?: NumberOptions) => new NumberSchema(options),
  integer: (options?: Omit<NumberOptions, "integer">) => new NumberSchema({ ...options, integer: true }),
  boolean: () => new BooleanSchema(),
  enum: <V extends string>(...values: V[]) => new EnumSchema<V>(values),
  numbers: <V extends number>(...values: V[]) => new NumberEnumSchema<V>(values),
  array: <T>(item: Schema<T>, options?: ArrayOptions) => new ArraySchema(item, options),
  record: <V>(value: Schema<V>, options: RecordOptions) => new RecordSchema(value, options),
  object: <S extends Shape>(shape: S, options?: ObjectOptions) => new ObjectSchema(shape, options),
  tagged: <K extends string, M extends { readonly [tag: string]: ObjectSchema<Shape> }>(key: K, variants: M) =>
    new TaggedUnionSchema(key, variants),
  union: <T>(branches: readonly Schema<unknown>[], expected: string, fix: string) => new UnionSchema<T>(branches, expected, fix),
};

/**
 * Checks a whole value against a schema: its shape and types, then the value rules of every
 * part whose shape is right (so a typo elsewhere does not hide a bad CIDR).
 * @returns the typed value when its whole shape is right (value rules may still have reported
 *   problems: see `violations`), or undefined
 */
export function checkAgainst<T>(
  schema: Schema<T>,
  value: unknown,
  location: FieldLocation,
  violations: Violations,
  facts: Facts = {},
): T | undefined {
  const ctx: CheckContext = { violations, location, rules: [], facts };
  const out = schema.check(value, [], ctx);
  for (const rule of ctx.rules) rule();
  return out;
}
