/**
 * Readers for synthesized attribute trees. cdktf writes a single nested block as an object,
 * while `addOverride` escape hatches and the JSON syntax also allow a list of one: every reader
 * here accepts both. Booleans may be strings ("true") in provider schemas that type them so.
 */
import { PolicyContext, PolicyResource } from "./types";

type Attributes = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Attributes {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every instance of a nested block. */
export function blocks(attrs: Attributes | undefined, key: string): Attributes[] {
  const value = attrs?.[key];
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

/** The first (usually only) instance of a nested block. */
export function block(attrs: Attributes | undefined, key: string): Attributes | undefined {
  return blocks(attrs, key)[0];
}

export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

export function isFalse(value: unknown): boolean {
  return value === false || value === "false";
}

/** A list attribute; a single string counts as a list of one. */
export function list(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? [] : [value];
}

/** Renders a value for a finding: strings quoted, absent values as "not set". */
export function show(value: unknown): string {
  if (value === undefined || value === null) return "not set";
  return JSON.stringify(value);
}

/** True when `value` holds a Terraform reference to `target` (e.g. "${aws_s3_bucket.logs.id}"). */
export function refersTo(value: unknown, target: PolicyResource): boolean {
  return typeof value === "string" && value.includes(`\${${target.address}.`);
}

/**
 * True when `value` names `target`: by reference, or by the literal value of one of the target's
 * identifying attributes (e.g. a bucket's `bucket` name written out as a string).
 */
export function identifies(value: unknown, target: PolicyResource, literalAttributes: readonly string[] = []): boolean {
  if (refersTo(value, target)) return true;
  return (
    typeof value === "string" &&
    literalAttributes.some((key) => typeof target.attributes[key] === "string" && target.attributes[key] === value)
  );
}

/** Resources of `type` in the stack. */
export function resourcesOfType(context: PolicyContext, type: string): PolicyResource[] {
  return context.resources.filter((r) => r.type === type && r.mode === "managed");
}

/** Resources of `type` whose attribute `key` names `target`. */
export function resourcesNaming(
  context: PolicyContext,
  type: string,
  key: string,
  target: PolicyResource,
  literalAttributes: readonly string[] = [],
): PolicyResource[] {
  return resourcesOfType(context, type).filter((r) => identifies(r.attributes[key], target, literalAttributes));
}
