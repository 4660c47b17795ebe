/**
 * Maintenance mode as listener rules, evaluated before every other rule (the maintenance band).
 *
 * ALB conditions are ANDed and cannot be negated, and a rule cannot say "continue with the next
 * rule". A staff request must behave as if maintenance were off, so:
 * - header bypass: a header cannot be complemented, so every normal rule gets a staff copy with the
 *   bypass header as an extra condition (in the same order as the originals), followed by a
 *   catch-all that sends header bearers to the default destination;
 * - source-IP bypass, whichever needs fewer rules:
 *   - the maintenance responses match the *complement* of the bypass blocks (every IPv4 and IPv6
 *     block outside them, 3 per rule), so staff addresses fall through to normal routing; or
 *   - staff copies of every normal rule with the bypass blocks as an extra condition, a catch-all
 *     for staff to the default, and one maintenance response for everyone else.
 * The plan is computed even while maintenance is off, so the compiler can refuse a table that
 * switching maintenance on would push over the rule quota.
 * Pure: no cdktf import.
 */
import { chunk } from "../core/chunk";
import type { Violations } from "../core/errors";
import { dimensionsOfConditions, type Dimension } from "./atoms";
import { complementCidrs, formatCidr, parseCidr, type Cidr } from "../core/cidr";
import { packConditions, packDimensions } from "./packing";
import { ALB_QUOTAS } from "./quotas";
import type { CompiledAction, CompiledCondition, CompiledRule, Maintenance, RouteTarget, RuleKind } from "./types";

/** A normal rule as the maintenance planner needs it. */
export interface NormalRuleView<F extends RouteTarget> {
  readonly key: string;
  readonly kind: RuleKind;
  readonly source: string;
  readonly conditions: readonly CompiledCondition[];
  readonly action: CompiledAction<F>;
  readonly receivingFleets: readonly F[];
}

export type UnplacedRule<F extends RouteTarget> = Omit<CompiledRule<F>, "priority">;

export interface MaintenancePlan<F extends RouteTarget> {
  /** In evaluation order between tiers; ordered inside a tier by `edges`. */
  readonly rules: readonly UnplacedRule<F>[];
  /** [before, after] index pairs into `rules`. */
  readonly edges: readonly (readonly [number, number])[];
  /** How the source-IP bypass is built, for messages. */
  readonly ipBypass: "none" | "complement" | "staff-copies";
}

function describeRule(r: NormalRuleView<RouteTarget>): string {
  return r.kind === "route" ? `route "${r.source}" (rule ${r.key})` : `${r.source} (rule ${r.key})`;
}

function maintenanceAction<F extends RouteTarget>(m: Maintenance): CompiledAction<F> {
  const r = m.response;
  return r.type === "redirect"
    ? { type: "redirect", url: r.url, statusCode: r.statusCode ?? 302, ...(r.keepQueryString ? { keepQueryString: true } : {}) }
    : { type: "fixed-response", statusCode: r.statusCode ?? 503, contentType: r.contentType ?? "text/html", body: r.body };
}

/** `conditions` plus `extra`, repacked into rules that respect the per-rule quotas; undefined when impossible. */
function withExtra(conditions: readonly CompiledCondition[], extra: Dimension): CompiledCondition[][] | undefined {
  const dims = [...dimensionsOfConditions(conditions), extra];
  const packed = packDimensions(dims);
  if (!("packs" in packed)) return undefined;
  return packed.packs.map((p) => packConditions(dims, p));
}

/**
 * The maintenance rules for `normal` (given in band order: override header, host pins, routes, with
 * their precedence edges) and the default destination. Problems go to `v` (field "maintenance...").
 */
export function planMaintenance<F extends RouteTarget>(
  m: Maintenance,
  normal: readonly NormalRuleView<F>[],
  normalEdges: readonly (readonly [number, number])[],
  defaultAction: CompiledAction<F>,
  v: Violations,
): MaintenancePlan<F> {
  const rules: UnplacedRule<F>[] = [];
  const edges: [number, number][] = [];
  const receiving = (a: CompiledAction<F>) => (a.type === "forward" ? a.targets.filter((t) => t.weight > 0).map((t) => t.fleet) : []);
  const tiers: number[][] = [];

  /** Staff copies of every normal rule plus a catch-all to the default, with `extra` as the staff condition. */
  const staffCopies = (extra: Dimension, keyPart: string, label: string, field: string): number[][] | undefined => {
    const copiesOf: number[][] = [];
    let ok = true;
    for (const r of normal) {
      const packs = withExtra(r.conditions, extra);
      if (!packs) {
        v.add(
          field,
          extra.kind === "http-header" ? extra.name : extra.values,
          `cannot be added to ${describeRule(r)}: with it, that rule's staff copy needs more than ALB's ${ALB_QUOTAS.valuesPerRule} condition values or ${ALB_QUOTAS.wildcardsPerRule} wildcards per rule`,
          "use a bypass value without wildcards, bypass by sourceIps instead, or remove a condition from that route",
        );
        ok = false;
        copiesOf.push([]);
        continue;
      }
      copiesOf.push(
        packs.map((conditions, i) => {
          rules.push({
            key: `maintenance-${keyPart}-${r.key}${packs.length > 1 ? `-${i}` : ""}`,
            kind: "maintenance",
            source: `${label} (${r.kind === "route" ? `route "${r.source}"` : r.source})`,
            conditions,
            action: r.action,
            receivingFleets: r.receivingFleets,
          });
          return rules.length - 1;
        }),
      );
    }
    if (!ok) return undefined;
    // The copies keep the originals' order: the same edges inside a band, and band after band.
    for (const [a, b] of normalEdges) for (const x of copiesOf[a]) for (const y of copiesOf[b]) edges.push([x, y]);
    const bandRank: Record<RuleKind, number> = { maintenance: 0, "override-header": 1, "host-pin": 2, route: 3 };
    normal.forEach((ra, a) =>
      normal.forEach((rb, b) => {
        if (bandRank[ra.kind] < bandRank[rb.kind]) for (const x of copiesOf[a]) for (const y of copiesOf[b]) edges.push([x, y]);
      }),
    );
    const copies = copiesOf.flat();
    const extraValues = extra.kind === "query-string" ? [] : (extra.values as readonly string[]);
    const defaultRules = chunk(extraValues, ALB_QUOTAS.valuesPerCondition).map((values, i, all) => {
      const condition: CompiledCondition =
        extra.kind === "http-header" ? { type: "http-header", name: extra.name, values } : { type: "source-ip", values };
      rules.push({
        key: `maintenance-${keyPart}-default${all.length > 1 ? `-${i}` : ""}`,
        kind: "maintenance",
        source: `${label} (default)`,
        conditions: [condition],
        action: defaultAction,
        receivingFleets: receiving(defaultAction),
      });
      return rules.length - 1;
    });
    return [copies, defaultRules];
  };

  const header = m.bypass?.header;
  if (header) {
    const copies = staffCopies(
      { kind: "http-header", name: header.name, values: [header.value] },
      "bypass",
      "maintenance bypass",
      "maintenance.bypass.header",
    );
    if (copies) tiers.push(...copies);
  }

  const action = maintenanceAction<F>(m);
  const bypassIps = (m.bypass?.sourceIps ?? []).map(parseCidr).filter((c): c is Cidr => !("error" in c));
  let ipBypass: MaintenancePlan<F>["ipBypass"] = "none";
  let responses: CompiledCondition[][] = [[{ type: "path-pattern", values: ["*"] }]];
  if (bypassIps.length > 0) {
    const complement = chunk(complementCidrs(bypassIps).map(formatCidr), ALB_QUOTAS.valuesPerCondition);
    // Staff copies cost one rule per normal rule (more when a rule is full), plus the catch-all and one response.
    const staffDim: Dimension = { kind: "source-ip", values: bypassIps.map(formatCidr) };
    const copyCount = normal.some((r) => r.conditions.some((c) => c.type === "source-ip"))
      ? Infinity
      : normal.reduce((n, r) => n + (withExtra(r.conditions, staffDim)?.length ?? Infinity), 0) +
        Math.ceil(bypassIps.length / ALB_QUOTAS.valuesPerCondition) +
        1;
    if (copyCount < complement.length) {
      const copies = staffCopies(staffDim, "staff-ip", "maintenance staff IPs", "maintenance.bypass.sourceIps");
      if (copies) tiers.push(...copies);
      ipBypass = "staff-copies";
    } else {
      responses = complement.map((values) => [{ type: "source-ip", values }]);
      ipBypass = "complement";
    }
  }
  tiers.push(
    responses.map((conditions, i) => {
      rules.push({ key: `maintenance-${i}`, kind: "maintenance", source: "maintenance", conditions, action, receivingFleets: [] });
      return rules.length - 1;
    }),
  );
  // Tier after tier: every rule of a tier before every rule of the next non-empty one.
  const filled = tiers.filter((t) => t.length > 0);
  for (let t = 0; t + 1 < filled.length; t++) for (const x of filled[t]) for (const y of filled[t + 1]) edges.push([x, y]);
  return { rules, edges, ipBypass };
}
