/**
 * One fleet's settings in a configuration file: the `AppServerGroup` props that differ per
 * fleet, with every nested option. Shape, types and size limits here; the values (IDs,
 * ranges, cross-checks such as min <= desired) are `resolveFleetProps`'s rules, run on the
 * props the layout builds from this. `fleet-props-coverage.ts` ties the keys to the props.
 * Pure: no cdktf import.
 */
import { EGRESS_PROTOCOLS, ID_PATTERNS, INSTANCE_SIZES, ROOT_VOLUME_TYPES } from "../fleet/app-server-group-props";
import { AWS_MAX_TAGS_PER_RESOURCE, LIBRARY_TAG_ALLOWANCE, TAG_KEY_MAX_CHARS, TAG_VALUE_MAX_CHARS, USER_MAX_TAGS } from "../core/tags";
import { Infer, LIMITS, s } from "./schema";
import { ADJUSTMENT_TYPES, SCALING_STATISTICS } from "../fleet/scaling";
import { MAX_EXTRA_SECURITY_GROUPS, RULE_PROTOCOLS } from "../fleet/instance-ingress";
import { MAX_INSTANCE_TYPES, SPOT_ALLOCATION_STRATEGIES } from "../fleet/mixed-instances";
import { LOAD_BALANCING_ALGORITHMS, TARGET_PROTOCOL_VERSIONS, TARGET_PROTOCOLS } from "../fleet/target-group-options";
import { WARM_POOL_STATES } from "../fleet/warm-pool";

const seconds = (range: string) => s.integer({ range: `${range} s` });
const percent = (range: string) => s.integer({ range: `${range} %` });
const amiId = () => s.name({ maxChars: 64, jsonPattern: ID_PATTERNS.AMI_PATTERN });
const instanceType = () => s.name({ maxChars: 64, jsonPattern: ID_PATTERNS.INSTANCE_TYPE_PATTERN });
const userData = () => s.string({ maxChars: LIMITS.userDataChars });
const arn = () => s.name({ maxChars: 2048 });

/** Tags: AWS's limits, less what the library adds (lib/core/tags.ts). */
export const tagsSchema = () =>
  s.record(s.string({ maxChars: TAG_VALUE_MAX_CHARS }), {
    keyName: "tag key",
    key: s.string({ minChars: 1, maxChars: TAG_KEY_MAX_CHARS }),
    maxEntries: USER_MAX_TAGS,
    tooMany: {
      limit: `is more than ${USER_MAX_TAGS} tags: AWS allows ${AWS_MAX_TAGS_PER_RESOURCE} per resource and this library adds up to ${LIBRARY_TAG_ALLOWANCE} of its own`,
      fix: `keep at most ${USER_MAX_TAGS} tags`,
    },
  });

const scalingName = () => s.name({ maxChars: 40 });
const dimensions = () =>
  s.record(s.name({ maxChars: 1024 }), { keyName: "dimension name", key: s.name({ minChars: 1, maxChars: 255 }), maxEntries: 30 });
const scalingMetricShape = {
  namespace: s.name({ maxChars: 255 }).describe('Namespace of the metric, e.g. "MyApp".').example('"MyApp"'),
  metricName: s.name({ maxChars: 255 }).describe('Name of the metric, e.g. "JobsWaitingPerInstance".').example('"JobsWaitingPerInstance"'),
  dimensions: dimensions().describe("Dimensions of the metric.").defaultText('{ "AutoScalingGroupName": <the fleet\'s group> }').optional(),
  statistic: s
    .enum(...SCALING_STATISTICS)
    .describe("Statistic of the metric.")
    .defaultValue("Average")
    .optional(),
};

/** How a fleet scales: target tracking, step scaling on an alarm, schedules. */
export const scalingSchema = s
  .object({
    cpuTargetPercent: s
      .number({ range: "> 0-100 %" })
      .describe("Keep the group's average CPU near this percentage (target tracking).")
      .example("50")
      .optional(),
    requestsPerTargetPerMinute: s
      .number({ range: "> 0" })
      .describe(
        "Keep the requests per instance per minute near this (ALBRequestCountPerTarget of the fleet's target group, wired for you).",
      )
      .optional(),
    metricTargets: s
      .array(
        s.object({
          name: scalingName().describe("Names the policy: lowercase letters, digits, hyphens.").example('"queue-depth"'),
          ...scalingMetricShape,
          targetValue: s.number({ range: "> 0" }).describe("Value to keep the metric near (a per-instance load).").example("100"),
        }),
      )
      .describe("Target tracking on metrics of your own.")
      .defaultText("none")
      .optional(),
    steps: s
      .array(
        s.object({
          name: scalingName().describe("Names the policy and its alarm: lowercase letters, digits, hyphens.").example('"cpu-burst"'),
          metric: s
            .object({
              ...scalingMetricShape,
              periodSeconds: s
                .integer({ range: "10, 30 or n × 60 s" })
                .describe("Seconds per data point the alarm evaluates.")
                .defaultValue(60)
                .optional(),
            })
            .describe("The metric the policy's alarm watches."),
          when: s
            .enum("above", "below")
            .describe('"above": scale out from the first step\'s lower bound up; "below": scale in from its upper bound down.')
            .example('"above"'),
          evaluationPeriods: s.integer({ range: "≥ 1" }).describe("Consecutive periods that must breach.").defaultValue(1).optional(),
          adjustmentType: s
            .enum(...(Object.keys(ADJUSTMENT_TYPES) as (keyof typeof ADJUSTMENT_TYPES)[]))
            .describe("What a step's change means.")
            .defaultValue("change-in-capacity")
            .optional(),
          steps: s
            .array(
              s.object({
                lower: s.number().describe("Metric value where the step starts (inclusive).").defaultText("no lower bound").optional(),
                upper: s.number().describe("Metric value where the step ends.").defaultText("no upper bound").optional(),
                change: s.integer().describe("Instances (or percent, or the exact count) to add or remove.").example("1"),
              }),
            )
            .describe("Contiguous steps, in the metric's units."),
        }),
      )
      .describe("Step scaling policies, each with its own alarm.")
      .defaultText("none")
      .optional(),
    schedules: s
      .array(
        s.object({
          name: scalingName().describe("Names the scheduled action: lowercase letters, digits, hyphens.").example('"business-hours"'),
          cron: s.name({ maxChars: 256 }).describe('Unix cron "minute hour day-of-month month day-of-week".').example('"0 8 * * 1-5"'),
          timeZone: s
            .name({ maxChars: 64 })
            .describe('IANA time zone of the cron expression, e.g. "Asia/Tokyo".')
            .defaultValue("UTC")
            .optional(),
          desired: s.integer({ range: "min-max" }).describe("Instances to run from then on; min and max stay as configured.").example("6"),
        }),
      )
      .describe("Desired capacity on a schedule.")
      .defaultText("none")
      .optional(),
    instanceWarmupSeconds: s
      .integer({ range: "0-86400 s" })
      .describe("Seconds after an instance is in service before its metrics count.")
      .defaultText("healthCheckGracePeriodSeconds")
      .optional(),
    disableScaleIn: s.boolean().describe("Target tracking only adds instances.").defaultValue(false).optional(),
  })
  .describe("Scale the fleet: deploys then leave the desired count to the policies and wait for capacity.min healthy instances.")
  .defaultText("off: capacity.desired instances")
  .optional();

/** How many instances CodeDeploy updates at once, written as data. */
export const deploymentConfigSchema = s
  .union<DeploymentConfigName>(
    [
      s.enum("one-at-a-time", "half-at-a-time", "all-at-once"),
      s.object({ minimumHealthyPercent: percent("0-99").describe("Share of the fleet kept in service.").example("75") }),
    ],
    '"one-at-a-time", "half-at-a-time", "all-at-once" or { "minimumHealthyPercent": n }',
    'write "one-at-a-time", or { "minimumHealthyPercent": 75 }',
  )
  .describe("How many instances CodeDeploy updates at once.")
  .defaultValue("one-at-a-time");

export type DeploymentConfigName = "one-at-a-time" | "half-at-a-time" | "all-at-once" | { readonly minimumHealthyPercent: number };

export const fleetSchema = s
  .object(
    {
      imageId: amiId().describe("AMI ID, `ami-` followed by 8 or 17 hex digits.").example('"ami-0123456789abcdef0"'),
      instanceType: instanceType()
        .describe(
          `EC2 instance type, checked strictly: the family by its format (t3, m7i-flex, u-6tb1), the size against EC2's list (${INSTANCE_SIZES.slice(0, 6).join(", ")}, 2xlarge … 480xlarge, metal, metal-16xl … metal-48xl), so "t3.gigantic" is refused.`,
        )
        .defaultValue("t3.small")
        .optional(),
      capacity: s
        .object({
          min: s.integer({ range: "≥ 0" }).describe("Fewest instances.").defaultValue(2).optional(),
          max: s.integer({ range: "≥ 1" }).describe("Most instances.").defaultText("4, or min when larger").optional(),
          desired: s
            .integer({ range: "min-max" })
            .describe("Instances to run; not with scaling, whose policies decide.")
            .defaultText("equal to min")
            .optional(),
        })
        .describe("Instance counts of the Auto Scaling group.")
        .optional(),
      scaling: scalingSchema,
      appPort: s.integer({ range: "1-65535" }).describe("Port the app listens on.").defaultValue(80).optional(),
      targetProtocol: s
        .enum(...TARGET_PROTOCOLS)
        .describe(
          'Protocol from the load balancer to the instances; "HTTPS" re-encrypts to the app port (any certificate: ALB does not verify it).',
        )
        .defaultValue("HTTP")
        .optional(),
      targetProtocolVersion: s
        .enum(...TARGET_PROTOCOL_VERSIONS)
        .describe(
          '"HTTP1", "HTTP2" (end to end) or "GRPC"; HTTP2 and GRPC need the HTTPS listener with HTTP/2 on, and HTTP/1.1 clients get errors from them. Changing it replaces the target group.',
        )
        .defaultValue("HTTP1")
        .optional(),
      loadBalancingAlgorithm: s
        .enum(...LOAD_BALANCING_ALGORITHMS)
        .describe(
          'How a target is picked; "least_outstanding_requests" and "weighted_random" not with slowStartSeconds, "weighted_random" not with stickinessSeconds.',
        )
        .defaultValue("round_robin")
        .optional(),
      anomalyMitigation: s
        .boolean()
        .describe('Automatic target weights: send less to targets that answer worse; "weighted_random" only.')
        .defaultValue(false)
        .optional(),
      healthCheck: s
        .object({
          path: s
            .name({ maxChars: 1024 })
            .describe(
              'Path of the target group health check, starting with "/"; for gRPC the method "/package.service/method" (default "/AWS.ALB/healthcheck").',
            )
            .defaultValue("/health")
            .optional(),
          matcher: s
            .name({ maxChars: 64 })
            .describe(
              'Codes that count as healthy: HTTP codes, e.g. "200" or "200-299"; gRPC codes 0-99 for a gRPC fleet, e.g. "0" (default "12").',
            )
            .defaultValue("200")
            .optional(),
          protocol: s
            .enum(...TARGET_PROTOCOLS)
            .describe("Protocol of the health check; it calls the app port, so it must be targetProtocol.")
            .defaultText("targetProtocol")
            .optional(),
          intervalSeconds: seconds("5-300").describe("Seconds between checks.").defaultValue(15).optional(),
          timeoutSeconds: seconds("2-120").describe("Seconds a check may take; shorter than the interval.").defaultValue(5).optional(),
          healthyThreshold: s.integer({ range: "2-10" }).describe("Consecutive passes to become healthy.").defaultValue(3).optional(),
          unhealthyThreshold: s.integer({ range: "2-10" }).describe("Consecutive failures to become unhealthy.").defaultValue(3).optional(),
        })
        .describe("Target group health check.")
        .optional(),
      healthCheckGracePeriodSeconds: seconds("0-7200")
        .describe("Seconds before a new instance's ELB health counts.")
        .defaultValue(300)
        .optional(),
      deregistrationDelaySeconds: seconds("0-3600").describe("Seconds a deregistering target keeps draining.").defaultValue(30).optional(),
      slowStartSeconds: s
        .integer({ range: "0 or 30-900 s" })
        .describe("Seconds a new target ramps up its share; 0 is off.")
        .defaultValue(0)
        .optional(),
      stickinessSeconds: seconds("1-604800").describe("Load-balancer cookie stickiness within the fleet.").defaultText("off").optional(),
      capacityTimeoutSeconds: seconds("60-14400")
        .describe("Seconds an apply waits for healthy instances before it fails.")
        .defaultValue(900)
        .optional(),
      userData: userData()
        .describe("Script or #cloud-config run at boot (kept as written; the library adds its parts beside it).")
        .defaultText("none")
        .optional(),
      rootVolume: s
        .object({
          deviceName: s
            .name({ maxChars: 64 })
            .describe('Root device of the AMI ("/dev/xvda" on Amazon Linux, "/dev/sda1" on Ubuntu).')
            .defaultValue("/dev/xvda")
            .optional(),
          sizeGiB: s.integer({ range: "1-16384" }).describe("Size in GiB.").defaultValue(20).optional(),
          volumeType: s
            .enum(...ROOT_VOLUME_TYPES)
            .describe("EBS volume type.")
            .defaultValue("gp3")
            .optional(),
          kmsKeyArn: arn().describe("Customer-managed KMS key ARN.").defaultText("the AWS-managed EBS key").optional(),
        })
        .describe("Root EBS volume of every instance; always encrypted.")
        .optional(),
      keyName: s.name({ maxChars: 255 }).describe("EC2 key pair for SSH; prefer SSM Session Manager.").defaultText("none").optional(),
      alarms: s
        .object({
          snsTopicArn: arn()
            .describe("SNS topic notified when an alarm fires and clears.")
            .defaultText("the file's alarmTopicArn")
            .optional(),
          p99LatencySeconds: s
            .number({ range: "> 0" })
            .describe("p99 response time above which the latency alarm fires.")
            .defaultValue(2)
            .optional(),
          target5xxPerMinute: s
            .integer({ range: "≥ 1" })
            .describe("Target 5xx responses per minute at which the 5xx alarm fires.")
            .defaultValue(10)
            .optional(),
          evaluationPeriods: s
            .integer({ range: "1-60" })
            .describe("Consecutive one-minute periods that must breach.")
            .defaultValue(3)
            .optional(),
        })
        .describe("Thresholds of the fleet's CloudWatch alarms.")
        .optional(),
      deployment: s
        .object({
          applicationName: s
            .string({ maxChars: 100 })
            .describe("Name of an existing CodeDeploy application.")
            .defaultText("a new application named after the fleet")
            .optional(),
          config: deploymentConfigSchema.optional(),
        })
        .describe("CodeDeploy settings.")
        .optional(),
      extraEgress: s
        .array(
          s.object({
            description: s.string({ maxChars: 255 }).describe("What the instances reach through this rule.").example('"PostgreSQL"'),
            port: s.integer({ range: "1-65535" }).describe("Destination port.").example("5432"),
            protocol: s
              .enum(...EGRESS_PROTOCOLS)
              .describe("Protocol.")
              .defaultValue("tcp")
              .optional(),
            cidr: s.name({ maxChars: 64 }).describe("Destination IPv4 CIDR; exactly one of cidr and securityGroupId.").optional(),
            securityGroupId: s
              .name({ maxChars: 64, jsonPattern: ID_PATTERNS.SG_PATTERN })
              .describe("Destination security group; exactly one of cidr and securityGroupId.")
              .optional(),
          }),
        )
        .describe("Outbound rules beyond HTTPS (443) to anywhere.")
        .defaultText("none")
        .optional(),
      extraIngress: s
        .array(
          s.object({
            description: s
              .string({ maxChars: 255 })
              .describe("Who connects through this rule, and why.")
              .example('"Prometheus node exporter"'),
            port: s.integer({ range: "1-65535" }).describe("Port (the first of a range).").example("9100"),
            toPort: s.integer({ range: "port-65535" }).describe("Last port of a range.").defaultText("port alone").optional(),
            protocol: s
              .enum(...RULE_PROTOCOLS)
              .describe("Protocol.")
              .defaultValue("tcp")
              .optional(),
            cidr: s
              .name({ maxChars: 64 })
              .describe("Source IPv4 CIDR, never the internet; exactly one of cidr and securityGroupId.")
              .optional(),
            securityGroupId: s
              .name({ maxChars: 64, jsonPattern: ID_PATTERNS.SG_PATTERN })
              .describe("Source security group; exactly one of cidr and securityGroupId.")
              .optional(),
          }),
        )
        .describe("Inbound rules beside the app port from the load balancer (which always stays).")
        .defaultText("none")
        .optional(),
      extraSecurityGroupIds: s
        .array(s.name({ maxChars: 64, jsonPattern: ID_PATTERNS.SG_PATTERN }))
        .describe(`Security groups of your own attached to every instance beside the fleet's (at most ${MAX_EXTRA_SECURITY_GROUPS}).`)
        .defaultText("none")
        .optional(),
      mixedInstances: s
        .object({
          instanceTypes: s
            .array(instanceType())
            .describe(
              `Instance types the group may launch, in priority order (1-${MAX_INSTANCE_TYPES}, one CPU architecture, including instanceType).`,
            )
            .defaultText("[instanceType]")
            .optional(),
          onDemandBaseCapacity: s
            .integer({ range: "0-max" })
            .describe("Instances that are always On-Demand.")
            .defaultText("capacity.min")
            .optional(),
          onDemandPercentageAboveBaseCapacity: percent("0-100")
            .describe("On-Demand share of the instances above the base; the rest are Spot (100: no Spot).")
            .defaultValue(100)
            .optional(),
          spotAllocationStrategy: s
            .enum(...SPOT_ALLOCATION_STRATEGIES)
            .describe("How Spot capacity is chosen.")
            .defaultValue("price-capacity-optimized")
            .optional(),
          capacityRebalance: s
            .boolean()
            .describe("Replace a Spot instance at elevated risk of interruption before it is interrupted.")
            .defaultText("true with Spot")
            .optional(),
        })
        .describe(
          "Several instance types, and Spot above an On-Demand base (a mixed instances policy); the canary stays On-Demand on its own template.",
        )
        .defaultText("one instance type, On-Demand")
        .optional(),
      warmPool: s
        .object({
          poolState: s
            .enum(...WARM_POOL_STATES)
            .describe('What warmed instances do while they wait ("Hibernated": the type must support hibernation).')
            .defaultValue("Stopped")
            .optional(),
          minSize: s.integer({ range: "≥ 0" }).describe("Instances kept in the pool at least.").defaultValue(0).optional(),
          maxGroupPreparedCapacity: s
            .integer({ range: "≥ capacity.min" })
            .describe("Instances in the group and the pool together.")
            .defaultText("capacity.max")
            .optional(),
          reuseOnScaleIn: s
            .boolean()
            .describe("Return instances to the pool on scale-in instead of terminating them.")
            .defaultValue(false)
            .optional(),
        })
        .describe(
          "Instances bootstrapped ahead of need beside the group; each still passes the bootstrap gate, on entering the pool and again on leaving it. Not with mixedInstances or stateful.",
        )
        .defaultText("none")
        .optional(),
      tags: tagsSchema()
        .describe("Tags on every resource of the fleet, added to the file's tags (together at most 40).")
        .defaultText("none")
        .optional(),
      bootstrapGate: s
        .object({
          enabled: s.boolean().describe("Hold new instances until they report ready.").defaultValue(true).optional(),
          heartbeatTimeoutSeconds: seconds("30-7200")
            .describe("Seconds from launch to ready; shorter than capacityTimeoutSeconds.")
            .defaultValue(600)
            .optional(),
          readinessUrl: s
            .name({ maxChars: 2048 })
            .describe("URL on the instance that answers 2xx/3xx once ready.")
            .defaultText("http://127.0.0.1:<appPort><healthCheck.path>")
            .optional(),
          readinessCommand: s
            .string()
            .describe("Shell command that exits 0 once ready, instead of readinessUrl.")
            .defaultText("the URL check")
            .optional(),
          attemptTimeoutSeconds: seconds("1-60").describe("Seconds one readiness attempt may take.").defaultValue(5).optional(),
          retryIntervalSeconds: seconds("1-300").describe("Seconds between readiness attempts.").defaultValue(10).optional(),
          maxFailedLaunches: s
            .integer({ range: "0-100" })
            .describe("Failed launches in the window after which the gate suspends the group's launches (0: never).")
            .defaultValue(3)
            .optional(),
          failedLaunchWindowSeconds: seconds("300-86400").describe("Window in which failed launches count.").defaultValue(3600).optional(),
        })
        .describe("Hold each new instance out of service until cloud-init finished and a readiness check passed.")
        .defaultText("on")
        .optional(),
      canary: s
        .object({
          imageId: amiId().describe("Candidate AMI.").defaultText("the fleet's imageId").optional(),
          instanceType: instanceType().describe("Candidate instance type.").defaultText("the fleet's instanceType").optional(),
          userData: userData().describe("Candidate user data.").defaultText("the fleet's userData").optional(),
          count: s
            .integer({ range: "1-desired" })
            .describe("Canary instances (its floor when the fleet scales).")
            .defaultText("sharePercent of desired, rounded up; 1 without a share")
            .optional(),
          sharePercent: s
            .number({ range: "1-50 %" })
            .describe("Share of the fleet's traffic the canary's own target group receives.")
            .defaultText("count / (desired + count)")
            .optional(),
        })
        .describe("A small second group running candidate launch settings behind its own target group, with its own alarms.")
        .defaultText("no canary")
        .optional(),
      instanceRefresh: s
        .object({
          checkpointPercentages: s
            .array(percent("1-100"))
            .describe("Pause after replacing these shares, ascending, ending with 100.")
            .optional(),
          checkpointDelaySeconds: seconds("0-172800").describe("Pause at each checkpoint.").defaultText("3600 with checkpoints").optional(),
          minHealthyPercentage: percent("0-100").describe("Capacity kept in service while replacing.").defaultValue(100).optional(),
          maxHealthyPercentage: percent("100-200").describe("Capacity allowed while replacing.").defaultValue(110).optional(),
          skipMatching: s.boolean().describe("Skip instances already on the new template.").defaultValue(true).optional(),
          instanceWarmupSeconds: seconds("≥ 0").describe("Seconds a new instance needs before it serves at full speed.").optional(),
        })
        .describe("Replace instances automatically after the launch template changes (see ROLLOUTS.md first).")
        .defaultText("off")
        .optional(),
      recycling: s
        .object({
          maxInstanceLifetimeDays: s.number({ range: "1-365" }).describe("Days an instance may live before it is replaced.").example("7"),
          maxHealthyPercentage: percent("110-200")
            .describe("How far above desired the group may go while replacing.")
            .defaultValue(110)
            .optional(),
        })
        .describe("Replace every instance after a maximum lifetime, launching before terminating.")
        .defaultText("off")
        .optional(),
      stateful: s
        .object({
          drainCommand: s
            .string()
            .describe("Shell command that saves the instance's data before it terminates.")
            .defaultText("hold for a person")
            .optional(),
          heartbeatTimeoutSeconds: seconds("30-7200").describe("Seconds between drain heartbeats.").defaultValue(900).optional(),
          keepRootVolume: s.boolean().describe("Keep the root volume after the instance terminates.").defaultValue(true).optional(),
          retire: s
            .boolean()
            .describe(
              "Step 1 of removing the fleet: scale it to zero while its drain hook still runs (each instance lifts its own scale-in protection and is drained); no route may send it traffic. Delete the fleet in a later change, once it has no instances.",
            )
            .defaultValue(false)
            .optional(),
        })
        .describe("Guard instances that hold data existing nowhere else.")
        .defaultText("stateless")
        .optional(),
    },
    // Renamed keys point at their new name instead of reading as typos (CHANGELOG.md).
    { renamed: { capacityTimeout: "capacityTimeoutSeconds" } },
  )
  .describe("One fleet: an AppServerGroup.");

/** One fleet's settings as read from a configuration file. */
export type FleetConfig = Infer<typeof fleetSchema>;
