/**
 * The outputs `cdktf deploy` prints after every apply, so the person who changed a weight or a
 * Blue/Green stage sees where traffic now goes without opening the console: the load balancer's
 * DNS name, each fleet's capacity, image and shares, and every listener rule in priority order.
 * The layouts add it; code that uses the constructs directly adds it with one line:
 *
 *   router.setRoutingTable({ ... });
 *   new TrafficOutputs(stack, "TrafficOutputs", { router, fleets: [rails3, rails4] });
 */
import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { ConfigError } from "../core/errors";
import { terraformLiteral } from "../core/terraform-literal";
import type { CompiledRouting, RouteTarget } from "../routing/types";
import { fleetSummaries, type SummarizedFleet, trafficSummary } from "../traffic/traffic-summary";

/** What the outputs read from the router: `TrafficRouter` satisfies it. */
export interface TrafficOutputsRouter {
  /** The compiled table; `TrafficRouter.compiled` throws until `setRoutingTable` was called. */
  readonly compiled: CompiledRouting<RouteTarget>;
  readonly dnsName: string;
}

export interface TrafficOutputsProps {
  /** The router whose table is described; call its `setRoutingTable` first. */
  readonly router: TrafficOutputsRouter;
  /**
   * The fleets behind the router, in the order the `fleets` output lists them (`AppServerGroup`s).
   * Fleets the table does not route to yet appear with 0 %.
   */
  readonly fleets: readonly SummarizedFleet[];
  /**
   * Prefix of the output names (Terraform output names are unique in a stack: give each router's
   * outputs their own prefix when a stack has several routers), e.g. `"admin_"`.
   * @default "" - the outputs are `load_balancer_dns_name`, `fleets` and `traffic_summary`
   */
  readonly outputPrefix?: string;
}

/** Terraform output names: a letter or underscore, then letters, digits, underscores and hyphens. */
const OUTPUT_NAME_PREFIX = /^([A-Za-z_][A-Za-z0-9_-]*)?$/;

export class TrafficOutputs extends Construct {
  /** `load_balancer_dns_name`: where to point DNS. */
  readonly dnsName: TerraformOutput;
  /** `fleets`: per fleet, min / desired / max, image, share of the default route and the rules that reach it. */
  readonly fleets: TerraformOutput;
  /** `traffic_summary`: one line per listener rule in priority order, then the default. */
  readonly trafficSummary: TerraformOutput;

  constructor(scope: Construct, id: string, props: TrafficOutputsProps) {
    super(scope, id);
    const prefix = props.outputPrefix ?? "";
    if (!OUTPUT_NAME_PREFIX.test(prefix)) {
      throw new ConfigError([
        {
          field: `TrafficOutputs "${id}" (${this.node.path}) outputPrefix`,
          value: prefix,
          limit: "must start with a letter or underscore and hold only letters, digits, underscores and hyphens (a Terraform output name)",
          fix: 'write e.g. "admin_"',
        },
      ]);
    }
    const compiled = props.router.compiled;
    // Static IDs: the output names are what `cdktf deploy`, `terraform output` and scripts read,
    // so they do not depend on where this construct sits in the tree.
    this.dnsName = new TerraformOutput(this, `${prefix}load_balancer_dns_name`, {
      staticId: true,
      value: props.router.dnsName,
      description: "Point your DNS name (CNAME or alias) here",
    });
    this.fleets = new TerraformOutput(this, `${prefix}fleets`, {
      staticId: true,
      description: "Each fleet: capacity, share of the default route, and the rules that send it traffic",
      value: fleetSummaries(props.fleets, compiled),
    });
    this.trafficSummary = new TerraformOutput(this, `${prefix}traffic_summary`, {
      staticId: true,
      description: "Listener rules in priority order and where each sends traffic",
      // Header and query values in it are the user's text: escaped so Terraform never evaluates them.
      value: trafficSummary(compiled).map((line) => terraformLiteral(line)),
    });
  }
}
