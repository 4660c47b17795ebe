/** The strict JSON reader: what JSON.parse accepts silently or reports by offset, it refuses by line and column. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { ConfigError } from "../../../lib/core/errors";
import { CONFIG_FILE_MAX_BYTES, JSON_MAX_DEPTH, parseStrictJson } from "../../../lib/config/json-parser";
import { loadLayoutConfig } from "../../../stacks/config/load-config";
import { PURE_RUNS } from "../../property/property-runs";

function messageOf(text: string): string {
  try {
    parseStrictJson(text, "p.json");
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("expected the text to be refused");
}

describe("strict JSON", () => {
  test("valid JSON reads exactly as JSON.parse reads it", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const text = JSON.stringify(value, null, 2);
        expect(parseStrictJson(text, "p.json")).toEqual(JSON.parse(text));
      }),
      { numRuns: PURE_RUNS },
    );
  });

  test("a key given twice is an error at the second one, naming the first", () => {
    expect(messageOf('{\n  "fleets": {\n    "rails4": { "weight": 1,\n      "weight": 9 }\n  }\n}')).toBe(
      'p.json: fleets.rails4.weight (line 4, column 7) = "weight": is given twice in one object (first at line 3, column 17); only one of the two values could take effect. Fix: remove one of them',
    );
  });

  test("every duplicate key is reported at once", () => {
    expect(messageOf('{"a": 1, "a": 2, "b": {"c": 1, "c": 2}}')).toMatch(
      /^2 configuration errors:[\s\S]*p\.json: a \(line 1[\s\S]*p\.json: b\.c \(line 1/,
    );
  });

  test.each([
    ['{\n  "a": [1, 2,]\n}', /p\.json: a \(line 2, column 14\) = ",": has a comma before the closing \]/],
    ['{\n  "a": 1,\n}', /p\.json: \(top level\) \(line 3, column 1\) = ",": has a comma before the closing \}/],
    ['{\n  "a": 1\n  "b": 2\n}', /\(line 3, column 3\) = "\\"b\\": 2": is not valid JSON here: expected "," or "}" after a property value/],
    ['{"a": "x\ny"}', /p\.json: a \(line 1, column 9\) = "U\+000A": is a control character/],
    ["// note\n{}", /\(line 1, column 1\) = "\/\/ note": is a comment, which JSON does not allow/],
    ["{'a': 1}", /uses single quotes/],
    ['{"a": 1} {}', /has more text after the end of the JSON value/],
    ['{"a": ', /\(line 1, column 7\) = "\(end of file\)": ends where a value/],
    ['{"a": "open', /\(line 1, column 7\) = "\\"open": is a string that is never closed/],
    ["", /holds no JSON value/],
    ['{"a": NaN}', /expected a value/],
    ['{"a": 0x10}', /JSON numbers have no leading zeros, hex or trailing dots/],
    ['{"a": "\\q"}', /"\\\\q": is not a JSON escape/],
    ['{\n<<<<<<< HEAD\n  "a": 1\n=======\n  "a": 2\n>>>>>>> main\n}', /\(line 2, column 1\) = "<<<<<<< HEAD": is a merge conflict marker/],
    ['{\n  "a": 1\n=======\n  "a": 2\n}', /\(line 3, column 1\) = "=======": is a merge conflict marker/],
  ])("%j is refused with its line and column", (text, expected) => {
    expect(messageOf(text)).toMatch(expected);
  });

  test(`nesting deeper than ${JSON_MAX_DEPTH} levels is refused, however deep it goes`, () => {
    expect(parseStrictJson("[".repeat(JSON_MAX_DEPTH) + "]".repeat(JSON_MAX_DEPTH), "p.json")).toBeDefined();
    expect(messageOf("[".repeat(JSON_MAX_DEPTH + 1) + "]".repeat(JSON_MAX_DEPTH + 1))).toMatch(
      /nests objects and lists deeper than 32 levels/,
    );
    expect(messageOf("[".repeat(1_000_000))).toMatch(/deeper than 32 levels/);
  });

  test("__proto__ is read as an own key (the schema then refuses it), never as the prototype", () => {
    const value = parseStrictJson('{"__proto__": {"polluted": true}}', "p.json") as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  test("a byte-order mark is skipped", () => {
    expect(parseStrictJson('\uFEFF{"a": 1}', "p.json")).toEqual({ a: 1 });
  });
});

describe("configuration files", () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "app-fleets-config-"))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const load = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    try {
      loadLayoutConfig(path);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    throw new Error("expected the file to be refused");
  };

  test("a file larger than 1 MiB is refused before it is read", () => {
    expect(load("big.json", `{"x": "${"a".repeat(CONFIG_FILE_MAX_BYTES)}"}`)).toMatch(
      /^big\.json = "\d+ bytes": is larger than 1048576 bytes \(1 MiB\)/,
    );
  });

  test("a file that is not UTF-8 is refused", () => {
    expect(load("latin1.json", Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]))).toMatch(/latin1\.json = .*: is not UTF-8 text/);
  });

  test("a missing file is refused naming it", () => {
    expect(() => loadLayoutConfig(join(dir, "missing.json"))).toThrow(/missing\.json = .*: cannot be read \(ENOENT\)/);
  });

  test("a duplicate key in a configuration file names the field, line and column", () => {
    expect(load("dup.json", '{\n  "layout": "two-version",\n  "layout": "blue-green"\n}')).toMatch(
      /^dup\.json: layout \(line 3, column 3\) = "layout": is given twice/,
    );
  });
});
