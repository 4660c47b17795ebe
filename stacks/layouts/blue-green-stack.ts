/**
 * The Blue/Green layout: two colors, exactly one live, the other receiving an optional canary
 * share. The stage is written in the configuration, never inferred from what runs in AWS.
 */
import { Construct } from "constructs";
import { FieldLocation, Violations } from "../../lib/core/errors";
import { AppServerGroup } from "../../lib/fleet/app-server-group";
import { BlueGreenTraffic, Color, parseStage } from "../../lib/traffic/blue-green-stage";
import { checkRollbackCapacity } from "../../lib/traffic/rollback-capacity";
import { BlueGreenConfig } from "../config/layout-config";
import { layoutRoutingTable } from "../config/layout-routing";
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

    // The stack checks what a rollback lands on itself: a configuration object built in code
    // never passed through loadLayoutConfig, which reports the same rule earlier for files.
    const rollback = new Violations();
    const at = FieldLocation.file(source);
    checkRollbackCapacity(rollback, (color) => at.field(`fleets.${color}.capacity.min`), this.traffic, {
      blue: { min: this.blue.minCapacity, scales: this.blue.scaling !== undefined },
      green: { min: this.green.minCapacity, scales: this.green.scaling !== undefined },
    });
    rollback.throwIfAny();

    // The same table load-config.ts checked and `app-fleets table --config` compiles (layout-routing.ts);
    // errors name the stage, the header or maintenance.
    const { table, location } = layoutRoutingTable(config, source, fleets);
    this.finish([this.blue, this.green], table, location);
  }
}
