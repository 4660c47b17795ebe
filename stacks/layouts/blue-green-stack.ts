/**
 * The Blue/Green layout: two colors, exactly one live, the other receiving an optional canary
 * share. The stage is written in the configuration, never inferred from what runs in AWS.
 */
import { Construct } from "constructs";
import { AppServerGroup } from "../../lib/fleet/app-server-group";
import { RoutingTable } from "../../lib/routing/types";
import { BlueGreenTraffic, Color, COLORS, parseStage, stageWeights } from "../../lib/traffic/blue-green-stage";
import { BlueGreenConfig } from "../config/layout-config";
import { FleetEnvironmentStack } from "./fleet-environment";

/** Default stickiness during a canary or split: one user sees one color for an hour. */
const DEFAULT_STICKY_SECONDS = 3600;

export class BlueGreenStack extends FleetEnvironmentStack {
  readonly blue: AppServerGroup;
  readonly green: AppServerGroup;
  readonly traffic: BlueGreenTraffic;

  constructor(scope: Construct, id: string, config: BlueGreenConfig, source = id) {
    super(scope, id, config, "blue-green");
    this.traffic = parseStage(config.traffic.stage, `${source}: traffic.stage`);
    this.blue = this.addFleet("blue", config.fleets.blue, source);
    this.green = this.addFleet("green", config.fleets.green, source);
    const fleets: Record<Color, AppServerGroup> = { blue: this.blue, green: this.green };

    const weights = stageWeights(this.traffic);
    const table: RoutingTable<AppServerGroup> = {
      default:
        this.traffic.candidatePercent === 0
          ? fleets[this.traffic.live]
          : {
              weights: COLORS.map((c) => ({ fleet: fleets[c], weight: weights[c] })),
              stickySeconds: config.traffic.stickySeconds ?? DEFAULT_STICKY_SECONDS,
            },
      // A color scaled to zero between cycles gets no header route: no traffic to an empty fleet.
      overrideHeader: config.overrideHeader
        ? {
            name: config.overrideHeader,
            values: Object.fromEntries(COLORS.filter((c) => fleets[c].minCapacity > 0).map((c) => [c, fleets[c]])),
          }
        : undefined,
      maintenance: config.maintenance,
    };
    this.finish([this.blue, this.green], table, `${source}: traffic`);
  }
}
