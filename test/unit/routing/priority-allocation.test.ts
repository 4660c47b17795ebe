/** Priority allocation from the lock: kept numbers, fresh numbers, tombstones and the fewest moves. */
import { allocatePriorities, type AllocationNode } from "../../../lib/routing/priority-allocation";

const band = { first: 5000, last: 50000 };
const node = (key: string, extra: Partial<AllocationNode> = {}): AllocationNode => ({ key, range: band, ...extra });

describe("allocatePriorities", () => {
  test("held numbers stay, a new rule takes a fresh number in the middle of the largest free gap its order allows", () => {
    const r = allocatePriorities(
      [node("a"), node("b"), node("new")],
      [
        [0, 2],
        [2, 1],
      ],
      { held: { a: 10000, b: 20000 }, released: {} },
    );
    expect(r.priorities.get("a")).toBe(10000);
    expect(r.priorities.get("b")).toBe(20000);
    expect(r.priorities.get("new")).toBe(15000);
    expect(r.moved).toEqual([]);
  });

  test("a fresh number is never one that another key held or released", () => {
    const released = Object.fromEntries(Array.from({ length: 9999 }, (_, i) => [`gone-${i}`, 10001 + i]));
    const r = allocatePriorities(
      [node("a"), node("b"), node("new")],
      [
        [0, 2],
        [2, 1],
      ],
      { held: { a: 10000, b: 20001 }, released: { ...released, "gone-x": 20000 } },
    );
    // Every number between a and b is someone's tombstone: one of them moves, to a fresh number.
    expect(r.moved.length).toBe(1);
    const numbers = [...r.priorities.values()];
    expect(new Set(numbers).size).toBe(3);
    expect(numbers.every((n) => n === 10000 || n === 20001 || n < 10000 || n > 20001)).toBe(true);
    expect(r.priorities.get("a")! < r.priorities.get("new")! && r.priorities.get("new")! < r.priorities.get("b")!).toBe(true);
    const movedKey = r.moved[0];
    expect(r.lock.released[`${movedKey}@${movedKey === "a" ? 10000 : 20001}`]).toBeDefined();
  });

  test("a removed key becomes a tombstone and takes its number back when it returns", () => {
    const first = allocatePriorities([node("a"), node("b")], [], { held: {}, released: {} });
    const removed = allocatePriorities([node("a")], [], first.lock);
    expect(removed.lock.released).toEqual({ b: first.priorities.get("b") });
    const other = allocatePriorities([node("a"), node("c")], [], removed.lock);
    expect(other.priorities.get("c")).not.toBe(first.priorities.get("b"));
    const back = allocatePriorities([node("a"), node("b"), node("c")], [], other.lock);
    expect(back.priorities.get("b")).toBe(first.priorities.get("b"));
    expect(back.lock.released).toEqual({});
  });

  test("when the order changed, the largest set of consistent numbers stays; an edited rule moves before an unedited one", () => {
    // a must now precede b, but the lock has them the other way round; b was edited.
    const lock = { held: { a: 30000, b: 20000 }, released: {}, fingerprints: { a: "aa", b: "b1" } };
    const r = allocatePriorities([node("a", { fingerprint: "aa" }), node("b", { fingerprint: "b2" })], [[0, 1]], lock);
    expect(r.priorities.get("a")).toBe(30000);
    expect(r.priorities.get("b")).toBeGreaterThan(30000);
    expect(r.moved).toEqual(["b"]);
    const other = allocatePriorities([node("a", { fingerprint: "a2" }), node("b", { fingerprint: "b1" })], [[0, 1]], lock);
    expect(other.moved).toEqual(["a"]);
  });

  test("an explicit priority is fixed; one that another key holds, or that contradicts the order, is a problem", () => {
    expect(allocatePriorities([node("a", { pinned: 7000 })], [], { held: {}, released: {} }).priorities.get("a")).toBe(7000);
    expect(allocatePriorities([node("a", { pinned: 7000 })], [], { held: {}, released: { old: 7000 } }).problems).toEqual([
      { kind: "pinned-taken", key: "a", priority: 7000, owner: "old" },
    ]);
    expect(
      allocatePriorities([node("a", { pinned: 8000 }), node("b", { pinned: 7000 })], [[0, 1]], { held: {}, released: {} }).problems,
    ).toEqual([{ kind: "pinned-order", key: "a", other: "b" }]);
    expect(
      allocatePriorities(
        [node("a", { pinned: 7000 }), node("x"), node("b", { pinned: 7001 })],
        [
          [0, 1],
          [1, 2],
        ],
        { held: {}, released: {} },
      ).problems,
    ).toEqual([{ kind: "no-room", key: "x", between: ["a", "b"] }]);
  });

  test("a chain of new rules is spread evenly, leaving room on both sides of each", () => {
    const nodes = Array.from({ length: 10 }, (_, i) => node(`n${i}`));
    const edges = nodes.slice(1).map((_, i) => [i, i + 1] as [number, number]);
    const r = allocatePriorities(nodes, edges, { held: {}, released: {} });
    const numbers = nodes.map((n) => r.priorities.get(n.key)!);
    expect([...numbers].sort((a, b) => a - b)).toEqual(numbers);
    const gaps = numbers.slice(1).map((n, i) => n - numbers[i]);
    expect(Math.min(...gaps)).toBeGreaterThan(3500);
  });
});
