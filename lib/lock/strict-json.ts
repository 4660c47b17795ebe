/**
 * A strict JSON reader for lock files: standard JSON (RFC 8259), but a key given twice in one object
 * is an error instead of "last one wins", and every error carries a line and a column. A duplicate
 * key in a lock file is what a careless merge produces, so it must not pass silently.
 * Pure: no cdktf import.
 */

export class StrictJsonError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} at line ${line}, column ${column}`);
    this.name = "StrictJsonError";
  }
}

/** Parses `text`; throws StrictJsonError on a syntax error or a duplicate key. */
export function parseStrictJson(text: string): unknown {
  let i = 0;
  const fail = (message: string, at = i): never => {
    const before = text.slice(0, at);
    const line = before.split("\n").length;
    const column = at - before.lastIndexOf("\n");
    throw new StrictJsonError(message, line, column);
  };
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const expect = (c: string) => {
    if (text[i] !== c) fail(`expected "${c}"${i < text.length ? `, found "${text[i]}"` : " before the end"}`);
    i++;
  };
  const string = (): string => {
    const start = i;
    expect('"');
    let out = "";
    for (;;) {
      if (i >= text.length) fail("unterminated string", start);
      const c = text[i++];
      if (c === '"') return out;
      if (c === "\\") {
        const e = text[i++];
        const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (e in simple) out += simple[e];
        else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i, i + 4))) {
          out += String.fromCharCode(parseInt(text.slice(i, i + 4), 16));
          i += 4;
        } else fail("invalid escape in string", i - 2);
      } else if (c < " ") {
        fail("control character in string", i - 1);
      } else out += c;
    }
  };
  const number = (): number => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) return fail("invalid value");
    i += m[0].length;
    return Number(m[0]);
  };
  const value = (depth: number): unknown => {
    if (depth > 64) fail("nesting deeper than 64 levels");
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const obj: Record<string, unknown> = {};
      const seen = new Set<string>();
      ws();
      if (text[i] === "}") {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        const keyAt = i;
        const key = string();
        if (seen.has(key)) fail(`duplicate key ${JSON.stringify(key)}`, keyAt);
        seen.add(key);
        ws();
        expect(":");
        // defineProperty: a key such as "__proto__" stays an ordinary key.
        Object.defineProperty(obj, key, { value: value(depth + 1), enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        expect("}");
        return obj;
      }
    }
    if (c === "[") {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        expect("]");
        return arr;
      }
    }
    if (c === '"') return string();
    if (text.startsWith("true", i)) {
      i += 4;
      return true;
    }
    if (text.startsWith("false", i)) {
      i += 5;
      return false;
    }
    if (text.startsWith("null", i)) {
      i += 4;
      return null;
    }
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return number();
    return fail(i >= text.length ? "unexpected end of file" : `unexpected "${c}"`);
  };
  const result = value(0);
  ws();
  if (i < text.length) fail(`unexpected "${text[i]}" after the end of the document`);
  return result;
}
