/**
 * ALB condition semantics, shared by `explain` (does a request match?) and the compiler's shadow
 * check (does one rule match everything another matches?).
 * Source: ELB user guide "Condition types for listener rules" and the API reference configs:
 * - path-pattern: case-sensitive, compared with the path only, never the query string;
 * - host-header: case-insensitive;
 * - http-header: the name is case-insensitive, the values are case-insensitive patterns;
 * - query-string: key and value are case-insensitive patterns, matched against the decoded pairs,
 *   `\*` / `\?` for a literal star or question mark;
 * - http-request-method: case-sensitive exact match;
 * - source-ip: the client address (the proxy's, if any) within one of the CIDR blocks.
 * Values within a condition are ORed; conditions of a rule are ANDed.
 */
import { cidrContainsIp, cidrCovers, parseCidr, parseIp, type Cidr } from "./cidr";
import type { CompiledCondition } from "./types";
import { wildcardCovers, wildcardMatch } from "./wildcard";

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

const CI = { caseInsensitive: true } as const;
const QUERY = { caseInsensitive: true, backslashEscapes: true } as const;

function cidr(text: string): Cidr | undefined {
  const parsed = parseCidr(text);
  return "error" in parsed ? undefined : parsed;
}

export function conditionMatches(condition: CompiledCondition, request: MatchableRequest): boolean {
  switch (condition.type) {
    case "path-pattern":
      return condition.values.some((p) => wildcardMatch(p, request.path));
    case "host-header":
      return condition.values.some((p) => wildcardMatch(p, request.host, CI));
    case "http-header": {
      const values = request.headers.get(condition.name.toLowerCase()) ?? [];
      return values.some((value) => condition.values.some((p) => wildcardMatch(p, value, CI)));
    }
    case "query-string":
      return condition.values.some((cv) =>
        request.query.some((q) => (cv.key === undefined || wildcardMatch(cv.key, q.key, QUERY)) && wildcardMatch(cv.value, q.value, QUERY)),
      );
    case "http-request-method":
      return condition.values.includes(request.method);
    case "source-ip": {
      const ip = request.sourceIp;
      return ip !== undefined && condition.values.some((c) => {
        const block = cidr(c);
        return block !== undefined && cidrContainsIp(block, ip);
      });
    }
  }
}

/** All conditions match (AND). */
export function ruleMatches(conditions: readonly CompiledCondition[], request: MatchableRequest): boolean {
  return conditions.every((c) => conditionMatches(c, request));
}

/** Whether every request condition `b` accepts is accepted by condition `a` of the same kind. */
function conditionCovers(a: CompiledCondition, b: CompiledCondition): boolean {
  switch (a.type) {
    case "path-pattern":
      return b.type === a.type && b.values.every((vb) => a.values.some((va) => wildcardCovers(va, vb)));
    case "host-header":
      return b.type === a.type && b.values.every((vb) => a.values.some((va) => wildcardCovers(va, vb, CI)));
    case "http-header":
      return (
        b.type === a.type &&
        b.name.toLowerCase() === a.name.toLowerCase() &&
        b.values.every((vb) => a.values.some((va) => wildcardCovers(va, vb, CI)))
      );
    case "query-string":
      return (
        b.type === a.type &&
        b.values.every((vb) =>
          a.values.some(
            (va) =>
              wildcardCovers(va.value, vb.value, QUERY) &&
              (va.key === undefined || (vb.key !== undefined && wildcardCovers(va.key, vb.key, QUERY))),
          ),
        )
      );
    case "http-request-method":
      return b.type === a.type && b.values.every((m) => a.values.includes(m));
    case "source-ip":
      return (
        b.type === a.type &&
        b.values.every((vb) => {
          const inner = cidr(vb);
          return inner !== undefined && a.values.some((va) => {
            const outer = cidr(va);
            return outer !== undefined && cidrCovers(outer, inner);
          });
        })
      );
  }
}

/**
 * Whether rule `a` matches every request rule `b` matches. Conservative: every condition of `a`
 * must be implied by one condition of `b`; true only when certain.
 */
export function rulesCover(a: readonly CompiledCondition[], b: readonly CompiledCondition[]): boolean {
  return a.every((ca) => b.some((cb) => conditionCovers(ca, cb)));
}

/** Parses an IP for `MatchableRequest.sourceIp`. */
export function requestIp(text: string | undefined): MatchableRequest["sourceIp"] {
  return text === undefined ? undefined : parseIp(text);
}
