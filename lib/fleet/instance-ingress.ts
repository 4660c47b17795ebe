/**
 * What may reach a fleet's instances besides the load balancer: further security groups of
 * your own, and extra ingress rules, each explicit and described.
 *
 * The default stays: the app port is open to the load balancer's security group only. An extra
 * rule adds to that (a metrics scraper's port from a monitoring group, SSH from a bastion), it
 * never replaces it; a rule that would admit the internet is refused, since instances sit in
 * private subnets and are reached through the load balancer (the policy pack's
 * APF-SG-WORLD-INGRESS would fail synthesis anyway; this says so earlier, naming the field).
 * Pure: no cdktf import.
 */
import { Violations } from "../core/errors";
import { checkIpv4Cidr, isIpv4Cidr, parseCidr } from "../core/cidr";
import { hasToken } from "../core/terraform-literal";
import { internetCoverage } from "../policy/cidr-coverage";

/** Protocols of extra ingress and egress rules (a port makes no sense for others). */
export const RULE_PROTOCOLS = ["tcp", "udp"] as const;

/** Characters EC2 accepts in a security group rule description (EC2 API, IpRange.Description). */
export const RULE_DESCRIPTION_PATTERN = /^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]*$/;

/**
 * Security groups per network interface: 5 by default (Amazon VPC quotas, adjustable); the
 * fleet's own group takes one.
 */
export const MAX_EXTRA_SECURITY_GROUPS = 4;

/** An extra inbound rule on the instances, e.g. a metrics port from the monitoring group. */
export interface FleetIngressRule {
  /** Who connects and why (1-255 characters, EC2's description characters). */
  readonly description: string;
  /** The first (or only) port. */
  readonly port: number;
  /** The last port of a range, e.g. 9100-9110. @default - port alone */
  readonly toPort?: number;
  /** "tcp" or "udp". @default "tcp" */
  readonly protocol?: string;
  /** Exactly one of `cidr` (IPv4, not the internet) and `securityGroupId`. */
  readonly cidr?: string;
  readonly securityGroupId?: string;
}

const SG_PATTERN = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;

/** Checks a rule description; values known only at apply time pass. */
export function checkRuleDescription(v: Violations, field: string, description: string, purpose: string): void {
  v.check(!!description && description.length <= 255, field, description, "must be 1-255 characters", purpose);
  v.check(
    !description || hasToken(description) || RULE_DESCRIPTION_PATTERN.test(description),
    field,
    description,
    "may hold only letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* (EC2's rule description characters)",
    "remove the other characters",
  );
}

function checkPort(v: Violations, field: string, port: number): void {
  v.check(Number.isInteger(port) && port >= 1 && port <= 65535, field, port, "must be a port 1-65535", "give the TCP or UDP port");
}

export function checkExtraIngress(v: Violations, field: (name: string) => string, rules: readonly FleetIngressRule[] | undefined): void {
  (rules ?? []).forEach((rule, i) => {
    const at = field(`extraIngress[${i}]`);
    checkRuleDescription(v, `${at}.description`, rule.description, "say who connects to the instances through this rule, and why");
    checkPort(v, `${at}.port`, rule.port);
    if (rule.toPort !== undefined) {
      checkPort(v, `${at}.toPort`, rule.toPort);
      v.check(
        rule.toPort >= rule.port,
        `${at}.toPort`,
        rule.toPort,
        `must be >= port (${rule.port})`,
        "give the last port of the range, or leave toPort out for one port",
      );
    }
    checkRuleProtocolAndPeer(v, at, rule, "source");
    if (rule.cidr !== undefined) {
      checkIpv4Cidr(v, `${at}.cidr`, rule.cidr);
      if (!hasToken(rule.cidr) && isIpv4Cidr(rule.cidr)) {
        const block = parseCidr(rule.cidr);
        const open = "error" in block ? [] : internetCoverage([block]);
        v.check(
          open.length === 0,
          `${at}.cidr`,
          rule.cidr,
          "admits the internet (at least half of the public IPv4 space); instances sit in private subnets and are reached through the load balancer",
          "admit a narrow range (a bastion, a VPN, the VPC) or a security group instead",
        );
      }
    }
    if (rule.securityGroupId !== undefined && !hasToken(rule.securityGroupId)) {
      v.check(
        SG_PATTERN.test(rule.securityGroupId),
        `${at}.securityGroupId`,
        rule.securityGroupId,
        "is not a security group ID (sg-...)",
        "give a security group ID (sg-...)",
      );
    }
  });
}

export function checkExtraSecurityGroups(v: Violations, field: string, ids: readonly string[] | undefined): void {
  if (ids === undefined) return;
  v.check(
    ids.length <= MAX_EXTRA_SECURITY_GROUPS,
    field,
    ids,
    `lists ${ids.length} groups; a network interface takes 5 security groups by default (Amazon VPC quota) and the fleet's own group is one of them`,
    `attach at most ${MAX_EXTRA_SECURITY_GROUPS}, or merge their rules`,
  );
  v.check(new Set(ids).size === ids.length, field, ids, "lists a security group twice", "list each group once");
  ids.forEach((id, i) => {
    if (!hasToken(id))
      v.check(SG_PATTERN.test(id), `${field}[${i}]`, id, "is not a security group ID (sg-...)", "give a security group ID (sg-...)");
  });
}

/**
 * The protocol and the other end of an extra security group rule (ingress or egress): "tcp" or
 * "udp", and exactly one of a CIDR and a security group ID.
 */
export function checkRuleProtocolAndPeer(
  v: Violations,
  at: string,
  rule: { readonly protocol?: string; readonly cidr?: string; readonly securityGroupId?: string },
  peer: "source" | "destination",
): void {
  v.check(
    rule.protocol === undefined || (RULE_PROTOCOLS as readonly string[]).includes(rule.protocol),
    `${at}.protocol`,
    rule.protocol,
    `must be ${RULE_PROTOCOLS.map((p) => `"${p}"`).join(" or ")}`,
    'use "tcp" (the default) or "udp"',
  );
  v.check(
    (rule.cidr === undefined) !== (rule.securityGroupId === undefined),
    at,
    rule,
    "needs exactly one of cidr and securityGroupId",
    `give a ${peer} CIDR or a ${peer} security group ID`,
  );
}
