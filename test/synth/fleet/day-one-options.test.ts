/**
 * The day-one fleet options in the synthesized Terraform: a mixed instances policy with Spot, a
 * warm pool whose instances still pass the bootstrap gate, extra ingress and security groups,
 * HTTPS / HTTP2 / gRPC target groups and the load-balancing algorithm; and how each meets what
 * exists (the pinned launch template, instance refresh, scaling, the canary).
 */
import { AnnotationMetadataEntryType } from "cdktf";
import { AppServerGroup } from "../../../lib/fleet/app-server-group";
import { AppServerGroupProps } from "../../../lib/fleet/app-server-group-props";
import { parseUserData } from "../../../lib/fleet/user-data";
import { fleetProps, PLACEHOLDER } from "../../support/fixtures";
import { newStack, resourcesOf, synthJson, TerraformJson } from "../../support/synth";

const CANDIDATE_AMI = "ami-0fedcba9876543210";

function synthFleet(overrides: Partial<AppServerGroupProps>): { json: TerraformJson; fleet: AppServerGroup } {
  const { stack } = newStack();
  const fleet = new AppServerGroup(stack, "Fleet", fleetProps(overrides));
  return { json: synthJson(stack), fleet };
}

function byName(json: TerraformJson, type: string, name: string): Record<string, any> {
  const found = Object.values(resourcesOf(json, type)).find((r) => r.name === name);
  if (!found) throw new Error(`no ${type} named ${name}`);
  return found;
}

function gateRunner(template: Record<string, any>): string {
  const document = Buffer.from(template.user_data, "base64").toString("utf8");
  const part = parseUserData(document).find((p) => p.filename.includes("bootstrap-gate"))!;
  return part.content;
}

describe("mixed instances and Spot", () => {
  let json: TerraformJson;
  beforeAll(() => {
    ({ json } = synthFleet({
      instanceType: "m7i.large",
      capacity: { min: 2, max: 8 },
      scaling: { cpuTargetPercent: 50 },
      instanceRefresh: {},
      canary: { imageId: CANDIDATE_AMI, count: 1 },
      mixedInstances: { instanceTypes: ["m7i.large", "m6i.large", "m5.large"], onDemandPercentageAboveBaseCapacity: 0 },
    }));
  });

  test("the group launches the listed types, On-Demand up to capacity.min and Spot above it, price-capacity-optimized, with capacity rebalancing", () => {
    const asg = byName(json, "aws_autoscaling_group", "rails4-asg");
    expect(asg.mixed_instances_policy.instances_distribution).toEqual({
      on_demand_base_capacity: 2,
      on_demand_percentage_above_base_capacity: 0,
      on_demand_allocation_strategy: "prioritized",
      spot_allocation_strategy: "price-capacity-optimized",
    });
    expect(asg.mixed_instances_policy.launch_template.override).toEqual([
      { instance_type: "m7i.large" },
      { instance_type: "m6i.large" },
      { instance_type: "m5.large" },
    ]);
    expect(asg.capacity_rebalance).toBe(true);
  });

  test("the launch template stays pinned to its latest_version, now inside the policy (never $Latest, never both blocks)", () => {
    const asg = byName(json, "aws_autoscaling_group", "rails4-asg");
    expect(asg.launch_template).toBeUndefined();
    expect(asg.mixed_instances_policy.launch_template.launch_template_specification).toEqual({
      launch_template_id: expect.stringMatching(/^\$\{aws_launch_template\.Fleet_LaunchTemplate_[0-9A-F]+\.id\}$/),
      version: expect.stringMatching(/^\$\{aws_launch_template\.Fleet_LaunchTemplate_[0-9A-F]+\.latest_version\}$/),
    });
  });

  test("instance refresh and scaling still apply to the group", () => {
    const asg = byName(json, "aws_autoscaling_group", "rails4-asg");
    expect(asg.instance_refresh).toMatchObject({ strategy: "Rolling" });
    expect(asg.desired_capacity).toBeUndefined();
    const policies = Object.values(resourcesOf(json, "aws_autoscaling_policy")).filter((p) => !String(p.name).includes("canary"));
    expect(policies).toContainEqual(
      expect.objectContaining({
        policy_type: "TargetTrackingScaling",
        autoscaling_group_name: expect.stringContaining("Fleet_AutoScalingGroup"),
      }),
    );
  });

  test("the canary keeps its own group and template, On-Demand only", () => {
    const canary = byName(json, "aws_autoscaling_group", "rails4-canary-asg");
    expect(canary.mixed_instances_policy).toBeUndefined();
    expect(canary.capacity_rebalance).toBeUndefined();
    expect(canary.launch_template).toEqual({
      id: expect.stringMatching(/^\$\{aws_launch_template\.Fleet_Canary_LaunchTemplate_[0-9A-F]+\.id\}$/),
      version: expect.stringMatching(/latest_version\}$/),
    });
  });

  test("without the option the group has no policy and no rebalancing, as before", () => {
    const { json: plain } = synthFleet({});
    const asg = byName(plain, "aws_autoscaling_group", "rails4-asg");
    expect(asg.mixed_instances_policy).toBeUndefined();
    expect(asg.capacity_rebalance).toBeUndefined();
    expect(asg.launch_template.version).toMatch(/latest_version\}$/);
  });
});

describe("warm pool", () => {
  let json: TerraformJson;
  let fleet: AppServerGroup;
  beforeAll(() => {
    ({ json, fleet } = synthFleet({
      capacity: { min: 2, max: 6 },
      instanceRefresh: {},
      canary: { imageId: CANDIDATE_AMI, count: 1 },
      warmPool: { poolState: "Hibernated", minSize: 1, maxGroupPreparedCapacity: 8, reuseOnScaleIn: true },
    }));
  });

  test("the group has the pool, its metrics are collected, and the canary has none", () => {
    const asg = byName(json, "aws_autoscaling_group", "rails4-asg");
    expect(asg.warm_pool).toEqual({
      pool_state: "Hibernated",
      min_size: 1,
      max_group_prepared_capacity: 8,
      instance_reuse_policy: { reuse_on_scale_in: true },
    });
    expect(asg.enabled_metrics).toEqual(
      expect.arrayContaining(["GroupInServiceInstances", "WarmPoolWarmedCapacity", "GroupAndWarmPoolTotalCapacity"]),
    );
    expect(byName(json, "aws_autoscaling_group", "rails4-canary-asg").warm_pool).toBeUndefined();
  });

  test("a Hibernated pool lets the main template hibernate, and only the main template", () => {
    expect(byName(json, "aws_launch_template", "rails4-lt").hibernation_options).toEqual({ configured: true });
    expect(byName(json, "aws_launch_template", "rails4-canary-lt").hibernation_options).toBeUndefined();
  });

  test("the bootstrap gate of the main group answers the warm pool's transitions; the canary's gate answers one launch", () => {
    const main = gateRunner(byName(json, "aws_launch_template", "rails4-lt"));
    expect(main).toContain("imds autoscaling/target-lifecycle-state");
    expect(main).toContain("Type=simple");
    const canary = gateRunner(byName(json, "aws_launch_template", "rails4-canary-lt"));
    expect(canary).not.toContain("target-lifecycle-state");
    expect(canary).toContain("Type=oneshot");
  });

  test("the instances may read their own lifecycle state, a Describe action without resource-level permissions", () => {
    const policy = Object.values(resourcesOf(json, "aws_iam_role_policy")).find((p) => p.name === "lifecycle-actions-rails4-asg")!;
    expect(JSON.parse(policy.policy).Statement).toContainEqual({
      Sid: "ReadOwnLifecycleState",
      Effect: "Allow",
      Action: ["autoscaling:DescribeAutoScalingInstances"],
      Resource: "*",
    });
    const canaryPolicy = Object.values(resourcesOf(json, "aws_iam_role_policy")).find(
      (p) => p.name === "lifecycle-actions-rails4-canary-asg",
    )!;
    expect(JSON.parse(canaryPolicy.policy).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(["AnswerOwnLifecycleHooks"]);
  });

  test("with instance refresh there is no warning; without it synth warns that warmed instances keep an older template", () => {
    expect(fleet.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN)).toEqual([]);
    const { fleet: unrefreshed } = synthFleet({ warmPool: {} });
    expect(unrefreshed.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => String(m.data))).toEqual([
      expect.stringMatching(
        /has a warm pool without instanceRefresh: instances warmed from an older launch template .* Fix: turn instanceRefresh on/,
      ),
    ]);
  });

  test("a Stopped pool keeps the gate a oneshot unit: each transition comes with a boot", () => {
    const { json: stopped } = synthFleet({ warmPool: {}, instanceRefresh: {} });
    const runner = gateRunner(byName(stopped, "aws_launch_template", "rails4-lt"));
    expect(runner).toContain("WATCH=0");
    expect(runner).toContain("Type=oneshot");
    expect(byName(stopped, "aws_launch_template", "rails4-lt").hibernation_options).toBeUndefined();
  });
});

describe("extra ingress and security groups", () => {
  let json: TerraformJson;
  beforeAll(() => {
    ({ json } = synthFleet({
      canary: { imageId: CANDIDATE_AMI, count: 1 },
      extraSecurityGroupIds: ["sg-0a1b2c3d4e5f60701", "sg-0a1b2c3d4e5f60702"],
      extraIngress: [
        { description: "Prometheus node exporter from monitoring", port: 9100, securityGroupId: "sg-0a1b2c3d4e5f60703" },
        { description: "SSH from the bastion ${BASTION}", port: 22, cidr: "10.0.5.0/28" },
        { description: "StatsD", port: 8125, toPort: 8126, protocol: "udp", cidr: "10.0.0.0/16" },
      ],
    }));
  });

  test("the app port from the load balancer stays, and each extra rule is added with its description", () => {
    const rules = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule"));
    expect(rules).toContainEqual(
      expect.objectContaining({
        description: "App port 80 from the load balancer",
        from_port: 80,
        to_port: 80,
        referenced_security_group_id: PLACEHOLDER.loadBalancer.securityGroupId,
      }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({
        description: "Prometheus node exporter from monitoring",
        ip_protocol: "tcp",
        from_port: 9100,
        to_port: 9100,
        referenced_security_group_id: "sg-0a1b2c3d4e5f60703",
      }),
    );
    expect(rules).toContainEqual(expect.objectContaining({ ip_protocol: "udp", from_port: 8125, to_port: 8126, cidr_ipv4: "10.0.0.0/16" }));
    expect(rules).toHaveLength(4);
  });

  test("a description is the user's text: Terraform reads it back literally", () => {
    const ssh = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).find((r) => r.from_port === 22)!;
    expect(ssh.description).toBe("SSH from the bastion $${BASTION}");
  });

  test("the extra groups are attached to every instance, the canary's included, after the fleet's own group", () => {
    for (const name of ["rails4-lt", "rails4-canary-lt"]) {
      expect(byName(json, "aws_launch_template", name).network_interfaces[0].security_groups).toEqual([
        expect.stringMatching(/^\$\{aws_security_group\.Fleet_SecurityGroup_[0-9A-F]+\.id\}$/),
        "sg-0a1b2c3d4e5f60701",
        "sg-0a1b2c3d4e5f60702",
      ]);
    }
  });
});

describe("target protocol, protocol version, health check and algorithm", () => {
  test("an HTTPS fleet re-encrypts to the app port, checks health over HTTPS, and its gate checks readiness over TLS without verifying the instance's own certificate", () => {
    const { json } = synthFleet({ appPort: 8443, targetProtocol: "HTTPS", canary: { imageId: CANDIDATE_AMI, count: 1 } });
    for (const name of ["rails4-tg", "rails4-canary-tg"]) {
      expect(byName(json, "aws_lb_target_group", name)).toMatchObject({
        protocol: "HTTPS",
        protocol_version: "HTTP1",
        port: 8443,
        health_check: { protocol: "HTTPS", path: "/health", matcher: "200" },
      });
    }
    const document = Buffer.from(byName(json, "aws_launch_template", "rails4-lt").user_data, "base64").toString("utf8");
    expect(document).toContain("curl -fsS -o /dev/null --max-time 5 --insecure 'https://127.0.0.1:8443/health'");
  });

  test("an HTTP/2 fleet sends HTTP/2 end to end, and its readiness check speaks HTTP/2 too", () => {
    const { json } = synthFleet({ targetProtocol: "HTTPS", targetProtocolVersion: "HTTP2", healthCheck: { protocol: "HTTPS" } });
    expect(byName(json, "aws_lb_target_group", "rails4-tg")).toMatchObject({
      protocol: "HTTPS",
      protocol_version: "HTTP2",
      health_check: { protocol: "HTTPS" },
    });
    const document = Buffer.from(byName(json, "aws_launch_template", "rails4-lt").user_data, "base64").toString("utf8");
    expect(document).toContain("--insecure --http2 'https://127.0.0.1:80/health'");
  });

  test("a gRPC fleet gets AWS's gRPC health check and its gate runs the given command", () => {
    const { json } = synthFleet({
      appPort: 50051,
      targetProtocol: "HTTPS",
      targetProtocolVersion: "GRPC",
      bootstrapGate: { readinessCommand: "grpc_health_probe -addr=127.0.0.1:50051 -tls -tls-no-verify" },
    });
    expect(byName(json, "aws_lb_target_group", "rails4-tg")).toMatchObject({
      protocol_version: "GRPC",
      health_check: { protocol: "HTTPS", path: "/AWS.ALB/healthcheck", matcher: "12" },
    });
  });

  test("least outstanding requests and weighted random with anomaly mitigation reach the target group; round robin writes no mitigation", () => {
    expect(
      byName(synthFleet({ loadBalancingAlgorithm: "least_outstanding_requests" }).json, "aws_lb_target_group", "rails4-tg"),
    ).toMatchObject({
      load_balancing_algorithm_type: "least_outstanding_requests",
    });
    expect(
      byName(synthFleet({ loadBalancingAlgorithm: "weighted_random", anomalyMitigation: true }).json, "aws_lb_target_group", "rails4-tg"),
    ).toMatchObject({
      load_balancing_algorithm_type: "weighted_random",
      load_balancing_anomaly_mitigation: "on",
    });
    const plain = byName(synthFleet({}).json, "aws_lb_target_group", "rails4-tg");
    expect(plain).toMatchObject({ protocol: "HTTP", protocol_version: "HTTP1", load_balancing_algorithm_type: "round_robin" });
    expect(plain.load_balancing_anomaly_mitigation).toBeUndefined();
  });
});

describe("what the props leave out stays reachable through the escape hatches (README, left to the escape hatches)", () => {
  test("fleet.autoScalingGroup takes a Spot price ceiling inside the mixed instances policy the props wrote", () => {
    const { stack } = newStack();
    const fleet = new AppServerGroup(stack, "Fleet", fleetProps({ mixedInstances: { onDemandPercentageAboveBaseCapacity: 0 } }));
    fleet.autoScalingGroup.addOverride("mixed_instances_policy.instances_distribution.spot_max_price", "0.05");
    const group = byName(synthJson(stack), "aws_autoscaling_group", "rails4-asg");
    expect(group.mixed_instances_policy.instances_distribution).toMatchObject({
      on_demand_percentage_above_base_capacity: 0,
      spot_max_price: "0.05",
    });
  });
});
