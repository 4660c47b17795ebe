/**
 * One fleet of app servers: a version (rails3, rails4) or a color (blue, green).
 * Deleting one instantiation of this construct removes exactly that fleet.
 */
import { Construct } from "constructs";
import { Annotations, ITerraformDependable } from "cdktf";
import {
  AutoscalingGroup,
  DataAwsRegion,
  IamRolePolicy,
  LaunchTemplate,
  LbTargetGroup,
  SecurityGroup,
  VpcSecurityGroupEgressRule,
  VpcSecurityGroupIngressRule,
} from "../aws/resources";
import { ConfigError } from "../core/errors";
import { terraformLiteral, terraformLiteralMap } from "../core/terraform-literal";
import { StackLock } from "../lock/stack-lock";
import { AppServerGroupProps, FLEET_NAME_SUFFIXES, ResolvedFleetProps, resolveFleetProps } from "./app-server-group-props";
import { bootstrapHook, launchLoopGuardPolicy } from "./bootstrap-gate";
import { CanaryFleet } from "./canary-fleet";
import { fleetAlarmNames, FleetAlarms } from "./fleet-alarms";
import { newFleetAutoScalingGroup } from "./fleet-auto-scaling-group";
import { FleetDeployment } from "./fleet-deployment";
import { newFleetLaunchTemplate } from "./fleet-launch-template";
import { FleetScalingPolicies } from "./fleet-scaling";
import { newFleetTargetGroup } from "./fleet-target-group";
import { autoScalingGroupArnPattern } from "./lifecycle-hooks";
import { InstanceRole } from "./instance-role";
import { LifecycleActions } from "./lifecycle-actions";
import { composes, instanceUserData } from "./rollouts";
import { FleetStatusParameter } from "./fleet-status-parameter";
import { drainHook, fleetStatus } from "./stateful-guard";
import type { TargetProtocolVersion } from "./target-group-options";

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
  /** Scaling policies, step alarms and schedules, while the `scaling` option is set. */
  readonly scaling?: FleetScalingPolicies;
  /** A stateful fleet's status parameter (`in-service` or `retiring`), which its drain handlers poll. */
  readonly statusParameter?: FleetStatusParameter;
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
    // The removal guard (lib/lock/STACK-LOCK.md): a stateful fleet records itself in the stack lock,
    // which refuses a later synthesis that loses it without retiring it. Checked before any resource exists.
    const stateful = fleet.rollouts.stateful;
    if (stateful && props.lockFile === undefined) {
      throw new ConfigError([
        {
          field: props.source?.field("lockFile") ?? `AppServerGroup "${fleet.name}" (${this.node.path}) lockFile`,
          value: undefined,
          limit:
            "is required for a stateful fleet: the stack lock file records the fleet, and refuses a synthesis that deletes it " +
            "without retiring it first (Terraform forgets prevent_destroy together with the resource block, so nothing else can)",
          fix: 'pass lockFile: the same file as the stack\'s TrafficRouter, e.g. "web.lock.json" beside your code, and commit it',
        },
      ]);
    }
    if (props.lockFile !== undefined) {
      StackLock.open(this, props.lockFile).recordStatefulFleet(q, stateful ? { status: fleetStatus(stateful) } : "stateless");
    }

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
    // Extra ingress adds to the rule above, never replaces it; each rule is explicit and described.
    fleet.extraIngress.forEach((rule, i) => {
      new VpcSecurityGroupIngressRule(this, `ExtraIngress${i}`, {
        securityGroupId: this.securityGroup.id,
        description: terraformLiteral(rule.description),
        ipProtocol: rule.protocol ?? "tcp",
        fromPort: rule.port,
        toPort: rule.toPort ?? rule.port,
        cidrIpv4: rule.cidr,
        referencedSecurityGroupId: rule.securityGroupId,
        tags,
      });
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
      publishesMetrics: composes(fleet.rollouts),
      tags,
    });

    this.targetGroup = newFleetTargetGroup(this, "TargetGroup", { name: `${q}${FLEET_NAME_SUFFIXES.targetGroup}`, fleet, tags });

    const rollouts = fleet.rollouts;
    const asgName = `${q}${FLEET_NAME_SUFFIXES.autoScalingGroup}`;
    this.launchTemplate = newFleetLaunchTemplate(this, "LaunchTemplate", {
      name: `${q}${FLEET_NAME_SUFFIXES.launchTemplate}`,
      description: `Launch settings of ${q}`,
      fleet,
      imageId: fleet.imageId,
      instanceType: fleet.instanceType,
      userData: instanceUserData(rollouts, fleet.userData, asgName, fleet.warmPool),
      instanceProfileArn: this.instanceRole.instanceProfile.arn,
      securityGroupId: this.securityGroup.id,
      hibernation: fleet.warmPool?.poolState === "Hibernated",
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
            // The drain handler lifts its own instance's scale-in protection while the fleet retires.
            setInstanceProtection: rollouts.stateful !== undefined,
            // The gate of a fleet with a warm pool asks whether a launch action waits (bootstrap-gate.ts).
            readLifecycleState: fleet.warmPool !== undefined && rollouts.bootstrapGate !== undefined,
          });
    if (rollouts.stateful) {
      this.statusParameter = new FleetStatusParameter(this, "Status", {
        name: rollouts.stateful.statusParameterName,
        status: fleetStatus(rollouts.stateful),
        fleetName: q,
        tags,
      });
    }

    // The gate may suspend its own group's launches after repeated failures (bootstrap-gate.ts).
    const launchLoopGuard = (scope: Construct, groupName: string) =>
      rollouts.bootstrapGate && region !== undefined && rollouts.bootstrapGate.maxFailedLaunches > 0
        ? new IamRolePolicy(scope, "LaunchLoopGuard", {
            name: `launch-loop-guard-${groupName}`,
            role: this.instanceRole.role.id,
            policy: launchLoopGuardPolicy(autoScalingGroupArnPattern(this.instanceRole.partition.partition, region, groupName)),
          })
        : undefined;
    const mainGuard = launchLoopGuard(this, asgName);

    this.autoScalingGroup = newFleetAutoScalingGroup(this, "AutoScalingGroup", {
      name: asgName,
      fleet,
      capacity: fleet.capacity,
      scales: fleet.scaling !== undefined,
      launchTemplate: this.launchTemplate,
      targetGroupArn: this.targetGroup.arn,
      lifecycle: this.lifecycleActions,
      // Instances publish their metrics (and may bound their launch loop) from their first boot.
      dependsOn: [...(this.instanceRole.metricsPolicy ? [this.instanceRole.metricsPolicy] : []), ...(mainGuard ? [mainGuard] : [])],
      instanceRefreshAlarmNames: Object.values(fleetAlarmNames(q)),
      mixedInstances: fleet.mixedInstances,
      warmPool: fleet.warmPool,
      nameTag: q,
      tags,
    });

    if (fleet.warmPool && !rollouts.instanceRefresh) {
      Annotations.of(this).addWarning(
        `AppServerGroup "${fleet.name}" has a warm pool without instanceRefresh: instances warmed from an older launch template ` +
          "(a previous AMI) stay in the pool and enter service on the next scale-out. Fix: turn instanceRefresh on, which replaces " +
          "warm pool instances too, or start a refresh after each new AMI (aws autoscaling start-instance-refresh).",
      );
    }

    if (fleet.scaling) {
      this.scaling = new FleetScalingPolicies(this, "Scaling", {
        namePrefix: q,
        autoScalingGroupName: this.autoScalingGroup.name,
        targetTracking: fleet.scaling.targetTracking,
        steps: fleet.scaling.steps,
        schedules: fleet.scaling.schedules,
        instanceWarmupSeconds: fleet.scaling.instanceWarmupSeconds,
        disableScaleIn: fleet.scaling.disableScaleIn,
        // ALBRequestCountPerTarget's resource label: app/<lb>/<id>/targetgroup/<tg>/<id>.
        requestCountResourceLabel: `${props.loadBalancer.arnSuffix}/${this.targetGroup.arnSuffix}`,
        tags,
      });
    }

    if (rollouts.canary) {
      this.canary = new CanaryFleet(this, "Canary", {
        fleet,
        canary: rollouts.canary,
        loadBalancerArnSuffix: props.loadBalancer.arnSuffix,
        securityGroupId: this.securityGroup.id,
        instanceProfileArn: this.instanceRole.instanceProfile.arn,
        instanceRole: this.instanceRole.role,
        partition: this.instanceRole.partition.partition,
        region,
        mainAutoScalingGroup: this.autoScalingGroup,
        instancePermissions: (canaryScope, groupName) => {
          const guard = launchLoopGuard(canaryScope, groupName);
          return [...(this.instanceRole.metricsPolicy ? [this.instanceRole.metricsPolicy] : []), ...(guard ? [guard] : [])];
        },
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
      // The canary's own target group: its instances leave it while CodeDeploy updates them.
      extraTargetGroupNames: this.canary ? [this.canary.targetGroup.name] : [],
      alarmNames: this.alarms.names,
      // A deployment that makes the canary serve errors stops and rolls back too.
      extraAlarmNames: this.canary ? this.canary.deploymentAlarmNames : [],
      // CodeDeploy also covers the canary, so new canary instances get the current revision.
      extraAutoScalingGroupNames: this.canary ? [this.canary.autoScalingGroup.name] : [],
      partition: this.instanceRole.partition,
      tags,
    });

    // The load balancer attaches the target group even while no rule sends it traffic (an idle
    // color, a version before its first route): wait_for_elb_capacity counts healthy targets of an
    // attached group only, so an unattached fleet would hold the apply until it times out.
    props.loadBalancer.attachFleet?.(this);
  }

  /** The target group ARN, for listener actions. */
  get targetGroupArn(): string {
    return this.targetGroup.arn;
  }

  /** The minimum instance count: a fleet with min 0 must not receive traffic. */
  get minCapacity(): number {
    return this.settings.capacity.min;
  }

  /** True while the fleet is retiring (`stateful.retire`): it scales to zero, and no route may send it traffic. */
  get retiring(): boolean {
    return this.settings.rollouts.stateful?.retire === true;
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

  /** HTTP1, HTTP2 or GRPC: HTTP/2 and gRPC target groups need an HTTPS listener with HTTP/2 on. */
  get targetProtocolVersion(): TargetProtocolVersion {
    return this.settings.targetGroup.protocolVersion;
  }

  /**
   * What a listener rule that sends traffic here must depend on: the ASG, whose create or
   * update returns only once `desired` instances (`min` for a fleet that scales) are healthy
   * behind the target group. With a canary, the canary's ASG, which is itself created after the
   * fleet's: rules wait for both, and no weight reaches the canary's target group before its
   * instances are healthy.
   */
  get trafficGate(): ITerraformDependable {
    return this.canary ? this.canary.autoScalingGroup : this.autoScalingGroup;
  }

  /**
   * The target groups a forward action to this fleet lists and each one's share of the fleet's
   * weight: the fleet's own alone, or with a canary the fleet's (100 - share) and the canary's (share).
   */
  get forwardTargetGroups(): readonly { readonly arn: string; readonly sharePercent: number }[] {
    if (!this.canary) return [{ arn: this.targetGroup.arn, sharePercent: 100 }];
    return [
      { arn: this.targetGroup.arn, sharePercent: 100 - this.canary.sharePercent },
      { arn: this.canary.targetGroup.arn, sharePercent: this.canary.sharePercent },
    ];
  }

  /** Target groups a forward action to this fleet lists: 2 with a canary, else 1 (ALB allows 5 per forward). */
  get targetGroupCount(): number {
    return this.canary ? 2 : 1;
  }
}
