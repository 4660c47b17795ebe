import { PlanDiff } from "../../../lib/terraform/plan-changes";
import { PlanJson } from "../../../lib/terraform/plan-json";
import { change } from "./plan-fixtures";

const plan: PlanJson = {
  format_version: "1.2",
  terraform_version: "1.11.4",
  resource_changes: [
    change("aws_lb_listener_rule", "Api", ["update"], {
      before: { priority: 10, action: [{ type: "forward" }] },
      after: { priority: 10, action: [{ type: "fixed-response" }] },
      after_unknown: {},
    }),
    change("aws_lb_target_group", "Rails4", ["delete", "create"], {
      before: { name: "rails4-tg", port: 80 },
      after: { name: "rails4-tg", port: 8080 },
      after_unknown: { arn: true },
      replace_paths: [["port"]],
    }),
    change("aws_lb_target_group", "Rails5", ["create", "delete"], { replace_paths: [["health_check", 0, "protocol"]] }),
    change("aws_lb", "Main", ["no-op"]),
    change("aws_launch_template", "Rails3", ["delete"]),
    change("aws_autoscaling_group", "Rails6", ["create"]),
    { ...change("aws_partition", "P", ["read"]), mode: "data" },
    { ...change("aws_lb_target_group", "Rails4", ["delete"]), deposed: "00000001" },
  ],
};

describe("reading a plan's actions per resource", () => {
  const diff = PlanDiff.fromPlanJson(plan);

  test("maps Terraform's action lists to create, update, replace, delete and no-op", () => {
    expect(diff.entries.map((e) => [e.address, e.action])).toEqual([
      ["aws_autoscaling_group.Rails6", "create"],
      ["aws_launch_template.Rails3", "delete"],
      ["aws_lb_listener_rule.Api", "update"],
      ["aws_lb_target_group.Rails4", "replace"],
      ["aws_lb_target_group.Rails5", "replace"],
      ["aws_lb.Main", "no-op"],
    ]);
  });

  test("a replacement names the attributes that force it, both for delete-first and create-first", () => {
    expect(diff.get("aws_lb_target_group.Rails4").replacedBecause).toEqual(["port"]);
    expect(diff.get("aws_lb_target_group.Rails5").replacedBecause).toEqual(["health_check.0.protocol"]);
  });

  test("an update lists the top-level attributes whose value changes", () => {
    expect(diff.get("aws_lb_listener_rule.Api").changedAttributes).toEqual(["action"]);
    expect(diff.get("aws_lb_target_group.Rails4").changedAttributes).toEqual(["arn", "port"]);
  });

  test("an attribute that goes from null to its zero value (or back) is not a change: both mean unset", () => {
    const zeroes = PlanDiff.fromPlanJson({
      ...plan,
      resource_changes: [
        change("aws_launch_template", "Web", ["update"], {
          before: {
            image_id: "ami-1",
            iam_instance_profile: [{ arn: "arn:x", name: null }],
            description: null,
            tags: null,
            ebs: [{ iops: null }],
          },
          after: { image_id: "ami-2", iam_instance_profile: [{ arn: "arn:x", name: "" }], description: "", tags: {}, ebs: [{ iops: 0 }] },
          after_unknown: {},
        }),
      ],
    });
    expect(zeroes.get("aws_launch_template.Web").changedAttributes).toEqual(["image_id"]);
  });

  test("data sources and deposed objects are not resources of the diff", () => {
    expect(diff.entries.some((e) => e.address.startsWith("data."))).toBe(false);
    expect(diff.entries.filter((e) => e.address === "aws_lb_target_group.Rails4")).toHaveLength(1);
  });

  test("filters by type and action, and counts per action", () => {
    expect(diff.ofType("aws_lb_target_group").map((e) => e.action)).toEqual(["replace", "replace"]);
    expect(diff.addresses("replace", "aws_lb_target_group")).toEqual(["aws_lb_target_group.Rails4", "aws_lb_target_group.Rails5"]);
    expect(diff.summary()).toEqual({ create: 1, update: 1, replace: 2, delete: 1, "no-op": 1 });
    expect(diff.isEmpty).toBe(false);
    expect(diff.changes).toHaveLength(5);
  });

  test("the table shows each change with its reason and a summary line, leaving no-ops out", () => {
    const table = diff.toTable();
    expect(table).toContain("replace  aws_lb_target_group.Rails4");
    expect(table).toContain("forced by port");
    expect(table).not.toContain("aws_lb.Main");
    expect(table.split("\n").pop()).toBe("1 to create, 1 to update in place, 2 to replace, 1 to delete, 1 unchanged");
  });

  test("an empty plan says so", () => {
    const quiet = PlanDiff.fromPlanJson({ ...plan, resource_changes: [change("aws_lb", "Main", ["no-op"])] });
    expect(quiet.isEmpty).toBe(true);
    expect(quiet.toTable()).toBe("No changes. 0 to create, 0 to update in place, 0 to replace, 0 to delete, 1 unchanged");
  });

  test("an action list this version does not know fails naming the resource", () => {
    const odd = { ...plan, resource_changes: [change("aws_lb", "Main", ["update", "read"] as never)] };
    expect(() => PlanDiff.fromPlanJson(odd)).toThrow(/aws_lb.Main: unrecognized plan actions/);
  });
});
