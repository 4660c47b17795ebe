import { evaluate, evaluateTemplate, jsonencode, parseExpression, TraversalLookup } from "../../../lib/terraform/hcl-expression";

const values: Record<string, unknown> = {
  "aws_s3_bucket.Logs.arn": "arn:aws:s3:::web-logs",
  "data.aws_region.R.name": "eu-west-1",
  "data.aws_partition.P.partition": "aws",
  "local.Accounts": { "eu-west-1": "156460612806", "us-east-1": "127311923021" },
  'local.Accounts["eu-west-1"]': "156460612806",
  "aws_iam_policy.P.arn": "arn:aws:iam::123456789012:policy/web",
};
const lookup: TraversalLookup = (t) => (t in values ? { found: true, value: values[t] } : { found: false });
const run = (source: string) => evaluate(parseExpression(source), lookup);

describe("evaluating the expressions cdktf writes", () => {
  test("an account ID taken from an ARN (a TerraformLocal of Fn.element(Fn.split(...)))", () => {
    expect(run('element(split(":", aws_iam_policy.P.arn), 4)')).toBe("123456789012");
  });

  test("a bucket policy: jsonencode of an object with concat, format and a conditional on a map lookup", () => {
    const policy = run(
      'jsonencode({"Version" = "2012-10-17", "Statement" = concat([{"Sid" = "TLS", "Resource" = [aws_s3_bucket.Logs.arn, format("%s/*", aws_s3_bucket.Logs.arn)]}], ' +
        'contains(keys(local.Accounts), data.aws_region.R.name) ? [{"Principal" = {"AWS" = format("arn:%s:iam::%s:root", data.aws_partition.P.partition, local.Accounts[data.aws_region.R.name])}}] : [])})',
    );
    expect(JSON.parse(policy as string)).toEqual({
      Statement: [
        { Resource: ["arn:aws:s3:::web-logs", "arn:aws:s3:::web-logs/*"], Sid: "TLS" },
        { Principal: { AWS: "arn:aws:iam::156460612806:root" } },
      ],
      Version: "2012-10-17",
    });
  });

  test("jsonencode writes keys in lexical order without spaces and escapes <, > and & as Go does", () => {
    expect(jsonencode({ b: 1, a: "<x & y>", c: [null, false] })).toBe('{"a":"\\u003cx \\u0026 y\\u003e","b":1,"c":[null,false]}');
  });

  test("templates render literal text and interpolations, through nested braces and strings; `$${` is a literal `${`", () => {
    expect(evaluateTemplate('a-${jsonencode({"k" = "}"})}-b', lookup)).toBe('a-{"k":"}"}-b');
    expect(evaluateTemplate("$${x}-${data.aws_region.R.name}", lookup)).toBe("${x}-eu-west-1");
  });

  test("a template that is one interpolation keeps the value's type; a list inside text fails", () => {
    expect(evaluateTemplate("${local.Accounts}", lookup)).toEqual(values["local.Accounts"]);
    expect(evaluateTemplate("${1 + 2 * 3 >= 7 && !false}", lookup)).toBe(true);
    expect(() => evaluateTemplate("x-${local.Accounts}", lookup)).toThrow(/only strings, numbers and booleans/);
  });

  test("an unknown reference or an unsupported construct fails the evaluation instead of guessing", () => {
    expect(() => run("aws_lb.Missing.arn")).toThrow(/not known/);
    expect(() => run('cidrsubnet("10.0.0.0/16", 8, 1)')).toThrow(/not evaluated here/);
    expect(() => run("[for s in local.Accounts : s]")).toThrow();
  });
});
