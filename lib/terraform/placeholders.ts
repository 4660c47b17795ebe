/**
 * Stand-ins for the values AWS assigns on apply (IDs, ARNs, DNS names, versions), with the
 * shape the provider and the referencing resources expect: `lt-` + 17 hex digits for a
 * launch template, an ELB ARN whose suffix is `app/<name>/<16 hex>`, and so on. Every value
 * is derived from the resource address, so building the same state twice gives the same
 * bytes, and a value read back through a reference is the value written.
 */
import { createHash } from "node:crypto";

/** The account every placeholder ARN names. AWS's documentation example account. */
export const PLACEHOLDER_ACCOUNT_ID = "123456789012";

export interface PlaceholderContext {
  /** Resource type, e.g. `aws_launch_template`. */
  readonly type: string;
  /** Full resource address, e.g. `aws_launch_template.Rails4_LaunchTemplate_4E47457A`. */
  readonly address: string;
  /** Dotted path of the value inside the resource, e.g. `arn` or `launch_template.0.version`. */
  readonly path: string;
  /** The resource's values known at plan time (configuration and provider defaults). */
  readonly known: Readonly<Record<string, unknown>>;
  readonly region: string;
  readonly partition?: string;
}

/** `length` hex digits derived from `seed`: stable across runs. */
export function stableHex(seed: string, length: number): string {
  let out = "";
  for (let i = 0; out.length < length; i++) out += createHash("sha256").update(`${seed}#${i}`).digest("hex");
  return out.slice(0, length);
}

function stableUuid(seed: string): string {
  const h = stableHex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function stableDigits(seed: string, length: number): string {
  return stableHex(seed, length)
    .split("")
    .map((c) => String(parseInt(c, 16) % 10))
    .join("");
}

function knownString(ctx: PlaceholderContext, key: string): string | undefined {
  const value = ctx.known[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The resource's own name where it has one, else a generated one (as Terraform does for `name_prefix`). */
function nameOf(ctx: PlaceholderContext): string {
  for (const key of [
    "name",
    "alarm_name",
    "dashboard_name",
    "app_name",
    "deployment_group_name",
    "deployment_config_name",
    "bucket",
    "role",
  ]) {
    const value = knownString(ctx, key);
    if (value) return value;
  }
  // Terraform's generated names: the prefix and 26 digits (a timestamp and a counter).
  const prefix = knownString(ctx, "name_prefix") ?? knownString(ctx, "bucket_prefix");
  if (prefix) return `${prefix}${stableDigits(ctx.address, 26)}`;
  return `tf-${stableHex(ctx.address, 20)}`;
}

function arn(ctx: PlaceholderContext, service: string, resource: string, options: { global?: boolean; noAccount?: boolean } = {}): string {
  const region = options.global || options.noAccount ? "" : ctx.region;
  const account = options.noAccount ? "" : PLACEHOLDER_ACCOUNT_ID;
  return `arn:${ctx.partition ?? "aws"}:${service}:${region}:${account}:${resource}`;
}

/** The ELB path after `loadbalancer/`, taken from a known load balancer or listener ARN when there is one. */
function elbPath(ctx: PlaceholderContext, key: string, kind: "loadbalancer" | "listener"): string | undefined {
  const parent = knownString(ctx, key);
  const match = parent?.match(new RegExp(`:${kind}/(.+)$`));
  return match?.[1];
}

const EC2_ID_PREFIXES: Readonly<Record<string, { prefix: string; arnType: string }>> = {
  aws_launch_template: { prefix: "lt", arnType: "launch-template" },
  aws_security_group: { prefix: "sg", arnType: "security-group" },
  aws_vpc_security_group_ingress_rule: { prefix: "sgr", arnType: "security-group-rule" },
  aws_vpc_security_group_egress_rule: { prefix: "sgr", arnType: "security-group-rule" },
  aws_instance: { prefix: "i", arnType: "instance" },
  aws_vpc: { prefix: "vpc", arnType: "vpc" },
  aws_subnet: { prefix: "subnet", arnType: "subnet" },
  aws_eip: { prefix: "eipalloc", arnType: "elastic-ip" },
  aws_internet_gateway: { prefix: "igw", arnType: "internet-gateway" },
  aws_nat_gateway: { prefix: "nat", arnType: "natgateway" },
  aws_route_table: { prefix: "rtb", arnType: "route-table" },
  aws_network_interface: { prefix: "eni", arnType: "network-interface" },
};

function ec2Id(ctx: PlaceholderContext): string | undefined {
  const ec2 = EC2_ID_PREFIXES[ctx.type];
  return ec2 && `${ec2.prefix}-${stableHex(ctx.address, 17)}`;
}

/** The resource's ARN, in the format of its service. */
function resourceArn(ctx: PlaceholderContext): string {
  const name = nameOf(ctx);
  const hex = stableHex(ctx.address, 16);
  const ec2 = EC2_ID_PREFIXES[ctx.type];
  if (ec2) return arn(ctx, "ec2", `${ec2.arnType}/${ec2Id(ctx)}`);
  switch (ctx.type) {
    case "aws_lb":
    case "aws_alb":
      return arn(ctx, "elasticloadbalancing", `loadbalancer/${lbArnSuffix(ctx)}`);
    case "aws_lb_target_group":
    case "aws_alb_target_group":
      return arn(ctx, "elasticloadbalancing", targetGroupArnSuffix(ctx));
    case "aws_lb_listener":
    case "aws_alb_listener": {
      const lb = elbPath(ctx, "load_balancer_arn", "loadbalancer") ?? `app/lb/${stableHex(`${ctx.address}/lb`, 16)}`;
      return arn(ctx, "elasticloadbalancing", `listener/${lb}/${hex}`);
    }
    case "aws_lb_listener_rule":
    case "aws_alb_listener_rule": {
      const listener = elbPath(ctx, "listener_arn", "listener") ?? `app/lb/${stableHex(`${ctx.address}/lb`, 16)}/${hex}`;
      return arn(ctx, "elasticloadbalancing", `listener-rule/${listener}/${stableHex(`${ctx.address}/rule`, 16)}`);
    }
    case "aws_autoscaling_group":
      return arn(ctx, "autoscaling", `autoScalingGroup:${stableUuid(ctx.address)}:autoScalingGroupName/${name}`);
    case "aws_iam_role":
      return arn(ctx, "iam", `role/${name}`, { global: true });
    case "aws_iam_instance_profile":
      return arn(ctx, "iam", `instance-profile/${name}`, { global: true });
    case "aws_iam_policy":
      return arn(ctx, "iam", `policy/${name}`, { global: true });
    case "aws_cloudwatch_metric_alarm":
      return arn(ctx, "cloudwatch", `alarm:${name}`);
    case "aws_cloudwatch_dashboard":
      return arn(ctx, "cloudwatch", `dashboard/${name}`, { global: true });
    case "aws_codedeploy_app":
      return arn(ctx, "codedeploy", `application:${name}`);
    case "aws_codedeploy_deployment_group":
      return arn(
        ctx,
        "codedeploy",
        `deploymentgroup:${knownString(ctx, "app_name") ?? "app"}/${knownString(ctx, "deployment_group_name") ?? name}`,
      );
    case "aws_codedeploy_deployment_config":
      return arn(ctx, "codedeploy", `deploymentconfig:${name}`);
    case "aws_s3_bucket":
      return arn(ctx, "s3", name, { noAccount: true });
    case "aws_sns_topic":
      return arn(ctx, "sns", name);
    case "aws_kms_key":
      // A KMS key is named by its key ID, a UUID: arn:aws:kms:<region>:<account>:key/<key id>.
      return arn(ctx, "kms", `key/${stableUuid(ctx.address)}`);
    case "aws_kms_alias":
      return arn(ctx, "kms", knownString(ctx, "name") ?? `alias/${name}`);
    default: {
      const service = ctx.type.replace(/^aws_/, "").split("_")[0];
      return arn(ctx, service, `${ctx.type.replace(/^aws_/, "").replace(/_/g, "-")}/${name}`);
    }
  }
}

function lbArnSuffix(ctx: PlaceholderContext): string {
  const kind = knownString(ctx, "load_balancer_type") === "network" ? "net" : "app";
  return `${kind}/${nameOf(ctx)}/${stableHex(ctx.address, 16)}`;
}

function targetGroupArnSuffix(ctx: PlaceholderContext): string {
  return `targetgroup/${nameOf(ctx)}/${stableHex(ctx.address, 16)}`;
}

/** Resource types whose ID is their ARN. */
const ID_IS_ARN = new Set([
  "aws_lb",
  "aws_alb",
  "aws_lb_target_group",
  "aws_alb_target_group",
  "aws_lb_listener",
  "aws_alb_listener",
  "aws_lb_listener_rule",
  "aws_alb_listener_rule",
  "aws_sns_topic",
  "aws_iam_policy",
]);

/** The resource's `id`, in the format the provider gives it. */
function resourceId(ctx: PlaceholderContext): string {
  const ec2 = ec2Id(ctx);
  if (ec2) return ec2;
  if (ID_IS_ARN.has(ctx.type)) return resourceArn(ctx);
  switch (ctx.type) {
    case "aws_iam_role_policy":
      return `${knownString(ctx, "role") ?? "role"}:${nameOf(ctx)}`;
    case "aws_iam_role_policy_attachment":
      return `${knownString(ctx, "role") ?? "role"}-${stableDigits(ctx.address, 26)}`;
    case "aws_codedeploy_app":
      return `${stableUuid(ctx.address)}:${nameOf(ctx)}`;
    case "aws_codedeploy_deployment_group":
    case "aws_kms_key":
      return stableUuid(ctx.address);
    default:
      // Most AWS resources use their name as their ID (ASG, IAM role and profile, alarm, bucket...).
      return nameOf(ctx);
  }
}

/**
 * The placeholder for a string the provider computes on apply, by attribute name and
 * resource type; `undefined` when nothing specific is known (the caller uses a typed empty value).
 */
export function placeholderString(ctx: PlaceholderContext): string | undefined {
  const attribute = ctx.path.split(".").pop() ?? "";
  const topLevel = !ctx.path.includes(".");
  if (topLevel) {
    switch (attribute) {
      case "id":
        return resourceId(ctx);
      case "arn":
        return resourceArn(ctx);
      case "arn_suffix":
        return ctx.type.endsWith("target_group") ? targetGroupArnSuffix(ctx) : lbArnSuffix(ctx);
      case "dns_name":
        return `${nameOf(ctx)}-${stableDigits(ctx.address, 10)}.${ctx.region}.elb.amazonaws.com`;
      case "zone_id":
      case "hosted_zone_id":
        return `Z${stableHex(ctx.address, 13).toUpperCase()}`;
      case "unique_id":
        return `${ctx.type === "aws_iam_instance_profile" ? "AIPA" : "AROA"}${stableHex(ctx.address, 17).toUpperCase()}`;
      case "security_group_rule_id":
        return ec2Id(ctx);
      case "application_id":
      case "deployment_group_id":
      case "deployment_config_id":
        return stableUuid(`${ctx.address}/${attribute}`);
      case "key_id":
        // The key's own ID (aws_kms_key), also its resource ID.
        return ctx.type === "aws_kms_key" ? stableUuid(ctx.address) : undefined;
      case "name":
      case "bucket":
        return nameOf(ctx);
      case "bucket_domain_name":
        return `${nameOf(ctx)}.s3.amazonaws.com`;
      case "bucket_regional_domain_name":
        return `${nameOf(ctx)}.s3.${ctx.region}.amazonaws.com`;
      case "dashboard_arn":
        return resourceArn(ctx);
      default:
        break;
    }
  }
  if (attribute === "owner_id" || attribute === "account_id") return PLACEHOLDER_ACCOUNT_ID;
  if (attribute === "region") return ctx.region;
  if (/(^|_)(date|time|timestamp)$/.test(attribute) || attribute === "created_at") return "2024-01-01T00:00:00Z";
  return undefined;
}

/** The placeholder for a number the provider computes on apply. */
export function placeholderNumber(ctx: PlaceholderContext): number {
  const attribute = ctx.path.split(".").pop() ?? "";
  // Launch template versions start at 1; an ASG pinned to version 0 would be invalid.
  return attribute === "latest_version" || attribute === "default_version" ? 1 : 0;
}
