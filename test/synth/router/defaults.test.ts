/** What a TrafficRouter gives you without options: the safe defaults, as Terraform sees them. */
import { resourcesOf, synthJson, TerraformJson } from "../../support/synth";
import { addressOf, blockOf, CERTIFICATE_ARN, PUBLIC_SUBNETS, TwoFleets, twoFleets } from "./router-fixtures";

describe("TrafficRouter defaults", () => {
  let env: TwoFleets;
  let json: TerraformJson;

  beforeAll(() => {
    env = twoFleets();
    env.router.setRoutingTable({ default: env.rails3, routes: [{ name: "hoge", match: { paths: ["/hoge/*"] }, to: env.rails4 }] });
    json = synthJson(env.stack);
  });

  describe("the load balancer", () => {
    let lb: Record<string, any>;
    beforeAll(() => {
      lb = blockOf(json, env.router.loadBalancer);
    });

    test("is an internet-facing application load balancer named <name>-alb in the given subnets", () => {
      expect(lb).toMatchObject({ name: "web-alb", load_balancer_type: "application", internal: false, subnets: PUBLIC_SUBNETS });
    });

    test("drops invalid header fields and mitigates desync defensively", () => {
      expect(lb.drop_invalid_header_fields).toBe(true);
      expect(lb.desync_mitigation_mode).toBe("defensive");
    });

    test("is protected from deletion and closes idle connections after 60 seconds", () => {
      expect(lb.enable_deletion_protection).toBe(true);
      expect(lb.idle_timeout).toBe(60);
    });

    test("uses only its own security group", () => {
      expect(lb.security_groups).toEqual([`\${${addressOf(env.router.securityGroup.securityGroup)}.id}`]);
    });

    test("writes access logs under the alb/ prefix of its own bucket, and waits for the bucket policy", () => {
      const bucket = env.router.accessLogBucket!;
      expect(lb.access_logs).toEqual({ bucket: `\${${addressOf(bucket.bucket)}.bucket}`, prefix: "alb", enabled: true });
      expect(lb.depends_on).toEqual([addressOf(bucket.policy)]);
    });
  });

  describe("the listeners", () => {
    test("HTTPS on 443 uses the TLS 1.3 policy and the certificate", () => {
      const https = blockOf(json, env.router.httpsListener!);
      expect(https).toMatchObject({
        port: 443,
        protocol: "HTTPS",
        ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
        certificate_arn: CERTIFICATE_ARN,
      });
    });

    test("HTTP on 80 only redirects to HTTPS with a 301 and carries no rules", () => {
      const http = blockOf(json, env.router.httpListener);
      expect(http.port).toBe(80);
      expect(http.default_action).toEqual([{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }]);
      const httpArn = `\${${addressOf(env.router.httpListener)}.arn}`;
      const rulesOnHttp = Object.values(resourcesOf(json, "aws_lb_listener_rule")).filter((r) => r.listener_arn === httpArn);
      expect(rulesOnHttp).toEqual([]);
    });

    test("the HTTPS default action is a weighted forward to the default fleet", () => {
      const https = blockOf(json, env.router.httpsListener!);
      expect(https.default_action).toEqual([
        { type: "forward", forward: { target_group: [{ arn: `\${${addressOf(env.rails3.targetGroup)}.arn}`, weight: 1 }] } },
      ]);
    });
  });

  describe("the security group", () => {
    let ingress: Record<string, any>[];
    let egress: Record<string, any>[];
    const sgRef = () => `\${${addressOf(env.router.securityGroup.securityGroup)}.id}`;
    beforeAll(() => {
      ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).filter((r) => r.security_group_id === sgRef());
      egress = Object.values(resourcesOf(json, "aws_vpc_security_group_egress_rule")).filter((r) => r.security_group_id === sgRef());
    });

    test("admits 443 and 80 from anywhere, each rule described", () => {
      expect(ingress.map((r) => [r.from_port, r.to_port, r.cidr_ipv4]).sort()).toEqual([
        [443, 443, "0.0.0.0/0"],
        [80, 80, "0.0.0.0/0"],
      ]);
      expect(ingress.find((r) => r.from_port === 80)!.description).toMatch(/redirect to HTTPS/);
      for (const rule of ingress) expect(rule.description).toBeTruthy();
    });

    test("reaches out only to each routed fleet's security group on its app port, one rule per fleet", () => {
      expect(egress.map((r) => [r.referenced_security_group_id, r.from_port, r.to_port, r.cidr_ipv4]).sort()).toEqual(
        [
          [`\${${addressOf(env.rails3.securityGroup)}.id}`, 80, 80, undefined],
          [`\${${addressOf(env.rails4.securityGroup)}.id}`, 80, 80, undefined],
        ].sort(),
      );
      for (const rule of egress) expect(rule.description).toMatch(/fleet rails[34]/);
    });

    test("has a description, and a name prefix so a replacement can be created before the old one is destroyed", () => {
      const sg = blockOf(json, env.router.securityGroup.securityGroup);
      expect(sg.description).toMatch(/Load balancer web/);
      expect(sg.name_prefix).toBe("web-alb-");
      expect(sg.lifecycle).toEqual({ create_before_destroy: true });
      expect(sg.egress).toBeUndefined();
    });
  });

  describe("the access-log bucket", () => {
    const only = (type: string) => {
      const all = Object.values(resourcesOf(json, type));
      expect(all).toHaveLength(1);
      return all[0];
    };

    test("gets a globally unique name from a bucket prefix and is not force-destroyed", () => {
      const bucket = blockOf(json, env.router.accessLogBucket!.bucket);
      expect(bucket.bucket_prefix).toBe("web-alblogs-");
      expect(bucket.bucket).toBeUndefined();
      expect(bucket.force_destroy).toBe(false);
    });

    test("is encrypted with SSE-S3, blocks every kind of public access and enforces bucket-owner ownership", () => {
      expect(only("aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
      ]);
      expect(only("aws_s3_bucket_public_access_block")).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(only("aws_s3_bucket_ownership_controls").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
    });

    test("is versioned and expires logs after 90 days, old versions and stalled uploads too", () => {
      expect(only("aws_s3_bucket_versioning").versioning_configuration).toEqual({ status: "Enabled" });
      const [rule] = only("aws_s3_bucket_lifecycle_configuration").rule;
      expect(rule).toMatchObject({
        status: "Enabled",
        expiration: [{ days: 90 }],
        noncurrent_version_expiration: [{ noncurrent_days: 7 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }],
      });
    });

    test("its policy denies plain HTTP and lets ELB log delivery write under the prefix, in old and new Regions", () => {
      const policy: string = blockOf(json, env.router.accessLogBucket!.policy).policy;
      expect(policy).toMatch(/"aws:SecureTransport" = "false"/);
      expect(policy).toMatch(/"Effect" = "Deny"/);
      expect(policy).toContain('"Service" = "logdelivery.elasticloadbalancing.amazonaws.com"');
      expect(policy).toContain('"%s/%s/AWSLogs/%s/*", aws_s3_bucket.');
      // Legacy ELB accounts are granted only where the Region has one, decided by Terraform from the provider's Region.
      expect(policy).toMatch(/contains\(keys\(local\.\w+\), data\.aws_region\.\w+\.name\) \? \[\{"Sid" = "AllowLegacyElbLogDelivery"/);
      const local = Object.entries((json as any).locals as Record<string, any>).find(([id]) => id.includes("LegacyElbLogAccounts"))![1];
      expect(local["ap-northeast-1"]).toBe("582318560864");
      expect(local["eu-central-2"]).toBeUndefined();
    });

    test("log delivery may write only under this account's own prefix, with no condition the delivery service might not satisfy", () => {
      const policy: string = blockOf(json, env.router.accessLogBucket!.policy).policy;
      // The account comes from the load balancer's security group ARN: no STS call at plan time.
      const account = `element(split(":", ${addressOf(env.router.securityGroup.securityGroup)}.arn), 4)`;
      const objects = `format("%s/%s/AWSLogs/%s/*", ${addressOf(env.router.accessLogBucket!.bucket)}.arn, "alb", ${account})`;
      expect(policy).toContain(
        `"Sid" = "AllowElbLogDelivery", "Effect" = "Allow", "Principal" = {"Service" = "logdelivery.elasticloadbalancing.amazonaws.com"}, "Action" = "s3:PutObject", "Resource" = ${objects}}`,
      );
      expect(policy).not.toContain("aws:SourceAccount");
      // The legacy Regional ELB account sends no source account: the prefix is what scopes it.
      expect(policy).toMatch(
        new RegExp(`"Sid" = "AllowLegacyElbLogDelivery".*"Resource" = ${objects.replace(/[()[\].*+?^$|\\{}]/g, "\\$&")}\\}`),
      );
      expect(policy).not.toContain("AWSLogs/*");
    });

    test("uses no data source that calls AWS at plan time", () => {
      expect(Object.keys(json.data ?? {}).sort()).toEqual(["aws_partition", "aws_region"]);
    });
  });

  test("fleets behind it admit their app port only from its security group and alarm on its metrics", () => {
    const sg = `\${${addressOf(env.router.securityGroup.securityGroup)}.id}`;
    const fleetIngress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).filter(
      (r) => r.security_group_id === `\${${addressOf(env.rails4.securityGroup)}.id}`,
    );
    expect(fleetIngress.map((r) => r.referenced_security_group_id)).toEqual([sg]);
    const alarmDimensions = Object.values(resourcesOf(json, "aws_cloudwatch_metric_alarm")).map((a) => a.dimensions?.LoadBalancer);
    expect(alarmDimensions).toContain(`\${${addressOf(env.router.loadBalancer)}.arn_suffix}`);
  });

  test("tags every resource it creates with Router and ManagedBy", () => {
    expect(blockOf(json, env.router.loadBalancer).tags).toMatchObject({ Router: "web", ManagedBy: "cdktf-app-fleets" });
    expect(blockOf(json, env.router.httpsListener!).tags).toMatchObject({ Router: "web" });
    expect(blockOf(json, env.router.accessLogBucket!.bucket).tags).toMatchObject({ Router: "web" });
  });
});
