/**
 * One case per rule: a violating resource is flagged with that rule, and the same resource made
 * compliant is not. Resources are built with the provider classes directly, as a user would.
 */
import { Fn } from "cdktf";
import { Construct } from "constructs";
import {
  AutoscalingGroup,
  CloudwatchMetricAlarm,
  CodedeployDeploymentGroup,
  DataAwsIamPolicyDocument,
  IamRole,
  IamRolePolicy,
  IamRolePolicyAttachment,
  LaunchTemplate,
  Lb,
  LbListener,
  LbListenerRule,
  LbTargetGroup,
  S3Bucket,
  S3BucketPolicy,
  S3BucketPublicAccessBlock,
  S3BucketServerSideEncryptionConfiguration,
  S3BucketVersioning,
  SecurityGroup,
  VpcSecurityGroupEgressRule,
  VpcSecurityGroupIngressRule,
} from "../../../lib/aws/resources";
import { APP_FLEETS_RULES } from "../../../lib/policy/rules";
import { PLACEHOLDER } from "../../support/fixtures";
import { describeFindings, PolicyRun, runPolicy, violationsOf } from "./policy-helpers";

const VPC = PLACEHOLDER.vpcId;
const SUBNETS = [...PLACEHOLDER.subnetIds];
const ASSUME_EC2 = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

/** Builds violating and compliant resources in one scope; returns their construct IDs. */
interface RuleCase {
  readonly ruleId: string;
  readonly build: (scope: Construct) => void;
  /** Construct IDs (direct children of the stack) that must be flagged. */
  readonly bad: readonly string[];
  /** Construct IDs that must pass this rule. */
  readonly good: readonly string[];
}

const launchTemplate = (scope: Construct, id: string, extra: Partial<ConstructorParameters<typeof LaunchTemplate>[2]>) =>
  new LaunchTemplate(scope, id, { name: id.toLowerCase(), imageId: PLACEHOLDER.imageId, ...extra });
const encryptedRoot = [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 20 } }];
const alb = (scope: Construct, id: string, extra: Partial<ConstructorParameters<typeof Lb>[2]> = {}) =>
  new Lb(scope, id, { name: id.toLowerCase(), loadBalancerType: "application", subnets: SUBNETS, ...extra });
const targetGroup = (scope: Construct, id: string) =>
  new LbTargetGroup(scope, id, { name: id.toLowerCase(), port: 80, protocol: "HTTP", vpcId: VPC, healthCheck: { path: "/health" } });
const securityGroup = (scope: Construct, id: string, description = `${id} for tests`) =>
  new SecurityGroup(scope, id, { name: id.toLowerCase(), description, vpcId: VPC });

/** A bucket with every companion resource the S3 rules ask for; `omit` leaves one out. */
function hardenedBucket(scope: Construct, id: string, omit?: "pab" | "sse" | "tls" | "versioning", sse = "AES256") {
  const bucket = new S3Bucket(scope, id, { bucket: `${id.toLowerCase()}-bucket` });
  if (omit !== "pab") {
    new S3BucketPublicAccessBlock(scope, `${id}Pab`, {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
  }
  if (omit !== "sse") {
    new S3BucketServerSideEncryptionConfiguration(scope, `${id}Sse`, {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: sse } }],
    });
  }
  if (omit !== "tls") {
    const doc = new DataAwsIamPolicyDocument(scope, `${id}PolicyDoc`, {
      statement: [
        {
          sid: "DenyInsecureTransport",
          effect: "Deny",
          actions: ["s3:*"],
          resources: [bucket.arn, `${bucket.arn}/*`],
          principals: [{ type: "*", identifiers: ["*"] }],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    });
    new S3BucketPolicy(scope, `${id}Policy`, { bucket: bucket.id, policy: doc.json });
  }
  if (omit !== "versioning") {
    new S3BucketVersioning(scope, `${id}Versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
  }
  return bucket;
}

const CASES: readonly RuleCase[] = [
  {
    ruleId: "APF-IMDSV2",
    build: (s) => {
      launchTemplate(s, "Optional", { metadataOptions: { httpTokens: "optional" } });
      launchTemplate(s, "Unset", {});
      launchTemplate(s, "OverriddenBack", { metadataOptions: { httpTokens: "required" } }).addOverride(
        "metadata_options.http_tokens",
        "optional",
      );
      launchTemplate(s, "Required", { metadataOptions: { httpEndpoint: "enabled", httpTokens: "required" } });
      launchTemplate(s, "EndpointOff", { metadataOptions: { httpEndpoint: "disabled" } });
    },
    bad: ["Optional", "Unset", "OverriddenBack"],
    good: ["Required", "EndpointOff"],
  },
  {
    ruleId: "APF-EBS-ENCRYPTED",
    build: (s) => {
      launchTemplate(s, "Unencrypted", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }] });
      launchTemplate(s, "NoMappings", {});
      launchTemplate(s, "SecondVolumePlain", {
        blockDeviceMappings: [...encryptedRoot, { deviceName: "/dev/xvdb", ebs: { volumeSize: 100 } }],
      });
      launchTemplate(s, "Encrypted", { blockDeviceMappings: encryptedRoot });
    },
    bad: ["Unencrypted", "NoMappings", "SecondVolumePlain"],
    good: ["Encrypted"],
  },
  {
    ruleId: "APF-NO-PUBLIC-IP",
    build: (s) => {
      launchTemplate(s, "Public", { networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "true" }] });
      launchTemplate(s, "Private", { networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false" }] });
    },
    bad: ["Public"],
    good: ["Private"],
  },
  {
    ruleId: "APF-ALB-DROP-INVALID-HEADERS",
    build: (s) => {
      alb(s, "Passes", { dropInvalidHeaderFields: false });
      alb(s, "Drops", { dropInvalidHeaderFields: true });
      new Lb(s, "Network", { name: "network", loadBalancerType: "network", subnets: SUBNETS });
    },
    bad: ["Passes"],
    good: ["Drops", "Network"],
  },
  {
    ruleId: "APF-ALB-DESYNC",
    build: (s) => {
      alb(s, "Monitor", { desyncMitigationMode: "monitor" });
      alb(s, "DefaultMode");
      alb(s, "Strictest", { desyncMitigationMode: "strictest" });
    },
    bad: ["Monitor"],
    good: ["DefaultMode", "Strictest"],
  },
  {
    ruleId: "APF-LISTENER-TLS13",
    build: (s) => {
      const lb = alb(s, "Lb");
      const tg = targetGroup(s, "Tg");
      const https = { loadBalancerArn: lb.arn, port: 443, protocol: "HTTPS", certificateArn: "arn:aws:acm:ap-northeast-1:123456789012:certificate/abc" };
      const forward = [{ type: "forward", targetGroupArn: tg.arn }];
      new LbListener(s, "OldPolicy", { ...https, sslPolicy: "ELBSecurityPolicy-2016-08", defaultAction: forward });
      new LbListener(s, "NoPolicy", { ...https, defaultAction: forward });
      new LbListener(s, "Tls13", { ...https, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", defaultAction: forward });
    },
    bad: ["OldPolicy", "NoPolicy"],
    good: ["Tls13"],
  },
  {
    ruleId: "APF-HTTP-REDIRECT-ONLY",
    build: (s) => {
      const lb = alb(s, "Lb");
      const tg = targetGroup(s, "Tg");
      const forward = [{ type: "forward", targetGroupArn: tg.arn }];
      const toHttps = [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }];
      const plain = new LbListener(s, "PlainForward", { loadBalancerArn: lb.arn, port: 80, protocol: "HTTP", defaultAction: forward });
      new LbListener(s, "UnsetProtocolForward", { loadBalancerArn: lb.arn, port: 8080, defaultAction: forward });
      new LbListener(s, "RedirectSameProtocol", {
        loadBalancerArn: lb.arn,
        port: 81,
        protocol: "HTTP",
        defaultAction: [{ type: "redirect", redirect: { port: "8443", statusCode: "HTTP_302" } }],
      });
      const redirect = new LbListener(s, "PlainRedirect", { loadBalancerArn: lb.arn, port: 82, protocol: "HTTP", defaultAction: toHttps });
      const https = new LbListener(s, "Https", {
        loadBalancerArn: lb.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
        certificateArn: "arn:aws:acm:ap-northeast-1:123456789012:certificate/abc",
        defaultAction: forward,
      });
      const onPath = [{ pathPattern: { values: ["/app/*"] } }];
      new LbListenerRule(s, "ForwardOnHttp", { listenerArn: plain.arn, priority: 10, action: forward, condition: onPath });
      new LbListenerRule(s, "RedirectOnHttp", { listenerArn: redirect.arn, priority: 10, action: toHttps, condition: onPath });
      new LbListenerRule(s, "ForwardOnHttps", { listenerArn: https.arn, priority: 10, action: forward, condition: onPath });
    },
    bad: ["PlainForward", "UnsetProtocolForward", "RedirectSameProtocol", "ForwardOnHttp"],
    good: ["PlainRedirect", "Https", "RedirectOnHttp", "ForwardOnHttps"],
  },
  {
    ruleId: "APF-LB-ACCESS-LOGS",
    build: (s) => {
      alb(s, "NoLogs");
      alb(s, "LogsOff", { accessLogs: { bucket: "central-logs", enabled: false } });
      alb(s, "Logs", { accessLogs: { bucket: "central-logs", enabled: true } });
    },
    bad: ["NoLogs", "LogsOff"],
    good: ["Logs"],
  },
  {
    ruleId: "APF-LB-DELETION-PROTECTION",
    build: (s) => {
      alb(s, "Unprotected");
      alb(s, "Protected", { enableDeletionProtection: true });
    },
    bad: ["Unprotected"],
    good: ["Protected"],
  },
  {
    ruleId: "APF-TG-HEALTH-CHECK",
    build: (s) => {
      new LbTargetGroup(s, "NoHealthCheck", { name: "no-hc", port: 80, protocol: "HTTP", vpcId: VPC });
      new LbTargetGroup(s, "Disabled", { name: "off-hc", port: 80, protocol: "HTTP", vpcId: VPC, healthCheck: { enabled: false, path: "/health" } });
      targetGroup(s, "WithPath");
      new LbTargetGroup(s, "Tcp", { name: "tcp", port: 5432, protocol: "TCP", vpcId: VPC });
    },
    bad: ["NoHealthCheck", "Disabled"],
    good: ["WithPath", "Tcp"],
  },
  {
    ruleId: "APF-ASG-ELB-HEALTH",
    build: (s) => {
      const tg = targetGroup(s, "Tg");
      const lt = launchTemplate(s, "Lt", {});
      const asg = (id: string, extra: Partial<ConstructorParameters<typeof AutoscalingGroup>[2]>) =>
        new AutoscalingGroup(s, id, { name: id, minSize: 1, maxSize: 2, vpcZoneIdentifier: SUBNETS, launchTemplate: { id: lt.id }, ...extra });
      asg("Ec2Checks", { targetGroupArns: [tg.arn], healthCheckType: "EC2" });
      asg("ElbChecks", { targetGroupArns: [tg.arn], healthCheckType: "ELB" });
      asg("NoLoadBalancer", {});
    },
    bad: ["Ec2Checks"],
    good: ["ElbChecks", "NoLoadBalancer"],
  },
  {
    ruleId: "APF-SG-WORLD-INGRESS",
    build: (s) => {
      const instances = securityGroup(s, "Instances");
      const publicLb = securityGroup(s, "PublicLb");
      const internalLb = securityGroup(s, "InternalLb");
      alb(s, "Public", { securityGroups: [publicLb.id] });
      alb(s, "Internal", { internal: true, securityGroups: [internalLb.id] });
      const world = (id: string, sg: SecurityGroup, port: number) =>
        new VpcSecurityGroupIngressRule(s, id, {
          securityGroupId: sg.id,
          description: `${id} for tests`,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          cidrIpv4: "0.0.0.0/0",
        });
      world("SshFromWorld", instances, 22);
      world("HttpsToInstances", instances, 443);
      world("HttpsToInternalLb", internalLb, 443);
      world("AdminPortToPublicLb", publicLb, 8443);
      world("HttpsToPublicLb", publicLb, 443);
      world("HttpToPublicLb", publicLb, 80);
      new SecurityGroup(s, "InlineWorldIpv6", {
        name: "inline",
        description: "inline rules for tests",
        vpcId: VPC,
        ingress: [{ description: "anything", protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }],
      });
      new VpcSecurityGroupIngressRule(s, "FromLbGroup", {
        securityGroupId: instances.id,
        description: "app port from the load balancer",
        ipProtocol: "tcp",
        fromPort: 80,
        toPort: 80,
        referencedSecurityGroupId: publicLb.id,
      });
    },
    bad: ["SshFromWorld", "HttpsToInstances", "HttpsToInternalLb", "AdminPortToPublicLb", "InlineWorldIpv6"],
    good: ["HttpsToPublicLb", "HttpToPublicLb", "FromLbGroup", "Instances"],
  },
  {
    ruleId: "APF-SG-OPEN-EGRESS",
    build: (s) => {
      const sg = securityGroup(s, "Instances");
      new VpcSecurityGroupEgressRule(s, "AllOut", { securityGroupId: sg.id, description: "everything", ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" });
      new VpcSecurityGroupEgressRule(s, "AllTcpOut", {
        securityGroupId: sg.id,
        description: "every tcp port",
        ipProtocol: "tcp",
        fromPort: 0,
        toPort: 65535,
        cidrIpv4: "0.0.0.0/0",
      });
      new VpcSecurityGroupEgressRule(s, "HttpsOut", {
        securityGroupId: sg.id,
        description: "https",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "0.0.0.0/0",
      });
      new VpcSecurityGroupEgressRule(s, "AllToVpc", { securityGroupId: sg.id, description: "inside the VPC", ipProtocol: "-1", cidrIpv4: "10.0.0.0/16" });
    },
    bad: ["AllOut", "AllTcpOut"],
    good: ["HttpsOut", "AllToVpc"],
  },
  {
    ruleId: "APF-SG-DESCRIPTION",
    build: (s) => {
      new SecurityGroup(s, "NoDescription", { name: "nodesc", vpcId: VPC });
      securityGroup(s, "DefaultDescription", "Managed by Terraform");
      const sg = securityGroup(s, "Described");
      new VpcSecurityGroupIngressRule(s, "RuleWithoutDescription", {
        securityGroupId: sg.id,
        ipProtocol: "tcp",
        fromPort: 80,
        toPort: 80,
        referencedSecurityGroupId: PLACEHOLDER.loadBalancer.securityGroupId,
      });
      new VpcSecurityGroupIngressRule(s, "RuleWithDescription", {
        securityGroupId: sg.id,
        description: "app port from the load balancer",
        ipProtocol: "tcp",
        fromPort: 80,
        toPort: 80,
        referencedSecurityGroupId: PLACEHOLDER.loadBalancer.securityGroupId,
      });
    },
    bad: ["NoDescription", "DefaultDescription", "RuleWithoutDescription"],
    good: ["Described", "RuleWithDescription"],
  },
  {
    ruleId: "APF-IAM-WILDCARD-ACTION",
    build: (s) => {
      const role = new IamRole(s, "Role", { name: "role", assumeRolePolicy: ASSUME_EC2 });
      const inline = (id: string, statement: object) => new IamRolePolicy(s, id, { role: role.id, policy: policy(statement) });
      inline("Everything", { Effect: "Allow", Action: "*", Resource: "*" });
      inline("WholeService", { Effect: "Allow", Action: ["s3:*"], Resource: "arn:aws:s3:::bucket/*" });
      inline("NotAction", { Effect: "Allow", NotAction: ["iam:*"], Resource: "arn:aws:s3:::bucket/*" });
      inline("DenyEverything", { Effect: "Deny", Action: "*", Resource: "*" });
      inline("Named", { Effect: "Allow", Action: ["s3:GetObject", "s3:Get*"], Resource: "arn:aws:s3:::bucket/*" });
      new DataAwsIamPolicyDocument(s, "DocumentWildcard", { statement: [{ actions: ["*"], resources: ["arn:aws:s3:::bucket"] }] });
    },
    bad: ["Everything", "WholeService", "NotAction", "DocumentWildcard"],
    good: ["DenyEverything", "Named", "Role"],
  },
  {
    ruleId: "APF-IAM-WILDCARD-RESOURCE",
    build: (s) => {
      const role = new IamRole(s, "Role", { name: "role", assumeRolePolicy: ASSUME_EC2 });
      const inline = (id: string, statement: object) => new IamRolePolicy(s, id, { role: role.id, policy: policy(statement) });
      inline("ObjectsEverywhere", { Effect: "Allow", Action: ["s3:GetObject"], Resource: "*" });
      inline("MixedDescribe", { Effect: "Allow", Action: ["ec2:DescribeInstances", "ec2:TerminateInstances"], Resource: ["*"] });
      inline("DescribeOnly", { Effect: "Allow", Action: ["ec2:DescribeInstances", "cloudwatch:PutMetricData"], Resource: "*" });
      inline("NamedBucket", { Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::bucket/*" });
      new DataAwsIamPolicyDocument(s, "DocumentEverywhere", { statement: [{ actions: ["sqs:SendMessage"], resources: ["*"] }] });
    },
    bad: ["ObjectsEverywhere", "MixedDescribe", "DocumentEverywhere"],
    good: ["DescribeOnly", "NamedBucket"],
  },
  {
    ruleId: "APF-IAM-ADMIN-POLICY",
    build: (s) => {
      const role = new IamRole(s, "Role", { name: "role", assumeRolePolicy: ASSUME_EC2 });
      new IamRolePolicyAttachment(s, "Admin", { role: role.name, policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" });
      new IamRolePolicyAttachment(s, "Ssm", { role: role.name, policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" });
    },
    bad: ["Admin"],
    good: ["Ssm"],
  },
  {
    ruleId: "APF-S3-PUBLIC-ACCESS-BLOCK",
    build: (s) => {
      hardenedBucket(s, "NoBlock", "pab");
      const partial = hardenedBucket(s, "PartialBlock", "pab");
      new S3BucketPublicAccessBlock(s, "PartialBlockPab", { bucket: partial.bucket, blockPublicAcls: true, blockPublicPolicy: true });
      hardenedBucket(s, "Hardened");
    },
    bad: ["NoBlock", "PartialBlock"],
    good: ["Hardened"],
  },
  {
    ruleId: "APF-S3-ENCRYPTION",
    build: (s) => {
      hardenedBucket(s, "NoSse", "sse");
      const kmsLogs = hardenedBucket(s, "KmsLogBucket", undefined, "aws:kms");
      alb(s, "Lb", { accessLogs: { bucket: kmsLogs.id, enabled: true } });
      hardenedBucket(s, "KmsDataBucket", undefined, "aws:kms");
      hardenedBucket(s, "Hardened");
    },
    bad: ["NoSse", "KmsLogBucket"],
    good: ["KmsDataBucket", "Hardened"],
  },
  {
    ruleId: "APF-S3-TLS-ONLY",
    build: (s) => {
      hardenedBucket(s, "NoPolicy", "tls");
      const allowOnly = hardenedBucket(s, "AllowOnlyPolicy", "tls");
      new S3BucketPolicy(s, "AllowOnlyPolicyPolicy", {
        bucket: allowOnly.id,
        policy: policy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "s3:GetObject", Resource: `${allowOnly.arn}/*` }),
      });
      const jsonPolicy = hardenedBucket(s, "JsonPolicy", "tls");
      new S3BucketPolicy(s, "JsonPolicyPolicy", {
        bucket: jsonPolicy.id,
        policy: policy({
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [jsonPolicy.arn, `${jsonPolicy.arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }),
      });
      // Fn.jsonencode reaches the rule as a Terraform expression, not as JSON.
      const encoded = (id: string, effect: string) => {
        const bucket = hardenedBucket(s, id, "tls");
        new S3BucketPolicy(s, `${id}Policy`, {
          bucket: bucket.id,
          policy: Fn.jsonencode({
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }, Action: "s3:PutObject", Resource: Fn.format("%s/*", [bucket.arn]) },
              { Effect: effect, Principal: "*", Action: "s3:*", Resource: [bucket.arn], Condition: { Bool: { "aws:SecureTransport": "false" } } },
            ],
          }),
        });
      };
      encoded("EncodedDeny", "Deny");
      encoded("EncodedAllowOnInsecure", "Allow");
      hardenedBucket(s, "Hardened");
    },
    bad: ["NoPolicy", "AllowOnlyPolicy", "EncodedAllowOnInsecure"],
    good: ["JsonPolicy", "EncodedDeny", "Hardened"],
  },
  {
    ruleId: "APF-S3-VERSIONING",
    build: (s) => {
      hardenedBucket(s, "Unversioned", "versioning");
      const suspended = hardenedBucket(s, "Suspended", "versioning");
      new S3BucketVersioning(s, "SuspendedVersioning", { bucket: suspended.id, versioningConfiguration: { status: "Suspended" } });
      hardenedBucket(s, "Hardened");
    },
    bad: ["Unversioned", "Suspended"],
    good: ["Hardened"],
  },
  {
    ruleId: "APF-CODEDEPLOY-ROLLBACK",
    build: (s) => {
      const group = (id: string, extra: Partial<ConstructorParameters<typeof CodedeployDeploymentGroup>[2]>) =>
        new CodedeployDeploymentGroup(s, id, { appName: "app", deploymentGroupName: id, serviceRoleArn: "arn:aws:iam::123456789012:role/cd", ...extra });
      group("NoRollback", {});
      group("FailureOnly", {
        autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE"] },
        alarmConfiguration: { enabled: true, alarms: ["app-5xx"] },
      });
      group("NoAlarms", { autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] } });
      group("RollsBack", {
        autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
        alarmConfiguration: { enabled: true, alarms: ["app-5xx"] },
      });
    },
    bad: ["NoRollback", "FailureOnly", "NoAlarms"],
    good: ["RollsBack"],
  },
  {
    ruleId: "APF-ALARM-ACTIONS",
    build: (s) => {
      const alarm = (id: string, actionsEnabled?: boolean) =>
        new CloudwatchMetricAlarm(s, id, {
          alarmName: id,
          comparisonOperator: "GreaterThanThreshold",
          evaluationPeriods: 1,
          metricName: "HTTPCode_Target_5XX_Count",
          namespace: "AWS/ApplicationELB",
          period: 60,
          statistic: "Sum",
          threshold: 10,
          actionsEnabled,
        });
      alarm("Silenced", false);
      alarm("DefaultActions");
      alarm("ExplicitActions", true);
    },
    bad: ["Silenced"],
    good: ["DefaultActions", "ExplicitActions"],
  },
];

test("every rule of the pack has a case here", () => {
  expect(CASES.map((c) => c.ruleId).sort()).toEqual(APP_FLEETS_RULES.map((r) => r.id).sort());
});

describe.each(CASES)("$ruleId", (ruleCase) => {
  let run: PolicyRun;
  let flaggedPaths: string[];
  beforeAll(() => {
    run = runPolicy(ruleCase.build, "rules");
    flaggedPaths = violationsOf(run, ruleCase.ruleId).map((f) => f.path);
  });

  test.each(ruleCase.bad)(`flags the violating resource %s`, (id) => {
    expect(flaggedPaths).toContain(`rules/${id}`);
  });

  test.each(ruleCase.good)(`passes the compliant resource %s`, (id) => {
    const own = violationsOf(run, ruleCase.ruleId).filter((f) => f.path === `rules/${id}`);
    expect(describeFindings(own)).toBe("(none)");
  });

  test("fails synth naming the rule id and the fix", () => {
    expect(run.error?.message).toContain(`[${ruleCase.ruleId}]`);
    const rule = APP_FLEETS_RULES.find((r) => r.id === ruleCase.ruleId)!;
    expect(run.error?.message).toContain(`Fix: ${rule.fix}`);
  });
});
