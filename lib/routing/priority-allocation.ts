/**
 * Listener-rule priorities from the previous lock section (see PRIORITIES.md):
 * - every rule key that held a number keeps it while that number is still consistent with the
 *   order the rules must have (only rules that overlap are ordered: a precedence DAG);
 * - a rule that has no number yet takes a fresh one (never held or released by any key of the
 *   listener) inside the gap its constraints allow, placed to leave room on both sides;
 * - a key that comes back (maintenance switched on again, a route restored) takes its own old
 *   number back when the order allows;
 * - when the order changed, or a gap has no fresh number left, the fewest rules move (the largest
 *   set of held numbers that agrees with the order is kept), and only to fresh numbers; a moved
 *   rule's old number stays in the lock as the tombstone `<key>@<number>`.
 * Priorities are allocated per band (a range of numbers); bands never share numbers.
 * Pure: no cdktf import.
 */
import type { ListenerLock } from "../lock/stack-lock-data";

export interface PriorityRange {
  readonly first: number;
  readonly last: number;
}

export interface AllocationNode {
  /** Rule key, unique within the listener. */
  readonly key: string;
  /** The band the number must lie in. */
  readonly range: PriorityRange;
  /** A number fixed by the user (a route's explicit `priority`). @default - allocated */
  readonly pinned?: number;
  /**
   * What the rule matches and does, hashed: a rule whose fingerprint differs from the lock's was
   * edited, and moves in preference to unedited rules when two disagree with their numbers.
   * @default - never counts as edited
   */
  readonly fingerprint?: string;
}

export type AllocationProblem =
  | { readonly kind: "pinned-taken"; readonly key: string; readonly priority: number; readonly owner: string }
  | { readonly kind: "pinned-order"; readonly key: string; readonly other: string }
  | { readonly kind: "no-room"; readonly key: string; readonly between: readonly string[] }
  | { readonly kind: "exhausted"; readonly key: string; readonly range: PriorityRange; readonly tombstones: number };

export interface AllocationResult {
  /** Key -> priority, for every node (absent only when `problems` is not empty). */
  readonly priorities: ReadonlyMap<string, number>;
  /** The listener's new lock section. */
  readonly lock: ListenerLock;
  /** Keys that held a number before and now hold another. */
  readonly moved: readonly string[];
  readonly problems: readonly AllocationProblem[];
}

/** Tombstone key for a number a rule held before it moved. */
export function movedTombstoneKey(key: string, priority: number): string {
  return `${key}@${priority}`;
}

/** Sorted list of taken numbers with insert and "largest free run" queries. */
class TakenNumbers {
  private readonly sorted: number[];
  constructor(values: Iterable<number>) {
    this.sorted = [...new Set(values)].sort((a, b) => a - b);
  }
  private lowerBound(x: number): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  copy(): TakenNumbers {
    return new TakenNumbers(this.sorted);
  }
  has(x: number): boolean {
    const i = this.lowerBound(x);
    return this.sorted[i] === x;
  }
  add(x: number): void {
    const i = this.lowerBound(x);
    if (this.sorted[i] !== x) this.sorted.splice(i, 0, x);
  }
  /** The longest run of free numbers strictly between `lo` and `hi` (lowest first on ties). */
  largestFreeRun(lo: number, hi: number): { start: number; length: number } | undefined {
    let best: { start: number; length: number } | undefined;
    let prev = lo;
    for (let i = this.lowerBound(lo + 1); ; i++) {
      const next = i < this.sorted.length && this.sorted[i] < hi ? this.sorted[i] : hi;
      const length = next - prev - 1;
      if (length > 0 && (!best || length > best.length)) best = { start: prev + 1, length };
      if (next === hi) break;
      prev = next;
    }
    return best;
  }
  countIn(range: PriorityRange): number {
    return this.lowerBound(range.last + 1) - this.lowerBound(range.first);
  }
}

/** Bitset reachability over a small DAG. */
class Reach {
  private readonly words: number;
  private readonly bits: Uint32Array;
  constructor(readonly size: number) {
    this.words = Math.ceil(size / 32) || 1;
    this.bits = new Uint32Array(this.words * size);
  }
  set(from: number, to: number): void {
    this.bits[from * this.words + (to >> 5)] |= 1 << (to & 31);
  }
  has(from: number, to: number): boolean {
    return (this.bits[from * this.words + (to >> 5)] & (1 << (to & 31))) !== 0;
  }
  orInto(into: number, from: number): void {
    for (let w = 0; w < this.words; w++) this.bits[into * this.words + w] |= this.bits[from * this.words + w];
  }
}

/**
 * Largest set of nodes with no pair in relation R (a strict partial order given as `less`):
 * Dilworth through König, from a maximum matching on the bipartite split of R.
 */
function maximumAntichain(nodes: readonly number[], less: (a: number, b: number) => boolean): Set<number> {
  const n = nodes.length;
  const adj: number[][] = nodes.map((a) => nodes.flatMap((b, j) => (a !== b && less(a, b) ? [j] : [])));
  const matchR = new Array<number>(n).fill(-1);
  const matchL = new Array<number>(n).fill(-1);
  const augment = (u: number, seen: boolean[]): boolean => {
    for (const v of adj[u]) {
      if (seen[v]) continue;
      seen[v] = true;
      if (matchR[v] < 0 || augment(matchR[v], seen)) {
        matchR[v] = u;
        matchL[u] = v;
        return true;
      }
    }
    return false;
  };
  for (let u = 0; u < n; u++) augment(u, new Array<boolean>(n).fill(false));
  // König: Z = vertices reachable from unmatched left vertices by alternating paths.
  const zl = new Array<boolean>(n).fill(false);
  const zr = new Array<boolean>(n).fill(false);
  const stack: number[] = [];
  for (let u = 0; u < n; u++) if (matchL[u] < 0) ((zl[u] = true), stack.push(u));
  while (stack.length) {
    const u = stack.pop()!;
    for (const v of adj[u]) {
      if (zr[v] || matchL[u] === v) continue;
      zr[v] = true;
      const w = matchR[v];
      if (w >= 0 && !zl[w]) {
        zl[w] = true;
        stack.push(w);
      }
    }
  }
  // Minimum vertex cover: (L \ Z) ∪ (R ∩ Z); the antichain: nodes in neither side of the cover.
  const out = new Set<number>();
  for (let i = 0; i < n; i++) if (zl[i] && !zr[i]) out.add(nodes[i]);
  return out;
}

interface BandResult {
  readonly assigned: Map<number, number>;
  readonly problems: AllocationProblem[];
}

function allocateBand(
  nodes: readonly AllocationNode[],
  members: readonly number[],
  edges: readonly (readonly [number, number])[],
  previous: ListenerLock,
  owners: ReadonlyMap<number, string>,
  taken: TakenNumbers,
): BandResult {
  const range = nodes[members[0]].range;
  const local = new Map<number, number>(members.map((g, i) => [g, i]));
  const n = members.length;
  const succ: number[][] = Array.from({ length: n }, () => []);
  const pred: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of edges) {
    const la = local.get(a);
    const lb = local.get(b);
    if (la === undefined || lb === undefined) continue;
    succ[la].push(lb);
    pred[lb].push(la);
  }
  const keyOf = (i: number) => nodes[members[i]].key;
  // Topological order, ties by key so the result never depends on input order.
  const indegree = pred.map((p) => p.length);
  const ready = [...Array(n).keys()].filter((i) => indegree[i] === 0).sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
  const topo: number[] = [];
  while (ready.length) {
    const i = ready.shift()!;
    topo.push(i);
    for (const s of succ[i]) {
      if (--indegree[s] === 0) {
        const at = ready.findIndex((r) => keyOf(r) > keyOf(s));
        ready.splice(at < 0 ? ready.length : at, 0, s);
      }
    }
  }
  if (topo.length !== n) throw new Error("priority allocation: the precedence graph has a cycle");
  const reach = new Reach(n);
  for (let t = n - 1; t >= 0; t--) {
    const i = topo[t];
    for (const s of succ[i]) {
      reach.set(i, s);
      reach.orInto(i, s);
    }
  }
  const problems: AllocationProblem[] = [];
  const inRange = (p: number | undefined): p is number => p !== undefined && p >= range.first && p <= range.last;
  const own = (i: number, p: number) => {
    const owner = owners.get(p);
    return owner === undefined || owner === keyOf(i) || owner.startsWith(`${keyOf(i)}@`);
  };

  // Pinned numbers are fixed; they must not belong to another key.
  const pinned = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const p = nodes[members[i]].pinned;
    if (p === undefined) continue;
    if (!own(i, p)) problems.push({ kind: "pinned-taken", key: keyOf(i), priority: p, owner: owners.get(p)! });
    pinned.set(i, p);
  }
  for (const [a, pa] of pinned) {
    for (const [b, pb] of pinned) {
      if (reach.has(a, b) && pa >= pb) problems.push({ kind: "pinned-order", key: keyOf(a), other: keyOf(b) });
    }
  }
  if (problems.length) return { assigned: new Map(), problems };

  // Held numbers that agree with the order are kept: the largest such set.
  const held = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    if (pinned.has(i)) continue;
    const p = previous.held[keyOf(i)];
    if (inRange(p)) held.set(i, p);
  }
  const violates = (a: number, pa: number, b: number, pb: number) => (reach.has(a, b) && pa >= pb) || (reach.has(b, a) && pb >= pa);
  for (const [i, p] of [...held]) {
    for (const [j, pj] of pinned) if (violates(i, p, j, pj)) held.delete(i);
  }
  // Unedited rules first (the largest consistent set of them), then edited ones where they still fit.
  const edited = (i: number) => {
    const before = previous.fingerprints?.[keyOf(i)];
    const now = nodes[members[i]].fingerprint;
    return before !== undefined && now !== undefined && before !== now;
  };
  const isInvolved = (i: number) => [...held].some(([j, pj]) => j !== i && violates(i, held.get(i)!, j, pj));
  const involved = [...held.keys()].filter(isInvolved);
  if (involved.length > 0) {
    const editedHeld = new Map(involved.filter(edited).map((i) => [i, held.get(i)!]));
    for (const i of editedHeld.keys()) held.delete(i);
    const stable = involved.filter((i) => !editedHeld.has(i));
    const keep = maximumAntichain(stable, (a, b) => reach.has(a, b) && held.get(a)! > held.get(b)!);
    for (const i of stable) if (!keep.has(i)) held.delete(i);
    for (const [i, p] of [...editedHeld].sort((a, b) => (keyOf(a[0]) < keyOf(b[0]) ? -1 : 1))) {
      if ([...held].every(([j, pj]) => !violates(i, p, j, pj))) held.set(i, p);
    }
  }
  const anchored = new Map<number, number>([...pinned, ...held]);
  // Keys coming back take their own released number when it still fits.
  for (let i = 0; i < n; i++) {
    if (anchored.has(i)) continue;
    const p = previous.released[keyOf(i)];
    if (!inRange(p)) continue;
    if ([...anchored].every(([j, pj]) => !violates(i, p, j, pj))) anchored.set(i, p);
  }

  for (;;) {
    const assigned = new Map(anchored);
    // Fresh numbers only: nothing any key of the listener held or released, nothing assigned now.
    const work = taken.copy();
    for (const p of anchored.values()) work.add(p);
    const floating = topo.filter((i) => !anchored.has(i));
    const floatingSet = new Set(floating);
    const chainAfter = new Map<number, number>();
    for (let t = floating.length - 1; t >= 0; t--) {
      const i = floating[t];
      chainAfter.set(i, Math.max(0, ...succ[i].filter((s) => floatingSet.has(s)).map((s) => 1 + chainAfter.get(s)!)));
    }
    let failed: { node: number; lowBound?: number; highBound?: number } | undefined;
    for (const i of floating) {
      let lo = range.first - 1;
      let lowBound: number | undefined;
      for (const p of pred[i]) {
        const v = assigned.get(p)!;
        if (v > lo) {
          lo = v;
          lowBound = p;
        }
      }
      let hi = range.last + 1;
      let highBound: number | undefined;
      for (const [j, pj] of anchored) {
        if (pj < hi && reach.has(i, j)) {
          hi = pj;
          highBound = j;
        }
      }
      const run = work.largestFreeRun(lo, hi);
      if (!run) {
        failed = { node: i, lowBound, highBound };
        break;
      }
      const priority = run.start + Math.floor((run.length - 1) / (chainAfter.get(i)! + 2));
      assigned.set(i, priority);
      work.add(priority);
    }
    if (!failed) return { assigned, problems };

    // No fresh number fits: move the anchored rule that bounds the gap and has most room behind it.
    const anchoredAncestor = (i: number): number | undefined => {
      let best: number | undefined;
      for (const [j, pj] of anchored) if (reach.has(j, i) && (best === undefined || pj > anchored.get(best)!)) best = j;
      return best;
    };
    const below =
      failed.lowBound === undefined ? undefined : anchored.has(failed.lowBound) ? failed.lowBound : anchoredAncestor(failed.node);
    const above = failed.highBound;
    const candidates = [below, above].filter((c): c is number => c !== undefined && !pinned.has(c));
    if (candidates.length === 0) {
      const between = [below, above].filter((c): c is number => c !== undefined).map(keyOf);
      problems.push(
        between.length > 0
          ? { kind: "no-room", key: keyOf(failed.node), between }
          : { kind: "exhausted", key: keyOf(failed.node), range, tombstones: taken.countIn(range) },
      );
      return { assigned, problems };
    }
    const room = (c: number) => {
      const p = anchored.get(c)!;
      if (c === above) {
        let next = range.last + 1;
        for (const [j, pj] of anchored) if (pj > p && pj < next && reach.has(c, j)) next = pj;
        return next - p;
      }
      let prev = range.first - 1;
      for (const [j, pj] of anchored) if (pj < p && pj > prev && reach.has(j, c)) prev = pj;
      return p - prev;
    };
    candidates.sort((a, b) => Number(edited(b)) - Number(edited(a)) || room(b) - room(a) || (keyOf(a) < keyOf(b) ? -1 : 1));
    anchored.delete(candidates[0]);
  }
}

/**
 * Allocates a priority for every node: kept from `previous.held` where still consistent, fresh
 * otherwise. `edges` are [before, after] index pairs into `nodes` (rules that must precede others).
 */
export function allocatePriorities(
  nodes: readonly AllocationNode[],
  edges: readonly (readonly [number, number])[],
  previous: ListenerLock,
): AllocationResult {
  const owners = new Map<number, string>();
  for (const [key, p] of Object.entries(previous.released)) owners.set(p, key);
  for (const [key, p] of Object.entries(previous.held)) owners.set(p, key);
  const taken = new TakenNumbers(owners.keys());
  const bands = new Map<string, number[]>();
  nodes.forEach((node, i) => {
    const id = `${node.range.first}-${node.range.last}`;
    bands.set(id, [...(bands.get(id) ?? []), i]);
  });
  const priorities = new Map<string, number>();
  const problems: AllocationProblem[] = [];
  for (const members of bands.values()) {
    const result = allocateBand(nodes, members, edges, previous, owners, taken);
    problems.push(...result.problems);
    for (const [local, p] of result.assigned) {
      priorities.set(nodes[members[local]].key, p);
      taken.add(p);
    }
  }
  if (problems.length > 0) return { priorities, lock: previous, moved: [], problems };

  const held: Record<string, number> = {};
  const released: Record<string, number> = { ...previous.released };
  const moved: string[] = [];
  const fingerprints: Record<string, string> = {};
  for (const node of nodes) {
    held[node.key] = priorities.get(node.key)!;
    if (node.fingerprint !== undefined) fingerprints[node.key] = node.fingerprint;
  }
  for (const [key, p] of Object.entries(previous.held)) {
    if (!(key in held)) released[key] = p;
    else if (held[key] !== p) {
      released[movedTombstoneKey(key, p)] = p;
      moved.push(key);
    }
  }
  for (const key of Object.keys(held)) {
    if (!(key in released)) continue;
    if (released[key] !== held[key]) released[movedTombstoneKey(key, released[key])] = released[key];
    delete released[key];
  }
  return { priorities, lock: { held, released, ...(Object.keys(fingerprints).length > 0 ? { fingerprints } : {}) }, moved, problems };
}
