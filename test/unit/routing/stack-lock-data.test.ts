/** The stack lock file's format: every value checked on read, a stable text on write. */
import { ConfigError } from "../../../lib/core/errors";
import {
  describeLockChanges,
  emptyStackLock,
  parseStackLock,
  serializeStackLock,
  statefulFleetOf,
  withRouterLock,
  withStatefulFleet,
  type StackLockData,
} from "../../../lib/lock/stack-lock-data";

const VALID = {
  lockVersion: 1,
  about: "anything",
  routers: {
    web: {
      trafficRules: {
        held: { "route-hoge-0": 27500, "override-rails4-0": 1500 },
        released: { "route-api-v1-0": 26000 },
        fingerprints: { "route-hoge-0": "0a1b2c3d4e5f" },
      },
      anchorRules: { held: { rails3: 25000, rails4: 12500 }, released: {} },
    },
  },
  statefulFleets: { "prod-db": { status: "in-service" } },
};

function problems(value: unknown): string[] {
  try {
    parseStackLock(typeof value === "string" ? value : JSON.stringify(value), "web.lock.json");
  } catch (e) {
    if (e instanceof ConfigError) return e.violations.map((v) => `${v.field}: ${v.limit}`);
    throw e;
  }
  return [];
}

describe("reading a stack lock", () => {
  test("a valid lock reads back as data, and serializes sorted (rules by priority) with a fixed header", () => {
    const data = parseStackLock(JSON.stringify(VALID), "web.lock.json");
    const text = serializeStackLock(data);
    expect(Object.keys(JSON.parse(text))).toEqual(["lockVersion", "about", "routers", "statefulFleets"]);
    expect(Object.keys(JSON.parse(text).routers.web.trafficRules.held)).toEqual(["override-rails4-0", "route-hoge-0"]);
    expect(JSON.parse(text).about).toMatch(/Commit it with the configuration/);
    expect(parseStackLock(text, "web.lock.json")).toEqual(data);
    expect(serializeStackLock(parseStackLock(text, "x"))).toBe(text);
    expect(statefulFleetOf(data, "prod-db")).toEqual({ status: "in-service" });
  });

  test.each<[string, unknown, RegExp]>([
    ["an unknown key", { ...VALID, extra: 1 }, /web\.lock\.json\.extra: is not a known lock file entry/],
    [
      "a priority outside 1-50000",
      { ...VALID, routers: { web: { trafficRules: { held: { a: 50001 }, released: {} } } } },
      /held\["a"\]: must be a listener-rule priority, an integer 1-50000/,
    ],
    [
      "a fractional priority",
      { ...VALID, routers: { web: { trafficRules: { held: { a: 1.5 }, released: {} } } } },
      /must be a listener-rule priority/,
    ],
    [
      "one number held by two keys (two branches merged)",
      { ...VALID, routers: { web: { trafficRules: { held: { "route-a-0": 30000, "route-b-0": 30000 }, released: {} } } } },
      /held\["route-b-0"\]: is also held\["route-a-0"\]; one listener cannot give one priority to two rules/,
    ],
    [
      "a number both held and released by different keys",
      { ...VALID, routers: { web: { trafficRules: { held: { a: 7 }, released: { b: 7 } } } } },
      /released\["b"\]: is also held\["a"\]/,
    ],
    [
      "a key both held and released",
      { ...VALID, routers: { web: { trafficRules: { held: { a: 7 }, released: { a: 8 } } } } },
      /rule key "a" is both held and released/,
    ],
    [
      "a fingerprint of a key not held",
      { ...VALID, routers: { web: { trafficRules: { held: {}, released: {}, fingerprints: { a: "ff" } } } } },
      /which the listener does not hold/,
    ],
    ["a wrong lock version", { ...VALID, lockVersion: 2 }, /lockVersion: must be 1/],
    [
      "an unknown stateful status",
      { ...VALID, statefulFleets: { db: { status: "gone" } } },
      /statefulFleets\["db"\]\.status: must be one of "in-service", "retiring"/,
    ],
  ])("%s is refused, naming the file and the entry", (_, value, expected) => {
    expect(problems(value)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  test("a duplicate JSON key (what a careless merge leaves) is refused with its line and column", () => {
    const text =
      '{\n  "lockVersion": 1,\n  "routers": {\n    "web": { "trafficRules": { "held": { "a": 1, "a": 2 }, "released": {} } }\n  }\n}\n';
    expect(problems(text)).toEqual([
      expect.stringMatching(
        /^web\.lock\.json: routers\.web\.trafficRules\.held\.a \(line 4, column \d+\): is not valid lock file JSON: is given twice/,
      ),
    ]);
    // The lock is read by the configuration files' reader: "__proto__" stays an ordinary (and unknown) key.
    expect(problems('{"lockVersion": 1, "__proto__": {"x": 1}}')).toEqual([
      expect.stringMatching(/__proto__: is not a known lock file entry/),
    ]);
  });

  test("git conflict markers are refused as invalid JSON, with the fix", () => {
    let e: ConfigError | undefined;
    try {
      parseStackLock('{\n<<<<<<< HEAD\n  "lockVersion": 1\n}', "web.lock.json");
    } catch (err) {
      e = err as ConfigError;
    }
    expect(e?.violations[0]).toMatchObject({
      field: "web.lock.json: (top level) (line 2, column 1)",
      limit: expect.stringMatching(/merge conflict marker/),
      fix: expect.stringMatching(/resolve the conflict.*synthesize again/),
    });
  });
});

describe("lock updates", () => {
  test("router sections and stateful fleets are replaced immutably, and changes are described line by line", () => {
    const before: StackLockData = emptyStackLock();
    const after = withStatefulFleet(
      withRouterLock(before, "web", {
        trafficRules: { held: { "route-a-0": 27500 }, released: {} },
        anchorRules: { held: {}, released: {} },
      }),
      "prod-db",
      { status: "retiring" },
    );
    expect(before).toEqual(emptyStackLock());
    expect(describeLockChanges(before, after)).toEqual([
      "routers.web.trafficRules.held: add route-a-0 = 27500",
      "statefulFleets.prod-db: (none) -> retiring",
    ]);
    expect(withStatefulFleet(after, "prod-db", undefined).statefulFleets).toEqual({});
  });
});
