/** `app-fleets explain <url>`: which listener rule a request matches and which fleets receive it. */
import { compareRouting, type RoutingDifference } from "../../lib/live/compare";
import { asCompiledRouting, type LiveRouting } from "../../lib/live/live-routing";
import { readLiveRouting } from "../../lib/live/read-live";
import { explain, DEFAULT_EXPLAIN_SOURCE_IP, type ExplainRequest, type Explanation } from "../../lib/routing/explain";
import { formatPercent, roundPercent } from "../../lib/core/percent";
import { describeAction, describeConditions } from "../../lib/routing/describe";
import type { RouteTarget } from "../../lib/routing/types";
import { parseArgs, type ParsedArgs } from "./args";
import type { Command, CommandIo } from "./command";
import { printDifferences } from "./drift";
import { LIVE_OPTIONS, LIVE_OPTIONS_USAGE, resolveLiveComparison } from "./live-target";
import { checkExplainRequest } from "./explain-request";
import { reportCommandError } from "./render-command";
import { loadRoutingSources, ROUTING_SOURCE_USAGE, type RoutingSource, UsageError } from "./routing-source";

const USAGE = [
  "usage: app-fleets explain <url> [-X METHOD] [-H 'Name: value']... [--source-ip IP] [--json] [--config PATH [--stack ID] | --table FILE]",
  "  <url>              absolute http(s) URL (https://www.example.com/hoge?x=1), or a path (/hoge) with -H 'Host: ...'",
  "  -X, --method       HTTP method (default GET)",
  "  -H, --header       request header 'Name: value', repeatable",
  `  --source-ip IP     client address as the load balancer sees it (default ${DEFAULT_EXPLAIN_SOURCE_IP})`,
  "  --json             print the matched rule and fleets with weights as JSON",
  ROUTING_SOURCE_USAGE,
  "  --live             evaluate against the rules the load balancer really has (read with the AWS SDK), and",
  "                     report every difference from the compiled table (--config, or --table with --load-balancer)",
  // --config is described above; the rest of the live options here.
  ...LIVE_OPTIONS_USAGE.split("\n").slice(
    LIVE_OPTIONS_USAGE.split("\n").findIndex((line) => line.trimStart().startsWith("--load-balancer")),
  ),
].join("\n");

/** The JSON printed by `explain --json`. */
export function explanationJson(e: Explanation<RouteTarget>, url: string): Record<string, unknown> {
  return {
    request: { method: e.request.method, url, host: e.request.host, path: e.request.path },
    rule: e.rule
      ? { key: e.rule.key, priority: e.rule.priority, kind: e.rule.kind, source: e.rule.source, conditions: e.rule.conditions }
      : null,
    default: e.rule === undefined,
    action:
      e.action.type === "forward"
        ? { type: "forward", ...(e.action.groupStickinessSeconds ? { groupStickinessSeconds: e.action.groupStickinessSeconds } : {}) }
        : e.action,
    fleets: e.fleets.map((f) => ({ name: f.fleet.name, weight: f.weight, percent: roundPercent(f.percent) })),
  };
}

export const explainCommand: Command = {
  name: "explain",
  summary: "show which listener rule a request matches and where it goes",
  usage: USAGE,
  run(argv, io) {
    const args = parseArgs(argv, [
      { name: "method", short: "X", value: true },
      { name: "header", short: "H", value: true, repeat: true },
      { name: "source-ip", value: true },
      { name: "json" },
      { name: "table", value: true },
      { name: "stack", value: true },
      { name: "live" },
      ...LIVE_OPTIONS,
    ]);
    if ("error" in args || args.positionals.length !== 1) {
      io.err(`explain: ${"error" in args ? args.error : `expected one URL, got ${args.positionals.length}`}\n${USAGE}`);
      return 2;
    }
    const headers: Record<string, string[]> = {};
    for (const h of args.options.get("header") ?? []) {
      const colon = h.indexOf(":");
      if (colon <= 0) {
        io.err(`explain: header ${JSON.stringify(h)} must be 'Name: value'`);
        return 2;
      }
      const name = h.slice(0, colon).trim();
      headers[name] = [...(headers[name] ?? []), h.slice(colon + 1).trim()];
    }
    const url = args.positionals[0];
    const sourceIp = args.options.get("source-ip")?.[0] ?? DEFAULT_EXPLAIN_SOURCE_IP;
    // A URL without a scheme or a malformed address would be explained as something else: refused.
    const refused = checkExplainRequest(url, args.options.get("source-ip")?.[0]);
    if (refused) {
      io.err(`explain: ${refused}`);
      return 2;
    }
    const request: ExplainRequest = { url, method: args.options.get("method")?.[0] ?? "GET", headers, sourceIp };
    if (args.options.has("live")) return explainLive(args, io, request);
    // --config names the configuration offline too; the others describe a live load balancer.
    const liveOnly = LIVE_OPTIONS.find((o) => o.name !== "config" && args.options.has(o.name));
    if (liveOnly) {
      io.err(`explain: --${liveOnly.name} describes a live load balancer. Fix: add --live, or drop --${liveOnly.name}\n${USAGE}`);
      return 2;
    }
    let result: Explanation<RouteTarget>;
    try {
      const sources = loadRoutingSources(args);
      result = explain(onlySource(sources).compiled, request);
    } catch (e) {
      return reportCommandError("explain", e, io, USAGE);
    }
    if (args.options.has("json")) {
      io.out(JSON.stringify(explanationJson(result, url), null, 2));
      return 0;
    }
    printExplanation(io, result, url, sourceIp);
    return 0;
  },
};

/** A request goes through one load balancer: a directory of several stacks needs --stack. */
function onlySource(sources: readonly RoutingSource[]): RoutingSource {
  if (sources.length === 1) return sources[0];
  throw new UsageError(
    `the configuration holds ${sources.length} stacks (${sources.map((s) => s.label).join(", ")}); a request reaches one load balancer. ` +
      `Fix: add --stack ${sources[0].label} (or another of them)`,
  );
}

/** The explanation for people: the request, the rule it matches and where it goes. */
export function printExplanation(io: CommandIo, result: Explanation<RouteTarget>, url: string, sourceIp: string): void {
  io.out(`${result.request.method} ${url} (host ${result.request.host || "-"}, path ${result.request.path}) from ${sourceIp}`);
  if (result.rule) {
    io.out(`matches ${result.rule.key} (priority ${result.rule.priority}, ${result.rule.kind} ${JSON.stringify(result.rule.source)})`);
    io.out(`  when ${describeConditions(result.rule.conditions) ?? "(no condition)"}`);
  } else {
    io.out("matches no rule: the listener's default action applies");
  }
  io.out(
    result.fleets.length > 0
      ? `goes to ${result.fleets.map((f) => `${f.fleet.name} ${formatPercent(f.percent)} (weight ${f.weight})`).join(", ")}`
      : `answered by the load balancer: ${describeAction(result.action)}`,
  );
}

/**
 * The live explanation with its fleets in the configuration's order: a forward's target groups
 * are a set (the provider models them so and the API keeps no order), so the live listener may
 * list a 9:1 split as 1:9 although it is the same split.
 */
export function inFleetOrderOf(live: Explanation<RouteTarget>, expected: Explanation<RouteTarget>): Explanation<RouteTarget> {
  const order = expected.fleets.map((f) => f.fleet.name);
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  const fleets = [...live.fleets].sort((a, b) => rank(a.fleet.name) - rank(b.fleet.name) || a.fleet.name.localeCompare(b.fleet.name));
  return { ...live, fleets };
}

/** Where the request goes on the live listener, and every difference from the compiled table. */
async function explainLive(args: ParsedArgs, io: CommandIo, request: ExplainRequest): Promise<number> {
  let live: LiveRouting;
  let result: Explanation<RouteTarget>;
  let differences: RoutingDifference[] | undefined;
  let expectedResult: Explanation<RouteTarget> | undefined;
  let source: string | undefined;
  try {
    const comparison = await resolveLiveComparison(args, false);
    if ("error" in comparison) {
      io.err(`explain: ${comparison.error}\n${USAGE}`);
      return 2;
    }
    live = await readLiveRouting(comparison.target);
    result = explain(asCompiledRouting(live), request);
    source = comparison.expectedSource;
    if (comparison.expected) {
      differences = compareRouting(comparison.expected, live);
      expectedResult = explain(comparison.expected, request);
      result = inFleetOrderOf(result, expectedResult);
    }
  } catch (e) {
    io.err(`explain: ${(e as Error).message}`);
    return 1;
  }
  const sameDestination = (a: Explanation<RouteTarget>, b: Explanation<RouteTarget>) =>
    a.rule?.priority === b.rule?.priority &&
    JSON.stringify(explanationJson(a, "").fleets) === JSON.stringify(explanationJson(b, "").fleets) &&
    a.action.type === b.action.type;
  if (args.options.has("json")) {
    io.out(
      JSON.stringify(
        {
          ...explanationJson(result, request.url),
          live: { listenerArn: live.listenerArn, port: live.port, rules: live.rules.length },
          ...(expectedResult ? { configuration: { source, ...explanationJson(expectedResult, request.url) } } : {}),
          ...(differences ? { inSync: differences.length === 0, differences } : {}),
        },
        null,
        2,
      ),
    );
    return 0;
  }
  io.out(`live: listener on port ${live.port} (${live.listenerArn}), ${live.rules.length} rule(s)`);
  printExplanation(io, result, request.url, request.sourceIp ?? DEFAULT_EXPLAIN_SOURCE_IP);
  if (expectedResult && !sameDestination(result, expectedResult)) {
    io.out(`${source} would send it elsewhere:`);
    printExplanation(io, expectedResult, request.url, request.sourceIp ?? DEFAULT_EXPLAIN_SOURCE_IP);
  }
  if (differences) printDifferences(io, live, differences, source ?? "the configuration");
  else io.out("no configuration given (--config or --table): differences not checked");
  return 0;
}
