/** fast-check generators of AppServerGroup props: valid ones, and valid ones broken in one named way. */
import fc from "fast-check";
import { AppServerGroupProps } from "../../lib/fleet/app-server-group-props";
import { DeploymentConfig } from "../../lib/fleet/deployment-config";

const hex17 = fc.stringMatching(/^[0-9a-f]{17}$/);
const fleetName = fc.stringMatching(/^[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,4})?$/);
const namespace = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
const octet = fc.integer({ min: 0, max: 255 });
/** A network address: host bits zero, as the provider requires (it rejects 10.0.0.1/16). */
const cidr = fc.tuple(octet, octet, octet, octet, fc.integer({ min: 8, max: 32 })).map(([a, b, c, d, m]) => {
  const address = (((a << 24) | (b << 16) | (c << 8) | d) >>> 0) & (m === 0 ? 0 : (~0 << (32 - m)) >>> 0);
  return `${[24, 16, 8, 0].map((shift) => (address >>> shift) & 255).join(".")}/${m}`;
});

const capacity = fc
  .tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 5 }))
  .map(([min, extraDesired, extraMax]) => ({ min, desired: min + extraDesired, max: Math.max(1, min + extraDesired + extraMax) }));

const healthCheck = fc
  .tuple(
    fc.integer({ min: 5, max: 300 }),
    fc.integer({ min: 2, max: 120 }),
    fc.integer({ min: 2, max: 10 }),
    fc.integer({ min: 2, max: 10 }),
    fc.stringMatching(/^\/[a-z0-9/_-]{0,30}$/),
    fc.constantFrom("200", "200-299", "200,204"),
  )
  .filter(([interval, timeout]) => timeout < interval)
  .map(([intervalSeconds, timeoutSeconds, healthyThreshold, unhealthyThreshold, path, matcher]) => ({
    intervalSeconds,
    timeoutSeconds,
    healthyThreshold,
    unhealthyThreshold,
    path,
    matcher,
  }));

const egressRule = fc.oneof(
  fc.record({ description: fc.constantFrom("database", "cache", "internal API"), port: fc.integer({ min: 1, max: 65535 }), cidr }),
  fc.record({
    description: fc.constantFrom("database", "cache"),
    port: fc.integer({ min: 1, max: 65535 }),
    securityGroupId: hex17.map((h) => `sg-${h}`),
  }),
);

const deployment = fc.oneof(
  fc.constant(DeploymentConfig.oneAtATime()),
  fc.constant(DeploymentConfig.halfAtATime()),
  fc.constant(DeploymentConfig.allAtOnce()),
  fc.integer({ min: 0, max: 99 }).map((p) => DeploymentConfig.minimumHealthyPercent(p)),
);

/** Props that satisfy every documented limit. */
export const validFleetProps: fc.Arbitrary<AppServerGroupProps> = fc
  .record(
    {
      name: fleetName,
      namespace,
      vpcId: hex17.map((h) => `vpc-${h}`),
      subnetIds: fc.uniqueArray(
        hex17.map((h) => `subnet-${h}`),
        { minLength: 2, maxLength: 4 },
      ),
      sgId: hex17.map((h) => `sg-${h}`),
      imageId: fc.oneof(hex17, fc.stringMatching(/^[0-9a-f]{8}$/)).map((h) => `ami-${h}`),
      instanceType: fc.constantFrom("t3.small", "m7g.large", "c6i.xlarge"),
      capacity,
      appPort: fc.integer({ min: 1, max: 65535 }),
      healthCheck,
      healthCheckGracePeriodSeconds: fc.integer({ min: 0, max: 7200 }),
      deregistrationDelaySeconds: fc.integer({ min: 0, max: 3600 }),
      slowStartSeconds: fc.oneof(fc.constant(0), fc.integer({ min: 30, max: 900 })),
      stickinessSeconds: fc.integer({ min: 1, max: 604800 }),
      rootVolume: fc.record({ sizeGiB: fc.integer({ min: 8, max: 16384 }), volumeType: fc.constantFrom("gp2", "gp3", "io1", "io2") }),
      artifacts: fc.record({
        bucketName: fc.stringMatching(/^[a-z0-9][a-z0-9-]{2,20}[a-z0-9]$/),
        prefix: fc.stringMatching(/^([a-z0-9]{1,8}\/)?$/),
      }),
      snsTopicArn: fc.constant("arn:aws:sns:ap-northeast-1:123456789012:fleet-alarms"),
      deployment,
      extraEgress: fc.array(egressRule, { maxLength: 2 }),
      tags: fc.dictionary(fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,9}$/), fc.stringMatching(/^[a-z0-9 ]{0,20}$/), { maxKeys: 3 }),
    },
    {
      // An alarm topic is required: the policy pack (APF-ALARM-ACTIONS) fails alarms that notify nobody.
      requiredKeys: ["name", "vpcId", "subnetIds", "sgId", "imageId", "snsTopicArn"],
    },
  )
  .map(({ sgId, snsTopicArn, deployment: config, ...rest }) => ({
    ...rest,
    loadBalancer: { securityGroupId: sgId, arnSuffix: "app/example/0123456789abcdef" },
    ...(snsTopicArn ? { alarms: { snsTopicArn } } : {}),
    ...(config ? { deployment: { config } } : {}),
  }));

/** One way to break valid props, and the field the error must name. */
export interface Breakage {
  readonly kind: string;
  readonly field: string;
  readonly props: AppServerGroupProps;
}

const breakWith = (kind: string, field: string, gen: fc.Arbitrary<(p: AppServerGroupProps) => AppServerGroupProps>) =>
  fc.tuple(validFleetProps, gen).map(([props, mutate]): Breakage => ({ kind, field, props: mutate(props) }));

/** Valid props broken in exactly one of the ways users get wrong. */
export const brokenFleetProps: fc.Arbitrary<Breakage> = fc.oneof(
  breakWith(
    "name too long",
    "name",
    fc.integer({ min: 21, max: 60 }).map((n) => (p) => ({ ...p, name: "a".repeat(n) })),
  ),
  breakWith(
    "name with bad characters",
    "name",
    fc.constantFrom("Rails4", "rails_4", "4rails", "rails-", "web--v2", "rails 4", "").map((name) => (p) => ({ ...p, name })),
  ),
  breakWith(
    "namespace + name over the ELB name quota",
    "namespace + name",
    // 17 + "-" + 12 + "-tg" = 33 characters at least: one over the 32 AWS allows.
    fc
      .tuple(fc.stringMatching(/^[a-z]{17,20}$/), fc.stringMatching(/^[a-z]{12,20}$/))
      .map(([namespace, name]) => (p) => ({ ...p, namespace, name })),
  ),
  breakWith(
    "capacity inverted",
    "capacity.",
    fc
      .tuple(fc.integer({ min: 2, max: 10 }), fc.integer({ min: 1, max: 5 }))
      .map(([max, extra]) => (p) => ({ ...p, capacity: { min: max + extra, max } })),
  ),
  breakWith(
    "empty subnet list",
    "subnetIds",
    fc.constant((p: AppServerGroupProps) => ({ ...p, subnetIds: [] })),
  ),
  breakWith(
    "malformed CIDR",
    "extraEgress[0].cidr",
    fc.constantFrom("10.0.0.0", "10.0.0.0/33", "256.1.1.1/24", "10.0.0/16", "any").map((cidr) => (p) => ({
      ...p,
      extraEgress: [{ description: "database", port: 5432, cidr }],
    })),
  ),
  breakWith(
    "malformed ARN",
    "alarms.snsTopicArn",
    fc.constantFrom("fleet-alarms", "arn:aws:sqs:ap-northeast-1:123456789012:q", "arn:aws:sns", "sns:topic").map((snsTopicArn) => (p) => ({
      ...p,
      alarms: { snsTopicArn },
    })),
  ),
  breakWith(
    "malformed KMS key ARN",
    "rootVolume.kmsKeyArn",
    fc
      .constantFrom("alias/aws/ebs", "1234abcd-12ab-34cd-56ef-1234567890ab")
      .map((kmsKeyArn) => (p) => ({ ...p, rootVolume: { kmsKeyArn } })),
  ),
  breakWith(
    "malformed AMI",
    "imageId",
    fc.constantFrom("ami-123", "ami-XYZ0123456789abcd", "image").map((imageId) => (p) => ({ ...p, imageId })),
  ),
  breakWith(
    "port out of range",
    "appPort",
    fc.oneof(fc.integer({ min: -100, max: 0 }), fc.integer({ min: 65536, max: 100000 })).map((appPort) => (p) => ({ ...p, appPort })),
  ),
  breakWith(
    "health check timeout not below interval",
    "healthCheck.timeoutSeconds",
    fc
      .integer({ min: 5, max: 120 })
      .map((interval) => (p) => ({ ...p, healthCheck: { intervalSeconds: interval, timeoutSeconds: interval } })),
  ),
);
