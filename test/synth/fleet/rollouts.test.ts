import { AppServerGroup } from "../../../lib/fleet/app-server-group";
import { AppServerGroupProps } from "../../../lib/fleet/app-server-group-props";
import { parseUserData } from "../../../lib/fleet/user-data";
import { InMemoryStackLock } from "../../../lib/lock/stack-lock-store";
import { fleetProps } from "../../support/fixtures";
import { newStack, onlyResource, resourcesOf, synthJson, TerraformJson } from "../../support/synth";

const CANDIDATE_AMI = "ami-0fedcba9876543210";

function synthFleet(overrides: Partial<AppServerGroupProps> = {}): TerraformJson {
  const { stack } = newStack();
  new AppServerGroup(stack, "Fleet", fleetProps(overrides));
  return synthJson(stack);
}

function decodedUserData(template: Record<string, any>): string {
  return Buffer.from(template.user_data, "base64").toString("utf8");
}

function byName(json: TerraformJson, type: string, name: string): Record<string, any> {
  const found = Object.values(resourcesOf(json, type)).find((r) => r.name === name);
  if (!found) throw new Error(`no ${type} named ${name}`);
  return found;
}

function addresses(json: TerraformJson): string[] {
  return Object.entries(json.resource ?? {})
    .flatMap(([type, byId]) => Object.keys(byId).map((id) => `${type}.${id}`))
    .sort();
}

/** One synth of the default fleet, shared by the "off by default" checks. */
let defaults: TerraformJson;
beforeAll(() => {
  defaults = synthFleet();
});

describe("bootstrap gate (on by default)", () => {
  let json: TerraformJson;
  beforeAll(() => {
    json = synthFleet({ userData: '#!/bin/bash\necho "${HOSTNAME}" > /etc/motd\n' });
  });

  test("the ASG holds every new instance, the first ones included, with an inline launch hook that abandons by default", () => {
    expect(onlyResource(json, "aws_autoscaling_group").initial_lifecycle_hook).toEqual([
      {
        name: "bootstrap-gate",
        lifecycle_transition: "autoscaling:EC2_INSTANCE_LAUNCHING",
        heartbeat_timeout: 600,
        default_result: "ABANDON",
      },
    ]);
  });

  test("the same hook is also its own resource, and the ASG ignores its inline copy, so hook changes never replace the group", () => {
    const asg = onlyResource(json, "aws_autoscaling_group");
    expect(asg.lifecycle).toEqual({ ignore_changes: ["initial_lifecycle_hook"] });
    expect(onlyResource(json, "aws_autoscaling_lifecycle_hook")).toEqual({
      name: "bootstrap-gate",
      autoscaling_group_name: expect.stringMatching(/^\$\{aws_autoscaling_group\.Fleet_AutoScalingGroup_[0-9A-F]+\.name\}$/),
      lifecycle_transition: "autoscaling:EC2_INSTANCE_LAUNCHING",
      heartbeat_timeout: 600,
      default_result: "ABANDON",
    });
  });

  test("the instance role may answer lifecycle hooks of its own group only, and the ASG waits for that permission", () => {
    const policy = byName(json, "aws_iam_role_policy", "lifecycle-actions-rails4-asg");
    const statements = JSON.parse(policy.policy).Statement;
    expect(statements).toEqual([
      {
        Sid: "AnswerOwnLifecycleHooks",
        Effect: "Allow",
        Action: ["autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat"],
        Resource: [
          expect.stringMatching(
            /^arn:\$\{data\.aws_partition\.[^}]+\.partition\}:autoscaling:\$\{data\.aws_region\.[^}]+\.name\}:\*:autoScalingGroup:\*:autoScalingGroupName\/rails4-asg$/,
          ),
        ],
      },
    ]);
    // Built from the name: referencing the ASG would deadlock (the ASG waits for healthy instances).
    expect(policy.policy).not.toContain("aws_autoscaling_group.");
    const policyId = Object.entries(resourcesOf(json, "aws_iam_role_policy")).find(([, p]) => p === policy)![0];
    const idOf = (name: string) => Object.entries(resourcesOf(json, "aws_iam_role_policy")).find(([, p]) => p.name === name)![0];
    // The group also waits for the permissions its scripts use from the first boot: metrics, and the launch loop guard.
    expect(onlyResource(json, "aws_autoscaling_group").depends_on).toEqual([
      `aws_iam_role_policy.${policyId}`,
      `aws_iam_role_policy.${idOf("app-fleets-metrics")}`,
      `aws_iam_role_policy.${idOf("launch-loop-guard-rails4-asg")}`,
    ]);
    // Region and partition come from the provider itself: no data source calls AWS at plan time.
    expect(Object.keys(json.data ?? {}).sort()).toEqual(["aws_partition", "aws_region"]);
  });

  test("user data: the user's script unchanged, then the gate part; encoded here so shell ${VAR} never meets Terraform", () => {
    const lt = onlyResource(json, "aws_launch_template");
    expect(lt.user_data).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const parts = parseUserData(decodedUserData(lt));
    expect(parts.map((p) => p.filename)).toEqual(["00-user-data.sh", "90-app-fleets-bootstrap-gate.sh"]);
    expect(parts[0].content).toBe('#!/bin/bash\necho "${HOSTNAME}" > /etc/motd\n');
    expect(parts[1].content).toContain("ASG_NAME='rails4-asg'");
  });

  test("user data holding a value known only at apply time is rejected while the library composes it, and passes through Terraform when it does not", () => {
    const { stack } = newStack();
    const other = new AppServerGroup(stack, "Other", fleetProps({ name: "other" }));
    const userData = `#!/bin/bash\necho ${other.targetGroupArn}\n`;
    expect(() => new AppServerGroup(stack, "Fleet", fleetProps({ userData }))).toThrow(/userData = "\(a value known only at apply time\)"/);
    new AppServerGroup(stack, "Plain", fleetProps({ name: "plain", userData, bootstrapGate: { enabled: false } }));
    const json = synthJson(stack);
    const lt = byName(json, "aws_launch_template", "plain-lt");
    // The document is a local (its text escaped around the reference), encoded by Terraform.
    expect(lt.user_data).toMatch(/^\$\{base64encode\(local\.Plain_LaunchTemplateUserData_[0-9A-F]+\)\}$/);
    const locals = (json as { locals?: Record<string, string> }).locals ?? {};
    expect(Object.entries(locals).find(([k]) => k.startsWith("Plain_LaunchTemplateUserData"))?.[1]).toMatch(
      /^#!\/bin\/bash\necho \$\{aws_lb_target_group\.Other_TargetGroup_[0-9A-F]+\.arn\}\n$/,
    );
  });
});

describe("bootstrap gate turned off", () => {
  let json: TerraformJson;
  beforeAll(() => {
    json = synthFleet({ bootstrapGate: { enabled: false } });
  });

  test("no hook, no lifecycle permission, no user data of ours", () => {
    const asg = onlyResource(json, "aws_autoscaling_group");
    expect(asg.initial_lifecycle_hook).toBeUndefined();
    expect(asg.depends_on).toBeUndefined();
    expect(resourcesOf(json, "aws_autoscaling_lifecycle_hook")).toEqual({});
    // The instance role keeps only its SSM Agent and parameter policy: no lifecycle permission.
    expect(Object.values(resourcesOf(json, "aws_iam_role_policy")).map((p) => p.name)).toEqual(["ssm-agent-and-own-parameters"]);
    expect(onlyResource(json, "aws_launch_template").user_data).toBeUndefined();
  });

  test("the ASG still ignores inline hooks, so turning the gate back on never replaces it", () => {
    expect(onlyResource(json, "aws_autoscaling_group").lifecycle).toEqual({ ignore_changes: ["initial_lifecycle_hook"] });
  });
});

describe("custom bootstrap gate", () => {
  test("heartbeat and readiness command reach the hook and the instance", () => {
    const json = synthFleet({ bootstrapGate: { heartbeatTimeoutSeconds: 840, readinessCommand: "systemctl is-active unicorn" } });
    expect(onlyResource(json, "aws_autoscaling_group").initial_lifecycle_hook[0].heartbeat_timeout).toBe(840);
    expect(onlyResource(json, "aws_autoscaling_lifecycle_hook").heartbeat_timeout).toBe(840);
    const gate = parseUserData(decodedUserData(onlyResource(json, "aws_launch_template")))[0].content;
    expect(gate).toContain("systemctl is-active unicorn");
    expect(gate).toContain("DEADLINE_SECONDS=820");
  });
});

describe("canary sub-fleet", () => {
  let plain: TerraformJson;
  let json: TerraformJson;
  beforeAll(() => {
    plain = synthFleet({ capacity: { min: 4, max: 8 } });
    json = synthFleet({
      capacity: { min: 4, max: 8 },
      canary: { imageId: CANDIDATE_AMI, instanceType: "t3.medium", sharePercent: 25 },
      alarms: { snsTopicArn: "arn:aws:sns:ap-northeast-1:123456789012:ops" },
    });
  });

  test("a second, small ASG registers in the canary's own target group, sized from the share", () => {
    const canary = byName(json, "aws_autoscaling_group", "rails4-canary-asg");
    const main = byName(json, "aws_autoscaling_group", "rails4-asg");
    expect(canary).toMatchObject({ min_size: 1, desired_capacity: 1, max_size: 1, wait_for_elb_capacity: 1, health_check_type: "ELB" });
    expect(canary.target_group_arns).toEqual([expect.stringMatching(/^\$\{aws_lb_target_group\.Fleet_Canary_TargetGroup_\w+\.arn\}$/)]);
    expect(canary.target_group_arns).not.toEqual(main.target_group_arns);
    expect(canary.tag).toContainEqual({ key: "Canary", value: "true", propagate_at_launch: true });
  });

  test("the canary's target group checks health and drains like the fleet's, under its own name", () => {
    const candidate = byName(json, "aws_lb_target_group", "rails4-canary-tg");
    const main = byName(json, "aws_lb_target_group", "rails4-tg");
    for (const key of ["port", "protocol", "health_check", "deregistration_delay", "slow_start", "stickiness", "vpc_id"]) {
      expect({ key, value: candidate[key] }).toEqual({ key, value: main[key] });
    }
    expect(candidate.tags).toMatchObject({ Fleet: "rails4", Canary: "true", Name: "rails4-canary-tg" });
  });

  test("aborting or promoting destroys the canary's group and target group only after the listener actions stop naming them", () => {
    // Terraform destroys a create_before_destroy resource after its dependents' updates; a plain one
    // removed while rules still forward to it fails with ResourceInUse (terraform-provider-aws#16889).
    expect(byName(json, "aws_lb_target_group", "rails4-canary-tg").lifecycle).toEqual({ create_before_destroy: true });
    expect(byName(json, "aws_autoscaling_group", "rails4-canary-asg").lifecycle).toMatchObject({ create_before_destroy: true });
    expect(byName(json, "aws_lb_target_group", "rails4-tg").lifecycle).toBeUndefined();
    expect(byName(json, "aws_autoscaling_group", "rails4-asg").lifecycle).not.toHaveProperty("create_before_destroy");
  });

  test("the canary's group is created after the fleet's, and the fleet's traffic gate is the canary's group: rules wait for both", () => {
    const { stack } = newStack();
    const fleet = new AppServerGroup(
      stack,
      "Fleet",
      fleetProps({ capacity: { min: 4, max: 8 }, canary: { imageId: CANDIDATE_AMI, sharePercent: 25 } }),
    );
    expect(fleet.trafficGate).toBe(fleet.canary!.autoScalingGroup);
    expect(byName(synthJson(stack), "aws_autoscaling_group", "rails4-canary-asg").depends_on).toContain(
      `aws_autoscaling_group.${fleet.autoScalingGroup.friendlyUniqueId}`,
    );
    expect(fleet.targetGroupCount).toBe(2);
    expect(fleet.forwardTargetGroups.map((g) => g.sharePercent)).toEqual([75, 25]);
  });

  test("the canary launches from its own template with the candidate settings and the fleet's hardening", () => {
    const candidate = byName(json, "aws_launch_template", "rails4-canary-lt");
    const main = byName(json, "aws_launch_template", "rails4-lt");
    expect(candidate.image_id).toBe(CANDIDATE_AMI);
    expect(candidate.instance_type).toBe("t3.medium");
    expect(main.image_id).toBe(fleetProps().imageId);
    for (const key of ["metadata_options", "block_device_mappings", "network_interfaces", "iam_instance_profile"]) {
      expect({ key, value: candidate[key] }).toEqual({ key, value: main[key] });
    }
    expect(byName(json, "aws_autoscaling_group", "rails4-canary-asg").launch_template.id).toContain("Fleet_Canary_LaunchTemplate");
  });

  test("canary instances are gated too, answering their own group's hook with their own permission", () => {
    expect(byName(json, "aws_autoscaling_group", "rails4-canary-asg").initial_lifecycle_hook).toEqual([
      expect.objectContaining({ name: "bootstrap-gate", default_result: "ABANDON" }),
    ]);
    expect(parseUserData(decodedUserData(byName(json, "aws_launch_template", "rails4-canary-lt")))[0].content).toContain(
      "ASG_NAME='rails4-canary-asg'",
    );
    const policy = byName(json, "aws_iam_role_policy", "lifecycle-actions-rails4-canary-asg");
    expect(JSON.parse(policy.policy).Statement[0].Resource[0]).toMatch(/autoScalingGroupName\/rails4-canary-asg$/);
  });

  test("the canary has its own alarms, named <fleet>-canary-..., notifying the fleet's topic", () => {
    const names = Object.values(resourcesOf(json, "aws_cloudwatch_metric_alarm")).map((a) => a.alarm_name);
    expect(names.filter((n) => n.includes("canary")).sort()).toEqual([
      "rails4-canary-bootstrap-abandoned",
      "rails4-canary-in-service-below-count",
      "rails4-canary-p99-latency",
      "rails4-canary-status-check-failed",
      "rails4-canary-target-5xx",
      "rails4-canary-unhealthy-hosts",
    ]);
    const inService = Object.values(resourcesOf(json, "aws_cloudwatch_metric_alarm")).find(
      (a) => a.alarm_name === "rails4-canary-in-service-below-count",
    )!;
    expect(inService).toMatchObject({
      threshold: 1,
      comparison_operator: "LessThanThreshold",
      alarm_actions: ["arn:aws:sns:ap-northeast-1:123456789012:ops"],
    });
    expect(inService.dimensions.AutoScalingGroupName).toContain("Fleet_Canary_AutoScalingGroup");
  });

  test("5xx, p99 latency and unhealthy hosts are measured on the canary's own target group, the 5xx threshold scaled to its share", () => {
    const alarm = (name: string) => Object.values(resourcesOf(json, "aws_cloudwatch_metric_alarm")).find((a) => a.alarm_name === name)!;
    for (const name of ["rails4-canary-target-5xx", "rails4-canary-p99-latency", "rails4-canary-unhealthy-hosts"]) {
      expect(alarm(name).dimensions.TargetGroup).toMatch(/^\$\{aws_lb_target_group\.Fleet_Canary_TargetGroup_\w+\.arn_suffix\}$/);
      expect(alarm(name).alarm_actions).toEqual(["arn:aws:sns:ap-northeast-1:123456789012:ops"]);
    }
    // The fleet's 10 per minute, for a canary that takes 25 % of the traffic.
    expect(alarm("rails4-canary-target-5xx").threshold).toBe(3);
    expect(alarm("rails4-canary-p99-latency").threshold).toBe(alarm("rails4-p99-latency").threshold);
    // The fleet's own alarms now see the rest of the fleet only.
    expect(alarm("rails4-target-5xx").dimensions.TargetGroup).toMatch(/Fleet_TargetGroup_/);
  });

  test("CodeDeploy deploys to the canary too, takes its instances out of the canary's target group, and rolls back on the canary's alarms", () => {
    const group = onlyResource(json, "aws_codedeploy_deployment_group");
    expect(group.autoscaling_groups).toEqual([
      expect.stringContaining("Fleet_AutoScalingGroup_"),
      expect.stringContaining("Fleet_Canary_AutoScalingGroup_"),
    ]);
    expect(group.load_balancer_info.target_group_info).toEqual([
      { name: expect.stringContaining("Fleet_TargetGroup_") },
      { name: expect.stringContaining("Fleet_Canary_TargetGroup_") },
    ]);
    expect(group.alarm_configuration.alarms).toEqual(
      expect.arrayContaining(["rails4-canary-unhealthy-hosts", "rails4-canary-target-5xx", "rails4-canary-p99-latency"]),
    );
  });

  test("every canary resource sits under Fleet/Canary, and no main resource's address changes", () => {
    const added = addresses(json).filter((a) => !addresses(plain).includes(a));
    // Target group, launch template, group, lifecycle permission and hook, launch loop guard, 6 alarms.
    expect(added.length).toBe(12);
    for (const address of added) expect(address).toMatch(/^[a-z0-9_]+\.Fleet_Canary_/);
    expect(addresses(plain).filter((a) => !addresses(json).includes(a))).toEqual([]);
  });

  test("promotion is one edit: the main template takes the candidate image, only its image changes, and the canary goes", () => {
    const promoted = synthFleet({ capacity: { min: 4, max: 8 }, imageId: CANDIDATE_AMI, instanceType: "t3.medium" });
    expect(addresses(promoted)).toEqual(addresses(plain));
    const before = byName(plain, "aws_launch_template", "rails4-lt");
    const after = byName(promoted, "aws_launch_template", "rails4-lt");
    const changed = Object.keys({ ...before, ...after }).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    expect(changed.sort()).toEqual(["image_id", "instance_type"]);
  });
});

describe("instance refresh", () => {
  test("checkpoints, delay, healthy range, skip matching and the fleet's alarms; auto-rollback off", () => {
    const json = synthFleet({
      instanceRefresh: { checkpointPercentages: [20, 50, 100], checkpointDelaySeconds: 900, instanceWarmupSeconds: 60 },
    });
    expect(onlyResource(json, "aws_autoscaling_group").instance_refresh).toEqual({
      strategy: "Rolling",
      preferences: {
        checkpoint_percentages: [20, 50, 100],
        checkpoint_delay: "900",
        min_healthy_percentage: 100,
        max_healthy_percentage: 110,
        skip_matching: true,
        instance_warmup: "60",
        auto_rollback: false,
        alarm_specification: {
          alarms: ["rails4-unhealthy-hosts", "rails4-target-5xx", "rails4-p99-latency", "rails4-in-service-below-desired"],
        },
      },
    });
  });

  test("the refresh's alarms are exactly the fleet's traffic alarms (not those of launches, which a refresh causes)", () => {
    const json = synthFleet({ namespace: "prod", instanceRefresh: {} });
    const alarms = Object.values(resourcesOf(json, "aws_cloudwatch_metric_alarm"))
      .map((a) => a.alarm_name)
      .filter((n) => !/launches-stuck|bootstrap-abandoned/.test(n))
      .sort();
    expect([...onlyResource(json, "aws_autoscaling_group").instance_refresh.preferences.alarm_specification.alarms].sort()).toEqual(alarms);
  });

  test("off by default", () => {
    expect(onlyResource(defaults, "aws_autoscaling_group").instance_refresh).toBeUndefined();
  });
});

describe("recycling", () => {
  test("max instance lifetime in seconds with a launch-before-terminate maintenance policy", () => {
    const asg = onlyResource(synthFleet({ recycling: { maxInstanceLifetimeDays: 7, maxHealthyPercentage: 150 } }), "aws_autoscaling_group");
    expect(asg.max_instance_lifetime).toBe(604_800);
    expect(asg.instance_maintenance_policy).toEqual({ min_healthy_percentage: 100, max_healthy_percentage: 150 });
  });

  test("off by default", () => {
    const asg = onlyResource(defaults, "aws_autoscaling_group");
    expect(asg.max_instance_lifetime).toBeUndefined();
    expect(asg.instance_maintenance_policy).toBeUndefined();
  });
});

describe("stateful guard", () => {
  let json: TerraformJson;
  beforeAll(() => {
    json = synthFleet({
      stateful: { drainCommand: "/usr/local/bin/ship-uploads", heartbeatTimeoutSeconds: 1200 },
      instanceRefresh: {},
      lockFile: new InMemoryStackLock(),
    });
  });

  test("a termination hook, inline and as its own resource, next to the bootstrap hook", () => {
    const drain = {
      name: "drain-before-terminate",
      lifecycle_transition: "autoscaling:EC2_INSTANCE_TERMINATING",
      heartbeat_timeout: 1200,
      default_result: "CONTINUE",
    };
    expect(onlyResource(json, "aws_autoscaling_group").initial_lifecycle_hook).toEqual([
      expect.objectContaining({ name: "bootstrap-gate" }),
      drain,
    ]);
    expect(
      Object.values(resourcesOf(json, "aws_autoscaling_lifecycle_hook"))
        .map((h) => h.name)
        .sort(),
    ).toEqual(["bootstrap-gate", "drain-before-terminate"]);
  });

  test("scale-in protection, prevent_destroy against a replacement of the ASG, and root volumes that outlive their instance", () => {
    const asg = onlyResource(json, "aws_autoscaling_group");
    expect(asg.protect_from_scale_in).toBe(true);
    expect(asg.lifecycle).toEqual({ ignore_changes: ["initial_lifecycle_hook"], prevent_destroy: true });
    expect(onlyResource(json, "aws_launch_template").block_device_mappings[0].ebs.delete_on_termination).toBe("false");
  });

  test("the drain handler is a user-data part after the gate, running the drain command and polling the fleet's status parameter", () => {
    const parts = parseUserData(decodedUserData(onlyResource(json, "aws_launch_template")));
    expect(parts.map((p) => p.filename)).toEqual(["90-app-fleets-bootstrap-gate.sh", "91-app-fleets-drain-handler.sh"]);
    expect(parts[1].content).toContain("/usr/local/bin/ship-uploads");
    expect(parts[1].content).toContain("STATUS_PARAMETER='/rails4/app-fleets/status'");
    expect(parts[1].content).toContain("STATUS_POLL_SECONDS=60");
  });

  test("a status parameter says the fleet is in service, under the fleet's parameter path, which the instance role may read", () => {
    const status = onlyResource(json, "aws_ssm_parameter");
    expect(status).toMatchObject({ name: "/rails4/app-fleets/status", type: "String", insecure_value: "in-service" });
    const read = JSON.parse(byName(json, "aws_iam_role_policy", "ssm-agent-and-own-parameters").policy).Statement.find(
      (s: any) => s.Sid === "ReadOwnParameters",
    );
    expect(read.Action).toContain("ssm:GetParameter");
    // IAM's `*` matches across "/": the path's wildcard covers the status parameter.
    expect(read.Resource).toContainEqual(expect.stringMatching(/:parameter\/rails4\/\*$/));
  });

  test("instances may set scale-in protection on their own group only (to lift it while the fleet retires)", () => {
    const statements = JSON.parse(byName(json, "aws_iam_role_policy", "lifecycle-actions-rails4-asg").policy).Statement;
    const protection = statements.find((s: any) => s.Sid === "SetOwnScaleInProtection");
    expect(protection.Action).toEqual(["autoscaling:SetInstanceProtection"]);
    expect(protection.Resource).toEqual([expect.stringMatching(/:autoScalingGroup:\*:autoScalingGroupName\/rails4-asg$/)]);
  });

  test("a stateless fleet's instances may not touch scale-in protection, and it has no status parameter", () => {
    const statements = JSON.parse(byName(defaults, "aws_iam_role_policy", "lifecycle-actions-rails4-asg").policy).Statement;
    expect(statements.map((s: any) => s.Sid)).toEqual(["AnswerOwnLifecycleHooks"]);
    expect(resourcesOf(defaults, "aws_ssm_parameter")).toEqual({});
  });

  test("an instance refresh waits for a person to lift scale-in protection instead of replacing data holders", () => {
    expect(onlyResource(json, "aws_autoscaling_group").instance_refresh.preferences.scale_in_protected_instances).toBe("Wait");
  });

  test("stateless by default: no protection, no prevent_destroy, root volumes deleted with their instance", () => {
    const plain = defaults;
    const asg = onlyResource(plain, "aws_autoscaling_group");
    expect(asg.protect_from_scale_in).toBeUndefined();
    expect(asg.lifecycle.prevent_destroy).toBeUndefined();
    expect(onlyResource(plain, "aws_launch_template").block_device_mappings[0].ebs.delete_on_termination).toBe("true");
  });

  test("a stateful fleet without a lock file is refused before any resource exists, naming lockFile and why", () => {
    const { stack } = newStack();
    expect(() => new AppServerGroup(stack, "Fleet", fleetProps({ stateful: {} }))).toThrow(
      /AppServerGroup "rails4" \(test\/Fleet\) lockFile = undefined: is required for a stateful fleet: the stack lock file records the fleet.*Fix: pass lockFile/,
    );
    expect(stack.node.findAll().some((c) => c.node.path.startsWith("test/Fleet/"))).toBe(false);
  });
});

describe("retiring a stateful fleet (step 1 of removing it)", () => {
  let inService: TerraformJson;
  let retiring: TerraformJson;
  beforeAll(() => {
    const stateful = { drainCommand: "/usr/local/bin/ship-uploads" };
    inService = synthFleet({ stateful, capacity: { min: 2, desired: 3, max: 4 }, lockFile: new InMemoryStackLock() });
    retiring = synthFleet({
      stateful: { ...stateful, retire: true },
      capacity: { min: 2, desired: 3, max: 4 },
      lockFile: new InMemoryStackLock(),
    });
  });

  test("scales the group to zero: min = max = desired = 0, and the apply waits for no healthy instance", () => {
    expect(onlyResource(retiring, "aws_autoscaling_group")).toMatchObject({
      min_size: 0,
      max_size: 0,
      desired_capacity: 0,
      wait_for_elb_capacity: 0,
    });
  });

  test("keeps the termination hook, its permission and the drain handler, so every instance drains before it terminates", () => {
    expect(Object.values(resourcesOf(retiring, "aws_autoscaling_lifecycle_hook")).map((h) => h.name)).toContain("drain-before-terminate");
    expect(byName(retiring, "aws_iam_role_policy", "lifecycle-actions-rails4-asg")).toEqual(
      byName(inService, "aws_iam_role_policy", "lifecycle-actions-rails4-asg"),
    );
    expect(onlyResource(retiring, "aws_autoscaling_group").protect_from_scale_in).toBe(true);
  });

  test("tells the running instances through the status parameter, not their user data: the launch template does not change", () => {
    expect(onlyResource(retiring, "aws_ssm_parameter").insecure_value).toBe("retiring");
    expect(onlyResource(retiring, "aws_launch_template")).toEqual(onlyResource(inService, "aws_launch_template"));
  });

  test("deletes and adds nothing: the same resources, and besides the group and the status parameter only alarms that watch an empty group change", () => {
    expect(addresses(retiring)).toEqual(addresses(inService));
    const changed = Object.entries(retiring.resource!).flatMap(([type, byId]) =>
      Object.entries(byId)
        .filter(([id, r]) => JSON.stringify(r) !== JSON.stringify(inService.resource![type][id]))
        .map(() => type),
    );
    expect(changed).toEqual(expect.arrayContaining(["aws_autoscaling_group", "aws_ssm_parameter"]));
    expect(changed.filter((type) => !["aws_autoscaling_group", "aws_ssm_parameter", "aws_cloudwatch_metric_alarm"].includes(type))).toEqual(
      [],
    );
  });
});

describe("CodeDeploy", () => {
  test("a terminating instance runs its stop hooks first, and instances launched mid-deployment get the new revision", () => {
    const group = onlyResource(defaults, "aws_codedeploy_deployment_group");
    expect(group.termination_hook_enabled).toBe(true);
    expect(group.outdated_instances_strategy).toBe("UPDATE");
  });

  test("instances read revisions from the artifact bucket: built once, never checked out per server", () => {
    const json = synthFleet({ artifacts: { bucketName: "deploy-artifacts", prefix: "rails4/" } });
    const policy = byName(json, "aws_iam_role_policy", "deploy-artifact-read");
    expect(JSON.parse(policy.policy).Statement[0].Resource).toMatch(/:s3:::deploy-artifacts\/rails4\/\*$/);
  });
});
