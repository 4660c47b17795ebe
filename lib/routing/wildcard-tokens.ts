/** ALB wildcard patterns as symbols, shared by the matcher (wildcard.ts) and the automata (wildcard-automata.ts). */

export type WildcardToken = { readonly kind: "literal"; readonly char: string } | { readonly kind: "any" } | { readonly kind: "star" };

export interface WildcardOptions {
  /** Compare letters case-insensitively (hosts, header values, query strings). @default false */
  readonly caseInsensitive?: boolean;
  /**
   * Treat `\*` and `\?` as literal characters. Only query-string conditions support this escape
   * (QueryStringConditionConfig: "you must escape these characters in Values using a '\\' character").
   * @default false
   */
  readonly backslashEscapes?: boolean;
  /**
   * Read `%XX` as the character it encodes. Query-string conditions compare against the decoded
   * pairs, and "any character can be percentage encoded" (QueryStringConditionConfig).
   * @default false
   */
  readonly percentDecoding?: boolean;
}

/** The pattern as symbols: literals (case-folded when asked), `?` and `*` (consecutive stars merged). */
export function tokenizeWildcard(pattern: string, options: WildcardOptions = {}): WildcardToken[] {
  const tokens: WildcardToken[] = [];
  const fold = (c: string) => (options.caseInsensitive ? c.toLowerCase() : c);
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (options.backslashEscapes && c === "\\" && (pattern[i + 1] === "*" || pattern[i + 1] === "?")) {
      tokens.push({ kind: "literal", char: pattern[i + 1] });
      i++;
    } else if (options.percentDecoding && c === "%" && /^[0-9A-Fa-f]{2}$/.test(pattern.slice(i + 1, i + 3))) {
      tokens.push({ kind: "literal", char: fold(String.fromCharCode(parseInt(pattern.slice(i + 1, i + 3), 16))) });
      i += 2;
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
