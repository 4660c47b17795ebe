/**
 * A small evaluator of Terraform expressions, for the values a plan leaves unknown only because
 * they are computed from other resources' values with a few functions: cdktf writes
 * `${jsonencode({...})}` for a bucket policy, `${element(split(":", aws_iam_policy.X.arn), 4)}`
 * for an account ID in a local. With the referenced resources' placeholders known, the value
 * after apply is known too; evaluating it here spares a plan (see reference-values.ts).
 *
 * Parsing is lib/core/hcl-syntax.ts (the parser the policy pack reads expressions with); this
 * module evaluates the parsed tree to concrete values. Supported: literals, string templates
 * (`"a-${x}"`), tuples, objects (`{ k = v }`, `{ "k": v }`), references (resources, data sources,
 * `local.`), index and attribute access, the conditional operator, comparison, logic and
 * arithmetic operators, and the functions in FUNCTIONS. Anything else (another function, a
 * `for` expression, a splat, a directive) makes the evaluation fail: the value is then left to
 * Terraform's next plan. A wrong value cannot slip through either: the plan that confirms
 * convergence would show it as a change. Pure: no process, no file.
 *
 * Semantics follow Terraform's documented functions
 * (https://developer.hashicorp.com/terraform/language/functions); `jsonencode` writes object keys
 * in lexical order and escapes `<`, `>`, `&`, U+2028 and U+2029 as Go's encoding/json does.
 */

import { Expression, HclSyntaxError, parseExpression as parseHcl, parseTemplateString, TraversalStep } from "../core/hcl-syntax";

/** The value of a reference, or undefined when it is not known. */
export type TraversalLookup = (traversal: string) => { readonly found: true; readonly value: unknown } | { readonly found: false };

export class EvaluationFailed extends Error {}

const fail = (why: string): never => {
  throw new EvaluationFailed(why);
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Go's encoding/json string escaping, as Terraform's jsonencode writes strings. */
function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Terraform's `jsonencode`: object keys in lexical order, no whitespace. */
export function jsonencode(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return goJsonString(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : fail("a number JSON cannot hold");
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(jsonencode).join(",")}]`;
  const keys = Object.keys(value as object).sort();
  return `{${keys.map((k) => `${goJsonString(k)}:${jsonencode((value as Record<string, unknown>)[k])}`).join(",")}}`;
}

function asString(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return fail("a string was expected");
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : fail("a list was expected");
}

function format(spec: string, args: readonly unknown[]): string {
  let n = 0;
  return spec.replace(/%(%|s|d|v)/g, (_, verb: string) => {
    if (verb === "%") return "%";
    if (n >= args.length) fail("format has more verbs than arguments");
    const arg = args[n++];
    if (verb === "d") return typeof arg === "number" && Number.isInteger(arg) ? String(arg) : fail("%d needs a whole number");
    return asString(arg);
  });
}

/** The functions evaluated here (Terraform's semantics for the arguments cdktf passes them). */
const FUNCTIONS: Readonly<Record<string, (args: unknown[]) => unknown>> = {
  jsonencode: ([v]) => jsonencode(v),
  concat: (lists) => lists.flatMap((l) => asList(l)),
  format: ([spec, ...args]) => format(asString(spec), args),
  element: ([list, index]) => {
    const items = asList(list);
    if (items.length === 0 || typeof index !== "number") return fail("element of an empty list");
    return items[((index % items.length) + items.length) % items.length];
  },
  split: ([separator, s]) => asString(s).split(asString(separator)),
  join: ([separator, list]) => asList(list).map(asString).join(asString(separator)),
  keys: ([m]) => (isPlainObject(m) ? Object.keys(m).sort() : fail("keys of a non-map")),
  contains: ([list, v]) => asList(list).some((item) => JSON.stringify(item) === JSON.stringify(v)),
  lookup: ([m, key, fallback]) =>
    isPlainObject(m) && asString(key) in m ? m[asString(key)] : fallback !== undefined ? fallback : fail("lookup of a missing key"),
  length: ([v]) =>
    typeof v === "string"
      ? [...v].length
      : Array.isArray(v)
        ? v.length
        : isPlainObject(v)
          ? Object.keys(v).length
          : fail("length of a primitive"),
  lower: ([s]) => asString(s).toLowerCase(),
  upper: ([s]) => asString(s).toUpperCase(),
  tostring: ([v]) => (v === null ? null : asString(v)),
};

/**
 * Parses one expression (the inside of `${...}`).
 * @throws EvaluationFailed for text that is not a valid expression
 */
export function parseExpression(source: string): Expression {
  return parsed(() => parseHcl(source));
}

/**
 * Evaluates a string value of cdk.tf.json as Terraform does: a template whose only part is one
 * interpolation keeps the expression's type (a list stays a list); otherwise the parts render as
 * text, and only strings, numbers and booleans may go into it.
 * @throws EvaluationFailed when any part is not known or not supported
 */
export function evaluateTemplate(text: string, lookup: TraversalLookup): unknown {
  return evaluate(
    parsed(() => parseTemplateString(text)),
    lookup,
  );
}

function parsed(parse: () => Expression): Expression {
  try {
    return parse();
  } catch (error) {
    if (error instanceof HclSyntaxError) return fail(`not an expression: ${error.message}`);
    throw error;
  }
}

/** How Terraform renders a primitive inside a string template. */
function templateText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return fail("only strings, numbers and booleans go into a template");
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function asNumber(value: unknown): number {
  return typeof value === "number" ? value : fail("a number was expected");
}

function asBoolean(value: unknown): boolean {
  return typeof value === "boolean" ? value : fail("true or false was expected");
}

const BINARY: Readonly<Record<string, (a: unknown, b: unknown) => unknown>> = {
  "==": (a, b) => same(a, b),
  "!=": (a, b) => !same(a, b),
  "<": (a, b) => asNumber(a) < asNumber(b),
  ">": (a, b) => asNumber(a) > asNumber(b),
  "<=": (a, b) => asNumber(a) <= asNumber(b),
  ">=": (a, b) => asNumber(a) >= asNumber(b),
  "+": (a, b) => asNumber(a) + asNumber(b),
  "-": (a, b) => asNumber(a) - asNumber(b),
  "*": (a, b) => asNumber(a) * asNumber(b),
  "/": (a, b) => (asNumber(b) === 0 ? fail("division by zero") : asNumber(a) / asNumber(b)),
  "%": (a, b) => (asNumber(b) === 0 ? fail("modulo by zero") : asNumber(a) % asNumber(b)),
};

/** Evaluates a parsed expression; throws EvaluationFailed when any part is not known or not supported. */
export function evaluate(node: Expression, lookup: TraversalLookup): unknown {
  switch (node.kind) {
    case "literal":
      return node.value;
    case "template": {
      if (node.parts.length === 1 && typeof node.parts[0] !== "string") return evaluate(node.parts[0], lookup);
      return node.parts.map((p) => (typeof p === "string" ? p : templateText(evaluate(p, lookup)))).join("");
    }
    case "tuple":
      return node.items.map((item) => evaluate(item, lookup));
    case "object":
      return Object.fromEntries(node.entries.map(({ key, value }) => [asString(objectKey(key, lookup)), evaluate(value, lookup)]));
    case "call": {
      const fn = FUNCTIONS[node.name];
      if (!fn || node.expandLast)
        return fail(`function ${node.name}${node.expandLast ? " with expanded arguments" : ""} is not evaluated here`);
      return fn(node.args.map((a) => evaluate(a, lookup)));
    }
    case "conditional":
      return evaluate(asBoolean(evaluate(node.condition, lookup)) ? node.whenTrue : node.whenFalse, lookup);
    case "operator": {
      if (node.operands.length === 1) {
        const operand = evaluate(node.operands[0], lookup);
        if (node.operator === "!") return !asBoolean(operand);
        if (node.operator === "-") return -asNumber(operand);
        return fail(`operator ${node.operator} is not evaluated here`);
      }
      // Both sides are evaluated: an unknown side fails the evaluation and leaves the value to the plan.
      if (node.operator === "&&" || node.operator === "||") {
        const [a, b] = node.operands.map((o) => asBoolean(evaluate(o, lookup)));
        return node.operator === "&&" ? a && b : a || b;
      }
      const op = BINARY[node.operator];
      if (!op) return fail(`operator ${node.operator} is not evaluated here`);
      return op(evaluate(node.operands[0], lookup), evaluate(node.operands[1], lookup));
    }
    case "traversal":
      return evaluateTraversal(node.root, node.steps, lookup);
    case "access":
      return fail("indexing a computed value is not evaluated here");
    case "opaque":
      return fail(`${node.text.slice(0, 40)} is not evaluated here`);
  }
}

/** An object key: a bare name (`{ k = v }`) is the name itself, as in Terraform. */
function objectKey(key: Expression, lookup: TraversalLookup): unknown {
  if (key.kind === "traversal" && key.steps.length === 0) return key.root;
  return evaluate(key, lookup);
}

/** A reference as text (`aws_lb.Main.arn`, `local.Accounts["eu-west-1"]`, `aws_x.y[0].id`), its indexes evaluated. */
function evaluateTraversal(root: string, steps: readonly TraversalStep[], lookup: TraversalLookup): unknown {
  let text = root;
  for (const step of steps) {
    if (step.kind === "attribute") {
      text += `.${step.name}`;
      continue;
    }
    const index = evaluate(step.key, lookup);
    if (typeof index === "number" && Number.isInteger(index)) text += `[${index}]`;
    else if (typeof index === "string" && !index.includes('"')) text += `[${JSON.stringify(index)}]`;
    else fail("an index must be a whole number or a string");
  }
  const found = lookup(text);
  return found.found ? found.value : fail(`${text} is not known`);
}
