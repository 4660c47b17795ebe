/**
 * The day-one options as configuration keys (issue 19): a file that sets them reaches the same
 * Terraform as the props, and a bad value is reported at its place in the file, with the
 * constructs' own limit and fix, before any resource exists.
 */
import { ConfigError } from "../../../lib/core/errors";
import { parseLayoutConfig } from "../../../stacks/config/load-config";
import { exampleJson, synthTwoVersion } from "../../support/layouts";
import { resourcesOf, TerraformJson } from "../../support/synth";

const FILE = "two-version.staging.json";
const SNI_CERTIFICATE = "arn:aws:acm:ap-northeast-1:123456789012:certificate/1a2b3c4d-5e6f-7081-9203-b4c5d6e7f8a9";
const WEB_ACL = "arn:aws:wafv2:ap-northeast-1:123456789012:regional/webacl/web-acl/a1b2c3d4-5678-90ab-cdef-0123456789ab";
const ZONE = "Z0123456789ABCDEFGHIJ";

function messageFor(edit: (c: any) => void): string {
  const raw = exampleJson(FILE);
  edit(raw);
  try {
    parseLayoutConfig(raw, FILE);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error("expected the configuration to be rejected");
}

function byName(json: TerraformJson, type: string, name: string): Record<string, any> {
  const found = Object.values(resourcesOf(json, type)).find((r) => r.name === name);
  if (!found) throw new Error(`no ${type} named ${name}`);
  return found;
}

describe("day-one options set in a configuration file", () => {
  let json: TerraformJson;
  beforeAll(() => {
    json = synthTwoVersion((c) => {
      Object.assign(c.loadBalancer, {
        ipAddressType: "dualstack",
        http2Enabled: true,
        additionalCertificateArns: [SNI_CERTIFICATE],
        webAclArn: WEB_ACL,
        dnsAliases: [{ zoneId: ZONE, name: "staging.example.com" }],
      });
      Object.assign(c.fleets.rails4, {
        mixedInstances: { instanceTypes: ["t3.medium", "t3a.medium"], onDemandPercentageAboveBaseCapacity: 0 },
        targetProtocol: "HTTPS",
        loadBalancingAlgorithm: "least_outstanding_requests",
        extraIngress: [{ description: "node exporter from monitoring", port: 9100, securityGroupId: "sg-0a1b2c3d4e5f60703" }],
        extraSecurityGroupIds: ["sg-0a1b2c3d4e5f60704"],
      });
      Object.assign(c.fleets.rails3, { instanceRefresh: {}, warmPool: { poolState: "Running", minSize: 1 } });
    });
  });

  test("the router's keys reach the load balancer, its HTTPS listener, WAF and Route 53", () => {
    expect(Object.values(resourcesOf(json, "aws_lb"))[0]).toMatchObject({ ip_address_type: "dualstack", enable_http2: true });
    expect(Object.values(resourcesOf(json, "aws_lb_listener_certificate")).map((c) => c.certificate_arn)).toEqual([SNI_CERTIFICATE]);
    expect(Object.values(resourcesOf(json, "aws_wafv2_web_acl_association")).map((a) => a.web_acl_arn)).toEqual([WEB_ACL]);
    expect(
      Object.values(resourcesOf(json, "aws_route53_record"))
        .map((r) => `${r.name} ${r.type} ${r.zone_id}`)
        .sort(),
    ).toEqual([`staging.example.com A ${ZONE}`, `staging.example.com AAAA ${ZONE}`]);
  });

  test("a fleet's keys reach its group, template, target group and security group", () => {
    const rails4 = byName(json, "aws_autoscaling_group", "staging-rails4-asg");
    expect(rails4.mixed_instances_policy.instances_distribution).toMatchObject({
      on_demand_base_capacity: 2,
      on_demand_percentage_above_base_capacity: 0,
    });
    expect(rails4.capacity_rebalance).toBe(true);
    expect(byName(json, "aws_lb_target_group", "staging-rails4-tg")).toMatchObject({
      protocol: "HTTPS",
      load_balancing_algorithm_type: "least_outstanding_requests",
    });
    expect(byName(json, "aws_launch_template", "staging-rails4-lt").network_interfaces[0].security_groups).toContain(
      "sg-0a1b2c3d4e5f60704",
    );
    expect(Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule"))).toContainEqual(
      expect.objectContaining({
        description: "node exporter from monitoring",
        from_port: 9100,
        referenced_security_group_id: "sg-0a1b2c3d4e5f60703",
      }),
    );
    expect(byName(json, "aws_autoscaling_group", "staging-rails3-asg").warm_pool).toMatchObject({ pool_state: "Running", min_size: 1 });
  });
});

describe("a bad day-one value is reported at its place in the file", () => {
  test.each<[string, (c: any) => void, RegExp]>([
    [
      "an unknown pool state (the schema)",
      (c) => (c.fleets.rails3.warmPool = { poolState: "Frozen" }),
      /^two-version\.staging\.json: fleets\.rails3\.warmPool\.poolState = "Frozen": must be one of "Stopped", "Running", "Hibernated"/m,
    ],
    [
      "a warm pool with a mixed instances policy (a construct rule)",
      (c) => Object.assign(c.fleets.rails3, { warmPool: {}, mixedInstances: { onDemandPercentageAboveBaseCapacity: 0 } }),
      /two-version\.staging\.json: fleets\.rails3\.warmPool = .*cannot be combined with mixedInstances.*Fix: choose one/,
    ],
    [
      "instance types without the fleet's own",
      (c) => (c.fleets.rails4.mixedInstances = { instanceTypes: ["t3a.medium"] }),
      /two-version\.staging\.json: fleets\.rails4\.mixedInstances\.instanceTypes = \["t3a\.medium"\]: does not include the fleet's instanceType \("t3\.medium"\)/,
    ],
    [
      "an extra ingress rule open to the internet",
      (c) => (c.fleets.rails4.extraIngress = [{ description: "ssh", port: 22, cidr: "0.0.0.0/0" }]),
      /two-version\.staging\.json: fleets\.rails4\.extraIngress\[0\]\.cidr = "0\.0\.0\.0\/0": admits the internet/,
    ],
    [
      "an unknown load-balancing algorithm",
      (c) => (c.fleets.rails4.loadBalancingAlgorithm = "random"),
      /fleets\.rails4\.loadBalancingAlgorithm = "random": must be one of "round_robin"/,
    ],
    [
      "a hosted zone given by its name",
      (c) => (c.loadBalancer.dnsAliases = [{ zoneId: "example.com", name: "staging.example.com" }]),
      /two-version\.staging\.json: loadBalancer\.dnsAliases\[0\]\.zoneId = "example\.com": is not a Route 53 hosted zone ID.*Fix: copy the ID of the existing zone/,
    ],
    [
      "a CloudFront web ACL",
      (c) => (c.loadBalancer.webAclArn = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/a1b2c3d4-5678-90ab-cdef-0123456789ab"),
      /two-version\.staging\.json: loadBalancer\.webAclArn = .*is a CloudFront \(global\) web ACL/,
    ],
    [
      "IPv6 clients on a load balancer declared IPv4",
      (c) => Object.assign(c.loadBalancer, { ipAddressType: "ipv4", ingressIpv6Cidrs: ["::/0"] }),
      /two-version\.staging\.json: loadBalancer\.ingressIpv6Cidrs = \["::\/0"\]: admits IPv6 clients, but ipAddressType "ipv4"/,
    ],
    [
      "an HTTP/2 fleet behind a load balancer with HTTP/2 off",
      (c) =>
        Object.assign(
          c,
          { loadBalancer: { ...c.loadBalancer, http2Enabled: false } },
          { fleets: { ...c.fleets, rails4: { ...c.fleets.rails4, targetProtocolVersion: "HTTP2" } } },
        ),
      /two-version\.staging\.json: fleets\.rails4\.targetProtocolVersion = "HTTP2": is a HTTP2 fleet .*the load balancer has HTTP\/2 off \(http2Enabled: false\).*Fix: turn http2Enabled back on/,
    ],
    [
      "a gRPC fleet behind an HTTP-only router",
      (c) => {
        c.loadBalancer = { httpOnly: true };
        c.fleets.rails4 = {
          ...c.fleets.rails4,
          targetProtocolVersion: "GRPC",
          bootstrapGate: { readinessCommand: "grpc_health_probe -addr=127.0.0.1:80" },
        };
      },
      /two-version\.staging\.json: fleets\.rails4\.targetProtocolVersion = "GRPC": is a GRPC fleet .*which ALB serves from HTTPS listeners only; this router is httpOnly/,
    ],
    [
      "the default certificate again by SNI",
      (c) => (c.loadBalancer.additionalCertificateArns = [c.loadBalancer.certificateArn]),
      /loadBalancer\.additionalCertificateArns\[0\] = .*is the listener's default certificate/,
    ],
  ])("%s", (_label, edit, expected) => {
    expect(messageFor(edit)).toMatch(expected);
  });
});
