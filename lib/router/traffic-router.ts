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
import { Annotations, Fn, ITerraformDependable, TerraformResource } from "cdktf";
import { Lb, LbListener, LbListenerCertificate, LbListenerRule, Route53Record, Wafv2WebAclAssociation } from "../aws/resources";
import { ConfigError, FieldLocation } from "../core/errors";
import { terraformLiteral, terraformLiteralMap } from "../core/terraform-literal";
import { PolicySuppressions } from "../policy/suppressions";
import type { FleetLoadBalancer } from "../fleet/app-server-group-props";
import { compileRouting } from "../routing/compile";
import type { CompiledRouting, RoutingTable } from "../routing/types";
import { AccessLogBucket } from "./access-log-bucket";
import { addDependsOn } from "./depends-on";
import { EMPTY_ROUTER_LOCK } from "../lock/stack-lock-data";
import { StackLock } from "../lock/stack-lock";
import { fleetsOf as tableFleets } from "../routing/validate";
import { ANCHOR_CONDITION, ANCHOR_LISTENER_PORT, allocateAnchorRules } from "./anchor-rules";
import { forwardAction, ruleConstructIds, toAction, toCondition } from "./listener-actions";
import { LoadBalancerSecurityGroup } from "./load-balancer-security-group";
import type { RoutableFleet } from "./routable-fleet";
import { checkRoutedFleets, fleetsOf, tablePath } from "./routed-fleets";
import { ResolvedRouterProps, resolveRouterProps, ROUTER_NAME_SUFFIXES, TrafficRouterProps } from "./traffic-router-props";
import { aliasRecords } from "./dns-alias";
import { listenerCertificateId } from "./listener-certificates";

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
   * Where the table came from, so every error names the field the user wrote: a location
   * (`FieldLocation.file("production.json", "routing")`) or its text form
   * (`"production.json: routing"`). @default - `TrafficRouter "<name>" (<path>) routing table`
   */
  readonly source?: string | FieldLocation;
}

/** Runs `compile`, pointing the fields of its errors at the table's origin. */
function withFieldPrefix<T>(location: FieldLocation, compile: () => T): T {
  try {
    return compile();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(error.violations.map((v) => ({ ...v, field: location.field(v.field) })));
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
  /** The HTTPS listener's certificates besides the default one (SNI), by certificate ARN. */
  readonly listenerCertificates: ReadonlyMap<string, LbListenerCertificate>;
  /** The association with `webAclArn`, when given. */
  readonly webAclAssociation?: Wafv2WebAclAssociation;
  /** The Route 53 alias records of `dnsAliases` (A, and AAAA when dual-stack). */
  readonly aliasRecords: readonly Route53Record[];
  /** Tags applied to every resource of the router, as written to Terraform (`${` and `%{` escaped). */
  readonly tags: Readonly<Record<string, string>>;

  private readonly trafficListener: LbListener;
  private routing?: CompiledRouting<RoutableFleet>;
  private readonly ruleResources = new Map<string, LbListenerRule>();
  private readonly anchorResources = new Map<string, LbListenerRule>();
  /** Fleets created with `loadBalancer: this`, in creation order: each gets an anchor rule. */
  private readonly attachedFleets: RoutableFleet[] = [];
  /** The stack lock that keeps rule priorities across synths; undefined without `lockFile`. */
  private readonly lock?: StackLock;

  constructor(scope: Construct, id: string, props: TrafficRouterProps) {
    super(scope, id);
    // Validate everything before creating a single resource: bad input writes no Terraform.
    const router = resolveRouterProps(props, props.source ?? `TrafficRouter "${props.name}" (${this.node.path})`);
    this.settings = router;
    this.qualifiedName = router.qualifiedName;
    // Read (and checked) before any resource exists: a broken lock file writes no Terraform.
    this.lock = props.lockFile === undefined ? undefined : StackLock.open(this, props.lockFile);
    if (!this.lock) {
      Annotations.of(this).addWarning(
        `TrafficRouter "${router.name}" has no lockFile: listener-rule priorities are allocated afresh on every synth, so an edit ` +
          "to the routing table may move unrelated rules (a noisy plan, and PriorityInUse errors while rules swap numbers). " +
          'Fix: pass lockFile (e.g. "web.lock.json" beside your code) and commit it.',
      );
    }
    // Tags are the user's text: escaped once, here, so Terraform never evaluates them.
    const tags = terraformLiteralMap({ ...router.tags, Router: router.name, ManagedBy: "cdktf-app-fleets" });
    this.tags = tags;
    const q = router.qualifiedName;

    for (const warning of router.warnings) Annotations.of(this).addWarning(`TrafficRouter "${router.name}": ${warning}`);
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
        // The account, from the security group's ARN (arn:<partition>:ec2:<region>:<account>:security-group/<id>):
        // no data.aws_caller_identity, which would call STS at plan time.
        accountId: Fn.element(Fn.split(":", this.securityGroup.securityGroup.arn), 4),
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
      ipAddressType: router.ipAddressType,
      enableHttp2: router.http2Enabled,
      enableDeletionProtection: router.deletionProtection,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: router.desyncMitigationMode,
      accessLogs: { bucket: logBucketName, prefix: logs.prefix, enabled: true },
      dependsOn: logDependencies.length > 0 ? logDependencies : undefined,
      tags: { ...tags, Name: router.loadBalancerName },
    });
    if (!router.deletionProtection) {
      // Protection is on by default; off is how a load balancer is removed on purpose (AWS refuses to
      // delete a protected one, and `cdktf destroy` synthesizes first): excuse the pack's finding.
      PolicySuppressions.add(this.loadBalancer, [
        {
          id: "APF-LB-DELETION-PROTECTION",
          reason: "deletionProtection: false was set explicitly, to remove the load balancer in the next destroy",
        },
      ]);
    }

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
        router.httpOnly ? UNROUTED_ACTION : { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
      ],
      tags,
    });
    this.trafficListener = this.httpsListener ?? this.httpListener;

    // SNI: each further certificate on the HTTPS listener, its construct ID from its ARN.
    const certificates = new Map<string, LbListenerCertificate>();
    if (this.httpsListener && router.additionalCertificateArns.length > 0) {
      const scope = new Construct(this, "ListenerCertificates");
      for (const arn of router.additionalCertificateArns) {
        certificates.set(
          arn,
          new LbListenerCertificate(scope, listenerCertificateId(arn), { listenerArn: this.httpsListener.arn, certificateArn: arn }),
        );
      }
    }
    this.listenerCertificates = certificates;

    if (router.webAclArn !== undefined) {
      this.webAclAssociation = new Wafv2WebAclAssociation(this, "WebAcl", {
        resourceArn: this.loadBalancer.arn,
        webAclArn: router.webAclArn,
      });
    }

    const records = aliasRecords(router.dnsAliases, router.ipAddressType === "dualstack");
    const dns = records.length > 0 ? new Construct(this, "Dns") : undefined;
    this.aliasRecords = records.map(
      (record) =>
        new Route53Record(dns!, record.id, {
          zoneId: record.zoneId,
          name: record.name,
          type: record.type,
          // Alias records follow the load balancer's addresses; evaluating target health lets
          // Route 53 fail over when every target behind it is unhealthy.
          alias: { name: this.loadBalancer.dnsName, zoneId: this.loadBalancer.zoneId, evaluateTargetHealth: true },
          allowOverwrite: false,
        }),
    );
    // HTTPS with the router's certificate and TLS policy, although no client reaches it: scanners
    // that want every listener of a public load balancer on HTTPS (checkov CKV_AWS_2, CKV2_AWS_20)
    // accept it as it is. Plain HTTP only in HTTP-only demo mode, which has no certificate.
    this.anchorListener = new LbListener(this, "AnchorListener", {
      loadBalancerArn: this.loadBalancer.arn,
      port: ANCHOR_LISTENER_PORT,
      ...(router.httpOnly
        ? { protocol: "HTTP" }
        : { protocol: "HTTPS", sslPolicy: router.sslPolicy, certificateArn: router.certificateArn }),
      defaultAction: [
        { type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "not found", statusCode: "404" } },
      ],
      tags,
    });
    if (router.httpOnly) {
      PolicySuppressions.add(this.anchorListener, [{ id: "APF-HTTP-REDIRECT-ONLY", reason: ANCHOR_SUPPRESSION_REASON }]);
    }

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
    const source = options.source ?? `${where} routing table`;
    const location = typeof source === "string" ? FieldLocation.parse(source) : source;
    const previous = this.lock?.routerLock(this.settings.name) ?? EMPTY_ROUTER_LOCK;
    const compiled = withFieldPrefix(location, () =>
      compileRouting(table, {
        lock: previous.trafficRules,
        limits: { maxRulesPerLoadBalancer: this.settings.maxRulesPerLoadBalancer },
        // One anchor rule per fleet (routed or only attached) shares the load balancer's rule quota.
        extraRules: new Set([...tableFleets(table), ...this.attachedFleets]).size,
        extraRulesLabel: "anchor rules, one per fleet",
      }),
    );
    const routed = fleetsOf(compiled);
    // Fleets attached but named by no rule still get an anchor: their target group must be attached.
    const fleets = [...routed, ...this.attachedFleets.filter((f) => !routed.includes(f))];
    checkRoutedFleets({
      compiled,
      extraRules: fleets.length,
      maxRulesPerLoadBalancer: this.settings.maxRulesPerLoadBalancer,
      listener: { https: !this.settings.httpOnly, http2Enabled: this.settings.http2Enabled },
      where,
      field: options.source === undefined ? undefined : (part) => location.field(tablePath(part, table)),
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
    const anchorRules = allocateAnchorRules(
      fleets.map((f) => f.name),
      previous.anchorRules,
    );
    const anchorPriority = anchorRules.priorities;
    this.lock?.recordRouter(this.settings.name, { trafficRules: compiled.lock, anchorRules: anchorRules.lock });

    const anchors = new Construct(this, "Anchors");
    if (this.settings.httpOnly) PolicySuppressions.add(anchors, [{ id: "APF-HTTP-REDIRECT-ONLY", reason: ANCHOR_SUPPRESSION_REASON }]);
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
        tags: { ...this.tags, Route: terraformLiteral(rule.source), RuleKind: rule.kind },
      });
      this.ruleResources.set(rule.key, resource);
    }

    if (table.overrideHeader && !table.overrideHeader.sourceIps?.length) {
      Annotations.of(this).addWarning(
        `TrafficRouter "${this.settings.name}": override header ${table.overrideHeader.name} applies from any source address, so anyone ` +
          "who sends it picks the backend (the idle color, an unreleased version). Fix: set overrideHeader.sourceIps to your staff networks.",
      );
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

  /**
   * Registers a fleet created behind this router (`AppServerGroup` calls it with
   * `loadBalancer: router`), so `setRoutingTable` gives it an anchor rule and opens the load
   * balancer's egress to it even when no rule routes to it: its target group is attached, its
   * health checks run and its Auto Scaling group's `wait_for_elb_capacity` can be met.
   * @throws ConfigError when the routing table is already set
   */
  attachFleet(fleet: RoutableFleet): void {
    if (this.attachedFleets.includes(fleet)) return;
    if (this.routing) {
      throw new ConfigError([
        {
          field: `TrafficRouter "${this.settings.name}" (${this.node.path}) fleets`,
          value: fleet.name,
          limit: "a fleet is created before setRoutingTable: its anchor rule, which attaches its target group, is created with the table",
          fix: "create every fleet with loadBalancer: router first, then call router.setRoutingTable(...)",
        },
      ]);
    }
    const sameName = this.attachedFleets.find((f) => f.name === fleet.name);
    if (sameName) {
      throw new ConfigError([
        {
          field: `TrafficRouter "${this.settings.name}" (${this.node.path}) fleets`,
          value: fleet.name,
          limit:
            "two different fleets have this name; names are unique behind one load balancer (they key the anchor rules, the routing and the metrics)",
          fix: `rename one fleet: two fleets named "${fleet.name}" use this router`,
        },
      ]);
    }
    this.attachedFleets.push(fleet);
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
