/**
 * Values a plan leaves unknown only because they come from another resource: an Auto Scaling
 * group's `launch_template.id = "${aws_launch_template.Web.id}"`, a listener's
 * `load_balancer_arn`, a dashboard body that embeds `${aws_lb.Main.arn_suffix}`. After a real
 * apply each holds the referenced resource's value, which the "as applied" state already knows
 * as a placeholder. Resolving them while the state is built (instead of in the next plan) is
 * what lets the state converge in two plans instead of four (see plan-diff.ts).
 *
 * The configured value is read from the plan's `configuration` section: for a JSON
 * configuration (cdktf's `cdk.tf.json`), `constant_value` holds the value as written, templates
 * included. References (`${a.b.c}`), string templates of them, and the few functions cdktf
 * writes (`jsonencode`, `element(split(...))`, `format`...: hcl-expression.ts) are evaluated,
 * in lists, sets, maps and objects too. Anything else (`%{ if }` directives, `var.` references,
 * other functions) stays unknown and is left to Terraform's next plan. Pure: no process, no file.
 */
import { EvaluationFailed, evaluateTemplate } from "./hcl-expression";
import { UnknownMarkers } from "./plan-json";
import { CtyType, SchemaBlock, SchemaBlockType } from "./provider-schema";

/** The value a reference (`aws_lb.Main.arn`, `data.aws_partition.P.partition`) has in the state being built. */
export type ReferenceLookup = (traversal: string) => { readonly found: true; readonly value: unknown } | { readonly found: false };

type Evaluated = { readonly ok: true; readonly value: unknown } | { readonly ok: false };
const FAILED: Evaluated = { ok: false };

const NOT_RESOURCES = new Set(["var", "local", "module", "each", "count", "path", "terraform", "self"]);
const TRAVERSAL = /^(?:data\.)?[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*(?:\[\d+\]|\["[^"\]]*"\]|\.[\w-]+)+$/;

/** Whether `text` is a plain reference to a resource or data source attribute (no function, no operator). */
export function isResourceTraversal(text: string): boolean {
  return TRAVERSAL.test(text) && !NOT_RESOURCES.has(text.split(/[.[]/)[0]);
}

/**
 * Splits a traversal into the resource instance address and the attribute path:
 * `aws_lb.Main.access_logs[0].bucket` -> `aws_lb.Main`, `["access_logs", "0", "bucket"]`.
 */
export function splitTraversal(traversal: string): { readonly address: string; readonly path: readonly string[] } {
  const segments: string[] = [];
  for (const match of traversal.matchAll(/\[(\d+)\]|\["([^"\]]*)"\]|\.?([\w-]+)/g)) segments.push(match[1] ?? match[2] ?? match[3]);
  const head = segments[0] === "data" ? 3 : 2;
  let address = traversal.startsWith("data.") ? `data.${segments[1]}.${segments[2]}` : `${segments[0]}.${segments[1]}`;
  let rest = segments.slice(head);
  // An index right after the name selects an instance of a counted resource: `aws_x.y[0].id`.
  const indexed = traversal.slice(address.length).match(/^\[(\d+|"[^"\]]*")\]/);
  if (indexed) {
    address = `${address}[${indexed[1]}]`;
    rest = rest.slice(1);
  }
  return { address, path: rest };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function containsTrue(marker: unknown): boolean {
  if (marker === true) return true;
  if (Array.isArray(marker)) return marker.some(containsTrue);
  if (isPlainObject(marker)) return Object.values(marker).some(containsTrue);
  return false;
}

/** Converts a value to a cty type as Terraform's automatic conversions do; fails where Terraform would. */
export function convertTo(value: unknown, type: CtyType): Evaluated {
  if (value === null) return { ok: true, value: null };
  if (typeof type === "string") {
    switch (type) {
      case "string":
        if (typeof value === "string") return { ok: true, value };
        if (typeof value === "number" || typeof value === "boolean") return { ok: true, value: String(value) };
        return FAILED;
      case "number":
        if (typeof value === "number") return { ok: true, value };
        if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return { ok: true, value: Number(value) };
        return FAILED;
      case "bool":
        if (typeof value === "boolean") return { ok: true, value };
        if (value === "true" || value === "false") return { ok: true, value: value === "true" };
        return FAILED;
      default:
        return { ok: true, value };
    }
  }
  const [kind, inner] = type;
  if (kind === "list" || kind === "set") {
    if (!Array.isArray(value)) return FAILED;
    return all(
      value.map((item) => convertTo(item, inner as CtyType)),
      (items) => items,
    );
  }
  if (kind === "tuple") {
    const types = inner as CtyType[];
    if (!Array.isArray(value) || value.length !== types.length) return FAILED;
    return all(
      value.map((item, i) => convertTo(item, types[i])),
      (items) => items,
    );
  }
  if (kind === "map") {
    if (!isPlainObject(value)) return FAILED;
    const keys = Object.keys(value);
    return all(
      keys.map((k) => convertTo(value[k], inner as CtyType)),
      (items) => Object.fromEntries(keys.map((k, i) => [k, items[i]])),
    );
  }
  if (kind === "object") {
    if (!isPlainObject(value)) return FAILED;
    const types = inner as Record<string, CtyType>;
    const keys = Object.keys(types);
    return all(
      keys.map((k) => convertTo(value[k] ?? null, types[k])),
      (items) => Object.fromEntries(keys.map((k, i) => [k, items[i]])),
    );
  }
  return { ok: true, value };
}

function all(results: Evaluated[], build: (values: unknown[]) => unknown): Evaluated {
  if (results.some((r) => !r.ok)) return FAILED;
  return { ok: true, value: build(results.map((r) => (r as { value: unknown }).value)) };
}

/** Evaluates a configured value (as written in JSON) when it needs only what `lookup` knows and hcl-expression.ts evaluates; fails otherwise. */
export function evaluateConfigured(raw: unknown, type: CtyType, lookup: ReferenceLookup): Evaluated {
  if (typeof raw === "string") {
    if (!raw.includes("${") && !raw.includes("%{")) return convertTo(raw, type);
    try {
      return convertTo(evaluateTemplate(raw, lookup), type);
    } catch (error) {
      if (error instanceof EvaluationFailed) return FAILED;
      throw error;
    }
  }
  if (Array.isArray(raw)) {
    const kind = Array.isArray(type) ? type[0] : type;
    if (kind === "tuple") {
      const types = (type as [string, CtyType[]])[1];
      if (raw.length !== types.length) return FAILED;
      return all(
        raw.map((item, i) => evaluateConfigured(item, types[i], lookup)),
        (items) => items,
      );
    }
    const element: CtyType = kind === "list" || kind === "set" ? (type as [string, CtyType])[1] : "dynamic";
    return all(
      raw.map((item) => evaluateConfigured(item, element, lookup)),
      (items) => items,
    );
  }
  if (isPlainObject(raw)) {
    const kind = Array.isArray(type) ? type[0] : type;
    const keys = kind === "object" ? Object.keys((type as [string, Record<string, CtyType>])[1]) : Object.keys(raw);
    const typeOf = (k: string): CtyType =>
      kind === "object" ? (type as [string, Record<string, CtyType>])[1][k] : kind === "map" ? (type as [string, CtyType])[1] : "dynamic";
    return all(
      keys.map((k) => evaluateConfigured(raw[k] ?? null, typeOf(k), lookup)),
      (items) => Object.fromEntries(keys.map((k, i) => [k, items[i]])),
    );
  }
  return convertTo(raw ?? null, type);
}

/** The configured value of an attribute expression, when the plan recorded one. */
function configuredValue(expression: unknown): { readonly raw: unknown } | undefined {
  return isPlainObject(expression) && "constant_value" in expression ? { raw: expression.constant_value } : undefined;
}

interface Resolved {
  readonly value: unknown;
  readonly unknown: UnknownMarkers | undefined;
}

/** Resolves the unknowns of one attribute value from its configured value. */
function resolveAttribute(value: unknown, marker: UnknownMarkers, raw: unknown, type: CtyType, lookup: ReferenceLookup): Resolved {
  if (marker === true) {
    const evaluated = evaluateConfigured(raw, type, lookup);
    return evaluated.ok ? { value: evaluated.value, unknown: false } : { value, unknown: true };
  }
  const [kind, inner] = Array.isArray(type) ? type : [type, undefined];
  if ((kind === "map" || kind === "object") && isPlainObject(marker) && isPlainObject(raw)) {
    const out: Record<string, unknown> = isPlainObject(value) ? { ...value } : {};
    const markers: Record<string, UnknownMarkers> = { ...marker };
    for (const [key, m] of Object.entries(marker)) {
      if (!containsTrue(m) || !(key in raw)) continue;
      const t = kind === "map" ? (inner as CtyType) : (inner as Record<string, CtyType>)[key];
      if (t === undefined) continue;
      const r = resolveAttribute(out[key], m, raw[key], t, lookup);
      out[key] = r.value;
      markers[key] = r.unknown ?? false;
    }
    return { value: out, unknown: markers };
  }
  if (
    (kind === "list" || kind === "tuple") &&
    Array.isArray(marker) &&
    Array.isArray(raw) &&
    Array.isArray(value) &&
    raw.length === value.length
  ) {
    const out = [...value];
    const markers = [...marker];
    marker.forEach((m, i) => {
      if (!containsTrue(m)) return;
      const t = kind === "list" ? (inner as CtyType) : (inner as CtyType[])[i];
      const r = resolveAttribute(out[i], m, raw[i], t, lookup);
      out[i] = r.value;
      markers[i] = r.unknown ?? false;
    });
    return { value: out, unknown: markers };
  }
  if (kind === "set") {
    // Set elements have no stable index to pair with the configuration: resolve the whole set or nothing.
    const evaluated = evaluateConfigured(raw, type, lookup);
    if (evaluated.ok) return { value: evaluated.value, unknown: false };
  }
  return { value, unknown: marker };
}

/** The primitive values of a configured block element that are written as constants (no references). */
function constantsOf(expressions: Record<string, unknown>): Array<[string, unknown]> {
  return Object.entries(expressions).flatMap(([key, expression]) => {
    const configured = configuredValue(expression);
    if (!configured || (isPlainObject(expression) && Array.isArray(expression.references) && expression.references.length > 0)) return [];
    const raw = configured.raw;
    return raw === null || typeof raw === "object" ? [] : [[key, raw] as [string, unknown]];
  });
}

/**
 * The configured element of a set of blocks that a planned element came from. Terraform orders
 * set elements its own way, so they are paired by their constant attributes (a weighted
 * forward's `weight`); no pairing is made when that leaves more than one candidate.
 */
function matchSetElement(planned: unknown, configured: readonly unknown[]): Record<string, unknown> | undefined {
  if (configured.length === 1) return isPlainObject(configured[0]) ? configured[0] : undefined;
  if (!isPlainObject(planned)) return undefined;
  const candidates = configured.filter(
    (c): c is Record<string, unknown> =>
      isPlainObject(c) &&
      constantsOf(c).every(([key, raw]) => planned[key] === undefined || planned[key] === null || String(planned[key]) === String(raw)),
  );
  return candidates.length === 1 ? candidates[0] : undefined;
}

function resolveNestedBlocks(
  items: unknown,
  markers: UnknownMarkers,
  expression: unknown,
  blockType: SchemaBlockType,
  lookup: ReferenceLookup,
  path: string,
  unresolved?: string[],
): Resolved {
  if (blockType.nesting_mode === "single" || blockType.nesting_mode === "group") {
    const configured = Array.isArray(expression) ? expression[0] : expression;
    return resolveReferencedUnknowns(items, markers, configured, blockType.block, lookup, unresolved, path);
  }
  if (blockType.nesting_mode === "map" || !Array.isArray(items) || !Array.isArray(markers)) return { value: items, unknown: markers };
  const configured = Array.isArray(expression) ? expression : [expression];
  const out = [...items];
  const outMarkers = [...markers];
  items.forEach((item, i) => {
    if (!containsTrue(markers[i])) return;
    const element = blockType.nesting_mode === "set" ? matchSetElement(item, configured) : configured[i];
    if (!isPlainObject(element)) {
      // A configured block whose element could not be paired: what it configures stays unknown.
      unresolved?.push(`${path}.${i}`);
      return;
    }
    const r = resolveReferencedUnknowns(item, markers[i], element, blockType.block, lookup, unresolved, `${path}.${i}`);
    out[i] = r.value;
    outMarkers[i] = r.unknown ?? false;
  });
  return { value: out, unknown: outMarkers };
}

/**
 * Resolves, in a planned object (`change.after` with its `after_unknown` markers), every unknown
 * whose configured value (`configuration...expressions`) needs only references that `lookup`
 * can answer. Returns the object with those values set and their markers cleared; the rest is
 * left unknown. `unresolved` collects the paths of configured values left unknown: only the
 * next plan knows them (computed attributes nobody configured are placeholders, not listed).
 */
export function resolveReferencedUnknowns(
  value: unknown,
  unknown: UnknownMarkers | undefined,
  expressions: unknown,
  block: SchemaBlock,
  lookup: ReferenceLookup,
  unresolved?: string[],
  path = "",
): Resolved {
  if (!isPlainObject(unknown) || !isPlainObject(expressions) || !containsTrue(unknown)) return { value, unknown };
  const out: Record<string, unknown> = isPlainObject(value) ? { ...value } : {};
  const markers: Record<string, UnknownMarkers> = { ...unknown };
  for (const [key, marker] of Object.entries(unknown)) {
    if (!containsTrue(marker) || !(key in expressions)) continue;
    const here = path ? `${path}.${key}` : key;
    const attribute = block.attributes?.[key];
    if (attribute) {
      const configured = configuredValue(expressions[key]);
      if (!configured || attribute.type === undefined) {
        unresolved?.push(here);
        continue;
      }
      const r = resolveAttribute(out[key], marker, configured.raw, attribute.type, lookup);
      out[key] = r.value;
      markers[key] = r.unknown ?? false;
      if (containsTrue(r.unknown)) unresolved?.push(here);
      continue;
    }
    const blockType = block.block_types?.[key];
    if (!blockType || marker === true) {
      if (blockType) unresolved?.push(here);
      continue;
    }
    const r = resolveNestedBlocks(out[key], marker, expressions[key], blockType, lookup, here, unresolved);
    out[key] = r.value;
    markers[key] = r.unknown ?? false;
  }
  return { value: out, unknown: markers };
}
