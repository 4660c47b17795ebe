import { ConfigError } from "../../lib/core/errors";
import { parseStage, stagePresets, stageWeights } from "../../lib/traffic/blue-green-stage";

describe("Blue/Green stages", () => {
  test.each([
    ["blue", { blue: 100, green: 0 }],
    ["green", { blue: 0, green: 100 }],
    ["blue-canary-10", { blue: 90, green: 10 }],
    ["blue-split-50", { blue: 50, green: 50 }],
    ["green-canary-5", { blue: 5, green: 95 }],
  ])("%s sends %j", (stage, weights) => {
    expect(stageWeights(parseStage(stage))).toEqual(weights);
  });

  test("the live color is explicit: it is the one named first, whatever the share", () => {
    expect(parseStage("blue-split-50").live).toBe("blue");
    expect(parseStage("green-split-50").live).toBe("green");
  });

  test("a cycle from blue walks blue -> canary -> split -> green, and rollback is the previous stage", () => {
    expect(stagePresets("blue")).toEqual(["blue", "blue-canary-10", "blue-split-50", "green"]);
    expect(stagePresets("green")).toEqual(["green", "green-canary-10", "green-split-50", "blue"]);
    for (const stage of stagePresets("blue")) expect(() => parseStage(stage)).not.toThrow();
  });

  test.each([
    ["both colors live", "blue-green"],
    ["no color", "canary-10"],
    ["a percent of 0", "blue-canary-0"],
    ["a percent of 100", "blue-split-100"],
    ["upper case", "Blue"],
  ])("rejects %s with a message naming the field and the presets", (_label, stage) => {
    expect(() => parseStage(stage, "staging.json traffic.stage")).toThrow(ConfigError);
    expect(() => parseStage(stage, "staging.json traffic.stage")).toThrow(/staging\.json traffic\.stage = /);
  });
});
