/** Policy documents are read as Terraform renders them, data source merging included. */
import { policyDocumentsOf } from "../../../lib/policy/documents/read-policy-documents";
import { alwaysDenies, isWildcardResource, mayAllow, policyText } from "../../../lib/policy/documents/policy-statements";
import { scalar } from "../../../lib/policy/expressions/static-value";
import { PolicyContext, PolicyResource } from "../../../lib/policy/types";

const resource = (
  type: string,
  name: string,
  attributes: Record<string, unknown>,
  mode: "managed" | "data" = "managed",
): PolicyResource => ({
  mode,
  type,
  name,
  address: mode === "data" ? `data.${type}.${name}` : `${type}.${name}`,
  path: `stack/${name}`,
  attributes,
});

const context = (...resources: PolicyResource[]): PolicyContext => ({ resources, locals: {} });
const actionsOf = (r: PolicyResource, c: PolicyContext) =>
  policyDocumentsOf(r, c).flatMap((d) => d.statements.map((s) => s.actions.map((a) => a.text)));

describe("policyDocumentsOf", () => {
  test("reads JSON whose strings hold interpolations", () => {
    const policy = resource("aws_iam_role_policy", "p", {
      policy: '{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:${data.aws_partition.p.partition}:s3:::b/*"}]}',
    });
    const [reading] = policyDocumentsOf(policy, context(policy));
    expect(reading.unreadable).toEqual([]);
    expect(reading.statements[0].resources.map((r) => r.text)).toEqual(["arn:${data.aws_partition.p.partition}:s3:::b/*"]);
  });

  test("a data source: source documents first, its own statements replace theirs by Sid, overrides last", () => {
    const doc = resource(
      "aws_iam_policy_document",
      "d",
      {
        source_policy_documents: [
          '{"Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"Keep","Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}]}',
        ],
        statement: [{ sid: "Read", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] }],
        override_policy_documents: [
          '${jsonencode({"Statement" = [{"Sid" = "Keep", "Effect" = "Deny", "Action" = "sqs:SendMessage", "Resource" = "*"}]})}',
        ],
      },
      "data",
    );
    const [reading] = policyDocumentsOf(doc, context(doc));
    expect(reading.statements.map((s) => [s.sid, s.effects, s.actions.map((a) => a.text)])).toEqual([
      ["Read", ["Allow"], ["s3:GetObject"]],
      ["Keep", ["Deny"], ["sqs:SendMessage"]],
    ]);
  });

  test("a policy that only references a data source of the stack is read through it, and marked as such", () => {
    const doc = resource("aws_iam_policy_document", "d", { statement: [{ actions: ["ec2:*"], resources: ["*"] }] }, "data");
    const policy = resource("aws_iam_policy", "p", { policy: "${data.aws_iam_policy_document.d.json}" });
    const [reading] = policyDocumentsOf(policy, context(doc, policy));
    expect(reading.viaDataSource).toBe("data.aws_iam_policy_document.d");
    expect(actionsOf(policy, context(doc, policy))).toEqual([["ec2:*"]]);
  });

  test("a statement that exists only in one branch may allow, but never always denies", () => {
    const policy = resource("aws_s3_bucket_policy", "p", {
      policy:
        '${jsonencode({"Statement" = var.strict ? [{"Effect" = "Deny", "Principal" = "*", "Action" = "s3:*", "Resource" = "*"}] : []})}',
    });
    const [statement] = policyDocumentsOf(policy, context(policy))[0].statements;
    expect(statement.certain).toBe(false);
    expect(alwaysDenies(statement)).toBe(false);
  });

  test("an unknown Effect is read as Allow and reported unreadable", () => {
    const policy = resource("aws_iam_role_policy", "p", {
      policy: '${jsonencode({"Statement" = [{"Effect" = var.effect, "Action" = "s3:GetObject", "Resource" = "*"}]})}',
    });
    const [reading] = policyDocumentsOf(policy, context(policy));
    expect(mayAllow(reading.statements[0])).toBe(true);
    expect(reading.unreadable).toEqual([expect.stringContaining('Statement[0].Effect is ${var.effect}, not "Allow" or "Deny"')]);
  });

  test("a data source that includes itself is reported, not followed forever", () => {
    const doc = resource("aws_iam_policy_document", "d", { source_policy_documents: ["${data.aws_iam_policy_document.d.json}"] }, "data");
    const [reading] = policyDocumentsOf(doc, context(doc));
    expect(reading.unreadable).toEqual([expect.stringContaining("cannot be read at synth")]);
  });
});

describe("isWildcardResource", () => {
  test.each([
    ["*", true],
    ["arn:aws:s3:::*", true],
    ["arn:aws:s3:::*/*", true],
    ["arn:aws:ssm:*:*:parameter/*", true],
    ["arn:aws:dynamodb:ap-northeast-1:123456789012:table/*", true],
    ["arn:*:*:*:*:*", true],
    ["arn:aws:s3:::logs/*", false],
    ["arn:aws:ssm:ap-northeast-1:*:parameter/staging-rails4/*", false],
    ["arn:aws:autoscaling:ap-northeast-1:*:autoScalingGroup:*:autoScalingGroupName/web-asg", false],
    ["arn:aws:elasticloadbalancing:ap-northeast-1:*:targetgroup/web-tg/*", false],
  ])("%s names every resource of its kind: %s", (arn, expected) => {
    expect(isWildcardResource(policyText(scalar(arn)))).toBe(expected);
  });
});
