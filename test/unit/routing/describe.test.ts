/** One describer for conditions: the rule table, explain, drift and the traffic summary say the same words. */
import { describeAction, describeAtom, describeCondition, describeConditions } from "../../../lib/routing/describe";
import type { CompiledCondition } from "../../../lib/routing/types";

const conditions: CompiledCondition[] = [
  { type: "path-pattern", values: ["/hoge", "/hoge/*"] },
  { type: "http-header", name: "X-Backend-Version", values: ["4"] },
  { type: "source-ip", values: ["203.0.113.0/24", "2001:db8::/32"] },
];

describe("condition describer", () => {
  test("the table style labels each condition's kind and joins them with AND", () => {
    expect(describeConditions(conditions)).toBe(
      "path /hoge | /hoge/* AND header X-Backend-Version: 4 AND ip 203.0.113.0/24 | 2001:db8::/32",
    );
  });

  test("the one-line style of the traffic summary uses the same values, compact", () => {
    expect(describeConditions(conditions, "line")).toBe("/hoge | /hoge/* & X-Backend-Version: 4 & from 203.0.113.0/24, 2001:db8::/32");
  });

  test("a rule without conditions has no description (each view says what that means)", () => {
    expect(describeConditions([])).toBeUndefined();
  });

  test.each<[CompiledCondition, string, string]>([
    [{ type: "host-header", values: ["a.example.com"] }, "host a.example.com", "host a.example.com"],
    [{ type: "query-string", values: [{ key: "beta", value: "1" }, { value: "x" }] }, "query beta=1 | x", "?beta=1 | x"],
    [{ type: "http-request-method", values: ["GET", "HEAD"] }, "method GET | HEAD", "GET|HEAD"],
  ])("%j reads %s (table) and %s (line)", (condition, table, line) => {
    expect(describeCondition(condition)).toBe(table);
    expect(describeCondition(condition, "line")).toBe(line);
  });

  test("an atom reads with the table's words, the header by its name", () => {
    expect(describeAtom({ path: "/a/*", method: "GET", headers: [{ name: "User-Agent", value: "*bot*" }], queries: [] })).toBe(
      "path /a/* + User-Agent: *bot* + method GET",
    );
  });

  test("a weighted forward shows each fleet's share rounded like every other view", () => {
    const fleet = (name: string) => ({ name });
    expect(
      describeAction({
        type: "forward",
        targets: [
          { fleet: fleet("a"), weight: 1 },
          { fleet: fleet("b"), weight: 2 },
        ],
        groupStickinessSeconds: 60,
      }),
    ).toBe("-> a 33.3%, b 66.7% (sticky 60s)");
  });
});
