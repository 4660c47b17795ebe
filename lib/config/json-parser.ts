/**
 * A strict JSON reader for configuration files. `JSON.parse` keeps the last of two equal keys
 * (a second `"weight"` silently wins), reports errors as "at position 64" and recurses without
 * a bound; this reader refuses duplicate keys, says where every problem is (JSON path, line and
 * column), refuses nesting deeper than `JSON_MAX_DEPTH` and files larger than
 * `CONFIG_FILE_MAX_BYTES`. Grammar: RFC 8259 exactly (no comments, no trailing commas); a
 * leading byte-order mark is skipped. Pure: no cdktf import.
 */
import { ConfigError, jsonPath, Violation } from "../core/errors";

/** Largest configuration file read: far above any real configuration (the examples are ~3 KiB). */
export const CONFIG_FILE_MAX_BYTES = 1024 * 1024;
/** Deepest nesting of objects and lists accepted (the configuration itself needs 8). */
export const JSON_MAX_DEPTH = 32;

type Segment = string | number;

/** A JSON syntax problem: where it is and what to do. */
class SyntaxProblem {
  constructor(
    readonly index: number,
    readonly path: readonly Segment[],
    readonly found: string,
    readonly limit: string,
    readonly fix: string,
  ) {}
}

/** Line and column (1-based) of a character index. */
export function lineAndColumn(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: index - lineStart + 1 };
}

/**
 * Parses `text` as strict JSON.
 * @param file the name used in messages, e.g. `production.json`
 * @throws ConfigError: a syntax error (one: the rest of the text cannot be read reliably), or
 *   every duplicate key, each with its JSON path, line and column
 */
export function parseStrictJson(text: string, file: string): unknown {
  const parser = new Parser(text);
  let value: unknown;
  try {
    value = parser.parseDocument();
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error;
    throw new ConfigError([toViolation(text, file, error)]);
  }
  if (parser.duplicates.length > 0) throw new ConfigError(parser.duplicates.map((d) => toViolation(text, file, d)));
  return value;
}

function toViolation(text: string, file: string, problem: SyntaxProblem): Violation {
  const { line, column } = lineAndColumn(text, problem.index);
  const path = jsonPath(problem.path);
  return {
    field: `${file}: ${path === "" ? "(top level)" : path} (line ${line}, column ${column})`,
    value: problem.found,
    limit: problem.limit,
    fix: problem.fix,
  };
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

class Parser {
  private i = 0;
  private readonly path: Segment[] = [];
  readonly duplicates: SyntaxProblem[] = [];

  constructor(private readonly text: string) {
    if (text.charCodeAt(0) === 0xfeff) this.i = 1;
  }

  parseDocument(): unknown {
    this.skipWhitespace();
    if (this.i >= this.text.length) this.fail("(empty)", "holds no JSON value", "write the configuration as one JSON object: { ... }");
    const value = this.parseValue(0);
    this.skipWhitespace();
    if (this.i < this.text.length) {
      this.fail(this.preview(), "has more text after the end of the JSON value", "remove it, or merge it into the one top-level object");
    }
    return value;
  }

  private parseValue(depth: number): unknown {
    const c = this.text[this.i];
    if (c === "{" || c === "[") {
      if (depth >= JSON_MAX_DEPTH) {
        this.fail(
          c,
          `nests objects and lists deeper than ${JSON_MAX_DEPTH} levels`,
          "no setting nests that deep: check for a misplaced bracket",
        );
      }
      return c === "{" ? this.parseObject(depth + 1) : this.parseArray(depth + 1);
    }
    if (c === '"') return this.parseString();
    if (c === "-" || (c >= "0" && c <= "9")) return this.parseNumber();
    for (const [word, value] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return value;
      }
    }
    this.unexpected("a value (a string in double quotes, a number, an object, a list, true, false or null)");
  }

  private parseObject(depth: number): Record<string, unknown> {
    this.i++; // {
    const object: Record<string, unknown> = {};
    const firstSeen = new Map<string, number>();
    this.skipWhitespace();
    if (this.text[this.i] === "}") {
      this.i++;
      return object;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.i] !== '"') {
        if (this.text[this.i] === "}")
          this.fail(",", "has a comma before the closing }", "remove the trailing comma: JSON does not allow it");
        this.unexpected("a property name in double quotes");
      }
      const keyIndex = this.i;
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text[this.i] !== ":") this.unexpected(`":" after the property name ${JSON.stringify(key)}`);
      this.i++;
      this.skipWhitespace();
      this.path.push(key);
      const value = this.parseValue(depth);
      const first = firstSeen.get(key);
      if (first !== undefined) {
        const at = lineAndColumn(this.text, first);
        this.duplicates.push(
          new SyntaxProblem(
            keyIndex,
            [...this.path],
            key,
            `is given twice in one object (first at line ${at.line}, column ${at.column}); only one of the two values could take effect`,
            "remove one of them",
          ),
        );
      } else {
        firstSeen.set(key, keyIndex);
      }
      this.path.pop();
      // Own property even for "__proto__", as JSON.parse does; the schema then refuses the key.
      Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
      this.skipWhitespace();
      const c = this.text[this.i];
      if (c === ",") {
        this.i++;
        continue;
      }
      if (c === "}") {
        this.i++;
        return object;
      }
      this.unexpected('"," or "}" after a property value');
    }
  }

  private parseArray(depth: number): unknown[] {
    this.i++; // [
    const array: unknown[] = [];
    this.skipWhitespace();
    if (this.text[this.i] === "]") {
      this.i++;
      return array;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.i] === "]")
        this.fail(",", "has a comma before the closing ]", "remove the trailing comma: JSON does not allow it");
      this.path.push(array.length);
      array.push(this.parseValue(depth));
      this.path.pop();
      this.skipWhitespace();
      const c = this.text[this.i];
      if (c === ",") {
        this.i++;
        continue;
      }
      if (c === "]") {
        this.i++;
        return array;
      }
      this.unexpected('"," or "]" after a list item');
    }
  }

  private parseString(): string {
    const start = this.i;
    this.i++; // opening quote
    let out = "";
    let chunkStart = this.i;
    for (;;) {
      if (this.i >= this.text.length) {
        this.i = start;
        this.fail(this.preview(), "is a string that is never closed", 'add the closing "');
      }
      const code = this.text.charCodeAt(this.i);
      if (code === 0x22) {
        out += this.text.slice(chunkStart, this.i);
        this.i++;
        return out;
      }
      if (code < 0x20) {
        this.fail(
          `U+${code.toString(16).toUpperCase().padStart(4, "0")}`,
          "is a control character (such as a line break) inside a string, which JSON does not allow",
          'write it as an escape: \\n for a line break, \\t for a tab, or close the string with "',
        );
      }
      if (code === 0x5c) {
        out += this.text.slice(chunkStart, this.i);
        const e = this.text[this.i + 1];
        if (e === "u") {
          const hex = this.text.slice(this.i + 2, this.i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail(`\\u${hex}`, "is not a \\u escape with four hex digits", "write e.g. \\u00e9");
          out += String.fromCharCode(parseInt(hex, 16));
          this.i += 6;
        } else if (e !== undefined && e in ESCAPES) {
          out += ESCAPES[e];
          this.i += 2;
        } else {
          this.fail(`\\${e ?? ""}`, "is not a JSON escape", 'use \\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX');
        }
        chunkStart = this.i;
        continue;
      }
      this.i++;
    }
  }

  private parseNumber(): number {
    NUMBER.lastIndex = this.i;
    const match = NUMBER.exec(this.text);
    if (!match) this.unexpected("a number");
    this.i += match![0].length;
    const next = this.text[this.i];
    if (next !== undefined && /[0-9A-Za-z.+-]/.test(next))
      this.unexpected("a number (JSON numbers have no leading zeros, hex or trailing dots)");
    return Number(match![0]);
  }

  private skipWhitespace(): void {
    while (this.i < this.text.length && WHITESPACE.has(this.text.charCodeAt(this.i))) this.i++;
  }

  private preview(): string {
    const rest = this.text.slice(this.i, this.i + 20);
    return rest.length === 0 ? "(end of file)" : rest.split("\n")[0];
  }

  private unexpected(expected: string): never {
    if (this.i >= this.text.length) {
      this.fail(
        "(end of file)",
        `ends where ${expected} was expected`,
        "complete the JSON: close every string, object and list that is opened",
      );
    }
    const c = this.text[this.i];
    if (this.atConflictMarker()) {
      this.fail(
        this.preview(),
        "is a merge conflict marker: git left both sides of a conflicting change in the file",
        "resolve the conflict: keep the lines you want and delete the <<<<<<<, ======= and >>>>>>> lines",
      );
    }
    if (c === "/" && (this.text[this.i + 1] === "/" || this.text[this.i + 1] === "*")) {
      this.fail(
        this.preview(),
        "is a comment, which JSON does not allow",
        'remove the comment (a "description"-like key is not accepted either; keep notes beside the file)',
      );
    }
    if (c === "'") this.fail(this.preview(), "uses single quotes, which JSON does not allow", 'use double quotes: "..."');
    this.fail(this.preview(), `is not valid JSON here: expected ${expected}`, "fix the JSON syntax at this line and column");
  }

  /** A git conflict marker (`<<<<<<< `, `=======`, `>>>>>>> `, `||||||| `) starting the current line. */
  private atConflictMarker(): boolean {
    const lineStart = this.text.lastIndexOf("\n", this.i - 1) + 1;
    return (
      this.text.slice(lineStart, this.i).trim() === "" && /^(?:<{7}|={7}|>{7}|\|{7})(?:[ \r\n]|$)/.test(this.text.slice(this.i, this.i + 8))
    );
  }

  private fail(found: string, limit: string, fix: string): never {
    throw new SyntaxProblem(this.i, [...this.path], found, limit, fix);
  }
}
