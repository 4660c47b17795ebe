/**
 * `npm run lint`: rejects imports of the @cdktf/provider-aws package root. The root loads every
 * one of its ~1,500 resource bindings (measured: ~4 s and ~550 MB for a small synth, against
 * ~0.5 s and ~75 MB with submodule imports), so code imports `@cdktf/provider-aws/lib/<resource>`,
 * and only in lib/aws/resources.ts.
 *   node --import tsx scripts/check-imports.ts [repoRoot]
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** Folders whose code is checked. */
export const CHECKED_DIRS = ["lib", "stacks", "test", "bin", "bench", "scripts"] as const;

/** Files that import the root on purpose: the bench variant that measures what the rule saves. */
export const ALLOWED_ROOT_IMPORTS = ["bench/root-import/resources-via-root.ts"] as const;

const SKIPPED_DIRS = new Set(["node_modules", "dist", "cdktf.out", ".gen", ".cache", "coverage"]);
const CODE_FILE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;

/**
 * The root specifier and its aliases: the package's main is lib/index.js, so "/lib" and
 * "/lib/index" load the same ~1,500 bindings.
 */
const ROOT_SPECIFIER = String.raw`@cdktf/provider-aws(?:/lib(?:/index(?:\.js)?)?)?`;
/** `from "x"`, `import "x"`, `require("x")`, `import("x")`, `jest.mock("x")`, with any quote. */
const ROOT_IMPORT = new RegExp(
  String.raw`(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*|\bjest\.(?:mock|requireActual)\s*\(\s*)(["'\x60])(${ROOT_SPECIFIER})\1`,
  "g",
);

export interface RootImport {
  /** Repo-relative path with forward slashes. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly specifier: string;
  readonly text: string;
}

/** Root imports in one file's source. Comment lines are ignored (a doc comment may name the package). */
export function findRootImports(source: string, file: string): RootImport[] {
  const found: RootImport[] = [];
  const lines = source.split("\n");
  for (const match of source.matchAll(ROOT_IMPORT)) {
    const line = source.slice(0, match.index).split("\n").length;
    const text = lines[line - 1].trim();
    if (/^(\/\/|\/\*|\*)/.test(text)) continue;
    found.push({ file, line, specifier: match[2], text });
  }
  return found;
}

/** Root imports in every checked folder of the repository, allow-listed files excepted. */
export function checkRepository(repoRoot: string): RootImport[] {
  const found: RootImport[] = [];
  const visit = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // a checked folder that does not exist (yet) has nothing to check
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) visit(path);
        continue;
      }
      if (!CODE_FILE.test(entry.name) || entry.name.endsWith(".d.ts")) continue;
      const file = relative(repoRoot, path).split(sep).join("/");
      if ((ALLOWED_ROOT_IMPORTS as readonly string[]).includes(file)) continue;
      found.push(...findRootImports(readFileSync(path, "utf8"), file));
    }
  };
  for (const dir of CHECKED_DIRS) visit(join(repoRoot, dir));
  return found;
}

/** One line per finding: where, what, and the fix. */
export function formatFinding(f: RootImport): string {
  return (
    `${f.file}:${f.line}: imports "${f.specifier}", the provider package root (loads ~1,500 bindings: ~4 s and ~550 MB per synth). ` +
    `Fix: import the class from lib/aws/resources.ts; if it is not there, append ` +
    `\`export { X } from "@cdktf/provider-aws/lib/<resource>";\` to that file.`
  );
}

if (require.main === module) {
  const repoRoot = process.argv[2] ?? join(__dirname, "..");
  const findings = checkRepository(repoRoot);
  for (const f of findings) process.stderr.write(`${formatFinding(f)}\n`);
  if (findings.length > 0) {
    process.stderr.write(`check-imports: ${findings.length} root import(s) of @cdktf/provider-aws\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`check-imports: no root imports of @cdktf/provider-aws in ${CHECKED_DIRS.join(", ")}\n`);
  }
}
