import { appliedStateFromPlan, StateV4 } from "../../../lib/terraform/applied-state";
import { PlanJson } from "../../../lib/terraform/plan-json";
import { evaluateConfigured, isResourceTraversal, ReferenceLookup, splitTraversal } from "../../../lib/terraform/reference-values";
import { AWS, change, SCHEMAS } from "./plan-fixtures";

const values: Record<string, unknown> = {
  "aws_lb.Main.arn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/0123456789abcdef",
  "aws_lb.Main.arn_suffix": "app/web/0123456789abcdef",
  "aws_launch_template.Web.latest_version": 1,
  "data.aws_partition.P.partition": "aws",
};
const lookup: ReferenceLookup = (t) => (t in values ? { found: true, value: values[t] } : { found: false });

describe("configured values that need only references", () => {
  test("a plain reference takes the referenced value, converted to the attribute's type", () => {
    expect(evaluateConfigured("${aws_lb.Main.arn}", "string", lookup)).toEqual({ ok: true, value: values["aws_lb.Main.arn"] });
    expect(evaluateConfigured("${aws_launch_template.Web.latest_version}", "string", lookup)).toEqual({ ok: true, value: "1" });
  });

  test("a string template of references renders each one in place", () => {
    expect(evaluateConfigured('{"dims":["LoadBalancer","${aws_lb.Main.arn_suffix}"]}', "string", lookup)).toEqual({
      ok: true,
      value: '{"dims":["LoadBalancer","app/web/0123456789abcdef"]}',
    });
    expect(evaluateConfigured("arn:${data.aws_partition.P.partition}:iam::aws:policy/X", "string", lookup)).toEqual({
      ok: true,
      value: "arn:aws:iam::aws:policy/X",
    });
  });

  test("lists and maps of references resolve element by element", () => {
    expect(evaluateConfigured(["${aws_lb.Main.arn}"], ["set", "string"], lookup)).toEqual({ ok: true, value: [values["aws_lb.Main.arn"]] });
    expect(evaluateConfigured({ LoadBalancer: "${aws_lb.Main.arn_suffix}" }, ["map", "string"], lookup)).toEqual({
      ok: true,
      value: { LoadBalancer: "app/web/0123456789abcdef" },
    });
  });

  test("the functions cdktf writes are evaluated: jsonencode, element(split(...)), format", () => {
    expect(evaluateConfigured('${jsonencode({"b" = aws_lb.Main.arn_suffix, a = [1, true]})}', "string", lookup)).toEqual({
      ok: true,
      value: '{"a":[1,true],"b":"app/web/0123456789abcdef"}',
    });
    expect(evaluateConfigured('${element(split("/", aws_lb.Main.arn_suffix), 2)}', "string", lookup)).toEqual({
      ok: true,
      value: "0123456789abcdef",
    });
    expect(evaluateConfigured('${format("%s/*", aws_lb.Main.arn_suffix)}', "string", lookup)).toEqual({
      ok: true,
      value: "app/web/0123456789abcdef/*",
    });
  });

  test("what is not known or not evaluated here is left unknown: other functions, directives, variables, an unknown reference", () => {
    for (const raw of [
      '${cidrsubnet("10.0.0.0/16", 8, 1)}',
      "%{ if true }x%{ endif }",
      "${var.region}",
      "${local.x}",
      "${aws_lb.Other.arn}",
    ]) {
      expect({ raw, result: evaluateConfigured(raw, "string", lookup) }).toEqual({ raw, result: { ok: false } });
    }
  });

  test("an escaped interpolation is literal text, as in Terraform", () => {
    expect(evaluateConfigured("$${aws_lb.Main.arn}", "string", lookup)).toEqual({ ok: true, value: "${aws_lb.Main.arn}" });
  });

  test("traversals name a resource instance and an attribute path", () => {
    expect(isResourceTraversal("aws_lb.Main.arn")).toBe(true);
    expect(isResourceTraversal("data.aws_partition.P.partition")).toBe(true);
    expect(isResourceTraversal("var.x")).toBe(false);
    expect(isResourceTraversal('format("%s", aws_lb.Main.arn)')).toBe(false);
    expect(splitTraversal("aws_lb.Main.access_logs[0].bucket")).toEqual({ address: "aws_lb.Main", path: ["access_logs", "0", "bucket"] });
    expect(splitTraversal("aws_instance.Web[1].id")).toEqual({ address: "aws_instance.Web[1]", path: ["id"] });
    expect(splitTraversal("data.aws_partition.P.partition")).toEqual({ address: "data.aws_partition.P", path: ["partition"] });
  });
});

/** A launch template and the ASG that references it, planned from nothing (as in a first round). */
function referencingPlan(asgExpressions: Record<string, unknown>): PlanJson {
  return {
    format_version: "1.2",
    terraform_version: "1.11.4",
    resource_changes: [
      change("aws_launch_template", "Web", ["create"], {
        after: { name: "web-lt" },
        after_unknown: { id: true, arn: true, latest_version: true },
      }),
      change("aws_autoscaling_group", "Web", ["create"], {
        after: { name: "web-asg", launch_template: [{}] },
        after_unknown: { id: true, target_group_arns: true, launch_template: [{ id: true, version: true }] },
      }),
    ],
    configuration: {
      provider_config: { aws: { expressions: { region: { constant_value: "eu-west-1" } } } },
      root_module: {
        resources: [
          {
            address: "aws_launch_template.Web",
            mode: "managed",
            provider_config_key: "aws",
            expressions: { name: { constant_value: "web-lt" } },
          },
          { address: "aws_autoscaling_group.Web", mode: "managed", provider_config_key: "aws", expressions: asgExpressions },
        ],
      },
    },
  };
}

function asg(state: StateV4) {
  return state.resources.find((r) => r.type === "aws_autoscaling_group")!.instances[0].attributes;
}

describe("the first 'as applied' state resolves references to other resources", () => {
  const expressions = {
    launch_template: [
      {
        id: { constant_value: "${aws_launch_template.Web.id}", references: ["aws_launch_template.Web.id", "aws_launch_template.Web"] },
        version: { constant_value: "${aws_launch_template.Web.latest_version}", references: ["aws_launch_template.Web.latest_version"] },
      },
    ],
  };
  const state = appliedStateFromPlan(referencingPlan(expressions), SCHEMAS);

  test("a block attribute written as a reference holds the referenced resource's placeholder, typed as the schema says", () => {
    const lt = state.resources.find((r) => r.type === "aws_launch_template")!.instances[0].attributes;
    expect(lt.id).toMatch(/^lt-[0-9a-f]{17}$/);
    expect(asg(state).launch_template).toEqual([{ id: lt.id, version: "1" }]);
  });

  test("an unknown with no configured value still gets a typed empty value, as before", () => {
    expect(asg(state).target_group_arns).toEqual([]);
  });

  test("turned off, references are left to the next plan", () => {
    const unresolved = appliedStateFromPlan(referencingPlan(expressions), SCHEMAS, { resolveReferences: false });
    expect(asg(unresolved).launch_template).toEqual([{ id: "", version: "" }]);
  });

  test("a reference to a value only Terraform can compute (a stopgap) is not copied: it stays for the next plan", () => {
    const toStopgap = {
      launch_template: [
        { id: { constant_value: "lt-${aws_launch_template.Web.image_id}", references: ["aws_launch_template.Web.image_id"] } },
      ],
    };
    const plan = referencingPlan(toStopgap);
    const withUnknownImage: PlanJson = {
      ...plan,
      resource_changes: [
        change("aws_launch_template", "Web", ["create"], { after: { name: "web-lt" }, after_unknown: { id: true, image_id: true } }),
        plan.resource_changes![1],
      ],
    };
    expect(asg(appliedStateFromPlan(withUnknownImage, SCHEMAS)).launch_template).toEqual([{ id: "", version: "" }]);
  });

  test("resources are named in the state with the provider of the plan", () => {
    expect(state.resources.every((r) => r.provider === `provider["${AWS}"]`)).toBe(true);
  });
});
