/**
 * A small evaluator of Terraform expressions, for the values a plan leaves unknown only because
 * they are computed from other resources' values with a few functions: cdktf writes
 * `${jsonencode({...})}` for a bucket policy, `${element(split(":", aws_iam_policy.X.arn), 4)}`
 * for an account ID in a local. With the referenced resources' placeholders known, the value
 * after apply is known too; evaluating it here spares a plan (see reference-values.ts).
 *
 * Supported: literals, string templates (`"a-${x}"`), tuples, objects (`{ k = v }`, `{ "k": v }`),
 * references (resources, data sources, `local.`), index and attribute access, the conditional
 * operator, `==` / `!=`, and the functions in FUNCTIONS. Anything else (another function, a
 * `for` expression, a splat, a directive) makes the evaluation fail: the value is then left to
 * Terraform's next plan. A wrong value cannot slip through either: the plan that confirms
 * convergence would show it as a change. Pure: no process, no file.
 *
 * Semantics follow Terraform's documented functions
 * (https://developer.hashicorp.com/terraform/language/functions); `jsonencode` writes object keys
 * in lexical order and escapes `<`, `>`, `&`, U+2028 and U+2029 as Go's encoding/json does.
 */

/** The value of a reference, or undefined when it is not known. */
export type TraversalLookup = (traversal: string) => { readonly found: true; readonly value: unknown } | { readonly found: false };

export class EvaluationFailed extends Error {}

const fail = (why: string): never => {
  throw new EvaluationFailed(why);
};

type Token =
  | { readonly kind: "name"; readonly text: string }
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "string"; readonly parts: readonly TemplatePart[] }
  | { readonly kind: "punct"; readonly text: string };

type TemplatePart = { readonly literal: string } | { readonly expression: string };

const PUNCTUATION = ["==", "!=", "{", "}", "[", "]", "(", ")", ",", "=", ":", "?", ".", "!"];

/**
 * Splits a template (the inside of a quoted string, or a whole JSON string value) into literal
 * text and `${...}` interpolations, finding each interpolation's end through nested braces and
 * quoted strings. Fails on `%{` directives.
 */
export function splitTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = "";
  let i = 0;
  while (i < text.length) {
    if (text.startsWith("$${", i)) {
      literal += "${";
      i += 3;
    } else if (text.startsWith("%%{", i)) {
      literal += "%{";
      i += 3;
    } else if (text.startsWith("%{", i)) {
      fail("template directives are not evaluated here");
    } else if (text.startsWith("${", i)) {
      const end = interpolationEnd(text, i + 2);
      if (literal) parts.push({ literal });
      literal = "";
      parts.push({ expression: text.slice(i + 2, end).trim().replace(/^~|~$/g, "").trim() });
      i = end + 1;
    } else {
      literal += text[i];
      i += 1;
    }
  }
  if (literal || parts.length === 0) parts.push({ literal });
  return parts;
}

/** The index of the `}` closing an interpolation whose expression starts at `from`. */
function interpolationEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      i = stringEnd(text, i + 1);
    } else if (c === "{") {
      depth += 1;
    } else if (c === "}") {
      if (depth === 0) return i;
      depth -= 1;
    }
  }
  return fail("unterminated interpolation");
}

/** The index of the `"` closing a quoted string whose content starts at `from` (through escapes and interpolations). */
function stringEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === "\\") i += 1;
    else if (text.startsWith("${", i)) i = interpolationEnd(text, i + 2);
    else if (text[i] === '"') return i;
  }
  return fail("unterminated string");
}

function unescape(raw: string): string {
  return raw.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, e: string) => {
    switch (e[0]) {
      case "n":
        return "\n";
      case "r":
        return "\r";
      case "t":
        return "\t";
      case "u":
      case "U":
        return String.fromCodePoint(parseInt(e.slice(1), 16));
      default:
        return e;
    }
  });
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '"') {
      const end = stringEnd(source, i + 1);
      const inner = source.slice(i + 1, end);
      // Escapes apply to the literal parts only; interpolations are expressions.
      const parts = splitTemplate(inner).map((p) => ("literal" in p ? { literal: unescape(p.literal) } : p));
      tokens.push({ kind: "string", parts });
      i = end + 1;
    } else if (/[0-9]/.test(c)) {
      const match = source.slice(i).match(/^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/)!;
      tokens.push({ kind: "number", value: Number(match[0]) });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = source.slice(i).match(/^[A-Za-z_][A-Za-z0-9_-]*/)!;
      tokens.push({ kind: "name", text: match[0] });
      i += match[0].length;
    } else {
      const punct = PUNCTUATION.find((p) => source.startsWith(p, i));
      if (!punct) fail(`unsupported character ${JSON.stringify(c)}`);
      tokens.push({ kind: "punct", text: punct! });
      i += punct!.length;
    }
  }
  return tokens;
}

/** A parsed expression: evaluated lazily against the lookup. */
type Node =
  | { readonly type: "literal"; readonly value: unknown }
  | { readonly type: "template"; readonly parts: ReadonlyArray<{ literal: string } | { node: Node }> }
  | { readonly type: "traversal"; readonly root: string; readonly steps: ReadonlyArray<string | Node> }
  | { readonly type: "tuple"; readonly items: readonly Node[] }
  | { readonly type: "object"; readonly entries: ReadonlyArray<readonly [Node, Node]> }
  | { readonly type: "call"; readonly name: string; readonly args: readonly Node[] }
  | { readonly type: "conditional"; readonly test: Node; readonly yes: Node; readonly no: Node }
  | { readonly type: "compare"; readonly op: "==" | "!="; readonly left: Node; readonly right: Node }
  | { readonly type: "not"; readonly operand: Node };

class Parser {
  private i = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  parseAll(): Node {
    const node = this.conditional();
    if (this.i !== this.tokens.length) fail("unexpected tokens after the expression");
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private isPunct(text: string): boolean {
    const t = this.peek();
    return t?.kind === "punct" && t.text === text;
  }

  private expect(text: string): void {
    if (!this.isPunct(text)) fail(`expected ${text}`);
    this.i += 1;
  }

  private conditional(): Node {
    const test = this.comparison();
    if (!this.isPunct("?")) return test;
    this.i += 1;
    const yes = this.conditional();
    this.expect(":");
    const no = this.conditional();
    return { type: "conditional", test, yes, no };
  }

  private comparison(): Node {
    const left = this.unary();
    if (this.isPunct("==") || this.isPunct("!=")) {
      const op = (this.tokens[this.i++] as { text: "==" | "!=" }).text;
      return { type: "compare", op, left, right: this.unary() };
    }
    return left;
  }

  private unary(): Node {
    if (this.isPunct("!")) {
      this.i += 1;
      return { type: "not", operand: this.unary() };
    }
    return this.postfix(this.primary());
  }

  private postfix(node: Node): Node {
    let current = node;
    for (;;) {
      if (this.isPunct("[")) {
        this.i += 1;
        const index = this.conditional();
        this.expect("]");
        current = appendStep(current, index);
      } else if (this.isPunct(".")) {
        this.i += 1;
        const t = this.tokens[this.i++];
        if (t?.kind === "name") current = appendStep(current, t.text);
        else if (t?.kind === "number" && Number.isInteger(t.value)) current = appendStep(current, { type: "literal", value: t.value });
        else fail("unsupported attribute access");
      } else {
        return current;
      }
    }
  }

  private primary(): Node {
    const t = this.tokens[this.i++];
    if (!t) return fail("unexpected end of expression");
    if (t.kind === "number") return { type: "literal", value: t.value };
    if (t.kind === "string") {
      return {
        type: "template",
        parts: t.parts.map((p) => ("literal" in p ? p : { node: parseExpression(p.expression) })),
      };
    }
    if (t.kind === "name") {
      if (t.text === "true" || t.text === "false") return { type: "literal", value: t.text === "true" };
      if (t.text === "null") return { type: "literal", value: null };
      if (this.isPunct("(")) {
        this.i += 1;
        const args: Node[] = [];
        while (!this.isPunct(")")) {
          args.push(this.conditional());
          if (this.isPunct(",")) this.i += 1;
          else if (!this.isPunct(")")) fail("expected , or ) in a function call");
        }
        this.i += 1;
        return { type: "call", name: t.text, args };
      }
      return { type: "traversal", root: t.text, steps: [] };
    }
    if (t.text === "(") {
      const inner = this.conditional();
      this.expect(")");
      return inner;
    }
    if (t.text === "[") {
      const items: Node[] = [];
      while (!this.isPunct("]")) {
        items.push(this.conditional());
        if (this.isPunct(",")) this.i += 1;
        else if (!this.isPunct("]")) fail("expected , or ] in a tuple");
      }
      this.i += 1;
      return { type: "tuple", items };
    }
    if (t.text === "{") {
      const entries: Array<readonly [Node, Node]> = [];
      while (!this.isPunct("}")) {
        const keyToken = this.peek();
        // A bare name as a key is the key itself, not a reference (`{ Version = "2012-10-17" }`).
        const key: Node =
          keyToken?.kind === "name" && (this.tokens[this.i + 1] as { text?: string } | undefined)?.text?.match(/^[=:]$/)
            ? (this.i++, { type: "literal", value: keyToken.text })
            : this.conditional();
        if (this.isPunct("=") || this.isPunct(":")) this.i += 1;
        else fail("expected = or : in an object");
        entries.push([key, this.conditional()]);
        if (this.isPunct(",")) this.i += 1;
      }
      this.i += 1;
      return { type: "object", entries };
    }
    return fail(`unexpected ${t.text}`);
  }
}

/** A step of a reference: an attribute name, or an index expression (`[0]`, `["key"]`, `.0`). */
function appendStep(node: Node, step: string | Node): Node {
  if (node.type !== "traversal") fail("indexing a computed value is not evaluated here");
  const traversal = node as Extract<Node, { type: "traversal" }>;
  return { type: "traversal", root: traversal.root, steps: [...traversal.steps, step] };
}

/** Parses one expression (the inside of `${...}`). */
export function parseExpression(source: string): Node {
  return new Parser(tokenize(source)).parseAll();
}

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
  lookup: ([m, key, fallback]) => (isPlainObject(m) && asString(key) in m ? m[asString(key)] : fallback !== undefined ? fallback : fail("lookup of a missing key")),
  length: ([v]) => (typeof v === "string" ? [...v].length : Array.isArray(v) ? v.length : isPlainObject(v) ? Object.keys(v).length : fail("length of a primitive")),
  lower: ([s]) => asString(s).toLowerCase(),
  upper: ([s]) => asString(s).toUpperCase(),
  tostring: ([v]) => (v === null ? null : asString(v)),
};

/** Evaluates a parsed expression; throws EvaluationFailed when any part is not known or not supported. */
export function evaluate(node: Node, lookup: TraversalLookup): unknown {
  switch (node.type) {
    case "literal":
      return node.value;
    case "template": {
      if (node.parts.length === 1 && "node" in node.parts[0]) return evaluate(node.parts[0].node, lookup);
      return node.parts.map((p) => ("literal" in p ? p.literal : asString(evaluate(p.node, lookup)))).join("");
    }
    case "tuple":
      return node.items.map((item) => evaluate(item, lookup));
    case "object":
      return Object.fromEntries(node.entries.map(([k, v]) => [asString(evaluate(k, lookup)), evaluate(v, lookup)]));
    case "call": {
      const fn = FUNCTIONS[node.name];
      if (!fn) return fail(`function ${node.name} is not evaluated here`);
      return fn(node.args.map((a) => evaluate(a, lookup)));
    }
    case "conditional": {
      const test = evaluate(node.test, lookup);
      if (typeof test !== "boolean") return fail("a condition must be true or false");
      return evaluate(test ? node.yes : node.no, lookup);
    }
    case "compare": {
      const same = JSON.stringify(evaluate(node.left, lookup)) === JSON.stringify(evaluate(node.right, lookup));
      return node.op === "==" ? same : !same;
    }
    case "not": {
      const operand = evaluate(node.operand, lookup);
      return typeof operand === "boolean" ? !operand : fail("! of a non-boolean");
    }
    case "traversal":
      return evaluateTraversal(node, lookup);
  }
}

/** A reference as text (`aws_lb.Main.arn`, `local.Accounts["eu-west-1"]`, `aws_x.y[0].id`), its indexes evaluated. */
function evaluateTraversal(node: Extract<Node, { type: "traversal" }>, lookup: TraversalLookup): unknown {
  let text = node.root;
  for (const step of node.steps) {
    if (typeof step === "string") {
      text += `.${step}`;
      continue;
    }
    const index = evaluate(step, lookup);
    if (typeof index === "number" && Number.isInteger(index)) text += `[${index}]`;
    else if (typeof index === "string" && !index.includes('"')) text += `[${JSON.stringify(index)}]`;
    else fail("an index must be a whole number or a string");
  }
  const found = lookup(text);
  return found.found ? found.value : fail(`${text} is not known`);
}
