import { appliedStateFromPlan, planIsEmpty, StateV4 } from "../../../lib/terraform/applied-state";
import { PlanJson } from "../../../lib/terraform/plan-json";
import { AWS, change, firstRoundPlan, SCHEMAS } from "./plan-fixtures";

function instance(state: StateV4, type: string) {
  const resource = state.resources.find((r) => r.type === type);
  if (!resource) throw new Error(`no ${type} in state`);
  return { resource, instance: resource.instances[0], attributes: resource.instances[0].attributes };
}

describe("the 'as applied' state built from a plan", () => {
  const plan = firstRoundPlan();
  const state = appliedStateFromPlan(plan, SCHEMAS);

  test("is a version 4 state written by the planning Terraform", () => {
    expect(state.version).toBe(4);
    expect(state.terraform_version).toBe("1.11.4");
    expect(state.serial).toBe(1);
    expect(state.lineage).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  test("unknown IDs and ARNs get placeholders of the resource's shape, in the provider's region", () => {
    const lt = instance(state, "aws_launch_template").attributes;
    expect(lt.id).toMatch(/^lt-[0-9a-f]{17}$/);
    expect(lt.arn).toBe(`arn:aws:ec2:eu-west-1:123456789012:launch-template/${lt.id}`);
    expect(lt.latest_version).toBe(1);
  });

  test("values known at plan time are kept as planned", () => {
    const lt = instance(state, "aws_launch_template").attributes;
    expect(lt.image_id).toBe("ami-0a1b2c3d4e5f60789");
    expect(lt.tags_all).toEqual({ Fleet: "web" });
  });

  test("unknowns nested in blocks are filled with the schema's type", () => {
    const lt = instance(state, "aws_launch_template").attributes;
    expect(lt.block_device_mappings).toEqual([{ device_name: "/dev/xvda", ebs: [{ iops: 0 }] }]);
    // A whole unknown block list becomes an empty list, never null.
    expect(lt.placement).toEqual([]);
    const asg = instance(state, "aws_autoscaling_group").attributes;
    expect(asg.target_group_arns).toEqual([]);
    expect(asg.warm_pool_size).toBe(0);
    expect(asg.launch_template).toEqual([{ id: "", version: "" }]);
  });

  test("each object carries its type's schema version from the provider schema", () => {
    expect(instance(state, "aws_launch_template").instance.schema_version).toBe(0);
    expect(instance(state, "aws_autoscaling_group").instance.schema_version).toBe(1);
  });

  test("dependencies come from the configuration's references", () => {
    expect(instance(state, "aws_autoscaling_group").instance.dependencies).toEqual(["aws_launch_template.Web_LaunchTemplate_1"]);
    expect(instance(state, "aws_launch_template").instance.dependencies).toEqual([]);
  });

  test("resources name the provider in Terraform's state syntax", () => {
    expect(instance(state, "aws_launch_template").resource.provider).toBe(`provider["${AWS}"]`);
  });

  test("data sources read during the plan are kept with their values", () => {
    const data = instance(state, "aws_partition");
    expect(data.resource.mode).toBe("data");
    expect(data.attributes).toEqual({ id: "aws", partition: "aws" });
  });

  test("building twice from the same plan gives byte-identical state", () => {
    expect(JSON.stringify(appliedStateFromPlan(firstRoundPlan(), SCHEMAS))).toBe(JSON.stringify(state));
  });

  test("the next round fills values that resolved through references and keeps unchanged objects", () => {
    const ltId = instance(state, "aws_launch_template").attributes.id;
    const ltBefore = instance(state, "aws_launch_template").attributes;
    const next: PlanJson = {
      ...plan,
      resource_changes: [
        change("aws_launch_template", "Web_LaunchTemplate_1", ["no-op"], { before: ltBefore, after: ltBefore }),
        change("aws_autoscaling_group", "Web_AutoScalingGroup_2", ["update"], {
          before: instance(state, "aws_autoscaling_group").attributes,
          after: { ...instance(state, "aws_autoscaling_group").attributes, launch_template: [{ id: ltId, version: "1" }] },
          after_unknown: {},
        }),
      ],
    };
    const second = appliedStateFromPlan(next, SCHEMAS, { previous: state });
    expect(second.serial).toBe(2);
    expect(second.lineage).toBe(state.lineage);
    expect(instance(second, "aws_autoscaling_group").attributes.launch_template).toEqual([{ id: ltId, version: "1" }]);
    expect(instance(second, "aws_launch_template").instance).toBe(instance(state, "aws_launch_template").instance);
  });

  test("deleted objects leave the state", () => {
    const next: PlanJson = { ...plan, resource_changes: [change("aws_launch_template", "Web_LaunchTemplate_1", ["delete"])] };
    const after = appliedStateFromPlan(next, SCHEMAS, { previous: state });
    expect(after.resources.filter((r) => r.mode === "managed")).toEqual([]);
  });

  test("a resource type the provider does not know fails naming the type", () => {
    const bad: PlanJson = { ...plan, resource_changes: [change("aws_not_a_thing", "X", ["create"], { after: {} })] };
    expect(() => appliedStateFromPlan(bad, SCHEMAS)).toThrow(/no resource type "aws_not_a_thing"/);
  });
});

describe("planIsEmpty", () => {
  test("is true only when every managed resource is a no-op (data source reads do not count)", () => {
    const quiet: PlanJson = {
      format_version: "1.2",
      terraform_version: "1.11.4",
      resource_changes: [change("aws_launch_template", "A", ["no-op"]), { ...change("aws_partition", "P", ["read"]), mode: "data" }],
    };
    expect(planIsEmpty(quiet)).toBe(true);
    expect(planIsEmpty({ ...quiet, resource_changes: [...quiet.resource_changes!, change("aws_lb", "B", ["update"])] })).toBe(false);
  });
});
