/**
 * ALB condition semantics: whether a request matches a rule, for `explain`. The compiler compares
 * rules with the same semantics (the same option sets below) in atoms.ts.
 * Source: ELB user guide "Condition types for listener rules" and the API reference configs:
 * - path-pattern: case-sensitive, compared with the path only, never the query string;
 * - host-header: case-insensitive;
 * - http-header: the name is case-insensitive, the values are case-insensitive patterns;
 * - query-string: key and value are case-insensitive patterns, matched against the decoded pairs,
 *   `\*` / `\?` for a literal star or question mark, `%XX` for any character ("Any character can be
 *   percentage encoded", QueryStringConditionConfig);
 * - http-request-method: case-sensitive exact match;
 * - source-ip: the client address (the proxy's, if any) within one of the CIDR blocks.
 * Values within a condition are ORed; conditions of a rule are ANDed.
 */
import { cidrContainsIp, parseCidr, parseIp, type Cidr } from "../core/cidr";
import type { CompiledCondition } from "./types";
import { wildcardMatch } from "./wildcard";
import type { GlobSpace } from "./wildcard-automata";

/** A request reduced to what listener rules look at. */
export interface MatchableRequest {
  readonly method: string;
  /** Path without query string, as sent. */
  readonly path: string;
  /** Host name without port, lower case. */
  readonly host: string;
  /** Header names in lower case to their values. */
  readonly headers: ReadonlyMap<string, readonly string[]>;
  /** Decoded query pairs in order. */
  readonly query: readonly { readonly key: string; readonly value: string }[];
  readonly sourceIp?: { readonly family: 4 | 6; readonly value: bigint };
}

/** Request paths always start with "/" (the universe the compiler compares path patterns in). */
export const PATH_SPACE: GlobSpace = { startsWith: "/" };
export const HOST_SPACE: GlobSpace = { caseInsensitive: true };
export const HEADER_SPACE: GlobSpace = { caseInsensitive: true };
export const QUERY_SPACE: GlobSpace = { caseInsensitive: true, backslashEscapes: true, percentDecoding: true };

function cidr(text: string): Cidr | undefined {
  const parsed = parseCidr(text);
  return "error" in parsed ? undefined : parsed;
}

export function conditionMatches(condition: CompiledCondition, request: MatchableRequest): boolean {
  switch (condition.type) {
    case "path-pattern":
      return condition.values.some((p) => wildcardMatch(p, request.path));
    case "host-header":
      return condition.values.some((p) => wildcardMatch(p, request.host, HOST_SPACE));
    case "http-header": {
      const values = request.headers.get(condition.name.toLowerCase()) ?? [];
      return values.some((value) => condition.values.some((p) => wildcardMatch(p, value, HEADER_SPACE)));
    }
    case "query-string":
      return condition.values.some((cv) =>
        request.query.some(
          (q) => (cv.key === undefined || wildcardMatch(cv.key, q.key, QUERY_SPACE)) && wildcardMatch(cv.value, q.value, QUERY_SPACE),
        ),
      );
    case "http-request-method":
      return condition.values.includes(request.method);
    case "source-ip": {
      const ip = request.sourceIp;
      return (
        ip !== undefined &&
        condition.values.some((c) => {
          const block = cidr(c);
          return block !== undefined && cidrContainsIp(block, ip);
        })
      );
    }
  }
}

/** All conditions match (AND). */
export function ruleMatches(conditions: readonly CompiledCondition[], request: MatchableRequest): boolean {
  return conditions.every((c) => conditionMatches(c, request));
}

/** Parses an IP for `MatchableRequest.sourceIp`. */
export function requestIp(text: string | undefined): MatchableRequest["sourceIp"] {
  return text === undefined ? undefined : parseIp(text);
}
