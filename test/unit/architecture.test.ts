/**
 * The architecture of ARCHITECTURE.md as a test, so `npm test` enforces what `npm run lint`
 * reports: the functional core stays free of cdktf, layers import only downward, and each shared
 * rule has one home.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  checkRepository,
  checkSources,
  findImports,
  formatFinding,
  isPureModule,
  LAYERS,
  ONE_HOME,
} from "../../scripts/check-architecture";

const repoRoot = join(__dirname, "../..");
// Built at run time, so the specifiers below are data, not imports of this file.
const CDKTF = ["cdk", "tf"].join("");

const check = (files: Record<string, string>) => checkSources(new Map(Object.entries(files)));

describe("architecture lint", () => {
  test("the repository keeps its purity, layer and one-home rules", () => {
    expect(checkRepository(repoRoot).map(formatFinding)).toEqual([]);
  });

  test("npm run lint runs the architecture check, the import check and the formatter's check", () => {
    const scripts = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).scripts as Record<string, string>;
    expect(scripts.lint).toContain("scripts/check-architecture.ts");
    expect(scripts.lint).toContain("scripts/check-imports.ts");
    expect(scripts.lint).toContain("prettier --check .");
    expect(scripts.format).toBe("prettier --write .");
  });

  test("the formatter holds lines to 140 characters and leaves generated files, locks and prose alone", () => {
    const config = JSON.parse(readFileSync(join(repoRoot, ".prettierrc.json"), "utf8")) as { printWidth: number };
    expect(config.printWidth).toBe(140);
    const ignored = readFileSync(join(repoRoot, ".prettierignore"), "utf8").split("\n");
    expect(ignored).toEqual(
      expect.arrayContaining(["dist/", "cdktf.out/", "node_modules/", "schema/", "package-lock.json", "*.md", "**/*.json"]),
    );
  });

  test("every folder of lib has a layer, so a new folder is a decision written in the table", () => {
    const placed = new Set(LAYERS.flat());
    const folders = readdirSync(join(repoRoot, "lib"), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => `lib/${e.name}`);
    expect(folders.filter((f) => !placed.has(f))).toEqual([]);
  });

  test("the functional core is core, config, routing, traffic, the lock's data and every props or options file", () => {
    for (const pure of [
      "lib/core/cidr.ts",
      "lib/config/schema.ts",
      "lib/routing/compile.ts",
      "lib/traffic/traffic-summary.ts",
      "lib/lock/stack-lock-data.ts",
      "lib/fleet/app-server-group-props.ts",
      "lib/router/traffic-router-props.ts",
      "lib/fleet/alarm-topic-options.ts",
    ]) {
      expect([pure, isPureModule(pure)]).toEqual([pure, true]);
    }
    for (const shell of [
      "lib/lock/stack-lock.ts",
      "lib/fleet/app-server-group.ts",
      "lib/router/traffic-router.ts",
      "lib/aws/resources.ts",
    ]) {
      expect([shell, isPureModule(shell)]).toEqual([shell, false]);
    }
  });

  describe("purity", () => {
    test.each([
      [`import { Token } from "${CDKTF}";`],
      [`import type { Construct } from "constructs";`],
      [`import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";`],
      [`const r = require("../aws/resources");`],
      [`import { x } from "../aws/resources";`],
    ])("a pure module may not import %s", (line) => {
      const findings = check({ "lib/routing/x.ts": `${line}\n`, "lib/aws/resources.ts": "" });
      expect(findings.filter((f) => f.rule === "purity").map((f) => f.file)).toEqual(["lib/routing/x.ts"]);
    });

    test("nor reach cdktf through another file, and the finding shows the path", () => {
      const findings = check({
        "lib/routing/a.ts": `import { b } from "./b";\n`,
        "lib/routing/b.ts": `export { c } from "../fleet/c";\n`,
        "lib/fleet/c.ts": `import { App } from "${CDKTF}";\n`,
      });
      const a = findings.find((f) => f.rule === "purity" && f.file === "lib/routing/a.ts");
      expect(a?.message).toContain(`lib/routing/b.ts (line 1) -> lib/fleet/c.ts (line 1) -> "${CDKTF}" (line 1)`);
    });

    test("a doc comment that names cdktf is not an import", () => {
      expect(
        check({ "lib/core/x.ts": `/** Pure: no import from "${CDKTF}". */\n// import { App } from "${CDKTF}";\nexport const x = 1;\n` }),
      ).toEqual([]);
    });

    test("construct files may import cdktf", () => {
      expect(check({ "lib/fleet/fleet-thing.ts": `import { App } from "${CDKTF}";\n` })).toEqual([]);
    });
  });

  describe("layers", () => {
    test("a lower layer importing a higher one is a finding that names both layers", () => {
      const findings = check({ "lib/routing/x.ts": `import { y } from "../traffic/y";\n`, "lib/traffic/y.ts": "export const y = 1;\n" });
      expect(findings.map((f) => [f.rule, f.file, f.line])).toEqual([["layers", "lib/routing/x.ts", 1]]);
      expect(findings[0].message).toMatch(/higher layer \(lib\/traffic\) than its own \(lib\/routing\)/);
    });

    test("importing downward or within a layer is fine; a type-only import shares a shape and is exempt", () => {
      expect(
        check({
          "lib/traffic/y.ts": `import { compile } from "../routing/compile";\nimport { z } from "./z";\n`,
          "lib/routing/compile.ts": `import type { Y } from "../traffic/y";\n`,
          "lib/traffic/z.ts": "",
        }),
      ).toEqual([]);
    });
  });

  describe("one home per rule: a second implementation is named with the home to use", () => {
    const duplicates: Record<string, string> = {
      "stable hashing (FNV-1a)": "let h = 0x811c9dc5; for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619);",
      "CIDR and IP address parsing (IPv4 and IPv6)": "const IPV6_CIDR_PATTERN = /^[0-9a-fA-F:]+\\/(\\d{1,3})$/;",
      "is this a deploy-time value (a cdktf token)": 'if (content.includes("${TfToken[")) return;',
      "splitting a list into chunks": "for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));",
      "weights to percentages": "const p = Math.round((t.weight * 1000) / total) / 10;",
      "describing a routing condition in words": 'return `path ${c.values.join(" | ")}`;',
    };

    test("the table covers every rule", () => {
      expect(ONE_HOME.map((r) => r.rule).sort()).toEqual(Object.keys(duplicates).sort());
    });

    test.each(ONE_HOME.map((r) => [r.rule, r.home]))("%s outside %s", (rule, home) => {
      const findings = check({ "lib/fleet/elsewhere.ts": `export function f() {\n  ${duplicates[rule]}\n}\n` });
      expect(findings.filter((f) => f.rule === "one-home").map((f) => [f.file, f.line])).toContainEqual(["lib/fleet/elsewhere.ts", 2]);
      expect(findings.map((f) => f.message).join("\n")).toContain(`whose one home is ${home}`);
      // In its home, the same code is the rule itself.
      expect(check({ [home]: `${duplicates[rule]}\n` }).filter((f) => f.rule === "one-home" && f.file === home)).toEqual([]);
    });

    test("Token.isUnresolved is a second token test too", () => {
      expect(check({ "lib/fleet/x.ts": "if (Token.isUnresolved(v)) return;\n" }).map((f) => f.rule)).toEqual(["one-home"]);
    });
  });

  test("imports are found in every form: multi-line, re-export, type-only, require, import()", () => {
    const found = findImports(
      [
        'import {\n  a,\n  b,\n} from "./ab";',
        'export * from "./all";',
        'import type { T } from "./t";',
        'const r = require("./r");',
        'await import("./lazy");',
        'import "./side";',
      ].join("\n"),
    );
    expect(found.map((i) => [i.specifier, i.typeOnly])).toEqual(
      expect.arrayContaining([
        ["./ab", false],
        ["./all", false],
        ["./t", true],
        ["./r", false],
        ["./lazy", false],
        ["./side", false],
      ]),
    );
    expect(found.find((i) => i.specifier === "./ab")?.line).toBe(4);
  });
});
