/**
 * AWS naming rules that Terraform only reports at plan or apply time.
 * Checking them here turns a late provider error into an early one that names our field.
 */
import { Violations } from "./errors";

/** Load balancers and target groups: 1-32 characters, alphanumerics and hyphens, no hyphen at either end. */
export const ELB_NAME_MAX = 32;
const ELB_NAME_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

/**
 * A fleet name becomes a prefix of every resource name in the fleet,
 * so it is held to the strictest rule among them (lowercase for S3 and CodeDeploy consistency).
 */
export const FLEET_NAME_PATTERN = /^[a-z][a-z0-9-]*[a-z0-9]$|^[a-z]$/;
export const FLEET_NAME_MAX = 20;

/** The name that prefixes AWS names: `<namespace>-<name>`, or the name alone. */
export function qualifyName(name: string, namespace?: string): string {
  return namespace ? `${namespace}-${name}` : name;
}

/** Checks a fleet or router name that prefixes AWS resource names. */
export function checkResourceName(v: Violations, field: string, name: string, maxLength = FLEET_NAME_MAX): void {
  if (typeof name !== "string" || name.length === 0) {
    v.add(field, name, "must be a non-empty string", 'give a short lowercase name such as "rails4" or "blue"');
    return;
  }
  v.check(
    name.length <= maxLength,
    field,
    name,
    `is ${name.length} characters; at most ${maxLength} are allowed because it prefixes AWS names limited to ${ELB_NAME_MAX}`,
    `shorten it to ${maxLength} characters or fewer`,
  );
  v.check(
    FLEET_NAME_PATTERN.test(name) && !name.includes("--"),
    field,
    name,
    "may hold only lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen",
    'use a name such as "rails4", "blue" or "web-v2"',
  );
}

/** Checks a final ELB (load balancer / target group) name. */
export function checkElbName(v: Violations, field: string, name: string): void {
  v.check(
    name.length >= 1 && name.length <= ELB_NAME_MAX,
    field,
    name,
    `is ${name.length} characters; AWS allows 1-${ELB_NAME_MAX} for load balancer and target group names`,
    "use a shorter name",
  );
  v.check(
    ELB_NAME_PATTERN.test(name) && !name.toLowerCase().startsWith("internal-"),
    field,
    name,
    'may hold only letters, digits and hyphens, must not start or end with a hyphen nor start with "internal-"',
    "remove the other characters",
  );
}
