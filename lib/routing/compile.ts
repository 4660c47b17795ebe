/**
 * Compiles a routing table into ALB listener rules. Pure: no cdktf import; the TrafficRouter
 * construct turns the result into `aws_lb_listener_rule` resources. See PRIORITIES.md.
 *
 * 1. Bands keep their precedence: maintenance > override header > host pins > routes > default.
 * 2. Inside a band, the order comes from the conditions alone, never from names or hashes. Every
 *    route is compared with every other as atoms (one value of each condition kind, atoms.ts):
 *    - the same atom in two routes is an error (a conflict when their destinations differ, a
 *      duplicate when they are equal), naming both and an example request;
 *    - when one atom covers another, the narrower one comes first (whatever the destinations: it
 *      keeps held numbers consistent with rules added between the two later);
 *    - a partial overlap (neither covers the other) with different destinations is an error,
 *      unless both routes carry an explicit `priority`, which then says which one wins;
 *    - an explicit `priority` that contradicts the order is refused.
 * 3. Atoms are packed into rules within ALB's per-rule quotas (packing.ts); when two routes'
 *    packs would each have to come first, the packs involved are split until the rule order is
 *    a DAG again.
 * 4. Maintenance rules are planned (maintenance.ts), counted even while maintenance is off, and
 *    every quota is checked, the rules maintenance would add included.
 * 5. Priorities come from the previous lock section (priority-allocation.ts): held numbers stay,
 *    new rules take fresh numbers in the gap their order allows.
 */
import { createHash } from "node:crypto";
import { Violations } from "../core/errors";
import { formatPercent, weightsToPercents } from "../core/percent";
import type { ListenerLock } from "../lock/stack-lock-data";
import { EMPTY_LISTENER_LOCK } from "../lock/stack-lock-data";
import { atomOf, choicesOf, describeRequest, dimensionsOf, relateAtoms, type Atom, type AtomRelation, type Dimension } from "./atoms";
import { HEADER_SPACE } from "./conditions";
import { describeAtom, describeConditionKind } from "./describe";
import { planMaintenance, type NormalRuleView } from "./maintenance";
import { packChoices, packConditions, packDimensions, splitPack, type Pack } from "./packing";
import { PRIORITY_BANDS } from "./priorities";
import { allocatePriorities, type AllocationNode, type AllocationProblem, type PriorityRange } from "./priority-allocation";
import { ALB_QUOTAS } from "./quotas";
import type {
  CompiledAction,
  CompiledCondition,
  CompiledRule,
  CompileResult,
  CompileOptions,
  ForwardAction,
  RouteDestination,
  RouteTarget,
  RoutingLimits,
  RoutingTable,
  RuleKind,
} from "./types";
import { fleetsOf, isWeightedSplit, validateRoutingTable } from "./validate";
import { globContains, globMeet } from "./wildcard-automata";

type Band = Exclude<RuleKind, "maintenance">;

const BAND_RANGE: Record<Band, PriorityRange> = {
  "override-header": PRIORITY_BANDS.overrideHeader,
  "host-pin": PRIORITY_BANDS.hostPin,
  route: PRIORITY_BANDS.route,
};
const BANDS: readonly Band[] = ["override-header", "host-pin", "route"];

function forwardTo<F extends RouteTarget>(d: RouteDestination<F>): ForwardAction<F> {
  if (isWeightedSplit(d)) {
    return {
      type: "forward",
      targets: d.weights,
      ...(d.groupStickinessSeconds !== undefined ? { groupStickinessSeconds: d.groupStickinessSeconds } : {}),
    };
  }
  return { type: "forward", targets: [{ fleet: d, weight: 1 }] };
}

function receiving<F extends RouteTarget>(action: CompiledAction<F>): F[] {
  return action.type === "forward" ? action.targets.filter((t) => t.weight > 0).map((t) => t.fleet) : [];
}

/** The whole forward action, canonical: two destinations are equal when ALB does the same with both. */
function destinationKey(action: ForwardAction<RouteTarget>): string {
  const targets = action.targets.map((t) => `${t.fleet.name}:${t.weight}`).sort();
  return `${targets.join(",")}|${action.groupStickinessSeconds ?? ""}`;
}

function describeDestination(action: ForwardAction<RouteTarget>): string {
  if (action.targets.length === 1) return action.targets[0].fleet.name;
  const percents = weightsToPercents(action.targets.map((t) => t.weight));
  const split = action.targets.map((t, i) => `${t.fleet.name} ${formatPercent(percents[i])}`).join(", ");
  return `${split}${action.groupStickinessSeconds !== undefined ? ` (sticky ${action.groupStickinessSeconds}s)` : ""}`;
}

/** What produces rules: one route, or all host pins (override values) of one fleet. */
interface Group<F extends RouteTarget> {
  readonly band: Band;
  readonly keyPrefix: string;
  /** `CompiledRule.source`. */
  readonly source: string;
  /** How messages name it: `route "hoge"`, `host pin rails4`. */
  readonly label: string;
  /** Field prefix of the group in messages, e.g. `routes[0] "hoge"`. */
  readonly where: string;
  readonly action: ForwardAction<F>;
  readonly destination: string;
  readonly pinned?: number;
  readonly dims: readonly Dimension[];
  /** The field of every value, per dimension. */
  readonly fields: readonly (readonly string[])[];
  /** Global atom ids by choice key (value index per dimension, joined). */
  readonly atomByChoice: Map<string, number>;
  packs: Pack[];
}

interface AtomEntry {
  readonly atom: Atom;
  readonly group: number;
  readonly choice: readonly number[];
}

function groupsOf<F extends RouteTarget>(table: RoutingTable<F>, v: Violations): Group<F>[] {
  const groups: Group<F>[] = [];
  const add = (g: Omit<Group<F>, "atomByChoice" | "packs" | "destination">) =>
    groups.push({ ...g, destination: destinationKey(g.action), atomByChoice: new Map(), packs: [] });

  const header = table.overrideHeader;
  if (header) {
    const byFleet = new Map<F, string[]>();
    for (const [value, fleet] of Object.entries(header.values)) byFleet.set(fleet, [...(byFleet.get(fleet) ?? []), value]);
    // Staff only: the source IPs are one more condition of every override rule (ANDed with the
    // header), so from any other address the header matches nothing and normal routing applies.
    const staff = header.sourceIps ?? [];
    for (const [fleet, values] of [...byFleet].sort((a, b) => (a[0].name < b[0].name ? -1 : 1))) {
      add({
        band: "override-header",
        keyPrefix: `override-${fleet.name}`,
        source: `override header ${header.name}`,
        label: `override header ${header.name}`,
        where: "overrideHeader",
        action: forwardTo(fleet),
        dims: [
          { kind: "http-header", name: header.name, values },
          ...(staff.length > 0 ? [{ kind: "source-ip" as const, values: staff }] : []),
        ],
        fields: [
          values.map((value) => `overrideHeader.values[${JSON.stringify(value)}]`),
          ...(staff.length > 0 ? [staff.map((_, j) => `overrideHeader.sourceIps[${j}]`)] : []),
        ],
      });
    }
  }

  const pinsByFleet = new Map<F, { hosts: string[]; fields: string[] }>();
  (table.hostPins ?? []).forEach((pin, i) => {
    const entry = pinsByFleet.get(pin.fleet) ?? { hosts: [], fields: [] };
    pin.hosts.forEach((host, j) => {
      const field = `hostPins[${i}].hosts[${j}]`;
      const first = entry.hosts.findIndex((h) => h.toLowerCase() === host.toLowerCase());
      if (first >= 0) {
        v.add(field, host, `repeats ${entry.fields[first]} for the same fleet`, "delete the repeated host");
        return;
      }
      entry.hosts.push(host);
      entry.fields.push(field);
    });
    pinsByFleet.set(pin.fleet, entry);
  });
  for (const [fleet, { hosts, fields }] of pinsByFleet) {
    if (hosts.length === 0) continue;
    add({
      band: "host-pin",
      keyPrefix: `host-pin-${fleet.name}`,
      source: `host pin ${fleet.name}`,
      label: `host pin ${fleet.name}`,
      where: `hostPins (fleet "${fleet.name}")`,
      action: forwardTo(fleet),
      dims: [{ kind: "host-header", values: hosts }],
      fields: [fields],
    });
  }

  (table.routes ?? []).forEach((route, index) => {
    const where = `routes[${index}] "${route.name}"`;
    const dims = dimensionsOf(route.match);
    const fields = dims.map((d) => {
      switch (d.kind) {
        case "path-pattern":
          return d.values.map((_, j) => `${where}.match.paths[${j}]`);
        case "host-header":
          return d.values.map((_, j) => `${where}.match.hosts[${j}]`);
        case "http-header": {
          const h = route.match.headers!.findIndex((x) => x.name === d.name && x.values === d.values);
          return d.values.map((_, j) => `${where}.match.headers[${h}].values[${j}]`);
        }
        case "query-string":
          return d.values.map((_, j) => `${where}.match.queryStrings[${j}]`);
        case "http-request-method":
          return d.values.map((_, j) => `${where}.match.methods[${j}]`);
        case "source-ip":
          return d.values.map((_, j) => `${where}.match.sourceIps[${j}]`);
      }
    });
    add({
      band: "route",
      keyPrefix: `route-${route.name}`,
      source: route.name,
      label: `route "${route.name}"`,
      where,
      action: forwardTo(route.to),
      ...(route.priority !== undefined ? { pinned: route.priority } : {}),
      dims,
      fields,
    });
  });
  return groups;
}

/** Field naming one atom of a group: its value's field when the group has one dimension. */
function atomField(g: Group<RouteTarget>, choice: readonly number[]): string {
  return g.dims.length === 1 ? g.fields[0][choice[0]] : g.band === "route" ? `${g.where}.match` : g.fields[0][choice[0]];
}

/**
 * Override values are compared as one header value each: they overlap only where one value matches
 * both (a request carries one override value, unlike the headers of routes). Their staff source
 * IPs, when given, are compared like any route's (one address per request).
 */
function relateOverride(a: Atom, b: Atom): AtomRelation {
  const [ha] = a.headers;
  const [hb] = b.headers;
  const meet = globMeet(ha.value, hb.value, HEADER_SPACE);
  if (meet === undefined) return { overlap: false, aCoversB: false, bCoversA: false };
  const ip = relateAtoms({ sourceIp: a.sourceIp, headers: [], queries: [] }, { sourceIp: b.sourceIp, headers: [], queries: [] });
  if (!ip.overlap) return { overlap: false, aCoversB: false, bCoversA: false };
  return {
    overlap: true,
    aCoversB: globContains(ha.value, hb.value, HEADER_SPACE) === true && ip.aCoversB,
    bCoversA: globContains(hb.value, ha.value, HEADER_SPACE) === true && ip.bCoversA,
    witness: {
      url: "https://example.com/",
      headers: { [ha.name]: meet },
      ...(ip.witness?.sourceIp !== undefined ? { sourceIp: ip.witness.sourceIp } : {}),
    },
  };
}

interface OrderResult {
  /** [before, after] pairs of global atom ids. */
  readonly edges: [number, number][];
}

/** Compares every pair of atoms of different groups in one band: errors and the narrower-first edges. */
function orderBand(
  groups: readonly Group<RouteTarget>[],
  atoms: readonly AtomEntry[],
  members: readonly number[],
  v: Violations,
): OrderResult {
  const edges: [number, number][] = [];
  const reported = new Set<string>();
  // Inside one group: no conflicts (one destination), but the narrower atom still comes first, so
  // a rule added later between the two never finds the group's own rules in the wrong order.
  for (const gi of members) {
    const ids = [...groups[gi].atomByChoice.values()];
    for (let x = 0; x < ids.length; x++) {
      for (let y = x + 1; y < ids.length; y++) {
        const rel =
          groups[gi].band === "override-header"
            ? relateOverride(atoms[ids[x]].atom, atoms[ids[y]].atom)
            : relateAtoms(atoms[ids[x]].atom, atoms[ids[y]].atom);
        if (!rel.overlap || rel.aCoversB === rel.bCoversA) continue;
        edges.push(rel.aCoversB ? [ids[y], ids[x]] : [ids[x], ids[y]]);
      }
    }
  }
  for (let x = 0; x < members.length; x++) {
    for (let y = x + 1; y < members.length; y++) {
      const g1 = groups[members[x]];
      const g2 = groups[members[y]];
      const pairKey = `${members[x]}/${members[y]}`;
      for (const ia of g1.atomByChoice.values()) {
        for (const ib of g2.atomByChoice.values()) {
          const a = atoms[ia];
          const b = atoms[ib];
          const rel = g1.band === "override-header" ? relateOverride(a.atom, b.atom) : relateAtoms(a.atom, b.atom);
          if (!rel.overlap) continue;
          const sameDestination = g1.destination === g2.destination;
          const example = rel.witness ? describeRequest(rel.witness) : "";
          if (rel.aCoversB && rel.bCoversA) {
            if (reported.has(pairKey)) continue;
            reported.add(pairKey);
            v.add(
              atomField(g2, b.choice),
              describeAtom(b.atom),
              sameDestination
                ? `is the same match as ${g1.label} (${atomField(g1, a.choice)}), with the same destination: both match e.g. ${example}, so one of the two can never match`
                : `is the same match as ${g1.label} (${atomField(g1, a.choice)}): both match e.g. ${example}, but ${g1.label} sends it to ${describeDestination(g1.action)} and ${g2.label} to ${describeDestination(g2.action)}; only one of them could ever receive it`,
              sameDestination
                ? `delete one of them, or merge the two into one entry`
                : `merge the two into one ${g2.band === "route" ? "route" : "entry"} with one destination, or make one of them narrower (a longer path, another condition) so the narrower one wins`,
            );
            continue;
          }
          // Narrower first even when both go to the same place: it changes no request's destination
          // today, but keeps the numbers consistent with any rule that later goes between the two.
          if (rel.aCoversB) {
            edges.push([ib, ia]);
            continue;
          }
          if (rel.bCoversA) {
            edges.push([ia, ib]);
            continue;
          }
          // Partial overlap: harmless with the same destination, an error otherwise.
          if (sameDestination) continue;
          if (g1.band === "route" && g1.pinned !== undefined && g2.pinned !== undefined) {
            edges.push(g1.pinned < g2.pinned ? [ia, ib] : [ib, ia]);
            continue;
          }
          if (reported.has(pairKey)) continue;
          reported.add(pairKey);
          v.add(
            atomField(g2, b.choice),
            describeAtom(b.atom),
            `overlaps ${g1.label} (${describeAtom(a.atom)}) and neither is narrower: a request such as ${example} matches both, and ${g1.label} sends it to ${describeDestination(g1.action)} while ${g2.label} sends it to ${describeDestination(g2.action)}; which one wins must not depend on rule numbers`,
            g2.band === "route"
              ? `make the two routes disjoint, make one lie inside the other (e.g. add the other's conditions to it), send both to the same place, or set \`priority\` on both routes to say which one wins (the lower number)`
              : g2.band === "host-pin"
                ? `make the two host patterns disjoint or one inside the other, or pin both to the same fleet`
                : `make the two header values disjoint or one inside the other, or map both to the same fleet`,
          );
        }
      }
    }
  }
  return { edges };
}

/** Route atoms a higher band's atom covers can never match. */
function checkShadowedAcrossBands(groups: readonly Group<RouteTarget>[], atoms: readonly AtomEntry[], v: Violations): void {
  const rank: Record<Band, number> = { "override-header": 0, "host-pin": 1, route: 2 };
  groups.forEach((low) => {
    if (low.band === "override-header") return;
    for (const ib of low.atomByChoice.values()) {
      const b = atoms[ib];
      const shadow = atoms.find((a) => rank[groups[a.group].band] < rank[low.band] && relateAtoms(a.atom, b.atom).aCoversB);
      if (!shadow) continue;
      const high = groups[shadow.group];
      v.add(
        `${atomField(low, b.choice)}`,
        describeAtom(b.atom),
        `can never match: ${high.label} (${atomField(high, shadow.choice)}) is evaluated first and matches every request it matches`,
        low.band === "route"
          ? `delete route "${low.source}" if it is redundant, or narrow ${high.label} so it leaves these requests to the route`
          : `narrow ${high.label} or remove the unreachable entry`,
      );
      return;
    }
  });
}

/** Strongly connected components (Tarjan), for the rule graph. */
function stronglyConnected(n: number, succ: readonly (readonly number[])[]): number[][] {
  const index = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const stack: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  const visit = (root: number) => {
    // Iterative to stay safe on long chains.
    const work: { v: number; i: number }[] = [{ v: root, i: 0 }];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = true;
    while (work.length) {
      const frame = work[work.length - 1];
      const { v } = frame;
      if (frame.i < succ[v].length) {
        const w = succ[v][frame.i++];
        if (index[w] < 0) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = true;
          work.push({ v: w, i: 0 });
        } else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
        continue;
      }
      work.pop();
      if (work.length) low[work[work.length - 1].v] = Math.min(low[work[work.length - 1].v], low[v]);
      if (low[v] === index[v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = false;
          comp.push(w);
        } while (w !== v);
        out.push(comp);
      }
    }
  };
  for (let i = 0; i < n; i++) if (index[i] < 0) visit(i);
  return out;
}

interface PlannedRule {
  readonly group: number;
  readonly pack: number;
  readonly key: string;
}

/** Rules of a band from the groups' packs, and the rule-level edges the atom edges induce. */
function ruleGraph(groups: readonly Group<RouteTarget>[], members: readonly number[], atomEdges: readonly [number, number][]) {
  const rules: PlannedRule[] = [];
  const ruleOfAtom = new Map<number, number>();
  for (const gi of members) {
    const g = groups[gi];
    g.packs.forEach((pack, pi) => {
      const r = rules.length;
      rules.push({ group: gi, pack: pi, key: `${g.keyPrefix}-${pi}` });
      for (const choice of packChoices(pack)) ruleOfAtom.set(g.atomByChoice.get(choice.join(","))!, r);
    });
  }
  const succ: number[][] = rules.map(() => []);
  const seen = new Set<string>();
  const edges: [number, number][] = [];
  for (const [a, b] of atomEdges) {
    const ra = ruleOfAtom.get(a);
    const rb = ruleOfAtom.get(b);
    if (ra === undefined || rb === undefined || ra === rb) continue;
    const k = `${ra}/${rb}`;
    if (seen.has(k)) continue;
    seen.add(k);
    succ[ra].push(rb);
    edges.push([ra, rb]);
  }
  return { rules, succ, edges };
}

/**
 * Splits packs until the rule graph of the band has no cycle: the largest pack of a cycle first
 * (ties by its conditions); the first half keeps the pack's index, the second is appended, so the
 * group's other rules keep their keys.
 *
 * Then the same for the order the lock already gives: held rules are chained by their numbers, and
 * a pack the lock does not know (new or edited) that would have to sit after one held rule and
 * before another with a lower number (which would force one of them to move) is split.
 */
function splitCycles(
  groups: readonly Group<RouteTarget>[],
  members: readonly number[],
  atomEdges: readonly [number, number][],
  lock: ListenerLock,
) {
  const atomsOf = (r: PlannedRule) => packChoices(groups[r.group].packs[r.pack]).length;
  const canon = (r: PlannedRule) => JSON.stringify(packConditions(groups[r.group].dims, groups[r.group].packs[r.pack]));
  const split = (r: PlannedRule) => {
    const g = groups[r.group];
    const [first, second] = splitPack(g.packs[r.pack])!;
    g.packs[r.pack] = first;
    g.packs.push(second);
  };
  // A pack the lock knows: its key is held for exactly these conditions and this destination. The
  // fingerprint (not just the key) keeps compiling idempotent: a pack that was split last time is
  // not the held rule of its key, so it is split again the same way.
  const known = (r: PlannedRule) => {
    if (!(r.key in lock.held)) return false;
    const print = lock.fingerprints?.[r.key];
    return (
      print === undefined ||
      print === fingerprintOf(packConditions(groups[r.group].dims, groups[r.group].packs[r.pack]), groups[r.group].action)
    );
  };
  // Structural only (never the lock), so compiling again with the lock just written splits the same way.
  const order = (x: PlannedRule, y: PlannedRule) => atomsOf(y) - atomsOf(x) || (canon(x) < canon(y) ? -1 : canon(x) > canon(y) ? 1 : 0);
  for (;;) {
    const graph = ruleGraph(groups, members, atomEdges);
    const cyclic = stronglyConnected(graph.rules.length, graph.succ).filter((c) => c.length > 1);
    if (cyclic.length > 0) {
      for (const component of cyclic) {
        // A cycle of single-atom rules cannot happen: atom edges only go from narrower to broader.
        const pick = component
          .map((r) => graph.rules[r])
          .filter((r) => atomsOf(r) > 1)
          .sort(order)[0];
        if (!pick) throw new Error("routing compiler: a precedence cycle between single-atom rules");
        split(pick);
      }
      continue;
    }
    const held = graph.rules.flatMap((r, i) => (known(r) ? [{ i, n: lock.held[r.key] }] : [])).sort((a, b) => a.n - b.n);
    const soft = graph.succ.map((s) => [...s]);
    for (let k = 0; k + 1 < held.length; k++) soft[held[k].i].push(held[k + 1].i);
    let splitAny = false;
    for (const component of stronglyConnected(graph.rules.length, soft).filter((c) => c.length > 1)) {
      const pick = component
        .map((r) => graph.rules[r])
        .filter((r) => atomsOf(r) > 1 && !known(r))
        .sort(order)[0];
      if (!pick) continue;
      split(pick);
      splitAny = true;
    }
    if (!splitAny) return graph;
  }
}

function problemMessage(p: AllocationProblem, rulesByKey: ReadonlyMap<string, { where: string; label: string }>, v: Violations): void {
  const of = (key: string) => rulesByKey.get(key) ?? { where: key, label: key };
  switch (p.kind) {
    case "pinned-taken": {
      const owner = p.owner.replace(/@\d+$/, "");
      v.add(
        `${of(p.key).where}.priority`,
        p.priority,
        `gives rule ${p.key} priority ${p.priority}, which the stack lock file records for rule ${owner}; the deployed rule may still hold it, and one listener cannot give one number to two rules`,
        "pick another number, or remove `priority` and let the lock allocate one",
      );
      return;
    }
    case "pinned-order":
      v.add(
        `${of(p.key).where}.priority`,
        p.key,
        `must come after rule ${p.other}, but its explicit priority puts it first`,
        "swap the two priorities, or remove them",
      );
      return;
    case "no-room":
      v.add(
        of(p.key).where,
        p.key,
        `has no free priority: it must lie between ${p.between.map((k) => `${of(k).label} (rule ${k})`).join(" and ")}, whose explicit priorities leave no number between them`,
        "spread those explicit priorities apart, or remove `priority` and let the lock allocate numbers",
      );
      return;
    case "exhausted":
      v.add(
        of(p.key).where,
        p.key,
        `has no free priority: every number of ${p.range.first}-${p.range.last} that the order allows is held or released by another rule in the stack lock file (${p.tombstones} taken)`,
        'after deploying, delete the "released" entries of this listener from the stack lock file (deployed rules no longer hold them) and synthesize again',
      );
  }
}

/** What a rule matches and does, hashed (12 hex digits): the lock notices edited rules by it. */
function fingerprintOf(conditions: readonly CompiledCondition[], action: CompiledAction<RouteTarget>): string {
  const what = action.type === "forward" ? { ...action, targets: action.targets.map((t) => [t.fleet.name, t.weight]) } : action;
  return createHash("sha256")
    .update(JSON.stringify([conditions, what]))
    .digest("hex")
    .slice(0, 12);
}

function checkLimits(limits: RoutingLimits, v: Violations): number {
  const max = limits.maxRulesPerLoadBalancer ?? ALB_QUOTAS.rulesPerLoadBalancer;
  if (!Number.isInteger(max) || max < 1) {
    v.add(
      "limits.maxRulesPerLoadBalancer",
      max,
      "must be a positive integer",
      `omit it for the default of ${ALB_QUOTAS.rulesPerLoadBalancer}, or set your raised quota`,
    );
  }
  return max;
}

/** Accepts `compileRouting(table, limits)` from before the lock existed, as well as the options object. */
function optionsOf(arg: CompileOptions | RoutingLimits | undefined): CompileOptions {
  if (!arg) return {};
  if ("maxRulesPerLoadBalancer" in arg && !("limits" in arg) && !("lock" in arg)) return { limits: arg as RoutingLimits };
  return arg as CompileOptions;
}

/**
 * Compiles a routing table into listener rules sorted by priority, with the traffic listener's new
 * lock section (`{ rules, lock, ... }`).
 * @param options.lock the previous lock section (rules keep their numbers); @default an empty lock
 * @throws ConfigError (every violation at once) when the table breaks an ALB rule or quota, two
 *   routes match the same requests, or two routes overlap without one being narrower.
 */
export function compileRouting<F extends RouteTarget>(table: RoutingTable<F>, options?: CompileOptions): CompileResult<F>;
/** @deprecated pass `{ limits }` */
export function compileRouting<F extends RouteTarget>(table: RoutingTable<F>, limits: RoutingLimits): CompileResult<F>;
export function compileRouting<F extends RouteTarget>(table: RoutingTable<F>, arg?: CompileOptions | RoutingLimits): CompileResult<F> {
  const options = optionsOf(arg);
  const lock = options.lock ?? EMPTY_LISTENER_LOCK;
  const v = validateRoutingTable(table);
  v.throwIfAny();
  const quota = checkLimits(options.limits ?? {}, v);
  const extra = options.extraRules ?? 0;

  // Groups and their atoms.
  const groups = groupsOf(table, v) as Group<RouteTarget>[];
  const atoms: AtomEntry[] = [];
  groups.forEach((g, gi) => {
    for (const choice of choicesOf(g.dims.map((d) => d.values.map((_, i) => i)))) {
      g.atomByChoice.set(choice.join(","), atoms.length);
      atoms.push({ atom: atomOf(g.dims, choice), group: gi, choice });
    }
  });

  // Order inside each band, and what a higher band hides.
  const membersOf = (band: Band) => groups.flatMap((g, i) => (g.band === band ? [i] : []));
  const atomEdges = new Map<Band, [number, number][]>();
  for (const band of BANDS) atomEdges.set(band, orderBand(groups, atoms, membersOf(band), v).edges);
  checkShadowedAcrossBands(groups, atoms, v);

  // Explicit priorities must agree with the order.
  for (const [a, b] of atomEdges.get("route")!) {
    const ga = groups[atoms[a].group];
    const gb = groups[atoms[b].group];
    if (ga.pinned === undefined || gb.pinned === undefined || ga.pinned < gb.pinned) continue;
    v.add(
      `${ga.where}.priority`,
      ga.pinned,
      `can never match: ${gb.label} (priority ${gb.pinned}) is evaluated first and matches every request ${describeAtom(atoms[a].atom)} matches; a narrower route must come first`,
      `give it \`priority\` below ${gb.pinned}, or remove \`priority\` from both and let the order decide`,
    );
  }

  // Packing, within ALB's per-rule quotas.
  for (const g of groups) {
    const packed = packDimensions(g.dims);
    if ("conditionsNeeded" in packed) {
      v.add(
        `${g.where}.match`,
        g.dims.map(describeConditionKind),
        `needs ${packed.conditionsNeeded} conditions, but an ALB rule holds at most ${ALB_QUOTAS.valuesPerRule} condition values (each condition needs at least one)`,
        "split the route into routes with fewer condition kinds or header entries",
      );
    } else if ("wildcardsNeeded" in packed) {
      const atom = atomOf(g.dims, packed.atom);
      v.add(
        g.band === "route" ? `${g.where}.match` : g.fields[0][packed.atom[0]],
        describeAtom(atom),
        `needs ${packed.wildcardsNeeded} wildcards (\`*\`, \`?\`) in one rule, but ALB allows ${ALB_QUOTAS.wildcardsPerRule} per rule ("Condition wildcards per rule")`,
        "use fewer wildcards in these values (e.g. one `*` instead of several `?`), or split the route so these conditions are not combined",
      );
    } else {
      g.packs = [...packed.packs];
    }
  }
  v.throwIfAny();

  // Atom cycles can only come from explicit priorities that contradict containment.
  const routeMembers = membersOf("route");
  const graphs = new Map<Band, ReturnType<typeof ruleGraph>>();
  for (const band of BANDS) graphs.set(band, splitCycles(groups, membersOf(band), atomEdges.get(band)!, lock));

  // Explicit priorities: consecutive numbers per route, inside the band, not overlapping each other.
  const pinnedRanges: { group: number; first: number; last: number }[] = [];
  for (const gi of routeMembers) {
    const g = groups[gi];
    if (g.pinned === undefined) continue;
    const last = g.pinned + g.packs.length - 1;
    if (last > PRIORITY_BANDS.route.last) {
      v.add(
        `${g.where}.priority`,
        g.pinned,
        `gives rule ${g.packs.length} of ${g.packs.length} priority ${last}, above ALB's maximum of ${ALB_QUOTAS.maxPriority}`,
        `lower it to at most ${PRIORITY_BANDS.route.last - g.packs.length + 1}`,
      );
    }
    for (const other of pinnedRanges) {
      if (g.pinned <= other.last && other.first <= last) {
        v.add(
          `${g.where}.priority`,
          g.pinned,
          `gives its ${g.packs.length} rule(s) priorities ${g.pinned}-${last}, overlapping ${groups[other.group].label} (${other.first}-${other.last})`,
          `pick a number outside ${other.first}-${other.last}`,
        );
      }
    }
    pinnedRanges.push({ group: gi, first: g.pinned, last });
  }

  // Normal rules in band order, with their edges.
  const normal: (NormalRuleView<F> & { band: Band; pinned?: number; where: string; label: string })[] = [];
  const normalEdges: [number, number][] = [];
  for (const band of BANDS) {
    const graph = graphs.get(band)!;
    const offset = normal.length;
    for (const r of graph.rules) {
      const g = groups[r.group];
      const action = g.action as unknown as ForwardAction<F>;
      normal.push({
        key: r.key,
        kind: band,
        source: g.source,
        conditions: packConditions(g.dims, g.packs[r.pack]),
        action,
        receivingFleets: receiving(action),
        band,
        where: g.where,
        label: g.label,
        ...(g.pinned !== undefined ? { pinned: g.pinned + r.pack } : {}),
      });
    }
    for (const [a, b] of graph.edges) normalEdges.push([offset + a, offset + b]);
  }

  // Maintenance, planned whether on or off: switching it on must not break the quota.
  const defaultAction = forwardTo(table.default);
  const maintenance = table.maintenance ? planMaintenance(table.maintenance, normal, normalEdges, defaultAction, v) : undefined;
  const maintenanceCount = maintenance?.rules.length ?? 0;
  const band = PRIORITY_BANDS.maintenance;
  if (maintenanceCount > band.last - band.first + 1) {
    v.add(
      "maintenance",
      maintenanceCount,
      `needs ${maintenanceCount} rules, more than the ${band.last} priorities reserved for maintenance`,
      "bypass by fewer, wider source IP blocks, or by header on a smaller table",
    );
  }
  const ruleCounts = {
    normal: normal.length,
    maintenance: maintenanceCount,
    withMaintenance: normal.length + maintenanceCount + extra,
    extra,
    quota,
  };
  checkRuleQuota(normal, ruleCounts, options, table.maintenance !== undefined, maintenance?.ipBypass, v);
  v.throwIfAny();

  // Priorities from the lock.
  const enabled = table.maintenance?.enabled === true && maintenance !== undefined;
  const nodes: AllocationNode[] = normal.map((r) => ({
    key: r.key,
    range: BAND_RANGE[r.band],
    fingerprint: fingerprintOf(r.conditions, r.action),
    ...(r.pinned !== undefined ? { pinned: r.pinned } : {}),
  }));
  const edges: [number, number][] = [...normalEdges];
  if (enabled) {
    const offset = nodes.length;
    for (const r of maintenance.rules)
      nodes.push({ key: r.key, range: PRIORITY_BANDS.maintenance, fingerprint: fingerprintOf(r.conditions, r.action) });
    for (const [a, b] of maintenance.edges) edges.push([offset + a, offset + b]);
  }
  const allocation = allocatePriorities(nodes, edges, lock);
  if (allocation.problems.length > 0) {
    const byKey = new Map(normal.map((r) => [r.key, { where: r.where, label: r.label }]));
    for (const p of allocation.problems) problemMessage(p, byKey, v);
    v.throwIfAny();
  }
  const placed: CompiledRule<F>[] = [
    ...(enabled ? maintenance.rules : []),
    ...normal.map(({ key, kind, source, conditions, action, receivingFleets }) => ({
      key,
      kind,
      source,
      conditions,
      action,
      receivingFleets,
    })),
  ].map((r) => ({ ...r, priority: allocation.priorities.get(r.key)! }));
  placed.sort((a, b) => a.priority - b.priority);
  return { rules: placed, lock: allocation.lock, ruleCounts, defaultAction, fleets: fleetsOf(table) };
}

function checkRuleQuota(
  normal: readonly { key: string; kind: RuleKind; source: string }[],
  counts: { normal: number; maintenance: number; extra: number; quota: number },
  options: CompileOptions,
  hasMaintenance: boolean,
  ipBypass: string | undefined,
  v: Violations,
): void {
  const { quota, extra } = counts;
  const label = options.extraRulesLabel ?? "other rules";
  const extraText = extra > 0 ? ` + ${extra} ${label}` : "";
  const raised = options.limits?.maxRulesPerLoadBalancer !== undefined;
  const fix =
    "merge routes with the same destination, use fewer path patterns (a shorter prefix with `*`), or raise the quota in Service Quotas and raise limits.maxRulesPerLoadBalancer to it";
  if (counts.normal + extra > quota) {
    const bySource = new Map<string, number>();
    for (const r of normal) {
      const label = r.kind === "route" ? `route "${r.source}"` : r.kind;
      bySource.set(label, (bySource.get(label) ?? 0) + 1);
    }
    const largest = [...bySource.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([s, n]) => `${s}: ${n}`)
      .join(", ");
    v.add(
      "routes",
      `${counts.normal} listener rules${extraText} (largest: ${largest})`,
      `${extra > 0 ? `needs ${counts.normal + extra} listener rules (${counts.normal} compiled + ${extra} ${label}); the load balancer allows ${quota}: it ` : ""}exceeds the quota of ${quota} rules per load balancer (ALB "Rules per Application Load Balancer"${raised ? "" : ", default 100"})`,
      fix,
    );
    return;
  }
  if (hasMaintenance && counts.normal + counts.maintenance + extra > quota) {
    const total = counts.normal + counts.maintenance + extra;
    v.add(
      "maintenance.bypass",
      `${counts.normal} listener rules${extraText} + ${counts.maintenance} for maintenance = ${total}`,
      `maintenance with this bypass needs ${counts.maintenance} more rules (${ipBypass === "staff-copies" || ipBypass === undefined ? "staff copies of every rule" : "staff copies and rules for the addresses outside the bypass blocks"}), ${total - quota} over the quota of ${quota} rules per load balancer${raised ? "" : " (default 100)"}: switching maintenance on would fail at apply, at the worst moment`,
      "bypass by fewer or wider source IP blocks, or by source IP instead of a header (a header bypass copies every rule), use fewer routes, or raise the quota in Service Quotas and set limits.maxRulesPerLoadBalancer",
    );
  }
}
