/** Every TrafficRouter option changes exactly what it promises in the synthesized Terraform. */
import { AccessLogs } from "../../../lib/router/access-logs";
import { resourcesOf, synthJson, TerraformJson } from "../../support/synth";
import { addressOf, blockOf, TwoFleets, twoFleets } from "./router-fixtures";
import { TrafficRouterProps } from "../../../lib/router/traffic-router-props";

function synthWith(props: Partial<TrafficRouterProps>): { env: TwoFleets; json: TerraformJson } {
  const env = twoFleets(props);
  env.router.setRoutingTable({ default: env.rails3 });
  return { env, json: synthJson(env.stack) };
}

describe("TrafficRouter options", () => {
  describe("load balancer settings", () => {
    let env: TwoFleets;
    let json: TerraformJson;
    beforeAll(() => {
      ({ env, json } = synthWith({
        namespace: "prod",
        internal: true,
        idleTimeoutSeconds: 300,
        deletionProtection: false,
        desyncMitigationMode: "strictest",
        sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06",
        tags: { Team: "web" },
      }));
    });

    test("the namespace prefixes the load balancer, security group and bucket names", () => {
      expect(blockOf(json, env.router.loadBalancer).name).toBe("prod-web-alb");
      expect(blockOf(json, env.router.securityGroup.securityGroup).name_prefix).toBe("prod-web-alb-");
      expect(blockOf(json, env.router.accessLogBucket!.bucket).bucket_prefix).toBe("prod-web-alblogs-");
    });

    test("internal, idle timeout, deletion protection and desync mode reach the load balancer", () => {
      expect(blockOf(json, env.router.loadBalancer)).toMatchObject({
        internal: true,
        idle_timeout: 300,
        enable_deletion_protection: false,
        desync_mitigation_mode: "strictest",
      });
    });

    test("another TLS 1.3 policy can be chosen", () => {
      expect(blockOf(json, env.router.httpsListener!).ssl_policy).toBe("ELBSecurityPolicy-TLS13-1-3-2021-06");
    });

    test("tags are added to the router's own tags", () => {
      expect(blockOf(json, env.router.loadBalancer).tags).toEqual({
        Team: "web",
        Router: "web",
        ManagedBy: "cdktf-app-fleets",
        Name: "prod-web-alb",
      });
    });
  });

  describe("ingress CIDRs", () => {
    let env: TwoFleets;
    let json: TerraformJson;
    beforeAll(() => {
      ({ env, json } = synthWith({ ingressCidrs: ["203.0.113.0/24", "198.51.100.0/24"], ingressIpv6Cidrs: ["2001:db8::/32"] }));
    });

    test("443 and 80 are opened to each given IPv4 and IPv6 range and nothing else", () => {
      const sg = `\${${addressOf(env.router.securityGroup.securityGroup)}.id}`;
      const rules = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).filter((r) => r.security_group_id === sg);
      const seen = rules.map((r) => `${r.from_port} ${r.cidr_ipv4 ?? r.cidr_ipv6}`).sort();
      expect(seen).toEqual(
        [
          "443 203.0.113.0/24",
          "80 203.0.113.0/24",
          "443 198.51.100.0/24",
          "80 198.51.100.0/24",
          "443 2001:db8::/32",
          "80 2001:db8::/32",
        ].sort(),
      );
    });
  });

  describe("access logs in a new bucket, with options", () => {
    let env: TwoFleets;
    let json: TerraformJson;
    beforeAll(() => {
      ({ env, json } = synthWith({ accessLogs: AccessLogs.newBucket({ expirationDays: 30, forceDestroy: true, prefix: "edge/web" }) }));
    });

    test("expiry, force destroy and prefix follow the options", () => {
      expect(blockOf(json, env.router.accessLogBucket!.bucket).force_destroy).toBe(true);
      const [lifecycle] = Object.values(resourcesOf(json, "aws_s3_bucket_lifecycle_configuration"));
      expect(lifecycle.rule[0].expiration).toEqual([{ days: 30 }]);
      expect(blockOf(json, env.router.loadBalancer).access_logs.prefix).toBe("edge/web");
      expect(blockOf(json, env.router.accessLogBucket!.policy).policy).toMatch(
        /format\("%s\/%s\/AWSLogs\/%s\/\*", aws_s3_bucket\.\w+\.arn, "edge\/web", /,
      );
    });
  });

  describe("access logs in an existing bucket", () => {
    let env: TwoFleets;
    let json: TerraformJson;
    beforeAll(() => {
      ({ env, json } = synthWith({ accessLogs: AccessLogs.existingBucket("central-alb-logs") }));
    });

    test("no bucket is created and the load balancer logs to the named bucket under its qualified name", () => {
      expect(env.router.accessLogBucket).toBeUndefined();
      expect(resourcesOf(json, "aws_s3_bucket")).toEqual({});
      expect(resourcesOf(json, "aws_s3_bucket_policy")).toEqual({});
      const lb = blockOf(json, env.router.loadBalancer);
      expect(lb.access_logs).toEqual({ bucket: "central-alb-logs", prefix: "web", enabled: true });
      expect(lb.depends_on).toBeUndefined();
    });
  });
});
