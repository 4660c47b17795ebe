/**
 * The Blue/Green layout: two colors, exactly one live, the other receiving an optional canary
 * share. The stage is written in the configuration, never inferred from what runs in AWS.
 */
import { Construct } from "constructs";
import { AppServerGroup } from "../../lib/fleet/app-server-group";
import { BlueGreenTraffic, Color, parseStage } from "../../lib/traffic/blue-green-stage";
import { BlueGreenConfig } from "../config/layout-config";
import { blueGreenRoutingLocation, blueGreenRoutingTable } from "../config/layout-props";
import { FleetEnvironmentStack, type LayoutOptions } from "./fleet-environment";


export class BlueGreenStack extends FleetEnvironmentStack {
  readonly blue: AppServerGroup;
  readonly green: AppServerGroup;
  readonly traffic: BlueGreenTraffic;

  constructor(scope: Construct, id: string, config: BlueGreenConfig, source = id, options: LayoutOptions = {}) {
    super(scope, id, config, "blue-green", options, source);
    this.traffic = parseStage(config.traffic.stage, `${source}: traffic.stage`);
    this.blue = this.addFleet("blue", config.fleets.blue, source);
    this.green = this.addFleet("green", config.fleets.green, source);
    const fleets: Record<Color, AppServerGroup> = { blue: this.blue, green: this.green };

    // The same table load-config.ts checked; errors name the stage, the header or maintenance.
    this.finish([this.blue, this.green], blueGreenRoutingTable(config, fleets, this.traffic), blueGreenRoutingLocation(source));
  }
}
