/**
 * The day-one options checked by the real AWS provider (5.100.0 from the mirror), offline: a
 * stack with every option on passes `terraform validate` and `terraform plan`, the plan holds
 * what each option promises, and, planned against an "as applied" state, a new AMI on the Spot
 * fleet (mixed instances policy, instance refresh) and on a warm-pool fleet updates their
 * templates and groups in place, replacing nothing.
 */
import { OfflineWorkspace, ValidateResult } from "../../lib/terraform/offline-workspace";
import { AppliedBaseline, buildAppliedBaseline } from "../../lib/terraform/plan-diff";
import { PlanDiff } from "../../lib/terraform/plan-changes";
import { buildDayOneStack, DAY_ONE } from "../support/day-one-options";
import { newStack, synthJson, TerraformJson } from "../support/synth";
import { describeWithTerraform, TERRAFORM_TEST_TIMEOUT_MS } from "../support/terraform";

type Change = {
  address: string;
  type: string;
  name: string;
  change: { actions: string[]; after: Record<string, any>; after_unknown: Record<string, any> };
};

function dayOneJson(overrides: Parameters<typeof buildDayOneStack>[1] = {}): TerraformJson {
  const { stack } = newStack("day-one");
  buildDayOneStack(stack, overrides);
  return synthJson(stack);
}

const NEW_AMI = "ami-0123456789abcdef0";

describeWithTerraform("a stack with every day-one option passes terraform validate and plan", () => {
  let validation: ValidateResult;
  let changes: Change[];

  beforeAll(async () => {
    const ws = OfflineWorkspace.create(dayOneJson());
    try {
      validation = await ws.validate();
      const plan = (await ws.planJson()) as { resource_changes: Change[] };
      changes = plan.resource_changes;
    } finally {
      ws.dispose();
    }
  }, TERRAFORM_TEST_TIMEOUT_MS);

  const planned = (type: string) =>
    changes.filter((c) => c.type === type && c.change.actions.includes("create")).map((c) => c.change.after);
  const byName = (type: string, name: string) => planned(type).find((r) => r.name === name)!;
  /** Which attributes of the named resource are known only after apply (the plan's after_unknown). */
  const unknownOf = (type: string, name: string) =>
    changes.find((c) => c.type === type && c.change.after.name === name)!.change.after_unknown;

  test("terraform validate reports no errors, and the plan only creates", () => {
    expect(validation.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(validation.valid).toBe(true);
    expect(changes.every((c) => c.change.actions.join() === "create")).toBe(true);
  });

  test("Spot: the group's mixed instances policy, with capacity rebalancing and instance refresh; the canary keeps its own template", () => {
    const asg = byName("aws_autoscaling_group", "spot-asg");
    // No top-level template (the provider computes the block, so the plan leaves it unknown): the
    // template sits inside the policy, pinned to its latest_version, known once the template exists.
    expect(asg.launch_template ?? []).toEqual([]);
    expect(
      unknownOf("aws_autoscaling_group", "spot-asg").mixed_instances_policy[0].launch_template[0].launch_template_specification[0],
    ).toMatchObject({
      launch_template_id: true,
      version: true,
    });
    expect(asg.capacity_rebalance).toBe(true);
    expect(asg.instance_refresh).toHaveLength(1);
    const [policy] = asg.mixed_instances_policy;
    expect(policy.instances_distribution).toEqual([
      expect.objectContaining({
        on_demand_base_capacity: 2,
        on_demand_percentage_above_base_capacity: 0,
        spot_allocation_strategy: "price-capacity-optimized",
      }),
    ]);
    expect(policy.launch_template[0].override.map((o: { instance_type: string }) => o.instance_type)).toEqual([
      "m7i.large",
      "m6i.large",
      "m5.large",
    ]);
    // The canary names its own template directly (a block the plan shows with values known after
    // apply), with no policy and no rebalancing.
    const canary = byName("aws_autoscaling_group", "spot-canary-asg");
    expect(canary.launch_template).toHaveLength(1);
    expect(unknownOf("aws_autoscaling_group", "spot-canary-asg").launch_template[0]).toMatchObject({ id: true, version: true });
    expect(canary.mixed_instances_policy ?? []).toEqual([]);
    expect(canary.capacity_rebalance ?? false).toBe(false);
  });

  test("warm pools: Running with reuse on scale-in, and Hibernated with a template that may hibernate", () => {
    expect(byName("aws_autoscaling_group", "warm-asg").warm_pool).toEqual([
      expect.objectContaining({ pool_state: "Running", min_size: 1, instance_reuse_policy: [{ reuse_on_scale_in: true }] }),
    ]);
    expect(byName("aws_autoscaling_group", "grpc-asg").warm_pool).toEqual([
      expect.objectContaining({ pool_state: "Hibernated", max_group_prepared_capacity: 6 }),
    ]);
    expect(byName("aws_launch_template", "grpc-lt").hibernation_options).toEqual([{ configured: true }]);
  });

  test("target groups: HTTPS, HTTP/2 and gRPC with their health checks, least outstanding requests, weighted random with anomaly mitigation", () => {
    expect(byName("aws_lb_target_group", "spot-tg")).toMatchObject({
      protocol: "HTTP",
      load_balancing_algorithm_type: "least_outstanding_requests",
    });
    expect(byName("aws_lb_target_group", "warm-tg")).toMatchObject({
      protocol: "HTTPS",
      load_balancing_algorithm_type: "weighted_random",
      load_balancing_anomaly_mitigation: "on",
      health_check: [expect.objectContaining({ protocol: "HTTPS", path: "/health" })],
    });
    expect(byName("aws_lb_target_group", "grpc-tg")).toMatchObject({
      protocol_version: "GRPC",
      health_check: [expect.objectContaining({ path: "/grpc.health.v1.Health/Check", matcher: "0" })],
    });
    expect(byName("aws_lb_target_group", "h2-tg")).toMatchObject({ protocol: "HTTPS", protocol_version: "HTTP2" });
  });

  test("instances: extra ingress rules beside the load balancer's, each with its source and description", () => {
    const ingress = planned("aws_vpc_security_group_ingress_rule");
    expect(ingress).toContainEqual(
      expect.objectContaining({
        description: "Prometheus node exporter from monitoring",
        from_port: 9100,
        referenced_security_group_id: "sg-0a1b2c3d4e5f60703",
      }),
    );
    expect(ingress).toContainEqual(
      expect.objectContaining({ ip_protocol: "udp", from_port: 8125, to_port: 8126, cidr_ipv4: "10.0.0.0/16" }),
    );
    // The template's security_groups list holds the fleet's own group, known only after apply, so
    // the plan shows the whole list as unknown: the synth test (test/synth/fleet/day-one-options.test.ts)
    // checks that the extra groups are in it; here the provider accepted it (validate and plan).
  });

  test("router: dual-stack with HTTP/2, SNI certificates, the WAF association, and A + AAAA aliases in the existing zone", () => {
    expect(byName("aws_lb", "web-alb")).toMatchObject({ ip_address_type: "dualstack", enable_http2: true });
    expect(
      planned("aws_lb_listener_certificate")
        .map((c) => c.certificate_arn)
        .sort(),
    ).toEqual([...DAY_ONE.additionalCertificateArns].sort());
    expect(planned("aws_wafv2_web_acl_association")).toEqual([expect.objectContaining({ web_acl_arn: DAY_ONE.webAclArn })]);
    const records = planned("aws_route53_record")
      .map((r) => `${r.name} ${r.type} ${r.zone_id}`)
      .sort();
    expect(records).toEqual(
      ["example.com A", "example.com AAAA", "www.example.com A", "www.example.com AAAA"].map((r) => `${r} ${DAY_ONE.zoneId}`),
    );
    expect(planned("aws_vpc_security_group_ingress_rule")).toContainEqual(expect.objectContaining({ cidr_ipv6: "::/0", from_port: 443 }));
  });
});

describeWithTerraform("a new AMI and a new protocol version on day-one fleets, planned against an offline applied state", () => {
  let deployed: AppliedBaseline;
  let diff: PlanDiff;
  let newVersion: PlanDiff;

  beforeAll(async () => {
    deployed = await buildAppliedBaseline(dayOneJson());
    // Planned together, in one terraform run.
    ({ ami: diff, protocolVersion: newVersion } = await deployed.diffAll({
      ami: dayOneJson({ spot: { imageId: NEW_AMI }, warm: { imageId: NEW_AMI } }),
      protocolVersion: dayOneJson({ h2: { targetProtocolVersion: "HTTP1" } }),
    }));
  }, TERRAFORM_TEST_TIMEOUT_MS);

  test("replaces, creates and deletes nothing", () => {
    expect(diff.withAction("replace")).toEqual([]);
    expect(diff.withAction("create")).toEqual([]);
    expect(diff.withAction("delete")).toEqual([]);
  });

  test("the Spot fleet's template and group update in place: the pinned version moves inside the mixed instances policy, so instance refresh starts", () => {
    const updated = diff.withAction("update");
    expect(updated.find((e) => e.address.startsWith("aws_launch_template.spot_LaunchTemplate"))).toMatchObject({
      changedAttributes: expect.arrayContaining(["image_id"]),
    });
    expect(updated.find((e) => e.address.startsWith("aws_autoscaling_group.spot_AutoScalingGroup"))).toMatchObject({
      changedAttributes: ["mixed_instances_policy"],
    });
  });

  test("the warm-pool fleet's template and group update in place; its pool is kept", () => {
    const updated = diff.withAction("update");
    expect(updated.find((e) => e.address.startsWith("aws_autoscaling_group.warm_AutoScalingGroup"))).toMatchObject({
      changedAttributes: ["launch_template"],
    });
    expect(
      diff
        .ofType("aws_autoscaling_group")
        .map((e) => e.address)
        .sort(),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^aws_autoscaling_group\.spot_AutoScalingGroup/),
        expect.stringMatching(/^aws_autoscaling_group\.warm_AutoScalingGroup/),
      ]),
    );
  });

  test("a new target protocol version replaces the fleet's target group, as the README and the configuration reference warn", () => {
    const replaced = newVersion.withAction("replace");
    expect(replaced.map((e) => e.type)).toEqual(["aws_lb_target_group"]);
    expect(replaced[0]).toMatchObject({
      address: expect.stringMatching(/^aws_lb_target_group\.h2_/),
      replacedBecause: ["protocol_version"],
    });
  });
});
