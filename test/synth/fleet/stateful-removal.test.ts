/**
 * The removal guard of stateful fleets, which survives the deletion of the fleet's code: the stack
 * lock records every stateful fleet, and a synthesis that loses one still recorded "in-service"
 * fails, naming the fleet, the lock file and the two-step fix (lib/lock/STACK-LOCK.md).
 */
import { AnnotationMetadataEntryType, App, TerraformStack } from "cdktf";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AwsProvider } from "../../../lib/aws/resources";
import { ConfigError } from "../../../lib/core/errors";
import { AppServerGroup } from "../../../lib/fleet/app-server-group";
import { AppServerGroupProps } from "../../../lib/fleet/app-server-group-props";
import { ALLOW_STATEFUL_REMOVAL_ENV, InMemoryStackLock, StackLockFile, type StackLockStore } from "../../../lib/lock/stack-lock-store";
import { parseStackLock } from "../../../lib/lock/stack-lock-data";
import { TrafficRouter } from "../../../lib/router/traffic-router";
import { synthAtomically } from "../../../lib/synth/synth-atomically";
import { exampleLock, synthTwoVersion } from "../../support/layouts";
import { fleetProps } from "../../support/fixtures";
import { synthJson } from "../../support/synth";
import { routerProps } from "../router/router-fixtures";
import { withEnv } from "../../support/environment";

type Db = Partial<AppServerGroupProps> | "deleted";

/** A stack whose router and fleets name `lock`: the stateless "web" gets the traffic, "db" (stateful) sits beside it. */
function stackWith(
  lock: StackLockStore,
  db: Db = {},
  app: App = new App({ outdir: mkdtempSync(join(tmpdir(), "stateful-out-")) }),
): TerraformStack {
  const stack = new TerraformStack(app, "web");
  new AwsProvider(stack, "aws", { region: "ap-northeast-1" });
  const router = new TrafficRouter(stack, "Router", routerProps({ namespace: "prod", lockFile: lock }));
  const web = new AppServerGroup(stack, "Web", fleetProps({ name: "web", namespace: "prod", loadBalancer: router, lockFile: lock }));
  if (db !== "deleted") {
    new AppServerGroup(
      stack,
      "Db",
      fleetProps({
        name: "db",
        namespace: "prod",
        loadBalancer: router,
        stateful: { drainCommand: "/usr/local/bin/ship" },
        lockFile: lock,
        ...db,
      }),
    );
  }
  router.setRoutingTable({ default: web });
  return stack;
}

const statefulFleets = (lock: InMemoryStackLock) => parseStackLock(lock.text!, "lock").statefulFleets;

/** A lock that recorded "prod-db" in service: the baseline of every removal. */
function deployedLock(): InMemoryStackLock {
  const lock = new InMemoryStackLock(undefined, { location: "web.lock.json" });
  synthJson(stackWith(lock));
  return lock;
}

function refusal(lock: InMemoryStackLock, db: Db): ConfigError {
  try {
    synthJson(stackWith(lock, db));
  } catch (e) {
    expect(ConfigError.isConfigError(e)).toBe(true);
    return e as ConfigError;
  }
  throw new Error("expected synthesis to be refused");
}

/** Runs `run` with APP_FLEETS_ALLOW_STATEFUL_REMOVAL set to `value`. */
function withOverride<T>(value: string, run: () => T): T {
  return withEnv(ALLOW_STATEFUL_REMOVAL_ENV, value, run);
}

describe("the stack lock records stateful fleets", () => {
  test("a stateful fleet is recorded in service; stateless fleets are not recorded", () => {
    expect(statefulFleets(deployedLock())).toEqual({ "prod-db": { status: "in-service" } });
  });

  test("a retiring fleet is recorded as retiring", () => {
    const lock = deployedLock().copy();
    synthJson(stackWith(lock, { stateful: { retire: true } }));
    expect(statefulFleets(lock)).toEqual({ "prod-db": { status: "retiring" } });
  });
});

describe("removing a stateful fleet without retiring it is refused", () => {
  test("deleting its code fails synthesis, naming the fleet, the lock file and the two-step fix", () => {
    const lock = deployedLock().copy();
    const error = refusal(lock, "deleted");
    expect(error.violations).toHaveLength(1);
    expect(error.message).toMatch(
      /^web\.lock\.json: statefulFleets\.prod-db = "in-service": records stateful fleet "prod-db" in service, but the stack no longer has it/,
    );
    expect(error.message).toMatch(/would delete its Auto Scaling group and terminate its instances without draining them/);
    expect(error.message).toMatch(
      /Fix: restore fleet "prod-db" as it was, then retire it in two changes, each deployed: 1\. set stateful\.retire: true .* 2\. once it has no instances left, delete it/,
    );
    expect(error.message).toContain(`${ALLOW_STATEFUL_REMOVAL_ENV}=prod-db`);
  });

  test("the refused synthesis leaves the lock as it was", () => {
    const lock = deployedLock().copy();
    const before = lock.text;
    refusal(lock, "deleted");
    expect(lock.text).toBe(before);
  });

  test("removing `stateful` from the fleet is refused the same way, saying it is no longer stateful", () => {
    expect(refusal(deployedLock().copy(), { stateful: undefined }).message).toMatch(
      /records stateful fleet "prod-db" in service, but it is no longer stateful/,
    );
  });

  test("renaming the fleet (a new qualified name: a new group, the old one deleted) is refused for the old name", () => {
    expect(refusal(deployedLock().copy(), { namespace: "prod2" }).message).toMatch(/statefulFleets\.prod-db/);
  });

  test("with a lock file on disk, synthAtomically writes neither the output nor the lock", () => {
    const dir = mkdtempSync(join(tmpdir(), "stateful-lock-"));
    try {
      const path = join(dir, "web.lock.json");
      writeFileSync(path, deployedLock().text!);
      const outdir = join(dir, "cdktf.out");
      const app = new App({ outdir });
      stackWith(new StackLockFile(path, { mode: "write" }), "deleted", app);
      expect(() => synthAtomically(app)).toThrow(/records stateful fleet "prod-db" in service/);
      expect(readFileSync(path, "utf8")).toBe(deployedLock().text);
      expect(() => readFileSync(join(outdir, "manifest.json"))).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("retiring, then removing: the documented two-step change", () => {
  test("step 1 (retire: true) synthesizes; step 2 (delete the fleet) synthesizes and drops the record", () => {
    const lock = deployedLock().copy();
    synthJson(stackWith(lock, { stateful: { drainCommand: "/usr/local/bin/ship", retire: true } }));
    const afterStep1 = lock.copy();
    synthJson(stackWith(afterStep1, "deleted"));
    expect(statefulFleets(afterStep1)).toEqual({});
  });

  test("skipping step 1 is refused even when retire is set in the same change as the deletion (the code that sets it is gone)", () => {
    expect(refusal(deployedLock().copy(), "deleted").message).toMatch(/set stateful\.retire: true/);
  });

  test("a retiring fleet taken back into service is recorded in service again, and guarded again", () => {
    const lock = deployedLock().copy();
    synthJson(stackWith(lock, { stateful: { retire: true } }));
    const back = lock.copy();
    synthJson(stackWith(back, { stateful: { retire: false } }));
    expect(statefulFleets(back)).toEqual({ "prod-db": { status: "in-service" } });
    expect(() => synthJson(stackWith(back.copy(), "deleted"))).toThrow(/records stateful fleet "prod-db" in service/);
  });

  test("a retiring fleet may become stateless (it has no instances left): the record is dropped", () => {
    const lock = deployedLock().copy();
    synthJson(stackWith(lock, { stateful: { retire: true } }));
    const stateless = lock.copy();
    synthJson(stackWith(stateless, { stateful: undefined }));
    expect(statefulFleets(stateless)).toEqual({});
  });
});

describe(`the emergency override, ${ALLOW_STATEFUL_REMOVAL_ENV}`, () => {
  test("naming the fleet lets the removal through, drops the record, and warns loudly naming the fleet", () => {
    const lock = deployedLock().copy();
    const stack = stackWith(lock, "deleted");
    withOverride("other-fleet, prod-db", () => synthJson(stack));
    expect(statefulFleets(lock)).toEqual({});
    const warnings = stack.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => String(m.data));
    expect(warnings).toEqual([
      expect.stringMatching(
        /^APP_FLEETS_ALLOW_STATEFUL_REMOVAL names "prod-db": removing stateful fleet "prod-db".* WITHOUT retiring it\. .*data that exists only on them is lost/,
      ),
    ]);
  });

  test("naming another fleet lets nothing through", () => {
    const lock = deployedLock().copy();
    expect(() => withOverride("prod-web", () => synthJson(stackWith(lock, "deleted")))).toThrow(
      /records stateful fleet "prod-db" in service/,
    );
  });

  test("without a removal to let through it changes nothing and warns nothing", () => {
    const lock = deployedLock().copy();
    const stack = stackWith(lock);
    withOverride("prod-db", () => synthJson(stack));
    expect(statefulFleets(lock)).toEqual({ "prod-db": { status: "in-service" } });
    expect(stack.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN)).toEqual([]);
  });
});

describe("the layouts", () => {
  /** rails3 as a stateful fleet (stateful fleets are never recycled), with the example's routing. */
  const statefulRails3 = (c: any) => {
    delete c.fleets.rails3.recycling;
    delete c.fleets.rails3.scaling;
    c.fleets.rails3.capacity = { min: 2, desired: 2, max: 6 };
    c.fleets.rails3.stateful = { drainCommand: "/usr/local/bin/ship-uploads" };
  };
  /** Every request on rails4: nothing routes to rails3 any more. */
  const rails3Unrouted = (c: any) => {
    c.routing = {
      default: "rails4",
      overrideHeader: { name: "X-Backend-Version", values: { "4": "rails4" }, sourceIps: ["203.0.113.0/24"] },
      hostPins: [{ hosts: ["assets4.example.com"], fleet: "rails4" }],
    };
  };

  function deployedTwoVersion(): InMemoryStackLock {
    const lock = exampleLock("two-version.staging.json");
    synthTwoVersion(statefulRails3, lock);
    expect(statefulFleets(lock)).toEqual({ "staging-rails3": { status: "in-service" } });
    return lock;
  }

  test("deleting a stateful fleet's entry from the configuration is refused, naming the fleet and the lock", () => {
    const lock = deployedTwoVersion().copy();
    expect(() =>
      synthTwoVersion((c) => {
        rails3Unrouted(c);
        delete c.fleets.rails3;
      }, lock),
    ).toThrow(
      /copy of two-version\.staging\.lock\.json: statefulFleets\.staging-rails3 = "in-service": records stateful fleet "staging-rails3" in service, but the stack no longer has it/,
    );
  });

  test("a retiring fleet that the routing table still sends traffic to is refused, naming where", () => {
    const lock = deployedTwoVersion().copy();
    expect(() => synthTwoVersion((c) => (statefulRails3(c), (c.fleets.rails3.stateful.retire = true)), lock)).toThrow(
      /two-version\.staging\.json: routing\.default = "rails3": sends traffic \(weight 1\) fleet "rails3", which is retiring \(stateful\.retire: true\)/,
    );
  });

  test("retiring then deleting, each step its own synthesis, passes: the first scales rails3 to zero, the second removes it", () => {
    const lock = deployedTwoVersion().copy();
    const step1 = synthTwoVersion((c) => {
      statefulRails3(c);
      rails3Unrouted(c);
      c.fleets.rails3.stateful.retire = true;
    }, lock);
    const rails3Group = Object.entries(step1.resource!.aws_autoscaling_group).find(([id]) => id.startsWith("rails3_"))![1];
    expect(rails3Group).toMatchObject({ min_size: 0, max_size: 0, desired_capacity: 0 });
    expect(statefulFleets(lock)).toEqual({ "staging-rails3": { status: "retiring" } });
    const step2Lock = lock.copy();
    const step2 = synthTwoVersion((c) => {
      rails3Unrouted(c);
      delete c.fleets.rails3;
    }, step2Lock);
    expect(JSON.stringify(step2.resource)).not.toMatch(/rails3/);
    expect(statefulFleets(step2Lock)).toEqual({});
  });
});
