import { ConfigError } from "../../lib/core/errors";
import { parseLayoutConfig } from "../../stacks/config/load-config";
import { exampleJson } from "../support/layouts";

type Example = "two-version.staging.json" | "blue-green.production.json";

function errorFor(edit: (c: any) => void, file: Example = "two-version.staging.json"): ConfigError {
  const raw = exampleJson(file);
  edit(raw);
  try {
    parseLayoutConfig(raw, file);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error("expected the configuration to be rejected");
}

const messageFor = (edit: (c: any) => void, file?: Example) => errorFor(edit, file).message;

/** Sets a key the way JSON.parse does (an own property even for "__proto__"). */
function setOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

describe("configuration files are validated with messages that point at the field", () => {
  test("both example configurations are valid", () => {
    expect(parseLayoutConfig(exampleJson("two-version.staging.json"), "a").layout).toBe("two-version");
    expect(parseLayoutConfig(exampleJson("blue-green.production.json"), "b").layout).toBe("blue-green");
  });

  test.each([
    [
      "a misspelt top-level key",
      (c: any) => (c.fleet = {}),
      /^two-version\.staging\.json: fleet = \{\}: is not a known setting\. Fix: did you mean "fleets"\?/,
    ],
    [
      "a misspelt fleet key",
      (c: any) => (c.fleets.rails4.instance_type = "t3.small"),
      /fleets\.rails4\.instance_type = "t3\.small": is not a known setting\. Fix: did you mean "instanceType"\?/,
    ],
    [
      "a misspelt capacity key",
      (c: any) => (c.fleets.rails4.capacity.minimum = 1),
      /fleets\.rails4\.capacity\.minimum = 1: is not a known setting.*min, max, desired/,
    ],
    [
      "a missing image",
      (c: any) => delete c.fleets.rails3.imageId,
      /fleets\.rails3\.imageId = undefined: is required\. Fix: add "imageId": "ami-/,
    ],
    [
      "a number given as a string",
      (c: any) => (c.loadBalancer.idleTimeoutSeconds = "60"),
      /loadBalancer\.idleTimeoutSeconds = "60": must be a whole number, not a string\. Fix: write it without quotes: 60/,
    ],
    [
      "a malformed ingress CIDR",
      (c: any) => (c.loadBalancer.ingressCidrs = ["10.0.0.0/8", "10.0.0/8"]),
      /loadBalancer\.ingressCidrs\[1\] = "10\.0\.0\/8": is not an IPv4 CIDR/,
    ],
    ["an unknown layout", (c: any) => (c.layout = "canary"), /: layout = "canary": must be one of "two-version", "blue-green"/],
    ["an unknown state backend", (c: any) => (c.state = { backend: "consul" }), /state\.backend = "consul": must be one of "local", "s3"/],
    ["an S3 backend without a bucket", (c: any) => (c.state = { backend: "s3", key: "k" }), /state\.bucket = undefined: is required/],
    ["a region that is not one", (c: any) => (c.region = "tokyo"), /: region = "tokyo": is not an AWS region name/],
    [
      "an environment name too long for AWS names",
      (c: any) => (c.environment = "production-east"),
      /: environment = "production-east": is 15 characters; at most 10/,
    ],
    ["no fleets", (c: any) => (c.fleets = {}), /: fleets = \{\}: must hold at least 1 fleet name/],
    ["a malformed alarm topic", (c: any) => (c.alarmTopicArn = "alarms"), /: alarmTopicArn = "alarms": is not a well-formed sns ARN/],
    [
      "an instance type with no such size",
      (c: any) => (c.fleets.rails4.instanceType = "t3.gigantic"),
      /fleets\.rails4\.instanceType = "t3\.gigantic": is not an instance type/,
    ],
    [
      "capacities that contradict each other",
      (c: any) => (delete c.fleets.rails4.scaling, (c.fleets.rails4.capacity = { min: 3, desired: 2, max: 4 })),
      /fleets\.rails4\.capacity\.min = 3: must be <= capacity\.desired \(2\)/,
    ],
    [
      "a route path without a leading slash",
      (c: any) => (c.routing.routes[0].match.paths = ["hoge/*"]),
      /routing\.routes\[0\]\.match\.paths\[0\] = "hoge\/\*": must start with "\/"/,
    ],
    [
      "a route to a fleet that does not exist",
      (c: any) => (c.routing.default = "rails9"),
      /routing\.default = "rails9": names a fleet that does not exist\. Fix: use one of: rails3, rails4/,
    ],
    [
      "the old maxRules key",
      (c: any) => (c.loadBalancer.maxRules = 200),
      /loadBalancer\.maxRules = 200: is not a known setting\. Fix: it was renamed: write "maxRulesPerLoadBalancer"/,
    ],
    [
      "the old capacityTimeout key (a duration text)",
      (c: any) => (c.fleets.rails3.capacityTimeout = "15m"),
      /fleets\.rails3\.capacityTimeout = "15m": is not a known setting\. Fix: it was renamed: write "capacityTimeoutSeconds"/,
    ],
    [
      "the old stickySeconds key of a weighted split",
      (c: any) => {
        const split = c.routing.routes.find((r: any) => r.to.weights).to;
        split.stickySeconds = split.groupStickinessSeconds;
        delete split.groupStickinessSeconds;
      },
      /routing\.routes\[\d+\]\.to\.stickySeconds = 3600: is not a known setting\. Fix: it was renamed: write "groupStickinessSeconds"/,
    ],
    [
      "an absurd rule quota",
      (c: any) => (c.loadBalancer.maxRulesPerLoadBalancer = 1e6),
      /loadBalancer\.maxRulesPerLoadBalancer = 1000000: must be a whole number from 1 to 1000/,
    ],
    [
      "a 300-character state bucket",
      (c: any) => (c.state = { backend: "s3", bucket: "a".repeat(300), key: "k" }),
      /state\.bucket = "a+"… \(300 characters\): is 300 characters; at most 63/,
    ],
    [
      "an S3 state bucket that is not a bucket name",
      (c: any) => (c.state = { backend: "s3", bucket: "My_Bucket", key: "k" }),
      /state\.bucket = "My_Bucket": is not an S3 bucket name/,
    ],
    [
      "a local state path outside the working directory",
      (c: any) => (c.state = { backend: "local", path: "/etc/passwd" }),
      /state\.path = "\/etc\/passwd": must be a relative path inside the stack's working directory/,
    ],
    [
      "a local state path that climbs out",
      (c: any) => (c.state = { backend: "local", path: "../../x.tfstate" }),
      /state\.path = "\.\.\/\.\.\/x\.tfstate": must be a relative path/,
    ],
    [
      "60 tags",
      (c: any) => (c.tags = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`Tag${i}`, "x"]))),
      /: tags = "60 entries": is more than 40 tags: AWS allows 50 per resource and this library adds up to 10/,
    ],
    [
      "an egress rule with a misspelt protocol key",
      (c: any) => (c.fleets.rails3.extraEgress = [{ description: "db", port: 5432, protocl: "udp" }]),
      /fleets\.rails3\.extraEgress\[0\]\.protocl = "udp": is not a known setting\. Fix: did you mean "protocol"\?/,
    ],
    [
      "an egress rule with an unknown protocol",
      (c: any) => (c.fleets.rails3.extraEgress = [{ description: "db", port: 5432, protocol: "icmp", cidr: "10.0.0.0/16" }]),
      /extraEgress\[0\]\.protocol = "icmp": must be one of "tcp", "udp"/,
    ],
    [
      "an ARN holding a Terraform expression",
      (c: any) => (c.alarmTopicArn = 'arn:aws:sns:ap-northeast-1:123456789012:${file("/etc/passwd")}'),
      /alarmTopicArn = .*: contains "\$\{" or "%\{", which Terraform would evaluate/,
    ],
    [
      "a string holding cdktf's token marker",
      (c: any) => (c.tags.Owner = "${TfToken[TOKEN.1]}"),
      /tags\.Owner = "\$\{TfToken\[TOKEN\.1\]\}": contains cdktf's token marker/,
    ],
    [
      "an override header open to every address (no sourceIps)",
      (c: any) => delete c.routing.overrideHeader.sourceIps,
      /routing\.overrideHeader\.sourceIps = undefined: is required/,
    ],
    [
      "an empty list of override source IPs",
      (c: any) => (c.routing.overrideHeader.sourceIps = []),
      /routing\.overrideHeader\.sourceIps = \[\]: must/,
    ],
    [
      "null for an optional key",
      (c: any) => (c.fleets.rails3.userData = null),
      /fleets\.rails3\.userData = null: is null; JSON null does not mean "use the default" here\. Fix: leave the key out/,
    ],
  ])("%s", (_label, edit, expected) => {
    expect(messageFor(edit)).toMatch(expected);
  });

  test.each([
    ["a third color", (c: any) => (c.fleets.red = c.fleets.blue), /fleets\.red = .*: is not a known setting.*blue, green/],
    ["a missing color", (c: any) => delete c.fleets.green, /fleets\.green = undefined: is required/],
    ["a missing stage", (c: any) => (c.traffic = {}), /traffic\.stage = undefined: is required/],
    [
      "a misspelt fleet key",
      (c: any) => (c.fleets.blue.instanceTyp = "m7i.large"),
      /fleets\.blue\.instanceTyp = "m7i\.large": is not a known setting\. Fix: did you mean "instanceType"\?/,
    ],
    [
      "a misspelt capacity key",
      (c: any) => (c.fleets.green.capacity = { minimum: 5 }),
      /fleets\.green\.capacity\.minimum = 5: is not a known setting/,
    ],
    [
      "a misspelt stateful key",
      (c: any) => (c.fleets.green.stateful = { drainCommnd: "sync" }),
      /fleets\.green\.stateful\.drainCommnd = "sync": is not a known setting\. Fix: did you mean "drainCommand"\?/,
    ],
    [
      "a fleet value that breaks a construct rule",
      (c: any) => (delete c.fleets.green.scaling, (c.fleets.green.capacity = { min: 5, desired: 3 })),
      /fleets\.green\.capacity\.min = 5: must be <= capacity\.desired/,
    ],
    [
      "a misspelt maintenance key (it would lock staff out)",
      (c: any) => (c.maintenance.bypas = { sourceIps: ["203.0.113.0/24"] }),
      /maintenance\.bypas = .*: is not a known setting\. Fix: did you mean "bypass"\?/,
    ],
    [
      "a maintenance body that is a list",
      (c: any) => (c.maintenance.response = { type: "fixed-response", body: ["<h1>x</h1>"] }),
      /maintenance\.response\.body = \["<h1>x<\/h1>"\]: must be a string, not a list/,
    ],
    [
      "a maintenance redirect that is not a URL",
      (c: any) => (c.maintenance.response.url = "status page"),
      /maintenance\.response\.url = "status page": must be an absolute http\(s\) URL/,
    ],
    [
      "an empty override header (it would drop the override rules)",
      (c: any) => (c.overrideHeader.name = ""),
      /: overrideHeader\.name = "": must not be empty/,
    ],
    [
      "an override header that is not a header name",
      (c: any) => (c.overrideHeader.name = "X Backend"),
      /: overrideHeader\.name = "X Backend": is not an HTTP token/,
    ],
    [
      "an override header open to every address (no sourceIps)",
      (c: any) => delete c.overrideHeader.sourceIps,
      /: overrideHeader\.sourceIps = undefined: is required\. Fix: add "sourceIps": \["203\.0\.113\.0\/24"\]/,
    ],
    [
      "the override header as a bare name (the form before staff source IPs)",
      (c: any) => (c.overrideHeader = "X-Backend-Color"),
      /: overrideHeader = "X-Backend-Color": must be an object, not a string\. Fix: write \{ "name": \.\.\., "sourceIps": \.\.\. \}/,
    ],
    [
      "an override source IP that is not a CIDR",
      (c: any) => (c.overrideHeader.sourceIps = ["office"]),
      /: overrideHeader\.sourceIps\[0\] = "office": is not/,
    ],
    ["a malformed stage", (c: any) => (c.traffic.stage = "blue-green"), /traffic\.stage = "blue-green": must be "blue", "green"/],
  ])("Blue/Green: %s", (_label, edit, expected) => {
    expect(messageFor(edit, "blue-green.production.json")).toMatch(expected);
  });

  test.each(["__proto__", "constructor", "prototype"])("a fleet named %s is refused without a crash", (name) => {
    const message = messageFor((c) => setOwn(c.fleets, name, c.fleets.rails4));
    expect(message).toContain(`fleets.${name}`);
    expect(message).toMatch(/is a reserved JavaScript name/);
  });

  test("an override value keyed __proto__ is refused, not silently dropped", () => {
    const message = messageFor((c) => setOwn(c.routing.overrideHeader.values, "__proto__", "rails4"));
    expect(message).toMatch(/routing\.overrideHeader\.values\.__proto__ = "__proto__": is a reserved JavaScript name/);
  });

  test("deep nesting is refused, and the message stays short", () => {
    let deep: unknown = "bottom";
    for (let i = 0; i < 10_000; i++) deep = { x: deep };
    const message = messageFor((c) => (c.fleets.rails4.canary = deep));
    expect(message).toMatch(/fleets\.rails4\.canary\.x = \{"x":\{"x":\{"x":\{…\}\}\}\}: is not a known setting/);
    expect(message.length).toBeLessThan(600);
  });

  test("a 10 MB value is refused with the value cut to a readable length", () => {
    const message = messageFor((c) => (c.tags.Owner = "x".repeat(10 * 1024 * 1024)));
    expect(message).toMatch(/tags\.Owner = "x{77}"… \(10485760 characters\): is 10485760 characters; at most 256 are allowed/);
    expect(message.length).toBeLessThan(300);
  });

  test("every problem in a file is reported in one run", () => {
    const message = messageFor((c) => {
      c.region = "tokyo";
      c.fleets.rails4.instance_type = "x";
      c.loadBalancer.idleTimeoutSeconds = "60";
    });
    expect(message).toMatch(/^3 configuration errors:/);
  });

  test("value problems of every fleet, the router and the routing table are reported in one run", () => {
    const error = errorFor((c) => {
      c.network.vpcId = "vpc-x";
      delete c.fleets.rails3.scaling;
      c.fleets.rails3.capacity = { min: 3, desired: 1 };
      c.fleets.rails4.imageId = "ami-x";
      c.routing.routes[1].match.paths = ["admin"];
    });
    expect(error.violations.map((v) => v.field)).toEqual([
      "two-version.staging.json: network.vpcId",
      "two-version.staging.json: fleets.rails3.capacity.min",
      "two-version.staging.json: fleets.rails4.imageId",
      "two-version.staging.json: routing.routes[1].match.paths[0]",
    ]);
  });

  test("a value shared by the router and every fleet is reported once, where it is written", () => {
    const error = errorFor((c) => (c.network.vpcId = "vpc-x"));
    expect(error.violations).toHaveLength(1);
    expect(error.message).toMatch(/^two-version\.staging\.json: network\.vpcId = "vpc-x"/);
  });

  test("a fleet's inherited settings are reported at the file's key, its own at the fleet's", () => {
    expect(messageFor((c) => (c.artifactBucket = "Bad_Bucket"))).toMatch(/: artifactBucket = "Bad_Bucket": is not an S3 bucket name/);
    expect(messageFor((c) => (c.network.privateSubnetIds = ["subnet-0a1b2c3d4e5f60711"]))).toMatch(
      /: network\.privateSubnetIds = \["subnet-0a1b2c3d4e5f60711"\]: lists 1 subnet/,
    );
    expect(messageFor((c) => (c.tags = { "aws:owner": "x" }))).toMatch(/: tags\["aws:owner"\] = "aws:owner": tag keys must be/);
    expect(messageFor((c) => (c.fleets.rails4.tags = { "aws:owner": "x" }))).toMatch(/fleets\.rails4\.tags\["aws:owner"\] = "aws:owner"/);
  });
});
