/**
 * The one parser of Terraform expressions in this codebase: the templates and expressions that
 * reach cdk.tf.json inside strings.
 *
 * cdktf writes a token (`Fn.jsonencode(...)`, a reference, `Fn.format(...)`) into cdk.tf.json as a
 * template string, e.g. `${jsonencode({"Effect" = "Allow", "Resource" = format("%s/*", aws_s3_bucket.b.arn)})}`.
 * Terraform evaluates that template. Two readers need its structure: the policy pack, which judges
 * what Terraform will read (lib/policy/expressions), and plan-diff, which computes values a plan
 * would otherwise have to (lib/terraform/hcl-expression.ts). Both parse with this module, which
 * follows the HCL native syntax rules (hashicorp/hcl `hclsyntax`: templates, object and tuple
 * constructors, traversals, function calls, operators, conditionals). For-expressions, splats and
 * template directives are kept as opaque text: neither reader evaluates them.
 *
 * Pure TypeScript (no cdktf import).
 */

export type Expression =
  | { readonly kind: "literal"; readonly value: string | number | boolean | null }
  | { readonly kind: "template"; readonly parts: readonly (string | Expression)[] }
  | { readonly kind: "tuple"; readonly items: readonly Expression[] }
  | { readonly kind: "object"; readonly entries: readonly { readonly key: Expression; readonly value: Expression }[] }
  /** A root name and its traversal, e.g. `aws_s3_bucket.b.arn` or `local.accounts["x"]`. */
  | { readonly kind: "traversal"; readonly root: string; readonly steps: readonly TraversalStep[] }
  | { readonly kind: "call"; readonly name: string; readonly args: readonly Expression[]; readonly expandLast: boolean }
  | { readonly kind: "conditional"; readonly condition: Expression; readonly whenTrue: Expression; readonly whenFalse: Expression }
  | { readonly kind: "operator"; readonly operator: string; readonly operands: readonly Expression[] }
  /** Attribute access or index on a computed value, e.g. `split(":", x)[4]`. */
  | { readonly kind: "access"; readonly target: Expression; readonly steps: readonly TraversalStep[] }
  /** Syntax the pack does not evaluate (for-expressions, splats, template directives). */
  | { readonly kind: "opaque"; readonly text: string };

export type TraversalStep = { readonly kind: "attribute"; readonly name: string } | { readonly kind: "index"; readonly key: Expression };

/** Thrown for text that is not a valid expression; the message says where. */
export class HclSyntaxError extends Error {}

/**
 * Parses a string attribute of cdk.tf.json as Terraform does: a template in which `${...}`
 * interpolates an expression and `$${` is a literal `${` (Terraform JSON syntax: no backslash
 * escapes, those belong to JSON itself).
 */
export function parseTemplateString(text: string): Expression {
  const parser = new Parser(text);
  const template = parser.template(null);
  if (parser.position < text.length) throw new HclSyntaxError(`unexpected text at ${parser.position}`);
  return template;
}

/** Parses a bare expression (e.g. the body of `${...}`). */
export function parseExpression(text: string): Expression {
  const parser = new Parser(text);
  const expression = parser.expression();
  parser.skipSpace();
  if (parser.position < text.length)
    throw new HclSyntaxError(`unexpected "${text.slice(parser.position, parser.position + 20)}" at ${parser.position}`);
  return expression;
}

/** The text of an expression, as HCL would print it (for messages). */
export function expressionText(expression: Expression): string {
  switch (expression.kind) {
    case "literal":
      return typeof expression.value === "string" ? JSON.stringify(expression.value) : String(expression.value);
    case "template":
      return `"${expression.parts.map((p) => (typeof p === "string" ? p.replace(/\$\{/g, "$${") : `\${${expressionText(p)}}`)).join("")}"`;
    case "tuple":
      return `[${expression.items.map(expressionText).join(", ")}]`;
    case "object":
      return `{${expression.entries.map((e) => `${expressionText(e.key)} = ${expressionText(e.value)}`).join(", ")}}`;
    case "traversal":
      return `${expression.root}${stepsText(expression.steps)}`;
    case "access":
      return `${expressionText(expression.target)}${stepsText(expression.steps)}`;
    case "call":
      return `${expression.name}(${expression.args.map(expressionText).join(", ")}${expression.expandLast ? "..." : ""})`;
    case "conditional":
      return `${expressionText(expression.condition)} ? ${expressionText(expression.whenTrue)} : ${expressionText(expression.whenFalse)}`;
    case "operator":
      return expression.operands.length === 1
        ? `${expression.operator}${expressionText(expression.operands[0])}`
        : expression.operands.map(expressionText).join(` ${expression.operator} `);
    case "opaque":
      return expression.text;
  }
}

function stepsText(steps: readonly TraversalStep[]): string {
  return steps.map((s) => (s.kind === "attribute" ? `.${s.name}` : `[${expressionText(s.key)}]`)).join("");
}

const NUMBER = /-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
const NAME = /[A-Za-z_][A-Za-z0-9_-]*/y;
const NAME_OR_INDEX = /[A-Za-z0-9_][A-Za-z0-9_-]*/y;
const NAME_AND_SPACE = /[A-Za-z_][A-Za-z0-9_-]*\s*/y;
const FOR_START = /[[{]\s*for\s/y;
const SPLAT_INDEX = /\[\s*\*\s*\]/y;

const BINARY_LEVELS: readonly (readonly string[])[] = [["||"], ["&&"], ["==", "!="], ["<=", ">=", "<", ">"], ["+", "-"], ["*", "/", "%"]];

class Parser {
  position = 0;

  constructor(private readonly text: string) {}

  /** A template up to `terminator` (`"` inside an expression, null for a whole attribute). */
  template(terminator: '"' | null): Expression {
    const parts: (string | Expression)[] = [];
    let literal = "";
    const flush = () => {
      if (literal !== "") parts.push(literal);
      literal = "";
    };
    const t = this.text;
    while (this.position < t.length) {
      const c = t[this.position];
      if (terminator !== null && c === terminator) {
        this.position++;
        flush();
        return templateOf(parts);
      }
      if (terminator !== null && c === "\\") {
        literal += this.escape();
        continue;
      }
      if ((c === "$" || c === "%") && t[this.position + 1] === c && t[this.position + 2] === "{") {
        literal += `${c}{`;
        this.position += 3;
        continue;
      }
      if (c === "$" && t[this.position + 1] === "{") {
        flush();
        this.position += 2;
        if (t[this.position] === "~") this.position++;
        const expression = this.expression();
        this.skipSpace();
        if (t[this.position] === "~") this.position++;
        this.expect("}");
        parts.push(expression);
        continue;
      }
      if (c === "%" && t[this.position + 1] === "{") {
        // A template directive (%{ if }, %{ for }): kept whole, never evaluated.
        flush();
        const start = this.position;
        this.position += 2;
        this.skipBalanced("}");
        parts.push({ kind: "opaque", text: t.slice(start, this.position) });
        continue;
      }
      literal += c;
      this.position++;
    }
    if (terminator !== null) throw new HclSyntaxError("unterminated string");
    flush();
    return templateOf(parts);
  }

  expression(): Expression {
    const condition = this.binary(0);
    this.skipSpace();
    if (this.peek() === "?") {
      this.position++;
      const whenTrue = this.expression();
      this.skipSpace();
      this.expect(":");
      const whenFalse = this.expression();
      return { kind: "conditional", condition, whenTrue, whenFalse };
    }
    return condition;
  }

  private binary(level: number): Expression {
    if (level >= BINARY_LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      this.skipSpace();
      const operator = BINARY_LEVELS[level].find((op) => this.text.startsWith(op, this.position));
      if (!operator) return left;
      this.position += operator.length;
      const right = this.binary(level + 1);
      left = { kind: "operator", operator, operands: [left, right] };
    }
  }

  private unary(): Expression {
    this.skipSpace();
    const c = this.peek();
    if ((c === "!" && this.text[this.position + 1] !== "=") || (c === "-" && !/[0-9]/.test(this.text[this.position + 1] ?? ""))) {
      this.position++;
      return { kind: "operator", operator: c, operands: [this.unary()] };
    }
    return this.postfix(this.primary());
  }

  private postfix(base: Expression): Expression {
    const steps: TraversalStep[] = [];
    for (;;) {
      const t = this.text;
      if (t[this.position] === "." && t[this.position + 1] === "*") {
        // Attribute splat: not evaluated.
        const start = this.position;
        this.position += 2;
        while (/[A-Za-z0-9_.\-]/.test(t[this.position] ?? "")) this.position++;
        return { kind: "opaque", text: `${expressionText(withSteps(base, steps))}${t.slice(start, this.position)}` };
      }
      if (t[this.position] === "." && /[A-Za-z_0-9]/.test(t[this.position + 1] ?? "")) {
        this.position++;
        steps.push({ kind: "attribute", name: this.identifier(true) });
        continue;
      }
      if (t[this.position] === "[") {
        if (this.matchAt(SPLAT_INDEX) !== undefined) {
          const start = this.position;
          this.position = t.indexOf("]", this.position) + 1;
          while (/[A-Za-z0-9_.\-]/.test(t[this.position] ?? "")) this.position++;
          return { kind: "opaque", text: `${expressionText(withSteps(base, steps))}${t.slice(start, this.position)}` };
        }
        this.position++;
        const key = this.expression();
        this.skipSpace();
        this.expect("]");
        steps.push({ kind: "index", key });
        continue;
      }
      return withSteps(base, steps);
    }
  }

  private primary(): Expression {
    this.skipSpace();
    const t = this.text;
    const c = this.peek();
    if (c === undefined) throw new HclSyntaxError("unexpected end of expression");
    if (c === '"') {
      this.position++;
      return this.template('"');
    }
    if (c === "(") {
      this.position++;
      const inner = this.expression();
      this.skipSpace();
      this.expect(")");
      return inner;
    }
    if (c === "[") return this.isFor() ? this.opaqueBalanced("]") : this.tuple();
    if (c === "{") return this.isFor() ? this.opaqueBalanced("}") : this.object();
    if (/[0-9]/.test(c) || (c === "-" && /[0-9]/.test(t[this.position + 1] ?? ""))) return this.number();
    if (/[A-Za-z_]/.test(c)) {
      const name = this.identifier(false);
      if (name === "true" || name === "false") return { kind: "literal", value: name === "true" };
      if (name === "null") return { kind: "literal", value: null };
      this.skipSpace();
      if (this.peek() === "(") {
        this.position++;
        return this.call(name);
      }
      return { kind: "traversal", root: name, steps: [] };
    }
    if (c === "<" && t.startsWith("<<", this.position)) throw new HclSyntaxError("heredoc templates are not read");
    throw new HclSyntaxError(`unexpected "${c}" at ${this.position}`);
  }

  private call(name: string): Expression {
    const args: Expression[] = [];
    let expandLast = false;
    this.skipSpace();
    if (this.peek() === ")") {
      this.position++;
      return { kind: "call", name, args, expandLast };
    }
    for (;;) {
      args.push(this.expression());
      this.skipSpace();
      if (this.text.startsWith("...", this.position)) {
        this.position += 3;
        expandLast = true;
        this.skipSpace();
      }
      if (this.peek() === ",") {
        this.position++;
        this.skipSpace();
        if (this.peek() === ")") {
          this.position++;
          return { kind: "call", name, args, expandLast };
        }
        continue;
      }
      this.expect(")");
      return { kind: "call", name, args, expandLast };
    }
  }

  private tuple(): Expression {
    this.expect("[");
    const items: Expression[] = [];
    for (;;) {
      this.skipSpace();
      if (this.peek() === "]") {
        this.position++;
        return { kind: "tuple", items };
      }
      items.push(this.expression());
      this.skipSpace();
      if (this.peek() === ",") this.position++;
      else if (this.peek() !== "]") throw new HclSyntaxError(`expected "," or "]" at ${this.position}`);
    }
  }

  private object(): Expression {
    this.expect("{");
    const entries: { key: Expression; value: Expression }[] = [];
    for (;;) {
      this.skipSpace();
      if (this.peek() === "}") {
        this.position++;
        return { kind: "object", entries };
      }
      // A bare identifier key is a literal name, as in HCL object constructors.
      const after = this.text[this.afterIdentifier()];
      const bareKey =
        /[A-Za-z_]/.test(this.peek() ?? "") && (after === ":" || (after === "=" && this.text[this.afterIdentifier() + 1] !== "="));
      const key: Expression = bareKey ? { kind: "literal", value: this.identifier(false) } : this.expression();
      this.skipSpace();
      if (this.peek() === "=" || this.peek() === ":") this.position++;
      else throw new HclSyntaxError(`expected "=" after an object key at ${this.position}`);
      const value = this.expression();
      entries.push({ key, value });
      const before = this.position;
      this.skipSpace();
      if (this.peek() === ",") this.position++;
      else if (this.peek() !== "}" && !this.text.slice(before, this.position).includes("\n")) {
        throw new HclSyntaxError(`expected "," or "}" at ${this.position}`);
      }
    }
  }

  private number(): Expression {
    const m = this.matchAt(NUMBER);
    if (m === undefined) throw new HclSyntaxError(`bad number at ${this.position}`);
    this.position += m.length;
    return { kind: "literal", value: Number(m) };
  }

  /** HCL identifiers may contain "-" after the first character (e.g. cdktf's `host-pin-rails3-0` names). */
  private identifier(allowDigitStart: boolean): string {
    const m = this.matchAt(allowDigitStart ? NAME_OR_INDEX : NAME);
    if (m === undefined) throw new HclSyntaxError(`expected a name at ${this.position}`);
    this.position += m.length;
    return m;
  }

  private afterIdentifier(): number {
    return this.position + (this.matchAt(NAME_AND_SPACE)?.length ?? 0);
  }

  private isFor(): boolean {
    return this.matchAt(FOR_START) !== undefined;
  }

  private opaqueBalanced(close: "]" | "}"): Expression {
    const start = this.position;
    this.position++;
    this.skipBalanced(close);
    return { kind: "opaque", text: this.text.slice(start, this.position) };
  }

  /** Moves past the `close` that balances an opening bracket already consumed, skipping strings. */
  private skipBalanced(close: string): void {
    const t = this.text;
    let depth = 1;
    while (this.position < t.length) {
      const c = t[this.position];
      if (c === '"') {
        this.position++;
        this.template('"');
        continue;
      }
      if (c === "{" || c === "[" || c === "(") depth++;
      if (c === "}" || c === "]" || c === ")") depth--;
      this.position++;
      if (depth === 0) {
        if (c !== close) throw new HclSyntaxError(`expected "${close}" at ${this.position - 1}`);
        return;
      }
    }
    throw new HclSyntaxError(`unterminated "${close}"`);
  }

  private escape(): string {
    const t = this.text;
    const next = t[this.position + 1];
    this.position += 2;
    switch (next) {
      case "n":
        return "\n";
      case "r":
        return "\r";
      case "t":
        return "\t";
      case '"':
        return '"';
      case "\\":
        return "\\";
      case "u": {
        const hex = t.slice(this.position, this.position + 4);
        this.position += 4;
        return String.fromCharCode(parseInt(hex, 16));
      }
      case "U": {
        const hex = t.slice(this.position, this.position + 8);
        this.position += 8;
        return String.fromCodePoint(parseInt(hex, 16));
      }
      default:
        // cdktf does not escape backslashes in literals; keep an unknown escape as written.
        return `\\${next ?? ""}`;
    }
  }

  /** The text a sticky pattern matches at the current position (no substring copies: templates can be long). */
  private matchAt(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.position;
    return pattern.exec(this.text)?.[0];
  }

  skipSpace(): void {
    while (/\s/.test(this.text[this.position] ?? "")) this.position++;
  }

  private peek(): string | undefined {
    return this.text[this.position];
  }

  private expect(c: string): void {
    this.skipSpace();
    if (this.text[this.position] !== c) {
      throw new HclSyntaxError(`expected "${c}" at ${this.position}, found "${this.text.slice(this.position, this.position + 20)}"`);
    }
    this.position++;
  }
}

function templateOf(parts: readonly (string | Expression)[]): Expression {
  if (parts.length === 0) return { kind: "literal", value: "" };
  if (parts.length === 1 && typeof parts[0] === "string") return { kind: "literal", value: parts[0] };
  return { kind: "template", parts };
}

function withSteps(base: Expression, steps: readonly TraversalStep[]): Expression {
  if (steps.length === 0) return base;
  if (base.kind === "traversal") return { kind: "traversal", root: base.root, steps: [...base.steps, ...steps] };
  return { kind: "access", target: base, steps };
}
