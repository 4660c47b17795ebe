/**
 * Answers "where does this request go?" against compiled rules, with ALB's matching semantics
 * (see conditions.ts for the sources): rules in priority order, the first whose conditions all
 * match wins, otherwise the listener's default action.
 */
import { weightsToPercents } from "../core/percent";
import { requestIp, ruleMatches, type MatchableRequest } from "./conditions";
import type { CompiledAction, CompiledRouting, CompiledRule, RouteTarget } from "./types";

export interface ExplainRequest {
  /** Absolute URL ("https://www.example.com/hoge/1?x=1") or a path ("/hoge/1?x=1") with a Host header. */
  readonly url: string;
  /** @default "GET" */
  readonly method?: string;
  /** Header name (any case) to value(s). A `Host` header overrides the URL's host. @default - none */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  /**
   * Client address as the load balancer sees it.
   * @default "192.0.2.1" (TEST-NET-1: a client outside any bypass or allow list)
   */
  readonly sourceIp?: string;
}

export const DEFAULT_EXPLAIN_SOURCE_IP = "192.0.2.1";

export interface FleetShare<F extends RouteTarget = RouteTarget> {
  readonly fleet: F;
  readonly weight: number;
  /** Share of requests, 0-100. */
  readonly percent: number;
}

export interface Explanation<F extends RouteTarget = RouteTarget> {
  /** The matching rule, or undefined when the listener's default action applies. */
  readonly rule?: CompiledRule<F>;
  readonly action: CompiledAction<F>;
  /** Fleets with their weights and shares; empty for fixed responses and redirects. */
  readonly fleets: readonly FleetShare<F>[];
  /** The request as the rules saw it. */
  readonly request: MatchableRequest;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

/** Splits a URL without normalizing it: ALB sees the path as sent, so `new URL` (which resolves `..`) would lie. */
export function toMatchableRequest(req: ExplainRequest): MatchableRequest {
  const absolute = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?/.exec(req.url);
  let authority = "";
  let path: string;
  let query: string;
  if (absolute) {
    authority = absolute[2];
    path = absolute[3] || "/";
    query = (absolute[4] ?? "").slice(1);
  } else {
    const m = /^([^?#]*)(\?[^#]*)?/.exec(req.url)!;
    path = m[1] || "/";
    query = (m[2] ?? "").slice(1);
  }
  const headers = new Map<string, string[]>();
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    const key = name.toLowerCase();
    headers.set(key, [...(headers.get(key) ?? []), ...(typeof value === "string" ? [value] : value)]);
  }
  const hostSource = headers.get("host")?.[0] ?? authority;
  if (!headers.has("host") && authority) headers.set("host", [authority]);
  // Host conditions compare the host name; drop user info and port.
  const host = hostSource.replace(/^.*@/, "").replace(/:\d+$/, "").toLowerCase();
  const pairs = query === "" ? [] : query.split("&").filter((p) => p !== "");
  return {
    method: req.method ?? "GET",
    path,
    host,
    headers,
    query: pairs.map((p) => {
      const eq = p.indexOf("=");
      return eq < 0 ? { key: decode(p), value: "" } : { key: decode(p.slice(0, eq)), value: decode(p.slice(eq + 1)) };
    }),
    sourceIp: requestIp(req.sourceIp ?? DEFAULT_EXPLAIN_SOURCE_IP),
  };
}

function shares<F extends RouteTarget>(action: CompiledAction<F>): FleetShare<F>[] {
  if (action.type !== "forward") return [];
  const percents = weightsToPercents(action.targets.map((t) => t.weight));
  return action.targets.map((t, i) => ({ fleet: t.fleet, weight: t.weight, percent: percents[i] }));
}

/** Which rule a request matches and where it goes. */
export function explain<F extends RouteTarget>(compiled: CompiledRouting<F>, request: ExplainRequest): Explanation<F> {
  const req = toMatchableRequest(request);
  const rule = [...compiled.rules].sort((a, b) => a.priority - b.priority).find((r) => ruleMatches(r.conditions, req));
  const action = rule ? rule.action : compiled.defaultAction;
  return { ...(rule ? { rule } : {}), action, fleets: shares(action), request: req };
}
