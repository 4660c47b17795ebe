/**
 * What both layouts share: the provider, the state backend, the router, one AppServerGroup per
 * configured fleet, the comparison dashboard and the outputs that say where traffic goes.
 */
import { Construct } from "constructs";
import { LocalBackend, S3Backend, TerraformStack } from "cdktf";
import { AppServerGroup } from "../../lib/fleet/app-server-group";
import { AwsProvider } from "../../lib/aws/resources";
import { ConfigError, FieldLocation, Violations } from "../../lib/core/errors";
import { AlarmTopic } from "../../lib/fleet/alarm-topic";
import { ApiEndpoints } from "../../lib/fleet/api-endpoints";
import { checkAlarmNotifications } from "../../lib/fleet/alarm-topic-options";
import { terraformLiteralMap } from "../../lib/core/terraform-literal";
import { FleetComparisonDashboard } from "../../lib/dashboard/fleet-comparison-dashboard";
import { TrafficRouter } from "../../lib/router/traffic-router";
import type { StackLockStore } from "../../lib/lock/stack-lock-store";
import { RoutingTable } from "../../lib/routing/types";
import { TrafficOutputs } from "../../lib/outputs/traffic-outputs";
import { EnvironmentConfig, StateBackendConfig } from "../config/environment-config";
import { FleetConfig } from "../config/fleet-config";
import { fleetPropsOf, ROUTER_NAME, routerPropsOf } from "../config/layout-props";

export { ROUTER_NAME };

/** How a layout stack is built besides its configuration. */
export interface LayoutOptions {
  /**
   * The stack lock file that keeps listener-rule priorities across synths and records the stateful
   * fleets: a path (buildApp passes `<config>.lock.json` beside each configuration file) or a store
   * such as `InMemoryStackLock`.
   * @default - none: priorities are allocated afresh on every synth, and synth warns; a stateful fleet is an error
   */
  readonly lockFile?: string | StackLockStore;
}

export abstract class FleetEnvironmentStack extends TerraformStack {
  readonly router: TrafficRouter;
  readonly environment: EnvironmentConfig;
  /** The alarm topic the stack created (`alarmTopic`); absent when the file names its own (`alarmTopicArn`). */
  readonly alarmTopic?: AlarmTopic;
  /** The stack lock of the router and of every fleet (stateful fleets record themselves in it). */
  private readonly lockFile?: string | StackLockStore;

  /** @param source the configuration file's name, starting the field of every error (e.g. `production.json`) */
  protected constructor(
    scope: Construct,
    id: string,
    environment: EnvironmentConfig,
    layout: string,
    options: LayoutOptions = {},
    source = id,
  ) {
    super(scope, id);
    this.environment = environment;
    new AwsProvider(this, "aws", {
      region: environment.region,
      // The user's tags are text: escaped so Terraform never evaluates them.
      defaultTags: [
        {
          tags: terraformLiteralMap({
            ...environment.tags,
            Environment: environment.environment,
            Layout: layout,
            ManagedBy: "cdktf-app-fleets",
          }),
        },
      ],
    });
    configureBackend(this, id, environment.state ?? { backend: "local" }, environment.region);

    // The same props load-config.ts checked, naming the file's fields in errors.
    this.lockFile = options.lockFile;
    this.router = new TrafficRouter(this, "Router", { ...routerPropsOf(environment, source), lockFile: options.lockFile });

    // Every alarm of every fleet tells someone: the file's topic, or one created here.
    const alarmChecks = new Violations();
    const file = FieldLocation.file(source);
    checkAlarmNotifications(alarmChecks, (field) => file.field(field), environment);
    alarmChecks.throwIfAny();
    if (environment.alarmTopic) {
      this.alarmTopic = new AlarmTopic(this, "AlarmTopic", {
        name: `${environment.environment}-${ROUTER_NAME}-alarms`,
        subscriptions: environment.alarmTopic.subscriptions,
      });
    }
  }

  /**
   * One fleet = one construct instantiation, with the fleet's name as construct ID: deleting
   * the fleet's entry from the configuration removes exactly its resources.
   */
  protected addFleet(name: string, config: FleetConfig, source: string): AppServerGroup {
    const environment = { ...this.environment, alarmTopicArn: this.environment.alarmTopicArn ?? this.alarmTopic?.topicArn };
    // The lock too: a stateful fleet records itself there, so deleting its entry later is refused until it is retired.
    return new AppServerGroup(this, name, { ...fleetPropsOf(environment, name, config, this.router, source), lockFile: this.lockFile });
  }

  /** Routes traffic, then adds the dashboard and the outputs that describe the result. */
  protected finish(fleets: readonly AppServerGroup[], table: RoutingTable<AppServerGroup>, source: string | FieldLocation): void {
    this.router.setRoutingTable(table, { source });

    // Opt-in: the instances reach the AWS APIs through endpoints instead of a NAT gateway.
    const endpoints = this.environment.network.apiEndpoints;
    if (endpoints) {
      new ApiEndpoints(this, "ApiEndpoints", {
        namePrefix: `${this.environment.environment}-${ROUTER_NAME}`,
        vpcId: this.environment.network.vpcId,
        subnetIds: this.environment.network.privateSubnetIds,
        routeTableIds: endpoints.privateRouteTableIds,
        region: this.environment.region,
        clients: fleets.map((f) => ({ name: f.name, securityGroupId: f.securityGroupId })),
      });
    }

    // The same one-call constructs users of the plain constructs add (README, "Using the constructs").
    FleetComparisonDashboard.forFleets(this, "Dashboard", { router: this.router, fleets, region: this.environment.region });
    new TrafficOutputs(this, "TrafficOutputs", { router: this.router, fleets });
  }
}

function configureBackend(stack: TerraformStack, id: string, state: StateBackendConfig, region: string): void {
  if (state.backend === "local") {
    new LocalBackend(stack, { path: state.path ?? `terraform.${id}.tfstate` });
    return;
  }
  if (!state.bucket || !state.key) {
    throw new ConfigError([
      {
        field: `${id} state`,
        value: state,
        limit: "an S3 backend needs bucket and key",
        fix: 'give the state bucket name and an object key such as "web/production.tfstate"',
      },
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
