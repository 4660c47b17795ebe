/**
 * Properties of an AppServerGroup, their defaults and their validation.
 * Pure TypeScript (no cdktf import), so the rules are tested directly and fast.
 */
import { FieldLocation, Violations } from "../core/errors";
import { checkIpv4Cidr } from "../core/cidr";
import { checkTags } from "../core/tags";
import { checkElbName, checkResourceName, ELB_NAME_MAX, qualifyName } from "../core/names";
import { AWS_ID_PATTERNS, checkArn, checkBucketName, checkPattern, checkSubnetIds } from "../core/aws-ids";
import { DeploymentConfig } from "./deployment-config";
import { ResolvedRollouts, resolveRollouts, RolloutProps } from "./rollouts";
import { RETIRED_CAPACITY } from "./stateful-guard";
import type { StackLockStore } from "../lock/stack-lock-store";
import type { RouteTarget } from "../routing/types";
import { FleetScaling, ResolvedScaling, resolveScaling } from "./scaling";
import {
  checkExtraIngress,
  checkExtraSecurityGroups,
  checkRuleDescription,
  checkRuleProtocolAndPeer,
  FleetIngressRule,
  RULE_PROTOCOLS,
} from "./instance-ingress";
import { MixedInstancesOptions, ResolvedMixedInstances, resolveMixedInstances } from "./mixed-instances";
import {
  healthCheckDefaults,
  isGrpcHealthCheckPath,
  isGrpcMatcher,
  ResolvedTargetGroupOptions,
  resolveTargetGroupOptions,
  TARGET_PROTOCOLS,
  TargetGroupOptions,
  TargetProtocol,
} from "./target-group-options";
import { ResolvedWarmPool, resolveWarmPool, WarmPoolOptions } from "./warm-pool";

/** The load balancer a fleet sits behind. `TrafficRouter` implements it. */
export interface FleetLoadBalancer {
  /** Security group of the load balancer: the only source admitted to the app port. */
  readonly securityGroupId: string;
  /** The load balancer's ARN suffix (`app/<name>/<id>`), the `LoadBalancer` dimension of target group metrics. */
  readonly arnSuffix: string;
  /**
   * Called once by each fleet created behind the load balancer, at the end of its constructor, so
   * the load balancer attaches the fleet's target group whether or not a rule routes to it.
   * `TrafficRouter` creates an anchor rule per attached fleet.
   * @default - not called: the load balancer attaches only the fleets its rules name
   */
  attachFleet?(fleet: RouteTarget): void;
}

/** Instance counts of the Auto Scaling group. */
export interface FleetCapacity {
  /** The floor: scaling never goes below it, and a fleet with min 0 receives no traffic. @default 2 */
  readonly min?: number;
  /** @default 4 */
  readonly max?: number;
  /**
   * Instances to run, for a fleet without `scaling`. Refused with `scaling`: the policies then
   * choose the count and deploys leave it alone (a new group starts at `min`).
   * @default - equal to `min`
   */
  readonly desired?: number;
}

/** Target group health check. Thresholds count consecutive checks. */
export interface FleetHealthCheck {
  /** Path, or for gRPC the method `/package.service/method`. @default "/health" ("/AWS.ALB/healthcheck" for gRPC) */
  readonly path?: string;
  /**
   * Codes that count as healthy: HTTP codes such as "200" or "200-299", or gRPC status codes
   * 0-99 for a gRPC fleet, e.g. "0" or "0-5". @default "200" ("12" for gRPC, AWS's default)
   */
  readonly matcher?: string;
  /**
   * "HTTP" or "HTTPS"; the check calls the app port, so it must be the fleet's targetProtocol
   * (HTTPS health checks come with `targetProtocol: "HTTPS"`). @default - the fleet's targetProtocol
   */
  readonly protocol?: TargetProtocol;
  /** @default 15 */
  readonly intervalSeconds?: number;
  /** Must be shorter than the interval. @default 5 */
  readonly timeoutSeconds?: number;
  /** @default 3 */
  readonly healthyThreshold?: number;
  /** @default 3 */
  readonly unhealthyThreshold?: number;
}

/** Thresholds of the fleet's CloudWatch alarms. */
export interface FleetAlarmOptions {
  /** SNS topic notified when an alarm fires and clears. @default - no notification; alarms still gate CodeDeploy */
  readonly snsTopicArn?: string;
  /** p99 target response time above which the latency alarm fires. @default 2 */
  readonly p99LatencySeconds?: number;
  /** Target 5xx responses per minute at which the 5xx alarm fires. @default 10 */
  readonly target5xxPerMinute?: number;
  /** Consecutive one-minute periods that must breach before an alarm fires. @default 3 */
  readonly evaluationPeriods?: number;
}

/** The S3 location CodeDeploy revisions are read from: built once, deployed to every instance. */
export interface ArtifactLocation {
  /** Bucket name (not ARN). */
  readonly bucketName: string;
  /** Key prefix the instances may read, e.g. "rails4/". @default "" (the whole bucket) */
  readonly prefix?: string;
}

/** CodeDeploy settings. */
export interface FleetDeploymentOptions {
  /** Name of an existing CodeDeploy application. @default - a new application named after the fleet */
  readonly applicationName?: string;
  /** @default DeploymentConfig.oneAtATime() */
  readonly config?: DeploymentConfig;
}

/** Root EBS volume of every instance. Always encrypted. */
export interface FleetRootVolume {
  /** Device name of the AMI's root volume ("/dev/xvda" on Amazon Linux, "/dev/sda1" on Ubuntu). @default "/dev/xvda" */
  readonly deviceName?: string;
  /** @default 20 */
  readonly sizeGiB?: number;
  /** @default "gp3" */
  readonly volumeType?: string;
  /** Customer-managed KMS key ARN. @default - the AWS-managed EBS key */
  readonly kmsKeyArn?: string;
}

/** Extra outbound access for the instances, e.g. to a database security group. */
export interface FleetEgressRule {
  readonly description: string;
  readonly port: number;
  /** "tcp" or "udp". @default "tcp" */
  readonly protocol?: string;
  /** Exactly one of `cidr` and `securityGroupId`. */
  readonly cidr?: string;
  readonly securityGroupId?: string;
}

/**
 * Rollout options (bootstrap gate, canary, instance refresh, recycling, stateful guard) are in
 * `RolloutProps`; the target protocol, its version and the load-balancing algorithm in `TargetGroupOptions`.
 */
export interface AppServerGroupProps extends RolloutProps, TargetGroupOptions {
  /** Version or color this fleet runs, e.g. "rails4" or "blue". Names and tags every resource. */
  readonly name: string;
  /**
   * Prefix for AWS names that must be unique in an account and region (target groups,
   * ASGs, roles), e.g. the environment. @default - none: the fleet name alone
   */
  readonly namespace?: string;
  readonly vpcId: string;
  /** Private subnets, at least two, in different Availability Zones. */
  readonly subnetIds: readonly string[];
  /** The load balancer in front of the fleet (a `TrafficRouter`, or its security group and ARN suffix). */
  readonly loadBalancer: FleetLoadBalancer;
  /** AMI ID, `ami-` followed by 8 or 17 hex digits. */
  readonly imageId: string;
  /** @default "t3.small" */
  readonly instanceType?: string;
  /** @default { min: 2, max: 4, desired: 2 } */
  readonly capacity?: FleetCapacity;
  /**
   * Target tracking (CPU, requests per target, your metrics), step scaling and schedules. With
   * any of them on, deploys never reset the capacity scaling chose, and an apply waits for
   * `capacity.min` healthy instances (not desired) before traffic moves.
   * @default - no scaling: the group runs `capacity.desired` instances
   */
  readonly scaling?: FleetScaling;
  /** Port the app listens on. @default 80 */
  readonly appPort?: number;
  /** @default - see FleetHealthCheck */
  readonly healthCheck?: FleetHealthCheck;
  /** Seconds before a new instance's ELB health counts toward replacing it. @default 300 */
  readonly healthCheckGracePeriodSeconds?: number;
  /** Seconds a deregistering target keeps draining, 0-3600. AWS's default is 300. @default 30 */
  readonly deregistrationDelaySeconds?: number;
  /** Seconds a new target ramps up its share of requests: 0 (off) or 30-900. @default 0 */
  readonly slowStartSeconds?: number;
  /** Load-balancer cookie stickiness within this fleet, in seconds (1-604800). @default - off */
  readonly stickinessSeconds?: number;
  /**
   * Seconds an apply waits for the fleet's instances to become healthy (Terraform's
   * `wait_for_capacity_timeout`), 60-14400; past it the apply fails. @default 900
   */
  readonly capacityTimeoutSeconds?: number;
  /** Shell script run at boot (cloud-init). @default - none */
  readonly userData?: string;
  /** @default - 20 GiB gp3 at /dev/xvda, encrypted with the AWS-managed key */
  readonly rootVolume?: FleetRootVolume;
  /** EC2 key pair for SSH. Prefer SSM Session Manager, which the instance role allows. @default - none */
  readonly keyName?: string;
  /** Where CodeDeploy revisions live; the instances may read only this location. @default - no S3 read access */
  readonly artifacts?: ArtifactLocation;
  /** @default - see FleetAlarmOptions */
  readonly alarms?: FleetAlarmOptions;
  /** @default - a new application, one instance at a time */
  readonly deployment?: FleetDeploymentOptions;
  /** Outbound rules beyond HTTPS (443) to anywhere. @default - none */
  readonly extraEgress?: readonly FleetEgressRule[];
  /**
   * Inbound rules beyond the app port from the load balancer (which always stays), each
   * described, e.g. a metrics port from the monitoring security group. Never the internet.
   * @default - none: the app port from the load balancer only
   */
  readonly extraIngress?: readonly FleetIngressRule[];
  /**
   * Security groups of your own attached to every instance beside the fleet's (at most 4), e.g.
   * the group a database admits. @default - none
   */
  readonly extraSecurityGroupIds?: readonly string[];
  /**
   * Several instance types, and Spot capacity above an On-Demand base (a mixed instances policy).
   * @default - one instance type, On-Demand only
   */
  readonly mixedInstances?: MixedInstancesOptions;
  /**
   * Instances bootstrapped ahead of need and kept Stopped, Running or Hibernated beside the
   * group, so scale-out skips the boot. Needs the bootstrap gate; not with Spot or stateful.
   * @default - no warm pool
   */
  readonly warmPool?: WarmPoolOptions;
  /** Tags on every resource of the fleet, in addition to `Fleet` and `ManagedBy`. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * The stack lock file (a path such as "web.lock.json", or a `StackLockStore`): the same file as
   * the stack's `TrafficRouter`. Required for a `stateful` fleet: the lock records it, and refuses a
   * synthesis that removes it without retiring it first (lib/lock/STACK-LOCK.md). Commit it.
   * @default - none (an error for a stateful fleet)
   */
  readonly lockFile?: string | StackLockStore;
  /**
   * Where these props came from, so errors name the field the user wrote, e.g.
   * `FieldLocation.file("production.json", "fleets.rails4")`.
   * @default - the construct: `AppServerGroup "<name>" (<construct path>)`
   */
  readonly source?: FieldLocation;
}

/** Props with every default applied. */
export interface ResolvedFleetProps {
  readonly name: string;
  readonly qualifiedName: string;
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly imageId: string;
  readonly instanceType: string;
  /** With scaling on, `desired` is what a new group starts at (min); the policies decide afterwards. */
  readonly capacity: Required<FleetCapacity>;
  /** The scaling options, resolved; undefined for a fleet of fixed size. */
  readonly scaling?: ResolvedScaling;
  readonly appPort: number;
  readonly healthCheck: Required<FleetHealthCheck>;
  /** Target protocol and version, load-balancing algorithm and anomaly mitigation. */
  readonly targetGroup: ResolvedTargetGroupOptions;
  readonly healthCheckGracePeriodSeconds: number;
  readonly deregistrationDelaySeconds: number;
  readonly slowStartSeconds: number;
  readonly stickinessSeconds?: number;
  readonly capacityTimeoutSeconds: number;
  readonly userData?: string;
  readonly rootVolume: Required<Omit<FleetRootVolume, "kmsKeyArn">> & { readonly kmsKeyArn?: string };
  readonly keyName?: string;
  readonly artifacts?: Required<ArtifactLocation>;
  readonly alarms: Required<Omit<FleetAlarmOptions, "snsTopicArn">> & { readonly snsTopicArn?: string };
  readonly deployment: { readonly applicationName?: string; readonly config: DeploymentConfig };
  readonly extraEgress: readonly FleetEgressRule[];
  readonly extraIngress: readonly FleetIngressRule[];
  readonly extraSecurityGroupIds: readonly string[];
  /** The main group's mixed instances policy; the canary never has one. */
  readonly mixedInstances?: ResolvedMixedInstances;
  /** The main group's warm pool; the canary never has one. */
  readonly warmPool?: ResolvedWarmPool;
  readonly tags: Readonly<Record<string, string>>;
  /** Bootstrap gate, canary, instance refresh, recycling and stateful guard, resolved. */
  readonly rollouts: ResolvedRollouts;
}

/**
 * Suffixes appended to the qualified name. The target group's decides how long a name may be:
 * ELB names allow 32 characters, the fleet's other resources far more. (Alarm names come from
 * `fleetAlarmNames`, fleet-alarms.ts.)
 */
export const FLEET_NAME_SUFFIXES = {
  targetGroup: "-tg",
  autoScalingGroup: "-asg",
  launchTemplate: "-lt",
  securityGroup: "-instances",
  instanceRole: "-instance",
  deployRole: "-codedeploy",
  canaryAutoScalingGroup: "-canary-asg",
  canaryTargetGroup: "-canary-tg",
  canaryLaunchTemplate: "-canary-lt",
} as const;

const { AMI_PATTERN, VPC_PATTERN, SG_PATTERN } = AWS_ID_PATTERNS;
/**
 * Instance types: a family (`t3`, `m7i-flex`, `u-6tb1`, `mac2-m2pro`: letters, a generation
 * digit, options) and one of the sizes EC2 has (aws-cdk-lib's `InstanceSize`, v2.274), checked
 * strictly so that `t3.gigantic` fails at synth instead of at apply. A family is checked by its
 * format only, so new families need no release of this library; a new size does.
 */
export const INSTANCE_SIZES = [
  "nano",
  "micro",
  "small",
  "medium",
  "large",
  "xlarge",
  ...[2, 3, 4, 6, 8, 9, 10, 12, 16, 18, 24, 32, 48, 56, 96, 112, 224, 480].map((n) => `${n}xlarge`),
  "metal",
  "metal-16xl",
  "metal-24xl",
  "metal-32xl",
  "metal-48xl",
] as const;
const INSTANCE_TYPE_PATTERN = new RegExp(`^[a-z]+-?[0-9][a-z0-9]*(?:-[a-z0-9]+)*\\.(?:${INSTANCE_SIZES.join("|")})$`);
/** How long an apply waits for healthy instances unless told otherwise: 15 minutes. */
export const CAPACITY_TIMEOUT_DEFAULT_SECONDS = 900;
/** Root volume types the launch template accepts. */
export const ROOT_VOLUME_TYPES = ["gp2", "gp3", "io1", "io2"] as const;
/** Protocols of extra egress rules (a port makes no sense for others). */
export const EGRESS_PROTOCOLS = RULE_PROTOCOLS;
/** AMI root device names, e.g. "/dev/xvda" (Amazon Linux) or "/dev/sda1" (Ubuntu). */
const DEVICE_NAME_PATTERN = /^\/dev\/[a-z0-9]+$/;

/**
 * Applies defaults and checks every property, collecting all problems.
 * @throws ConfigError naming each bad field, its value, the limit and the fix
 */
export function resolveFleetProps(
  props: AppServerGroupProps,
  where: string | FieldLocation = props.source ?? `AppServerGroup "${props.name}"`,
): ResolvedFleetProps {
  const v = new Violations();
  const location = typeof where === "string" ? FieldLocation.construct(where) : where;
  const f = (field: string) => location.field(field);

  checkResourceName(v, f("name"), props.name);
  if (props.namespace !== undefined) checkResourceName(v, f("namespace"), props.namespace);
  const qualifiedName = qualifyName(props.name, props.namespace);
  const targetGroupSuffix = FLEET_NAME_SUFFIXES.targetGroup;
  const tgName = `${qualifiedName}${targetGroupSuffix}`;
  v.check(
    tgName.length <= ELB_NAME_MAX,
    f("namespace + name"),
    qualifiedName,
    `makes the target group name "${tgName}" ${tgName.length} characters; AWS allows ${ELB_NAME_MAX}`,
    `shorten the namespace or the name to ${ELB_NAME_MAX - targetGroupSuffix.length} characters together (hyphen included)`,
  );
  if (tgName.length <= ELB_NAME_MAX) checkElbName(v, f("target group name"), tgName);
  if (props.canary !== undefined) {
    const canaryTgName = `${qualifiedName}${FLEET_NAME_SUFFIXES.canaryTargetGroup}`;
    v.check(
      canaryTgName.length <= ELB_NAME_MAX,
      f("canary"),
      qualifiedName,
      `makes the canary's target group name "${canaryTgName}" ${canaryTgName.length} characters; AWS allows ${ELB_NAME_MAX}`,
      `shorten the namespace or the name to ${ELB_NAME_MAX - FLEET_NAME_SUFFIXES.canaryTargetGroup.length} characters together to give this fleet a canary`,
    );
  }

  checkPattern(v, f("vpcId"), props.vpcId, VPC_PATTERN, 'a VPC ID such as "vpc-0123456789abcdef0"');
  const subnets = props.subnetIds ?? [];
  checkSubnetIds(v, f, subnets, {
    why: "at least 2, in different Availability Zones, are required so one zone's outage leaves capacity",
    fix: "list a private subnet in each of two or more Availability Zones",
  });
  checkPattern(
    v,
    f("loadBalancer.securityGroupId"),
    props.loadBalancer?.securityGroupId,
    SG_PATTERN,
    "the load balancer's security group ID (sg-...)",
  );
  checkPattern(v, f("imageId"), props.imageId, AMI_PATTERN, 'an AMI ID such as "ami-0123456789abcdef0"');

  const instanceType = props.instanceType ?? "t3.small";
  checkPattern(v, f("instanceType"), instanceType, INSTANCE_TYPE_PATTERN, 'an instance type such as "t3.small" or "m7g.large"');

  const min = props.capacity?.min ?? 2;
  const max = props.capacity?.max ?? Math.max(4, min);
  const desired = props.scaling === undefined ? (props.capacity?.desired ?? min) : min;
  if (props.scaling !== undefined) {
    v.check(
      props.capacity?.desired === undefined,
      f("capacity.desired"),
      props.capacity?.desired,
      "cannot be combined with scaling: the scaling policies choose the instance count between min and max, and a deploy that set desired would undo their choice",
      "remove capacity.desired (a new group starts at capacity.min), or remove scaling to run a fixed count",
    );
    v.check(
      max > min,
      f("capacity.max"),
      max,
      `leaves scaling no room: it is not above capacity.min (${min})`,
      "raise capacity.max above min, or remove scaling",
    );
  }
  for (const [key, value] of Object.entries({ min, max, desired })) {
    v.check(Number.isInteger(value) && value >= 0, f(`capacity.${key}`), value, "must be a whole number >= 0", "give an instance count");
  }
  v.check(min <= desired, f("capacity.min"), min, `must be <= capacity.desired (${desired})`, "lower min or raise desired");
  v.check(desired <= max, f("capacity.desired"), desired, `must be <= capacity.max (${max})`, "lower desired or raise max");
  v.check(max >= 1, f("capacity.max"), max, "must be >= 1", "allow at least one instance");

  const appPort = props.appPort ?? 80;
  checkPort(v, f("appPort"), appPort);

  // gRPC checks call a method and match gRPC codes: their defaults differ (target-group-options.ts).
  const grpc = props.targetProtocolVersion === "GRPC";
  const hcDefaults = healthCheckDefaults(grpc ? "GRPC" : "HTTP1");
  const hc: Required<FleetHealthCheck> = {
    path: props.healthCheck?.path ?? hcDefaults.path,
    matcher: props.healthCheck?.matcher ?? hcDefaults.matcher,
    protocol: props.healthCheck?.protocol ?? props.targetProtocol ?? "HTTP",
    intervalSeconds: props.healthCheck?.intervalSeconds ?? 15,
    timeoutSeconds: props.healthCheck?.timeoutSeconds ?? 5,
    healthyThreshold: props.healthCheck?.healthyThreshold ?? 3,
    unhealthyThreshold: props.healthCheck?.unhealthyThreshold ?? 3,
  };
  v.check(
    hc.path.startsWith("/") && hc.path.length <= 1024,
    f("healthCheck.path"),
    hc.path,
    'must start with "/" and be at most 1024 characters',
    'use a path such as "/health"',
  );
  if (grpc) {
    v.check(
      isGrpcMatcher(hc.matcher),
      f("healthCheck.matcher"),
      hc.matcher,
      'must be gRPC status codes 0-99 for a gRPC fleet, such as "0", "0,1" or "0-5"',
      'give the codes of a healthy answer ("0" is OK; AWS\'s default "12" accepts any live server)',
    );
    v.check(
      isGrpcHealthCheckPath(hc.path),
      f("healthCheck.path"),
      hc.path,
      "must be a gRPC method /package.service/method for a gRPC fleet (ALB calls it)",
      'use e.g. "/grpc.health.v1.Health/Check", or leave it out for AWS\'s default "/AWS.ALB/healthcheck"',
    );
  } else {
    v.check(
      /^\d{3}([-,]\d{3})*$/.test(hc.matcher),
      f("healthCheck.matcher"),
      hc.matcher,
      'must be HTTP codes such as "200", "200,204" or "200-299"',
      "list the healthy status codes",
    );
  }
  v.check(
    (TARGET_PROTOCOLS as readonly string[]).includes(hc.protocol),
    f("healthCheck.protocol"),
    hc.protocol,
    `must be ${TARGET_PROTOCOLS.map((p) => `"${p}"`).join(" or ")}`,
    "leave it out to check with the fleet's targetProtocol",
  );
  v.check(
    inRange(hc.intervalSeconds, 5, 300),
    f("healthCheck.intervalSeconds"),
    hc.intervalSeconds,
    "must be 5-300",
    "choose an interval in that range",
  );
  v.check(
    inRange(hc.timeoutSeconds, 2, 120),
    f("healthCheck.timeoutSeconds"),
    hc.timeoutSeconds,
    "must be 2-120",
    "choose a timeout in that range",
  );
  v.check(
    hc.timeoutSeconds < hc.intervalSeconds,
    f("healthCheck.timeoutSeconds"),
    hc.timeoutSeconds,
    `must be shorter than healthCheck.intervalSeconds (${hc.intervalSeconds})`,
    "lower the timeout or raise the interval",
  );
  v.check(
    inRange(hc.healthyThreshold, 2, 10),
    f("healthCheck.healthyThreshold"),
    hc.healthyThreshold,
    "must be 2-10",
    "choose a threshold in that range",
  );
  v.check(
    inRange(hc.unhealthyThreshold, 2, 10),
    f("healthCheck.unhealthyThreshold"),
    hc.unhealthyThreshold,
    "must be 2-10",
    "choose a threshold in that range",
  );

  const grace = props.healthCheckGracePeriodSeconds ?? 300;
  v.check(
    inRange(grace, 0, 7200),
    f("healthCheckGracePeriodSeconds"),
    grace,
    "must be 0-7200",
    "choose a grace period that covers instance bootstrap",
  );
  const dereg = props.deregistrationDelaySeconds ?? 30;
  v.check(
    inRange(dereg, 0, 3600),
    f("deregistrationDelaySeconds"),
    dereg,
    "must be 0-3600 seconds",
    "choose a drain time in that range (30 suits most web apps)",
  );
  const slow = props.slowStartSeconds ?? 0;
  v.check(
    slow === 0 || inRange(slow, 30, 900),
    f("slowStartSeconds"),
    slow,
    "must be 0 (off) or 30-900 seconds",
    "use 0 to turn slow start off, or a value from 30 to 900",
  );
  if (props.stickinessSeconds !== undefined) {
    v.check(
      inRange(props.stickinessSeconds, 1, 604800),
      f("stickinessSeconds"),
      props.stickinessSeconds,
      "must be 1-604800 seconds (7 days)",
      "choose a cookie duration in that range",
    );
  }
  const targetGroup = resolveTargetGroupOptions(v, f, props, { slowStartSeconds: slow, stickinessSeconds: props.stickinessSeconds });
  // The check calls the traffic port (port = "traffic-port"), which speaks the target protocol only.
  if (props.healthCheck?.protocol !== undefined && (TARGET_PROTOCOLS as readonly string[]).includes(hc.protocol)) {
    v.check(
      hc.protocol === targetGroup.protocol,
      f("healthCheck.protocol"),
      hc.protocol,
      `differs from targetProtocol ("${targetGroup.protocol}"): the health check calls the app port, which speaks ${targetGroup.protocol} only, so every check would fail`,
      `leave healthCheck.protocol out (it follows targetProtocol), or set targetProtocol to "${hc.protocol}"`,
    );
  }
  const capacityTimeoutSeconds = props.capacityTimeoutSeconds ?? CAPACITY_TIMEOUT_DEFAULT_SECONDS;
  v.check(
    Number.isInteger(capacityTimeoutSeconds) && capacityTimeoutSeconds >= 60 && capacityTimeoutSeconds <= 14400,
    f("capacityTimeoutSeconds"),
    capacityTimeoutSeconds,
    "must be a whole number of seconds from 60 to 14400 (0 would stop Terraform waiting for healthy instances, and rules would then move traffic to a fleet that is not serving)",
    "give the seconds an apply may wait for healthy instances, e.g. 900 for 15 minutes",
  );

  const rootVolume = {
    deviceName: props.rootVolume?.deviceName ?? "/dev/xvda",
    sizeGiB: props.rootVolume?.sizeGiB ?? 20,
    volumeType: props.rootVolume?.volumeType ?? "gp3",
    kmsKeyArn: props.rootVolume?.kmsKeyArn,
  };
  v.check(inRange(rootVolume.sizeGiB, 1, 16384), f("rootVolume.sizeGiB"), rootVolume.sizeGiB, "must be 1-16384", "choose a size in GiB");
  v.check(
    (ROOT_VOLUME_TYPES as readonly string[]).includes(rootVolume.volumeType),
    f("rootVolume.volumeType"),
    rootVolume.volumeType,
    "must be gp2, gp3, io1 or io2",
    "use gp3",
  );
  checkPattern(
    v,
    f("rootVolume.deviceName"),
    rootVolume.deviceName,
    DEVICE_NAME_PATTERN,
    'a device name such as "/dev/xvda" or "/dev/sda1"',
  );
  if (rootVolume.kmsKeyArn !== undefined) checkArn(v, f("rootVolume.kmsKeyArn"), rootVolume.kmsKeyArn);

  let artifacts: Required<ArtifactLocation> | undefined;
  if (props.artifacts) {
    artifacts = { bucketName: props.artifacts.bucketName, prefix: props.artifacts.prefix ?? "" };
    checkBucketName(v, f("artifacts.bucketName"), artifacts.bucketName);
    v.check(
      !artifacts.prefix.includes("*"),
      f("artifacts.prefix"),
      artifacts.prefix,
      'must not contain "*"',
      'give a literal key prefix such as "rails4/"',
    );
  }

  const alarms = {
    snsTopicArn: props.alarms?.snsTopicArn,
    p99LatencySeconds: props.alarms?.p99LatencySeconds ?? 2,
    target5xxPerMinute: props.alarms?.target5xxPerMinute ?? 10,
    evaluationPeriods: props.alarms?.evaluationPeriods ?? 3,
  };
  if (alarms.snsTopicArn !== undefined) checkArn(v, f("alarms.snsTopicArn"), alarms.snsTopicArn, "sns");
  v.check(
    alarms.p99LatencySeconds > 0,
    f("alarms.p99LatencySeconds"),
    alarms.p99LatencySeconds,
    "must be > 0",
    "give a latency in seconds, e.g. 2",
  );
  v.check(
    Number.isInteger(alarms.target5xxPerMinute) && alarms.target5xxPerMinute >= 1,
    f("alarms.target5xxPerMinute"),
    alarms.target5xxPerMinute,
    "must be a whole number >= 1",
    "give a count per minute, e.g. 10",
  );
  v.check(
    inRange(alarms.evaluationPeriods, 1, 60),
    f("alarms.evaluationPeriods"),
    alarms.evaluationPeriods,
    "must be 1-60",
    "choose how many one-minute periods must breach",
  );

  const deployment = {
    applicationName: props.deployment?.applicationName,
    config: props.deployment?.config ?? DeploymentConfig.oneAtATime(),
  };
  const choice = deployment.config.choice;
  if (choice.kind === "minimum-healthy-percent") {
    const pct = choice.percent;
    v.check(
      Number.isInteger(pct) && pct >= 0 && pct < 100,
      f("deployment.config"),
      pct,
      "minimum healthy percent must be a whole number 0-99",
      "choose the share of the fleet that stays in service",
    );
  }

  (props.extraEgress ?? []).forEach((rule, i) => {
    const at = f(`extraEgress[${i}]`);
    checkPort(v, `${at}.port`, rule.port);
    checkRuleDescription(v, `${at}.description`, rule.description, "say what the instances reach through this rule");
    checkRuleProtocolAndPeer(v, at, rule, "destination");
    if (rule.cidr !== undefined) checkIpv4Cidr(v, `${at}.cidr`, rule.cidr);
    if (rule.securityGroupId !== undefined)
      checkPattern(v, `${at}.securityGroupId`, rule.securityGroupId, SG_PATTERN, "a security group ID (sg-...)");
  });

  checkExtraIngress(v, f, props.extraIngress);
  checkExtraSecurityGroups(v, f("extraSecurityGroupIds"), props.extraSecurityGroupIds);

  checkTags(v, f, props.tags);

  const mixedInstances = resolveMixedInstances(v, f("mixedInstances"), props.mixedInstances, {
    instanceType,
    minCapacity: min,
    maxCapacity: max,
    checkInstanceType: (field, value) =>
      checkPattern(v, field, value, INSTANCE_TYPE_PATTERN, 'an instance type such as "t3.small" or "m7g.large"'),
  });
  const warmPool = resolveWarmPool(v, f("warmPool"), props.warmPool, { minCapacity: min });
  checkFleetOptionInterplay(v, f, props, mixedInstances);

  const scaling = resolveScaling(v, f("scaling"), props.scaling, { min, max, healthCheckGracePeriodSeconds: grace });
  if (scaling && props.stateful) {
    v.add(
      f("scaling"),
      props.scaling,
      "cannot be combined with stateful: every instance of a stateful fleet is protected from scale-in, so scaling would only ever add data holders",
      "size a stateful fleet by hand (capacity.desired), or move its data to a managed store and make it stateless",
    );
  }

  const rollouts = resolveRollouts(v, f, props, {
    appPort,
    healthCheckPath: hc.path,
    targetProtocol: targetGroup.protocol,
    targetProtocolVersion: targetGroup.protocolVersion,
    warmPool,
    capacityTimeoutSeconds,
    imageId: props.imageId,
    instanceType,
    userData: props.userData,
    desiredCapacity: desired,
    maxCapacity: max,
    scales: scaling !== undefined,
    autoScalingGroupName: `${qualifiedName}${FLEET_NAME_SUFFIXES.autoScalingGroup}`,
    canaryAutoScalingGroupName: `${qualifiedName}${FLEET_NAME_SUFFIXES.canaryAutoScalingGroup}`,
    qualifiedName,
    checkImageId: (field, value) => checkPattern(v, field, value, AMI_PATTERN, 'an AMI ID such as "ami-0123456789abcdef0"'),
    checkInstanceType: (field, value) =>
      checkPattern(v, field, value, INSTANCE_TYPE_PATTERN, 'an instance type such as "t3.small" or "m7g.large"'),
  });

  v.throwIfAny();
  return {
    name: props.name,
    qualifiedName,
    vpcId: props.vpcId,
    subnetIds: [...subnets],
    imageId: props.imageId,
    instanceType,
    // Retiring (stateful.retire) scales the group to zero; the configured counts come back with retire: false.
    capacity: rollouts.stateful?.retire ? { ...RETIRED_CAPACITY } : { min, max, desired },
    scaling,
    appPort,
    healthCheck: hc,
    targetGroup,
    healthCheckGracePeriodSeconds: grace,
    deregistrationDelaySeconds: dereg,
    slowStartSeconds: slow,
    stickinessSeconds: props.stickinessSeconds,
    capacityTimeoutSeconds,
    userData: props.userData,
    rootVolume,
    keyName: props.keyName,
    artifacts,
    alarms,
    deployment,
    extraEgress: props.extraEgress ?? [],
    extraIngress: props.extraIngress ?? [],
    extraSecurityGroupIds: [...(props.extraSecurityGroupIds ?? [])],
    mixedInstances,
    warmPool,
    tags: { ...(props.tags ?? {}) },
    rollouts,
  };
}

/**
 * What the mixed instances policy and the warm pool must not meet: each refusal names AWS's
 * reason or ours (mixed-instances.ts, warm-pool.ts).
 */
function checkFleetOptionInterplay(
  v: Violations,
  f: (field: string) => string,
  props: AppServerGroupProps,
  mixed: ResolvedMixedInstances | undefined,
): void {
  if (props.stateful && mixed?.usesSpot) {
    v.add(
      f("mixedInstances.onDemandPercentageAboveBaseCapacity"),
      mixed.onDemandPercentageAboveBaseCapacity,
      "puts instances of a stateful fleet on Spot: an interruption gives two minutes' notice, not a drain, and the data on the instance is lost",
      "keep a stateful fleet On-Demand (leave onDemandPercentageAboveBaseCapacity at 100, or raise onDemandBaseCapacity to capacity.max), or make the fleet stateless",
    );
  }
  if (props.warmPool === undefined) return;
  if (props.mixedInstances !== undefined) {
    v.add(
      f("warmPool"),
      props.warmPool,
      "cannot be combined with mixedInstances: AWS refuses a warm pool on a group with a mixed instances policy or Spot instances (PutWarmPool)",
      "choose one: a warm pool for fast scale-out, or mixedInstances for Spot and several instance types",
    );
  }
  if (props.stateful !== undefined) {
    v.add(
      f("warmPool"),
      props.warmPool,
      "cannot be combined with stateful: a stateful fleet does not scale, and an instance returned to the pool would skip its drain handler, which waits for termination",
      "remove warmPool, or make the fleet stateless",
    );
  }
  if (props.bootstrapGate?.enabled === false) {
    v.add(
      f("warmPool"),
      props.warmPool,
      "needs the bootstrap gate: without a launch lifecycle hook AWS stops (or hibernates) a warming instance as soon as it launches, interrupting its user data, and it later enters service half bootstrapped",
      "turn the bootstrap gate back on (remove bootstrapGate.enabled: false), or remove warmPool",
    );
  }
}

function inRange(value: number, lo: number, hi: number): boolean {
  return typeof value === "number" && Number.isFinite(value) && value >= lo && value <= hi;
}

function checkPort(v: Violations, field: string, port: number): void {
  v.check(Number.isInteger(port) && port >= 1 && port <= 65535, field, port, "must be a port 1-65535", "give the TCP port");
}

/** The ID shapes the fleet checks (lib/core/aws-ids.ts) and its instance types, for the configuration schema. */
export const ID_PATTERNS = { ...AWS_ID_PATTERNS, INSTANCE_TYPE_PATTERN } as const;
