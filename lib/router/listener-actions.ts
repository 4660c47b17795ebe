/**
 * Translates compiled rules into the shapes of listener actions and conditions, one-to-one.
 * Pure TypeScript (no cdktf import): the objects are structurally the provider's config types.
 */
import { ConfigError } from "../core/errors";
import { terraformLiteral } from "../core/terraform-literal";
import type { CompiledAction, CompiledCondition } from "../routing/types";
import { splitForwardWeights } from "./forward-weights";
import type { RoutableFleet } from "./routable-fleet";

export interface ForwardConfig {
  readonly targetGroup: { readonly arn: string; readonly weight: number }[];
  readonly stickiness?: { readonly enabled: boolean; readonly duration: number };
}

export interface ActionConfig {
  readonly type: "forward" | "fixed-response" | "redirect";
  readonly forward?: ForwardConfig;
  readonly fixedResponse?: { readonly contentType: string; readonly messageBody: string; readonly statusCode: string };
  readonly redirect?: {
    readonly protocol: string;
    readonly host: string;
    readonly port: string;
    readonly path: string;
    readonly query?: string;
    readonly statusCode: string;
  };
}

export interface ConditionConfig {
  readonly pathPattern?: { readonly values: string[] };
  readonly hostHeader?: { readonly values: string[] };
  readonly httpHeader?: { readonly httpHeaderName: string; readonly values: string[] };
  readonly queryString?: { readonly key?: string; readonly value: string }[];
  readonly httpRequestMethod?: { readonly values: string[] };
  readonly sourceIp?: { readonly values: string[] };
}

/**
 * A weighted forward even for one fleet, so moving from one fleet to a split is an
 * in-place change of weights, never a change of action shape.
 */
export function forwardAction(action: Extract<CompiledAction<RoutableFleet>, { type: "forward" }>): ActionConfig {
  // A fleet with a canary splits its weight between its target group and the canary's (forward-weights.ts).
  const targetGroup = splitForwardWeights(
    action.targets.map((t) => ({
      weight: t.weight,
      groups: (t.fleet.forwardTargetGroups ?? [{ arn: t.fleet.targetGroupArn, sharePercent: 100 }]).map((g) => ({
        key: g.arn,
        sharePercent: g.sharePercent,
      })),
    })),
  ).map((g) => ({ arn: g.key, weight: g.weight }));
  // ALB refuses target stickiness in a forward to several target groups without group stickiness:
  // a fleet whose own target group is sticky keeps a client on its canary or its rest just as long.
  const groupStickinessSeconds =
    action.groupStickinessSeconds ??
    (targetGroup.length > 1
      ? action.targets.find((t) => (t.fleet.forwardTargetGroups?.length ?? 1) > 1 && t.fleet.targetStickinessSeconds !== undefined)?.fleet
          .targetStickinessSeconds
      : undefined);
  return {
    type: "forward",
    forward: {
      targetGroup,
      ...(groupStickinessSeconds === undefined ? {} : { stickiness: { enabled: true, duration: groupStickinessSeconds } }),
    },
  };
}

export function toAction(action: CompiledAction<RoutableFleet>): ActionConfig {
  switch (action.type) {
    case "forward":
      return forwardAction(action);
    case "fixed-response":
      return {
        type: "fixed-response",
        // The user's page: escaped so Terraform never evaluates "${...}" or "%{...}" in it.
        fixedResponse: {
          contentType: action.contentType,
          messageBody: terraformLiteral(action.body),
          statusCode: String(action.statusCode),
        },
      };
    case "redirect": {
      const redirect = redirectTo(action.url, action.statusCode, action.keepQueryString === true);
      return {
        type: "redirect",
        redirect: {
          ...redirect,
          host: terraformLiteral(redirect.host),
          path: terraformLiteral(redirect.path),
          ...(redirect.query === undefined ? {} : { query: terraformLiteral(redirect.query) }),
        },
      };
    }
  }
}

/**
 * ALB redirects take the URL in parts; an absolute URL is split so the target is exactly the one given.
 * The query is always set: left out, the provider sends its default "#{query}" (hashicorp/aws
 * lb_listener_rule schema: `query` Default "#{query}") and ALB copies the client's query string
 * (`/hoge?token=...` -> `https://status.example.com/?token=...`). Empty drops it; "#{query}" keeps it.
 */
export function redirectTo(url: string, statusCode: 301 | 302, keepQueryString: boolean): NonNullable<ActionConfig["redirect"]> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError([
      {
        field: "maintenance.response.url",
        value: url,
        limit: "is not an absolute URL",
        fix: 'give a URL such as "https://status.example.com/"',
      },
    ]);
  }
  const protocol = parsed.protocol.replace(":", "").toUpperCase();
  const query = parsed.search.replace(/^\?/, "");
  return {
    protocol,
    host: parsed.hostname,
    port: parsed.port || (protocol === "HTTPS" ? "443" : "80"),
    path: parsed.pathname || "/",
    query: keepQueryString ? (query ? `${query}&#{query}` : "#{query}") : query,
    statusCode: `HTTP_${statusCode}`,
  };
}

export function toCondition(condition: CompiledCondition): ConditionConfig {
  switch (condition.type) {
    // Every value is the user's text: escaped so Terraform never evaluates "${...}" or "%{...}" in it.
    case "path-pattern":
      return { pathPattern: { values: condition.values.map(terraformLiteral) } };
    case "host-header":
      return { hostHeader: { values: condition.values.map(terraformLiteral) } };
    case "http-header":
      return { httpHeader: { httpHeaderName: terraformLiteral(condition.name), values: condition.values.map(terraformLiteral) } };
    case "query-string":
      return {
        queryString: condition.values.map((q) =>
          q.key === undefined ? { value: terraformLiteral(q.value) } : { key: terraformLiteral(q.key), value: terraformLiteral(q.value) },
        ),
      };
    case "http-request-method":
      return { httpRequestMethod: { values: condition.values.map(terraformLiteral) } };
    case "source-ip":
      return { sourceIp: { values: condition.values.map(terraformLiteral) } };
  }
}

/**
 * A construct ID from a compiled rule key. The key alone decides the Terraform address, so
 * keys must stay distinct after sanitizing; a clash would make two rules share one address.
 */
export function ruleConstructId(key: string): string {
  return key.replace(/[^A-Za-z0-9_-]/g, "-");
}

/** Construct IDs for every key; throws when two keys sanitize to the same ID. */
export function ruleConstructIds(keys: readonly string[], where: string): Map<string, string> {
  const ids = new Map<string, string>();
  const owners = new Map<string, string>();
  const clashes: { key: string; other: string; id: string }[] = [];
  for (const key of keys) {
    const id = ruleConstructId(key);
    const other = owners.get(id);
    if (other !== undefined) clashes.push({ key, other, id });
    owners.set(id, key);
    ids.set(key, id);
  }
  if (clashes.length > 0) {
    throw new ConfigError(
      clashes.map((c) => ({
        field: `${where} rule key`,
        value: c.key,
        limit: `maps to the same Terraform address as rule "${c.other}" (${c.id})`,
        fix: "rename one of the routes so their names differ in letters or digits",
      })),
    );
  }
  return ids;
}
