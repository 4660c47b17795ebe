/**
 * `npm run lint`, part two: the architecture written in ARCHITECTURE.md, as rules a change cannot
 * slip past.
 *
 * 1. Purity. The functional core (lib/core, lib/config, lib/routing, lib/traffic, the lock's data
 *    files, and every `*-props.ts` / `*-options.ts`) imports nothing from cdktf, constructs,
 *    @cdktf/* or lib/aws, directly or through another file it imports (a lazy `require` counts).
 *    That is what lets its tests run without synthesizing anything.
 * 2. Layers. A folder of lib imports only from its own layer or the layers below it (LAYERS, lowest
 *    first); stacks sits on lib, bin on both. A type-only import (`import type`) is erased at
 *    compile time and shares a shape, not behaviour: it is exempt from the order, not from purity.
 * 3. One home per rule. Small duplicates (under the 6 lines a copy-paste detector sees) of the
 *    rules in ONE_HOME: a pattern that betrays a second implementation, outside the rule's home,
 *    is a finding that names the home to use instead.
 *
 *   node --import tsx scripts/check-architecture.ts [repoRoot]
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, posix, relative, sep } from "node:path";

/** Folders of lib, lowest layer first. Folders on one line share a layer (they may import each other). */
export const LAYERS: readonly (readonly string[])[] = [
  ["lib/core"], // errors, names, tags, CIDRs, percentages, tokens, chunking: depends on nothing
  ["lib/terraform"], // offline Terraform runs (plan, plan-diff): tooling over core only
  ["lib/config"], // the configuration schema and strict JSON parser
  ["lib/lock"], // the stack lock file: its data (pure) and the aspect that saves it
  ["lib/routing"], // the routing compiler, explain, render: pure
  ["lib/traffic"], // traffic state (Blue/Green stages, capacity checks, summaries): pure
  ["lib/policy"], // the policy pack: pure rules over synthesized resources, and its aspect
  ["lib/aws"], // the provider classes, through submodule imports only
  ["lib/fleet"], // AppServerGroup and its parts
  ["lib/router"], // TrafficRouter and its parts
  ["lib/live", "lib/outputs", "lib/dashboard", "lib/synth"], // views and synthesis over fleets and router
  ["lib/index.ts"], // the public API
  ["stacks"], // layouts from configuration files
  ["bin"], // the CLI
];

/**
 * Imports that go up the layers on purpose, each with its reason. Keep this list short: an entry
 * is a design decision a reviewer reads.
 */
export const ALLOWED_UPWARD_IMPORTS: readonly { readonly from: string; readonly to: string; readonly reason: string }[] = [
  {
    from: "lib/config/fleet-schema.ts",
    to: "lib/fleet/",
    reason:
      "the configuration schema lists the values a fleet accepts from the fleet's own constants, so the two cannot drift; " +
      "those fleet files are pure (rule 1 checks it)",
  },
];

/** Roots of the functional core: these files, and everything they import, stay free of cdktf. */
export function isPureModule(file: string): boolean {
  if (!file.startsWith("lib/") && !file.startsWith("stacks/")) return false;
  if (/(^|\/)[^/]+-(props|options)\.ts$/.test(file)) return true;
  if (file === "lib/lock/stack-lock.ts") return false; // the aspect that writes the lock: the lock's construct shell
  return ["lib/core/", "lib/config/", "lib/routing/", "lib/traffic/", "lib/lock/"].some((dir) => file.startsWith(dir));
}

/** Packages and folders a pure module must not reach. */
const IMPURE_SPECIFIER = /^(cdktf|constructs|@cdktf\/[^/]+)(\/|$)/;
const IMPURE_FILE = /^lib\/aws\//;

/** One rule, its home, and the patterns that show a second implementation. */
export interface OneHomeRule {
  readonly rule: string;
  /** Where the rule lives; a pattern found there is the rule itself. */
  readonly home: string;
  readonly patterns: readonly RegExp[];
}

export const ONE_HOME: readonly OneHomeRule[] = [
  {
    rule: "stable hashing (FNV-1a)",
    home: "lib/core/hash.ts",
    // FNV-1a's 32-bit offset basis and prime, in hex or decimal.
    patterns: [/0x811c9dc5/i, /\b2166136261\b/, /0x01000193/i, /\b16777619\b/],
  },
  {
    rule: "CIDR and IP address parsing (IPv4 and IPv6)",
    home: "lib/core/cidr.ts",
    patterns: [
      /\\d\{1,3\}\)?\\{1,2}\./, // a dotted-quad octet, \d{1,3}\. or (\d{1,3})\. in an IPv4 regex
      /\\\/\(?\\d\{1,3\}/, // a prefix length after the slash, \/(\d{1,3}) in a CIDR regex
      /\[0-9a-fA-F:\]/i, // the loose IPv6 character class that accepts ":::::/64"
      /\.split\(\s*["']::["']\s*\)/, // IPv6 zero-run expansion
      /\bisIP(v4|v6)?\s*\(/, // node:net's parser (accepts zone ids and leading zeros AWS refuses)
    ],
  },
  {
    rule: "is this a deploy-time value (a cdktf token)",
    home: "lib/core/terraform-literal.ts",
    patterns: [/TfToken/, /\bToken\.isUnresolved\s*\(/, /\bTokenization\.isResolvable\s*\(/],
  },
  {
    rule: "splitting a list into chunks",
    home: "lib/core/chunk.ts",
    patterns: [/\.slice\(\s*(\w+)\s*,\s*\1\s*\+\s*[\w.]+\s*\)/],
  },
  {
    rule: "weights to percentages",
    home: "lib/core/percent.ts",
    patterns: [
      /weight\w*\s*\*\s*100\b/i,
      /\b100\s*\*\s*[\w.]*weight/i,
      /weight\w*\s*\*\s*1000\b/i,
      /\b1000\s*\*\s*[\w.]*weight/i,
      /percent\w*\s*\*\s*10\s*\)\s*\/\s*10/i,
      /\.toFixed\(\s*1\s*\)\s*\}?%/,
    ],
  },
  {
    rule: "describing a routing condition in words",
    home: "lib/routing/describe.ts",
    patterns: [
      /values\.join\(\s*["'] \| ["']\s*\)/, // the " | " between a condition's alternatives
      /`(path|host|header|query|method|ip) \$\{/, // a condition kind's label in front of its values
    ],
  },
];

export interface Finding {
  readonly rule: "purity" | "layers" | "one-home";
  /** Repo-relative path, forward slashes. */
  readonly file: string;
  /** 1-based; 0 when the finding concerns the whole file. */
  readonly line: number;
  readonly message: string;
}

/** Folders whose code is scanned. */
export const CHECKED_DIRS = ["lib", "stacks", "bin"] as const;
const SKIPPED_DIRS = new Set(["node_modules", "dist", "cdktf.out", ".gen", ".cache", "coverage", "examples"]);

export interface SourceImport {
  readonly specifier: string;
  readonly line: number;
  readonly typeOnly: boolean;
}

/** Comments blanked out (newlines kept, so line numbers stay right); strings are left alone. */
function withoutComments(source: string): string {
  let out = "";
  let i = 0;
  let quote: string | undefined;
  while (i < source.length) {
    const c = source[i];
    if (quote) {
      out += c;
      if (c === "\\") {
        out += source[i + 1] ?? "";
        i += 2;
        continue;
      }
      if (c === quote) quote = undefined;
      i++;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") {
      quote = c;
      out += c;
      i++;
      continue;
    }
    if (c === "/" && source[i + 1] === "/") {
      while (i < source.length && source[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && source[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      const stop = end < 0 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, " ");
      i = stop;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** Every module a file imports: static and type imports, re-exports, `require`, `import()`. */
export function findImports(source: string): SourceImport[] {
  const code = withoutComments(source);
  const lineOf = (index: number) => code.slice(0, index).split("\n").length;
  const found: SourceImport[] = [];
  const statement = /(?:^|[\n;])\s*(import|export)\s+(type\s+)?(?:[^;"'`]*?\s+from\s*)?(["'])([^"']+)\3/g;
  for (const m of code.matchAll(statement)) {
    const at = m.index + m[0].indexOf(m[4]) - 1;
    found.push({ specifier: m[4], line: lineOf(at), typeOnly: m[2] !== undefined });
  }
  const call = /\b(require|import)\s*\(\s*(["'])([^"']+)\2\s*\)/g;
  for (const m of code.matchAll(call)) found.push({ specifier: m[3], line: lineOf(m.index), typeOnly: false });
  return found;
}

/** The repo-relative file a relative specifier names, or undefined for a package. */
function resolveRelative(from: string, specifier: string, exists: (file: string) => boolean): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  for (const candidate of [`${base}.ts`, `${base}/index.ts`, base]) if (exists(candidate)) return candidate;
  return `${base}.ts`;
}

function layerOf(file: string): number | undefined {
  const i = LAYERS.findIndex((dirs) => dirs.some((d) => file === d || file.startsWith(`${d}/`)));
  return i < 0 ? undefined : i;
}

function layerName(index: number): string {
  return LAYERS[index].join(", ");
}

/** Checks a set of sources (repo-relative path -> text). */
export function checkSources(sources: ReadonlyMap<string, string>): Finding[] {
  const findings: Finding[] = [];
  const imports = new Map<string, { imp: SourceImport; target?: string }[]>();
  for (const [file, text] of sources) {
    imports.set(
      file,
      findImports(text).map((imp) => ({ imp, target: resolveRelative(file, imp.specifier, (f) => sources.has(f)) })),
    );
  }

  // 1. Purity, transitively: the first impure thing each pure module reaches, with the path to it.
  const impurity = new Map<string, string[] | null>();
  const reach = (file: string, visiting: Set<string>): string[] | null => {
    if (impurity.has(file)) return impurity.get(file)!;
    if (visiting.has(file)) return null;
    visiting.add(file);
    let found: string[] | null = null;
    for (const { imp, target } of imports.get(file) ?? []) {
      if (target === undefined) {
        if (IMPURE_SPECIFIER.test(imp.specifier)) found = [`"${imp.specifier}" (line ${imp.line})`];
      } else if (IMPURE_FILE.test(target)) {
        found = [`${target} (line ${imp.line})`];
      } else if (sources.has(target)) {
        const below = reach(target, visiting);
        if (below) found = [`${target} (line ${imp.line})`, ...below];
      }
      if (found) break;
    }
    visiting.delete(file);
    impurity.set(file, found);
    return found;
  };
  for (const file of sources.keys()) {
    if (!isPureModule(file)) continue;
    const chain = reach(file, new Set());
    if (chain) {
      findings.push({
        rule: "purity",
        file,
        line: 0,
        message:
          `is pure (functional core: no cdktf, constructs, @cdktf/* or lib/aws) but reaches ${chain.join(" -> ")}. ` +
          `Fix: move the construct code out of the import path, or pass the value in from the construct that calls this module.`,
      });
    }
  }

  // 2. Layers.
  for (const [file, list] of imports) {
    const from = layerOf(file);
    if (from === undefined) continue;
    for (const { imp, target } of list) {
      if (target === undefined || imp.typeOnly) continue;
      const to = layerOf(target);
      if (to === undefined || to <= from) continue;
      if (ALLOWED_UPWARD_IMPORTS.some((a) => a.from === file && target.startsWith(a.to))) continue;
      findings.push({
        rule: "layers",
        file,
        line: imp.line,
        message:
          `imports ${target}, a higher layer (${layerName(to)}) than its own (${layerName(from)}); layers import only downward ` +
          `(ARCHITECTURE.md). Fix: move the shared piece down, or pass it in as a parameter.`,
      });
    }
  }

  // 3. One home per rule.
  for (const [file, text] of sources) {
    const lines = withoutComments(text).split("\n");
    for (const rule of ONE_HOME) {
      if (file === rule.home) continue;
      lines.forEach((line, i) => {
        const pattern = rule.patterns.find((p) => p.test(line));
        if (!pattern) return;
        findings.push({
          rule: "one-home",
          file,
          line: i + 1,
          message: `repeats ${rule.rule} (matches ${pattern}), whose one home is ${rule.home}. Fix: import it from there.`,
        });
      });
    }
  }
  return findings;
}

/** The code files of the checked folders, repo-relative with forward slashes. */
export function readSources(repoRoot: string, dirs: readonly string[] = CHECKED_DIRS): Map<string, string> {
  const sources = new Map<string, string>();
  const visit = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) visit(path);
      } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
        sources.set(relative(repoRoot, path).split(sep).join("/"), readFileSync(path, "utf8"));
      }
    }
  };
  for (const dir of dirs) visit(join(repoRoot, dir));
  return sources;
}

export function checkRepository(repoRoot: string): Finding[] {
  return checkSources(readSources(repoRoot));
}

export function formatFinding(f: Finding): string {
  return `${f.file}${f.line > 0 ? `:${f.line}` : ""}: [${f.rule}] ${f.message}`;
}

if (require.main === module) {
  const repoRoot = process.argv[2] ?? join(__dirname, "..");
  const findings = checkRepository(repoRoot);
  for (const f of findings) process.stderr.write(`${formatFinding(f)}\n`);
  if (findings.length > 0) {
    process.stderr.write(`check-architecture: ${findings.length} finding(s); the rules are in ARCHITECTURE.md\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`check-architecture: purity, layers and one home per rule hold in ${CHECKED_DIRS.join(", ")}\n`);
  }
}
