/**
 * One fleet of app servers: a version (rails3, rails4) or a color (blue, green).
 * Deleting one instantiation of this construct removes exactly that fleet.
 */
import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import {
  AutoscalingGroup,
  DataAwsRegion,
  LaunchTemplate,
  LbTargetGroup,
  SecurityGroup,
  VpcSecurityGroupEgressRule,
  VpcSecurityGroupIngressRule,
} from "../aws/resources";
import { terraformLiteral, terraformLiteralMap } from "../core/terraform-literal";
import { AppServerGroupProps, FLEET_NAME_SUFFIXES, ResolvedFleetProps, resolveFleetProps } from "./app-server-group-props";
import { bootstrapHook } from "./bootstrap-gate";
import { CanaryFleet } from "./canary-fleet";
import { fleetAlarmNames, FleetAlarms } from "./fleet-alarms";
import { newFleetAutoScalingGroup } from "./fleet-auto-scaling-group";
import { FleetDeployment } from "./fleet-deployment";
import { newFleetLaunchTemplate } from "./fleet-launch-template";
import { InstanceRole } from "./instance-role";
import { LifecycleActions } from "./lifecycle-actions";
import { instanceUserData } from "./rollouts";
import { drainHook } from "./stateful-guard";

export class AppServerGroup extends Construct {
  /** The version or color name, e.g. "rails4". */
  readonly name: string;
  /** `<namespace>-<name>`: the prefix of this fleet's AWS names. */
  readonly qualifiedName: string;
  /** The validated props with defaults applied. */
  readonly settings: ResolvedFleetProps;
  readonly launchTemplate: LaunchTemplate;
  readonly autoScalingGroup: AutoscalingGroup;
  readonly targetGroup: LbTargetGroup;
  readonly securityGroup: SecurityGroup;
  readonly instanceRole: InstanceRole;
  readonly alarms: FleetAlarms;
  readonly deployment: FleetDeployment;
  /** Lifecycle hooks and the instances' right to answer them; absent when no hook is on. */
  readonly lifecycleActions?: LifecycleActions;
  /** The canary sub-fleet, while the `canary` option is set. */
  readonly canary?: CanaryFleet;
  /** Tags applied to every resource of the fleet, as written to Terraform (`${` and `%{` escaped). */
  readonly tags: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: AppServerGroupProps) {
    super(scope, id);
    // Validate everything before creating a single resource: bad input writes no Terraform.
    const fleet = resolveFleetProps(props, props.source ?? `AppServerGroup "${props.name}" (${this.node.path})`);
    this.settings = fleet;
    this.name = fleet.name;
    this.qualifiedName = fleet.qualifiedName;
    // Tags are the user's text: escaped once, here, so Terraform never evaluates them.
    const tags = terraformLiteralMap({ ...fleet.tags, Fleet: fleet.name, ManagedBy: "cdktf-app-fleets" });
    this.tags = tags;
    const q = fleet.qualifiedName;

    // `name_prefix`, not `name`: with create_before_destroy a forced replacement creates the new
    // group while the old one still holds its name, and a fixed name would make that create fail.
    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      namePrefix: `${q}${FLEET_NAME_SUFFIXES.securityGroup}-`,
      description: `Instances of ${q}: app port from the load balancer only`,
      vpcId: fleet.vpcId,
      tags: { ...tags, Name: `${q}${FLEET_NAME_SUFFIXES.securityGroup}` },
      lifecycle: { createBeforeDestroy: true },
    });
    new VpcSecurityGroupIngressRule(this, "AppFromLoadBalancer", {
      securityGroupId: this.securityGroup.id,
      description: `App port ${fleet.appPort} from the load balancer`,
      ipProtocol: "tcp",
      fromPort: fleet.appPort,
      toPort: fleet.appPort,
      referencedSecurityGroupId: props.loadBalancer.securityGroupId,
      tags,
    });
    new VpcSecurityGroupEgressRule(this, "HttpsOut", {
      securityGroupId: this.securityGroup.id,
      description: "HTTPS to AWS APIs (SSM, CodeDeploy, S3) and package mirrors",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
      tags,
    });
    fleet.extraEgress.forEach((rule, i) => {
      new VpcSecurityGroupEgressRule(this, `ExtraEgress${i}`, {
        securityGroupId: this.securityGroup.id,
        description: terraformLiteral(rule.description),
        ipProtocol: rule.protocol ?? "tcp",
        fromPort: rule.port,
        toPort: rule.port,
        cidrIpv4: rule.cidr,
        referencedSecurityGroupId: rule.securityGroupId,
        tags,
      });
    });

    this.instanceRole = new InstanceRole(this, "InstanceRole", {
      roleName: `${q}${FLEET_NAME_SUFFIXES.instanceRole}`,
      artifacts: fleet.artifacts,
      tags,
    });

    this.targetGroup = new LbTargetGroup(this, "TargetGroup", {
      name: `${q}${FLEET_NAME_SUFFIXES.targetGroup}`,
      port: fleet.appPort,
      protocol: "HTTP",
      vpcId: fleet.vpcId,
      targetType: "instance",
      deregistrationDelay: String(fleet.deregistrationDelaySeconds),
      slowStart: fleet.slowStartSeconds,
      healthCheck: {
        enabled: true,
        protocol: "HTTP",
        port: "traffic-port",
        path: fleet.healthCheck.path,
        matcher: fleet.healthCheck.matcher,
        interval: fleet.healthCheck.intervalSeconds,
        timeout: fleet.healthCheck.timeoutSeconds,
        healthyThreshold: fleet.healthCheck.healthyThreshold,
        unhealthyThreshold: fleet.healthCheck.unhealthyThreshold,
      },
      stickiness:
        fleet.stickinessSeconds === undefined
          ? { type: "lb_cookie", enabled: false }
          : { type: "lb_cookie", enabled: true, cookieDuration: fleet.stickinessSeconds },
      tags: { ...tags, Name: `${q}${FLEET_NAME_SUFFIXES.targetGroup}` },
    });

    const rollouts = fleet.rollouts;
    const asgName = `${q}${FLEET_NAME_SUFFIXES.autoScalingGroup}`;
    this.launchTemplate = newFleetLaunchTemplate(this, "LaunchTemplate", {
      name: `${q}${FLEET_NAME_SUFFIXES.launchTemplate}`,
      description: `Launch settings of ${q}`,
      fleet,
      imageId: fleet.imageId,
      instanceType: fleet.instanceType,
      userData: instanceUserData(rollouts, fleet.userData, asgName),
      instanceProfileArn: this.instanceRole.instanceProfile.arn,
      securityGroupId: this.securityGroup.id,
      nameTag: q,
      tags,
    });

    const hooks = [
      ...(rollouts.bootstrapGate ? [bootstrapHook(rollouts.bootstrapGate)] : []),
      ...(rollouts.stateful ? [drainHook(rollouts.stateful)] : []),
    ];
    // Region of the provider, for ASG ARNs built before the groups exist (see LifecycleActions).
    const region = hooks.length > 0 ? new DataAwsRegion(this, "Region").name : undefined;
    this.lifecycleActions =
      region === undefined
        ? undefined
        : new LifecycleActions(this, "LifecycleActions", {
            role: this.instanceRole.role,
            partition: this.instanceRole.partition.partition,
            region,
            autoScalingGroupName: asgName,
            hooks,
          });

    this.autoScalingGroup = newFleetAutoScalingGroup(this, "AutoScalingGroup", {
      name: asgName,
      fleet,
      capacity: fleet.capacity,
      launchTemplate: this.launchTemplate,
      targetGroupArn: this.targetGroup.arn,
      lifecycle: this.lifecycleActions,
      instanceRefreshAlarmNames: Object.values(fleetAlarmNames(q)),
      nameTag: q,
      tags,
    });

    if (rollouts.canary) {
      this.canary = new CanaryFleet(this, "Canary", {
        fleet,
        canary: rollouts.canary,
        targetGroupArn: this.targetGroup.arn,
        securityGroupId: this.securityGroup.id,
        instanceProfileArn: this.instanceRole.instanceProfile.arn,
        instanceRole: this.instanceRole.role,
        partition: this.instanceRole.partition.partition,
        region,
        tags,
      });
    }

    this.alarms = new FleetAlarms(this, "Alarms", {
      fleet,
      targetGroupArnSuffix: this.targetGroup.arnSuffix,
      loadBalancerArnSuffix: props.loadBalancer.arnSuffix,
      autoScalingGroupName: this.autoScalingGroup.name,
      tags,
    });

    this.deployment = new FleetDeployment(this, "Deployment", {
      fleet,
      autoScalingGroupName: this.autoScalingGroup.name,
      targetGroupName: this.targetGroup.name,
      alarmNames: this.alarms.names,
      // CodeDeploy also covers the canary, so new canary instances get the current revision.
      extraAutoScalingGroupNames: this.canary ? [this.canary.autoScalingGroup.name] : [],
      partition: this.instanceRole.partition,
      tags,
    });
  }

  /** The target group ARN, for listener actions. */
  get targetGroupArn(): string {
    return this.targetGroup.arn;
  }

  /** The minimum instance count: a fleet with min 0 must not receive traffic. */
  get minCapacity(): number {
    return this.settings.capacity.min;
  }

  /** Cookie stickiness of the fleet's target group, in seconds; undefined when off. */
  get targetStickinessSeconds(): number | undefined {
    return this.settings.stickinessSeconds;
  }

  /** The instances' security group ID, the only destination the load balancer may reach. */
  get securityGroupId(): string {
    return this.securityGroup.id;
  }

  /** Port the app listens on. */
  get appPort(): number {
    return this.settings.appPort;
  }

  /**
   * What a listener rule that sends traffic here must depend on: the ASG, whose create or
   * update returns only once `desired` instances are healthy behind the target group.
   */
  get trafficGate(): ITerraformDependable {
    return this.autoScalingGroup;
  }
}
