/**
 * One Application Load Balancer in front of every fleet, with listener rules compiled from a
 * declarative routing table. Built in two phases, because fleets need the router's security
 * group and the table needs the fleets:
 *
 *   const router = new TrafficRouter(stack, "Router", { ... });
 *   const rails4 = new AppServerGroup(stack, "Rails4", { ..., loadBalancer: router });
 *   router.setRoutingTable({ default: rails4 });
 */
import { Construct } from "constructs";
import { Annotations, ITerraformDependable, TerraformResource } from "cdktf";
import { Lb, LbListener, LbListenerRule } from "../aws/resources";
import { ConfigError } from "../core/errors";
import { PolicySuppressions } from "../policy/suppressions";
import type { FleetLoadBalancer } from "../fleet/app-server-group-props";
import { compileRouting } from "../routing/compile";
import type { CompiledRouting, RoutingTable } from "../routing/types";
import { AccessLogBucket } from "./access-log-bucket";
import { addDependsOn } from "./depends-on";
import { ANCHOR_CONDITION, ANCHOR_LISTENER_PORT, anchorPriorities } from "./anchor-rules";
import { forwardAction, ruleConstructIds, toAction, toCondition } from "./listener-actions";
import { LoadBalancerSecurityGroup } from "./load-balancer-security-group";
import type { RoutableFleet } from "./routable-fleet";
import { checkRoutedFleets, fleetsOf } from "./routed-fleets";
import { ResolvedRouterProps, resolveRouterProps, ROUTER_NAME_SUFFIXES, TrafficRouterProps } from "./traffic-router-props";

/** Answer of a listener before `setRoutingTable` fills it in; synth fails if that never happens. */
const UNROUTED_ACTION = {
  type: "fixed-response",
  fixedResponse: { contentType: "text/plain", messageBody: "no routing table", statusCode: "503" },
};

/** Why the anchor listener may answer plain HTTP: it never sees a client. */
const ANCHOR_SUPPRESSION_REASON =
  `carries no client traffic: the load balancer's security group never admits port ${ANCHOR_LISTENER_PORT} and its rules ` +
  "match only 255.255.255.255/32; it attaches each target group so the fleet's ASG can wait for healthy capacity";

export interface SetRoutingTableOptions {
  /**
   * Where the table came from, prefixed to the field of every error, e.g.
   * `"production.json: routing"`. @default - `TrafficRouter "<name>" (<path>) routing table`
   */
  readonly source?: string;
}

/** Runs `compile`, pointing the fields of its errors at the table's origin. */
function withFieldPrefix<T>(prefix: string, compile: () => T): T {
  try {
    return compile();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(error.violations.map((v) => ({ ...v, field: `${prefix}.${v.field}` })));
  }
}

export class TrafficRouter extends Construct implements FleetLoadBalancer {
  /** The validated props with defaults applied. */
  readonly settings: ResolvedRouterProps;
  /** `<namespace>-<name>`: the prefix of this router's AWS names. */
  readonly qualifiedName: string;
  readonly loadBalancer: Lb;
  readonly securityGroup: LoadBalancerSecurityGroup;
  /** The HTTPS listener (port 443); absent in HTTP-only mode. */
  readonly httpsListener?: LbListener;
  /** Port 80: a 301 redirect to HTTPS, or the traffic listener in HTTP-only mode. */
  readonly httpListener: LbListener;
  /** Listener that carries only the anchor rules (see anchor-rules.ts); its port is closed to clients. */
  readonly anchorListener: LbListener;
  /** The access-log bucket, when the router created it. */
  readonly accessLogBucket?: AccessLogBucket;
  /** Tags applied to every resource of the router. */
  readonly tags: Readonly<Record<string, string>>;

  private readonly trafficListener: LbListener;
  private routing?: CompiledRouting<RoutableFleet>;
  private readonly ruleResources = new Map<string, LbListenerRule>();
  private readonly anchorResources = new Map<string, LbListenerRule>();

  constructor(scope: Construct, id: string, props: TrafficRouterProps) {
    super(scope, id);
    // Validate everything before creating a single resource: bad input writes no Terraform.
    const router = resolveRouterProps(props, `TrafficRouter "${props.name}" (${this.node.path})`);
    this.settings = router;
    this.qualifiedName = router.qualifiedName;
    const tags = { ...router.tags, Router: router.name, ManagedBy: "cdktf-app-fleets" };
    this.tags = tags;
    const q = router.qualifiedName;

    if (router.httpOnly) {
      Annotations.of(this).addWarning(
        `TrafficRouter "${router.name}" is HTTP-only: traffic, cookies and credentials cross the network unencrypted. ` +
          "Use it for demos only; give certificateArn and remove httpOnly for real users.",
      );
    }

    this.securityGroup = new LoadBalancerSecurityGroup(this, "SecurityGroup", {
      namePrefix: `${q}${ROUTER_NAME_SUFFIXES.securityGroup}-`,
      description: router.httpOnly
        ? `Load balancer ${q}: HTTP in from clients, app ports out to routed fleets`
        : `Load balancer ${q}: HTTPS in, HTTP in for redirect, app ports out to routed fleets`,
      vpcId: router.vpcId,
      ingressCidrs: router.ingressCidrs,
      ingressIpv6Cidrs: router.ingressIpv6Cidrs,
      httpOnly: router.httpOnly,
      tags,
    });

    const logs = router.accessLogs;
    let logBucketName: string;
    const logDependencies: ITerraformDependable[] = [];
    if (logs.kind === "new-bucket") {
      this.accessLogBucket = new AccessLogBucket(this, "AccessLogs", {
        bucketPrefix: `${q}${ROUTER_NAME_SUFFIXES.accessLogBucketPrefix}`,
        logPrefix: logs.prefix,
        expirationDays: logs.expirationDays,
        forceDestroy: logs.forceDestroy,
        tags,
      });
      logBucketName = this.accessLogBucket.bucket.bucket;
      // AWS checks the bucket policy when access logs are enabled; without it the ALB create fails.
      logDependencies.push(this.accessLogBucket.policy);
    } else {
      logBucketName = logs.bucketName;
    }

    this.loadBalancer = new Lb(this, "LoadBalancer", {
      name: router.loadBalancerName,
      loadBalancerType: "application",
      internal: router.internal,
      securityGroups: [this.securityGroup.id],
      subnets: [...router.subnetIds],
      idleTimeout: router.idleTimeoutSeconds,
      enableDeletionProtection: router.deletionProtection,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: router.desyncMitigationMode,
      accessLogs: { bucket: logBucketName, prefix: logs.prefix, enabled: true },
      dependsOn: logDependencies.length > 0 ? logDependencies : undefined,
      tags: { ...tags, Name: router.loadBalancerName },
    });

    if (!router.httpOnly) {
      this.httpsListener = new LbListener(this, "HttpsListener", {
        loadBalancerArn: this.loadBalancer.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: router.sslPolicy,
        certificateArn: router.certificateArn,
        defaultAction: [UNROUTED_ACTION],
        tags,
      });
    }
    this.httpListener = new LbListener(this, "HttpListener", {
      loadBalancerArn: this.loadBalancer.arn,
      port: 80,
      protocol: "HTTP",
      defaultAction: [
        router.httpOnly
          ? UNROUTED_ACTION
          : { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
      ],
      tags,
    });
    this.trafficListener = this.httpsListener ?? this.httpListener;
    this.anchorListener = new LbListener(this, "AnchorListener", {
      loadBalancerArn: this.loadBalancer.arn,
      port: ANCHOR_LISTENER_PORT,
      protocol: "HTTP",
      defaultAction: [
        { type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "not found", statusCode: "404" } },
      ],
      tags,
    });
    PolicySuppressions.add(this.anchorListener, [{ id: "APF-HTTP-REDIRECT-ONLY", reason: ANCHOR_SUPPRESSION_REASON }]);

    this.node.addValidation({
      validate: () =>
        this.routing
          ? []
          : [
              `TrafficRouter "${router.name}" (${this.node.path}) has no routing table: its listeners would answer 503. ` +
                "Fix: call router.setRoutingTable({ default: fleet, ... }) after creating the fleets.",
            ],
    });
  }

  /**
   * Compiles the routing table into listener rules and wires the fleets in: egress to each
   * fleet, an anchor rule per fleet, and rules that wait for the fleets they send traffic to.
   * Call it once, after every fleet in the table exists.
   * @throws ConfigError for an invalid table, before any rule is created
   */
  setRoutingTable(table: RoutingTable<RoutableFleet>, options: SetRoutingTableOptions = {}): CompiledRouting<RoutableFleet> {
    const where = `TrafficRouter "${this.settings.name}" (${this.node.path})`;
    if (this.routing) {
      throw new ConfigError([
        {
          field: `${where} setRoutingTable`,
          value: "second call",
          limit: "may be called once; a second table would duplicate or silently replace listener rules",
          fix: "build the whole table (routes, default, overrideHeader, hostPins, maintenance) and pass it in one call",
        },
      ]);
    }

    // Everything that can fail runs before the first resource is created.
    const compiled = withFieldPrefix(options.source ?? `${where} routing table`, () =>
      compileRouting(table, { maxRulesPerLoadBalancer: this.settings.maxRulesPerLoadBalancer }),
    );
    const fleets = fleetsOf(compiled);
    checkRoutedFleets({
      compiled,
      extraRules: fleets.length,
      maxRulesPerLoadBalancer: this.settings.maxRulesPerLoadBalancer,
      where,
    }).throwIfAny();
    const ruleIds = ruleConstructIds(
      compiled.rules.map((r) => r.key),
      where,
    );
    const planned = compiled.rules.map((rule) => ({
      rule,
      id: ruleIds.get(rule.key)!,
      action: toAction(rule.action),
      conditions: rule.conditions.map(toCondition),
    }));
    const anchorPriority = anchorPriorities(fleets.map((f) => f.name));

    const anchors = new Construct(this, "Anchors");
    PolicySuppressions.add(anchors, [{ id: "APF-HTTP-REDIRECT-ONLY", reason: ANCHOR_SUPPRESSION_REASON }]);
    for (const fleet of fleets) {
      this.securityGroup.allowEgressTo(fleet);
      const anchor = new LbListenerRule(anchors, fleet.name, {
        listenerArn: this.anchorListener.arn,
        priority: anchorPriority.get(fleet.name)!,
        condition: [ANCHOR_CONDITION],
        action: [forwardAction({ type: "forward", targets: [{ fleet, weight: 1 }] })],
        tags: { ...this.tags, Fleet: fleet.name, Purpose: "anchor: attaches the target group, routes nothing" },
      });
      this.anchorResources.set(fleet.name, anchor);
      this.gateWaitsFor(fleet, anchor);
    }

    const rules = new Construct(this, "Rules");
    for (const { rule, id, action, conditions } of planned) {
      const resource = new LbListenerRule(rules, id, {
        listenerArn: this.trafficListener.arn,
        priority: rule.priority,
        condition: conditions,
        action: [action],
        // One apply never moves weight before the receiving fleet is healthy.
        dependsOn: rule.receivingFleets.length > 0 ? rule.receivingFleets.map((f) => f.trafficGate) : undefined,
        tags: { ...this.tags, Route: rule.source, RuleKind: rule.kind },
      });
      this.ruleResources.set(rule.key, resource);
    }

    this.trafficListener.putDefaultAction([forwardAction(compiled.defaultAction)]);
    // The default action moves traffic too: it waits for the default fleets like any rule.
    addDependsOn(
      this.trafficListener,
      compiled.defaultAction.targets.filter((t) => t.weight > 0).map((t) => t.fleet.trafficGate),
    );

    this.routing = compiled;
    return compiled;
  }

  /** The compiled routing table, for outputs and explanations. */
  get compiled(): CompiledRouting<RoutableFleet> {
    if (!this.routing) {
      throw new Error(`TrafficRouter "${this.settings.name}": call setRoutingTable() before reading compiled`);
    }
    return this.routing;
  }

  /** Listener rules by compiled rule key. Empty until `setRoutingTable`. */
  get rules(): ReadonlyMap<string, LbListenerRule> {
    return this.ruleResources;
  }

  /** Anchor rules by fleet name. Empty until `setRoutingTable`. */
  get anchorRules(): ReadonlyMap<string, LbListenerRule> {
    return this.anchorResources;
  }

  /** The load balancer's security group ID (FleetLoadBalancer). */
  get securityGroupId(): string {
    return this.securityGroup.id;
  }

  /** `app/<name>/<id>`, the `LoadBalancer` dimension of CloudWatch metrics (FleetLoadBalancer). */
  get arnSuffix(): string {
    return this.loadBalancer.arnSuffix;
  }

  get arn(): string {
    return this.loadBalancer.arn;
  }

  get dnsName(): string {
    return this.loadBalancer.dnsName;
  }

  /** Hosted zone of the load balancer's DNS name, for Route 53 alias records. */
  get zoneId(): string {
    return this.loadBalancer.zoneId;
  }

  /** Makes the fleet's traffic gate (its ASG) wait for the anchor that attaches its target group. */
  private gateWaitsFor(fleet: RoutableFleet, anchor: LbListenerRule): void {
    const gate = fleet.trafficGate;
    if (TerraformResource.isTerraformResource(gate)) {
      addDependsOn(gate, [anchor]);
      return;
    }
    Annotations.of(this).addWarning(
      `Fleet "${fleet.name}": its trafficGate is not a Terraform resource, so it cannot be made to wait for its anchor rule; ` +
        "its first health wait may race the rule that attaches its target group.",
    );
  }
}
