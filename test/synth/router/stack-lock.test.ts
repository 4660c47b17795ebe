/**
 * The stack lock file around synthesis: read on first use, checked, written atomically only after a
 * successful synthesis (never in frozen mode), and the committed example locks up to date.
 */
import { AnnotationMetadataEntryType, App, TerraformStack } from "cdktf";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AwsProvider } from "../../../lib/aws/resources";
import { AppServerGroup } from "../../../lib/fleet/app-server-group";
import { StackLock } from "../../../lib/lock/stack-lock";
import { InMemoryStackLock, lockModeFromEnvironment, StackLockFile, type StackLockStore } from "../../../lib/lock/stack-lock-store";
import { parseStackLock } from "../../../lib/lock/stack-lock-data";
import { TrafficRouter } from "../../../lib/router/traffic-router";
import type { RoutableFleet } from "../../../lib/router/routable-fleet";
import type { Route, RoutingTable } from "../../../lib/routing/types";
import { synthAtomically } from "../../../lib/synth/synth-atomically";
import { buildApp, configFiles, EXAMPLE_CONFIG_DIR, lockFileOf } from "../../../stacks/build-app";
import { fleetProps } from "../../support/fixtures";
import { synthJson } from "../../support/synth";
import { routerProps, twoFleets } from "./router-fixtures";

const ROUTES = (e: { rails3: RoutableFleet; rails4: RoutableFleet }): Route<RoutableFleet>[] => [
  { name: "hoge", match: { paths: ["/hoge/*"] }, to: e.rails4 },
  { name: "hoge-legacy", match: { paths: ["/hoge/legacy/*"] }, to: e.rails3 },
];

/** A two-fleet stack in its own app, routed by `routes`, with `lockFile`. */
function stackWith(
  lockFile: string | StackLockStore,
  routes: (e: { rails3: RoutableFleet; rails4: RoutableFleet }) => Route<RoutableFleet>[],
  outdir?: string,
) {
  const app = new App({ outdir: outdir ?? mkdtempSync(join(tmpdir(), "lock-out-")) });
  const stack = new TerraformStack(app, "web");
  new AwsProvider(stack, "aws", { region: "ap-northeast-1" });
  const router = new TrafficRouter(stack, "Router", routerProps({ lockFile }));
  const rails3 = new AppServerGroup(stack, "Rails3", fleetProps({ name: "rails3", loadBalancer: router }));
  const rails4 = new AppServerGroup(stack, "Rails4", fleetProps({ name: "rails4", loadBalancer: router }));
  router.setRoutingTable({ default: rails3, routes: routes({ rails3, rails4 }) } as RoutingTable<RoutableFleet>);
  return { app, stack, router };
}

const priorities = (router: TrafficRouter) => Object.fromEntries(router.compiled.rules.map((r) => [r.key, r.priority]));

describe("a TrafficRouter with a lock file", () => {
  test("records its traffic and anchor rules in the lock when the stack synthesizes, and reuses them next time", () => {
    const lock = new InMemoryStackLock();
    const first = stackWith(lock, ROUTES);
    synthJson(first.stack);
    const data = parseStackLock(lock.text!, "lock");
    expect(data.routers.web.trafficRules.held).toEqual(priorities(first.router));
    expect(Object.keys(data.routers.web.anchorRules.held).sort()).toEqual(["rails3", "rails4"]);

    const next = lock.copy();
    const second = stackWith(next, (e) => [...ROUTES(e), { name: "api", match: { paths: ["/api/*"] }, to: e.rails4 }]);
    synthJson(second.stack);
    expect(priorities(second.router)).toMatchObject(priorities(first.router));
    expect(parseStackLock(next.text!, "lock").routers.web.anchorRules).toEqual(data.routers.web.anchorRules);
  });

  test("without a lock file, priorities are still correct, and synth warns that they are not kept", () => {
    const env = twoFleets();
    env.router.setRoutingTable({ default: env.rails3, routes: ROUTES(env) });
    const warnings = env.router.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => String(m.data));
    expect(warnings).toEqual([
      expect.stringMatching(/has no lockFile: listener-rule priorities are allocated afresh on every synth.*Fix: pass lockFile/),
    ]);
    const [legacy, hoge] = ["hoge-legacy", "hoge"].map((n) => env.router.compiled.rules.find((r) => r.source === n)!.priority);
    expect(legacy).toBeLessThan(hoge);
  });

  test("a broken lock file is refused before any resource exists, naming the file and the entry", () => {
    const lock = new InMemoryStackLock(
      JSON.stringify({ lockVersion: 1, routers: { web: { trafficRules: { held: { a: 7, b: 7 }, released: {} } } } }),
      { location: "web.lock.json" },
    );
    expect(() => stackWith(lock, ROUTES)).toThrow(
      /web\.lock\.json\.routers\["web"\]\.trafficRules\.held\["b"\] = 7: is also held\["a"\].*Fix: delete one of the two entries/,
    );
  });

  test("two stacks cannot share one lock file", () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), "lock-out-")) });
    const lock = new InMemoryStackLock();
    for (const id of ["one", "two"]) new TerraformStack(app, id);
    StackLock.open(app.node.findChild("one"), lock);
    expect(() => StackLock.open(app.node.findChild("two"), lock)).toThrow(
      /is already the lock file of stack "one"; each stack needs its own lock file/,
    );
  });
});

describe("writing the lock file", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "stack-lock-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("synthAtomically writes it after a successful synthesis; an unchanged lock is not rewritten", () => {
    const file = join(dir, "web.lock.json");
    const { app } = stackWith(new StackLockFile(file, { mode: "write" }), ROUTES, join(dir, "out"));
    synthAtomically(app);
    const text = readFileSync(file, "utf8");
    expect(parseStackLock(text, file).routers.web.trafficRules.held).toHaveProperty("route-hoge-0");
    const written = statSync(file).mtimeMs;
    synthAtomically(stackWith(new StackLockFile(file, { mode: "write" }), ROUTES, join(dir, "out")).app);
    expect(statSync(file).mtimeMs).toBe(written);
    expect(readFileSync(file, "utf8")).toBe(text);
  });

  test("a synthesis that fails anywhere (here: another stack's validation) writes no lock", () => {
    const file = join(dir, "web.lock.json");
    const { app } = stackWith(new StackLockFile(file, { mode: "write" }), ROUTES, join(dir, "out"));
    const bad = new TerraformStack(app, "zz-bad");
    new AwsProvider(bad, "aws", { region: "ap-northeast-1" });
    new TrafficRouter(bad, "Router", routerProps()); // no routing table: its validation fails
    expect(() => synthAtomically(app)).toThrow(/has no routing table/);
    expect(existsSync(file)).toBe(false);
  });

  test("a plain app.synth() writes it too (an app validation, after every stack synthesized)", () => {
    const file = join(dir, "web.lock.json");
    stackWith(new StackLockFile(file, { mode: "write" }), ROUTES, join(dir, "out")).app.synth();
    expect(existsSync(file)).toBe(true);
    expect(readdirTemporary(dir)).toEqual([]);
  });

  test("frozen mode fails instead of writing, naming the file and what would change", () => {
    const file = join(dir, "web.lock.json");
    writeFileSync(file, readFileSync(lockFileOf(join(EXAMPLE_CONFIG_DIR, "two-version.staging.json")), "utf8"));
    const before = readFileSync(file, "utf8");
    const { app } = stackWith(new StackLockFile(file, { mode: "frozen" }), ROUTES, join(dir, "out"));
    expect(() => synthAtomically(app)).toThrow(
      /stack lock .*web\.lock\.json would change, but locks are frozen[\s\S]*routers\.web\.trafficRules\.held: add route-hoge-0[\s\S]*Fix: synthesize locally/,
    );
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  test("frozen under CI=true or APP_FLEETS_LOCK=frozen; APP_FLEETS_LOCK=write writes even under CI", () => {
    expect(lockModeFromEnvironment({ CI: "true" })).toBe("frozen");
    expect(lockModeFromEnvironment({ CI: "false" })).toBe("write");
    expect(lockModeFromEnvironment({ APP_FLEETS_LOCK: "frozen" })).toBe("frozen");
    expect(lockModeFromEnvironment({ CI: "true", APP_FLEETS_LOCK: "write" })).toBe("write");
    expect(() => lockModeFromEnvironment({ APP_FLEETS_LOCK: "maybe" })).toThrow(/must be "write" or "frozen"/);
  });
});

function readdirTemporary(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith(".tmp"));
}

describe("the example configurations", () => {
  test("configuration directories skip lock files; each configuration's lock sits beside it", () => {
    const files = configFiles(EXAMPLE_CONFIG_DIR);
    expect(files.map((f) => f.split("/").pop()).sort()).toEqual(["blue-green.production.json", "two-version.staging.json"]);
    expect(lockFileOf("/x/production.json")).toBe("/x/production.lock.json");
  });

  test("the committed example locks are up to date: a frozen synthesis against them passes and writes nothing", () => {
    const previous = process.env.APP_FLEETS_LOCK;
    process.env.APP_FLEETS_LOCK = "frozen";
    try {
      const files = configFiles(EXAMPLE_CONFIG_DIR);
      const before = files.map((f) => readFileSync(lockFileOf(f), "utf8"));
      const app = new App({ outdir: mkdtempSync(join(tmpdir(), "examples-out-")) });
      const stacks = buildApp(app, files);
      for (const stack of stacks) synthJson(stack);
      const problems = StackLock.allOf(app).flatMap((l) => l.problems());
      expect(problems).toEqual([]);
      expect(files.map((f) => readFileSync(lockFileOf(f), "utf8"))).toEqual(before);
    } finally {
      if (previous === undefined) delete process.env.APP_FLEETS_LOCK;
      else process.env.APP_FLEETS_LOCK = previous;
    }
  });
});
