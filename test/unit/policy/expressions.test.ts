/** The pack reads the Terraform expressions cdktf writes into cdk.tf.json as Terraform will evaluate them. */
import { evaluateAttribute, EvaluationScope, EMPTY_SCOPE } from "../../../lib/policy/expressions/evaluate-expression";
import { HclSyntaxError, parseTemplateString } from "../../../lib/core/hcl-syntax";
import { display, itemsOf, opaquesIn, StaticValue } from "../../../lib/policy/expressions/static-value";

const scope = (locals: Record<string, unknown> = {}, documents: string[] = []): EvaluationScope => ({
  locals,
  isPolicyDocument: (address) => documents.includes(address),
});

/** The value as plain JSON where known, with `${...}` for what Terraform fills in later. */
function plain(value: StaticValue): unknown {
  switch (value.kind) {
    case "scalar":
      return value.value;
    case "list":
      return value.items.map((i) => (i.certain ? plain(i.value) : { maybe: plain(i.value) }));
    case "object":
      return Object.fromEntries([...value.fields].map(([k, v]) => [k, plain(v)]));
    case "oneOf":
      return { oneOf: value.options.map(plain) };
    default:
      return display(value);
  }
}

describe("evaluateAttribute", () => {
  test("reads a jsonencode expression as the object it encodes", () => {
    const value = evaluateAttribute(
      '${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Effect" = "Allow", "Action" = ["s3:GetObject"]}]})}',
      EMPTY_SCOPE,
    );
    expect(plain(value)).toEqual({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject"] }] });
  });

  test("keeps resource attributes as unknown parts of strings, with their origin", () => {
    const value = evaluateAttribute('${format("%s/%s/*", aws_s3_bucket.logs.arn, "alb")}', EMPTY_SCOPE);
    expect(display(value)).toBe("${aws_s3_bucket.logs.arn}/alb/*");
    expect(opaquesIn(value).map((o) => o.origin)).toEqual(["reference"]);
  });

  test("reads interpolations inside a JSON string, quotes in them included", () => {
    const value = evaluateAttribute(
      '{"Resource":"arn:${data.aws_partition.p.partition}:s3:::b/${element(split(":", aws_iam_policy.x.arn), 4)}"}',
      EMPTY_SCOPE,
    );
    expect(display(value)).toBe(
      '{"Resource":"arn:${data.aws_partition.p.partition}:s3:::b/${element(split(":", aws_iam_policy.x.arn), 4)}"}',
    );
    expect(opaquesIn(value).map((o) => o.origin)).toEqual(["reference", "computed"]);
  });

  test("$${ is a literal ${, not an interpolation", () => {
    expect(plain(evaluateAttribute("echo $${HOME} and %%{x}", EMPTY_SCOPE))).toBe("echo ${HOME} and %{x}");
  });

  test("a conditional with an unknown condition is either branch; list items from one branch are uncertain", () => {
    const value = evaluateAttribute('${concat([{"Sid" = "A"}], var.debug ? [{"Sid" = "B"}] : [])}', EMPTY_SCOPE);
    expect(plain(value)).toEqual([{ Sid: "A" }, { maybe: { Sid: "B" } }]);
  });

  test("a conditional with a known condition takes its branch", () => {
    expect(plain(evaluateAttribute('${true ? "Allow" : "Deny"}', EMPTY_SCOPE))).toBe("Allow");
  });

  test("reads locals, lookups and merges", () => {
    const locals = { accounts: { "ap-northeast-1": "582318560864" }, base: { Effect: "Allow" } };
    expect(plain(evaluateAttribute('${lookup(local.accounts, "ap-northeast-1", "")}', scope(locals)))).toBe("582318560864");
    expect(plain(evaluateAttribute('${local.accounts["ap-northeast-1"]}', scope(locals)))).toBe("582318560864");
    expect(plain(evaluateAttribute('${merge(local.base, {"Action" = "*"})}', scope(locals)))).toEqual({ Effect: "Allow", Action: "*" });
  });

  test("a local whose value is itself an expression is evaluated too", () => {
    const locals = { doc: '${jsonencode({"Action" = "*"})}' };
    expect(plain(evaluateAttribute("${local.doc}", scope(locals)))).toEqual({ Action: "*" });
  });

  test("variables and iterators are anything at all", () => {
    expect(opaquesIn(evaluateAttribute("${var.policy}", EMPTY_SCOPE)).map((o) => o.origin)).toEqual(["variable"]);
    expect(opaquesIn(evaluateAttribute('${format("%s", each.value)}', EMPTY_SCOPE)).map((o) => o.origin)).toEqual(["variable"]);
  });

  test("a policy document data source's json is recognised as that document", () => {
    const value = evaluateAttribute("${data.aws_iam_policy_document.doc.json}", scope({}, ["data.aws_iam_policy_document.doc"]));
    expect(value).toEqual({ kind: "opaque", opaque: expect.objectContaining({ documentAddress: "data.aws_iam_policy_document.doc" }) });
  });

  test("for-expressions and splats stay opaque instead of failing", () => {
    expect(display(evaluateAttribute("${[for s in var.list : upper(s)]}", EMPTY_SCOPE))).toBe("${[for s in var.list : upper(s)]}");
    expect(itemsOf(evaluateAttribute("${aws_instance.x[*].id}", EMPTY_SCOPE))).toHaveLength(1);
  });

  test("cdktf's resource names with dashes are identifiers, not subtractions", () => {
    expect(display(evaluateAttribute("${aws_lb_listener_rule.Router_Rules_host-pin-rails3-0_A0CE4CDD.arn}", EMPTY_SCOPE))).toBe(
      "${aws_lb_listener_rule.Router_Rules_host-pin-rails3-0_A0CE4CDD.arn}",
    );
  });

  test("text that is not a Terraform expression is a syntax error, not a crash elsewhere", () => {
    expect(() => parseTemplateString('${jsonencode({"a" = })}')).toThrow(HclSyntaxError);
    expect(() => parseTemplateString("${unterminated(")).toThrow(HclSyntaxError);
  });
});
