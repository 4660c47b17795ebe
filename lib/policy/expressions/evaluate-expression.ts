/**
 * Evaluates synthesized attribute values as far as they are known at synth: literals, locals,
 * and the Terraform functions cdktf users write policies with (`jsonencode`, `concat`, `format`,
 * `join`, `lookup`, `merge`, conditionals). What stays unknown (a resource's ARN, the Region, a
 * variable) becomes an opaque part that remembers where it comes from.
 * Pure TypeScript (no cdktf import).
 */
import { Expression, expressionText, HclSyntaxError, parseTemplateString, TraversalStep } from "../../core/hcl-syntax";
import {
  display,
  fromJson,
  itemsOf,
  ListItem,
  opaque,
  Opaque,
  OpaqueOrigin,
  opaquesIn,
  scalar,
  StaticValue,
  stringParts,
  textOf,
  worstOrigin,
} from "./static-value";

/** What an expression may refer to. */
export interface EvaluationScope {
  /** The stack's locals with their synthesized values, by name. */
  readonly locals: Readonly<Record<string, unknown>>;
  /** True for the address of an `aws_iam_policy_document` data source of the stack. */
  readonly isPolicyDocument: (address: string) => boolean;
}

export const EMPTY_SCOPE: EvaluationScope = { locals: {}, isPolicyDocument: () => false };

/** Roots whose values the stack does not fix. */
const VARIABLE_ROOTS = new Set(["var", "each", "count", "self"]);

/**
 * Evaluates an attribute tree of cdk.tf.json: strings are Terraform templates, arrays and
 * objects are evaluated item by item.
 * @throws HclSyntaxError when a string is not a valid template
 */
export function evaluateAttribute(value: unknown, scope: EvaluationScope, visitingLocals: ReadonlySet<string> = new Set()): StaticValue {
  if (typeof value === "string") {
    if (!value.includes("${") && !value.includes("%{")) return scalar(value);
    return evaluate(parseTemplateString(value), scope, visitingLocals);
  }
  if (Array.isArray(value)) {
    return { kind: "list", items: value.map((v) => ({ value: evaluateAttribute(v, scope, visitingLocals), certain: true })) };
  }
  if (typeof value === "object" && value !== null) {
    return {
      kind: "object",
      fields: new Map(Object.entries(value).map(([k, v]) => [k, evaluateAttribute(v, scope, visitingLocals)])),
    };
  }
  return fromJson(value);
}

/** Evaluates a parsed expression. */
export function evaluate(expression: Expression, scope: EvaluationScope, visitingLocals: ReadonlySet<string> = new Set()): StaticValue {
  const ev = (e: Expression) => evaluate(e, scope, visitingLocals);
  switch (expression.kind) {
    case "literal":
      return scalar(expression.value);
    case "template": {
      // A template that is a single interpolation yields the value itself, unconverted (HCL spec).
      if (expression.parts.length === 1 && typeof expression.parts[0] !== "string") return ev(expression.parts[0]);
      return textOf(expression.parts.flatMap((p) => (typeof p === "string" ? [p] : asStringParts(ev(p), p))));
    }
    case "tuple":
      return { kind: "list", items: expression.items.map((i) => ({ value: ev(i), certain: true })) };
    case "object": {
      const fields = new Map<string, StaticValue>();
      for (const entry of expression.entries) {
        const key = ev(entry.key);
        if (key.kind !== "scalar" || key.value === null) return computed(expressionText(expression), [key]);
        fields.set(String(key.value), ev(entry.value));
      }
      return { kind: "object", fields };
    }
    case "traversal":
      return traverse(expression.root, expression.steps, scope, visitingLocals);
    case "access":
      return applySteps(ev(expression.target), expression.steps, expressionText(expression), scope, visitingLocals);
    case "call":
      return callFunction(expression, expression.args.map(ev));
    case "conditional": {
      const condition = ev(expression.condition);
      if (condition.kind === "scalar" && typeof condition.value === "boolean")
        return ev(condition.value ? expression.whenTrue : expression.whenFalse);
      return { kind: "oneOf", options: [ev(expression.whenTrue), ev(expression.whenFalse)] };
    }
    case "operator":
      return operate(expression.operator, expression.operands.map(ev), expressionText(expression));
    case "opaque":
      return opaque(expression.text, /\b(var|each|count)\./.test(expression.text) ? "variable" : "computed");
  }
}

function asStringParts(value: StaticValue, source: Expression): (string | Opaque)[] {
  return stringParts(value) ?? [{ source: expressionText(source), origin: worstOrigin(opaquesIn(value).map((o) => o.origin)) }];
}

function computed(source: string, inputs: readonly StaticValue[]): StaticValue {
  return opaque(
    source,
    worstOrigin(
      inputs
        .flatMap(opaquesIn)
        .map((o) => o.origin)
        .concat("computed"),
    ),
  );
}

function traverse(root: string, steps: readonly TraversalStep[], scope: EvaluationScope, visitingLocals: ReadonlySet<string>): StaticValue {
  const source = `${root}${steps.map((s) => (s.kind === "attribute" ? `.${s.name}` : `[${expressionText(s.key)}]`)).join("")}`;
  if (VARIABLE_ROOTS.has(root)) return opaque(source, "variable");
  if (root === "local") {
    const first = steps[0];
    if (first?.kind !== "attribute" || !(first.name in scope.locals) || visitingLocals.has(first.name)) return opaque(source, "computed");
    const value = evaluateAttribute(scope.locals[first.name], scope, new Set([...visitingLocals, first.name]));
    return applySteps(value, steps.slice(1), source, scope, visitingLocals);
  }
  if (root === "data") {
    const [type, name, attribute] = steps;
    if (type?.kind === "attribute" && name?.kind === "attribute") {
      const address = `data.${type.name}.${name.name}`;
      const isJson = attribute?.kind === "attribute" && (attribute.name === "json" || attribute.name === "minified_json");
      if (isJson && steps.length === 3 && scope.isPolicyDocument(address)) return opaque(source, "reference", address);
    }
    return opaque(source, "reference");
  }
  return opaque(source, "reference");
}

function applySteps(
  value: StaticValue,
  steps: readonly TraversalStep[],
  source: string,
  scope: EvaluationScope,
  visitingLocals: ReadonlySet<string>,
): StaticValue {
  let current = value;
  for (const step of steps) {
    const key = step.kind === "attribute" ? scalar(step.name) : evaluate(step.key, scope, visitingLocals);
    if (key.kind !== "scalar" || key.value === null) return computed(source, [current, key]);
    if (current.kind === "object") {
      const next = current.fields.get(String(key.value));
      if (!next) return computed(source, [current]);
      current = next;
    } else if (current.kind === "list" && typeof key.value === "number") {
      const item = current.items[key.value];
      if (!item || !current.items.slice(0, key.value + 1).every((i) => i.certain)) return computed(source, [current]);
      current = item.value;
    } else {
      return current.kind === "opaque" ? opaque(source, current.opaque.origin) : computed(source, [current]);
    }
  }
  return current;
}

const PASS_THROUGH = new Set(["tolist", "toset", "tomap", "tostring", "sensitive", "nonsensitive", "compact", "distinct"]);

function callFunction(call: Extract<Expression, { kind: "call" }>, args: readonly StaticValue[]): StaticValue {
  const source = expressionText(call);
  if (call.expandLast) return computed(source, args);
  const asString = (v: StaticValue | undefined) => (v?.kind === "scalar" && typeof v.value === "string" ? v.value : undefined);
  switch (call.name) {
    case "jsonencode":
      // The document a policy attribute holds is the encoded value itself.
      return args[0] ?? computed(source, args);
    case "jsondecode": {
      const text = asString(args[0]);
      if (text === undefined) return computed(source, args);
      try {
        return fromJson(JSON.parse(text));
      } catch {
        return computed(source, args);
      }
    }
    case "concat":
      return { kind: "list", items: args.flatMap((a) => listItems(a, source)) };
    case "flatten":
      return {
        kind: "list",
        items: (args[0] ? listItems(args[0], source) : []).flatMap((i) => (i.value.kind === "list" ? itemsOf(i.value, i.certain) : [i])),
      };
    case "format": {
      const format = asString(args[0]);
      return format === undefined ? computed(source, args) : formatValue(format, args.slice(1), source);
    }
    case "join": {
      const separator = asString(args[0]);
      if (separator === undefined || !args[1] || args[1].kind !== "list") return computed(source, args);
      const items = listItems(args[1], source);
      if (!items.every((i) => i.certain)) return computed(source, args);
      return textOf(
        items.flatMap((item, i) => [
          ...(i > 0 ? [separator] : []),
          ...(stringParts(item.value) ?? [{ source, origin: "computed" as OpaqueOrigin }]),
        ]),
      );
    }
    case "lookup": {
      const [map, key, fallback] = args;
      const name = key?.kind === "scalar" && key.value !== null ? String(key.value) : undefined;
      if (map?.kind !== "object" || name === undefined) return computed(source, args);
      return map.fields.get(name) ?? fallback ?? computed(source, args);
    }
    case "merge": {
      if (!args.every((a) => a.kind === "object")) return computed(source, args);
      const fields = new Map<string, StaticValue>();
      for (const a of args) if (a.kind === "object") for (const [k, v] of a.fields) fields.set(k, v);
      return { kind: "object", fields };
    }
    case "element": {
      const [list, index] = args;
      if (list?.kind !== "list" || index?.kind !== "scalar" || typeof index.value !== "number" || !list.items.every((i) => i.certain)) {
        return computed(source, args);
      }
      return list.items.length === 0 ? computed(source, args) : list.items[index.value % list.items.length].value;
    }
    case "base64encode": {
      const text = asString(args[0]);
      return text === undefined ? computed(source, args) : scalar(Buffer.from(text, "utf8").toString("base64"));
    }
    case "base64decode": {
      const text = asString(args[0]);
      return text === undefined ? computed(source, args) : scalar(Buffer.from(text, "base64").toString("utf8"));
    }
    case "lower":
    case "upper":
    case "trimspace": {
      const text = asString(args[0]);
      if (text === undefined) return computed(source, args);
      return scalar(call.name === "lower" ? text.toLowerCase() : call.name === "upper" ? text.toUpperCase() : text.trim());
    }
    case "split": {
      const [separator, text] = [asString(args[0]), asString(args[1])];
      if (separator === undefined || text === undefined) return computed(source, args);
      return { kind: "list", items: text.split(separator).map((s) => ({ value: scalar(s), certain: true })) };
    }
    case "replace": {
      const [text, from, to] = args.map(asString);
      if (text === undefined || from === undefined || to === undefined || from.startsWith("/")) return computed(source, args);
      return scalar(text.split(from).join(to));
    }
    default:
      if (PASS_THROUGH.has(call.name) && args.length === 1) return args[0];
      return computed(source, args);
  }
}

/** The items an argument of `concat` contributes; an unknown list is one uncertain opaque item. */
function listItems(value: StaticValue, source: string): ListItem[] {
  if (value.kind === "list" || value.kind === "oneOf") return itemsOf(value);
  return [{ value: value.kind === "opaque" ? value : computed(source, [value]), certain: false }];
}

/** `format` with the verbs cdktf users write (%s, %d, %v, %q, %t, with flags and width). */
function formatValue(format: string, args: readonly StaticValue[], source: string): StaticValue {
  const parts: (string | Opaque)[] = [];
  let next = 0;
  const verb = /%(%|[-+# 0]*\d*(?:\.\d+)?([sdvqtfxXeEgGbo]))/g;
  let last = 0;
  for (let m = verb.exec(format); m; m = verb.exec(format)) {
    parts.push(format.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1] === "%") {
      parts.push("%");
      continue;
    }
    const arg = args[next++];
    if (!arg) return computed(source, args);
    const argParts = stringParts(arg);
    if (!argParts) return computed(source, args);
    parts.push(...(m[2] === "q" ? ['"', ...argParts, '"'] : argParts));
  }
  parts.push(format.slice(last));
  return textOf(parts);
}

function operate(operator: string, operands: readonly StaticValue[], source: string): StaticValue {
  if (!operands.every((o) => o.kind === "scalar")) return computed(source, operands);
  const values = operands.map((o) => (o.kind === "scalar" ? o.value : null));
  const [a, b] = values;
  switch (operator) {
    case "!":
      return typeof a === "boolean" ? scalar(!a) : computed(source, operands);
    case "==":
      return scalar(a === b);
    case "!=":
      return scalar(a !== b);
    case "&&":
      return typeof a === "boolean" && typeof b === "boolean" ? scalar(a && b) : computed(source, operands);
    case "||":
      return typeof a === "boolean" && typeof b === "boolean" ? scalar(a || b) : computed(source, operands);
    default:
      return computed(source, operands);
  }
}

/** Evaluates a string attribute, or explains why it cannot be read. */
export function tryEvaluateAttribute(value: unknown, scope: EvaluationScope): StaticValue | { error: string } {
  try {
    return evaluateAttribute(value, scope);
  } catch (error) {
    if (error instanceof HclSyntaxError) return { error: `is not a Terraform expression the pack can parse (${error.message})` };
    throw error;
  }
}

export { display };
