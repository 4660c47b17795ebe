/**
 * Exact language questions about ALB wildcard patterns, which the compiler asks to order rules:
 * do two patterns meet (and on which string), and does one contain the other?
 *
 * A pattern is a small NFA: one state per symbol position; a literal or `?` advances, a `*` loops
 * and may be skipped. The alphabet that matters is finite: the literal characters of the patterns
 * involved plus one symbol for "any other character" (they all behave alike in every pattern).
 * - Meet: breadth-first search over the product of the patterns' NFAs; the first accepting state
 *   gives a shortest common string (a witness). At most (n+1)(m+1) states, so always decided.
 * - Containment of narrow in broad: search the product of narrow's NFA with the determinised broad
 *   pattern for a string narrow accepts and broad rejects. The subset construction can grow, so the
 *   search has a state budget; past it the answer is `undefined` ("unknown"), which callers treat
 *   as "does not contain" (it can only withhold an order, never invent one).
 *
 * A "universe" can restrict the strings considered: request paths always start with `/`, so `/*`
 * and `*` are the same condition on paths, and `*\/a` contains `/*\/a` there.
 * Pure: no cdktf import.
 */
import { tokenizeWildcard, type WildcardOptions, type WildcardToken } from "./wildcard-tokens";

export interface GlobSpace extends WildcardOptions {
  /** Every string considered starts with this character (paths: "/"). @default - any string */
  readonly startsWith?: string;
  /** States the containment search may visit before answering "unknown". @default 20000 */
  readonly budget?: number;
}

/** Characters tried, in order, to stand for "any other character" in a witness. */
const OTHER_CANDIDATES = "xyzqjkwvbcdfghmnprstlaeiou0123456789_-.~";

interface Glob {
  readonly tokens: readonly WildcardToken[];
  /** Positions reachable from each position without reading a character (skipping stars). */
  readonly closures: readonly (readonly number[])[];
  readonly literals: readonly string[];
  /** Literal characters before the first wildcard and after the last one. */
  readonly prefix: string;
  readonly suffix: string;
  readonly hasWildcards: boolean;
}

const globCache = new Map<string, Glob>();

function optionsKey(o: GlobSpace): string {
  return `${o.caseInsensitive ? 1 : 0}${o.backslashEscapes ? 1 : 0}${o.percentDecoding ? 1 : 0}${o.startsWith ?? ""}`;
}

function compileGlob(pattern: string, options: GlobSpace): Glob {
  const key = `${optionsKey(options)}\u0000${pattern}`;
  const cached = globCache.get(key);
  if (cached) return cached;
  const tokens = tokenizeWildcard(pattern, options);
  const closures: number[][] = [];
  for (let i = tokens.length; i >= 0; i--) closures[i] = tokens[i]?.kind === "star" ? [i, ...closures[i + 1]] : [i];
  const literals = [...new Set(tokens.flatMap((t) => (t.kind === "literal" ? [t.char] : [])))];
  let prefix = "";
  for (const t of tokens) {
    if (t.kind !== "literal") break;
    prefix += t.char;
  }
  let suffix = "";
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i];
    if (t.kind !== "literal") break;
    suffix = t.char + suffix;
  }
  const glob: Glob = { tokens, closures, literals, prefix, suffix, hasWildcards: tokens.some((t) => t.kind !== "literal") };
  if (globCache.size > 20000) globCache.clear();
  globCache.set(key, glob);
  return glob;
}

/** NFA successors of one position on a symbol (`null` = any character outside the alphabet). */
function successors(glob: Glob, position: number, symbol: string | null): readonly number[] {
  const t = glob.tokens[position];
  if (!t) return [];
  if (t.kind === "star") return glob.closures[position];
  if (t.kind === "any" || t.char === symbol) return glob.closures[position + 1];
  return [];
}

function accepts(glob: Glob, position: number): boolean {
  return position === glob.tokens.length;
}

/** Subset step of the determinised pattern. */
function subsetStep(glob: Glob, subset: readonly number[], symbol: string | null): number[] {
  const out = new Set<number>();
  for (const p of subset) for (const q of successors(glob, p, symbol)) out.add(q);
  return [...out].sort((a, b) => a - b);
}

type SearchResult = { readonly witness: string } | { readonly none: true } | { readonly unknown: true };

function otherCharacter(alphabet: ReadonlySet<string>, options: GlobSpace): string {
  for (const c of OTHER_CANDIDATES) {
    const folded = options.caseInsensitive ? c.toLowerCase() : c;
    if (!alphabet.has(folded)) return c;
  }
  // Every candidate is a literal somewhere: any character outside the alphabet will do.
  for (let code = 0x21; code < 0x7f; code++) {
    const c = String.fromCharCode(code);
    if (!alphabet.has(options.caseInsensitive ? c.toLowerCase() : c) && c !== "*" && c !== "?") return c;
  }
  return "\u00e9";
}

/**
 * Searches for a string that every `positive` pattern matches and `negative` (if given) does not,
 * within the space's universe. Shortest first, so a witness is as short as it gets.
 */
function search(positives: readonly Glob[], negative: Glob | undefined, options: GlobSpace): SearchResult {
  const alphabet = new Set<string>();
  for (const g of [...positives, ...(negative ? [negative] : [])]) for (const c of g.literals) alphabet.add(c);
  const first =
    options.startsWith === undefined ? undefined : options.caseInsensitive ? options.startsWith.toLowerCase() : options.startsWith;
  if (first !== undefined) alphabet.add(first);
  const symbols: (string | null)[] = [...alphabet, null];
  const budget = options.budget ?? 20000;

  interface State {
    readonly positions: readonly number[];
    readonly negative: readonly number[];
    readonly started: boolean;
    readonly parent?: State;
    readonly symbol?: string | null;
  }
  const keyOf = (positions: readonly number[], neg: readonly number[], started: boolean) =>
    `${positions.join(",")}|${neg.join(",")}|${started ? 1 : 0}`;
  const accepting = (s: State) =>
    (first === undefined || s.started) &&
    s.positions.every((p, i) => accepts(positives[i], p)) &&
    (!negative || !s.negative.some((p) => accepts(negative, p)));
  const witnessOf = (s: State): string => {
    const other = otherCharacter(alphabet, options);
    const chars: string[] = [];
    for (let cur: State | undefined = s; cur?.parent; cur = cur.parent) chars.push(cur.symbol ?? other);
    return chars.reverse().join("");
  };

  // Start states: every combination of the positives' start closures.
  let starts: number[][] = [[]];
  positives.forEach((g) => {
    starts = starts.flatMap((combo) => g.closures[0].map((p) => [...combo, p]));
  });
  const negStart = negative ? [...negative.closures[0]] : [];
  const seen = new Set<string>();
  let queue: State[] = [];
  for (const positions of starts) {
    const key = keyOf(positions, negStart, false);
    if (seen.has(key)) continue;
    seen.add(key);
    queue.push({ positions, negative: negStart, started: false });
  }
  while (queue.length > 0) {
    const next: State[] = [];
    for (const state of queue) {
      if (accepting(state)) return { witness: witnessOf(state) };
      for (const symbol of symbols) {
        if (first !== undefined && !state.started && symbol !== first) continue;
        let combos: number[][] = [[]];
        for (let i = 0; i < positives.length && combos.length > 0; i++) {
          const succ = successors(positives[i], state.positions[i], symbol);
          combos = combos.flatMap((combo) => succ.map((p) => [...combo, p]));
        }
        if (combos.length === 0) continue;
        const neg = negative ? subsetStep(negative, state.negative, symbol) : [];
        for (const positions of combos) {
          const key = keyOf(positions, neg, true);
          if (seen.has(key)) continue;
          seen.add(key);
          if (seen.size > budget) return { unknown: true };
          next.push({ positions, negative: neg, started: true, parent: state, symbol });
        }
      }
    }
    queue = next;
  }
  return { none: true };
}

/** True when the literal prefixes or suffixes already prove that two patterns never meet. */
function literallyDisjoint(ea: Glob, eb: Glob): boolean {
  const compatible = (x: string, y: string, atEnd: boolean) => {
    const n = Math.min(x.length, y.length);
    return atEnd ? x.slice(x.length - n) === y.slice(y.length - n) : x.slice(0, n) === y.slice(0, n);
  };
  if (!compatible(ea.prefix, eb.prefix, false) || !compatible(ea.suffix, eb.suffix, true)) return true;
  // Two wildcard-free patterns meet only when equal.
  return !ea.hasWildcards && !eb.hasWildcards && ea.prefix !== eb.prefix;
}

export interface GlobMeet {
  /** A string both patterns match (within the universe), or undefined when there is none. */
  readonly witness?: string;
}

const meetCache = new Map<string, string | null>();

/** A shortest string both patterns match, within the universe; undefined when they never meet. Exact. */
export function globMeet(a: string, b: string, options: GlobSpace = {}): string | undefined {
  const key = `${optionsKey(options)}\u0000${a}\u0000${b}`;
  const cached = meetCache.get(key);
  if (cached !== undefined) return cached ?? undefined;
  const ga = compileGlob(a, options);
  const gb = compileGlob(b, options);
  let result: string | null = null;
  if (!literallyDisjoint(ga, gb)) {
    const found = search([ga, gb], undefined, { ...options, budget: Number.MAX_SAFE_INTEGER });
    result = "witness" in found ? found.witness : null;
  }
  if (meetCache.size > 50000) meetCache.clear();
  meetCache.set(key, result);
  return result ?? undefined;
}

const sampleCache = new Map<string, string>();

/** A shortest string the pattern matches within the universe (every pattern matches one). */
export function globSample(pattern: string, options: GlobSpace = {}): string {
  const key = `${optionsKey(options)}\u0000${pattern}`;
  const cached = sampleCache.get(key);
  if (cached !== undefined) return cached;
  const found = search([compileGlob(pattern, options)], undefined, { ...options, budget: Number.MAX_SAFE_INTEGER });
  const sample = "witness" in found ? found.witness : "";
  if (sampleCache.size > 20000) sampleCache.clear();
  sampleCache.set(key, sample);
  return sample;
}

const containsCache = new Map<string, boolean | null>();

/**
 * Whether every string of the universe that `narrow` matches is matched by `broad`.
 * `undefined` when the search ran out of budget (callers treat it as "not known to contain").
 */
export function globContains(broad: string, narrow: string, options: GlobSpace = {}): boolean | undefined {
  const key = `${optionsKey(options)}\u0000${broad}\u0000${narrow}`;
  const cached = containsCache.get(key);
  if (cached !== undefined) return cached ?? undefined;
  const found = search([compileGlob(narrow, options)], compileGlob(broad, options), options);
  const result = "none" in found ? true : "witness" in found ? false : null;
  if (containsCache.size > 50000) containsCache.clear();
  containsCache.set(key, result);
  return result ?? undefined;
}

/** Whether the pattern matches every string of the universe (`*`, and on paths also `/*`). */
export function globUniversal(pattern: string, options: GlobSpace = {}): boolean {
  return globContains(pattern, "*", options) === true;
}

export interface GlobRelation {
  /** A string both match, or undefined when they never meet. */
  readonly meet?: string;
  /** Every string b matches, a matches too (true), or not (false), or unknown (undefined). */
  readonly bContainedInA?: boolean;
  readonly aContainedInB?: boolean;
}

/** Meet and containment both ways; containment is only searched when the patterns meet. */
export function globRelation(a: string, b: string, options: GlobSpace = {}): GlobRelation {
  const meet = globMeet(a, b, options);
  if (meet === undefined) return { bContainedInA: false, aContainedInB: false };
  return { meet, bContainedInA: globContains(a, b, options), aContainedInB: globContains(b, a, options) };
}
