/** The two layouts' configuration files. */
import { Maintenance } from "../../lib/routing/types";
import { RoutingTableJson } from "../../lib/routing/routing-json";
import { EnvironmentConfig } from "./environment-config";
import { FleetConfig } from "./fleet-config";

/** Parallel run of two app versions (e.g. rails3 and rails4) with paths moved between them. */
export interface TwoVersionConfig extends EnvironmentConfig {
  readonly layout: "two-version";
  /** Fleet name to settings, e.g. { "rails3": {...}, "rails4": {...} }. Deleting an entry deletes that fleet. */
  readonly fleets: Readonly<Record<string, FleetConfig>>;
  /** The routing table, fleets named by their keys in `fleets`. */
  readonly routing: RoutingTableJson;
}

/** Blue/Green: two colors, exactly one live, an optional canary share to the other. */
export interface BlueGreenConfig extends EnvironmentConfig {
  readonly layout: "blue-green";
  readonly fleets: { readonly blue: FleetConfig; readonly green: FleetConfig };
  readonly traffic: {
    /** "blue", "green", or "<live>-canary-<p>" / "<live>-split-<p>"; rollback = set the previous stage. */
    readonly stage: string;
    /** Keep a user on one color during a canary or split, in seconds. @default 3600 */
    readonly stickySeconds?: number;
  };
  /** Header that forces a color, e.g. "X-Backend-Color: green", so a person can check the candidate before any weight moves. @default - none */
  readonly overrideHeader?: string;
  /** @default - none */
  readonly maintenance?: Maintenance;
}

export type LayoutConfig = TwoVersionConfig | BlueGreenConfig;
