/** One location format, values cut to a readable length, and failures printed for people. */
import {
  ConfigError,
  describeFailure,
  FieldLocation,
  formatViolation,
  jsonPath,
  MESSAGE_MAX_VIOLATIONS,
  renderValue,
  Violations,
} from "../../../lib/core/errors";

describe("error messages", () => {
  test("a file location reads `<file>: <json path>`", () => {
    const location = FieldLocation.file("production.json", "fleets.rails4");
    expect(location.field("capacity.desired")).toBe("production.json: fleets.rails4.capacity.desired");
    expect(location.field("subnetIds[1]")).toBe("production.json: fleets.rails4.subnetIds[1]");
    expect(location.field("")).toBe("production.json: fleets.rails4");
    expect(FieldLocation.file("production.json").field("")).toBe("production.json");
    expect(FieldLocation.parse("staging.json: routing").field("default")).toBe("staging.json: routing.default");
  });

  test("renamed props point at the key the user wrote", () => {
    const location = FieldLocation.file("p.json", "loadBalancer", {
      subnetIds: "network.publicSubnetIds",
      "limits.maxRulesPerLoadBalancer": "loadBalancer.maxRulesPerLoadBalancer",
    });
    expect(location.field("subnetIds[1]")).toBe("p.json: network.publicSubnetIds[1]");
    expect(location.field("limits.maxRulesPerLoadBalancer")).toBe("p.json: loadBalancer.maxRulesPerLoadBalancer");
    expect(location.field("certificateArn")).toBe("p.json: loadBalancer.certificateArn");
  });

  test("annotations that help in code are dropped from file paths", () => {
    const location = FieldLocation.file("s.json", "routing");
    expect(location.field('routes[0] "hoge".match.paths[0]')).toBe("s.json: routing.routes[0].match.paths[0]");
    expect(location.field('hostPins (fleet "rails4")')).toBe("s.json: routing.hostPins");
    expect(location.field('overrideHeader.values["3 (x)"]')).toBe('s.json: routing.overrideHeader.values["3 (x)"]');
  });

  test("a construct location keeps the construct's name", () => {
    expect(FieldLocation.construct('AppServerGroup "rails4" (web/rails4)').field("capacity.min")).toBe(
      'AppServerGroup "rails4" (web/rails4) capacity.min',
    );
  });

  test("JSON paths quote keys that are not identifiers", () => {
    expect(jsonPath(["tags", "Cost Center", "x"])).toBe('tags["Cost Center"].x');
    expect(jsonPath(["routes", 0, "match"])).toBe("routes[0].match");
    expect(jsonPath(["overrideHeader", "values", "3"])).toBe('overrideHeader.values["3"]');
  });

  test("long values are cut, with their length", () => {
    expect(renderValue("x".repeat(10_000_000))).toBe(`"${"x".repeat(77)}"… (10000000 characters)`);
    expect(renderValue(Array.from({ length: 1_000_000 }, (_, i) => i)).length).toBeLessThanOrEqual(162);
    expect(renderValue({ ["k".repeat(500)]: 1 }).length).toBeLessThan(120);
  });

  test("deep and cyclic values render without recursing into them", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(renderValue(deep)).toBe("[[[[…]]]]");
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    expect(renderValue(cycle)).toBe('{"a":1,"self":(cycle)}');
  });

  test("one violation is one line: field = value: limit. Fix: fix", () => {
    expect(
      formatViolation({ field: "p.json: region", value: "tokyo", limit: "is not an AWS region name", fix: 'write e.g. "ap-northeast-1"' }),
    ).toBe('p.json: region = "tokyo": is not an AWS region name. Fix: write e.g. "ap-northeast-1"');
  });

  test("the same violation found twice is reported once; a long list is counted, not printed whole", () => {
    const v = new Violations();
    for (let i = 0; i < 2; i++) v.add("p.json: network.vpcId", "vpc-x", "is not a VPC ID", "fix it");
    expect(new ConfigError([...v.all]).violations).toHaveLength(1);
    const many = Array.from({ length: 120 }, (_, i) => ({ field: `p.json: tags.t${i}`, value: i, limit: "bad", fix: "fix" }));
    const message = new ConfigError(many).message;
    expect(message.split("\n")).toHaveLength(MESSAGE_MAX_VIOLATIONS + 2);
    expect(message).toMatch(/… and 70 more$/);
  });

  test("a ConfigError prints as its list, anything else with its stack", () => {
    const config = new ConfigError([{ field: "p.json: region", value: "x", limit: "bad", fix: "fix" }]);
    expect(describeFailure(config)).toBe('p.json: region = "x": bad. Fix: fix');
    const bug = new TypeError("boom");
    expect(describeFailure(bug)).toMatch(/^TypeError: boom\n\s+at /);
  });
});
