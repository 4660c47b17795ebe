/**
 * Properties of an AppServerGroup, their defaults and their validation.
 * Pure TypeScript (no cdktf import), so the rules are tested directly and fast.
 */
import { FieldLocation, Violations } from "../core/errors";
import { checkIpv4Cidr } from "../core/ipv4";
import { checkTags } from "../core/tags";
import { hasTemplateSequence, hasToken } from "../core/terraform-literal";
import { checkElbName, checkResourceName, ELB_NAME_MAX } from "../core/names";
import { DeploymentConfig } from "./deployment-config";
import { ResolvedRollouts, resolveRollouts, RolloutProps } from "./rollouts";
import { RETIRED_CAPACITY } from "./stateful-guard";
import type { StackLockStore } from "../lock/stack-lock-store";
import { FleetScaling, ResolvedScaling, resolveScaling } from "./scaling";

/** The load balancer a fleet sits behind. `TrafficRouter` implements it. */
export interface FleetLoadBalancer {
  /** Security group of the load balancer: the only source admitted to the app port. */
  readonly securityGroupId: string;
  /** The load balancer's ARN suffix (`app/<name>/<id>`), the `LoadBalancer` dimension of target group metrics. */
  readonly arnSuffix: string;
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
  /** @default "/health" */
  readonly path?: string;
  /** HTTP codes that count as healthy, e.g. "200" or "200-299". @default "200" */
  readonly matcher?: string;
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

/** Rollout options (bootstrap gate, canary, instance refresh, recycling, stateful guard) are in `RolloutProps`. */
export interface AppServerGroupProps extends RolloutProps {
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
  /** How long an apply waits for the fleet's instances to become healthy. @default "15m" */
  readonly capacityTimeout?: string;
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
  readonly healthCheckGracePeriodSeconds: number;
  readonly deregistrationDelaySeconds: number;
  readonly slowStartSeconds: number;
  readonly stickinessSeconds?: number;
  readonly capacityTimeout: string;
  readonly userData?: string;
  readonly rootVolume: Required<Omit<FleetRootVolume, "kmsKeyArn">> & { readonly kmsKeyArn?: string };
  readonly keyName?: string;
  readonly artifacts?: Required<ArtifactLocation>;
  readonly alarms: Required<Omit<FleetAlarmOptions, "snsTopicArn">> & { readonly snsTopicArn?: string };
  readonly deployment: { readonly applicationName?: string; readonly config: DeploymentConfig };
  readonly extraEgress: readonly FleetEgressRule[];
  readonly tags: Readonly<Record<string, string>>;
  /** Bootstrap gate, canary, instance refresh, recycling and stateful guard, resolved. */
  readonly rollouts: ResolvedRollouts;
}

/** Suffixes appended to the qualified name; the longest decides how long a name may be. */
export const FLEET_NAME_SUFFIXES = {
  targetGroup: "-tg",
  autoScalingGroup: "-asg",
  launchTemplate: "-lt",
  securityGroup: "-instances",
  instanceRole: "-instance",
  deployRole: "-codedeploy",
  alarmInServiceBelowDesired: "-in-service-below-desired",
  canaryAutoScalingGroup: "-canary-asg",
  canaryTargetGroup: "-canary-tg",
  canaryLaunchTemplate: "-canary-lt",
} as const;

const AMI_PATTERN = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;
const VPC_PATTERN = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
const SUBNET_PATTERN = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;
const SG_PATTERN = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;
const ARN_PATTERN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$/;
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/**
 * Instance types: a family (`t3`, `m7i-flex`, `u-6tb1`, `mac2-m2pro`: letters, a generation
 * digit, options) and one of the sizes EC2 has (aws-cdk-lib's `InstanceSize`, v2.274), checked
 * strictly so that `t3.gigantic` fails at synth instead of at apply. A family is checked by its
 * format only, so new families need no release of this library; a new size does.
 */
export const INSTANCE_SIZES = [
  "nano", "micro", "small", "medium", "large", "xlarge",
  ...[2, 3, 4, 6, 8, 9, 10, 12, 16, 18, 24, 32, 48, 56, 96, 112, 224, 480].map((n) => `${n}xlarge`),
  "metal", "metal-16xl", "metal-24xl", "metal-32xl", "metal-48xl",
] as const;
const INSTANCE_TYPE_PATTERN = new RegExp(`^[a-z]+-?[0-9][a-z0-9]*(?:-[a-z0-9]+)*\\.(?:${INSTANCE_SIZES.join("|")})$`);
const DURATION_PATTERN = /^\d+[smh]$/;
/** Root volume types the launch template accepts. */
export const ROOT_VOLUME_TYPES = ["gp2", "gp3", "io1", "io2"] as const;
/** Protocols of extra egress rules (a port makes no sense for others). */
export const EGRESS_PROTOCOLS = ["tcp", "udp"] as const;
/** Characters EC2 accepts in a security group rule description (EC2 API, IpRange.Description). */
const RULE_DESCRIPTION_PATTERN = /^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]*$/;
/** AMI root device names, e.g. "/dev/xvda" (Amazon Linux) or "/dev/sda1" (Ubuntu). */
const DEVICE_NAME_PATTERN = /^\/dev\/[a-z0-9]+$/;

/**
 * True for values only known at deploy time (cdktf tokens), which cannot be checked at synth.
 * Only cdktf's own token marker counts: a user's text that merely contains `${` is checked
 * like any other text (and escaped where it reaches Terraform).
 */
export function isUnresolved(value: unknown): boolean {
  return hasToken(value);
}

export { isIpv4Cidr } from "../core/ipv4";

export function isArn(value: string): boolean {
  return ARN_PATTERN.test(value);
}

/** The name that prefixes AWS names: `<namespace>-<name>`, or the name alone. */
export function qualifyName(name: string, namespace?: string): string {
  return namespace ? `${namespace}-${name}` : name;
}

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
  const longestSuffix = FLEET_NAME_SUFFIXES.targetGroup;
  const tgName = `${qualifiedName}${longestSuffix}`;
  v.check(
    tgName.length <= ELB_NAME_MAX,
    f("namespace + name"),
    qualifiedName,
    `makes the target group name "${tgName}" ${tgName.length} characters; AWS allows ${ELB_NAME_MAX}`,
    `shorten the namespace or the name to ${ELB_NAME_MAX - longestSuffix.length} characters together (hyphen included)`,
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

  checkPattern(v, f("vpcId"), props.vpcId, VPC_PATTERN, "a VPC ID such as \"vpc-0123456789abcdef0\"");
  const subnets = props.subnetIds ?? [];
  v.check(
    subnets.length >= 2,
    f("subnetIds"),
    subnets,
    `lists ${subnets.length} subnet(s); at least 2, in different Availability Zones, are required so one zone's outage leaves capacity`,
    "list a private subnet in each of two or more Availability Zones",
  );
  v.check(new Set(subnets).size === subnets.length, f("subnetIds"), subnets, "lists a subnet twice", "list each subnet once");
  subnets.forEach((s, i) => checkPattern(v, f(`subnetIds[${i}]`), s, SUBNET_PATTERN, "a subnet ID such as \"subnet-0123456789abcdef0\""));
  checkPattern(v, f("loadBalancer.securityGroupId"), props.loadBalancer?.securityGroupId, SG_PATTERN, "the load balancer's security group ID (sg-...)");
  checkPattern(v, f("imageId"), props.imageId, AMI_PATTERN, "an AMI ID such as \"ami-0123456789abcdef0\"");

  const instanceType = props.instanceType ?? "t3.small";
  checkPattern(v, f("instanceType"), instanceType, INSTANCE_TYPE_PATTERN, "an instance type such as \"t3.small\" or \"m7g.large\"");

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
    v.check(max > min, f("capacity.max"), max, `leaves scaling no room: it is not above capacity.min (${min})`, "raise capacity.max above min, or remove scaling");
  }
  for (const [key, value] of Object.entries({ min, max, desired })) {
    v.check(Number.isInteger(value) && value >= 0, f(`capacity.${key}`), value, "must be a whole number >= 0", "give an instance count");
  }
  v.check(min <= desired, f("capacity.min"), min, `must be <= capacity.desired (${desired})`, "lower min or raise desired");
  v.check(desired <= max, f("capacity.desired"), desired, `must be <= capacity.max (${max})`, "lower desired or raise max");
  v.check(max >= 1, f("capacity.max"), max, "must be >= 1", "allow at least one instance");

  const appPort = props.appPort ?? 80;
  checkPort(v, f("appPort"), appPort);

  const hc: Required<FleetHealthCheck> = {
    path: props.healthCheck?.path ?? "/health",
    matcher: props.healthCheck?.matcher ?? "200",
    intervalSeconds: props.healthCheck?.intervalSeconds ?? 15,
    timeoutSeconds: props.healthCheck?.timeoutSeconds ?? 5,
    healthyThreshold: props.healthCheck?.healthyThreshold ?? 3,
    unhealthyThreshold: props.healthCheck?.unhealthyThreshold ?? 3,
  };
  v.check(hc.path.startsWith("/") && hc.path.length <= 1024, f("healthCheck.path"), hc.path, "must start with \"/\" and be at most 1024 characters", "use a path such as \"/health\"");
  v.check(/^\d{3}([-,]\d{3})*$/.test(hc.matcher), f("healthCheck.matcher"), hc.matcher, "must be HTTP codes such as \"200\", \"200,204\" or \"200-299\"", "list the healthy status codes");
  v.check(inRange(hc.intervalSeconds, 5, 300), f("healthCheck.intervalSeconds"), hc.intervalSeconds, "must be 5-300", "choose an interval in that range");
  v.check(inRange(hc.timeoutSeconds, 2, 120), f("healthCheck.timeoutSeconds"), hc.timeoutSeconds, "must be 2-120", "choose a timeout in that range");
  v.check(
    hc.timeoutSeconds < hc.intervalSeconds,
    f("healthCheck.timeoutSeconds"),
    hc.timeoutSeconds,
    `must be shorter than healthCheck.intervalSeconds (${hc.intervalSeconds})`,
    "lower the timeout or raise the interval",
  );
  v.check(inRange(hc.healthyThreshold, 2, 10), f("healthCheck.healthyThreshold"), hc.healthyThreshold, "must be 2-10", "choose a threshold in that range");
  v.check(inRange(hc.unhealthyThreshold, 2, 10), f("healthCheck.unhealthyThreshold"), hc.unhealthyThreshold, "must be 2-10", "choose a threshold in that range");

  const grace = props.healthCheckGracePeriodSeconds ?? 300;
  v.check(inRange(grace, 0, 7200), f("healthCheckGracePeriodSeconds"), grace, "must be 0-7200", "choose a grace period that covers instance bootstrap");
  const dereg = props.deregistrationDelaySeconds ?? 30;
  v.check(inRange(dereg, 0, 3600), f("deregistrationDelaySeconds"), dereg, "must be 0-3600 seconds", "choose a drain time in that range (30 suits most web apps)");
  const slow = props.slowStartSeconds ?? 0;
  v.check(slow === 0 || inRange(slow, 30, 900), f("slowStartSeconds"), slow, "must be 0 (off) or 30-900 seconds", "use 0 to turn slow start off, or a value from 30 to 900");
  if (props.stickinessSeconds !== undefined) {
    v.check(inRange(props.stickinessSeconds, 1, 604800), f("stickinessSeconds"), props.stickinessSeconds, "must be 1-604800 seconds (7 days)", "choose a cookie duration in that range");
  }
  const capacityTimeout = props.capacityTimeout ?? "15m";
  v.check(DURATION_PATTERN.test(capacityTimeout), f("capacityTimeout"), capacityTimeout, "must be a Terraform duration such as \"10m\"", "write it as a number followed by s, m or h");

  const rootVolume = {
    deviceName: props.rootVolume?.deviceName ?? "/dev/xvda",
    sizeGiB: props.rootVolume?.sizeGiB ?? 20,
    volumeType: props.rootVolume?.volumeType ?? "gp3",
    kmsKeyArn: props.rootVolume?.kmsKeyArn,
  };
  v.check(inRange(rootVolume.sizeGiB, 1, 16384), f("rootVolume.sizeGiB"), rootVolume.sizeGiB, "must be 1-16384", "choose a size in GiB");
  v.check((ROOT_VOLUME_TYPES as readonly string[]).includes(rootVolume.volumeType), f("rootVolume.volumeType"), rootVolume.volumeType, "must be gp2, gp3, io1 or io2", "use gp3");
  checkPattern(v, f("rootVolume.deviceName"), rootVolume.deviceName, DEVICE_NAME_PATTERN, "a device name such as \"/dev/xvda\" or \"/dev/sda1\"");
  if (rootVolume.kmsKeyArn !== undefined) checkArn(v, f("rootVolume.kmsKeyArn"), rootVolume.kmsKeyArn);

  let artifacts: Required<ArtifactLocation> | undefined;
  if (props.artifacts) {
    artifacts = { bucketName: props.artifacts.bucketName, prefix: props.artifacts.prefix ?? "" };
    checkBucketName(v, f("artifacts.bucketName"), artifacts.bucketName);
    v.check(!artifacts.prefix.includes("*"), f("artifacts.prefix"), artifacts.prefix, "must not contain \"*\"", "give a literal key prefix such as \"rails4/\"");
  }

  const alarms = {
    snsTopicArn: props.alarms?.snsTopicArn,
    p99LatencySeconds: props.alarms?.p99LatencySeconds ?? 2,
    target5xxPerMinute: props.alarms?.target5xxPerMinute ?? 10,
    evaluationPeriods: props.alarms?.evaluationPeriods ?? 3,
  };
  if (alarms.snsTopicArn !== undefined) checkArn(v, f("alarms.snsTopicArn"), alarms.snsTopicArn, "sns");
  v.check(alarms.p99LatencySeconds > 0, f("alarms.p99LatencySeconds"), alarms.p99LatencySeconds, "must be > 0", "give a latency in seconds, e.g. 2");
  v.check(Number.isInteger(alarms.target5xxPerMinute) && alarms.target5xxPerMinute >= 1, f("alarms.target5xxPerMinute"), alarms.target5xxPerMinute, "must be a whole number >= 1", "give a count per minute, e.g. 10");
  v.check(inRange(alarms.evaluationPeriods, 1, 60), f("alarms.evaluationPeriods"), alarms.evaluationPeriods, "must be 1-60", "choose how many one-minute periods must breach");

  const deployment = {
    applicationName: props.deployment?.applicationName,
    config: props.deployment?.config ?? DeploymentConfig.oneAtATime(),
  };
  const pct = deployment.config.minimumHealthyPercent;
  if (pct !== undefined) {
    v.check(Number.isInteger(pct) && pct >= 0 && pct < 100, f("deployment.config"), pct, "minimum healthy percent must be a whole number 0-99", "choose the share of the fleet that stays in service");
  }

  (props.extraEgress ?? []).forEach((rule, i) => {
    const at = f(`extraEgress[${i}]`);
    checkPort(v, `${at}.port`, rule.port);
    v.check(!!rule.description && rule.description.length <= 255, `${at}.description`, rule.description, "must be 1-255 characters", "say what the instances reach through this rule");
    v.check(
      !rule.description || isUnresolved(rule.description) || RULE_DESCRIPTION_PATTERN.test(rule.description),
      `${at}.description`,
      rule.description,
      "may hold only letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* (EC2's rule description characters)",
      "remove the other characters",
    );
    v.check(
      rule.protocol === undefined || (EGRESS_PROTOCOLS as readonly string[]).includes(rule.protocol),
      `${at}.protocol`,
      rule.protocol,
      `must be ${EGRESS_PROTOCOLS.map((p) => `"${p}"`).join(" or ")}`,
      'use "tcp" (the default) or "udp"',
    );
    v.check((rule.cidr === undefined) !== (rule.securityGroupId === undefined), at, rule, "needs exactly one of cidr and securityGroupId", "give a destination CIDR or a security group ID");
    if (rule.cidr !== undefined) checkIpv4Cidr(v, `${at}.cidr`, rule.cidr);
    if (rule.securityGroupId !== undefined) checkPattern(v, `${at}.securityGroupId`, rule.securityGroupId, SG_PATTERN, "a security group ID (sg-...)");
  });

  checkTags(v, f, props.tags);

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
    capacityTimeout,
    imageId: props.imageId,
    instanceType,
    userData: props.userData,
    desiredCapacity: desired,
    maxCapacity: max,
    scales: scaling !== undefined,
    autoScalingGroupName: `${qualifiedName}${FLEET_NAME_SUFFIXES.autoScalingGroup}`,
    canaryAutoScalingGroupName: `${qualifiedName}${FLEET_NAME_SUFFIXES.canaryAutoScalingGroup}`,
    qualifiedName,
    checkImageId: (field, value) => checkPattern(v, field, value, AMI_PATTERN, "an AMI ID such as \"ami-0123456789abcdef0\""),
    checkInstanceType: (field, value) => checkPattern(v, field, value, INSTANCE_TYPE_PATTERN, "an instance type such as \"t3.small\" or \"m7g.large\""),
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
    healthCheckGracePeriodSeconds: grace,
    deregistrationDelaySeconds: dereg,
    slowStartSeconds: slow,
    stickinessSeconds: props.stickinessSeconds,
    capacityTimeout,
    userData: props.userData,
    rootVolume,
    keyName: props.keyName,
    artifacts,
    alarms,
    deployment,
    extraEgress: props.extraEgress ?? [],
    tags: { ...(props.tags ?? {}) },
    rollouts,
  };
}

function inRange(value: number, lo: number, hi: number): boolean {
  return typeof value === "number" && Number.isFinite(value) && value >= lo && value <= hi;
}

function checkPort(v: Violations, field: string, port: number): void {
  v.check(Number.isInteger(port) && port >= 1 && port <= 65535, field, port, "must be a port 1-65535", "give the TCP port");
}

/** Checks an ID format; values only known at apply time (tokens) pass. */
export function checkPattern(v: Violations, field: string, value: string | undefined, pattern: RegExp, expected: string): void {
  if (isUnresolved(value)) return;
  v.check(typeof value === "string" && pattern.test(value), field, value, `is not ${expected}`, `give ${expected}`);
}

/** Checks an S3 bucket name (3-63 characters, lowercase letters, digits, dots and hyphens); tokens pass. */
export function checkBucketName(v: Violations, field: string, value: string): void {
  checkPattern(v, field, value, BUCKET_PATTERN, "an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens; not an ARN), e.g. \"my-deploy-artifacts\"");
}

/** Checks an ARN's shape (and, when given, its service); tokens pass. */
export function checkArn(v: Violations, field: string, value: string, service?: string): void {
  if (isUnresolved(value)) return;
  // The resource part is free-form, but never a Terraform expression.
  const ok = isArn(value) && !hasTemplateSequence(value) && (service === undefined || value.split(":")[2] === service);
  v.check(
    ok,
    field,
    value,
    `is not a well-formed ${service ? `${service} ` : ""}ARN (arn:<partition>:<service>:<region>:<account>:<resource>)`,
    "copy the full ARN from the AWS console or CLI",
  );
}

export const ID_PATTERNS = { AMI_PATTERN, VPC_PATTERN, SUBNET_PATTERN, SG_PATTERN, INSTANCE_TYPE_PATTERN, BUCKET_PATTERN } as const;
