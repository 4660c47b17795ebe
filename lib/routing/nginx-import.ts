/**
 * Turns nginx `location ~ <regex>` routing lists (`{"rails4_path": {"regexps": [...]}}`, the nginx-era format)
 * into ALB path patterns that match exactly the same paths, or explains why a regex cannot be.
 *
 * nginx semantics that matter here: a regex location is searched, not matched whole, so it is
 * unanchored at the end unless it ends in `$`, and at the start unless it starts with `^`;
 * `^/admin/piyo/?` therefore matches `/admin/piyo`, `/admin/piyo/` and `/admin/piyox` alike, which
 * is exactly the ALB pattern `/admin/piyo*`, and `/legacy` matches any path containing it: `*\/legacy*`.
 * We read `~` (case-sensitive) regexes; ALB path patterns are case-sensitive too.
 *
 * Supported subset: top-level branches `a|b`, each with optional `^` at its start and `$` at its
 * end; literal and escaped characters, groups `( | )` (also `(?:`, `(?<name>`), `?` after a
 * character or group, `.` (one character, ALB `?`), `.*` (ALB `*`), `.+` (ALB `?*`), and `x+` / `x*`
 * at an open end of a branch (where only the first repetition matters). Everything else (character
 * classes, `+`/`*`/`{n}` on anything but `.` elsewhere, backreferences, lookarounds, `\d`...) has
 * no ALB wildcard equivalent.
 */
import { ALB_QUOTAS, PATH_PATTERN_CHARS } from "./quotas";
import type { Route, RouteDestination, RouteTarget } from "./types";
import { wildcardCovers } from "./wildcard";

export type NginxRegexImport =
  | { readonly regex: string; readonly patterns: readonly string[] }
  /** Only when the installed binding supports ALB regex conditions and `regexFallback` allows it. */
  | { readonly regex: string; readonly regexValues: readonly string[]; readonly reason: string }
  | { readonly regex: string; readonly error: string };

export interface NginxImportOptions {
  /**
   * Offer an ALB regex condition for a regex that wildcards cannot express.
   * @default - when `regexConditionsSupported` answers yes
   */
  readonly regexFallback?: boolean;
  /**
   * Whether the installed @cdktf/provider-aws can write ALB regex path conditions (21.x can);
   * asked at most once per import, only when a regex needs the fallback. Pass
   * `albRegexConditionsSupported` (lib/aws/alb-regex-support.ts) to detect it.
   * @default - never: inexpressible regexes are errors
   */
  readonly regexConditionsSupported?: () => boolean;
  /** Upper bound on patterns one regex may expand to (alternations multiply). @default 20 */
  readonly maxPatterns?: number;
}

/** One symbol of an expanded pattern. */
type Sym = { readonly lit: string } | "any" | "star";
type Alternatives = Sym[][];
/** One top-level branch of a regex (`a|b` has two), each with its own anchors. */
interface Branch {
  readonly alts: Alternatives;
  readonly startAnchored: boolean;
  readonly endAnchored: boolean;
}

class Inexpressible extends Error {
  /** @param albRegexCan whether an ALB regex condition could take the regex unchanged */
  constructor(
    message: string,
    readonly albRegexCan = true,
  ) {
    super(message);
  }
}

const ESCAPABLE = new Set([..."./-_~?*+()[]{}$^|\\:@'\"&"]);
const CLASS_ESCAPES: Record<string, string> = {
  d: "\\d (digit class)",
  w: "\\w (word class)",
  s: "\\s (space class)",
  D: "\\D",
  W: "\\W",
  S: "\\S",
  b: "\\b (word boundary)",
  B: "\\B",
};

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly limit: number,
  ) {}

  /** The regex's top-level branches, each with its own anchors. */
  parse(): Branch[] {
    const branches: Branch[] = [];
    this.i = 0;
    for (;;) {
      const startAnchored = this.src[this.i] === "^";
      if (startAnchored) this.i++;
      this.branchStart = this.i;
      this.branchStartAnchored = startAnchored;
      const alts = this.sequence();
      let endAnchored = false;
      if (this.src[this.i] === "$") {
        endAnchored = true;
        this.i++;
      }
      branches.push({ alts, startAnchored, endAnchored });
      if (this.i === this.src.length) return branches;
      const c = this.src[this.i];
      if (c === "|") {
        this.i++;
        continue;
      }
      throw new Inexpressible(c === "$" ? "has `$` before the end of a branch" : `has an unexpected \`${c}\` at position ${this.i}`);
    }
  }

  private branchStart = 0;
  private branchStartAnchored = true;

  /** At the end of a top-level branch (the end of the regex or a top-level `|`). */
  private atBranchEnd(): boolean {
    return (
      this.depth === 0 &&
      (this.i === this.src.length ||
        this.src[this.i] === "|" ||
        (this.src[this.i] === "$" && (this.i + 1 === this.src.length || this.src[this.i + 1] === "|")))
    );
  }

  private alternation(): Alternatives {
    const out: Alternatives = [...this.sequence()];
    while (this.src[this.i] === "|") {
      this.i++;
      out.push(...this.sequence());
    }
    return out;
  }

  private depth = 0;

  private sequence(): Alternatives {
    let acc: Alternatives = [[]];
    while (this.i < this.src.length) {
      const c = this.src[this.i];
      if (c === "|" || c === ")") break;
      if (c === "$") {
        if (this.depth === 0 && (this.i === this.src.length - 1 || this.src[this.i + 1] === "|")) break;
        throw new Inexpressible("has `$` before the end of a branch");
      }
      const atStart = this.depth === 0 && this.i === this.branchStart && !this.branchStartAnchored;
      const atom = this.atom();
      const q = this.quantifier(atom.isDot);
      let options: Alternatives;
      const searchedEnd = this.depth === 0 && this.atBranchEnd() && this.src[this.i] !== "$";
      if (q === "?") options = [[], ...atom.alts];
      else if ((q === "*" || q === "+") && !atom.isDot && (searchedEnd || atStart)) {
        // At an open end of a searched regex only one repetition matters: `x+` is `x`, `x*` is nothing.
        options = q === "+" ? atom.alts : [[]];
      } else if (q === "*" || q === "+") {
        if (!atom.isDot)
          throw new Inexpressible(`uses \`${q}\` on \`${atom.text}\`: repeating anything but \`.\` has no ALB wildcard equivalent`);
        options = q === "*" ? [["star"]] : [["any", "star"]];
      } else options = atom.alts;
      const next: Alternatives = [];
      for (const a of acc) for (const o of options) next.push([...a, ...o]);
      if (next.length > this.limit) throw new Inexpressible(`expands to more than ${this.limit} ALB patterns`);
      acc = next;
    }
    return acc;
  }

  private quantifier(isDot: boolean): "?" | "*" | "+" | undefined {
    const c = this.src[this.i];
    if (c === "{") throw new Inexpressible("uses a `{n,m}` repetition, which has no ALB wildcard equivalent");
    if (c === "?" || c === "*" || c === "+") {
      this.i++;
      const lazy = this.src[this.i];
      if (lazy === "?" || lazy === "+") {
        // Lazy or possessive forms match the same set of paths for a search; only the plain meaning matters.
        if (!isDot || c === "?") this.i++;
      }
      return c;
    }
    return undefined;
  }

  private atom(): { alts: Alternatives; isDot: boolean; text: string } {
    const start = this.i;
    const c = this.src[this.i++];
    if (c === ".") return { alts: [["any"]], isDot: true, text: "." };
    if (c === "[")
      throw new Inexpressible("uses a character class `[...]`, which has no ALB wildcard equivalent (ALB `?` is any one character)");
    if (c === "(") {
      if (
        this.src.startsWith("?=", this.i) ||
        this.src.startsWith("?!", this.i) ||
        this.src.startsWith("?<=", this.i) ||
        this.src.startsWith("?<!", this.i)
      ) {
        throw new Inexpressible("uses a lookaround `(?=`/`(?!`, which neither ALB wildcards nor ALB regex conditions support", false);
      }
      if (this.src.startsWith("?:", this.i)) this.i += 2;
      else if (/^\?P?<[A-Za-z_][A-Za-z0-9_]*>/.test(this.src.slice(this.i))) this.i = this.src.indexOf(">", this.i) + 1;
      else if (this.src[this.i] === "?")
        throw new Inexpressible(`uses the group syntax \`(${this.src.slice(this.i, this.i + 2)}\`, which has no ALB equivalent`);
      this.depth++;
      const alts = this.alternation();
      this.depth--;
      if (this.src[this.i] !== ")") throw new Inexpressible("has an unclosed `(`");
      this.i++;
      return { alts, isDot: false, text: this.src.slice(start, this.i) };
    }
    if (c === "\\") {
      const e = this.src[this.i++];
      if (e === undefined) throw new Inexpressible("ends with a lone `\\`");
      if (/[1-9]/.test(e))
        throw new Inexpressible(`uses the backreference \`\\${e}\`, which neither ALB wildcards nor ALB regex conditions support`, false);
      if (CLASS_ESCAPES[e]) throw new Inexpressible(`uses ${CLASS_ESCAPES[e]}, which has no ALB wildcard equivalent`);
      if (!ESCAPABLE.has(e)) throw new Inexpressible(`uses the escape \`\\${e}\`, which this importer does not know`);
      return { alts: [[{ lit: e }]], isDot: false, text: `\\${e}` };
    }
    if (c === ")") throw new Inexpressible("has an unmatched `)`");
    if (c === "*" || c === "+" || c === "?") throw new Inexpressible(`has \`${c}\` with nothing to repeat`);
    if (c === "^") throw new Inexpressible("has `^` after the start of a branch");
    return { alts: [[{ lit: c }]], isDot: false, text: c };
  }
}

function toPattern(syms: readonly Sym[], startAnchored: boolean, endAnchored: boolean): string {
  // A searched start: anything may come before.
  let out = startAnchored ? "" : "*";
  for (const s of syms) {
    if (s === "star") {
      if (!out.endsWith("*")) out += "*";
    } else if (s === "any") out += "?";
    else {
      if (s.lit === "*" || s.lit === "?")
        throw new Inexpressible(`matches a literal \`${s.lit}\`, but ALB path patterns have no escape for their wildcards`);
      if (!PATH_PATTERN_CHARS.test(s.lit))
        throw new Inexpressible(`matches the character \`${s.lit}\`, which ALB path patterns do not accept`);
      out += s.lit;
    }
  }
  if (!endAnchored && !out.endsWith("*")) out += "*";
  if (!/^[/*?]/.test(out)) {
    throw new Inexpressible(
      `becomes the pattern "${out}", which can never match: request paths start with "/"; start the regex with \`^/\`, or drop the \`^\``,
      false,
    );
  }
  if (out.length > ALB_QUOTAS.patternLength)
    throw new Inexpressible(`becomes the pattern "${out}", longer than ALB's ${ALB_QUOTAS.patternLength} characters`);
  return out;
}

/** Drops patterns another pattern already covers (`/admin/piyo/*` under `/admin/piyo*`), keeping the first of equals. */
function minimal(patterns: readonly string[]): string[] {
  const unique = [...new Set(patterns)];
  return unique.filter((p, i) => !unique.some((q, j) => j !== i && wildcardCovers(q, p) && (!wildcardCovers(p, q) || j < i)));
}

const NEVER = () => false;

/** Converts one nginx regex into equivalent ALB path patterns, or says which construct prevents it. */
export function fromNginxRegex(regex: string, options: NginxImportOptions = {}, regexSupported?: () => boolean): NginxRegexImport {
  try {
    const branches = new Parser(regex, options.maxPatterns ?? 20).parse();
    const patterns = branches.flatMap((b) => b.alts.map((syms) => toPattern(syms, b.startAnchored, b.endAnchored)));
    if (patterns.length > (options.maxPatterns ?? 20))
      throw new Inexpressible(`expands to more than ${options.maxPatterns ?? 20} ALB patterns`);
    return { regex, patterns: minimal(patterns) };
  } catch (e) {
    if (!(e instanceof Inexpressible)) throw e;
    const reason = `regex ${JSON.stringify(regex)} ${e.message}`;
    if (!e.albRegexCan) return { regex, error: `${reason}; rewrite it without that construct` };
    if (regex.length > ALB_QUOTAS.patternLength)
      return { regex, error: `${reason}; it is also too long (${regex.length} > ${ALB_QUOTAS.patternLength}) for an ALB regex condition` };
    if (options.regexFallback ?? (regexSupported ?? options.regexConditionsSupported ?? NEVER)()) {
      // ALB regex conditions are not documented as anchored; nginx searches, so the regex is kept verbatim.
      return { regex, regexValues: [regex], reason };
    }
    return {
      regex,
      error: `${reason}. Fix: rewrite it with literals, groups, \`?\` and \`.*\`, or split it into several regexes; an ALB regex path condition could take it as is, but that needs the AWS provider >= 6.19 (@cdktf/provider-aws 21.x) and the installed binding has no regex_values`,
    };
  }
}

/** `fromNginxRegex` for each regex, in order. Support for the regex fallback is detected once. */
export function fromNginxRegexps(regexps: readonly string[], options: NginxImportOptions = {}): NginxRegexImport[] {
  let supported: boolean | undefined;
  const probe = () => (supported ??= (options.regexConditionsSupported ?? NEVER)());
  return regexps.map((r) => fromNginxRegex(r, options, probe));
}

/** An nginx-era routing list: `{ "<list name>": { "regexps": ["^/...", ...] } }`. */
export type NginxRoutingJson = Readonly<Record<string, { readonly regexps: readonly string[] }>>;

export interface NginxRoutesResult<F extends RouteTarget> {
  /** One route per list, named after it (`rails4_path` becomes `rails4-path`). */
  readonly routes: readonly Route<F>[];
  /** Every regex and what became of it, per list. */
  readonly imports: Readonly<Record<string, readonly NginxRegexImport[]>>;
  /** Messages for lists and regexes that could not be imported; empty when everything converted. */
  readonly errors: readonly string[];
}

/**
 * Turns a whole nginx-era routing list (`NginxRoutingJson`) into routes: each list becomes one route whose paths are the
 * union of its regexes' patterns, sent to `destinations[listName]`.
 */
export function routesFromNginxRoutingJson<F extends RouteTarget>(
  json: unknown,
  destinations: Readonly<Record<string, RouteDestination<F>>>,
  options: NginxImportOptions = {},
): NginxRoutesResult<F> {
  const errors: string[] = [];
  const routes: Route<F>[] = [];
  const imports: Record<string, NginxRegexImport[]> = {};
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { routes, imports, errors: ['the nginx routing JSON must be an object such as {"rails4_path": {"regexps": ["^/hoge/?"]}}'] };
  }
  for (const [list, body] of Object.entries(json as Record<string, unknown>)) {
    const regexps = (body as { regexps?: unknown } | null)?.regexps;
    if (!Array.isArray(regexps) || !regexps.every((r) => typeof r === "string")) {
      errors.push(`${list}.regexps must be an array of regex strings`);
      continue;
    }
    const results = fromNginxRegexps(regexps as string[], options);
    imports[list] = results;
    for (const r of results) {
      if ("error" in r) errors.push(`${list}: ${r.error}`);
      if ("regexValues" in r)
        errors.push(
          `${list}: ${r.reason}; the routing table has no regex conditions yet, so add it by hand as an ALB regex condition: ${JSON.stringify(r.regexValues[0])}`,
        );
    }
    const destination = destinations[list];
    if (!destination) {
      errors.push(`${list} has no destination fleet; map it, e.g. --fleet ${list}=<fleet>`);
      continue;
    }
    const paths = minimal(results.flatMap((r) => ("patterns" in r ? r.patterns : [])));
    if (paths.length === 0) continue;
    const name =
      list
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "") || "imported";
    routes.push({ name, match: { paths }, to: destination });
  }
  return { routes, imports, errors };
}
