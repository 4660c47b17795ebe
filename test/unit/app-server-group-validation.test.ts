import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import { ConfigError } from "../../lib/core/errors";
import { AppServerGroupProps, resolveFleetProps } from "../../lib/fleet/app-server-group-props";
import { DeploymentConfig } from "../../lib/fleet/deployment-config";
import { fleetProps } from "../support/fixtures";

function errorOf(overrides: Partial<AppServerGroupProps>): ConfigError {
  try {
    resolveFleetProps(fleetProps(overrides));
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

/** Each row: the bad input, the field the message must name, and words of the limit and of the fix. */
const cases: Array<[string, Partial<AppServerGroupProps>, string, RegExp]> = [
  ["a name with upper case", { name: "Rails4" }, "name", /lowercase letters.*Fix: use a name such as/],
  ["a name over 20 characters", { name: "a-very-long-fleet-name-x" }, "name", /24 characters; at most 20.*Fix: shorten it/],
  [
    "namespace + name that makes a 33-character target group name",
    { namespace: "production-east", name: "checkout-api-v2" },
    "namespace + name",
    /"production-east-checkout-api-v2-tg" 34 characters; AWS allows 32.*Fix: shorten/,
  ],
  ["a malformed VPC ID", { vpcId: "vpc-xyz" }, "vpcId", /is not a VPC ID.*Fix: give a VPC ID/],
  [
    "one subnet",
    { subnetIds: ["subnet-0a1b2c3d4e5f60711"] },
    "subnetIds",
    /lists 1 subnet\(s\); at least 2.*Fix: list a private subnet in each of two or more/,
  ],
  ["no subnets", { subnetIds: [] }, "subnetIds", /lists 0 subnet/],
  ["the same subnet twice", { subnetIds: ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60711"] }, "subnetIds", /lists a subnet twice/],
  ["a malformed subnet ID", { subnetIds: ["subnet-0a1b2c3d4e5f60711", "sn-1"] }, "subnetIds[1]", /is not a subnet ID/],
  ["a malformed AMI ID", { imageId: "ami-12" }, "imageId", /is not an AMI ID.*Fix: give an AMI ID/],
  ["a malformed instance type", { instanceType: "large" }, "instanceType", /is not an instance type/],
  [
    "min above desired",
    { capacity: { min: 3, desired: 2, max: 4 } },
    "capacity.min",
    /must be <= capacity.desired \(2\).*Fix: lower min or raise desired/,
  ],
  ["desired above max", { capacity: { min: 1, desired: 5, max: 4 } }, "capacity.desired", /must be <= capacity.max \(4\)/],
  ["a negative capacity", { capacity: { min: -1, desired: 0, max: 1 } }, "capacity.min", /whole number >= 0/],
  ["max of zero", { capacity: { min: 0, desired: 0, max: 0 } }, "capacity.max", /must be >= 1/],
  ["a port out of range", { appPort: 70000 }, "appPort", /must be a port 1-65535/],
  ["a health check path without a slash", { healthCheck: { path: "health" } }, "healthCheck.path", /must start with "\/"/],
  ["a bad matcher", { healthCheck: { matcher: "ok" } }, "healthCheck.matcher", /HTTP codes/],
  [
    "timeout not shorter than interval",
    { healthCheck: { intervalSeconds: 10, timeoutSeconds: 10 } },
    "healthCheck.timeoutSeconds",
    /must be shorter than healthCheck.intervalSeconds \(10\).*Fix: lower the timeout or raise the interval/,
  ],
  ["an interval out of range", { healthCheck: { intervalSeconds: 400 } }, "healthCheck.intervalSeconds", /must be 5-300/],
  ["a threshold out of range", { healthCheck: { healthyThreshold: 1 } }, "healthCheck.healthyThreshold", /must be 2-10/],
  ["deregistration delay above 3600", { deregistrationDelaySeconds: 3601 }, "deregistrationDelaySeconds", /must be 0-3600 seconds/],
  ["slow start between 1 and 29", { slowStartSeconds: 10 }, "slowStartSeconds", /must be 0 \(off\) or 30-900 seconds/],
  ["slow start above 900", { slowStartSeconds: 901 }, "slowStartSeconds", /30-900/],
  ["stickiness above 7 days", { stickinessSeconds: 604801 }, "stickinessSeconds", /1-604800/],
  ["a grace period out of range", { healthCheckGracePeriodSeconds: -1 }, "healthCheckGracePeriodSeconds", /must be 0-7200/],
  ["a capacity timeout of 0 (Terraform would not wait)", { capacityTimeoutSeconds: 0 }, "capacityTimeoutSeconds", /from 60 to 14400/],
  [
    "a capacity timeout in minutes written as text",
    { capacityTimeoutSeconds: "15m" as unknown as number },
    "capacityTimeoutSeconds",
    /whole number of seconds/,
  ],
  [
    "a malformed SNS topic ARN",
    { alarms: { snsTopicArn: "ops-topic" } },
    "alarms.snsTopicArn",
    /is not a well-formed sns ARN.*Fix: copy the full ARN/,
  ],
  ["a KMS key that is not an ARN", { rootVolume: { kmsKeyArn: "alias/ebs" } }, "rootVolume.kmsKeyArn", /well-formed ARN/],
  ["an unsupported volume type", { rootVolume: { volumeType: "st1" } }, "rootVolume.volumeType", /gp2, gp3, io1 or io2/],
  [
    "an artifact bucket given as an ARN",
    { artifacts: { bucketName: "arn:aws:s3:::bucket" } },
    "artifacts.bucketName",
    /not an S3 bucket name/,
  ],
  [
    "an artifact prefix with a wildcard",
    { artifacts: { bucketName: "deploy-artifacts", prefix: "rails4/*" } },
    "artifacts.prefix",
    /must not contain "\*"/,
  ],
  [
    "a minimum healthy percent of 100",
    { deployment: { config: DeploymentConfig.minimumHealthyPercent(100) } },
    "deployment.config",
    /0-99/,
  ],
  [
    "an egress rule with both CIDR and group",
    { extraEgress: [{ description: "db", port: 5432, cidr: "10.0.0.0/16", securityGroupId: "sg-0123456789abcdef0" }] },
    "extraEgress[0]",
    /exactly one of cidr and securityGroupId/,
  ],
  [
    "an egress rule with a malformed CIDR",
    { extraEgress: [{ description: "db", port: 5432, cidr: "10.0.0.0/33" }] },
    "extraEgress[0].cidr",
    /IPv4 CIDR/,
  ],
  [
    "an egress CIDR with host bits set",
    { extraEgress: [{ description: "db", port: 5432, cidr: "10.0.3.7/16" }] },
    "extraEgress[0].cidr",
    /has host bits set.*Fix: use "10\.0\.0\.0\/16"/,
  ],
  [
    "a tag key in the aws: namespace",
    { tags: { "aws:owner": "me" } },
    'tags["aws:owner"]',
    /must be 1-128 characters and not start with "aws:"/,
  ],
];

describe("AppServerGroup rejects bad props with a message naming field, value, limit and fix", () => {
  test.each(cases)("%s", (_label, overrides, field, message) => {
    const error = errorOf(overrides);
    const violation = error.violations.find((v) => v.field.endsWith(` ${field}`));
    expect(violation).toBeDefined();
    expect(error.message).toContain(`${field} = `);
    expect(error.message).toMatch(message);
  });

  test("every problem is reported at once, not only the first", () => {
    const error = errorOf({ name: "Bad_Name", imageId: "nope", capacity: { min: 5, desired: 1, max: 2 } });
    expect(error.violations.length).toBeGreaterThanOrEqual(3);
    expect(error.message).toMatch(/^\d+ configuration errors:/);
  });

  test("the message names the construct, so a stack with many fleets points at the right one", () => {
    expect(errorOf({ imageId: "x" }).message).toMatch(/^AppServerGroup "rails4" imageId = "x"/);
  });

  test("values only known at apply time (cdktf tokens) are not rejected", () => {
    const stack = new TerraformStack(Testing.app(), "tokens");
    const vpcId = new TerraformVariable(stack, "vpc_id", { type: "string" }).stringValue;
    const imageId = new TerraformVariable(stack, "ami", { type: "string" }).stringValue;
    expect(() => resolveFleetProps(fleetProps({ imageId, vpcId }))).not.toThrow();
  });

  test("text that merely contains ${ is checked like any other text, not taken for a token", () => {
    const error = errorOf({ imageId: "${data.aws_ami.app.id}", vpcId: "${var.vpc_id}" });
    expect(error.violations.map((v) => v.field)).toEqual(
      expect.arrayContaining(['AppServerGroup "rails4" imageId', 'AppServerGroup "rails4" vpcId']),
    );
  });

  test("valid props resolve with safe defaults", () => {
    const resolved = resolveFleetProps(fleetProps());
    expect(resolved).toMatchObject({
      capacity: { min: 2, desired: 2, max: 4 },
      deregistrationDelaySeconds: 30,
      slowStartSeconds: 0,
      appPort: 80,
      instanceType: "t3.small",
    });
    expect(resolved.keyName).toBeUndefined();
  });
});
