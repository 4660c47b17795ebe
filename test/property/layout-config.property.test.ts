/**
 * Property tests over the layouts' configuration files: edits a user could make to the
 * example configurations. Valid edits build the stack; each broken edit fails with a
 * ConfigError whose message names the file and the field.
 */
import { Testing } from "cdktf";
import fc from "fast-check";
import { ConfigError } from "../../lib/core/errors";
import { parseLayoutConfig } from "../../stacks/config/load-config";
import { BlueGreenConfig, TwoVersionConfig } from "../../stacks/config/layout-config";
import { BlueGreenStack } from "../../stacks/layouts/blue-green-stack";
import { TwoVersionStack } from "../../stacks/layouts/two-version-stack";
import { exampleJson } from "../support/layouts";
import { synthJson } from "../support/synth";
import { PURE_RUNS, RunCounter, SYNTH_SAMPLE } from "./property-runs";

const counter = new RunCounter();
afterAll(() => {
  // eslint-disable-next-line no-console
  console.log(counter.summary("layout-config"));
});

const TWO_VERSION = "two-version.staging.json";
const BLUE_GREEN = "blue-green.production.json";

/** Builds the stack a raw configuration describes; throws what the user would see. */
function build(raw: any): void {
  const config = parseLayoutConfig(raw, raw.layout === "two-version" ? TWO_VERSION : BLUE_GREEN);
  const app = Testing.app();
  const stack =
    config.layout === "two-version"
      ? new TwoVersionStack(app, "t", config as TwoVersionConfig, TWO_VERSION)
      : new BlueGreenStack(app, "b", config as BlueGreenConfig, BLUE_GREEN);
  synthJson(stack);
}

const capacity = fc
  .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 10 }))
  .map(([min, extraDesired, extraMax]) => ({ min, desired: min + extraDesired, max: min + extraDesired + extraMax }));

const weights = fc
  .tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 999 }))
  .filter(([a, b]) => a + b > 0)
  .map(([a, b]) => [
    { fleet: "rails3", weight: a },
    { fleet: "rails4", weight: b },
  ]);

const stage = fc.oneof(
  fc.constantFrom("blue", "green"),
  fc.tuple(fc.constantFrom("blue", "green"), fc.constantFrom("canary", "split"), fc.integer({ min: 1, max: 99 })).map(([c, k, p]) => `${c}-${k}-${p}`),
);

/** A valid edit: new capacities, weights for the 9:1 route, a maintenance switch, or a Blue/Green stage. */
const validEdit = fc.oneof(
  fc.record({ rails3: capacity, rails4: capacity, split: weights, maintenance: fc.boolean() }).map((e) => {
    const raw = exampleJson(TWO_VERSION);
    raw.fleets.rails3.capacity = e.rails3;
    raw.fleets.rails4.capacity = e.rails4;
    raw.routing.routes[0].to.weights = e.split;
    raw.routing.maintenance.enabled = e.maintenance;
    return raw;
  }),
  fc.record({ blue: capacity, green: capacity, stage, maintenance: fc.boolean() }).map((e) => {
    const raw = exampleJson(BLUE_GREEN);
    raw.fleets.blue.capacity = e.blue;
    raw.fleets.green.capacity = e.green;
    raw.traffic.stage = e.stage;
    raw.maintenance.enabled = e.maintenance;
    return raw;
  }),
);

/** A broken edit of the two-version example, with the field its message must name. */
const brokenEdit: fc.Arbitrary<{ kind: string; raw: any; field: RegExp }> = fc.oneof(
  fc.constantFrom("instancetype", "imageID", "capcity", "healthcheck").map((key) => {
    const raw = exampleJson(TWO_VERSION);
    raw.fleets.rails4[key] = 1;
    return { kind: "unknown key", raw, field: new RegExp(`fleets\\.rails4\\.${key}`) };
  }),
  fc.integer({ min: 1, max: 5 }).map((n) => {
    const raw = exampleJson(TWO_VERSION);
    raw.fleets.rails3.capacity = { min: n + 1, desired: n, max: n + 2 };
    return { kind: "capacities inverted", raw, field: /rails3.*capacity\.min/ };
  }),
  fc.oneof(fc.integer({ min: 1000, max: 100000 }), fc.integer({ min: -1000, max: -1 })).map((w) => {
    const raw = exampleJson(TWO_VERSION);
    raw.routing.routes[0].to.weights[0].weight = w;
    return { kind: "weight out of range", raw, field: /routes\[0\]|hoge-fuga/ };
  }),
  fc.constant(0).map(() => {
    const raw = exampleJson(TWO_VERSION);
    raw.routing.routes[0].to.weights = [
      { fleet: "rails3", weight: 0 },
      { fleet: "rails4", weight: 0 },
    ];
    return { kind: "all weights zero", raw, field: /routes\[0\]|hoge-fuga/ };
  }),
  fc.stringMatching(/^[a-z][a-z0-9]{2,8}$/).filter((n) => n !== "rails3" && n !== "rails4").map((name) => {
    const raw = exampleJson(TWO_VERSION);
    raw.routing.default = name;
    return { kind: "unknown fleet", raw, field: /routing\.default/ };
  }),
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 33, max: 99 })).map(([octet, bits]) => {
    const raw = exampleJson(TWO_VERSION);
    raw.loadBalancer.ingressCidrs = [`10.${octet}.0.0/${bits}`];
    return { kind: "malformed CIDR", raw, field: /loadBalancer\.ingressCidrs\[0\]/ };
  }),
  fc.constant(0).map(() => {
    const raw = exampleJson(TWO_VERSION);
    raw.network.privateSubnetIds = [];
    return { kind: "empty subnet list", raw, field: /subnetIds/ };
  }),
  fc.constant(0).map(() => {
    const raw = exampleJson(TWO_VERSION);
    raw.routing.routes.push({ ...raw.routing.routes[0] });
    return { kind: "duplicate route", raw, field: /hoge-fuga/ };
  }),
  fc.stringMatching(/^[a-z0-9-]{1,12}$/).filter((s) => !/^(blue|green)(-(canary|split)-([1-9]|[1-9][0-9]))?$/.test(s)).map((bad) => {
    const raw = exampleJson(BLUE_GREEN);
    raw.traffic.stage = bad;
    return { kind: "bad stage", raw, field: /traffic\.stage/ };
  }),
  fc.constantFrom("a".repeat(40), "Rails_4", "-x").map((name) => {
    const raw = exampleJson(TWO_VERSION);
    raw.fleets[name] = raw.fleets.rails4;
    return { kind: "bad fleet name", raw, field: /name/ };
  }),
);

test("valid edits of the example configurations build their stacks", () => {
  fc.assert(
    fc.property(validEdit, (raw) => {
      counter.hit("valid edit builds");
      build(raw);
    }),
    { numRuns: SYNTH_SAMPLE },
  );
});

test("every broken edit fails with a ConfigError naming the file and the field", () => {
  fc.assert(
    fc.property(brokenEdit, ({ kind, raw, field }) => {
      counter.hit(`broken: ${kind}`);
      let error: unknown;
      try {
        build(raw);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toMatch(field);
      expect(message).toMatch(/\.json|AppServerGroup|TrafficRouter/);
    }),
    { numRuns: PURE_RUNS },
  );
});
