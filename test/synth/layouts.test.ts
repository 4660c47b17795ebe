import { onlyResource } from "../support/synth";
import { Testing } from "cdktf";
import { ConfigError } from "../../lib/core/errors";
import { BlueGreenConfig } from "../../stacks/config/layout-config";
import { parseLayoutConfig } from "../../stacks/config/load-config";
import { BlueGreenStack } from "../../stacks/layouts/blue-green-stack";
import { exampleJson, exampleLock, synthBlueGreen, synthTwoVersion } from "../support/layouts";

describe("layout stacks", () => {
  let twoVersion: ReturnType<typeof synthTwoVersion>;
  let blueGreen: ReturnType<typeof synthBlueGreen>;
  beforeAll(() => {
    twoVersion = synthTwoVersion();
    blueGreen = synthBlueGreen();
  });

  test("state is local by default", () => {
    expect(twoVersion.terraform!.backend).toEqual({ local: { path: "terraform.two-version-staging.tfstate" } });
  });

  test("an S3 state backend encrypts and locks with Terraform's native lock file", () => {
    expect(blueGreen.terraform!.backend).toEqual({
      s3: {
        bucket: "example-terraform-state",
        key: "web/blue-green-prod.tfstate",
        region: "ap-northeast-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  test("the region and default tags come from the configuration", () => {
    const provider = (twoVersion.provider as any).aws[0];
    expect(provider.region).toBe("ap-northeast-1");
    expect(provider.default_tags[0].tags).toMatchObject({ Environment: "staging", Layout: "two-version", Service: "crowd-app" });
  });

  test("the environment prefixes every AWS name, so staging and production can share an account", () => {
    expect(onlyResource(twoVersion, "aws_lb").name).toBe("staging-web-alb");
    const groups = Object.values(twoVersion.resource!.aws_lb_target_group)
      .map((tg: any) => tg.name)
      .sort();
    expect(groups).toEqual(["staging-rails3-tg", "staging-rails4-tg"]);
  });

  test("outputs say where traffic goes: DNS name, each fleet's capacity and share, and the rules in order", () => {
    expect(twoVersion.output!.load_balancer_dns_name.value).toMatch(/aws_lb\..*\.dns_name/);
    const fleets = twoVersion.output!.fleets.value as any;
    // Both example fleets scale: the policies decide their desired count between min and max.
    expect(fleets.rails3).toMatchObject({ min: 2, desired: "scaling", max: 6, default_percent: 100 });
    expect(fleets.rails4).toMatchObject({ default_percent: 0, rules: { "hoge-fuga": 10, "admin-piyo": 100 } });
    const summary = twoVersion.output!.traffic_summary.value as string[];
    expect(summary[summary.length - 1]).toBe("default: -> rails3");
    expect(summary.some((line) => /hoge-fuga: .*-> rails3 90%, rails4 10%/.test(line))).toBe(true);
    const bg = blueGreen.output!.fleets.value as any;
    expect([bg.blue.default_percent, bg.green.default_percent]).toEqual([90, 10]);
  });

  test("a dashboard puts the fleets side by side: requests, 5xx rate, p50/p99, healthy hosts", () => {
    const body = JSON.parse(onlyResource(twoVersion, "aws_cloudwatch_dashboard").dashboard_body);
    const titles = body.widgets.map((w: any) => w.properties.title);
    expect(titles).toEqual(["Requests per minute", "Target 5xx rate (%)", "Target response time p50 / p99 (s)", "Healthy hosts"]);
    const labels = body.widgets.flatMap((w: any) => w.properties.metrics.map((m: any[]) => m[m.length - 1].label)).filter(Boolean);
    for (const fleet of ["rails3", "rails4"]) {
      expect(labels).toEqual(
        expect.arrayContaining([`${fleet} requests`, `${fleet} 5xx %`, `${fleet} p50`, `${fleet} p99`, `${fleet} healthy`]),
      );
    }
    expect(onlyResource(blueGreen, "aws_cloudwatch_dashboard").dashboard_name).toBe("prod-web-fleets");
  });

  test("each fleet reads only its own prefix of the artifact bucket", () => {
    const policies = Object.values(twoVersion.resource!.aws_iam_role_policy).filter((p: any) => p.name === "deploy-artifact-read");
    const resources = policies.map((p: any) => JSON.parse(p.policy).Statement[0].Resource).sort();
    expect(resources).toEqual([
      expect.stringMatching(/example-deploy-artifacts\/rails3\/\*$/),
      expect.stringMatching(/example-deploy-artifacts\/rails4\/\*$/),
    ]);
  });
});

describe("failures reach a person", () => {
  const examples = { "two-version": synthTwoVersion(), "blue-green": synthBlueGreen() };

  test.each(Object.keys(examples))("every alarm of the %s example notifies the stack's alarm topic when it fires", (layout) => {
    const json = examples[layout as keyof typeof examples];
    const topicId = Object.keys(json.resource!.aws_sns_topic)[0];
    const alarms = Object.values(json.resource!.aws_cloudwatch_metric_alarm) as any[];
    expect(alarms.length).toBeGreaterThan(8);
    for (const alarm of alarms) {
      expect({ alarm: alarm.alarm_name, actions: alarm.alarm_actions }).toEqual({
        alarm: alarm.alarm_name,
        actions: [expect.stringMatching(/^\$\{aws_(sns_topic|autoscaling_policy)\.[^}]+\.arn\}$/)],
      });
      if (!alarm.alarm_name.includes("-scale-")) expect(alarm.alarm_actions).toEqual([`\${aws_sns_topic.${topicId}.arn}`]);
    }
  });

  test("the topic is encrypted with its own key, whose policy lets CloudWatch use it and the account administer it", () => {
    const json = examples["two-version"];
    const topic = onlyResource(json, "aws_sns_topic");
    const keyId = Object.keys(json.resource!.aws_kms_key)[0];
    expect(topic).toMatchObject({ name: "staging-web-alarms", kms_master_key_id: `\${aws_kms_key.${keyId}.arn}` });
    expect(onlyResource(json, "aws_kms_key")).toMatchObject({ enable_key_rotation: true });
    const policy = onlyResource(json, "aws_kms_key_policy");
    expect(policy.key_id).toBe(`\${aws_kms_key.${keyId}.id}`);
    const statements = JSON.parse(policy.policy).Statement;
    expect(statements).toContainEqual({
      Sid: "CloudWatchPublishesAlarms",
      Effect: "Allow",
      Principal: { Service: ["cloudwatch.amazonaws.com"] },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
    });
    // The account comes from the key's own ARN (a local): no STS call at plan time.
    const [localName, account] = Object.entries((json as { locals: Record<string, string> }).locals).find(([name]) =>
      name.includes("AlarmTopic_AccountId"),
    )!;
    expect(account).toMatch(/^\$\{element\(split\(":", aws_kms_key\.\w+\.arn\), 4\)\}$/);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Sid: "AccountAdministersKey",
        Principal: {
          AWS: `arn:\${data.aws_partition.${Object.keys(json.data!.aws_partition).find((k) => k.includes("AlarmTopic"))}.partition}:iam::\${local.${localName}}:root`,
        },
        Action: "kms:*",
      }),
    );
    expect(onlyResource(json, "aws_kms_alias").name).toBe("alias/staging-web-alarms");
  });

  test("the configuration's subscription reaches the topic", () => {
    expect(onlyResource(examples["two-version"], "aws_sns_topic_subscription")).toMatchObject({
      protocol: "email",
      endpoint: "oncall-staging@example.com",
    });
  });

  test("a file with no topic and no alarmTopicArn is refused, naming the file", () => {
    expect(() => synthTwoVersion((c) => delete c.alarmTopic)).toThrow(
      /two-version\.staging\.json: alarmTopic = undefined: is missing, and so is alarmTopicArn/,
    );
  });

  test("the explicit opt-out creates the topic without a subscription; an existing topic's ARN creates none", () => {
    const optedOut = synthTwoVersion(
      (c) => (c.alarmTopic = { noSubscriptionBecause: "AWS Chatbot subscribes to this topic from the ops account" }),
    );
    expect(optedOut.resource!.aws_sns_topic_subscription).toBeUndefined();
    expect(Object.keys(optedOut.resource!.aws_sns_topic)).toHaveLength(1);
    const existing = "arn:aws:sns:ap-northeast-1:123456789012:ops";
    const own = synthTwoVersion((c) => {
      delete c.alarmTopic;
      c.alarmTopicArn = existing;
    });
    expect(own.resource!.aws_sns_topic).toBeUndefined();
    for (const alarm of Object.values(own.resource!.aws_cloudwatch_metric_alarm) as any[])
      if (!alarm.alarm_name.includes("-scale-")) expect(alarm.alarm_actions).toEqual([existing]);
  });

  test("in-service-below-desired measures the group's own desired count, for longer than a launch through the gate takes", () => {
    const alarm = (Object.values(examples["two-version"].resource!.aws_cloudwatch_metric_alarm) as any[]).find(
      (a) => a.alarm_name === "staging-rails4-in-service-below-desired",
    );
    expect(alarm.metric_query.map((q: any) => q.expression ?? `${q.metric.metric_name}/${q.metric.stat}`)).toEqual([
      "desired - inservice",
      "GroupDesiredCapacity/Maximum",
      "GroupInServiceInstances/Minimum",
    ]);
    // The gate's 600 s heartbeat is 10 minutes, plus 2 for group metrics.
    expect(alarm).toMatchObject({ evaluation_periods: 12, datapoints_to_alarm: 12, threshold: 1, treat_missing_data: "breaching" });
  });
});

describe("both example stacks scale every fleet by target tracking", () => {
  test.each([
    ["two-version", () => synthTwoVersion(), ["staging-rails3", "staging-rails4"]],
    ["blue-green", () => synthBlueGreen(), ["prod-blue", "prod-green"]],
  ] as const)(
    "%s: CPU and requests per target tracking on each fleet, and no desired count a deploy would reset",
    (_layout, synth, fleets) => {
      const json = synth();
      const policies = Object.values(json.resource!.aws_autoscaling_policy) as any[];
      for (const fleet of fleets) {
        expect(
          policies
            .filter((p) => p.name.startsWith(`${fleet}-`) && p.policy_type === "TargetTrackingScaling")
            .map((p) => p.name)
            .sort(),
        ).toEqual([`${fleet}-cpu-target`, `${fleet}-requests-target`]);
        const asg = (Object.values(json.resource!.aws_autoscaling_group) as any[]).find((g) => g.name === `${fleet}-asg`);
        expect(asg).not.toHaveProperty("desired_capacity");
        expect(asg.wait_for_elb_capacity).toBe(asg.min_size);
      }
    },
  );
});

describe("API endpoints for instances without a NAT gateway (opt-in)", () => {
  test("none unless asked: instances then reach the APIs through the VPC's NAT gateway or its own endpoints", () => {
    expect(synthTwoVersion().resource!.aws_vpc_endpoint).toBeUndefined();
  });

  test("network.apiEndpoints creates an interface endpoint per service the instances call, admitting HTTPS from the fleets only, and an S3 gateway endpoint", () => {
    const json = synthTwoVersion((c) => (c.network.apiEndpoints = { privateRouteTableIds: ["rtb-0a1b2c3d4e5f60718"] }));
    const endpoints = Object.values(json.resource!.aws_vpc_endpoint) as any[];
    const interfaces = endpoints.filter((e) => e.vpc_endpoint_type === "Interface");
    expect(interfaces.map((e) => e.service_name).sort()).toEqual(
      ["autoscaling", "codedeploy", "codedeploy-commands-secure", "ec2messages", "monitoring", "ssm", "ssmmessages"].map(
        (s) => `com.amazonaws.ap-northeast-1.${s}`,
      ),
    );
    for (const e of interfaces)
      expect(e).toMatchObject({ private_dns_enabled: true, subnet_ids: ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"] });
    expect(endpoints.find((e) => e.vpc_endpoint_type === "Gateway")).toMatchObject({
      service_name: "com.amazonaws.ap-northeast-1.s3",
      route_table_ids: ["rtb-0a1b2c3d4e5f60718"],
    });
    const sgId = Object.entries(json.resource!.aws_security_group).find(([, g]: any) => g.name_prefix === "staging-web-api-endpoints-")![0];
    const ingress = (Object.values(json.resource!.aws_vpc_security_group_ingress_rule) as any[]).filter(
      (r) => r.security_group_id === `\${aws_security_group.${sgId}.id}`,
    );
    expect(ingress.map((r) => [r.from_port, r.referenced_security_group_id.replace(/_[0-9A-F]{8}\.id\}$/, "")])).toEqual([
      [443, "${aws_security_group.rails3_SecurityGroup"],
      [443, "${aws_security_group.rails4_SecurityGroup"],
    ]);
  });

  test("a malformed route table ID is refused, naming the field", () => {
    expect(() => synthTwoVersion((c) => (c.network.apiEndpoints = { privateRouteTableIds: ["route-1"] }))).toThrow(
      /network\.apiEndpoints\.privateRouteTableIds\[0\] = "route-1"/,
    );
  });
});

describe("the Blue/Green stack checks what a rollback lands on by itself", () => {
  test("a configuration object built in code, never read from a file, is refused when the scaling idle color's min is below the live color's", () => {
    // parseLayoutConfig (the file path) would refuse this too; the stack must not depend on it.
    const raw = exampleJson("blue-green.production.json");
    const config = parseLayoutConfig(raw, "blue-green.production.json") as BlueGreenConfig;
    const edited: BlueGreenConfig = {
      ...config,
      fleets: { ...config.fleets, green: { ...config.fleets.green, capacity: { ...config.fleets.green.capacity, min: 1 } } },
    };
    let error: unknown;
    try {
      new BlueGreenStack(Testing.app(), "blue-green-prod", edited, "blue-green.production.json", {
        lockFile: exampleLock("blue-green.production.json"),
      });
    } catch (e) {
      error = e;
    }
    expect(ConfigError.isConfigError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /blue-green\.production\.json: fleets\.green\.capacity\.min = 1: is below the live color blue's min \(3\)/,
    );
    expect((error as Error).message).toMatch(/Fix: raise fleets\.green\.capacity\.min to 3/);
  });
});
