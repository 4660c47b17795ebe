/**
 * Properties of a TrafficRouter, their defaults and their validation.
 * Pure TypeScript (no cdktf import), so the rules are tested directly and fast.
 */
import { FieldLocation, Violations } from "../core/errors";
import { checkTags } from "../core/tags";
import { checkElbName, checkResourceName, ELB_NAME_MAX, qualifyName } from "../core/names";
import { checkIpv4Cidr } from "../core/cidr";
import { hasToken } from "../core/terraform-literal";
import { AWS_ID_PATTERNS, checkArn, checkBucketName, checkPattern, checkSubnetIds } from "../core/aws-ids";

import { ALB_QUOTAS } from "../routing/quotas";
import { RoutingLimits } from "../routing/types";
import { isModernTlsPolicy, tlsPolicyProblem } from "../policy/tls-policies";
import { AccessLogs, ResolvedAccessLogs } from "./access-logs";
import type { StackLockStore } from "../lock/stack-lock-store";
import { DnsAlias, resolveDnsAliases } from "./dns-alias";
import { IpAddressType, resolveAddressing } from "./dual-stack";
import { resolveListenerCertificates } from "./listener-certificates";
import { resolveWebAcl } from "./web-acl";

/**
 * How the load balancer treats requests that may be used for HTTP desync (request smuggling).
 * "monitor" is deliberately not offered: it forwards every request, ambiguous ones included.
 */
export type DesyncMitigationMode = "defensive" | "strictest";

/** The TLS 1.3 policy AWS recommends: TLS 1.3 and 1.2 with forward-secret ciphers only. */
export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface TrafficRouterProps {
  /** Name of the router, e.g. "web". Prefixes every AWS name (`<namespace>-<name>-alb`). */
  readonly name: string;
  /** Prefix for AWS names, e.g. the environment. @default - none: the router name alone */
  readonly namespace?: string;
  readonly vpcId: string;
  /** Public subnets (private ones when `internal`), at least two, in different Availability Zones. */
  readonly subnetIds: readonly string[];
  /** ACM certificate served by the HTTPS listener. Required unless `httpOnly`. @default - none (then `httpOnly` must be true) */
  readonly certificateArn?: string;
  /**
   * TLS policy of the HTTPS listener: a TLS 1.3 policy with a TLS 1.2 floor (`ELBSecurityPolicy-TLS13-1-2-...`
   * or `-1-3-...`; `-1-0-` and `-1-1-` still accept TLS 1.0/1.1). @default "ELBSecurityPolicy-TLS13-1-2-2021-06"
   */
  readonly sslPolicy?: string;
  /**
   * Certificates served besides `certificateArn`, picked by the client's SNI host name (ACM or
   * IAM server certificate ARNs, at most 25): one load balancer for several domains.
   * @default - the default certificate alone
   */
  readonly additionalCertificateArns?: readonly string[];
  /** IPv4 clients admitted on 443 (and on 80, for the redirect only). @default ["0.0.0.0/0"] */
  readonly ingressCidrs?: readonly string[];
  /**
   * IPv6 clients admitted likewise, on a dual-stack load balancer.
   * @default - ["::/0"] when ipAddressType is "dualstack" and ingressCidrs is left at the internet; else none
   */
  readonly ingressIpv6Cidrs?: readonly string[];
  /**
   * "ipv4", or "dualstack" for IPv6 clients too (the subnets need IPv6 CIDR blocks); with
   * `dnsAliases`, dual-stack adds AAAA records beside the A records.
   * @default - not set: AWS's default, IPv4 only
   */
  readonly ipAddressType?: IpAddressType;
  /** Offer HTTP/2 to clients (needed by HTTP/2 and gRPC fleets). @default true */
  readonly http2Enabled?: boolean;
  /**
   * An existing regional AWS WAF web ACL to associate with the load balancer, by ARN.
   * @default - no web ACL
   */
  readonly webAclArn?: string;
  /**
   * Route 53 alias records (A, and AAAA when dual-stack) that point names in existing hosted
   * zones at the load balancer. An existing record of the same name and type is never overwritten.
   * @default - none: point your DNS at `dnsName` yourself
   */
  readonly dnsAliases?: readonly DnsAlias[];
  /** Internal load balancer (private subnets, no public DNS). @default false */
  readonly internal?: boolean;
  /** Seconds an idle client connection stays open, 1-4000. @default 60 */
  readonly idleTimeoutSeconds?: number;
  /** Refuse to delete the load balancer through the API; set false to allow `terraform destroy`. @default true */
  readonly deletionProtection?: boolean;
  /** @default "defensive" */
  readonly desyncMitigationMode?: DesyncMitigationMode;
  /** @default AccessLogs.newBucket() (90-day expiry, no force destroy) */
  readonly accessLogs?: AccessLogs;
  /**
   * Demo mode without TLS: no certificate, the HTTP listener forwards traffic instead of
   * redirecting, and synth prints a warning. Never use it for real users.
   * @default false
   */
  readonly httpOnly?: boolean;
  /** ALB quotas. @default - see RoutingLimits (100 rules per load balancer) */
  readonly limits?: RoutingLimits;
  /** Tags on every resource of the router, in addition to `Router` and `ManagedBy`. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * The stack lock file (a path, or a store such as `InMemoryStackLock` for tests) that keeps
   * listener-rule priorities across synths: a rule keeps its number, a new rule takes a number no
   * rule ever held. Commit the file with your code. Every construct of one stack names the same lock.
   * See lib/lock/STACK-LOCK.md.
   * @default - none: priorities are allocated afresh on every synth, and synth warns
   */
  readonly lockFile?: string | StackLockStore;
  /**
   * Where these props came from, so errors name the field the user wrote, e.g.
   * `FieldLocation.file("production.json", "", { certificateArn: "loadBalancer.certificateArn" })`.
   * @default - the construct: `TrafficRouter "<name>" (<construct path>)`
   */
  readonly source?: FieldLocation;
}

/** Props with every default applied. */
export interface ResolvedRouterProps {
  readonly name: string;
  readonly qualifiedName: string;
  readonly loadBalancerName: string;
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly certificateArn?: string;
  readonly additionalCertificateArns: readonly string[];
  readonly sslPolicy: string;
  readonly ingressCidrs: readonly string[];
  readonly ingressIpv6Cidrs: readonly string[];
  /** Undefined when not given: no `ip_address_type` is written. */
  readonly ipAddressType?: IpAddressType;
  readonly http2Enabled: boolean;
  readonly webAclArn?: string;
  readonly dnsAliases: readonly DnsAlias[];
  /** What synth should warn about (an IPv6 ingress on a load balancer not declared dual-stack). */
  readonly warnings: readonly string[];
  readonly internal: boolean;
  readonly idleTimeoutSeconds: number;
  readonly deletionProtection: boolean;
  readonly desyncMitigationMode: DesyncMitigationMode;
  readonly accessLogs: ResolvedAccessLogs;
  readonly httpOnly: boolean;
  readonly maxRulesPerLoadBalancer: number;
  readonly tags: Readonly<Record<string, string>>;
}

/** Suffixes appended to the qualified name. */
export const ROUTER_NAME_SUFFIXES = {
  loadBalancer: "-alb",
  securityGroup: "-alb",
  /** S3 `bucket_prefix` allows 37 characters; a 28-character qualified name plus this is exactly 37. */
  accessLogBucketPrefix: "-alblogs-",
} as const;

/** Default ALB quota of rules per load balancer, excluding default actions. */
export const DEFAULT_MAX_RULES_PER_LOAD_BALANCER = ALB_QUOTAS.rulesPerLoadBalancer;
/**
 * Highest raised quota accepted. AWS lists "Rules per Application Load Balancer" as adjustable
 * (default 100) without publishing a maximum ("Quotas for your Application Load Balancers");
 * raises were reported capped at 200 (kubernetes-sigs/aws-load-balancer-controller#2011).
 * 1000 leaves room for any raise granted while refusing a slip such as 1e6.
 */
export const MAX_RULES_PER_LOAD_BALANCER_CEILING = 1000;

/**
 * Applies defaults and checks every property, collecting all problems.
 * @throws ConfigError naming each bad field, its value, the limit and the fix
 */
export function resolveRouterProps(
  props: TrafficRouterProps,
  where: string | FieldLocation = props.source ?? `TrafficRouter "${props.name}"`,
): ResolvedRouterProps {
  const v = new Violations();
  const location = typeof where === "string" ? FieldLocation.construct(where) : where;
  const f = (field: string) => location.field(field);

  checkResourceName(v, f("name"), props.name);
  if (props.namespace !== undefined) checkResourceName(v, f("namespace"), props.namespace);
  const qualifiedName = qualifyName(props.name, props.namespace);
  const loadBalancerName = `${qualifiedName}${ROUTER_NAME_SUFFIXES.loadBalancer}`;
  v.check(
    loadBalancerName.length <= ELB_NAME_MAX,
    f("namespace + name"),
    qualifiedName,
    `makes the load balancer name "${loadBalancerName}" ${loadBalancerName.length} characters; AWS allows ${ELB_NAME_MAX}`,
    `shorten the namespace or the name to ${ELB_NAME_MAX - ROUTER_NAME_SUFFIXES.loadBalancer.length} characters together (hyphen included)`,
  );
  if (loadBalancerName.length <= ELB_NAME_MAX) checkElbName(v, f("load balancer name"), loadBalancerName);

  checkPattern(v, f("vpcId"), props.vpcId, AWS_ID_PATTERNS.VPC_PATTERN, 'a VPC ID such as "vpc-0123456789abcdef0"');
  const subnets = props.subnetIds ?? [];
  checkSubnetIds(v, f, subnets, {
    why: "an Application Load Balancer needs at least 2, in different Availability Zones",
    fix: `list a ${props.internal ? "private" : "public"} subnet in each of two or more Availability Zones`,
  });

  const httpOnly = props.httpOnly ?? false;
  if (httpOnly) {
    v.check(
      props.certificateArn === undefined,
      f("certificateArn"),
      props.certificateArn,
      "is set together with httpOnly: true, which serves plain HTTP and would ignore the certificate",
      "remove httpOnly to serve HTTPS with this certificate, or remove certificateArn for an HTTP-only demo",
    );
    v.check(
      props.sslPolicy === undefined,
      f("sslPolicy"),
      props.sslPolicy,
      "is set together with httpOnly: true, which has no TLS listener",
      "remove httpOnly, or remove sslPolicy",
    );
  } else if (props.certificateArn === undefined) {
    v.add(
      f("certificateArn"),
      undefined,
      "is required: the router serves HTTPS and redirects HTTP to it",
      "give the ARN of an ACM certificate for your domain, or set httpOnly: true for a demo without TLS",
    );
  } else {
    checkArn(v, f("certificateArn"), props.certificateArn, "acm");
  }

  const sslPolicy = props.sslPolicy ?? DEFAULT_SSL_POLICY;
  v.check(
    hasToken(sslPolicy) || isModernTlsPolicy(sslPolicy),
    f("sslPolicy"),
    sslPolicy,
    `${tlsPolicyProblem(sslPolicy) ?? "is not accepted"}; the listener must refuse TLS 1.0 and 1.1 and offer TLS 1.3 (ELB security policy table)`,
    `use "${DEFAULT_SSL_POLICY}" or another "ELBSecurityPolicy-TLS13-1-2-..." or "...-TLS13-1-3-..." policy`,
  );

  const addressing = resolveAddressing(v, f, props);
  const { ingressCidrs, ingressIpv6Cidrs } = addressing;
  v.check(
    ingressCidrs.length + ingressIpv6Cidrs.length >= 1,
    f("ingressCidrs"),
    ingressCidrs,
    "admits no client at all",
    'list the client CIDRs, e.g. ["0.0.0.0/0"] for the internet or your office range',
  );
  ingressCidrs.forEach((cidr, i) => checkIpv4Cidr(v, f(`ingressCidrs[${i}]`), cidr));
  v.check(new Set(ingressCidrs).size === ingressCidrs.length, f("ingressCidrs"), ingressCidrs, "lists a CIDR twice", "list each CIDR once");

  const idleTimeoutSeconds = props.idleTimeoutSeconds ?? 60;
  v.check(
    Number.isInteger(idleTimeoutSeconds) && idleTimeoutSeconds >= 1 && idleTimeoutSeconds <= 4000,
    f("idleTimeoutSeconds"),
    idleTimeoutSeconds,
    "must be a whole number of seconds from 1 to 4000 (the ALB limit)",
    "choose an idle timeout in that range; 60 suits most web apps",
  );

  const desyncMitigationMode = props.desyncMitigationMode ?? "defensive";
  v.check(
    desyncMitigationMode === "defensive" || desyncMitigationMode === "strictest",
    f("desyncMitigationMode"),
    desyncMitigationMode,
    'must be "defensive" or "strictest"; "monitor" forwards requests that may smuggle a second request',
    'use "defensive" (the default) or "strictest"',
  );

  const accessLogs = (props.accessLogs ?? AccessLogs.newBucket()).settings;
  if (accessLogs.kind === "new-bucket") {
    v.check(
      Number.isInteger(accessLogs.expirationDays) && accessLogs.expirationDays >= 1,
      f("accessLogs.expirationDays"),
      accessLogs.expirationDays,
      "must be a whole number of days >= 1",
      "choose how long logs are kept, e.g. 90",
    );
  } else {
    checkBucketName(v, f("accessLogs.bucketName"), accessLogs.bucketName);
  }
  if (accessLogs.prefix !== undefined) checkLogPrefix(v, f("accessLogs.prefix"), accessLogs.prefix);

  const maxRulesPerLoadBalancer = props.limits?.maxRulesPerLoadBalancer ?? DEFAULT_MAX_RULES_PER_LOAD_BALANCER;
  v.check(
    Number.isInteger(maxRulesPerLoadBalancer) &&
      maxRulesPerLoadBalancer >= 1 &&
      maxRulesPerLoadBalancer <= MAX_RULES_PER_LOAD_BALANCER_CEILING,
    f("limits.maxRulesPerLoadBalancer"),
    maxRulesPerLoadBalancer,
    `must be a whole number from 1 to ${MAX_RULES_PER_LOAD_BALANCER_CEILING} (AWS's default quota is ${DEFAULT_MAX_RULES_PER_LOAD_BALANCER}; raises are granted per account)`,
    `leave it unset for the AWS default (${DEFAULT_MAX_RULES_PER_LOAD_BALANCER}) or give your raised quota`,
  );

  checkTags(v, f, props.tags);

  const additionalCertificateArns = resolveListenerCertificates(v, f("additionalCertificateArns"), props.additionalCertificateArns, {
    httpOnly,
    defaultCertificateArn: props.certificateArn,
  });
  const webAclArn = resolveWebAcl(v, f("webAclArn"), props.webAclArn);
  const dnsAliases = resolveDnsAliases(v, f("dnsAliases"), props.dnsAliases);
  const http2Enabled = props.http2Enabled ?? true;

  v.throwIfAny();
  return {
    name: props.name,
    qualifiedName,
    loadBalancerName,
    vpcId: props.vpcId,
    subnetIds: [...subnets],
    certificateArn: props.certificateArn,
    additionalCertificateArns,
    sslPolicy,
    ingressCidrs: [...ingressCidrs],
    ingressIpv6Cidrs: [...ingressIpv6Cidrs],
    ipAddressType: addressing.ipAddressType,
    http2Enabled,
    webAclArn,
    dnsAliases,
    warnings: addressing.warning ? [addressing.warning] : [],
    internal: props.internal ?? false,
    idleTimeoutSeconds,
    deletionProtection: props.deletionProtection ?? true,
    desyncMitigationMode,
    accessLogs: accessLogs.kind === "new-bucket" ? accessLogs : { ...accessLogs, prefix: accessLogs.prefix ?? qualifiedName },
    httpOnly,
    maxRulesPerLoadBalancer,
    tags: { ...(props.tags ?? {}) },
  };
}

function checkLogPrefix(v: Violations, field: string, prefix: string): void {
  v.check(
    prefix.length >= 1 && !prefix.startsWith("/") && !prefix.endsWith("/") && !prefix.includes("AWSLogs"),
    field,
    prefix,
    'must be non-empty, must not start or end with "/" and must not contain "AWSLogs" (ELB appends that itself)',
    'use a prefix such as "alb" or "prod/web"',
  );
}
