/**
 * Drift of a listener: every difference between the rules compiled from the configuration and
 * the rules the load balancer really has (a rule edited by hand in the console, a rule deleted
 * or added outside Terraform, a different weight, a moved priority).
 *
 * Rules are matched by priority, which the compiler keeps stable (PRIORITIES.md). Conditions and
 * values are compared as sets (AWS may return them in another order); weights exactly (9:1 and
 * 18:2 send the same shares but are not what the configuration says); fleets by name (the target
 * group's `Fleet` tag). Pure: see read-live.ts for reading the live side.
 */
import { redirectTo } from "../router/listener-actions";
import { describeCondition } from "../routing/describe";
import type { CompiledAction, CompiledCondition, CompiledRouting, CompiledRule, RouteTarget } from "../routing/types";
import { splitForwardWeights } from "../router/forward-weights";
import type { RoutableFleet } from "../router/routable-fleet";
import { CANARY_SUFFIX, LiveRouting, LiveRule, redirectUrl } from "./live-routing";

export type RoutingDifferenceKind =
  "missing-rule" | "unexpected-rule" | "moved-rule" | "conditions" | "action" | "default-action" | "unsupported";

export interface RoutingDifference {
  readonly kind: RoutingDifferenceKind;
  /** The rule's priority in the configuration (for an unexpected rule: on the listener). */
  readonly priority?: number;
  /** Where a moved rule sits on the listener. */
  readonly livePriority?: number;
  /** What the configuration says, in words (absent for an unexpected rule). */
  readonly expected?: string;
  /** What the listener has (absent for a missing rule). */
  readonly live?: string;
  /** One line naming the rule, what differs and both values. */
  readonly message: string;
}

function sortedText(values: readonly string[]): string[] {
  return [...values].sort((a, b) => a.localeCompare(b));
}

/** A condition with its values in a canonical order (and the header name in lower case, as ALB compares it). */
function canonicalCondition(c: CompiledCondition): CompiledCondition {
  switch (c.type) {
    case "http-header":
      return { ...c, name: c.name.toLowerCase(), values: sortedText(c.values) };
    case "query-string":
      return { ...c, values: [...c.values].sort((a, b) => `${a.key ?? ""}=${a.value}`.localeCompare(`${b.key ?? ""}=${b.value}`)) };
    default:
      return { ...c, values: sortedText(c.values) } as CompiledCondition;
  }
}

/** The conditions of a rule, in words, independent of the order AWS lists them in. */
export function describeConditions(conditions: readonly CompiledCondition[]): string {
  if (conditions.length === 0) return "(no condition)";
  return sortedText(conditions.map((c) => describeCondition(canonicalCondition(c)))).join(" AND ");
}

/**
 * An action in words, exact: a forward lists each fleet's weight (not a percentage), a redirect
 * the URL as the listener stores it (the configuration's URL goes through the same translation
 * the router uses to create the rule, listener-actions.ts).
 */
export function describeAction(action: CompiledAction<RouteTarget>): string {
  switch (action.type) {
    case "forward": {
      const targets = [...action.targets]
        .sort((a, b) => a.fleet.name.localeCompare(b.fleet.name))
        .map((t) => `${t.fleet.name}=${t.weight}`);
      return `forward ${targets.join(", ")}${action.groupStickinessSeconds ? ` (sticky ${action.groupStickinessSeconds}s)` : ""}`;
    }
    case "fixed-response":
      return `fixed-response ${action.statusCode} ${action.contentType} ${JSON.stringify(action.body)}`;
    case "redirect":
      return `redirect ${action.statusCode} ${action.url}`;
  }
}

/**
 * The configuration's action as the listener stores it: a redirect URL split into the parts the
 * router sends (listener-actions.ts `redirectTo`, the one home of that translation) and rebuilt.
 */
function deployedForm(action: CompiledAction<RouteTarget>): CompiledAction<RouteTarget> {
  // A fleet with a canary forwards to its own target group and the canary's (forward-weights.ts),
  // which the live side names "<fleet> canary" (a target group tagged Canary, live-routing.ts).
  if (action.type === "forward") {
    const groupsOf = (fleet: RouteTarget) => {
      const groups = (fleet as Partial<RoutableFleet>).forwardTargetGroups ?? [];
      return groups.length < 2
        ? [{ key: fleet, sharePercent: 100 }]
        : groups.map((g, i) => ({ key: i === 0 ? fleet : { name: `${fleet.name} ${CANARY_SUFFIX}` }, sharePercent: g.sharePercent }));
    };
    return {
      ...action,
      targets: splitForwardWeights(action.targets.map((t) => ({ weight: t.weight, groups: groupsOf(t.fleet) }))).map((g) => ({
        fleet: g.key,
        weight: g.weight,
      })),
    };
  }
  if (action.type !== "redirect") return action;
  const wire = redirectTo(action.url, action.statusCode, action.keepQueryString === true);
  return { ...action, url: redirectUrl({ Protocol: wire.protocol, Host: wire.host, Port: wire.port, Path: wire.path, Query: wire.query }) };
}

function ruleName(rule: CompiledRule<RouteTarget>): string {
  return `rule ${rule.priority} (${rule.kind} ${JSON.stringify(rule.source)})`;
}

function liveRuleName(rule: LiveRule): string {
  return rule.tags.Route
    ? `rule ${rule.priority} (${rule.kind} ${JSON.stringify(rule.source)})`
    : `rule ${rule.priority} (untagged: not created by this library)`;
}

function summary(conditions: string, action: string): string {
  return `${conditions} -> ${action}`;
}

/** Every difference between the compiled table and the live listener, in priority order. */
export function compareRouting(expected: CompiledRouting<RouteTarget>, live: LiveRouting): RoutingDifference[] {
  const differences: RoutingDifference[] = [];
  const liveByPriority = new Map(live.rules.map((r) => [r.priority, r]));
  const expectedPriorities = new Set(expected.rules.map((r) => r.priority));
  const missing: CompiledRule<RouteTarget>[] = [];

  for (const rule of expected.rules) {
    const found = liveByPriority.get(rule.priority);
    if (!found) {
      missing.push(rule);
      continue;
    }
    const wantConditions = describeConditions(rule.conditions);
    const haveConditions = describeConditions(found.conditions);
    if (wantConditions !== haveConditions) {
      differences.push({
        kind: "conditions",
        priority: rule.priority,
        expected: wantConditions,
        live: haveConditions,
        message: `${ruleName(rule)}: conditions differ: expected ${wantConditions}, live ${haveConditions}`,
      });
    }
    const wantAction = describeAction(deployedForm(rule.action));
    const haveAction = describeAction(found.action);
    if (wantAction !== haveAction) {
      differences.push({
        kind: "action",
        priority: rule.priority,
        expected: wantAction,
        live: haveAction,
        message: `${ruleName(rule)}: action differs: expected ${wantAction}, live ${haveAction}`,
      });
    }
  }

  const unexpected = live.rules.filter((r) => !expectedPriorities.has(r.priority));
  // A rule whose priority was edited by hand shows up as one missing and one unexpected rule with
  // the same conditions and action: report it once, as moved.
  for (const rule of missing) {
    const want = summary(describeConditions(rule.conditions), describeAction(deployedForm(rule.action)));
    const movedTo = unexpected.findIndex((u) => summary(describeConditions(u.conditions), describeAction(u.action)) === want);
    if (movedTo >= 0) {
      const [moved] = unexpected.splice(movedTo, 1);
      differences.push({
        kind: "moved-rule",
        priority: rule.priority,
        livePriority: moved.priority,
        expected: want,
        live: want,
        message: `${ruleName(rule)}: is at priority ${moved.priority} on the listener instead of ${rule.priority} (${want})`,
      });
    } else {
      differences.push({
        kind: "missing-rule",
        priority: rule.priority,
        expected: want,
        message: `${ruleName(rule)}: missing from the listener (expected ${want})`,
      });
    }
  }
  for (const rule of unexpected) {
    const have = summary(describeConditions(rule.conditions), describeAction(rule.action));
    differences.push({
      kind: "unexpected-rule",
      priority: rule.priority,
      live: have,
      message: `${liveRuleName(rule)}: on the listener but not in the configuration (${have})`,
    });
  }
  for (const rule of live.rules.filter((r) => r.unsupported.length > 0)) {
    differences.push({
      kind: "unsupported",
      priority: rule.priority,
      live: rule.unsupported.join("; "),
      message: `${liveRuleName(rule)}: has what this library never creates: ${rule.unsupported.join("; ")}`,
    });
  }

  const wantDefault = describeAction(deployedForm(expected.defaultAction));
  const haveDefault = describeAction(live.defaultAction);
  if (wantDefault !== haveDefault || live.defaultUnsupported.length > 0) {
    differences.push({
      kind: "default-action",
      expected: wantDefault,
      live: haveDefault,
      message: `default action differs: expected ${wantDefault}, live ${haveDefault}${live.defaultUnsupported.length ? ` (also ${live.defaultUnsupported.join("; ")})` : ""}`,
    });
  }
  return differences.sort((a, b) => (a.priority ?? Number.MAX_SAFE_INTEGER) - (b.priority ?? Number.MAX_SAFE_INTEGER));
}
