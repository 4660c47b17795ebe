/**
 * Reads a load balancer's listener rules from AWS with the AWS SDK for JavaScript v3 (ELBv2
 * client), for `app-fleets explain --live` and `app-fleets drift`. The SDK is an optional
 * dependency, loaded here on first use only: nothing else in the library needs it.
 *
 * Credentials, region and endpoint come from the usual environment (AWS_PROFILE or
 * AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL for an emulator), as for
 * the AWS CLI. Calls: DescribeLoadBalancers, DescribeListeners, DescribeRules, DescribeTargetGroups
 * and DescribeTags, all read-only (the `elasticloadbalancing:Describe*` permissions).
 */
import { chunk } from "../core/chunk";
import { ApiAction, ApiRule, liveRoutingFromApi, LiveRouting } from "./live-routing";

/** The optional dependency that talks to AWS. */
export const ELBV2_SDK_PACKAGE = "@aws-sdk/client-elastic-load-balancing-v2";

/** DescribeTags takes at most 20 resource ARNs per call (API reference, DescribeTags). */
const TAGS_PER_CALL = 20;
/** DescribeRules returns at most 400 rules per page (API reference, DescribeRules PageSize). */
const RULES_PER_PAGE = 400;

export interface LiveTarget {
  /** The load balancer's name, e.g. "staging-web-alb". Give this or `loadBalancerArn`. */
  readonly loadBalancerName?: string;
  readonly loadBalancerArn?: string;
  /** Port of the listener that carries traffic. @default 443 if the load balancer has it, else 80 */
  readonly port?: number;
  /** @default - the SDK's: AWS_REGION, then the shared config */
  readonly region?: string;
  /** API endpoint, e.g. an emulator's "http://127.0.0.1:5000". @default - the SDK's: AWS_ENDPOINT_URL, else AWS */
  readonly endpoint?: string;
  /** @default - the SDK's default credential chain (environment, profile, SSO, instance role) */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
}

type ElbV2Sdk = typeof import("@aws-sdk/client-elastic-load-balancing-v2");

/** A failure this module explained already: passed on as it is. */
class LiveReadError extends Error {}

let loaded: ElbV2Sdk | undefined;

/** Loads the SDK, or throws a message that says how to install it. */
export function loadElbV2Sdk(): ElbV2Sdk {
  if (loaded) return loaded;
  // The pinned SDK runs on Node.js 20; its notice that releases after January 2027 will need 22
  // concerns upgrades of the dependency, not this command's user. A user who sets the variable wins.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(ELBV2_SDK_PACKAGE) as ElbV2Sdk;
    return loaded;
  } catch (error) {
    throw new LiveReadError(
      `reading live listener rules needs ${ELBV2_SDK_PACKAGE}, an optional dependency of cdktf-app-fleets that is not installed ` +
        `(${(error as Error).message.split("\n")[0]}). Fix: npm install ${ELBV2_SDK_PACKAGE}`,
    );
  }
}

function where(target: LiveTarget, region: string | undefined): string {
  const name = target.loadBalancerName ? `load balancer "${target.loadBalancerName}"` : `load balancer ${target.loadBalancerArn}`;
  const endpoint = target.endpoint ?? process.env.AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2 ?? process.env.AWS_ENDPOINT_URL;
  return `${name} in ${region ?? process.env.AWS_REGION ?? "the default region"}${endpoint ? ` (endpoint ${endpoint})` : ""}`;
}

/** Turns SDK failures into one actionable line. */
function explainFailure(error: unknown, target: LiveTarget, region: string | undefined): LiveReadError {
  const e = error as { name?: string; message?: string };
  const subject = where(target, region);
  if (e.name === "LoadBalancerNotFoundException") {
    return new LiveReadError(
      `${subject} does not exist. Fix: check the name (app-fleets prints it as <environment>-web-alb) and the region`,
    );
  }
  if (e.name === "CredentialsProviderError" || /credential/i.test(e.message ?? "")) {
    return new LiveReadError(
      `no AWS credentials to read ${subject}: ${e.message}. Fix: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
    );
  }
  return new LiveReadError(`reading ${subject} failed: ${e.name ? `${e.name}: ` : ""}${e.message ?? String(error)}`);
}

/** Reads the traffic listener's rules and default action, with the fleets their target groups belong to. */
export async function readLiveRouting(target: LiveTarget): Promise<LiveRouting> {
  if (!target.loadBalancerName && !target.loadBalancerArn) {
    throw new LiveReadError("readLiveRouting needs loadBalancerName or loadBalancerArn");
  }
  const sdk = loadElbV2Sdk();
  const client = new sdk.ElasticLoadBalancingV2Client({
    ...(target.region ? { region: target.region } : {}),
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    ...(target.credentials ? { credentials: { ...target.credentials } } : {}),
  });
  try {
    const balancers = await client.send(
      new sdk.DescribeLoadBalancersCommand(
        target.loadBalancerArn ? { LoadBalancerArns: [target.loadBalancerArn] } : { Names: [target.loadBalancerName!] },
      ),
    );
    const loadBalancerArn = balancers.LoadBalancers?.[0]?.LoadBalancerArn;
    if (!loadBalancerArn) throw Object.assign(new Error("not found"), { name: "LoadBalancerNotFoundException" });

    const listeners = (await client.send(new sdk.DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn }))).Listeners ?? [];
    const ports = listeners.map((l) => l.Port);
    const port = target.port ?? (ports.includes(443) ? 443 : 80);
    const listener = listeners.find((l) => l.Port === port);
    if (!listener?.ListenerArn) {
      throw new LiveReadError(
        `${where(target, target.region)} has no listener on port ${port} (listeners: ${ports.join(", ") || "none"}). Fix: pass the traffic port`,
      );
    }

    const rules: ApiRule[] = [];
    let marker: string | undefined;
    do {
      const page = await client.send(
        new sdk.DescribeRulesCommand({ ListenerArn: listener.ListenerArn, PageSize: RULES_PER_PAGE, Marker: marker }),
      );
      rules.push(...((page.Rules ?? []) as ApiRule[]));
      marker = page.NextMarker;
    } while (marker);

    const actions: ApiAction[] = [...((listener.DefaultActions ?? []) as ApiAction[]), ...rules.flatMap((r) => r.Actions ?? [])];
    const groupArns = [
      ...new Set(
        actions.flatMap((a) => [
          ...(a.TargetGroupArn ? [a.TargetGroupArn] : []),
          ...(a.ForwardConfig?.TargetGroups ?? []).flatMap((g) => (g.TargetGroupArn ? [g.TargetGroupArn] : [])),
        ]),
      ),
    ];
    const names = new Map<string, string>();
    for (const batch of chunk(groupArns, RULES_PER_PAGE)) {
      const groups = await client.send(new sdk.DescribeTargetGroupsCommand({ TargetGroupArns: batch }));
      for (const g of groups.TargetGroups ?? []) if (g.TargetGroupArn) names.set(g.TargetGroupArn, g.TargetGroupName ?? "");
    }
    const tags = new Map<string, Record<string, string>>();
    const ruleArns = rules.filter((r) => !r.IsDefault && r.RuleArn).map((r) => r.RuleArn!);
    for (const batch of chunk([...groupArns, ...ruleArns], TAGS_PER_CALL)) {
      const described = await client.send(new sdk.DescribeTagsCommand({ ResourceArns: batch }));
      for (const d of described.TagDescriptions ?? []) {
        tags.set(d.ResourceArn ?? "", Object.fromEntries((d.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""])));
      }
    }

    return liveRoutingFromApi({
      loadBalancerArn,
      listenerArn: listener.ListenerArn,
      port,
      rules,
      defaultActions: listener.DefaultActions as ApiAction[] | undefined,
      targetGroups: new Map(groupArns.map((arn) => [arn, { name: names.get(arn), tags: tags.get(arn) ?? {} }])),
      ruleTags: new Map(ruleArns.map((arn) => [arn, tags.get(arn) ?? {}])),
    });
  } catch (error) {
    throw error instanceof LiveReadError ? error : explainFailure(error, target, target.region);
  } finally {
    client.destroy();
  }
}
