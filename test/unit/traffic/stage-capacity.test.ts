/**
 * A Blue/Green stage never sends traffic to a color whose `capacity.min` is 0, and says so in the
 * terms of a Blue/Green file (its stage), not in terms of default weights it does not have.
 */
import { Testing } from "cdktf";
import { ConfigError, Violations } from "../../../lib/core/errors";
import { parseStage } from "../../../lib/traffic/blue-green-stage";
import { checkStageCapacity } from "../../../lib/traffic/stage-capacity";
import { parseLayoutConfig } from "../../../stacks/config/load-config";
import type { BlueGreenConfig } from "../../../stacks/config/layout-config";
import { BlueGreenStack } from "../../../stacks/layouts/blue-green-stack";
import { exampleJson, exampleLock } from "../../support/layouts";

/** The example with green scaled away (min 0) and the given stage. */
function greenScaledAway(stage: string): any {
  const raw = exampleJson("blue-green.production.json");
  raw.traffic.stage = stage;
  raw.fleets.green.capacity = { min: 0, max: 2 };
  delete raw.fleets.green.scaling;
  return raw;
}

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (e) {
    if (ConfigError.isConfigError(e)) return e;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("a stage that sends traffic to a color whose capacity.min is 0", () => {
  test("the configuration loader names traffic.stage, the color's min, and a fix in stages", () => {
    const error = errorOf(() => parseLayoutConfig(greenScaledAway("blue-canary-10"), "production.json"));
    expect(error.violations).toEqual([
      {
        field: "production.json: traffic.stage",
        value: "blue-canary-10",
        limit:
          "sends 10 % of the traffic to green, whose fleets.green.capacity.min is 0: a color that may have no instance must receive no traffic",
        fix: 'set "stage": "blue" (no traffic to green), or raise fleets.green.capacity.min to 1 or more and deploy that before a canary or split',
      },
    ]);
    expect(error.message).not.toMatch(/default|weight to 0/);
  });

  test("the layout built in code (no loader) refuses it with the same message, before the router's generic one", () => {
    const config = { ...exampleJson("blue-green.production.json"), traffic: { stage: "blue-split-50" } } as any;
    config.fleets.green.capacity = { min: 0, max: 2 };
    delete config.fleets.green.scaling;
    const error = errorOf(
      () =>
        new BlueGreenStack(Testing.app(), "bg", config as BlueGreenConfig, "production.json", {
          lockFile: exampleLock("blue-green.production.json"),
        }),
    );
    expect(error.violations.map((v) => [v.field, v.value])).toEqual([["production.json: traffic.stage", "blue-split-50"]]);
    expect(error.message).toMatch(/sends 50 % of the traffic to green, whose fleets\.green\.capacity\.min is 0/);
    expect(error.message).not.toMatch(/in default/);
  });

  test("the live color scaled away: the fix makes the other color live", () => {
    const v = new Violations();
    checkStageCapacity(v, "f.json: traffic.stage", parseStage("green"), { blue: 3, green: 0 });
    expect(v.all).toEqual([
      expect.objectContaining({
        limit: expect.stringMatching(/^sends 100 % of the traffic to green \(the live color\), whose fleets\.green\.capacity\.min is 0/),
        fix: 'raise fleets.green.capacity.min to 1 or more and deploy that first, or make blue live ("stage": "blue") if it runs',
      }),
    ]);
  });

  test("the stage that sends the scaled-away color nothing is fine, and its header route is left out", () => {
    expect(() => parseLayoutConfig(greenScaledAway("blue"), "production.json")).not.toThrow();
    const v = new Violations();
    checkStageCapacity(v, "f", parseStage("blue"), { blue: 3, green: 0 });
    expect(v.isEmpty).toBe(true);
  });
});
