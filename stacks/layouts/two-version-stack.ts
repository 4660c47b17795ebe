/**
 * The parallel-run layout: an old and a new version side by side behind one load balancer,
 * paths moved between them by editing the routing table in the configuration.
 */
import { Construct } from "constructs";
import { AppServerGroup } from "../../lib/fleet/app-server-group";
import { TwoVersionConfig } from "../config/layout-config";
import { layoutRoutingTable } from "../config/layout-routing";
import { FleetEnvironmentStack, type LayoutOptions } from "./fleet-environment";

export class TwoVersionStack extends FleetEnvironmentStack {
  /** Fleets by name, in configuration order. */
  readonly fleets: Readonly<Record<string, AppServerGroup>>;

  /**
   * @param source where the configuration came from, for error messages (e.g. a file name)
   */
  constructor(scope: Construct, id: string, config: TwoVersionConfig, source = id, options: LayoutOptions = {}) {
    super(scope, id, config, "two-version", options, source);
    const fleets: Record<string, AppServerGroup> = {};
    for (const [name, fleetConfig] of Object.entries(config.fleets)) {
      fleets[name] = this.addFleet(name, fleetConfig, source);
    }
    this.fleets = fleets;
    // Resolving names fails, listing every reference, when a fleet that is still routed was removed.
    // The same table `app-fleets table --config` compiles from the file (layout-routing.ts).
    const { table, location } = layoutRoutingTable(config, source, fleets);
    this.finish(Object.values(fleets), table, location);
  }
}
