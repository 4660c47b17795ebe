/**
 * A listener's rules as AWS reports them (DescribeRules), turned into the compiled-rule shape of
 * lib/routing, so `explain` can evaluate a request against what is really deployed and the result
 * can be compared with the table compiled from the configuration (compare.ts).
 *
 * Pure: input is plain data in the shapes of the ELBv2 API (`Rule`, `Action`, `RuleCondition`,
 * see https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Rule.html); reading
 * it from AWS is read-live.ts. Anything this library never emits (regex conditions, transforms,
 * authentication actions) is kept as a note on the rule, never silently dropped.
 */
import type { CompiledAction, CompiledCondition, CompiledRouting, CompiledRule, RouteTarget, RuleKind } from "../routing/types";

/** A fleet as the load balancer knows it: a target group, named by its `Fleet` tag (else its name). */
export interface LiveFleet extends RouteTarget {
  readonly targetGroupArn: string;
  readonly targetGroupName?: string;
}

/** One live listener rule in the compiled-rule shape, plus what AWS adds. */
export interface LiveRule extends CompiledRule<LiveFleet> {
  readonly ruleArn: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Parts of the rule this library does not model (regex values, transforms, extra actions). */
  readonly unsupported: readonly string[];
  /** Whether `explain` can decide if a request matches: false when a condition could not be read (e.g. a regex). */
  readonly evaluable: boolean;
}

/** The live routing of one listener. */
export interface LiveRouting {
  readonly loadBalancerArn: string;
  readonly listenerArn: string;
  readonly port: number;
  /** Sorted by priority. */
  readonly rules: readonly LiveRule[];
  /** The listener's default action: a forward in a routed stack, anything in a foreign one. */
  readonly defaultAction: CompiledAction<LiveFleet>;
  /** Parts of the default action this library does not model. */
  readonly defaultUnsupported: readonly string[];
  /** Every fleet the rules and the default action forward to, in first-mention order. */
  readonly fleets: readonly LiveFleet[];
}

// ---- the API shapes read here (a structural subset of @aws-sdk/client-elastic-load-balancing-v2) ----

export interface ApiValues {
  readonly Values?: readonly string[];
  readonly RegexValues?: readonly string[];
}

export interface ApiRuleCondition {
  readonly Field?: string;
  readonly Values?: readonly string[];
  readonly RegexValues?: readonly string[];
  readonly HostHeaderConfig?: ApiValues;
  readonly PathPatternConfig?: ApiValues;
  readonly HttpHeaderConfig?: ApiValues & { readonly HttpHeaderName?: string };
  readonly QueryStringConfig?: { readonly Values?: readonly { readonly Key?: string; readonly Value?: string }[] };
  readonly HttpRequestMethodConfig?: { readonly Values?: readonly string[] };
  readonly SourceIpConfig?: { readonly Values?: readonly string[] };
}

export interface ApiAction {
  readonly Type?: string;
  readonly Order?: number;
  readonly TargetGroupArn?: string;
  readonly ForwardConfig?: {
    readonly TargetGroups?: readonly { readonly TargetGroupArn?: string; readonly Weight?: number }[];
    readonly TargetGroupStickinessConfig?: { readonly Enabled?: boolean; readonly DurationSeconds?: number };
  };
  readonly FixedResponseConfig?: { readonly StatusCode?: string; readonly ContentType?: string; readonly MessageBody?: string };
  readonly RedirectConfig?: {
    readonly Protocol?: string;
    readonly Host?: string;
    readonly Port?: string;
    readonly Path?: string;
    readonly Query?: string;
    readonly StatusCode?: string;
  };
}

export interface ApiRule {
  readonly RuleArn?: string;
  readonly Priority?: string;
  readonly IsDefault?: boolean;
  readonly Conditions?: readonly ApiRuleCondition[];
  readonly Actions?: readonly ApiAction[];
  readonly Transforms?: readonly unknown[];
}

/** What read-live.ts gathered: rules (default included), and the target groups they name. */
export interface LiveRoutingInput {
  readonly loadBalancerArn: string;
  readonly listenerArn: string;
  readonly port: number;
  readonly rules: readonly ApiRule[];
  /** The listener's default actions (DescribeListeners); used when the rules lack the default one. */
  readonly defaultActions?: readonly ApiAction[];
  /** Target group ARN to its name and tags. */
  readonly targetGroups: ReadonlyMap<string, { readonly name?: string; readonly tags: Readonly<Record<string, string>> }>;
  /** Rule ARN to its tags. @default - no tags */
  readonly ruleTags?: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

/** Tag on a target group naming its fleet (set by AppServerGroup). */
export const FLEET_TAG = "Fleet";
/** Tag on a canary's target group (set by CanaryFleet); the live side names it "<fleet> canary". */
export const CANARY_TAG = "Canary";
export const CANARY_SUFFIX = "canary";
/** Tags on a listener rule naming the route it came from and its precedence band (set by TrafficRouter). */
export const ROUTE_TAG = "Route";
export const RULE_KIND_TAG = "RuleKind";

const RULE_KINDS: readonly RuleKind[] = ["maintenance", "override-header", "host-pin", "route"];

function values(config: ApiValues | undefined, legacy: readonly string[] | undefined): string[] {
  return [...(config?.Values ?? legacy ?? [])];
}

/** One API condition as a compiled condition, or a note when it uses what the compiler never emits. */
export function conditionFromApi(c: ApiRuleCondition): { condition?: CompiledCondition; unsupported?: string } {
  const regex = [
    ...(c.RegexValues ?? []),
    ...(c.HostHeaderConfig?.RegexValues ?? []),
    ...(c.PathPatternConfig?.RegexValues ?? []),
    ...(c.HttpHeaderConfig?.RegexValues ?? []),
  ];
  if (regex.length > 0) return { unsupported: `${c.Field} regex condition ${JSON.stringify(regex)}` };
  switch (c.Field) {
    case "path-pattern":
      return { condition: { type: "path-pattern", values: values(c.PathPatternConfig, c.Values) } };
    case "host-header":
      return { condition: { type: "host-header", values: values(c.HostHeaderConfig, c.Values) } };
    case "http-header":
      return {
        condition: { type: "http-header", name: c.HttpHeaderConfig?.HttpHeaderName ?? "", values: values(c.HttpHeaderConfig, undefined) },
      };
    case "query-string":
      return {
        condition: {
          type: "query-string",
          values: (c.QueryStringConfig?.Values ?? []).map((q) =>
            q.Key === undefined || q.Key === null ? { value: q.Value ?? "" } : { key: q.Key, value: q.Value ?? "" },
          ),
        },
      };
    case "http-request-method":
      return { condition: { type: "http-request-method", values: [...(c.HttpRequestMethodConfig?.Values ?? c.Values ?? [])] } };
    case "source-ip":
      return { condition: { type: "source-ip", values: [...(c.SourceIpConfig?.Values ?? c.Values ?? [])] } };
    default:
      return { unsupported: `condition on field ${JSON.stringify(c.Field)}` };
  }
}

/** The URL an ALB redirect sends to, rebuilt from its parts (the form the configuration writes). */
export function redirectUrl(r: NonNullable<ApiAction["RedirectConfig"]>): string {
  const protocol = (r.Protocol ?? "#{protocol}").toLowerCase();
  const defaultPort = (protocol === "https" && r.Port === "443") || (protocol === "http" && r.Port === "80");
  const port = r.Port && !defaultPort ? `:${r.Port}` : "";
  const query = r.Query ? `?${r.Query}` : "";
  return `${protocol}://${r.Host ?? "#{host}"}${port}${r.Path ?? "/#{path}"}${query}`;
}

type FleetLookup = (targetGroupArn: string) => LiveFleet;

/** The action a rule takes: the last one by `Order` (authentication actions come first). */
export function actionFromApi(
  actions: readonly ApiAction[],
  fleet: FleetLookup,
): { action: CompiledAction<LiveFleet>; unsupported: string[] } {
  const ordered = [...actions].sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0));
  const unsupported = ordered.slice(0, -1).map((a) => `${a.Type} action before the last one`);
  const last = ordered[ordered.length - 1];
  if (!last) return { action: { type: "fixed-response", statusCode: 0, contentType: "", body: "" }, unsupported: ["no action"] };
  switch (last.Type) {
    case "forward": {
      const groups = last.ForwardConfig?.TargetGroups?.length
        ? last.ForwardConfig.TargetGroups.map((g) => ({ arn: g.TargetGroupArn ?? "", weight: g.Weight ?? 1 }))
        : [{ arn: last.TargetGroupArn ?? "", weight: 1 }];
      const stickiness = last.ForwardConfig?.TargetGroupStickinessConfig;
      return {
        action: {
          type: "forward",
          targets: groups.map((g) => ({ fleet: fleet(g.arn), weight: g.weight })),
          ...(stickiness?.Enabled ? { groupStickinessSeconds: stickiness.DurationSeconds ?? 0 } : {}),
        },
        unsupported,
      };
    }
    case "fixed-response": {
      const f = last.FixedResponseConfig ?? {};
      return {
        action: { type: "fixed-response", statusCode: Number(f.StatusCode), contentType: f.ContentType ?? "", body: f.MessageBody ?? "" },
        unsupported,
      };
    }
    case "redirect": {
      const r = last.RedirectConfig ?? {};
      return { action: { type: "redirect", url: redirectUrl(r), statusCode: r.StatusCode === "HTTP_301" ? 301 : 302 }, unsupported };
    }
    default:
      return {
        action: { type: "fixed-response", statusCode: 0, contentType: "", body: "" },
        unsupported: [...unsupported, `${last.Type} action`],
      };
  }
}

/** Builds the live routing of a listener from what the API returned. */
export function liveRoutingFromApi(input: LiveRoutingInput): LiveRouting {
  const fleets = new Map<string, LiveFleet>();
  const fleet: FleetLookup = (arn) => {
    const known = fleets.get(arn);
    if (known) return known;
    const group = input.targetGroups.get(arn);
    const created: LiveFleet = {
      name:
        group?.tags[FLEET_TAG] !== undefined
          ? group.tags[CANARY_TAG] === "true"
            ? `${group.tags[FLEET_TAG]} ${CANARY_SUFFIX}`
            : group.tags[FLEET_TAG]
          : (group?.name ?? arn),
      targetGroupArn: arn,
      ...(group?.name ? { targetGroupName: group.name } : {}),
    };
    fleets.set(arn, created);
    return created;
  };

  const rules: LiveRule[] = [];
  let defaultRule: ApiRule | undefined;
  for (const rule of input.rules) {
    if (rule.IsDefault || rule.Priority === "default") {
      defaultRule = rule;
      continue;
    }
    const priority = Number(rule.Priority);
    const tags = input.ruleTags?.get(rule.RuleArn ?? "") ?? {};
    const converted = (rule.Conditions ?? []).map(conditionFromApi);
    const { action, unsupported } = actionFromApi(rule.Actions ?? [], fleet);
    const kindTag = tags[RULE_KIND_TAG] as RuleKind | undefined;
    rules.push({
      key: `live-${priority}`,
      priority,
      kind: kindTag && RULE_KINDS.includes(kindTag) ? kindTag : "route",
      source: tags[ROUTE_TAG] ?? `rule ${priority}`,
      conditions: converted.flatMap((c) => (c.condition ? [c.condition] : [])),
      action,
      receivingFleets: action.type === "forward" ? action.targets.filter((t) => t.weight > 0).map((t) => t.fleet) : [],
      ruleArn: rule.RuleArn ?? "",
      tags,
      evaluable: converted.every((c) => c.condition !== undefined),
      unsupported: [
        ...converted.flatMap((c) => (c.unsupported ? [c.unsupported] : [])),
        ...unsupported,
        ...((rule.Transforms?.length ?? 0) > 0 ? [`${rule.Transforms!.length} transform(s)`] : []),
      ],
    });
  }
  rules.sort((a, b) => a.priority - b.priority);
  const defaults = defaultRule?.Actions ?? input.defaultActions ?? [];
  const converted = actionFromApi(defaults, fleet);
  return {
    loadBalancerArn: input.loadBalancerArn,
    listenerArn: input.listenerArn,
    port: input.port,
    rules,
    defaultAction: converted.action,
    defaultUnsupported: converted.unsupported,
    fleets: [...fleets.values()],
  };
}

/**
 * The live routing as a `CompiledRouting`, for `explain`. A live default action need not be a
 * forward (the compiler only emits forwards there); `explain` handles every action type, so only
 * the static type is widened here. Rules with conditions this library cannot evaluate (regex) are
 * left out: `explain` must not claim a match it cannot decide, and compare.ts reports them.
 */
export function asCompiledRouting(live: LiveRouting): CompiledRouting<LiveFleet> {
  return {
    rules: live.rules.filter((r) => r.evaluable),
    defaultAction: live.defaultAction as Extract<CompiledAction<LiveFleet>, { type: "forward" }>,
    fleets: live.fleets,
  };
}
