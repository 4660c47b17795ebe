/** The "as applied" state records what the plan marks sensitive, as `terraform apply` would. */
import { sensitivePaths } from "../../../lib/terraform/applied-state";

describe("sensitive attributes of an offline applied state", () => {
  test("a sensitive top-level attribute (an SSM parameter's value) becomes one get_attr path; unmarked parts none", () => {
    expect(sensitivePaths({ tags_all: {}, value: true, value_wo: true })).toEqual([
      [{ type: "get_attr", value: "value" }],
      [{ type: "get_attr", value: "value_wo" }],
    ]);
  });

  test("marks inside blocks and lists keep their path", () => {
    expect(sensitivePaths({ block: [{ secret: true }, {}] })).toEqual([
      [
        { type: "get_attr", value: "block" },
        { type: "index", value: { value: 0, type: "number" } },
        { type: "get_attr", value: "secret" },
      ],
    ]);
  });

  test("no markers, or only false ones, mean nothing sensitive", () => {
    expect(sensitivePaths(undefined)).toEqual([]);
    expect(sensitivePaths({ a: false, b: {} })).toEqual([]);
  });
});
