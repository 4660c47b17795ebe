/**
 * Bench-only stand-in for lib/aws/resources.ts that takes every class from the package root,
 * the way many cdktf examples import it. Loading the root loads all ~1,500 resource bindings:
 * this file exists to measure that cost, and is the one file the import lint allows to do it.
 * Its exports follow lib/aws/resources.ts line by line, so it never drifts from the real list.
 */
import * as aws from "@cdktf/provider-aws";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const EXPORT_LINE = /export \{ (\w+)(?: as (\w+))? \} from "@cdktf\/provider-aws\/lib\/([\w-]+)"/g;

/** The root exports each submodule as a namespace named in camelCase: lib/lb-listener is `lbListener`. */
function namespaceOf(submodule: string): string {
  return submodule.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

// BENCH_REPO_ROOT: the precompiled copy of this file runs from .cache/, away from lib/.
const root = process.env.BENCH_REPO_ROOT ?? join(__dirname, "../..");
const source = readFileSync(join(root, "lib/aws/resources.ts"), "utf8");
const namespaces = aws as unknown as Record<string, Record<string, unknown>>;
const lines = [...source.matchAll(EXPORT_LINE)];
const imports = source.split("\n").filter((l) => l.includes('from "@cdktf/provider-aws/lib/')).length;
if (lines.length !== imports) {
  throw new Error(
    `resources-via-root: understood ${lines.length} of ${imports} provider imports in lib/aws/resources.ts; ` +
      'keep one `export { X } from "@cdktf/provider-aws/lib/x";` (or `{ X as Y }`) per line there',
  );
}
for (const [, name, alias, submodule] of lines) {
  const value = namespaces[namespaceOf(submodule)]?.[name];
  if (value === undefined) throw new Error(`resources-via-root: ${name} not found under the root namespace ${namespaceOf(submodule)}`);
  exports[alias ?? name] = value;
}
