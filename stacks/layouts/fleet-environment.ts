/**
 * What both layouts share: the provider, the state backend, the router, one AppServerGroup per
 * configured fleet, the comparison dashboard and the outputs that say where traffic goes.
 */
import { Construct } from "constructs";
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import { AppServerGroup } from "../../lib/fleet/app-server-group";
import { AwsProvider } from "../../lib/aws/resources";
import { ConfigError, Violations } from "../../lib/core/errors";
import { FleetComparisonDashboard } from "../../lib/dashboard/fleet-comparison-dashboard";
import { AccessLogs } from "../../lib/router/access-logs";
import { TrafficRouter } from "../../lib/router/traffic-router";
import { RoutingTable } from "../../lib/routing/types";
import { fleetShares, trafficSummary } from "../../lib/traffic/traffic-summary";
import { EnvironmentConfig, StateBackendConfig } from "../config/environment-config";
import { FleetConfig, toDeploymentConfig } from "../config/fleet-config";

/** Name of the router in every layout; with the environment it names the load balancer. */
export const ROUTER_NAME = "web";

export abstract class FleetEnvironmentStack extends TerraformStack {
  readonly router: TrafficRouter;
  readonly environment: EnvironmentConfig;

  protected constructor(scope: Construct, id: string, environment: EnvironmentConfig, layout: string) {
    super(scope, id);
    this.environment = environment;
    new AwsProvider(this, "aws", {
      region: environment.region,
      defaultTags: [{ tags: { ...environment.tags, Environment: environment.environment, Layout: layout, ManagedBy: "cdktf-app-fleets" } }],
    });
    configureBackend(this, id, environment.state ?? { backend: "local" }, environment.region);

    const lb = environment.loadBalancer;
    this.router = new TrafficRouter(this, "Router", {
      name: ROUTER_NAME,
      namespace: environment.environment,
      vpcId: environment.network.vpcId,
      subnetIds: environment.network.publicSubnetIds,
      certificateArn: lb.certificateArn,
      httpOnly: lb.httpOnly,
      ingressCidrs: lb.ingressCidrs,
      deletionProtection: lb.deletionProtection,
      idleTimeoutSeconds: lb.idleTimeoutSeconds,
      accessLogs: AccessLogs.newBucket({ expirationDays: lb.accessLogExpirationDays }),
      limits: lb.maxRules === undefined ? undefined : { maxRulesPerLoadBalancer: lb.maxRules },
      tags: environment.tags,
    });
  }

  /**
   * One fleet = one construct instantiation, with the fleet's name as construct ID: deleting
   * the fleet's entry from the configuration removes exactly its resources.
   */
  protected addFleet(name: string, config: FleetConfig, source: string): AppServerGroup {
    const env = this.environment;
    const v = new Violations();
    const deploymentConfig = toDeploymentConfig(config.deployment?.config, `${source} fleets.${name}.deployment.config`, v);
    v.throwIfAny();
    return new AppServerGroup(this, name, {
      ...config,
      name,
      namespace: env.environment,
      vpcId: env.network.vpcId,
      subnetIds: env.network.privateSubnetIds,
      loadBalancer: this.router,
      artifacts: env.artifactBucket ? { bucketName: env.artifactBucket, prefix: `${name}/` } : undefined,
      alarms: { ...config.alarms, snsTopicArn: config.alarms?.snsTopicArn ?? env.alarmTopicArn },
      deployment: { applicationName: config.deployment?.applicationName, config: deploymentConfig },
      tags: { ...env.tags, ...config.tags },
    });
  }

  /** Routes traffic, then adds the dashboard and the outputs that describe the result. */
  protected finish(fleets: readonly AppServerGroup[], table: RoutingTable<AppServerGroup>, source: string): void {
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
      value: trafficSummary(compiled),
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
