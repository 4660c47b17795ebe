/**
 * What the policy pack knows about a value at synth: literal parts, and opaque parts that
 * Terraform fills in later (a resource's ARN, the provider's Region, a variable).
 * Pure TypeScript (no cdktf import).
 */

/**
 * Where an opaque value comes from. "reference": an attribute of a resource or data source of
 * the stack (an ARN, an ID: one specific thing). "computed": a function of such values.
 * "variable": input the stack does not fix (`var.*`, `each.*`, `count.*`): anything at all.
 */
export type OpaqueOrigin = "reference" | "computed" | "variable";

export interface Opaque {
  /** The Terraform expression, for messages, e.g. `aws_s3_bucket.logs.arn`. */
  readonly source: string;
  readonly origin: OpaqueOrigin;
  /** Set when the value is `data.aws_iam_policy_document.<name>.json`: the document it stands for. */
  readonly documentAddress?: string;
}

export interface ListItem {
  readonly value: StaticValue;
  /** False when the item exists only in some branches of a conditional. */
  readonly certain: boolean;
}

export type StaticValue =
  | { readonly kind: "scalar"; readonly value: string | number | boolean | null }
  /** A string with at least one opaque part, e.g. `arn:${partition}:s3:::bucket`. */
  | { readonly kind: "text"; readonly parts: readonly (string | Opaque)[] }
  | { readonly kind: "list"; readonly items: readonly ListItem[] }
  | { readonly kind: "object"; readonly fields: ReadonlyMap<string, StaticValue> }
  /** A conditional whose condition is not known: one of these. */
  | { readonly kind: "oneOf"; readonly options: readonly StaticValue[] }
  | { readonly kind: "opaque"; readonly opaque: Opaque };

export const scalar = (value: string | number | boolean | null): StaticValue => ({ kind: "scalar", value });
export const opaque = (source: string, origin: OpaqueOrigin, documentAddress?: string): StaticValue => ({
  kind: "opaque",
  opaque: { source, origin, ...(documentAddress ? { documentAddress } : {}) },
});

/** The most doubtful origin of several. */
export function worstOrigin(origins: readonly OpaqueOrigin[]): OpaqueOrigin {
  if (origins.includes("variable")) return "variable";
  if (origins.includes("computed")) return "computed";
  return "reference";
}

/** Every opaque part inside a value. */
export function opaquesIn(value: StaticValue): Opaque[] {
  switch (value.kind) {
    case "scalar":
      return [];
    case "text":
      return value.parts.filter((p): p is Opaque => typeof p !== "string");
    case "list":
      return value.items.flatMap((i) => opaquesIn(i.value));
    case "object":
      return [...value.fields.values()].flatMap(opaquesIn);
    case "oneOf":
      return value.options.flatMap(opaquesIn);
    case "opaque":
      return [value.opaque];
  }
}

/** Builds a string value from parts, merging adjacent literals; all-literal parts make a scalar. */
export function textOf(parts: readonly (string | Opaque)[]): StaticValue {
  const merged: (string | Opaque)[] = [];
  for (const part of parts) {
    const last = merged[merged.length - 1];
    if (typeof part === "string" && typeof last === "string") merged[merged.length - 1] = last + part;
    else if (part !== "") merged.push(part);
  }
  if (merged.every((p) => typeof p === "string")) return scalar(merged.join(""));
  return { kind: "text", parts: merged };
}

/** The parts of a value used as a string; undefined when it is not string-like. */
export function stringParts(value: StaticValue): (string | Opaque)[] | undefined {
  switch (value.kind) {
    case "scalar":
      return value.value === null ? undefined : [String(value.value)];
    case "text":
      return [...value.parts];
    case "opaque":
      return [value.opaque];
    default:
      return undefined;
  }
}

/** The value written as Terraform would show it, e.g. `arn:${data.aws_partition.p.partition}:s3:::b`. */
export function display(value: StaticValue): string {
  switch (value.kind) {
    case "scalar":
      return typeof value.value === "string" ? value.value : String(value.value);
    case "text":
      return value.parts.map((p) => (typeof p === "string" ? p : `\${${p.source}}`)).join("");
    case "opaque":
      return `\${${value.opaque.source}}`;
    case "list":
      return `[${value.items.map((i) => display(i.value)).join(", ")}]`;
    case "object":
      return `{${[...value.fields.entries()].map(([k, v]) => `${k} = ${display(v)}`).join(", ")}}`;
    case "oneOf":
      return value.options.map(display).join(" | ");
  }
}

/** Converts a plain JSON value (e.g. a parsed policy string) to a static value. */
export function fromJson(value: unknown): StaticValue {
  if (Array.isArray(value)) return { kind: "list", items: value.map((v) => ({ value: fromJson(v), certain: true })) };
  if (typeof value === "object" && value !== null) {
    return { kind: "object", fields: new Map(Object.entries(value).map(([k, v]) => [k, fromJson(v)])) };
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value === null) return scalar(value);
  return scalar(null);
}

/**
 * The items of a list value, flattening conditionals (an item of only one branch is uncertain).
 * A single non-list value counts as a list of one, as IAM allows for Statement, Action and Resource.
 */
export function itemsOf(value: StaticValue, certain = true): ListItem[] {
  switch (value.kind) {
    case "list":
      return value.items.flatMap((i) =>
        i.value.kind === "oneOf" ? itemsOf(i.value, certain && i.certain) : [{ value: i.value, certain: certain && i.certain }],
      );
    case "oneOf": {
      // An item present in every branch would need deep equality to stay certain; branches are rare, so all are uncertain.
      return value.options.flatMap((o) => itemsOf(o, false));
    }
    default:
      return [{ value, certain }];
  }
}

/** A field of an object value (exact key). */
export function field(value: StaticValue | undefined, key: string): StaticValue | undefined {
  return value?.kind === "object" ? value.fields.get(key) : undefined;
}
