import { evaluatePolicy, checkSuppressions, formatFinding } from "../../../lib/policy/evaluate";
import { PolicyResource, PolicyRule } from "../../../lib/policy/types";

const resource = (type: string, attributes: Record<string, unknown>, mode: "managed" | "data" = "managed"): PolicyResource => ({
  mode,
  type,
  name: "x",
  address: mode === "data" ? `data.${type}.x` : `${type}.x`,
  path: `stack/${type}`,
  attributes,
});

const rule: PolicyRule = {
  id: "APF-TEST",
  title: "test",
  severity: "low",
  checks: "flag = true",
  mirrors: {},
  fix: "set flag",
  appliesTo: ["aws_thing", "data.aws_doc"],
  evaluate: (r) => (r.attributes.flag === true ? [] : ["flag is not true"]),
};

describe("evaluatePolicy", () => {
  test("judges only the types a rule applies to, data sources by their data. key", () => {
    const findings = evaluatePolicy(
      [rule],
      { resources: [] },
      [resource("aws_thing", {}), resource("aws_other", {}), resource("aws_doc", {}, "data")],
      () => [],
    );
    expect(findings.map((f) => f.address)).toEqual(["aws_thing.x", "data.aws_doc.x"]);
  });

  test("a matching suppression marks the finding, another rule's does not", () => {
    const [excused] = evaluatePolicy([rule], { resources: [] }, [resource("aws_thing", {})], () => [
      { id: "APF-TEST", reason: "accepted by the platform team", declaredAt: "stack" },
    ]);
    expect(excused.suppression).toEqual({ reason: "accepted by the platform team", declaredAt: "stack" });
    const [open] = evaluatePolicy([rule], { resources: [] }, [resource("aws_thing", {})], () => [
      { id: "APF-OTHER", reason: "accepted by the platform team", declaredAt: "stack" },
    ]);
    expect(open.suppression).toBeUndefined();
  });

  test("a rule that throws becomes a finding of that rule, and the other rules still run", () => {
    const broken: PolicyRule = {
      ...rule,
      id: "APF-BROKEN",
      evaluate: () => {
        throw new Error("cannot read property 'x'");
      },
    };
    const findings = evaluatePolicy([broken, rule], { resources: [] }, [resource("aws_thing", {})], () => []);
    expect(findings.map((f) => [f.ruleId, f.problem])).toEqual([
      ["APF-BROKEN", expect.stringMatching(/^rule threw: cannot read property 'x'/)],
      ["APF-TEST", "flag is not true"],
    ]);
  });

  test("a rule that returns something other than a list of problems is reported too", () => {
    const broken: PolicyRule = { ...rule, id: "APF-BROKEN", evaluate: () => undefined as never };
    const [finding] = evaluatePolicy([broken], { resources: [] }, [resource("aws_thing", {})], () => []);
    expect(finding.problem).toBe("rule threw: it returned undefined instead of a list of problems");
  });

  test("a finding reads as rule id, resource, problem and fix", () => {
    const [finding] = evaluatePolicy([rule], { resources: [] }, [resource("aws_thing", {})], () => []);
    expect(formatFinding(finding)).toBe("[APF-TEST] aws_thing.x (stack/aws_thing): flag is not true. Fix: set flag");
  });
});

describe("checkSuppressions", () => {
  test("accepts a known id with a reason of 20 characters or more", () => {
    expect(checkSuppressions("s/r", [{ id: "APF-TEST", reason: "x".repeat(20) }], ["APF-TEST"]).isEmpty).toBe(true);
  });

  test("rejects a reason of 19 characters, even padded with spaces", () => {
    const v = checkSuppressions("s/r", [{ id: "APF-TEST", reason: `  ${"x".repeat(19)}  ` }], ["APF-TEST"]);
    expect(v.all.map((x) => x.field)).toEqual(["PolicySuppressions.add(s/r) suppressions[0].reason"]);
  });

  test("rejects the same rule twice on one construct", () => {
    const ok = { id: "APF-TEST", reason: "x".repeat(25) };
    expect(checkSuppressions("s/r", [ok, ok], ["APF-TEST"]).all.map((x) => x.limit)).toEqual([
      "suppresses the same rule twice on this construct",
    ]);
  });
});
