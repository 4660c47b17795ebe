import { ConfigError, Violation } from "../../../lib/core/errors";
import { AppServerGroupProps, resolveFleetProps } from "../../../lib/fleet/app-server-group-props";
import { canaryCountForShare } from "../../../lib/fleet/canary";
import { fleetProps } from "../../support/fixtures";

function violations(overrides: Partial<AppServerGroupProps>): Violation[] {
  try {
    resolveFleetProps(fleetProps(overrides), "fleet");
  } catch (e) {
    if (e instanceof ConfigError) return [...e.violations];
    throw e;
  }
  return [];
}

/** The one violation of a field; every message carries value, limit and fix. */
function only(overrides: Partial<AppServerGroupProps>, field: string): Violation {
  const all = violations(overrides);
  expect(all.map((x) => x.field)).toEqual([`fleet ${field}`]);
  expect(all[0].limit.length).toBeGreaterThan(5);
  expect(all[0].fix.length).toBeGreaterThan(5);
  return all[0];
}

describe("rollout defaults", () => {
  const rollouts = resolveFleetProps(fleetProps({ appPort: 8080, healthCheck: { path: "/up" } })).rollouts;

  test("the bootstrap gate is on by default: 600 s heartbeat, readiness = the health path on the app port", () => {
    expect(rollouts.bootstrapGate).toEqual({
      heartbeatTimeoutSeconds: 600,
      readiness: { kind: "url", url: "http://127.0.0.1:8080/up", curlOptions: [] },
      attemptTimeoutSeconds: 5,
      retryIntervalSeconds: 10,
      deadlineSeconds: 580,
      maxFailedLaunches: 3,
      failedLaunchWindowSeconds: 3600,
    });
  });

  test("no canary, instance refresh, recycling or stateful guard unless asked", () => {
    expect(rollouts.canary).toBeUndefined();
    expect(rollouts.instanceRefresh).toBeUndefined();
    expect(rollouts.recycling).toBeUndefined();
    expect(rollouts.stateful).toBeUndefined();
  });

  test("the gate can be turned off", () => {
    expect(resolveFleetProps(fleetProps({ bootstrapGate: { enabled: false } })).rollouts.bootstrapGate).toBeUndefined();
  });

  test("an apply waits 900 s for healthy instances unless capacityTimeoutSeconds says otherwise", () => {
    expect(resolveFleetProps(fleetProps({})).capacityTimeoutSeconds).toBe(900);
    expect(resolveFleetProps(fleetProps({ capacityTimeoutSeconds: 1800 })).capacityTimeoutSeconds).toBe(1800);
  });
});

describe("bootstrap gate validation", () => {
  test.each([
    [
      { heartbeatTimeoutSeconds: 29, attemptTimeoutSeconds: 1, retryIntervalSeconds: 1 },
      "bootstrapGate.heartbeatTimeoutSeconds",
      /30 to 7200/,
    ],
    [{ heartbeatTimeoutSeconds: 90.5 }, "bootstrapGate.heartbeatTimeoutSeconds", /whole number/],
    [{ attemptTimeoutSeconds: 0 }, "bootstrapGate.attemptTimeoutSeconds", /1-60/],
    [{ retryIntervalSeconds: 301 }, "bootstrapGate.retryIntervalSeconds", /1-300/],
    [{ readinessUrl: "http://127.0.0.1/$(reboot)" }, "bootstrapGate.readinessUrl", /without spaces, quotes/],
    [{ readinessUrl: "ftp://x/" }, "bootstrapGate.readinessUrl", /http/],
    [{ readinessCommand: "  " }, "bootstrapGate.readinessCommand", /empty/],
    [{ readinessCommand: "true\nAPP_FLEETS_END_OF_FILE\n" }, "bootstrapGate.readinessCommand", /here-document/],
    [{ readinessCommand: "true", readinessUrl: "http://127.0.0.1/" }, "bootstrapGate.readinessUrl", /cannot be combined/],
    [
      { heartbeatTimeoutSeconds: 40, retryIntervalSeconds: 20 },
      "bootstrapGate.attemptTimeoutSeconds + retryIntervalSeconds",
      /more than one attempt/,
    ],
  ])("%j is rejected at %s", (gate, field, limit) => {
    expect(only({ bootstrapGate: gate }, field).limit).toMatch(limit);
  });

  test("a heartbeat as long as capacityTimeoutSeconds is rejected: the apply would give up first", () => {
    const v = only(
      { bootstrapGate: { heartbeatTimeoutSeconds: 600 }, capacityTimeoutSeconds: 600 },
      "bootstrapGate.heartbeatTimeoutSeconds",
    );
    expect(v.limit).toContain("capacityTimeoutSeconds (600 s)");
    expect(violations({ bootstrapGate: { heartbeatTimeoutSeconds: 599 }, capacityTimeoutSeconds: 600 })).toEqual([]);
  });

  test("user data cloud-init would skip is rejected once the gate wraps it, and accepted with the gate off", () => {
    expect(only({ userData: "apt-get install -y nginx" }, "userData").fix).toContain("#!/bin/bash");
    expect(violations({ userData: "apt-get install -y nginx", bootstrapGate: { enabled: false } })).toEqual([]);
  });

  test("composed user data over 16 KB is rejected", () => {
    expect(only({ userData: `#!/bin/bash\n${"#".repeat(16_000)}\n` }, "userData").limit).toContain("16384 bytes");
  });
});

describe("canary validation", () => {
  test.each([
    [{ imageId: "ami-xyz" }, "canary.imageId", /AMI ID/],
    [{ instanceType: "large" }, "canary.instanceType", /instance type/],
    [{ imageId: "ami-0fedcba9876543210", count: 0 }, "canary.count", /1 to the fleet's desired capacity \(2\)/],
    [{ imageId: "ami-0fedcba9876543210", count: 3 }, "canary.count", /desired capacity \(2\)/],
    [{ imageId: "ami-0fedcba9876543210", sharePercent: 60 }, "canary.sharePercent", /1-50/],
  ])("%j is rejected at %s", (canary, field, limit) => {
    const found = violations({ canary });
    expect(found.map((x) => x.field)).toContain(`fleet ${field}`);
    expect(found.find((x) => x.field === `fleet ${field}`)!.limit).toMatch(limit);
  });

  test("a share that would load each canary instance more than twice a fleet instance is refused", () => {
    const found = violations({ capacity: { min: 4, max: 8 }, canary: { imageId: "ami-0fedcba9876543210", sharePercent: 50, count: 1 } });
    expect(found.find((x) => x.field === "fleet canary.sharePercent")!.limit).toMatch(
      /more than 2x what each of the fleet's 4 other instances carries/,
    );
  });

  test("a canary that changes nothing is rejected", () => {
    expect(only({ canary: { imageId: fleetProps().imageId } }, "canary").limit).toContain("tries nothing new");
  });

  test("a share is rounded up to whole instances, never zero", () => {
    expect([canaryCountForShare(10, 10), canaryCountForShare(10, 25), canaryCountForShare(2, 1), canaryCountForShare(0, 50)]).toEqual([
      1, 3, 1, 1,
    ]);
    const resolved = resolveFleetProps(
      fleetProps({ capacity: { min: 8, max: 12 }, canary: { instanceType: "t3.large", sharePercent: 20 } }),
    );
    expect(resolved.rollouts.canary).toEqual({
      imageId: fleetProps().imageId,
      instanceType: "t3.large",
      userData: undefined,
      count: 2,
      sharePercent: 20,
      maxCount: 2,
    });
  });

  test("without a share, the canary takes the traffic share of its instances: count / (desired + count)", () => {
    const canary = (c: object, capacity = { min: 4, max: 8 }) =>
      resolveFleetProps(fleetProps({ capacity, canary: { imageId: "ami-0fedcba9876543210", ...c } })).rollouts.canary!;
    expect(canary({}).sharePercent).toBe(20);
    expect(canary({ count: 2 }).sharePercent).toBe(33);
    expect(canary({}, { min: 200, max: 300 }).sharePercent).toBe(1);
  });

  test("a count and a share together size the canary and set its traffic apart", () => {
    expect(
      resolveFleetProps(
        fleetProps({ capacity: { min: 4, max: 8 }, canary: { imageId: "ami-0fedcba9876543210", count: 2, sharePercent: 10 } }),
      ).rollouts.canary,
    ).toMatchObject({
      count: 2,
      sharePercent: 10,
    });
  });

  test("when the fleet scales, the canary may grow to its share of the fleet's max, from its count", () => {
    const resolved = resolveFleetProps(
      fleetProps({
        capacity: { min: 4, max: 40 },
        scaling: { cpuTargetPercent: 50 },
        canary: { imageId: "ami-0fedcba9876543210", sharePercent: 10 },
      }),
    );
    expect(resolved.rollouts.canary).toMatchObject({ count: 1, sharePercent: 10, maxCount: 4 });
  });

  test("a fleet whose namespace and name leave no room for the canary's target group name is refused, naming the canary", () => {
    const found = violations({ namespace: "production", name: "checkout-api", canary: { imageId: "ami-0fedcba9876543210" } });
    expect(found.find((x) => x.field === "fleet canary")!.limit).toMatch(
      /canary's target group name "production-checkout-api-canary-tg" 33 characters; AWS allows 32/,
    );
  });
});

describe("instance refresh validation", () => {
  test.each([
    [{ checkpointPercentages: [] }, "instanceRefresh.checkpointPercentages", /at least one/],
    [{ checkpointPercentages: [50, 20, 100] }, "instanceRefresh.checkpointPercentages", /ascending/],
    [{ checkpointPercentages: [0, 100] }, "instanceRefresh.checkpointPercentages", /1-100/],
    [{ checkpointPercentages: [10, 50] }, "instanceRefresh.checkpointPercentages", /must end with 100/],
    [{ checkpointPercentages: [50, 100], checkpointDelaySeconds: 172_801 }, "instanceRefresh.checkpointDelaySeconds", /0-172800/],
    [{ checkpointDelaySeconds: 60 }, "instanceRefresh.checkpointDelaySeconds", /only applies with checkpointPercentages/],
    [{ minHealthyPercentage: 101 }, "instanceRefresh.minHealthyPercentage", /0-100/],
    [
      { minHealthyPercentage: 50, maxHealthyPercentage: 160 },
      "instanceRefresh.maxHealthyPercentage",
      /minHealthyPercentage \+ 100 \(150\)/,
    ],
    [{ maxHealthyPercentage: 100 }, "instanceRefresh.maxHealthyPercentage", /no room/],
    [{ instanceWarmupSeconds: -1 }, "instanceRefresh.instanceWarmupSeconds", />= 0/],
  ])("%j is rejected at %s", (refresh, field, limit) => {
    expect(only({ instanceRefresh: refresh }, field).limit).toMatch(limit);
  });

  test("maxHealthyPercentage above 200 is rejected", () => {
    const found = violations({ instanceRefresh: { maxHealthyPercentage: 201 } });
    expect(found.find((x) => /100-200/.test(x.limit))?.field).toBe("fleet instanceRefresh.maxHealthyPercentage");
  });

  test("defaults: launch before terminating, skip matching, one-hour checkpoints only with checkpoints", () => {
    expect(resolveFleetProps(fleetProps({ instanceRefresh: {} })).rollouts.instanceRefresh).toEqual({
      minHealthyPercentage: 100,
      maxHealthyPercentage: 110,
      skipMatching: true,
      checkpointPercentages: undefined,
      checkpointDelaySeconds: undefined,
      instanceWarmupSeconds: undefined,
    });
    expect(
      resolveFleetProps(fleetProps({ instanceRefresh: { checkpointPercentages: [20, 100] } })).rollouts.instanceRefresh
        ?.checkpointDelaySeconds,
    ).toBe(3600);
  });
});

describe("recycling validation", () => {
  test("a lifetime under one day is rejected, naming AWS's limit in seconds", () => {
    const v = only({ recycling: { maxInstanceLifetimeDays: 0.5 } }, "recycling.maxInstanceLifetimeDays");
    expect(v.limit).toContain("86400-31536000 seconds");
    expect(v.value).toBe(0.5);
  });

  test("a lifetime over a year is rejected", () => {
    only({ recycling: { maxInstanceLifetimeDays: 366 } }, "recycling.maxInstanceLifetimeDays");
  });

  test.each([100, 201, 150.5])("maxHealthyPercentage %p is rejected: replacements must launch first, within AWS's 200", (max) => {
    only({ recycling: { maxInstanceLifetimeDays: 7, maxHealthyPercentage: max } }, "recycling.maxHealthyPercentage");
  });

  test("days become seconds, and the maintenance policy launches before it terminates", () => {
    expect(resolveFleetProps(fleetProps({ recycling: { maxInstanceLifetimeDays: 1 } })).rollouts.recycling).toEqual({
      maxInstanceLifetimeSeconds: 86_400,
      minHealthyPercentage: 100,
      maxHealthyPercentage: 110,
    });
  });
});

describe("stateful guard validation", () => {
  test.each([
    [{ heartbeatTimeoutSeconds: 7201 }, "stateful.heartbeatTimeoutSeconds", /30 to 7200/],
    [{ drainCommand: "" }, "stateful.drainCommand", /empty/],
    [{ drainCommand: "sync\nAPP_FLEETS_END_OF_FILE" }, "stateful.drainCommand", /here-document/],
  ])("%j is rejected at %s", (stateful, field, limit) => {
    expect(only({ stateful }, field).limit).toMatch(limit);
  });

  test("a stateful fleet cannot have a canary: aborting it would delete data", () => {
    expect(only({ stateful: {}, canary: { instanceType: "t3.large" } }, "canary").limit).toContain("deletes its instances");
  });

  test("a stateful fleet cannot be recycled on a timer", () => {
    expect(only({ stateful: {}, recycling: { maxInstanceLifetimeDays: 7 } }, "recycling").limit).toContain("data-holding instances");
  });

  test("defaults: 900 s heartbeat, root volume kept, no drain command (hold for a person), in service, status under the fleet's parameter path", () => {
    expect(resolveFleetProps(fleetProps({ namespace: "prod", stateful: {} })).rollouts.stateful).toEqual({
      drainCommand: undefined,
      heartbeatTimeoutSeconds: 900,
      keepRootVolume: true,
      retire: false,
      statusParameterName: "/prod-rails4/app-fleets/status",
    });
  });

  test("retiring scales the fleet to zero (min = max = desired = 0), whatever capacity it was configured with", () => {
    const fleet = resolveFleetProps(fleetProps({ stateful: { retire: true }, capacity: { min: 3, desired: 4, max: 8 } }));
    expect(fleet.capacity).toEqual({ min: 0, max: 0, desired: 0 });
    expect(fleet.rollouts.stateful?.retire).toBe(true);
  });

  test("returning to service (retire: false) restores the configured capacity", () => {
    expect(resolveFleetProps(fleetProps({ stateful: { retire: false }, capacity: { min: 3, desired: 4, max: 8 } })).capacity).toEqual({
      min: 3,
      desired: 4,
      max: 8,
    });
  });

  test('retire must be a boolean: a string such as "yes" is refused, naming the field', () => {
    expect(only({ stateful: { retire: "yes" as unknown as boolean } }, "stateful.retire").limit).toMatch(/true or false/);
  });
});

test("every problem across the rollout options is reported in one error", () => {
  const found = violations({
    bootstrapGate: { heartbeatTimeoutSeconds: 10 },
    instanceRefresh: { checkpointPercentages: [10] },
    recycling: { maxInstanceLifetimeDays: 0 },
    stateful: { heartbeatTimeoutSeconds: 0 },
  });
  expect(found.map((x) => x.field)).toEqual(
    expect.arrayContaining([
      "fleet bootstrapGate.heartbeatTimeoutSeconds",
      "fleet instanceRefresh.checkpointPercentages",
      "fleet recycling.maxInstanceLifetimeDays",
      "fleet stateful.heartbeatTimeoutSeconds",
      "fleet recycling",
    ]),
  );
});
