/**
 * `app-fleets summary`: what the stacks' outputs will say after `cdktf deploy` (the `fleets` and
 * `traffic_summary` outputs), read from the configuration without synthesizing or deploying: each
 * fleet's capacity, image and shares, the Blue/Green stage, and every rule in priority order.
 * The values come from the functions the outputs use (lib/traffic/traffic-summary.ts).
 */
import { fleetSummaries, type FleetSummary, trafficSummary } from "../../lib/traffic/traffic-summary";
import type { CommandIo } from "./command";
import { renderCommand, withHeadings } from "./render-command";
import type { RoutingSource } from "./routing-source";

/** What `summary --json` prints per stack. */
export interface StackSummary {
  readonly file: string;
  readonly layout: string;
  /** The Blue/Green stage; absent for a two-version stack. */
  readonly stage?: string;
  readonly load_balancer_name: string;
  /** Equal to the stack's `fleets` output. */
  readonly fleets: Readonly<Record<string, FleetSummary>>;
  /** Equal to the stack's `traffic_summary` output. */
  readonly traffic_summary: readonly string[];
  readonly rules: { readonly count: number; readonly anchor_rules: number; readonly with_maintenance_on: number; readonly quota: number };
}

export function stackSummary(source: RoutingSource): StackSummary | undefined {
  const layout = source.layout;
  if (!layout) return undefined;
  const { routing, config } = layout;
  const counts = routing.compiled.ruleCounts;
  return {
    file: source.file,
    layout: config.layout,
    ...(routing.traffic ? { stage: routing.traffic.stage } : {}),
    load_balancer_name: routing.loadBalancerName,
    fleets: fleetSummaries(routing.fleets, routing.compiled),
    traffic_summary: trafficSummary(routing.compiled),
    rules: { count: counts.normal, anchor_rules: counts.extra, with_maintenance_on: counts.withMaintenance, quota: counts.quota },
  };
}

function pad(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join("  "));
}

function printSummary(io: CommandIo, summary: StackSummary, source: RoutingSource): void {
  const traffic = source.layout!.routing.traffic;
  if (traffic) {
    const share = traffic.candidatePercent === 0 ? "" : `, ${traffic.candidate} ${traffic.candidatePercent} %`;
    io.out(
      `stage ${traffic.stage}: ${traffic.live} live${traffic.candidatePercent === 0 ? " (100 %)" : ` ${100 - traffic.candidatePercent} %`}${share}`,
    );
  }
  const r = summary.rules;
  io.out(
    `load balancer ${summary.load_balancer_name}: ${r.count} listener rule(s) + ${r.anchor_rules} anchor rule(s) of ${r.quota}; with maintenance on ${r.with_maintenance_on}`,
  );
  io.out("fleets:");
  const rows = [["  FLEET", "MIN", "DESIRED", "MAX", "IMAGE", "DEFAULT", "RULES"]];
  for (const [name, f] of Object.entries(summary.fleets)) {
    const rules =
      Object.entries(f.rules)
        .map(([rule, pct]) => `${rule} ${pct}%`)
        .join(", ") || "-";
    rows.push([`  ${name}`, String(f.min), String(f.desired), String(f.max), f.image_id, `${f.default_percent}%`, rules]);
  }
  pad(rows).forEach((line) => io.out(line));
  io.out("traffic:");
  summary.traffic_summary.forEach((line) => io.out(`  ${line}`));
}

export const summaryCommand = renderCommand({
  name: "summary",
  summary: "print what the stacks' outputs say: fleets, capacities, shares, the stage and the rules in order",
  options: [{ name: "json" }],
  usageNotes: [
    "  --json             print { <stack ID>: { fleets, traffic_summary, ... } }; fleets and traffic_summary equal",
    "                     the stack's outputs of the same names",
    "Reads layout configurations only (--config, or APP_FLEETS_CONFIG): a table file has no fleets to summarize.",
  ],
  render(sources, args, io) {
    if (sources.some((s) => !s.layout)) {
      io.err(
        "summary: a routing table file has no fleets or capacities to summarize. Fix: pass --config FILE|DIR (a layout configuration)",
      );
      return 2;
    }
    if (args.options.has("json")) {
      io.out(JSON.stringify(Object.fromEntries(sources.map((s) => [s.label, stackSummary(s)])), null, 2));
      return 0;
    }
    withHeadings(sources, io, (source) => printSummary(io, stackSummary(source)!, source));
    return 0;
  },
});
