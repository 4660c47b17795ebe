/**
 * What both layouts share: the provider, the state backend, the router, one AppServerGroup per
 * configured fleet, the comparison dashboard and the outputs that say where traffic goes.
 */
import { Construct } from "constructs";
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import { AppServerGroup } from "../../lib/fleet/app-server-group";
import { AwsProvider } from "../../lib/aws/resources";
import { ConfigError, FieldLocation } from "../../lib/core/errors";
import { terraformLiteral, terraformLiteralMap } from "../../lib/core/terraform-literal";
import { FleetComparisonDashboard } from "../../lib/dashboard/fleet-comparison-dashboard";
import { TrafficRouter } from "../../lib/router/traffic-router";
import type { StackLockStore } from "../../lib/lock/stack-lock-store";
import { RoutingTable } from "../../lib/routing/types";
import { fleetShares, trafficSummary } from "../../lib/traffic/traffic-summary";
import { EnvironmentConfig, StateBackendConfig } from "../config/environment-config";
import { FleetConfig } from "../config/fleet-config";
import { fleetPropsOf, ROUTER_NAME, routerPropsOf } from "../config/layout-props";

export { ROUTER_NAME };

/** How a layout stack is built besides its configuration. */
export interface LayoutOptions {
  /**
   * The stack lock file that keeps listener-rule priorities across synths: a path (buildApp passes
   * `<config>.lock.json` beside each configuration file) or a store such as `InMemoryStackLock`.
   * @default - none: priorities are allocated afresh on every synth, and synth warns
   */
  readonly lockFile?: string | StackLockStore;
}

export abstract class FleetEnvironmentStack extends TerraformStack {
  readonly router: TrafficRouter;
  readonly environment: EnvironmentConfig;

  /** @param source the configuration file's name, starting the field of every error (e.g. `production.json`) */
  protected constructor(scope: Construct, id: string, environment: EnvironmentConfig, layout: string, options: LayoutOptions = {}, source = id) {
    super(scope, id);
    this.environment = environment;
    new AwsProvider(this, "aws", {
      region: environment.region,
      // The user's tags are text: escaped so Terraform never evaluates them.
      defaultTags: [{ tags: terraformLiteralMap({ ...environment.tags, Environment: environment.environment, Layout: layout, ManagedBy: "cdktf-app-fleets" }) }],
    });
    configureBackend(this, id, environment.state ?? { backend: "local" }, environment.region);

    // The same props load-config.ts checked, naming the file's fields in errors.
    this.router = new TrafficRouter(this, "Router", { ...routerPropsOf(environment, source), lockFile: options.lockFile });
  }

  /**
   * One fleet = one construct instantiation, with the fleet's name as construct ID: deleting
   * the fleet's entry from the configuration removes exactly its resources.
   */
  protected addFleet(name: string, config: FleetConfig, source: string): AppServerGroup {
    return new AppServerGroup(this, name, fleetPropsOf(this.environment, name, config, this.router, source));
  }

  /** Routes traffic, then adds the dashboard and the outputs that describe the result. */
  protected finish(fleets: readonly AppServerGroup[], table: RoutingTable<AppServerGroup>, source: string | FieldLocation): void {
    this.router.setRoutingTable(table, { source });
    const compiled = this.router.compiled;

    new FleetComparisonDashboard(this, "Dashboard", {
      dashboardName: `${this.environment.environment}-${ROUTER_NAME}-fleets`,
      region: this.environment.region,
      loadBalancerArnSuffix: this.router.arnSuffix,
      fleets: fleets.map((f) => ({
        name: f.name,
        targetGroupArnSuffix: f.targetGroup.arnSuffix,
        autoScalingGroupName: f.autoScalingGroup.name,
      })),
    });

    new TerraformOutput(this, "load_balancer_dns_name", {
      value: this.router.dnsName,
      description: "Point your DNS name (CNAME or alias) here",
    });
    const shares = fleetShares(compiled);
    new TerraformOutput(this, "fleets", {
      description: "Each fleet: capacity, share of the default route, and the rules that send it traffic",
      value: Object.fromEntries(
        fleets.map((f) => [
          f.name,
          {
            min: f.settings.capacity.min,
            desired: f.settings.capacity.desired,
            max: f.settings.capacity.max,
            image_id: f.settings.imageId,
            default_percent: shares[f.name]?.defaultPercent ?? 0,
            rules: shares[f.name]?.rules ?? {},
          },
        ]),
      ),
    });
    new TerraformOutput(this, "traffic_summary", {
      description: "Listener rules in priority order and where each sends traffic",
      // Header and query values in it are the user's text: escaped so Terraform never evaluates them.
      value: trafficSummary(compiled).map((line) => terraformLiteral(line)),
    });
  }
}

function configureBackend(stack: TerraformStack, id: string, state: StateBackendConfig, region: string): void {
  if (state.backend === "local") {
    new LocalBackend(stack, { path: state.path ?? `terraform.${id}.tfstate` });
    return;
  }
  if (!state.bucket || !state.key) {
    throw new ConfigError([
      { field: `${id} state`, value: state, limit: "an S3 backend needs bucket and key", fix: "give the state bucket name and an object key such as \"web/production.tfstate\"" },
    ]);
  }
  new S3Backend(stack, {
    bucket: state.bucket,
    key: state.key,
    region: state.region ?? region,
    encrypt: true,
    kmsKeyId: state.kmsKeyId,
  });
  // Terraform >= 1.10 locks with a lock file next to the state: no DynamoDB table to manage.
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
}
