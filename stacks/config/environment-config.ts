/**
 * Configuration shared by both layouts: one file per environment (staging, production)
 * holds everything that differs between them, so routine operations are edits in one place.
 * The schema here is the one definition: the TypeScript types, the checks and the published
 * JSON Schema all come from it.
 */
import { isAbsolute, normalize } from "node:path";
import { checkArn, checkBucketName } from "../../lib/core/aws-ids";
import { ID_PATTERNS } from "../../lib/fleet/app-server-group-props";
import { checkResourceName } from "../../lib/core/names";
import { Violations } from "../../lib/core/errors";
import { MAX_RULES_PER_LOAD_BALANCER_CEILING } from "../../lib/router/traffic-router-props";
import { IP_ADDRESS_TYPES } from "../../lib/router/dual-stack";
import { MAX_ADDITIONAL_CERTIFICATES } from "../../lib/router/listener-certificates";
import { tagsSchema } from "../../lib/config/fleet-schema";
import { ALARM_SUBSCRIPTION_PROTOCOLS } from "../../lib/fleet/alarm-topic-options";
import { Infer, s } from "../../lib/config/schema";

/** Route table IDs, e.g. "rtb-0123456789abcdef0". */
export const ROUTE_TABLE_PATTERN = /^rtb-([0-9a-f]{8}|[0-9a-f]{17})$/;

function checkRouteTableId(v: Violations, field: string, value: string): void {
  v.check(
    ROUTE_TABLE_PATTERN.test(value),
    field,
    value,
    'is not a route table ID such as "rtb-0123456789abcdef0"',
    "copy the ID of the private subnets' route table",
  );
}

/** AWS region names, e.g. "ap-northeast-1", "us-gov-west-1". */
export const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
/** Environment names prefix AWS names limited to 32 characters, beside the router and fleet names. */
export const ENVIRONMENT_NAME_MAX = 10;

const region = () =>
  s
    .name({ maxChars: 32, jsonPattern: REGION_PATTERN })
    .rule((value, at) =>
      at.v.check(REGION_PATTERN.test(value), at.field, value, "is not an AWS region name", 'write e.g. "ap-northeast-1"'),
    );

/** A local state file must stay inside the stack's working directory (cdktf.out/stacks/<stack>). */
function checkLocalStatePath(v: Violations, field: string, path: string): void {
  const normalized = normalize(path);
  v.check(
    path.length > 0 &&
      !isAbsolute(path) &&
      !/^[A-Za-z]:/.test(path) &&
      normalized !== ".." &&
      !normalized.startsWith("../") &&
      !normalized.startsWith("..\\"),
    field,
    path,
    "must be a relative path inside the stack's working directory; state written elsewhere is shared by accident or lost with the checkout",
    'use a file name such as "terraform.tfstate", or an S3 backend for a team',
  );
}

/** Terraform's S3 backend refuses a key that starts or ends with "/" (backend validation). */
function checkStateKey(v: Violations, field: string, key: string): void {
  v.check(
    key.length >= 1 && !key.startsWith("/") && !key.endsWith("/"),
    field,
    key,
    'must be an object key that neither starts nor ends with "/"',
    'write e.g. "web/production.tfstate"',
  );
}

export const stateSchema = s
  .tagged("backend", {
    local: s.object({
      path: s
        .name({ maxChars: 1024 })
        .rule((value, at) => checkLocalStatePath(at.v, at.field, value))
        .describe("State file, relative to the stack's working directory.")
        .defaultText("terraform.<stack>.tfstate")
        .optional(),
    }),
    s3: s.object({
      bucket: s
        .name({ maxChars: 63, jsonPattern: ID_PATTERNS.BUCKET_PATTERN })
        .rule((value, at) => checkBucketName(at.v, at.field, value))
        .describe("State bucket (3-63 characters).")
        .example('"example-terraform-state"'),
      key: s
        .name({ maxChars: 1024 })
        .rule((value, at) => checkStateKey(at.v, at.field, value))
        .describe("Object key of the state.")
        .example('"web/production.tfstate"'),
      region: region().describe("Region of the bucket.").defaultText("the stack's region").optional(),
      kmsKeyId: s.name({ maxChars: 2048 }).describe("Customer-managed KMS key for the state object.").defaultText("SSE-S3").optional(),
    }),
  })
  .describe(
    'Where Terraform keeps state: "s3" (encrypted, with Terraform\'s native lock file, Terraform >= 1.10) for a team, "local" for one person.',
  )
  .defaultValue({ backend: "local" });

export type StateBackendConfig = Infer<typeof stateSchema>;

export const networkSchema = s
  .object({
    vpcId: s
      .name({ maxChars: 64, jsonPattern: ID_PATTERNS.VPC_PATTERN })
      .describe("VPC of the load balancer and the fleets.")
      .example('"vpc-0123456789abcdef0"'),
    publicSubnetIds: s
      .array(s.name({ maxChars: 64, jsonPattern: ID_PATTERNS.SUBNET_PATTERN }))
      .describe("Subnets of the load balancer (public for an internet-facing one), in two or more AZs.")
      .example('["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]'),
    privateSubnetIds: s
      .array(s.name({ maxChars: 64, jsonPattern: ID_PATTERNS.SUBNET_PATTERN }))
      .describe("Subnets of the instances, in two or more AZs.")
      .example('["subnet-0123456789abcdef2", "subnet-0123456789abcdef3"]'),
    apiEndpoints: s
      .object({
        privateRouteTableIds: s
          .array(
            s.name({ maxChars: 64, jsonPattern: ROUTE_TABLE_PATTERN }).rule((value, at) => checkRouteTableId(at.v, at.field, value)),
            { minItems: 1 },
          )
          .describe("Route tables of the private subnets, for the S3 gateway endpoint.")
          .example('["rtb-0123456789abcdef0"]'),
      })
      .describe(
        "Create the VPC endpoints instances need to reach the AWS APIs without a NAT gateway: interface endpoints (autoscaling, monitoring, codedeploy, codedeploy-commands-secure, ssm, ssmmessages, ec2messages) in the private subnets, and an S3 gateway endpoint.",
      )
      .defaultText("none: a NAT gateway or your own endpoints")
      .optional(),
  })
  .describe("Where the stack runs.");

export type NetworkConfig = Infer<typeof networkSchema>;

export const loadBalancerSchema = s
  .object(
    {
      certificateArn: s.name({ maxChars: 2048 }).describe("ACM certificate for HTTPS; required unless httpOnly.").optional(),
      httpOnly: s.boolean().describe("Demo mode without TLS; synth warns.").defaultValue(false).optional(),
      ingressCidrs: s
        .array(s.name({ maxChars: 64 }))
        .describe("IPv4 clients admitted.")
        .defaultValue(["0.0.0.0/0"])
        .optional(),
      deletionProtection: s.boolean().describe("Refuse to delete the load balancer through the API.").defaultValue(true).optional(),
      idleTimeoutSeconds: s
        .integer({ range: "1-4000 s" })
        .describe("Seconds an idle client connection stays open.")
        .defaultValue(60)
        .optional(),
      accessLogExpirationDays: s.integer({ range: "≥ 1" }).describe("Days access logs are kept.").defaultValue(90).optional(),
      maxRulesPerLoadBalancer: s
        .integer({ range: `1-${MAX_RULES_PER_LOAD_BALANCER_CEILING}` })
        .describe('Your "rules per load balancer" quota, if AWS raised it.')
        .defaultValue(100)
        .optional(),
      additionalCertificateArns: s
        .array(s.name({ maxChars: 2048 }))
        .describe(
          `More ACM (or IAM) certificates the HTTPS listener serves by SNI host name, besides certificateArn (at most ${MAX_ADDITIONAL_CERTIFICATES}).`,
        )
        .defaultText("none")
        .optional(),
      ipAddressType: s
        .enum(...IP_ADDRESS_TYPES)
        .describe('"dualstack" serves IPv6 clients too (the public subnets need IPv6 CIDR blocks).')
        .defaultValue("ipv4")
        .optional(),
      ingressIpv6Cidrs: s
        .array(s.name({ maxChars: 64 }))
        .describe("IPv6 clients admitted (dual-stack only).")
        .defaultText('["::/0"] when dualstack and ingressCidrs is left out; else none')
        .optional(),
      http2Enabled: s.boolean().describe("Offer HTTP/2 to clients (HTTP2 and GRPC fleets need it).").defaultValue(true).optional(),
      webAclArn: s
        .name({ maxChars: 2048 })
        .describe("An existing regional AWS WAF web ACL to associate with the load balancer.")
        .defaultText("none")
        .optional(),
      dnsAliases: s
        .array(
          s.object({
            zoneId: s.name({ maxChars: 32 }).describe("ID of the existing Route 53 hosted zone.").example('"Z0123456789ABCDEFGHIJ"'),
            name: s.name({ maxChars: 255 }).describe('Record name, e.g. "www.example.com".').example('"www.example.com"'),
          }),
        )
        .describe(
          "Route 53 alias records pointing at the load balancer: A, and AAAA when dual-stack; an existing record is never overwritten.",
        )
        .defaultText("none")
        .optional(),
    },
    { renamed: { maxRules: "maxRulesPerLoadBalancer" } },
  )
  .describe("The Application Load Balancer in front of every fleet.");

export type LoadBalancerConfig = Infer<typeof loadBalancerSchema>;

/** Keys every layout's file holds, besides `layout` and its own. */
export const environmentShape = {
  $schema: s.string({ maxChars: 2048 }).describe("The JSON Schema of this file, for editors; ignored by the library.").optional(),
  environment: s
    .name({ maxChars: 64 })
    .rule((value, at) => checkResourceName(at.v, at.field, value, ENVIRONMENT_NAME_MAX))
    .describe(`Environment name (≤ ${ENVIRONMENT_NAME_MAX} characters); prefixes AWS names so environments can share an account.`)
    .example('"staging"'),
  region: region().describe("AWS region of the stack.").example('"ap-northeast-1"'),
  network: networkSchema,
  loadBalancer: loadBalancerSchema,
  state: stateSchema.optional(),
  alarmTopic: s
    .object({
      subscriptions: s
        .array(
          s.object({
            protocol: s
              .enum(...ALARM_SUBSCRIPTION_PROTOCOLS)
              .describe("How the topic delivers.")
              .example('"email"'),
            endpoint: s
              .name({ maxChars: 2048 })
              .describe("An email address, an https URL, an E.164 phone number, or an SQS queue / Lambda function ARN.")
              .example('"oncall@example.com"'),
          }),
        )
        .describe("Who is told when an alarm fires and clears (email and https endpoints confirm from the first message AWS sends).")
        .optional(),
      noSubscriptionBecause: s
        .string({ maxChars: 1024 })
        .describe("The explicit opt-out: no subscription here, and why (at least 20 characters).")
        .optional(),
    })
    .describe(
      "An SNS topic this stack creates for every alarm, encrypted with its own KMS key whose policy admits CloudWatch; required unless alarmTopicArn is given.",
    )
    .defaultText("required, or alarmTopicArn")
    .optional(),
  alarmTopicArn: s
    .name({ maxChars: 2048 })
    .rule((value, at) => checkArn(at.v, at.field, value, "sns"))
    .describe(
      "An existing SNS topic for every alarm of every fleet, instead of alarmTopic (encrypted, its key must admit cloudwatch.amazonaws.com).",
    )
    .defaultText("the alarmTopic the stack creates")
    .optional(),
  artifactBucket: s
    .name({ maxChars: 63, jsonPattern: ID_PATTERNS.BUCKET_PATTERN })
    .describe("Bucket of CodeDeploy revisions; each fleet may read `<fleet>/` in it only.")
    .defaultText("none")
    .optional(),
  tags: tagsSchema().describe("Tags on every resource (provider default tags).").defaultText("none").optional(),
} as const;

export const environmentSchema = s.object(environmentShape);

export type EnvironmentConfig = Infer<typeof environmentSchema>;
