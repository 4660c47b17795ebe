/**
 * Compiles a routing table into ALB listener rules: precedence bands, stable priorities, quota
 * packing, shadowed-route detection and maintenance mode. Pure: no cdktf import; the
 * TrafficRouter construct turns the result into `aws_lb_listener_rule` resources.
 *
 * Precedence, highest first: maintenance > override header > host pins > routes > default.
 * Within routes, a more specific route wins over a broader one, so a narrow route can send part of
 * a broad one back (`/hoge/*` to rails4, `/hoge/legacy/*` back to rails3). Priorities are derived
 * from each rule alone (its band, its specificity class and a hash of its key), so adding, removing
 * or reordering a route never changes the priority of an unrelated rule. See PRIORITIES.md.
 *
 * Maintenance with bypass: ALB conditions are ANDed and cannot be negated, and a rule cannot say
 * "continue with the next rule". A staff request must behave as if maintenance were off, so:
 * - source-IP bypass: the maintenance rules match the *complement* of the bypass blocks (every IPv4
 *   and IPv6 block outside them), so staff addresses simply do not match them and fall through
 *   to normal routing, with no copy of any rule;
 * - header bypass: a header cannot be complemented, so every normal rule is mirrored above the
 *   maintenance rules with the bypass header as an extra condition, followed by a catch-all that
 *   sends header bearers to the default destination. This costs one rule per normal rule, counted
 *   against the rules quota, and only while maintenance is enabled.
 * Maintenance rules live in priorities 1-1000 and are numbered in order: they exist only during a
 * maintenance window, so their priorities need not be stable.
 */
import { Violations } from "../core/errors";
import { complementCidrs, formatCidr, parseCidr, type Cidr } from "./cidr";
import { rulesCover } from "./conditions";
import { packMatch, valueCount } from "./packing";
import {
  claimProbing,
  hashedSlot,
  hostPinClassRange,
  PRIORITY_BANDS,
  routeClass,
  routeClassRange,
  type PriorityRange,
} from "./priorities";
import { ALB_QUOTAS } from "./quotas";
import type {
  CompiledAction,
  CompiledCondition,
  CompiledRouting,
  CompiledRule,
  Maintenance,
  RouteDestination,
  RouteTarget,
  RoutingLimits,
  RoutingTable,
} from "./types";
import { fleetsOf, isWeightedSplit, validateRoutingTable } from "./validate";
import { wildcardSpecificity } from "./wildcard";

type ForwardAction<F extends RouteTarget> = Extract<CompiledAction<F>, { type: "forward" }>;

function forwardTo<F extends RouteTarget>(d: RouteDestination<F>): ForwardAction<F> {
  if (isWeightedSplit(d)) {
    return { type: "forward", targets: d.weights, ...(d.stickySeconds !== undefined ? { stickySeconds: d.stickySeconds } : {}) };
  }
  return { type: "forward", targets: [{ fleet: d, weight: 1 }] };
}

function receiving<F extends RouteTarget>(action: CompiledAction<F>): F[] {
  return action.type === "forward" ? action.targets.filter((t) => t.weight > 0).map((t) => t.fleet) : [];
}

function rule<F extends RouteTarget>(
  key: string,
  priority: number,
  kind: CompiledRule<F>["kind"],
  source: string,
  conditions: readonly CompiledCondition[],
  action: CompiledAction<F>,
): CompiledRule<F> {
  return { key, priority, kind, source, conditions, action, receivingFleets: receiving(action) };
}

function chunk<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

function overrideRules<F extends RouteTarget>(table: RoutingTable<F>, v: Violations): CompiledRule<F>[] {
  const header = table.overrideHeader;
  if (!header) return [];
  const byFleet = new Map<F, string[]>();
  for (const [value, fleet] of Object.entries(header.values)) byFleet.set(fleet, [...(byFleet.get(fleet) ?? []), value]);
  const taken = new Set<number>();
  const rules: CompiledRule<F>[] = [];
  // Keys sorted so that probing after a hash collision is independent of the table's order.
  const entries = [...byFleet.entries()].sort((a, b) => (a[0].name < b[0].name ? -1 : 1));
  for (const [fleet, values] of entries) {
    chunk(values, ALB_QUOTAS.valuesPerCondition).forEach((vals, i) => {
      const key = `override-${fleet.name}-${i}`;
      const priority = claimProbing(key, PRIORITY_BANDS.overrideHeader, taken);
      if (priority === undefined) {
        v.add("overrideHeader.values", Object.keys(header.values).length, "uses more rules than the override header band (1001-1999) holds", "map fewer values");
        return;
      }
      rules.push(rule(key, priority, "override-header", `override header ${header.name}`, [{ type: "http-header", name: header.name, values: vals }], forwardTo(fleet)));
    });
  }
  return rules;
}

function hostPinRules<F extends RouteTarget>(table: RoutingTable<F>, v: Violations): CompiledRule<F>[] {
  const byFleet = new Map<F, string[]>();
  for (const pin of table.hostPins ?? []) byFleet.set(pin.fleet, [...(byFleet.get(pin.fleet) ?? []), ...pin.hosts]);
  const taken = new Set<number>();
  const rules: CompiledRule<F>[] = [];
  const entries = [...byFleet.entries()].sort((a, b) => (a[0].name < b[0].name ? -1 : 1));
  for (const [fleet, hosts] of entries) {
    // Group by specificity so each rule sits in one class: `a.example.com` before `*.example.com`.
    const groups = new Map<number, string[]>();
    for (const h of new Set(hosts)) {
      const s = wildcardSpecificity(h);
      groups.set(s, [...(groups.get(s) ?? []), h]);
    }
    const packs = [...groups.entries()].sort((a, b) => b[0] - a[0]).flatMap(([, g]) => chunk(g, ALB_QUOTAS.valuesPerCondition));
    packs.forEach((vals, i) => {
      const key = `host-pin-${fleet.name}-${i}`;
      const priority = claimProbing(key, hostPinClassRange(vals[0]), taken);
      if (priority === undefined) {
        v.add(`hostPins (fleet "${fleet.name}")`, vals, "too many host pins of this specificity for the host-pin band", "merge hosts with a wildcard, e.g. \"*.example.com\"");
        return;
      }
      rules.push(rule(key, priority, "host-pin", `host pin ${fleet.name}`, [{ type: "host-header", values: vals }], forwardTo(fleet)));
    });
  }
  return rules;
}

/** First free run of `length` priorities inside `range`, nearest to `near`. */
function freeRun(range: PriorityRange, taken: ReadonlyMap<number, unknown>, near: number, length: number): number | undefined {
  for (let d = 0; d <= range.last - range.first; d++) {
    for (const start of [near + d, near - d]) {
      if (start < range.first || start + length - 1 > range.last) continue;
      let free = true;
      for (let p = start; p < start + length && free; p++) free = !taken.has(p);
      if (free) return start;
    }
  }
  return undefined;
}

function routeRules<F extends RouteTarget>(table: RoutingTable<F>, v: Violations): CompiledRule<F>[] {
  const rules: CompiledRule<F>[] = [];
  const byPriority = new Map<number, CompiledRule<F>>();
  const pending: { rule: CompiledRule<F>; range: PriorityRange; packCount: number; index: number }[] = [];
  (table.routes ?? []).forEach((route, index) => {
    const where = `routes[${index}] "${route.name}"`;
    const result = packMatch(route.match);
    if ("conditionsNeeded" in result) {
      v.add(
        `${where}.match`,
        route.match,
        `needs ${result.conditionsNeeded} conditions, but an ALB rule holds at most ${ALB_QUOTAS.valuesPerRule} condition values (each condition needs at least one)`,
        "split the route into routes with fewer condition kinds or header entries",
      );
      return;
    }
    const action = forwardTo(route.to);
    result.packs.forEach((pack, i) => {
      const key = `route-${route.name}-${i}`;
      const range = routeClassRange(routeClass(pack.pathSpecificity, pack.hasOtherConditions));
      const priority = route.priority !== undefined ? route.priority + i : hashedSlot(key, range);
      const r = rule(key, priority, "route", route.name, pack.conditions, action);
      if (priority > PRIORITY_BANDS.route.last) {
        v.add(`${where}.priority`, route.priority, `gives rule ${i + 1} of ${result.packs.length} priority ${priority}, above ALB's maximum of ${ALB_QUOTAS.maxPriority}`, `lower it to at most ${PRIORITY_BANDS.route.last - result.packs.length + 1}`);
        return;
      }
      pending.push({ rule: r, range, packCount: route.priority !== undefined ? 1 : result.packs.length, index });
    });
  });
  for (const p of pending) {
    const clash = byPriority.get(p.rule.priority);
    if (clash) {
      const suggestion = freeRun(p.range, byPriority, p.rule.priority, p.packCount);
      v.add(
        `routes[${p.index}] "${p.rule.source}" (rule ${p.rule.key})`,
        p.rule.priority,
        `is the same listener-rule priority as route "${clash.source}" (rule ${clash.key}); priorities come from a hash of the rule key and must be unique per listener`,
        `set \`priority: ${suggestion ?? "<a free number in 5000-50000>"}\` on one of the two routes (that number is free and keeps the route's specificity order), or rename it`,
      );
      continue;
    }
    byPriority.set(p.rule.priority, p.rule);
    rules.push(p.rule);
  }
  return rules;
}

function describe(rule: CompiledRule<RouteTarget>): string {
  const what = rule.kind === "route" ? `route "${rule.source}"` : rule.source;
  return `${what} (rule ${rule.key}, priority ${rule.priority})`;
}

/** A rule that an earlier rule covers can never be reached: report both, since one of them is wrong. */
function checkShadowed<F extends RouteTarget>(rules: readonly CompiledRule<F>[], v: Violations): void {
  for (let j = 0; j < rules.length; j++) {
    for (let i = 0; i < j; i++) {
      if (!rulesCover(rules[i].conditions, rules[j].conditions)) continue;
      const narrow = rules[j];
      const broad = rules[i];
      v.add(
        describe(narrow),
        narrow.conditions,
        `can never match: ${describe(broad)} is evaluated first and matches every request it matches`,
        narrow.kind === "route"
          ? `delete route "${narrow.source}" if it is redundant; if it should win, give it \`priority\` below ${broad.priority} or narrow ${broad.kind === "route" ? `route "${broad.source}"` : broad.source}`
          : `narrow ${broad.kind === "route" ? `route "${broad.source}"` : broad.source} or remove the unreachable entry`,
      );
      break;
    }
  }
}

function maintenanceAction<F extends RouteTarget>(m: Maintenance): CompiledAction<F> {
  const r = m.response;
  return r.type === "redirect"
    ? { type: "redirect", url: r.url, statusCode: r.statusCode ?? 302 }
    : { type: "fixed-response", statusCode: r.statusCode ?? 503, contentType: r.contentType ?? "text/html", body: r.body };
}

/** Adds one header condition to a rule, splitting its widest condition while the rule would exceed 5 values. */
function withExtraCondition(conditions: readonly CompiledCondition[], extra: CompiledCondition): CompiledCondition[][] | undefined {
  if (valueCount(conditions) + extra.values.length <= ALB_QUOTAS.valuesPerRule) return [[...conditions, extra]];
  const widest = conditions.reduce((best, c, i) => (c.values.length > conditions[best].values.length ? i : best), 0);
  const c = conditions[widest];
  if (c.values.length < 2) return undefined;
  const half = Math.ceil(c.values.length / 2);
  const parts = [c.values.slice(0, half), c.values.slice(half)].map(
    (values) => conditions.map((x, i) => (i === widest ? ({ ...c, values } as CompiledCondition) : x)),
  );
  const out: CompiledCondition[][] = [];
  for (const part of parts) {
    const split = withExtraCondition(part, extra);
    if (!split) return undefined;
    out.push(...split);
  }
  return out;
}

function maintenanceRules<F extends RouteTarget>(
  table: RoutingTable<F>,
  normal: readonly CompiledRule<F>[],
  v: Violations,
): CompiledRule<F>[] {
  const m = table.maintenance;
  if (!m?.enabled) return [];
  const out: Omit<CompiledRule<F>, "priority">[] = [];
  const header = m.bypass?.header;
  if (header) {
    const extra: CompiledCondition = { type: "http-header", name: header.name, values: [header.value] };
    for (const r of normal) {
      const copies = withExtraCondition(r.conditions, extra);
      if (!copies) {
        v.add(
          "maintenance.bypass.header",
          header.name,
          `cannot be added to ${describe(r)}: it already has ${ALB_QUOTAS.valuesPerRule} single-value conditions and a rule holds ${ALB_QUOTAS.valuesPerRule} values`,
          "bypass by sourceIps instead, or remove a condition from that rule",
        );
        continue;
      }
      copies.forEach((conditions, i) =>
        out.push({
          key: `maintenance-bypass-${r.key}${copies.length > 1 ? `-${i}` : ""}`,
          kind: "maintenance",
          source: `maintenance bypass (${r.kind === "route" ? `route "${r.source}"` : r.source})`,
          conditions,
          action: r.action,
          receivingFleets: r.receivingFleets,
        }),
      );
    }
    const action = forwardTo(table.default);
    out.push({ key: "maintenance-bypass-default", kind: "maintenance", source: "maintenance bypass (default)", conditions: [extra], action, receivingFleets: receiving(action) });
  }
  const action = maintenanceAction<F>(m);
  const bypassIps = (m.bypass?.sourceIps ?? []).map(parseCidr).filter((c): c is Cidr => !("error" in c));
  const matchers: CompiledCondition[][] =
    bypassIps.length > 0
      ? chunk(complementCidrs(bypassIps).map(formatCidr), ALB_QUOTAS.valuesPerCondition).map((values) => [{ type: "source-ip", values }])
      : [[{ type: "path-pattern", values: ["*"] }]];
  matchers.forEach((conditions, i) =>
    out.push({ key: `maintenance-${i}`, kind: "maintenance", source: "maintenance", conditions, action, receivingFleets: [] }),
  );
  const band = PRIORITY_BANDS.maintenance;
  if (out.length > band.last - band.first + 1) {
    v.add("maintenance", out.length, `needs ${out.length} rules, more than the ${band.last} priorities reserved for maintenance`, "bypass by fewer, wider source IP blocks, or by header on a smaller table");
    return [];
  }
  return out.map((r, i) => ({ ...r, priority: band.first + i }));
}

function checkRuleQuota<F extends RouteTarget>(rules: readonly CompiledRule<F>[], limits: RoutingLimits, v: Violations): void {
  const max = limits.maxRulesPerLoadBalancer ?? ALB_QUOTAS.rulesPerLoadBalancer;
  if (!Number.isInteger(max) || max < 1) {
    v.add("limits.maxRulesPerLoadBalancer", max, "must be a positive integer", `omit it for the default of ${ALB_QUOTAS.rulesPerLoadBalancer}, or set your raised quota`);
    return;
  }
  if (rules.length <= max) return;
  const bySource = new Map<string, number>();
  for (const r of rules) {
    const label = r.kind === "route" ? `route "${r.source}"` : r.kind;
    bySource.set(label, (bySource.get(label) ?? 0) + 1);
  }
  const largest = [...bySource.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([s, n]) => `${s}: ${n}`).join(", ");
  v.add(
    "routes",
    `${rules.length} listener rules (largest: ${largest})`,
    `exceeds the quota of ${max} rules per load balancer (ALB "Rules per Application Load Balancer"${limits.maxRulesPerLoadBalancer === undefined ? ", default 100" : ""})`,
    "merge routes with the same destination, use fewer path patterns (a shorter prefix with `*`), or raise the quota in Service Quotas and set limits.maxRulesPerLoadBalancer",
  );
}

/**
 * Compiles a routing table into listener rules sorted by priority.
 * @throws ConfigError (every violation at once) when the table breaks an ALB rule or quota, a route
 *   can never match, or two rules would share a priority.
 */
export function compileRouting<F extends RouteTarget>(table: RoutingTable<F>, limits: RoutingLimits = {}): CompiledRouting<F> {
  const v = validateRoutingTable(table);
  v.throwIfAny();
  const normal = [...overrideRules(table, v), ...hostPinRules(table, v), ...routeRules(table, v)].sort((a, b) => a.priority - b.priority);
  checkShadowed(normal, v);
  const maintenance = maintenanceRules(table, normal, v);
  const rules = [...maintenance, ...normal];
  checkRuleQuota(rules, limits, v);
  v.throwIfAny();
  return { rules, defaultAction: forwardTo(table.default), fleets: fleetsOf(table) };
}
