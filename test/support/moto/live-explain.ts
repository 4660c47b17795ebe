/** Where a request goes on the live listener, in the words `app-fleets drift` uses ("forward rails3=9, rails4=1"). */
import { describeAction } from "../../../lib/live/compare";
import { asCompiledRouting, LiveRouting, LiveRule } from "../../../lib/live/live-routing";
import { explain, ExplainRequest } from "../../../lib/routing/explain";

export function liveDestination(routing: LiveRouting, url: string, request: Omit<ExplainRequest, "url"> = {}): string {
  return describeAction(explain(asCompiledRouting(routing), { url, ...request }).action);
}

/** Each fleet's share of a request's traffic on the live listener, in percent, e.g. { blue: 90, green: 10 }. */
export function liveShares(routing: LiveRouting, url: string, request: Omit<ExplainRequest, "url"> = {}): Record<string, number> {
  return Object.fromEntries(
    explain(asCompiledRouting(routing), { url, ...request }).fleets.map((f) => [f.fleet.name, Math.round(f.percent * 10) / 10]),
  );
}

/** The live rule a request matches, or undefined for the default action. */
export function liveMatch(routing: LiveRouting, url: string, request: Omit<ExplainRequest, "url"> = {}): LiveRule | undefined {
  return explain(asCompiledRouting(routing), { url, ...request }).rule as LiveRule | undefined;
}
