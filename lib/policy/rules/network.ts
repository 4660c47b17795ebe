/**
 * Security group rules. A group's rules may sit inline in `aws_security_group`, in
 * `aws_security_group_rule`, or in `aws_vpc_security_group_{ingress,egress}_rule`: all three
 * are normalized to one shape, and a finding is reported on the resource that holds the rule.
 */
import { blocks, identifies, isTrue, list, show } from "../attributes";
import { PolicyContext, PolicyResource, PolicyRule } from "../types";
import { LOAD_BALANCERS } from "./load-balancing";

const SECURITY_GROUP = "aws_security_group";
const LEGACY_RULE = "aws_security_group_rule";
const INGRESS_RULE = "aws_vpc_security_group_ingress_rule";
const EGRESS_RULE = "aws_vpc_security_group_egress_rule";
const WORLD = ["0.0.0.0/0", "::/0"];

/** One ingress or egress permission, wherever it was written. */
interface Permission {
  readonly direction: "ingress" | "egress";
  /** How the finding names it, e.g. `ingress[0]` or the rule resource itself. */
  readonly label: string;
  /** "all", or a lowercase protocol name or number. */
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly cidrs: readonly string[];
  readonly description: unknown;
  /** The value that names the owning group (`security_group_id`), or the group itself for inline rules. */
  readonly owner: PolicyResource | unknown;
}

function normalizeProtocol(value: unknown): string {
  const text = String(value ?? "").toLowerCase();
  return text === "-1" || text === "all" ? "all" : text === "6" ? "tcp" : text;
}

function port(value: unknown): number | undefined {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

function cidrsOf(attrs: Readonly<Record<string, unknown>>, ...keys: string[]): string[] {
  return keys.flatMap((k) => list(attrs[k])).filter((c): c is string => typeof c === "string");
}

/** The permissions a resource declares. */
function permissionsOf(resource: PolicyResource): Permission[] {
  const a = resource.attributes;
  switch (resource.type) {
    case SECURITY_GROUP:
      return (["ingress", "egress"] as const).flatMap((direction) =>
        blocks(a, direction).map((rule, i) => ({
          direction,
          label: `${direction}[${i}]`,
          protocol: normalizeProtocol(rule.protocol),
          fromPort: port(rule.from_port),
          toPort: port(rule.to_port),
          cidrs: cidrsOf(rule, "cidr_blocks", "ipv6_cidr_blocks"),
          description: rule.description,
          owner: resource,
        })),
      );
    case LEGACY_RULE:
      return [
        {
          direction: a.type === "egress" ? "egress" : "ingress",
          label: "the rule",
          protocol: normalizeProtocol(a.protocol),
          fromPort: port(a.from_port),
          toPort: port(a.to_port),
          cidrs: cidrsOf(a, "cidr_blocks", "ipv6_cidr_blocks"),
          description: a.description,
          owner: a.security_group_id,
        },
      ];
    case INGRESS_RULE:
    case EGRESS_RULE:
      return [
        {
          direction: resource.type === INGRESS_RULE ? "ingress" : "egress",
          label: "the rule",
          protocol: normalizeProtocol(a.ip_protocol),
          fromPort: port(a.from_port),
          toPort: port(a.to_port),
          cidrs: cidrsOf(a, "cidr_ipv4", "cidr_ipv6"),
          description: a.description,
          owner: a.security_group_id,
        },
      ];
    default:
      return [];
  }
}

function ownerGroup(permission: Permission, context: PolicyContext): PolicyResource | undefined {
  const owner = permission.owner;
  if (typeof owner === "object" && owner !== null && "address" in owner) return owner as PolicyResource;
  return context.resources.find((r) => r.type === SECURITY_GROUP && r.mode === "managed" && identifies(owner, r, ["id"]));
}

/** True when the group belongs to an internet-facing load balancer declared in the same stack. */
function isPublicLoadBalancerGroup(group: PolicyResource | undefined, context: PolicyContext): boolean {
  if (!group) return false;
  return context.resources.some(
    (r) =>
      LOAD_BALANCERS.includes(r.type) &&
      !isTrue(r.attributes.internal) &&
      list(r.attributes.security_groups).some((sg) => identifies(sg, group, ["id"])),
  );
}

function portText(p: Permission): string {
  if (p.protocol === "all") return "all traffic";
  return p.fromPort === p.toPort ? `${p.protocol} ${p.fromPort}` : `${p.protocol} ${p.fromPort}-${p.toPort}`;
}

function coversAllPorts(p: Permission): boolean {
  return p.protocol === "all" || ((p.fromPort ?? 0) <= 0 && (p.toPort ?? 65535) >= 65535);
}

const RULE_RESOURCES = [SECURITY_GROUP, LEGACY_RULE, INGRESS_RULE, EGRESS_RULE];

export const NO_WORLD_INGRESS: PolicyRule = {
  id: "APF-SG-WORLD-INGRESS",
  title: "Nothing but a public load balancer's 80/443 is open to the internet",
  severity: "high",
  checks:
    "No ingress from 0.0.0.0/0 or ::/0, except TCP 80 or 443 into the security group of an internet-facing load balancer in the same stack.",
  mirrors: { checkov: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277"], trivy: ["AWS-0107"], cdkNag: ["AwsSolutions-EC23"] },
  fix: "admit traffic from the load balancer's security group (referenced_security_group_id) or a narrow CIDR instead of the internet",
  appliesTo: [SECURITY_GROUP, LEGACY_RULE, INGRESS_RULE],
  evaluate: (resource, context) =>
    permissionsOf(resource)
      .filter((p) => p.direction === "ingress" && p.cidrs.some((c) => WORLD.includes(c)))
      .filter((p) => {
        const webPort = p.protocol === "tcp" && p.fromPort === p.toPort && (p.fromPort === 80 || p.fromPort === 443);
        return !(webPort && isPublicLoadBalancerGroup(ownerGroup(p, context), context));
      })
      .map((p) => `${p.label} admits ${portText(p)} from ${p.cidrs.filter((c) => WORLD.includes(c)).join(", ")}`),
};

export const NO_UNRESTRICTED_EGRESS: PolicyRule = {
  id: "APF-SG-OPEN-EGRESS",
  title: "No security group allows every port out to the internet",
  severity: "medium",
  checks: "No egress to 0.0.0.0/0 or ::/0 on all protocols or all ports; name the ports the instances need (e.g. 443).",
  mirrors: { checkov: ["CKV_AWS_382"] },
  fix: "replace the all-traffic egress with rules for the ports needed (HTTPS 443 to anywhere, the database port to its security group)",
  appliesTo: [SECURITY_GROUP, LEGACY_RULE, EGRESS_RULE],
  evaluate: (resource) =>
    permissionsOf(resource)
      .filter((p) => p.direction === "egress" && p.cidrs.some((c) => WORLD.includes(c)) && coversAllPorts(p))
      .map((p) => `${p.label} allows ${portText(p)} out to ${p.cidrs.filter((c) => WORLD.includes(c)).join(", ")}`),
};

export const SECURITY_GROUP_DESCRIPTIONS: PolicyRule = {
  id: "APF-SG-DESCRIPTION",
  title: "Security groups and their rules say what they are for",
  severity: "low",
  checks: "Security groups have a description other than Terraform's default \"Managed by Terraform\", and every rule has a description.",
  mirrors: { checkov: ["CKV_AWS_23"], trivy: ["AWS-0099", "AWS-0124"], cdkNag: ["AwsSolutions-EC27"] },
  fix: "write a description that says who may connect and why",
  appliesTo: RULE_RESOURCES,
  evaluate: (resource) => {
    const problems: string[] = [];
    if (resource.type === SECURITY_GROUP) {
      const d = resource.attributes.description;
      if (typeof d !== "string" || d.trim() === "" || d === "Managed by Terraform") {
        problems.push(`description is ${d === undefined ? "not set (Terraform writes \"Managed by Terraform\")" : show(d)}`);
      }
    }
    for (const p of permissionsOf(resource)) {
      if (typeof p.description !== "string" || p.description.trim() === "") {
        problems.push(`${p.label === "the rule" ? "the rule's" : `${p.label}`} description is ${show(p.description)}`);
      }
    }
    return problems;
  },
};
