/**
 * `app-fleets drift`: every difference between the listener rules the configuration compiles to and
 * the rules the load balancer really has: a rule edited by hand in the console, a rule deleted or
 * added outside Terraform, a different weight or priority, another default action.
 */
import { compareRouting, describeAction, type RoutingDifference } from "../../lib/live/compare";
import { readLiveRouting } from "../../lib/live/read-live";
import type { LiveRouting } from "../../lib/live/live-routing";
import { parseArgs } from "./args";
import type { Command, CommandIo } from "./command";
import { TABLE_OPTION_USAGE } from "./load-table";
import { LIVE_OPTIONS, LIVE_OPTIONS_USAGE, resolveLiveComparison } from "./live-target";

/** Exit code when the live rules differ from the configuration (0: in sync, 1: failure, 2: usage). */
export const DRIFT_EXIT_CODE = 3;

const USAGE = [
  "usage: app-fleets drift --config FILE [--json] | --table FILE --load-balancer NAME [--region R] [--port N] [--json]",
  LIVE_OPTIONS_USAGE,
  TABLE_OPTION_USAGE,
  "  --json             print the differences as JSON",
  `Exit codes: 0 the live rules are what the configuration says, 1 failure, 2 usage, ${DRIFT_EXIT_CODE} differences found.`,
].join("\n");

/** What to do about drift, printed once under the list. */
export const DRIFT_FIX =
  "Fix: deploy the configuration again (cdktf deploy) to put the rules back, or write the change into the configuration if it should stay";

/** Prints the comparison for people: the listener, then each difference or that there is none. */
export function printDifferences(io: CommandIo, live: LiveRouting, differences: readonly RoutingDifference[], source: string): void {
  if (differences.length === 0) {
    io.out(`live rules agree with ${source}: ${live.rules.length} rule(s), default ${describeAction(live.defaultAction)}`);
    return;
  }
  io.out(`live rules differ from ${source} (${differences.length} difference(s)):`);
  for (const d of differences) io.out(`  - ${d.message}`);
  io.out(DRIFT_FIX);
}

export const driftCommand: Command = {
  name: "drift",
  summary: "compare a load balancer's live listener rules with the configuration",
  usage: USAGE,
  async run(argv, io) {
    const args = parseArgs(argv, [...LIVE_OPTIONS, { name: "table", value: true }, { name: "json" }]);
    if ("error" in args || args.positionals.length > 0) {
      io.err(`drift: ${"error" in args ? args.error : `unexpected argument ${args.positionals[0]}`}\n${USAGE}`);
      return 2;
    }
    if (!args.options.has("config") && !args.options.has("table")) {
      io.err(
        `drift: nothing to compare with. Fix: pass --config FILE (a layout configuration) or --table FILE with --load-balancer NAME\n${USAGE}`,
      );
      return 2;
    }
    try {
      const comparison = await resolveLiveComparison(args, true);
      if ("error" in comparison) {
        io.err(`drift: ${comparison.error}\n${USAGE}`);
        return 2;
      }
      const live = await readLiveRouting(comparison.target);
      const differences = compareRouting(comparison.expected!, live);
      if (args.options.has("json")) {
        io.out(
          JSON.stringify(
            {
              listenerArn: live.listenerArn,
              port: live.port,
              source: comparison.expectedSource,
              inSync: differences.length === 0,
              differences,
            },
            null,
            2,
          ),
        );
      } else {
        io.out(`${comparison.target.loadBalancerName ?? live.loadBalancerArn}: listener on port ${live.port} (${live.listenerArn})`);
        printDifferences(io, live, differences, comparison.expectedSource ?? "the configuration");
      }
      return differences.length === 0 ? 0 : DRIFT_EXIT_CODE;
    } catch (e) {
      io.err(`drift: ${(e as Error).message}`);
      return 1;
    }
  },
};
