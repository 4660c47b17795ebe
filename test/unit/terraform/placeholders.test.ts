import { placeholderNumber, placeholderString, PlaceholderContext, stableHex } from "../../../lib/terraform/placeholders";

function ctx(type: string, path: string, known: Record<string, unknown> = {}, address = `${type}.Main_ABCD1234`): PlaceholderContext {
  return { type, path, known, address, region: "ap-northeast-1" };
}

describe("placeholders for values known only after apply", () => {
  test("EC2 IDs carry the resource's prefix and 17 hex digits", () => {
    expect(placeholderString(ctx("aws_launch_template", "id"))).toMatch(/^lt-[0-9a-f]{17}$/);
    expect(placeholderString(ctx("aws_security_group", "id"))).toMatch(/^sg-[0-9a-f]{17}$/);
    expect(placeholderString(ctx("aws_vpc_security_group_ingress_rule", "security_group_rule_id"))).toMatch(/^sgr-[0-9a-f]{17}$/);
  });

  test("an EC2 resource's ARN embeds the same ID as its id attribute", () => {
    const id = placeholderString(ctx("aws_launch_template", "id"));
    expect(placeholderString(ctx("aws_launch_template", "arn"))).toBe(`arn:aws:ec2:ap-northeast-1:123456789012:launch-template/${id}`);
  });

  test("load balancer and target group ARN suffixes have the CloudWatch dimension format", () => {
    const lb = ctx("aws_lb", "arn_suffix", { name: "web" });
    const tg = ctx("aws_lb_target_group", "arn_suffix", { name: "rails4-tg" });
    expect(placeholderString(lb)).toMatch(/^app\/web\/[0-9a-f]{16}$/);
    expect(placeholderString(tg)).toMatch(/^targetgroup\/rails4-tg\/[0-9a-f]{16}$/);
    expect(placeholderString({ ...tg, path: "arn" })).toBe(
      `arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:${placeholderString(tg)}`,
    );
  });

  test("an ALB's id is its ARN and its ARN ends with its ARN suffix", () => {
    const lb = ctx("aws_lb", "id", { name: "web" });
    const suffix = placeholderString({ ...lb, path: "arn_suffix" });
    expect(placeholderString(lb)).toBe(`arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/${suffix}`);
  });

  test("a listener rule's ARN extends its listener's ARN, as ELB builds it", () => {
    const listener = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener/app/web/0123456789abcdef/fedcba9876543210";
    const rule = placeholderString(ctx("aws_lb_listener_rule", "arn", { listener_arn: listener }));
    expect(rule).toMatch(
      /^arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener-rule\/app\/web\/0123456789abcdef\/fedcba9876543210\/[0-9a-f]{16}$/,
    );
  });

  test("IAM ARNs are global (no region) and name the role", () => {
    expect(placeholderString(ctx("aws_iam_role", "arn", { name: "rails4-instance" }))).toBe(
      "arn:aws:iam::123456789012:role/rails4-instance",
    );
  });

  test("resources identified by name get their name as id", () => {
    expect(placeholderString(ctx("aws_autoscaling_group", "id", { name: "rails4-asg" }))).toBe("rails4-asg");
    expect(placeholderString(ctx("aws_cloudwatch_metric_alarm", "id", { alarm_name: "rails4-5xx" }))).toBe("rails4-5xx");
  });

  test("launch template versions start at 1, other numbers at 0", () => {
    expect(placeholderNumber(ctx("aws_launch_template", "latest_version"))).toBe(1);
    expect(placeholderNumber(ctx("aws_autoscaling_group", "default_cooldown"))).toBe(0);
  });

  test("attributes with nothing specific known get no placeholder (the caller uses a typed empty value)", () => {
    expect(placeholderString(ctx("aws_autoscaling_group", "service_linked_role_arn"))).toBeUndefined();
    expect(placeholderString(ctx("aws_autoscaling_group", "launch_template.0.id"))).toBeUndefined();
  });

  test("placeholders are derived from the address: same address same value, different address different value", () => {
    const a = ctx("aws_security_group", "id", {}, "aws_security_group.Rails3_SecurityGroup_97F728F7");
    const b = ctx("aws_security_group", "id", {}, "aws_security_group.Rails4_SecurityGroup_1693099E");
    expect(placeholderString(a)).toBe(placeholderString({ ...a }));
    expect(placeholderString(a)).not.toBe(placeholderString(b));
    expect(stableHex("seed", 40)).toHaveLength(40);
  });
});

describe("generated names", () => {
  test("a name left to a prefix is the prefix and 26 digits, as Terraform generates it, and is also the ID", () => {
    const bucket = ctx("aws_s3_bucket", "bucket", { bucket_prefix: "web-alblogs-" });
    expect(placeholderString(bucket)).toMatch(/^web-alblogs-\d{26}$/);
    expect(placeholderString({ ...bucket, path: "id" })).toBe(placeholderString(bucket));
    expect(placeholderString({ ...bucket, path: "arn" })).toBe(`arn:aws:s3:::${placeholderString(bucket)}`);
  });

  test("a KMS key's ID is a UUID, which its ARN and its id attribute repeat", () => {
    const ctx = { type: "aws_kms_key", address: "aws_kms_key.Topic_Key", known: {}, region: "eu-west-1" };
    const keyId = placeholderString({ ...ctx, path: "key_id" });
    expect(keyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(placeholderString({ ...ctx, path: "id" })).toBe(keyId);
    expect(placeholderString({ ...ctx, path: "arn" })).toBe(`arn:aws:kms:eu-west-1:123456789012:key/${keyId}`);
  });
});
