/**
 * ALB wildcard patterns: `*` matches zero or more characters, `?` exactly one.
 * Source: ELB API reference, PathPatternConditionConfig / HostHeaderConditionConfig /
 * HttpHeaderConditionConfig / QueryStringConditionConfig ("The following wildcard characters are
 * supported: * (matches 0 or more characters) and ? (matches exactly 1 character)").
 */

type Token = { readonly kind: "literal"; readonly char: string } | { readonly kind: "any" } | { readonly kind: "star" };

export interface WildcardOptions {
  /** Compare letters case-insensitively (hosts, header values, query strings). @default false */
  readonly caseInsensitive?: boolean;
  /**
   * Treat `\*` and `\?` as literal characters. Only query-string conditions support this escape
   * (QueryStringConditionConfig: "you must escape these characters in Values using a '\\' character").
   * @default false
   */
  readonly backslashEscapes?: boolean;
}

function tokenize(pattern: string, options: WildcardOptions): Token[] {
  const tokens: Token[] = [];
  const fold = (c: string) => (options.caseInsensitive ? c.toLowerCase() : c);
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (options.backslashEscapes && c === "\\" && (pattern[i + 1] === "*" || pattern[i + 1] === "?")) {
      tokens.push({ kind: "literal", char: pattern[i + 1] });
      i++;
    } else if (c === "*") {
      // Consecutive stars mean the same as one; merging them keeps the matchers linear.
      if (tokens[tokens.length - 1]?.kind !== "star") tokens.push({ kind: "star" });
    } else if (c === "?") {
      tokens.push({ kind: "any" });
    } else {
      tokens.push({ kind: "literal", char: fold(c) });
    }
  }
  return tokens;
}

/** Whether `text` matches the ALB wildcard `pattern` as a whole. */
export function wildcardMatch(pattern: string, text: string, options: WildcardOptions = {}): boolean {
  const p = tokenize(pattern, options);
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
 * Whether every string `narrow` matches is also matched by `broad` (language containment).
 * Conservative: true only when certain. It aligns `broad` against the symbols of `narrow`, where a
 * `*` of `broad` may absorb any run of symbols, a `?` of `broad` may stand for one literal or one `?`,
 * and a `*` of `narrow` can only be absorbed by a `*` of `broad`. Any alignment found is a proof.
 */
export function wildcardCovers(broad: string, narrow: string, options: WildcardOptions = {}): boolean {
  const a = tokenize(broad, options);
  const b = tokenize(narrow, options);
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === a.length) {
      result = j === b.length;
    } else {
      const ta = a[i];
      if (ta.kind === "star") {
        result = go(i + 1, j) || (j < b.length && go(i, j + 1));
      } else if (j === b.length) {
        result = false;
      } else {
        const tb = b[j];
        const one =
          ta.kind === "any" ? tb.kind !== "star" : tb.kind === "literal" && tb.char === ta.char;
        result = one && go(i + 1, j + 1);
      }
    }
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}

/**
 * How specific a pattern is: the number of characters that are not `*`, which is the length of the
 * shortest string it matches. If pattern B matches only strings that A matches, B's shortest string
 * is one of A's, so `specificity(A) <= specificity(B)`: sorting by it never puts a broader pattern
 * strictly ahead of one it contains.
 */
export function wildcardSpecificity(pattern: string): number {
  let n = 0;
  for (const c of pattern) if (c !== "*") n++;
  return n;
}

/** Whether the pattern uses `*` or `?`. */
export function hasWildcard(pattern: string): boolean {
  return pattern.includes("*") || pattern.includes("?");
}
