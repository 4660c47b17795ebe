/**
 * One fleet of app servers: a version (rails3, rails4) or a color (blue, green).
 * Deleting one instantiation of this construct removes exactly that fleet.
 */
import { Construct } from "constructs";
import { Fn, ITerraformDependable } from "cdktf";
import {
  AutoscalingGroup,
  LaunchTemplate,
  LbTargetGroup,
  SecurityGroup,
  VpcSecurityGroupEgressRule,
  VpcSecurityGroupIngressRule,
} from "../aws/resources";
import { AppServerGroupProps, FLEET_NAME_SUFFIXES, ResolvedFleetProps, resolveFleetProps } from "./app-server-group-props";
import { FleetAlarms } from "./fleet-alarms";
import { FleetDeployment } from "./fleet-deployment";
import { InstanceRole } from "./instance-role";

/** Group metrics the alarms and the dashboard read. */
const GROUP_METRICS = [
  "GroupMinSize",
  "GroupMaxSize",
  "GroupDesiredCapacity",
  "GroupInServiceInstances",
  "GroupPendingInstances",
  "GroupTerminatingInstances",
  "GroupTotalInstances",
];

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
  /** Tags applied to every resource of the fleet. */
  readonly tags: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: AppServerGroupProps) {
    super(scope, id);
    // Validate everything before creating a single resource: bad input writes no Terraform.
    const fleet = resolveFleetProps(props, `AppServerGroup "${props.name}" (${this.node.path})`);
    this.settings = fleet;
    this.name = fleet.name;
    this.qualifiedName = fleet.qualifiedName;
    const tags = { ...fleet.tags, Fleet: fleet.name, ManagedBy: "cdktf-app-fleets" };
    this.tags = tags;
    const q = fleet.qualifiedName;

    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      name: `${q}${FLEET_NAME_SUFFIXES.securityGroup}`,
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
        description: rule.description,
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

    this.launchTemplate = new LaunchTemplate(this, "LaunchTemplate", {
      name: `${q}${FLEET_NAME_SUFFIXES.launchTemplate}`,
      description: `Launch settings of ${q}`,
      imageId: fleet.imageId,
      instanceType: fleet.instanceType,
      keyName: fleet.keyName,
      updateDefaultVersion: true,
      userData: fleet.userData === undefined ? undefined : Fn.base64encode(fleet.userData),
      iamInstanceProfile: { arn: this.instanceRole.instanceProfile.arn },
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "enabled",
      },
      monitoring: { enabled: true },
      networkInterfaces: [
        {
          deviceIndex: 0,
          associatePublicIpAddress: "false",
          deleteOnTermination: "true",
          securityGroups: [this.securityGroup.id],
        },
      ],
      blockDeviceMappings: [
        {
          deviceName: fleet.rootVolume.deviceName,
          ebs: {
            encrypted: "true",
            kmsKeyId: fleet.rootVolume.kmsKeyArn,
            volumeSize: fleet.rootVolume.sizeGiB,
            volumeType: fleet.rootVolume.volumeType,
            deleteOnTermination: "true",
          },
        },
      ],
      tagSpecifications: [
        { resourceType: "instance", tags: { ...tags, Name: q } },
        { resourceType: "volume", tags: { ...tags, Name: q } },
      ],
      tags,
    });

    const asgName = `${q}${FLEET_NAME_SUFFIXES.autoScalingGroup}`;
    this.autoScalingGroup = new AutoscalingGroup(this, "AutoScalingGroup", {
      name: asgName,
      minSize: fleet.capacity.min,
      maxSize: fleet.capacity.max,
      desiredCapacity: fleet.capacity.desired,
      vpcZoneIdentifier: [...fleet.subnetIds],
      // Pinned to a concrete version: "$Latest" would never trigger a change in Terraform.
      launchTemplate: { id: this.launchTemplate.id, version: this.launchTemplate.latestVersion.toString() },
      healthCheckType: "ELB",
      healthCheckGracePeriod: fleet.healthCheckGracePeriodSeconds,
      // Bound inline: a separate attachment resource fights this list and has detached live fleets.
      targetGroupArns: [this.targetGroup.arn],
      // An apply returns only when this many instances are healthy behind the target group.
      waitForElbCapacity: fleet.capacity.desired,
      waitForCapacityTimeout: fleet.capacityTimeout,
      enabledMetrics: GROUP_METRICS,
      metricsGranularity: "1Minute",
      terminationPolicies: ["OldestLaunchTemplate", "OldestInstance"],
      tag: Object.entries({ ...tags, Name: q }).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
    });

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
