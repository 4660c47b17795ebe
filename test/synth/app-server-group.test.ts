import { AppServerGroup } from "../../lib/fleet/app-server-group";
import { DeploymentConfig } from "../../lib/fleet/deployment-config";
import { fleetProps } from "../support/fixtures";
import { newStack, onlyResource, resourcesOf, synthJson, TerraformJson } from "../support/synth";

function synthFleet(overrides: Parameters<typeof fleetProps>[0] = {}): TerraformJson {
  const { stack } = newStack();
  new AppServerGroup(stack, "Fleet", fleetProps(overrides));
  return synthJson(stack);
}

describe("AppServerGroup with defaults", () => {
  let json: TerraformJson;
  beforeAll(() => {
    json = synthFleet();
  });

  test("the fleet name names and tags every taggable resource", () => {
    const taggable = Object.entries(json.resource!).flatMap(([type, byId]) =>
      Object.values(byId)
        .filter((r) => "tags" in r)
        .map((r) => ({ type, tags: r.tags })),
    );
    expect(taggable.length).toBeGreaterThan(8);
    for (const { type, tags } of taggable) {
      expect({ type, fleet: tags.Fleet }).toEqual({ type, fleet: "rails4" });
    }
    expect(onlyResource(json, "aws_lb_target_group").name).toBe("rails4-tg");
    expect(onlyResource(json, "aws_autoscaling_group").name).toBe("rails4-asg");
    expect(onlyResource(json, "aws_launch_template").name).toBe("rails4-lt");
  });

  test("launch template: no SSH key, IMDSv2 required with hop limit 1, detailed monitoring", () => {
    const lt = onlyResource(json, "aws_launch_template");
    expect(lt.key_name).toBeUndefined();
    expect(lt.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1, http_endpoint: "enabled" });
    expect(lt.monitoring).toEqual({ enabled: true });
    expect(lt.image_id).toBe("ami-0a1b2c3d4e5f60789");
    expect(lt.instance_type).toBe("t3.small");
  });

  test("launch template: encrypted root volume and no public IP", () => {
    const lt = onlyResource(json, "aws_launch_template");
    expect(lt.block_device_mappings).toEqual([
      {
        device_name: "/dev/xvda",
        ebs: { encrypted: "true", volume_size: 20, volume_type: "gp3", delete_on_termination: "true" },
      },
    ]);
    expect(lt.network_interfaces[0]).toMatchObject({ associate_public_ip_address: "false", device_index: 0 });
  });

  test("launch template: instance profile of the fleet's own role", () => {
    const lt = onlyResource(json, "aws_launch_template");
    expect(lt.iam_instance_profile.arn).toMatch(/^\$\{aws_iam_instance_profile\.[A-Za-z0-9_]+\.arn\}$/);
  });

  test("ASG is pinned to the template's latest version, never $Latest", () => {
    const asg = onlyResource(json, "aws_autoscaling_group");
    expect(asg.launch_template.version).toMatch(/^\$\{aws_launch_template\.[A-Za-z0-9_]+\.latest_version\}$/);
    expect(JSON.stringify(json)).not.toContain("$Latest");
  });

  test("ASG: capacity 2/2/4, two subnets, ELB health check with a grace period", () => {
    const asg = onlyResource(json, "aws_autoscaling_group");
    expect(asg).toMatchObject({ min_size: 2, desired_capacity: 2, max_size: 4, health_check_type: "ELB", health_check_grace_period: 300 });
    expect(asg.vpc_zone_identifier).toHaveLength(2);
  });

  test("ASG binds the target group inline and waits for healthy capacity behind it", () => {
    const asg = onlyResource(json, "aws_autoscaling_group");
    expect(asg.target_group_arns).toEqual([expect.stringMatching(/^\$\{aws_lb_target_group\.[A-Za-z0-9_]+\.arn\}$/)]);
    expect(asg.wait_for_elb_capacity).toBe(2);
    // 15 minutes, written in seconds as the prop is (capacityTimeoutSeconds).
    expect(asg.wait_for_capacity_timeout).toBe("900s");
    expect(resourcesOf(json, "aws_autoscaling_attachment")).toEqual({});
    expect(resourcesOf(json, "aws_lb_target_group_attachment")).toEqual({});
  });

  test("target group: HTTP health check, deregistration delay 30 s, no slow start, no stickiness", () => {
    const tg = onlyResource(json, "aws_lb_target_group");
    expect(tg.health_check).toMatchObject({
      path: "/health",
      matcher: "200",
      interval: 15,
      timeout: 5,
      healthy_threshold: 3,
      unhealthy_threshold: 3,
      protocol: "HTTP",
    });
    expect(tg.deregistration_delay).toBe("30");
    expect(tg.slow_start).toBe(0);
    expect(tg.stickiness).toMatchObject({ enabled: false });
  });

  test("security group admits the app port only from the load balancer's group, every rule described", () => {
    const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule"));
    expect(ingress).toEqual([
      expect.objectContaining({ from_port: 80, to_port: 80, referenced_security_group_id: "sg-0a1b2c3d4e5f60799" }),
    ]);
    expect(ingress[0].cidr_ipv4).toBeUndefined();
    const rules = [...ingress, ...Object.values(resourcesOf(json, "aws_vpc_security_group_egress_rule"))];
    for (const rule of rules) expect(rule.description).toEqual(expect.any(String));
    expect(onlyResource(json, "aws_security_group").description).toEqual(expect.any(String));
    expect(onlyResource(json, "aws_security_group").ingress).toBeUndefined();
  });

  test("security group: named by prefix, so a forced replacement (create before destroy) never collides on the name", () => {
    const sg = onlyResource(json, "aws_security_group");
    expect(sg.name).toBeUndefined();
    expect(sg.name_prefix).toBe("rails4-instances-");
    expect(sg.lifecycle).toEqual({ create_before_destroy: true });
    expect(sg.tags.Name).toBe("rails4-instances");
  });

  test("instances may only reach HTTPS outbound by default, not every port", () => {
    const egress = Object.values(resourcesOf(json, "aws_vpc_security_group_egress_rule"));
    for (const rule of egress) {
      expect(rule.ip_protocol).not.toBe("-1");
      expect(rule.from_port).toBe(443);
    }
  });

  test("IAM: no AWS managed policy; the SSM Agent's own calls and the fleet's own parameter path only", () => {
    expect(resourcesOf(json, "aws_iam_role_policy_attachment")).not.toEqual({});
    for (const attachment of Object.values(resourcesOf(json, "aws_iam_role_policy_attachment"))) {
      expect(attachment.policy_arn).not.toMatch(/:iam::aws:policy\//);
    }
    const agent = Object.values(resourcesOf(json, "aws_iam_role_policy")).find((p) => p.name === "ssm-agent-and-own-parameters")!;
    const [channels, parameters] = JSON.parse(agent.policy).Statement;
    // Session Manager channels, Run Command messages and the agent's heartbeat: calls on the instance itself.
    expect(channels.Action).toEqual(
      expect.arrayContaining(["ssm:UpdateInstanceInformation", "ssmmessages:OpenDataChannel", "ec2messages:GetMessages"]),
    );
    expect(channels.Action.every((a: string) => /^(ssm:UpdateInstanceInformation|ssmmessages:|ec2messages:)/.test(a))).toBe(true);
    // Parameters: read only, only under /<qualified name>/.
    expect(parameters.Action).toEqual(["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"]);
    expect(parameters.Resource.map((r: string) => r.replace(/\$\{[^}]+\}/g, "<known after apply>"))).toEqual([
      "arn:<known after apply>:ssm:<known after apply>:*:parameter/rails4",
      "arn:<known after apply>:ssm:<known after apply>:*:parameter/rails4/*",
    ]);
    const inline = Object.values(resourcesOf(json, "aws_iam_role_policy"));
    expect(inline.filter((p) => p.name === "deploy-artifact-read")).toEqual([]);
  });

  test("IAM: the parameter path includes the namespace, so environments never read each other's parameters", () => {
    const { stack } = newStack();
    const fleet = new AppServerGroup(stack, "Fleet", fleetProps({ namespace: "staging" }));
    expect(fleet.instanceRole.parameterPath).toBe("/staging-rails4/");
    const agent = Object.values(resourcesOf(synthJson(stack), "aws_iam_role_policy")).find(
      (p) => p.name === "ssm-agent-and-own-parameters",
    )!;
    expect(JSON.parse(agent.policy).Statement[1].Resource[1]).toMatch(/:parameter\/staging-rails4\/\*$/);
  });

  test("alarms with deterministic names, actions enabled: four that gate traffic, two that say launches fail", () => {
    const names = Object.values(resourcesOf(json, "aws_cloudwatch_metric_alarm"))
      .map((a) => a.alarm_name)
      .sort();
    expect(names).toEqual([
      "rails4-bootstrap-abandoned",
      "rails4-in-service-below-desired",
      "rails4-launches-stuck",
      "rails4-p99-latency",
      "rails4-target-5xx",
      "rails4-unhealthy-hosts",
    ]);
    for (const alarm of Object.values(resourcesOf(json, "aws_cloudwatch_metric_alarm"))) expect(alarm.actions_enabled).toBe(true);
    const p99 = Object.values(resourcesOf(json, "aws_cloudwatch_metric_alarm")).find((a) => a.alarm_name === "rails4-p99-latency")!;
    expect(p99).toMatchObject({ extended_statistic: "p99", metric_name: "TargetResponseTime", threshold: 2 });
    expect(p99.dimensions.LoadBalancer).toBe("app/example/0123456789abcdef");
  });

  test("CodeDeploy: in-place with traffic control, auto-rollback on failure and alarm, one at a time", () => {
    const group = onlyResource(json, "aws_codedeploy_deployment_group");
    expect(group.deployment_style).toEqual({ deployment_option: "WITH_TRAFFIC_CONTROL", deployment_type: "IN_PLACE" });
    expect(group.auto_rollback_configuration).toEqual({ enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] });
    expect(group.alarm_configuration.enabled).toBe(true);
    expect(group.alarm_configuration.alarms).toHaveLength(4);
    expect(group.deployment_config_name).toBe("CodeDeployDefault.OneAtATime");
    expect(group.load_balancer_info.target_group_info[0].name).toMatch(/aws_lb_target_group/);
    expect(onlyResource(json, "aws_codedeploy_app")).toMatchObject({ name: "rails4", compute_platform: "Server" });
    const serviceRole = Object.values(resourcesOf(json, "aws_iam_role")).find((r) => r.name === "rails4-codedeploy")!;
    expect(JSON.parse(serviceRole.assume_role_policy).Statement[0].Principal.Service).toBe("codedeploy.amazonaws.com");
  });

  test("CodeDeploy: the service role trusts only this account's deployment group of this fleet", () => {
    const serviceRole = Object.values(resourcesOf(json, "aws_iam_role")).find((r) => r.name === "rails4-codedeploy")!;
    const [trust] = JSON.parse(serviceRole.assume_role_policy).Statement;
    // The account comes from the role's own permissions policy ARN (a local): no STS call at plan time.
    const [localName, accountExpression] = Object.entries((json as { locals: Record<string, string> }).locals).find(([name]) =>
      name.includes("AccountId"),
    )!;
    expect(accountExpression).toMatch(/^\$\{element\(split\(":", aws_iam_policy\.\w+\.arn\), 4\)\}$/);
    expect(trust.Condition.StringEquals).toEqual({ "aws:SourceAccount": `\${local.${localName}}` });
    expect(trust.Condition.ArnLike["aws:SourceArn"]).toMatch(
      new RegExp(
        `:codedeploy:\\$\\{data\\.aws_region\\.\\w+\\.name\\}:\\$\\{local\\.${localName}\\}:deploymentgroup:\\$\\{aws_codedeploy_app\\.\\w+\\.name\\}/rails4$`,
      ),
    );
  });

  test("CodeDeploy: no AWS managed policy; lifecycle hooks, traffic and alarms of this fleet only", () => {
    const permissions = onlyResource(json, "aws_iam_policy");
    expect(permissions.name).toBe("rails4-codedeploy");
    const attachments = Object.values(resourcesOf(json, "aws_iam_role_policy_attachment"));
    expect(attachments.map((a) => a.policy_arn)).toContain(
      `\${${"aws_iam_policy." + Object.keys(resourcesOf(json, "aws_iam_policy"))[0]}.arn}`,
    );
    const bySid = Object.fromEntries(JSON.parse(permissions.policy).Statement.map((st: { Sid: string }) => [st.Sid, st]));
    expect(bySid.OwnLifecycleHooks.Resource).toEqual([
      expect.stringMatching(/:autoScalingGroupName\/\$\{aws_autoscaling_group\.\w+\.name\}$/),
      expect.stringMatching(/:autoScalingGroupName\/rails4-canary-asg$/),
    ]);
    // The fleet's target group, and its canary's by name, so adding a canary leaves this policy as it is.
    expect(bySid.OwnTargetGroupTraffic.Resource).toEqual([
      expect.stringMatching(/:targetgroup\/\$\{aws_lb_target_group\.\w+\.name\}\/\*$/),
      expect.stringMatching(/:targetgroup\/rails4-canary-tg\/\*$/),
    ]);
    expect(bySid.OwnAlarms.Resource).toHaveLength(5);
    expect(bySid.OwnAlarms.Resource[4]).toMatch(/:alarm:rails4-canary-\*$/);
    const granted = Object.values(bySid).flatMap((st) => (st as { Action: string | string[] }).Action);
    for (const dangerous of [
      "autoscaling:DeleteAutoScalingGroup",
      "autoscaling:UpdateAutoScalingGroup",
      "ec2:TerminateInstances",
      "ec2:RunInstances",
      "iam:PassRole",
    ]) {
      expect(granted).not.toContain(dangerous);
    }
    // CodeDeploy checks the role when the group is created, so the group waits for the attachment.
    expect(onlyResource(json, "aws_codedeploy_deployment_group").depends_on).toEqual([
      expect.stringMatching(/^aws_iam_role_policy_attachment\.Fleet_Deployment_ServiceRolePolicy_\w+$/),
    ]);
  });
});

describe("AppServerGroup exposes what other constructs need", () => {
  test("ASG, target group, security group, alarms and deployment group are attributes", () => {
    const { stack } = newStack();
    const fleet = new AppServerGroup(stack, "Fleet", fleetProps({ name: "blue" }));
    expect(fleet.name).toBe("blue");
    expect(fleet.autoScalingGroup.terraformResourceType).toBe("aws_autoscaling_group");
    expect(fleet.targetGroup.terraformResourceType).toBe("aws_lb_target_group");
    expect(fleet.securityGroup.terraformResourceType).toBe("aws_security_group");
    expect(fleet.deployment.deploymentGroup.terraformResourceType).toBe("aws_codedeploy_deployment_group");
    expect(fleet.alarms.names).toEqual(["blue-unhealthy-hosts", "blue-target-5xx", "blue-p99-latency", "blue-in-service-below-desired"]);
    expect(fleet.alarms.allNames).toEqual([...fleet.alarms.names, "blue-launches-stuck", "blue-bootstrap-abandoned"]);
    expect(fleet.trafficGate).toBe(fleet.autoScalingGroup);
    expect(fleet.targetGroupCount).toBe(1);
    expect(fleet.forwardTargetGroups.map((g) => g.sharePercent)).toEqual([100]);
  });
});

describe("AppServerGroup options", () => {
  test("namespace prefixes every AWS name so two environments share an account", () => {
    const json = synthFleet({ namespace: "prod" });
    expect(onlyResource(json, "aws_lb_target_group").name).toBe("prod-rails4-tg");
    expect(onlyResource(json, "aws_autoscaling_group").name).toBe("prod-rails4-asg");
    expect(onlyResource(json, "aws_codedeploy_deployment_group").deployment_group_name).toBe("prod-rails4");
  });

  test("capacity, instance type, port, health check and root volume are configurable", () => {
    const json = synthFleet({
      capacity: { min: 1, desired: 3, max: 6 },
      instanceType: "m7g.large",
      appPort: 8080,
      healthCheck: { path: "/up", matcher: "200-299", intervalSeconds: 30, timeoutSeconds: 10, healthyThreshold: 2, unhealthyThreshold: 5 },
      rootVolume: {
        deviceName: "/dev/sda1",
        sizeGiB: 50,
        volumeType: "gp3",
        kmsKeyArn: "arn:aws:kms:ap-northeast-1:123456789012:key/abcd",
      },
    });
    const asg = onlyResource(json, "aws_autoscaling_group");
    expect(asg).toMatchObject({ min_size: 1, desired_capacity: 3, max_size: 6, wait_for_elb_capacity: 3 });
    const lt = onlyResource(json, "aws_launch_template");
    expect(lt.instance_type).toBe("m7g.large");
    expect(lt.block_device_mappings[0]).toMatchObject({
      device_name: "/dev/sda1",
      ebs: { encrypted: "true", volume_size: 50, kms_key_id: "arn:aws:kms:ap-northeast-1:123456789012:key/abcd" },
    });
    const tg = onlyResource(json, "aws_lb_target_group");
    expect(tg.port).toBe(8080);
    expect(tg.health_check).toMatchObject({
      path: "/up",
      matcher: "200-299",
      interval: 30,
      timeout: 10,
      healthy_threshold: 2,
      unhealthy_threshold: 5,
    });
    const ingress = onlyResource(json, "aws_vpc_security_group_ingress_rule");
    expect(ingress).toMatchObject({ from_port: 8080, to_port: 8080 });
  });

  test("slow start, stickiness and deregistration delay", () => {
    const tg = onlyResource(
      synthFleet({ slowStartSeconds: 60, stickinessSeconds: 3600, deregistrationDelaySeconds: 10 }),
      "aws_lb_target_group",
    );
    expect(tg.slow_start).toBe(60);
    expect(tg.stickiness).toEqual({ type: "lb_cookie", enabled: true, cookie_duration: 3600 });
    expect(tg.deregistration_delay).toBe("10");
  });

  test("an SSH key is set only when asked for", () => {
    expect(onlyResource(synthFleet({ keyName: "ops" }), "aws_launch_template").key_name).toBe("ops");
  });

  test("artifact read is limited to the bucket and prefix given", () => {
    const json = synthFleet({ artifacts: { bucketName: "deploy-artifacts", prefix: "rails4/" } });
    const policy = Object.values(resourcesOf(json, "aws_iam_role_policy")).find((p) => p.name === "deploy-artifact-read")!;
    const statements = JSON.parse(policy.policy).Statement;
    expect(statements[0].Resource).toMatch(/:s3:::deploy-artifacts\/rails4\/\*$/);
    expect(statements[0].Action).toEqual(["s3:GetObject", "s3:GetObjectVersion"]);
    expect(statements[1]).toMatchObject({ Action: "s3:ListBucket", Condition: { StringLike: { "s3:prefix": ["rails4/*"] } } });
    expect(JSON.stringify(statements)).not.toMatch(/"Resource":"\*"/);
  });

  test("alarm actions go to the SNS topic and thresholds are configurable", () => {
    const topic = "arn:aws:sns:ap-northeast-1:123456789012:ops";
    const json = synthFleet({ alarms: { snsTopicArn: topic, p99LatencySeconds: 0.8, target5xxPerMinute: 25, evaluationPeriods: 5 } });
    const alarms = Object.values(resourcesOf(json, "aws_cloudwatch_metric_alarm"));
    for (const alarm of alarms) {
      expect(alarm.alarm_actions).toEqual([topic]);
      expect(alarm.ok_actions).toEqual([topic]);
    }
    for (const name of ["rails4-unhealthy-hosts", "rails4-target-5xx", "rails4-p99-latency"]) {
      expect(alarms.find((a) => a.alarm_name === name)!.evaluation_periods).toBe(5);
    }
    expect(alarms.find((a) => a.alarm_name === "rails4-p99-latency")!.threshold).toBe(0.8);
    expect(alarms.find((a) => a.alarm_name === "rails4-target-5xx")!.threshold).toBe(25);
  });

  test.each([
    ["halfAtATime", "CodeDeployDefault.HalfAtATime"],
    ["allAtOnce", "CodeDeployDefault.AllAtOnce"],
  ] as const)("DeploymentConfig.%s() selects %s", (factory, expected) => {
    const json = synthFleet({ deployment: { config: DeploymentConfig[factory]() } });
    expect(onlyResource(json, "aws_codedeploy_deployment_group").deployment_config_name).toBe(expected);
  });

  test("a minimum-healthy-percent deployment creates its own deployment config", () => {
    const json = synthFleet({ deployment: { config: DeploymentConfig.minimumHealthyPercent(75) } });
    const config = onlyResource(json, "aws_codedeploy_deployment_config");
    expect(config.minimum_healthy_hosts).toEqual({ type: "FLEET_PERCENT", value: 75 });
    expect(onlyResource(json, "aws_codedeploy_deployment_group").deployment_config_name).toMatch(/aws_codedeploy_deployment_config/);
  });

  test("an existing CodeDeploy application is used instead of creating one", () => {
    const json = synthFleet({ deployment: { applicationName: "shop" } });
    expect(resourcesOf(json, "aws_codedeploy_app")).toEqual({});
    expect(onlyResource(json, "aws_codedeploy_deployment_group").app_name).toBe("shop");
  });

  test("extra egress rules are added with their descriptions", () => {
    const json = synthFleet({
      extraEgress: [{ description: "PostgreSQL", port: 5432, securityGroupId: "sg-0123456789abcdef0" }],
    });
    const egress = Object.values(resourcesOf(json, "aws_vpc_security_group_egress_rule"));
    expect(egress).toContainEqual(
      expect.objectContaining({ description: "PostgreSQL", from_port: 5432, referenced_security_group_id: "sg-0123456789abcdef0" }),
    );
  });

  test("user tags reach the instances through the ASG and the launch template", () => {
    const json = synthFleet({ tags: { Team: "web" } });
    expect(onlyResource(json, "aws_autoscaling_group").tag).toContainEqual({ key: "Team", value: "web", propagate_at_launch: true });
    expect(onlyResource(json, "aws_launch_template").tag_specifications[0].tags).toMatchObject({ Team: "web", Fleet: "rails4" });
  });
});
