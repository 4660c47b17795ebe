/** Rules for load balancers, listeners, listener rules, target groups and the groups behind them. */
import { block, blocks, identifies, isTrue, list, resourcesNaming, show } from "../attributes";
import { parseCidrNetwork } from "../../core/cidr";
import { internetCoverage } from "../cidr-coverage";
import { tlsPolicyProblem } from "../tls-policies";
import { PolicyContext, PolicyResource, PolicyRule } from "../types";

export const LOAD_BALANCERS = ["aws_lb", "aws_alb"];
const LISTENERS = ["aws_lb_listener", "aws_alb_listener"];
const LISTENER_RULES = ["aws_lb_listener_rule", "aws_alb_listener_rule"];
const TARGET_GROUPS = ["aws_lb_target_group", "aws_alb_target_group"];

function lbType(lb: PolicyResource): string {
  return typeof lb.attributes.load_balancer_type === "string" ? lb.attributes.load_balancer_type : "application";
}

function loadBalancerOf(listener: PolicyResource, context: PolicyContext): PolicyResource | undefined {
  return context.resources.find((r) => LOAD_BALANCERS.includes(r.type) && identifies(listener.attributes.load_balancer_arn, r, ["arn"]));
}

/** A listener's protocol; unset means HTTP on an Application Load Balancer and TCP on a Network Load Balancer. */
function listenerProtocol(listener: PolicyResource, context: PolicyContext): string {
  const protocol = listener.attributes.protocol;
  if (typeof protocol === "string") return protocol.toUpperCase();
  const lb = loadBalancerOf(listener, context);
  return lb && lbType(lb) === "network" ? "TCP" : "HTTP";
}

function isRedirectToHttps(action: Readonly<Record<string, unknown>>): boolean {
  return action.type === "redirect" && block(action, "redirect")?.protocol === "HTTPS";
}

function describeAction(action: Readonly<Record<string, unknown>>): string {
  const redirect = block(action, "redirect");
  return action.type === "redirect" ? `redirect to protocol ${show(redirect?.protocol)}` : show(action.type);
}

export const ALB_DROP_INVALID_HEADERS: PolicyRule = {
  id: "APF-ALB-DROP-INVALID-HEADERS",
  title: "Application Load Balancers drop invalid header fields",
  severity: "medium",
  checks: "Application Load Balancers set `drop_invalid_header_fields = true`.",
  mirrors: { checkov: ["CKV_AWS_131"], trivy: ["AWS-0052"] },
  fix: "set drop_invalid_header_fields = true so malformed headers never reach the app (a request-smuggling vector)",
  appliesTo: LOAD_BALANCERS,
  evaluate: (lb) =>
    lbType(lb) !== "application" || isTrue(lb.attributes.drop_invalid_header_fields)
      ? []
      : [`drop_invalid_header_fields is ${show(lb.attributes.drop_invalid_header_fields)}`],
};

export const ALB_DESYNC_MITIGATION: PolicyRule = {
  id: "APF-ALB-DESYNC",
  title: "HTTP desync mitigation blocks ambiguous requests",
  severity: "medium",
  checks: 'Application Load Balancers keep `desync_mitigation_mode` at "defensive" (the default) or "strictest", never "monitor".',
  mirrors: { checkov: ["CKV_AWS_328"] },
  fix: 'remove desync_mitigation_mode or set it to "defensive" or "strictest"',
  appliesTo: LOAD_BALANCERS,
  evaluate: (lb) => {
    const mode = lb.attributes.desync_mitigation_mode;
    if (lbType(lb) !== "application" || mode === undefined || mode === "defensive" || mode === "strictest") return [];
    return [`desync_mitigation_mode is ${show(mode)}; "monitor" lets desync attacks through to the targets`];
  },
};

export const LB_ACCESS_LOGS: PolicyRule = {
  id: "APF-LB-ACCESS-LOGS",
  title: "Load balancers write access logs",
  severity: "medium",
  checks: "Application and Network Load Balancers have an `access_logs` block with `enabled = true` and a bucket.",
  mirrors: { checkov: ["CKV_AWS_91"], cdkNag: ["AwsSolutions-ELB2"] },
  fix: "add access_logs { bucket = <log bucket>, enabled = true } (TrafficRouter does this by default)",
  appliesTo: LOAD_BALANCERS,
  evaluate: (lb) => {
    if (lbType(lb) === "gateway") return [];
    const logs = block(lb.attributes, "access_logs");
    if (!logs) return ["access_logs is not set"];
    const problems: string[] = [];
    if (!isTrue(logs.enabled)) problems.push(`access_logs.enabled is ${show(logs.enabled)}`);
    if (typeof logs.bucket !== "string" || logs.bucket.length === 0) problems.push(`access_logs.bucket is ${show(logs.bucket)}`);
    return problems;
  },
};

export const LB_DELETION_PROTECTION: PolicyRule = {
  id: "APF-LB-DELETION-PROTECTION",
  title: "Load balancers are protected from deletion",
  severity: "medium",
  checks: "Load balancers set `enable_deletion_protection = true`, so a stray `terraform destroy` cannot take the entry point down.",
  mirrors: { checkov: ["CKV_AWS_150"] },
  fix: "set enable_deletion_protection = true (turn it off in a separate apply before a deliberate removal)",
  appliesTo: LOAD_BALANCERS,
  evaluate: (lb) =>
    isTrue(lb.attributes.enable_deletion_protection)
      ? []
      : [`enable_deletion_protection is ${show(lb.attributes.enable_deletion_protection)}`],
};

export const LISTENER_TLS13: PolicyRule = {
  id: "APF-LISTENER-TLS13",
  title: "TLS listeners use a TLS 1.3 security policy with a TLS 1.2 floor",
  severity: "high",
  checks:
    "HTTPS and TLS listeners name an `ssl_policy` from the ELBSecurityPolicy-TLS13-1-2-* or -1-3-* families; `ELBSecurityPolicy-TLS13-1-0-2021-06` and `-1-1-` are TLS 1.3 policies that still accept TLS 1.0 and 1.1.",
  mirrors: { checkov: ["CKV_AWS_103", "CKV2_AWS_74"], trivy: ["AWS-0047"] },
  fix: 'set ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06" (or another ELBSecurityPolicy-TLS13-1-2-* / -1-3-* policy)',
  appliesTo: LISTENERS,
  evaluate: (listener, context) => {
    const protocol = listenerProtocol(listener, context);
    if (protocol !== "HTTPS" && protocol !== "TLS") return [];
    const policy = listener.attributes.ssl_policy;
    if (policy === undefined)
      return ["ssl_policy is not set, so the provider's default policy ELBSecurityPolicy-2016-08 (which allows TLS 1.0 and 1.1) applies"];
    if (typeof policy !== "string") return [`ssl_policy is ${show(policy)}, not a policy name`];
    const problem = tlsPolicyProblem(policy);
    return problem ? [`ssl_policy is ${show(policy)}, which ${problem}`] : [];
  },
};

export const HTTP_REDIRECTS_ONLY: PolicyRule = {
  id: "APF-HTTP-REDIRECT-ONLY",
  title: "Plain-HTTP listeners only redirect to HTTPS",
  severity: "high",
  checks:
    'An HTTP listener\'s default action, and every listener rule attached to an HTTP listener, is a redirect with `protocol = "HTTPS"`.',
  mirrors: { checkov: ["CKV2_AWS_20", "CKV_AWS_2"], trivy: ["AWS-0054"] },
  fix: 'make the HTTP listener\'s default action redirect { protocol = "HTTPS", port = "443", status_code = "HTTP_301" } and attach routing rules to the HTTPS listener',
  appliesTo: [...LISTENERS, ...LISTENER_RULES],
  evaluate: (resource, context) => {
    if (LISTENERS.includes(resource.type)) {
      if (listenerProtocol(resource, context) !== "HTTP") return [];
      return blocks(resource.attributes, "default_action")
        .filter((action) => !isRedirectToHttps(action))
        .map((action) => `HTTP listener's default_action is ${describeAction(action)}`);
    }
    const listener = context.resources.find((r) => LISTENERS.includes(r.type) && identifies(resource.attributes.listener_arn, r, ["arn"]));
    if (!listener || listenerProtocol(listener, context) !== "HTTP") return [];
    return blocks(resource.attributes, "action")
      .filter((action) => !isRedirectToHttps(action))
      .map((action) => `rule on HTTP listener ${listener.address} has action ${describeAction(action)}`);
  },
};

/** The condition kinds of a listener rule's `condition` block, e.g. ["http_header"]. */
function conditionKinds(condition: Readonly<Record<string, unknown>>): string[] {
  return ["host_header", "http_header", "http_request_method", "path_pattern", "query_string", "source_ip"].filter(
    (kind) => condition[kind] !== undefined && condition[kind] !== null,
  );
}

/** A `source_ip` condition whose blocks together admit the internet (`0.0.0.0/0`, or its halves) narrows nothing. */
function admitsInternet(condition: Readonly<Record<string, unknown>>): boolean {
  const blocks = list(block(condition, "source_ip")?.values).flatMap((v) => parseCidrNetwork(String(v)) ?? []);
  return internetCoverage(blocks).length > 0;
}

function forwards(action: Readonly<Record<string, unknown>>): boolean {
  return action.type === "forward";
}

/**
 * Where a forward action sends requests: each target group's share of the total weight, keyed by the
 * group's reference. Undefined for other actions or when a weight is not a plain number.
 */
function forwardShares(action: Readonly<Record<string, unknown>>): Map<string, number> | undefined {
  if (!forwards(action)) return undefined;
  const single = action.target_group_arn;
  const groups = blocks(block(action, "forward"), "target_group");
  const weighted =
    groups.length > 0
      ? groups.map((g) => [String(g.arn), g.weight ?? 1] as const)
      : single !== undefined
        ? [[String(single), 1] as const]
        : [];
  const weights = weighted.map(([arn, w]) => [arn, Number(w)] as const);
  if (weights.length === 0 || weights.some(([, w]) => !Number.isFinite(w) || w < 0)) return undefined;
  const total = weights.reduce((sum, [, w]) => sum + w, 0);
  if (total <= 0) return undefined;
  const shares = new Map<string, number>();
  for (const [arn, w] of weights) if (w > 0) shares.set(arn, (shares.get(arn) ?? 0) + w / total);
  return shares;
}

function sameShares(a: Map<string, number> | undefined, b: Map<string, number> | undefined): boolean {
  if (!a || !b || a.size !== b.size) return false;
  return [...a].every(([arn, share]) => b.has(arn) && Math.abs(b.get(arn)! - share) < 1e-9);
}

function headerText(condition: Readonly<Record<string, unknown>>): string {
  const header = block(condition, "http_header");
  return `${String(header?.http_header_name ?? "?")}: ${list(header?.values).map(String).join(" | ")}`;
}

export const HEADER_OVERRIDE_RESTRICTED: PolicyRule = {
  id: "APF-LISTENER-HEADER-OVERRIDE",
  title: "A request header alone never picks the backend",
  severity: "high",
  checks:
    "A listener rule of an internet-facing load balancer whose only conditions are HTTP header conditions (an override header such as `X-Backend-Version: 3`) and that forwards to target groups also has a `source_ip` condition that admits less than the internet (`0.0.0.0/0`, even split into halves, does not count); otherwise anyone who sends the header reaches an idle color, an unreleased version or an unpatched one. A rule that forwards exactly where the listener's default action forwards (same target groups, same shares) picks no backend and passes.",
  mirrors: {},
  fix: "add a source_ip condition with the staff networks to the rule (TrafficRouter: overrideHeader.sourceIps), or drop the override header",
  appliesTo: LISTENER_RULES,
  evaluate: (rule, context) => {
    const actions = blocks(rule.attributes, "action");
    if (!actions.some(forwards)) return [];
    const conditions = blocks(rule.attributes, "condition");
    const kinds = conditions.flatMap(conditionKinds);
    // Conditions that narrow who or what matches; a source_ip that admits the internet narrows nothing.
    const narrowing = conditions.flatMap((c) =>
      conditionKinds(c).filter((k) => k !== "http_header" && !(k === "source_ip" && admitsInternet(c))),
    );
    if (!kinds.includes("http_header") || narrowing.length > 0) return [];
    const listener = context.resources.find((r) => LISTENERS.includes(r.type) && identifies(rule.attributes.listener_arn, r, ["arn"]));
    const lb = listener && loadBalancerOf(listener, context);
    if (lb && isTrue(lb.attributes.internal)) return [];
    // A header rule that forwards exactly where the listener's default action does picks no backend:
    // every request already reaches that destination (the maintenance bypass catch-all is one).
    const defaultActions = listener ? blocks(listener.attributes, "default_action") : [];
    const ruleForward = actions.length === 1 ? forwardShares(actions[0]) : undefined;
    if (defaultActions.length === 1 && sameShares(ruleForward, forwardShares(defaultActions[0]))) return [];
    const headers = conditions.filter((c) => c.http_header !== undefined).map(headerText);
    return [`forwards every request with ${headers.join(" and ")} from any source address, whatever its path or host`];
  },
};

export const TARGET_GROUP_HEALTH_PATH: PolicyRule = {
  id: "APF-TG-HEALTH-CHECK",
  title: "HTTP target groups define a health check path",
  severity: "medium",
  checks: "HTTP and HTTPS target groups have an enabled `health_check` with an explicit `path`.",
  mirrors: { checkov: ["CKV_AWS_261"] },
  fix: 'add health_check { enabled = true, path = "/health", matcher = "200" } pointing at an endpoint that checks the app, not just the web server',
  appliesTo: TARGET_GROUPS,
  evaluate: (tg) => {
    const protocol = typeof tg.attributes.protocol === "string" ? tg.attributes.protocol.toUpperCase() : undefined;
    if (tg.attributes.target_type === "lambda" || (protocol !== undefined && protocol !== "HTTP" && protocol !== "HTTPS")) return [];
    const health = block(tg.attributes, "health_check");
    if (!health) return ['health_check is not set, so every target is probed at "/"'];
    const problems: string[] = [];
    if (health.enabled === false || health.enabled === "false") problems.push("health_check.enabled is false");
    if (typeof health.path !== "string" || !health.path.startsWith("/")) problems.push(`health_check.path is ${show(health.path)}`);
    return problems;
  },
};

export const ASG_ELB_HEALTH_CHECK: PolicyRule = {
  id: "APF-ASG-ELB-HEALTH",
  title: "Auto Scaling groups behind a load balancer use its health checks",
  severity: "medium",
  checks:
    'Auto Scaling groups with target groups or classic load balancers (inline or through an attachment) set `health_check_type = "ELB"`, so an instance the load balancer finds unhealthy is replaced.',
  mirrors: { checkov: ["CKV2_AWS_15"] },
  fix: 'set health_check_type = "ELB" and a health_check_grace_period that covers boot',
  appliesTo: ["aws_autoscaling_group"],
  evaluate: (asg, context) => {
    const inline = list(asg.attributes.target_group_arns).length + list(asg.attributes.load_balancers).length;
    const attachments = [
      ...resourcesNaming(context, "aws_autoscaling_attachment", "autoscaling_group_name", asg, ["name"]),
      ...resourcesNaming(context, "aws_autoscaling_traffic_source_attachment", "autoscaling_group_name", asg, ["name"]),
    ];
    if (inline === 0 && attachments.length === 0) return [];
    if (asg.attributes.health_check_type === "ELB") return [];
    return [`health_check_type is ${show(asg.attributes.health_check_type)} although the group serves a load balancer`];
  },
};
