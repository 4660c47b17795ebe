/**
 * The status parameter of a stateful fleet: `in-service`, or `retiring` once `stateful.retire` is
 * set. The drain handler of every instance polls it (stateful-guard.ts), so instances that were
 * already running when the fleet started to retire learn it too: their user data is fixed at launch.
 */
import { Construct } from "constructs";
import { SsmParameter } from "../aws/resources";
import { FleetStatus } from "./stateful-guard";

export interface FleetStatusParameterProps {
  /** e.g. `/staging-db/app-fleets/status`: under the fleet's parameter path, which its instances may read. */
  readonly name: string;
  readonly status: FleetStatus;
  readonly fleetName: string;
  readonly tags: Record<string, string>;
}

export class FleetStatusParameter extends Construct {
  readonly parameter: SsmParameter;

  constructor(scope: Construct, id: string, props: FleetStatusParameterProps) {
    super(scope, id);
    this.parameter = new SsmParameter(this, "Resource", {
      name: props.name,
      description: `Status of stateful fleet ${props.fleetName} (in-service or retiring), read by its instances' drain handler`,
      // A String, not a SecureString: the status is no secret, and `insecure_value` (String only)
      // keeps "in-service" -> "retiring" readable in the plan, where `value` would show as sensitive.
      type: "String",
      insecureValue: props.status,
      tags: props.tags,
    });
  }
}
