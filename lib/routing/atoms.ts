/**
 * Atoms: the unit in which the compiler compares routes. A route's condition kinds are ANDed and
 * the values of one kind are ORed, so a route matches exactly the union of its atoms, each atom
 * taking one value of every kind (one path pattern with one host pattern, one method...).
 *
 * Two atoms are related exactly, from the conditions alone (never from names):
 * - they overlap when one request can match both: single-valued parts of a request (path, host,
 *   method, source IP) must meet; a request may carry several values of one header and several
 *   query pairs, so header and query conditions never keep two atoms apart (a request with
 *   `X-Beta: 1` and `X-Beta: 2`, or `?a=1&b=2`, matches both sides);
 * - A covers B when every request B matches, A matches too.
 * An overlap comes with a witness: a request that matches both, for error messages and tests.
 * Pure: no cdktf import.
 */
import { cidrContainsIp, cidrCovers, formatCidr, parseCidr, parseIp, type Cidr } from "../core/cidr";
import { HEADER_SPACE, HOST_SPACE, PATH_SPACE, QUERY_SPACE } from "./conditions";
import { DEFAULT_EXPLAIN_SOURCE_IP, type ExplainRequest } from "./explain";
import type { CompiledCondition, RouteMatch } from "./types";
import { globContains, globMeet, globSample, globUniversal, type GlobSpace } from "./wildcard-automata";

export interface QueryConstraint {
  /** Omitted: any key. */
  readonly key?: string;
  readonly value: string;
}

/** One value of every condition kind of a rule; absent kinds are unconstrained. */
export interface Atom {
  readonly path?: string;
  readonly host?: string;
  readonly method?: string;
  readonly sourceIp?: string;
  /** One pattern per header condition (several may name the same header). */
  readonly headers: readonly { readonly name: string; readonly value: string }[];
  /** One pair per query-string condition. */
  readonly queries: readonly QueryConstraint[];
}

/** One condition kind of a route and its alternative values; a rule takes a chunk of each. */
export type Dimension =
  | { readonly kind: "path-pattern" | "host-header" | "http-request-method" | "source-ip"; readonly values: readonly string[] }
  | { readonly kind: "http-header"; readonly name: string; readonly values: readonly string[] }
  | { readonly kind: "query-string"; readonly values: readonly QueryConstraint[] };

/** The dimensions of a route's match, in a fixed order: paths, hosts, headers, query, methods, source IPs. */
export function dimensionsOf(match: RouteMatch): Dimension[] {
  const dims: Dimension[] = [];
  if (match.paths?.length) dims.push({ kind: "path-pattern", values: match.paths });
  if (match.hosts?.length) dims.push({ kind: "host-header", values: match.hosts });
  for (const h of match.headers ?? []) dims.push({ kind: "http-header", name: h.name, values: h.values });
  if (match.queryStrings?.length) dims.push({ kind: "query-string", values: match.queryStrings });
  if (match.methods?.length) dims.push({ kind: "http-request-method", values: match.methods });
  if (match.sourceIps?.length) dims.push({ kind: "source-ip", values: match.sourceIps });
  return dims;
}

/** The dimensions of a compiled rule (one per condition). */
export function dimensionsOfConditions(conditions: readonly CompiledCondition[]): Dimension[] {
  return conditions.map((c): Dimension =>
    c.type === "http-header"
      ? { kind: c.type, name: c.name, values: c.values }
      : c.type === "query-string"
        ? { kind: c.type, values: c.values }
        : { kind: c.type, values: c.values },
  );
}

/** The condition of a dimension restricted to some of its values. */
export function conditionOf(dim: Dimension, valueIndexes: readonly number[]): CompiledCondition {
  if (dim.kind === "http-header") return { type: dim.kind, name: dim.name, values: valueIndexes.map((i) => dim.values[i]) };
  if (dim.kind === "query-string") return { type: dim.kind, values: valueIndexes.map((i) => dim.values[i]) };
  return { type: dim.kind, values: valueIndexes.map((i) => dim.values[i]) };
}

/** The atom taking value `choice[d]` of each dimension `d`. */
export function atomOf(dims: readonly Dimension[], choice: readonly number[]): Atom {
  const atom: { -readonly [K in keyof Atom]: Atom[K] } = { headers: [], queries: [] };
  const headers: { name: string; value: string }[] = [];
  const queries: QueryConstraint[] = [];
  dims.forEach((d, i) => {
    const v = d.values[choice[i]];
    switch (d.kind) {
      case "path-pattern":
        atom.path = v as string;
        break;
      case "host-header":
        atom.host = v as string;
        break;
      case "http-request-method":
        atom.method = v as string;
        break;
      case "source-ip":
        atom.sourceIp = v as string;
        break;
      case "http-header":
        headers.push({ name: d.name, value: v as string });
        break;
      case "query-string":
        queries.push(v as QueryConstraint);
        break;
    }
  });
  atom.headers = headers;
  atom.queries = queries;
  return atom;
}

/** Every combination of one value per dimension, in mixed-radix order (the first dimension slowest). */
export function choicesOf(sizes: readonly (readonly number[])[]): number[][] {
  let out: number[][] = [[]];
  for (const values of sizes) out = out.flatMap((prefix) => values.map((v) => [...prefix, v]));
  return out;
}

export interface AtomRelation {
  /** One request can match both. */
  readonly overlap: boolean;
  /** Every request `b` matches, `a` matches too. */
  readonly aCoversB: boolean;
  /** Every request `a` matches, `b` matches too. */
  readonly bCoversA: boolean;
  /** A request that matches both, when they overlap. */
  readonly witness?: ExplainRequest;
}

function cidr(text: string): Cidr | undefined {
  const c = parseCidr(text);
  return "error" in c ? undefined : c;
}

/** Part of a relation for one single-valued kind. */
interface Part {
  readonly meet: boolean;
  readonly aCoversB: boolean;
  readonly bCoversA: boolean;
  /** The value a witness request takes for this kind, when constrained. */
  readonly sample?: string;
}

const FREE: Part = { meet: true, aCoversB: true, bCoversA: true };

function patternPart(a: string | undefined, b: string | undefined, space: GlobSpace, preferred: string): Part {
  if (a === undefined && b === undefined) return FREE;
  const pick = (...patterns: string[]) => {
    // A familiar value reads better in a message than the shortest string (".example.com").
    if (patterns.every((p) => globMeet(p, preferred, space) !== undefined)) return preferred;
    return patterns.length === 1 ? globSample(patterns[0], space) : globMeet(patterns[0], patterns[1], space);
  };
  if (a === undefined) return { meet: true, aCoversB: true, bCoversA: globUniversal(b!, space), sample: pick(b!) };
  if (b === undefined) return { meet: true, aCoversB: globUniversal(a, space), bCoversA: true, sample: pick(a) };
  // Most pairs of a table never meet, and their literal prefixes or suffixes say so cheaply.
  if (globMeet(a, b, space) === undefined) return { meet: false, aCoversB: false, bCoversA: false };
  const sample = pick(a, b);
  return { meet: true, aCoversB: globContains(a, b, space) === true, bCoversA: globContains(b, a, space) === true, sample };
}

function methodPart(a: string | undefined, b: string | undefined): Part {
  if (a === undefined && b === undefined) return FREE;
  if (a === undefined) return { meet: true, aCoversB: true, bCoversA: false, sample: b };
  if (b === undefined) return { meet: true, aCoversB: false, bCoversA: true, sample: a };
  return a === b ? { meet: true, aCoversB: true, bCoversA: true, sample: a } : { meet: false, aCoversB: false, bCoversA: false };
}

function ipSample(block: Cidr): string {
  const preferred = parseIp(DEFAULT_EXPLAIN_SOURCE_IP)!;
  if (cidrContainsIp(block, preferred)) return DEFAULT_EXPLAIN_SOURCE_IP;
  return formatCidr(block).replace(/\/\d+$/, "");
}

function ipPart(a: string | undefined, b: string | undefined): Part {
  if (a === undefined && b === undefined) return FREE;
  const ca = a === undefined ? undefined : cidr(a);
  const cb = b === undefined ? undefined : cidr(b);
  // One block never holds every address of both families, so a block never covers "any source".
  if (a === undefined) return cb ? { meet: true, aCoversB: true, bCoversA: false, sample: ipSample(cb) } : FREE;
  if (b === undefined) return ca ? { meet: true, aCoversB: false, bCoversA: true, sample: ipSample(ca) } : FREE;
  if (!ca || !cb) return { meet: false, aCoversB: false, bCoversA: false };
  const aCoversB = cidrCovers(ca, cb);
  const bCoversA = cidrCovers(cb, ca);
  if (!aCoversB && !bCoversA) return { meet: false, aCoversB, bCoversA };
  return { meet: true, aCoversB, bCoversA, sample: ipSample(aCoversB ? cb : ca) };
}

/** Every header condition of `broad` is implied by one of `narrow`'s (same header, contained pattern). */
function headersCovered(broad: Atom, narrow: Atom): boolean {
  return broad.headers.every((hb) =>
    narrow.headers.some((hn) => hn.name.toLowerCase() === hb.name.toLowerCase() && globContains(hb.value, hn.value, HEADER_SPACE) === true),
  );
}

/** A query pair satisfying `narrow` always satisfies `broad`. */
export function queryCovers(broad: QueryConstraint, narrow: QueryConstraint): boolean {
  if (globContains(broad.value, narrow.value, QUERY_SPACE) !== true) return false;
  if (broad.key === undefined || globUniversal(broad.key, QUERY_SPACE)) return true;
  return narrow.key !== undefined && globContains(broad.key, narrow.key, QUERY_SPACE) === true;
}

function queriesCovered(broad: Atom, narrow: Atom): boolean {
  return broad.queries.every((qb) => narrow.queries.some((qn) => queryCovers(qb, qn)));
}

/** Header values for a witness: one value per pattern, shared where two patterns of a header meet. */
function headerSamples(atoms: readonly Atom[]): Record<string, string[]> {
  const byName = new Map<string, { name: string; patterns: string[] }>();
  for (const atom of atoms) {
    for (const h of atom.headers) {
      const key = h.name.toLowerCase();
      const entry = byName.get(key) ?? { name: h.name, patterns: [] };
      entry.patterns.push(h.value);
      byName.set(key, entry);
    }
  }
  const out: Record<string, string[]> = {};
  for (const { name, patterns } of byName.values()) {
    const values: string[] = [];
    const left = [...new Set(patterns)];
    while (left.length > 0) {
      const p = left.shift()!;
      const partner = left.findIndex((q) => globMeet(p, q, HEADER_SPACE) !== undefined);
      if (partner >= 0) {
        values.push(globMeet(p, left[partner], HEADER_SPACE)!);
        left.splice(partner, 1);
      } else {
        values.push(globSample(p, HEADER_SPACE));
      }
    }
    out[name] = [...new Set(values)];
  }
  return out;
}

function querySamples(atoms: readonly Atom[]): string[] {
  const pairs = new Set<string>();
  for (const atom of atoms) {
    for (const q of atom.queries) {
      const key = q.key === undefined ? "q" : globSample(q.key, QUERY_SPACE);
      pairs.add(`${encodeURIComponent(key)}=${encodeURIComponent(globSample(q.value, QUERY_SPACE))}`);
    }
  }
  return [...pairs];
}

/** A request matching every given atom, assuming their single-valued parts are `parts`. */
function witnessRequest(atoms: readonly Atom[], parts: { path: Part; host: Part; method: Part; ip: Part }): ExplainRequest {
  const query = querySamples(atoms);
  const headers = headerSamples(atoms);
  return {
    url: `https://${parts.host.sample ?? "example.com"}${parts.path.sample ?? "/"}${query.length ? `?${query.join("&")}` : ""}`,
    method: parts.method.sample ?? "GET",
    ...(Object.keys(headers).length ? { headers } : {}),
    sourceIp: parts.ip.sample ?? DEFAULT_EXPLAIN_SOURCE_IP,
  };
}

/** A request that matches the atom (e.g. to show what a route means). */
export function sampleRequest(atom: Atom): ExplainRequest {
  return witnessRequest([atom], {
    path: patternPart(atom.path, undefined, PATH_SPACE, "/"),
    host: patternPart(atom.host, undefined, HOST_SPACE, "example.com"),
    method: methodPart(atom.method, undefined),
    ip: ipPart(atom.sourceIp, undefined),
  });
}

/**
 * How two atoms relate. Exact for every condition type, given ALB's matching rules and the
 * multi-valued request model above (containment answers "no" only past the automaton budget).
 */
export function relateAtoms(a: Atom, b: Atom): AtomRelation {
  const method = methodPart(a.method, b.method);
  if (!method.meet) return { overlap: false, aCoversB: false, bCoversA: false };
  const ip = ipPart(a.sourceIp, b.sourceIp);
  if (!ip.meet) return { overlap: false, aCoversB: false, bCoversA: false };
  const path = patternPart(a.path, b.path, PATH_SPACE, "/");
  if (!path.meet) return { overlap: false, aCoversB: false, bCoversA: false };
  const host = patternPart(a.host, b.host, HOST_SPACE, "example.com");
  if (!host.meet) return { overlap: false, aCoversB: false, bCoversA: false };
  const parts = [method, ip, path, host];
  const aCoversB = parts.every((p) => p.aCoversB) && headersCovered(a, b) && queriesCovered(a, b);
  const bCoversA = parts.every((p) => p.bCoversA) && headersCovered(b, a) && queriesCovered(b, a);
  return { overlap: true, aCoversB, bCoversA, witness: witnessRequest([a, b], { path, host, method, ip }) };
}

/** A readable one-line form of a request, for messages: `GET https://example.com/x -H 'A: 1' from 192.0.2.1`. */
export function describeRequest(req: ExplainRequest): string {
  const headers = Object.entries(req.headers ?? {}).flatMap(([name, values]) =>
    (typeof values === "string" ? [values] : values).map((v) => ` -H '${name}: ${v}'`),
  );
  return `${req.method ?? "GET"} ${req.url}${headers.join("")}${req.sourceIp && req.sourceIp !== DEFAULT_EXPLAIN_SOURCE_IP ? ` from ${req.sourceIp}` : ""}`;
}
