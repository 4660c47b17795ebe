/**
 * Security group rules. A group's rules may sit inline in `aws_security_group`, in
 * `aws_security_group_rule`, or in `aws_vpc_security_group_{ingress,egress}_rule`: all three
 * are normalized to one shape, and a finding is reported on the resource that holds the rule.
 */
import { blocks, identifies, isTrue, list, show } from "../attributes";
import { PolicyContext, PolicyResource, PolicyRule } from "../types";
import { internetCoverage, internetShare, SIGNIFICANT_SHARE } from "../cidr-coverage";
import { Cidr, formatCidr, parseCidrNetwork } from "../../core/cidr";
import { LOAD_BALANCERS } from "./load-balancing";

const SECURITY_GROUP = "aws_security_group";
const LEGACY_RULE = "aws_security_group_rule";
const INGRESS_RULE = "aws_vpc_security_group_ingress_rule";
const EGRESS_RULE = "aws_vpc_security_group_egress_rule";

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

/** Protocol names as AWS accepts them: "-1" and "all" mean every protocol; numbers of common ones become names. */
function normalizeProtocol(value: unknown): string {
  const text = String(value ?? "").toLowerCase();
  const byNumber: Readonly<Record<string, string>> = { "-1": "all", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6" };
  return byNumber[text] ?? text;
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

/** What identifies the group a permission belongs to: the group's address, or the value naming it. */
function ownerKey(permission: Permission, context: PolicyContext): string {
  return ownerGroup(permission, context)?.address ?? String(permission.owner);
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

function rangeText(protocol: string, from: number, to: number): string {
  if (protocol === "all") return "all traffic";
  return from === to ? `${protocol} ${from}` : `${protocol} ${from}-${to}`;
}

function portText(p: Permission): string {
  return rangeText(p.protocol, p.fromPort ?? 0, p.toPort ?? 65535);
}

function coversAllPorts(p: Permission): boolean {
  return p.protocol === "all" || ((p.fromPort ?? 0) <= 0 && (p.toPort ?? 65535) >= 65535);
}

/** The port range a permission opens; "all" protocols open every port. */
function portRange(p: Permission): { from: number; to: number } {
  return p.protocol === "all" ? { from: 0, to: 65535 } : { from: p.fromPort ?? 0, to: p.toPort ?? 65535 };
}

/** Every permission of the stack in one direction, with the key of its group, computed once per stack. */
const permissionIndex = new WeakMap<PolicyContext, Map<string, { permission: Permission; holder: PolicyResource }[]>>();

function permissionsByGroup(
  context: PolicyContext,
  direction: "ingress" | "egress",
): Map<string, { permission: Permission; holder: PolicyResource }[]> {
  let index = permissionIndex.get(context);
  if (!index) {
    index = new Map();
    for (const holder of context.resources) {
      if (holder.mode !== "managed") continue;
      for (const permission of permissionsOf(holder)) {
        const key = `${permission.direction} ${ownerKey(permission, context)}`;
        index.set(key, [...(index.get(key) ?? []), { permission, holder }]);
      }
    }
    permissionIndex.set(context, index);
  }
  const result = new Map<string, { permission: Permission; holder: PolicyResource }[]>();
  for (const [key, entries] of index) if (key.startsWith(`${direction} `)) result.set(key.slice(direction.length + 1), entries);
  return result;
}

interface OpenSegment {
  readonly protocol: string;
  readonly from: number;
  readonly to: number;
  /** e.g. "100% of the IPv4 internet". */
  readonly coverage: string;
  /** The world blocks this permission contributes. */
  readonly blocks: readonly string[];
}

/**
 * The protocol and port segments on which the permission, together with the group's other
 * permissions in the same direction, admits the internet. Splitting 0.0.0.0/0 into smaller
 * blocks, or over several rules, changes nothing.
 */
/** The group's other permissions in the same direction (a permission is identified by its holder and label). */
function siblingsOf(p: Permission, holder: PolicyResource, context: PolicyContext): { permission: Permission; holder: PolicyResource }[] {
  return (permissionsByGroup(context, p.direction).get(ownerKey(p, context)) ?? []).filter(
    (e) => !(e.holder.address === holder.address && e.permission.label === p.label),
  );
}

/**
 * The other permissions a finding names: none when the permission opens the internet on its own,
 * else those whose public blocks complete the union.
 */
function partnersNamed(
  own: readonly Cidr[],
  others: readonly { permission: Permission; holder: PolicyResource }[],
  holder: PolicyResource,
): string[] {
  if (internetCoverage(own).length > 0) return [];
  return [
    ...new Set(
      others
        .filter((e) => ([4, 6] as const).some((family) => internetShare(blocksOf(e.permission), family) > 0))
        .map((e) => (e.holder.address === holder.address ? e.permission.label : e.holder.address)),
    ),
  ];
}

function blocksOf(p: Permission): Cidr[] {
  return p.cidrs.map(parseCidrNetwork).filter((b): b is Cidr => b !== undefined);
}

/**
 * Whether a permission's blocks are to blame for an open union: they cover a significant share
 * of the internet themselves (a VPC range or an office /24 next to a world rule does not), or no
 * permission does and they cover some of it.
 */
function contributes(own: readonly Cidr[], others: readonly (readonly Cidr[])[], coverage: readonly { family: 4 | 6 }[]): boolean {
  const significant = (blocks: readonly Cidr[]) => coverage.some((c) => internetShare(blocks, c.family) >= SIGNIFICANT_SHARE);
  if (significant(own)) return true;
  return !others.some(significant) && coverage.some((c) => internetShare(own, c.family) > 0);
}

function openSegments(p: Permission, holder: PolicyResource, context: PolicyContext): OpenSegment[] {
  const own = blocksOf(p);
  if (own.length === 0) return [];
  const siblings = siblingsOf(p, holder, context);
  const { from, to } = portRange(p);
  const protocols = p.protocol === "all" ? [...new Set(["all", ...siblings.map((e) => e.permission.protocol)])] : [p.protocol];
  const segments: OpenSegment[] = [];
  for (const protocol of protocols) {
    // An "all protocols" segment is open only through other "all protocols" permissions.
    const relevant = siblings.filter((e) => e.permission.protocol === "all" || (protocol !== "all" && e.permission.protocol === protocol));
    const bounds = new Set([from, to + 1]);
    for (const e of relevant) {
      const r = portRange(e.permission);
      for (const b of [r.from, r.to + 1]) if (b > from && b <= to) bounds.add(b);
    }
    const points = [...bounds].sort((a, b) => a - b);
    for (let i = 0; i + 1 < points.length; i++) {
      const [start, end] = [points[i], points[i + 1] - 1];
      const covering = relevant.filter((e) => {
        const r = portRange(e.permission);
        return r.from <= start && r.to >= end;
      });
      const blocks = [...own, ...covering.flatMap((e) => blocksOf(e.permission))];
      const coverage = internetCoverage(blocks);
      if (coverage.length === 0) continue;
      if (
        !contributes(
          own,
          covering.map((e) => blocksOf(e.permission)),
          coverage,
        )
      )
        continue;
      segments.push({
        protocol,
        from: start,
        to: end,
        coverage: coverageText(own, coverage, partnersNamed(own, covering, holder)),
        blocks: own.filter((b) => coverage.some((c) => c.family === b.family)).map(formatCidr),
      });
    }
  }
  return segments;
}

/** e.g. `56% of the public IPv4 internet` or `43% of the public IPv4 internet, 100% together with aws_..rule.x`. */
function coverageText(own: readonly Cidr[], union: readonly { family: 4 | 6; share: number }[], partners: readonly string[]): string {
  const percent = (share: number) => `${Math.round(share * 100)}%`;
  return union
    .map((c) => {
      const alone = `${percent(internetShare(own, c.family))} of the public IPv${c.family} internet`;
      return partners.length > 0 ? `${alone}, ${percent(c.share)} together with ${partners.join(", ")}` : alone;
    })
    .join("; ");
}

function describeOpen(p: Permission, s: OpenSegment, verb: "admits" | "allows"): string {
  const ports =
    p.protocol === "all" && s.protocol === "all" ? "all traffic" : rangeText(s.protocol === "all" ? p.protocol : s.protocol, s.from, s.to);
  return `${p.label} ${verb} ${ports} ${verb === "admits" ? "from" : "out to"} ${s.blocks.join(", ")}: ${s.coverage}`;
}

const RULE_RESOURCES = [SECURITY_GROUP, LEGACY_RULE, INGRESS_RULE, EGRESS_RULE];

export const NO_WORLD_INGRESS: PolicyRule = {
  id: "APF-SG-WORLD-INGRESS",
  title: "Nothing but a public load balancer's 80/443 is open to the internet",
  severity: "high",
  checks:
    "No ingress admits the internet, except TCP 80 or 443 into the security group of an internet-facing load balancer in the same stack. The CIDRs a group admits on a port are taken together: blocks covering at least half of the public IPv4 space, or of IPv6 global unicast (2000::/3), count as the internet however they are split (`0.0.0.0/1` + `128.0.0.0/1`, two IPv6 halves, several rules).",
  mirrors: { checkov: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277"], trivy: ["AWS-0107"], cdkNag: ["AwsSolutions-EC23"] },
  fix: "admit traffic from the load balancer's security group (referenced_security_group_id) or a narrow CIDR instead of the internet",
  appliesTo: [SECURITY_GROUP, LEGACY_RULE, INGRESS_RULE],
  evaluate: (resource, context) =>
    permissionsOf(resource)
      .filter((p) => p.direction === "ingress")
      .flatMap((p) => {
        const publicLb = isPublicLoadBalancerGroup(ownerGroup(p, context), context);
        return openSegments(p, resource, context)
          .filter((s) => !(publicLb && s.protocol === "tcp" && s.from === s.to && (s.from === 80 || s.from === 443)))
          .map((s) => describeOpen(p, s, "admits"));
      }),
};

export const NO_UNRESTRICTED_EGRESS: PolicyRule = {
  id: "APF-SG-OPEN-EGRESS",
  title: "No security group allows every port out to the internet",
  severity: "medium",
  checks:
    "No egress to the internet on all protocols or all ports (CIDRs taken together, as for ingress); name the ports the instances need (e.g. 443).",
  mirrors: { checkov: ["CKV_AWS_382"] },
  fix: "replace the all-traffic egress with rules for the ports needed (HTTPS 443 to anywhere, the database port to its security group)",
  appliesTo: [SECURITY_GROUP, LEGACY_RULE, EGRESS_RULE],
  evaluate: (resource, context) =>
    permissionsOf(resource)
      .filter((p) => p.direction === "egress" && coversAllPorts(p))
      .flatMap((p) => {
        const own = blocksOf(p);
        // Taken together with the group's other all-port egress of the same protocol (or of all protocols).
        const partners = siblingsOf(p, resource, context).filter(
          (e) => coversAllPorts(e.permission) && (e.permission.protocol === "all" || e.permission.protocol === p.protocol),
        );
        const coverage = internetCoverage([...own, ...partners.flatMap((e) => blocksOf(e.permission))]);
        if (
          coverage.length === 0 ||
          !contributes(
            own,
            partners.map((e) => blocksOf(e.permission)),
            coverage,
          )
        )
          return [];
        return [
          `${p.label} allows ${portText(p)} out to ${own.map(formatCidr).join(", ")}: ${coverageText(own, coverage, partnersNamed(own, partners, resource))}`,
        ];
      }),
};

export const SECURITY_GROUP_DESCRIPTIONS: PolicyRule = {
  id: "APF-SG-DESCRIPTION",
  title: "Security groups and their rules say what they are for",
  severity: "low",
  checks: 'Security groups have a description other than Terraform\'s default "Managed by Terraform", and every rule has a description.',
  mirrors: { checkov: ["CKV_AWS_23"], trivy: ["AWS-0099", "AWS-0124"], cdkNag: ["AwsSolutions-EC27"] },
  fix: "write a description that says who may connect and why",
  appliesTo: RULE_RESOURCES,
  evaluate: (resource) => {
    const problems: string[] = [];
    if (resource.type === SECURITY_GROUP) {
      const d = resource.attributes.description;
      if (typeof d !== "string" || d.trim() === "" || d === "Managed by Terraform") {
        problems.push(`description is ${d === undefined ? 'not set (Terraform writes "Managed by Terraform")' : show(d)}`);
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
