/**
 * Shapes of AWS identifiers that fleets, the router and configuration files all check: resource
 * IDs, ARNs, S3 bucket names, subnet lists. One home, so the fleet's and the router's props say the
 * same thing about the same value. Values known only at deploy time (cdktf tokens) pass every
 * check: they cannot be read before apply. Pure: no cdktf import.
 */
import { Violations } from "./errors";
import { hasTemplateSequence, hasToken } from "./terraform-literal";

/**
 * EC2 resource IDs: a prefix and 8 (older) or 17 hex digits ("Resource IDs", EC2 User Guide);
 * S3 bucket names: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a
 * letter or digit ("Bucket naming rules", S3 User Guide).
 */
export const AWS_ID_PATTERNS = {
  AMI_PATTERN: /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/,
  VPC_PATTERN: /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/,
  SUBNET_PATTERN: /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/,
  SG_PATTERN: /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/,
  BUCKET_PATTERN: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
} as const;

/** `arn:<partition>:<service>:<region>:<account>:<resource>`, region and account may be empty. */
const ARN_PATTERN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$/;

export function isArn(value: string): boolean {
  return ARN_PATTERN.test(value);
}

/** Checks an ID format; values only known at apply time (tokens) pass. */
export function checkPattern(v: Violations, field: string, value: string | undefined, pattern: RegExp, expected: string): void {
  if (hasToken(value)) return;
  v.check(typeof value === "string" && pattern.test(value), field, value, `is not ${expected}`, `give ${expected}`);
}

/** Checks an S3 bucket name (3-63 characters, lowercase letters, digits, dots and hyphens); tokens pass. */
export function checkBucketName(v: Violations, field: string, value: string): void {
  checkPattern(
    v,
    field,
    value,
    AWS_ID_PATTERNS.BUCKET_PATTERN,
    'an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens; not an ARN), e.g. "my-deploy-artifacts"',
  );
}

/** Checks an ARN's shape (and, when given, its service); tokens pass. */
export function checkArn(v: Violations, field: string, value: string, service?: string): void {
  if (hasToken(value)) return;
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

/** Why a resource needs subnets in two or more Availability Zones, and which subnets to list. */
export interface SubnetRequirement {
  /** Ends the problem text: "lists 1 subnet(s); <why>". */
  readonly why: string;
  readonly fix: string;
}

/**
 * Checks the `subnetIds` prop: two or more, none twice, each a subnet ID (tokens pass).
 * `f` names a field of the construct or configuration being checked.
 */
export function checkSubnetIds(
  v: Violations,
  f: (field: string) => string,
  subnets: readonly string[],
  requirement: SubnetRequirement,
): void {
  v.check(subnets.length >= 2, f("subnetIds"), subnets, `lists ${subnets.length} subnet(s); ${requirement.why}`, requirement.fix);
  v.check(new Set(subnets).size === subnets.length, f("subnetIds"), subnets, "lists a subnet twice", "list each subnet once");
  subnets.forEach((s, i) =>
    checkPattern(v, f(`subnetIds[${i}]`), s, AWS_ID_PATTERNS.SUBNET_PATTERN, 'a subnet ID such as "subnet-0123456789abcdef0"'),
  );
}
