import { ConfigError } from "../../lib/core/errors";
import { parseLayoutConfig } from "../../stacks/config/load-config";
import { exampleJson } from "../support/layouts";

function messageFor(edit: (c: any) => void, file: "two-version.staging.json" | "blue-green.production.json" = "two-version.staging.json"): string {
  const raw = exampleJson(file);
  edit(raw);
  try {
    parseLayoutConfig(raw, file);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("expected the configuration to be rejected");
}

describe("configuration files are validated with messages that point at the field", () => {
  test("both example configurations are valid", () => {
    expect(parseLayoutConfig(exampleJson("two-version.staging.json"), "a").layout).toBe("two-version");
    expect(parseLayoutConfig(exampleJson("blue-green.production.json"), "b").layout).toBe("blue-green");
  });

  test.each([
    ["a misspelt top-level key", (c: any) => (c.fleet = {}), /two-version\.staging\.json\.fleet = \{\}: is not a known setting\. Fix: remove it or use one of: .*fleets/],
    ["a misspelt fleet key", (c: any) => (c.fleets.rails4.instance_type = "t3.small"), /fleets\.rails4\.instance_type = "t3\.small": is not a known setting/],
    ["a misspelt capacity key", (c: any) => (c.fleets.rails4.capacity.minimum = 1), /fleets\.rails4\.capacity\.minimum = 1: is not a known setting.*min, max, desired/],
    ["a missing image", (c: any) => delete c.fleets.rails3.imageId, /fleets\.rails3\.imageId = undefined: is required/],
    ["a number given as a string", (c: any) => (c.loadBalancer.idleTimeoutSeconds = "60"), /loadBalancer\.idleTimeoutSeconds = "60": must be a number/],
    ["a malformed ingress CIDR", (c: any) => (c.loadBalancer.ingressCidrs = ["10.0.0.0/8", "10.0.0/8"]), /loadBalancer\.ingressCidrs\[1\] = "10\.0\.0\/8": is not an IPv4 CIDR/],
    ["an unknown layout", (c: any) => (c.layout = "canary"), /\.layout = "canary": must be one of two-version, blue-green/],
    ["an unknown state backend", (c: any) => (c.state = { backend: "consul" }), /state\.backend = "consul": must be "local" or "s3"/],
    ["an S3 backend without a bucket", (c: any) => (c.state = { backend: "s3", key: "k" }), /state\.bucket = undefined: is required/],
    ["a region that is not one", (c: any) => (c.region = "tokyo"), /\.region = "tokyo": is not an AWS region name/],
    ["an environment name too long for AWS names", (c: any) => (c.environment = "production-east"), /\.environment = "production-east": is 15 characters; at most 10/],
    ["no fleets", (c: any) => (c.fleets = {}), /fleets = \{\}: must name at least one fleet/],
    ["a malformed alarm topic", (c: any) => (c.alarmTopicArn = "alarms"), /alarmTopicArn = "alarms": is not a well-formed sns ARN/],
  ])("%s", (_label, edit, expected) => {
    expect(messageFor(edit)).toMatch(expected);
  });

  test.each([
    ["a third color", (c: any) => (c.fleets.red = c.fleets.blue), /fleets\.red = .*: is not a known setting.*blue, green/],
    ["a missing color", (c: any) => delete c.fleets.green, /fleets\.green = undefined: is required: Blue\/Green has exactly these two fleets/],
    ["a missing stage", (c: any) => (c.traffic = {}), /traffic\.stage = undefined: is required/],
  ])("Blue/Green: %s", (_label, edit, expected) => {
    expect(messageFor(edit, "blue-green.production.json")).toMatch(expected);
  });

  test("every problem in a file is reported in one run", () => {
    const message = messageFor((c) => {
      c.region = "tokyo";
      c.fleets.rails4.instance_type = "x";
      c.loadBalancer.idleTimeoutSeconds = "60";
    });
    expect(message).toMatch(/^3 configuration errors:/);
  });
});
