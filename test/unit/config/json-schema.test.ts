/**
 * The published JSON Schema: generated from the one schema, committed up to date, shipped in the
 * package, referenced by the examples; and an editor checking a broken file with it points at the
 * same field as our error does.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, jsonPath } from "../../../lib/core/errors";
import { parseStrictJson } from "../../../lib/config/json-parser";
import { EXAMPLE_CONFIG_DIR } from "../../../stacks/build-app";
import {
  configJsonSchema,
  EXAMPLE_SCHEMA_REFERENCE,
  JSON_SCHEMA_PATH,
  README_BEGIN,
  README_END,
  renderConfigJsonSchema,
  renderConfigReference,
} from "../../../stacks/config/config-reference";
import { parseLayoutConfig } from "../../../stacks/config/load-config";
import { exampleJson } from "../../support/layouts";

const ROOT = join(__dirname, "..", "..", "..");
const EXAMPLES = ["two-version.staging.json", "blue-green.production.json"] as const;

type Json = { [key: string]: any };

/**
 * A small JSON Schema (draft-07) checker for the keywords our schema emits, reporting like an
 * editor: an unknown or missing property at the property, anything else at the value.
 */
function editorErrors(schema: Json, value: unknown, path: (string | number)[] = []): string[] {
  const at = (p: (string | number)[]) => jsonPath(p);
  const errors: string[] = [];
  const typeOf = (v: unknown) => (Array.isArray(v) ? "array" : v === null ? "null" : Number.isInteger(v) ? "integer" : typeof v);
  if (schema.type) {
    const t = typeOf(value);
    const ok = schema.type === t || (schema.type === "number" && t === "integer");
    if (!ok) return [at(path)];
  }
  if (schema.const !== undefined && value !== schema.const) errors.push(at(path));
  if (schema.enum && !schema.enum.includes(value)) errors.push(at(path));
  if (typeof value === "string") {
    if (schema.maxLength !== undefined && value.length > schema.maxLength) errors.push(at(path));
    if (schema.minLength !== undefined && value.length < schema.minLength) errors.push(at(path));
    if (schema.pattern && !new RegExp(schema.pattern).test(value)) errors.push(at(path));
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(at(path));
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(at(path));
  }
  if (schema.not && editorErrors(schema.not, value, path).length === 0) errors.push(at(path));
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return [...errors, at(path)];
    if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(at(path));
    if (schema.items) value.forEach((item, i) => errors.push(...editorErrors(schema.items, item, [...path, i])));
  }
  if (typeOf(value) === "object") {
    const obj = value as Json;
    const keys = Object.keys(obj);
    if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) return [...errors, at(path)];
    if (schema.minProperties !== undefined && keys.length < schema.minProperties) errors.push(at(path));
    for (const key of keys) {
      if (schema.propertyNames && editorErrors(schema.propertyNames, key).length > 0) {
        errors.push(at([...path, key]));
        continue;
      }
      if (schema.properties && key in schema.properties) errors.push(...editorErrors(schema.properties[key], obj[key], [...path, key]));
      else if (schema.additionalProperties === false) errors.push(at([...path, key]));
      else if (typeof schema.additionalProperties === "object")
        errors.push(...editorErrors(schema.additionalProperties, obj[key], [...path, key]));
    }
    for (const key of schema.required ?? []) if (!(key in obj)) errors.push(at([...path, key]));
  }
  for (const part of schema.allOf ?? []) {
    if (part.if) {
      if (editorErrors(part.if, value, path).length === 0) errors.push(...editorErrors(part.then, value, path));
    } else {
      errors.push(...editorErrors(part, value, path));
    }
  }
  if (schema.anyOf) {
    const results = schema.anyOf.map((branch: Json) => editorErrors(branch, value, path));
    if (!results.some((r: string[]) => r.length === 0)) {
      const sameType = schema.anyOf.findIndex(
        (branch: Json) => branch.type === typeOf(value) || (branch.type === "number" && typeOf(value) === "integer"),
      );
      errors.push(...(sameType >= 0 ? results[sameType] : [at(path)]));
    }
  }
  return [...new Set(errors)];
}

/** The JSON paths our own check reports for a raw configuration. */
function ourErrors(raw: unknown, file: string): string[] {
  try {
    parseLayoutConfig(raw, file);
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.violations.map((v) => v.field.replace(`${file}: `, ""));
  }
}

describe("the published JSON Schema", () => {
  test(`${JSON_SCHEMA_PATH} is what the schema generates (run scripts/config-reference.ts after a change)`, () => {
    expect(readFileSync(join(ROOT, JSON_SCHEMA_PATH), "utf8")).toBe(renderConfigJsonSchema());
  });

  test("the README's configuration reference is what the schema generates", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const block = readme.slice(readme.indexOf(README_BEGIN), readme.indexOf(README_END) + README_END.length);
    expect(block).toBe(renderConfigReference());
  });

  test("it ships in the package", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { files: string[] };
    expect(pkg.files).toContain(JSON_SCHEMA_PATH.split("/")[0]);
  });

  test.each(EXAMPLES)("%s references it with $schema, and validates against it", (file) => {
    const text = readFileSync(join(EXAMPLE_CONFIG_DIR, file), "utf8");
    const raw = parseStrictJson(text, file) as Json;
    expect(raw.$schema).toBe(EXAMPLE_SCHEMA_REFERENCE);
    expect(join(EXAMPLE_CONFIG_DIR, EXAMPLE_SCHEMA_REFERENCE)).toBe(join(ROOT, JSON_SCHEMA_PATH));
    expect(editorErrors(configJsonSchema(), raw)).toEqual([]);
  });

  test("every key of the schema has a description for editors", () => {
    const missing: string[] = [];
    const walk = (schema: Json, path: string) => {
      for (const [key, child] of Object.entries<Json>(schema.properties ?? {})) {
        if (!child.description && !child.const && !child.enum) missing.push(`${path}.${key}`);
        walk(child, `${path}.${key}`);
        if (child.items) walk(child.items, `${path}.${key}[]`);
        if (typeof child.additionalProperties === "object") walk(child.additionalProperties, `${path}.${key}.*`);
        for (const part of child.allOf ?? []) if (part.then) walk(part.then, `${path}.${key}`);
        for (const branch of child.anyOf ?? []) walk(branch, `${path}.${key}`);
      }
      for (const part of schema.allOf ?? []) if (part.then) walk(part.then, path);
    };
    walk(configJsonSchema(), "");
    expect(missing).toEqual([]);
  });

  const broken: [string, (typeof EXAMPLES)[number], (c: Json) => void][] = [
    ["a misspelt fleet key", "two-version.staging.json", (c) => (c.fleets.rails4.instanceTyp = "m7i.large")],
    ["a misspelt key three levels down", "blue-green.production.json", (c) => (c.fleets.green.stateful = { drainCommnd: "sync" })],
    ["a number in quotes", "two-version.staging.json", (c) => (c.fleets.rails3.capacity.min = "2")],
    ["a missing required key", "two-version.staging.json", (c) => delete c.network.vpcId],
    ["a list where a string goes", "blue-green.production.json", (c) => (c.maintenance.response = { type: "fixed-response", body: ["x"] })],
    ["an unknown enum value", "two-version.staging.json", (c) => (c.state = { backend: "consul" })],
    ["an unknown layout", "two-version.staging.json", (c) => (c.layout = "canary")],
    ["a tag value over 256 characters", "two-version.staging.json", (c) => (c.tags.Owner = "x".repeat(300))],
    [
      "too many tags",
      "two-version.staging.json",
      (c) => (c.tags = Object.fromEntries(Array.from({ length: 41 }, (_, i) => [`T${i}`, "x"]))),
    ],
    ["a misspelt routing key", "two-version.staging.json", (c) => (c.routing.routes[0].match.path = ["/x"])],
    ["an empty override header", "blue-green.production.json", (c) => (c.overrideHeader = "")],
    [
      "a misspelt egress key",
      "two-version.staging.json",
      (c) => (c.fleets.rails3.extraEgress = [{ description: "db", port: 5432, protocl: "udp" }]),
    ],
    ["an ID holding an expression", "two-version.staging.json", (c) => (c.network.vpcId = "${var.vpc}")],
    [
      "a reserved key",
      "two-version.staging.json",
      (c) => Object.defineProperty(c.fleets, "constructor", { value: c.fleets.rails4, enumerable: true }),
    ],
  ];

  test.each(broken)("an editor checking a file with %s points at the same field as our error", (_label, file, edit) => {
    const raw = exampleJson(file);
    edit(raw);
    const ours = ourErrors(raw, file);
    expect(ours).toHaveLength(1);
    expect(editorErrors(configJsonSchema(), raw)).toEqual(ours);
  });
});
