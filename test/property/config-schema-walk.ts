/**
 * Walks an example configuration together with its schema, for property tests that edit every
 * key or every string of a file: which keys are settings (a typo must be refused) and which are
 * names the user chose (fleets, tags, header values), and where every string sits.
 */
import { jsonPath } from "../../lib/core/errors";
import {
  ArraySchema,
  ObjectSchema,
  OptionalSchema,
  RecordSchema,
  Schema,
  Shape,
  TaggedUnionSchema,
  UnionSchema,
} from "../../lib/config/schema";

export type Path = (string | number)[];

export interface KeyPlace {
  /** Path of the key itself, e.g. ["fleets", "rails4", "capacity", "min"]. */
  readonly path: Path;
  /** The other setting keys beside it (a typo must not land on one of them). */
  readonly siblings: readonly string[];
}

export interface StringPlace {
  readonly path: Path;
  /** True for a map key the user chose (a tag key, an override value), false for a value. */
  readonly isKey: boolean;
}

function unwrap(schema: Schema<unknown>): Schema<unknown> {
  return schema instanceof OptionalSchema ? unwrap(schema.inner as Schema<unknown>) : schema;
}

function objectFor(schema: Schema<unknown>, value: unknown): ObjectSchema<Shape> | undefined {
  const s = unwrap(schema);
  if (s instanceof ObjectSchema) return s;
  if (s instanceof TaggedUnionSchema && typeof value === "object" && value !== null) {
    return s.variant(String((value as Record<string, unknown>)[s.tagKey]));
  }
  if (s instanceof UnionSchema) {
    const branch = s.branches
      .map(unwrap)
      .find((b) => (Array.isArray(value) ? b.jsonTypes().includes("array") : b.jsonTypes().includes(typeof value)));
    return branch ? objectFor(branch, value) : undefined;
  }
  return undefined;
}

/** Every key that names a setting (not a user-chosen map key), at every depth. */
export function settingKeys(schema: Schema<unknown>, value: unknown, path: Path = []): KeyPlace[] {
  const out: KeyPlace[] = [];
  const s = unwrap(schema);
  const object = objectFor(s, value);
  if (object && typeof value === "object" && value !== null && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      out.push({ path: [...path, key], siblings: object.keys });
      const childSchema = (object.shape as Record<string, Schema<unknown>>)[key];
      if (childSchema) out.push(...settingKeys(childSchema, child, [...path, key]));
    }
  } else if (s instanceof RecordSchema && typeof value === "object" && value !== null) {
    for (const [key, child] of Object.entries(value as Record<string, unknown>))
      out.push(...settingKeys(s.value as Schema<unknown>, child, [...path, key]));
  } else if (s instanceof ArraySchema && Array.isArray(value)) {
    value.forEach((item, i) => out.push(...settingKeys(s.item as Schema<unknown>, item, [...path, i])));
  }
  return out;
}

/** Every string of the file: values at any depth, and the keys of maps. */
export function stringPlaces(schema: Schema<unknown>, value: unknown, path: Path = []): StringPlace[] {
  if (typeof value === "string") return [{ path, isKey: false }];
  const out: StringPlace[] = [];
  const s = unwrap(schema);
  const object = objectFor(s, value);
  if (object && typeof value === "object" && value !== null && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const childSchema = (object.shape as Record<string, Schema<unknown>>)[key];
      if (childSchema) out.push(...stringPlaces(childSchema, child, [...path, key]));
    }
  } else if (s instanceof RecordSchema && typeof value === "object" && value !== null) {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      out.push({ path: [...path, key], isKey: true });
      out.push(...stringPlaces(s.value as Schema<unknown>, child, [...path, key]));
    }
  } else if (s instanceof ArraySchema && Array.isArray(value)) {
    value.forEach((item, i) => out.push(...stringPlaces(s.item as Schema<unknown>, item, [...path, i])));
  }
  return out;
}

/** The object holding `path`'s last segment. */
export function parentOf(root: unknown, path: Path): Record<string, unknown> {
  let node = root as Record<string | number, unknown>;
  for (const part of path.slice(0, -1)) node = node[part] as Record<string | number, unknown>;
  return node as Record<string, unknown>;
}

/** Renames a key in place, keeping the key order (so messages list fields as the file does). */
export function renameKey(root: unknown, path: Path, to: string): void {
  const parent = parentOf(root, path);
  const from = String(path[path.length - 1]);
  const entries = Object.entries(parent);
  for (const key of Object.keys(parent)) delete parent[key];
  for (const [key, value] of entries)
    Object.defineProperty(parent, key === from ? to : key, { value, enumerable: true, writable: true, configurable: true });
}

export function setAt(root: unknown, path: Path, value: unknown): void {
  parentOf(root, path)[path[path.length - 1] as string] = value;
}

export const pathText = (path: Path): string => jsonPath(path);
