/**
 * ALB wildcard patterns: `*` matches zero or more characters, `?` exactly one.
 * Source: ELB API reference, PathPatternConditionConfig / HostHeaderConditionConfig /
 * HttpHeaderConditionConfig / QueryStringConditionConfig ("The following wildcard characters are
 * supported: * (matches 0 or more characters) and ? (matches exactly 1 character)").
 *
 * Matching a request is here; deciding whether one pattern contains or meets another (which the
 * compiler needs to order rules) is in wildcard-automata.ts.
 */
import { globRelation } from "./wildcard-automata";
import { tokenizeWildcard, type WildcardOptions } from "./wildcard-tokens";

/** Whether `text` matches the ALB wildcard `pattern` as a whole. */
export function wildcardMatch(pattern: string, text: string, options: WildcardOptions = {}): boolean {
  const p = tokenizeWildcard(pattern, options);
  const t = options.caseInsensitive ? text.toLowerCase() : text;
  // Iterative glob matching with single-star backtracking: linear in practice, no regex escaping pitfalls.
  let pi = 0;
  let ti = 0;
  let starAt = -1;
  let starText = 0;
  while (ti < t.length) {
    const tok = p[pi];
    if (tok && (tok.kind === "any" || (tok.kind === "literal" && tok.char === t[ti]))) {
      pi++;
      ti++;
    } else if (tok && tok.kind === "star") {
      starAt = pi++;
      starText = ti;
    } else if (starAt >= 0) {
      pi = starAt + 1;
      ti = ++starText;
    } else {
      return false;
    }
  }
  while (p[pi]?.kind === "star") pi++;
  return pi === p.length;
}

/**
 * Whether every string `narrow` matches is also matched by `broad` (language containment), decided
 * exactly by automata (see wildcard-automata.ts). `?*` and `*?` contain each other; `/a*` contains
 * `/a?`, not the reverse. When the patterns are too intricate to decide within the automaton budget,
 * the answer is false: callers treat "not known to contain" like "does not contain".
 */
export function wildcardCovers(broad: string, narrow: string, options: WildcardOptions = {}): boolean {
  return globRelation(broad, narrow, options).bContainedInA === true;
}

/** Number of `*` and `?` wildcards, the unit of ALB's "Condition wildcards per rule" quota; escaped ones do not count. */
export function wildcardCount(pattern: string, options: WildcardOptions = {}): number {
  let n = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (options.backslashEscapes && c === "\\" && (pattern[i + 1] === "*" || pattern[i + 1] === "?")) i++;
    else if (c === "*" || c === "?") n++;
  }
  return n;
}
