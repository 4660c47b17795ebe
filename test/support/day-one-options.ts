/**
 * One stack with every day-one option on (issue 19): a dual-stack router with SNI certificates,
 * a WAF web ACL, Route 53 aliases and HTTP/2; a Spot fleet with a canary, instance refresh and
 * scaling; a warm-pool fleet over HTTPS with weighted random and anomaly mitigation; a gRPC fleet
 * with a Hibernated warm pool; an end-to-end HTTP/2 fleet. Shared by the policy test and the
 * terraform validate / plan test.
 */
import { Construct } from "constructs";
import { AppServerGroup } from "../../lib/fleet/app-server-group";
import { AppServerGroupProps } from "../../lib/fleet/app-server-group-props";
import { InMemoryStackLock } from "../../lib/lock/stack-lock-store";
import { TrafficRouter } from "../../lib/router/traffic-router";
import { fleetProps, PLACEHOLDER } from "./fixtures";

export const DAY_ONE = {
  certificateArn: "arn:aws:acm:ap-northeast-1:123456789012:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9",
  additionalCertificateArns: [
    "arn:aws:acm:ap-northeast-1:123456789012:certificate/1a2b3c4d-5e6f-7081-9203-b4c5d6e7f8a9",
    "arn:aws:iam::123456789012:server-certificate/legacy/shop.example.net",
  ],
  webAclArn: "arn:aws:wafv2:ap-northeast-1:123456789012:regional/webacl/web-acl/a1b2c3d4-5678-90ab-cdef-0123456789ab",
  zoneId: "Z0123456789ABCDEFGHIJ",
  alarmTopicArn: "arn:aws:sns:ap-northeast-1:123456789012:fleet-alarms",
  candidateAmi: "ami-0fedcba9876543210",
} as const;

export interface DayOneStack {
  readonly router: TrafficRouter;
  readonly spot: AppServerGroup;
  readonly warm: AppServerGroup;
  readonly grpc: AppServerGroup;
  readonly h2: AppServerGroup;
}

/** Props of each fleet of the stack, by name; `overrides` changes one fleet (e.g. a new AMI). */
export function dayOneFleetProps(
  overrides: Partial<Record<"spot" | "warm" | "grpc" | "h2", Partial<AppServerGroupProps>>> = {},
): Record<"spot" | "warm" | "grpc" | "h2", Partial<AppServerGroupProps>> {
  return {
    spot: {
      instanceType: "m7i.large",
      capacity: { min: 2, max: 8 },
      scaling: { cpuTargetPercent: 50 },
      instanceRefresh: {},
      canary: { imageId: DAY_ONE.candidateAmi, count: 1 },
      mixedInstances: { instanceTypes: ["m7i.large", "m6i.large", "m5.large"], onDemandPercentageAboveBaseCapacity: 0 },
      loadBalancingAlgorithm: "least_outstanding_requests",
      extraSecurityGroupIds: ["sg-0a1b2c3d4e5f60701"],
      extraIngress: [
        { description: "Prometheus node exporter from monitoring", port: 9100, securityGroupId: "sg-0a1b2c3d4e5f60703" },
        { description: "StatsD from the VPC", port: 8125, toPort: 8126, protocol: "udp", cidr: "10.0.0.0/16" },
      ],
      ...overrides.spot,
    },
    warm: {
      appPort: 8443,
      targetProtocol: "HTTPS",
      loadBalancingAlgorithm: "weighted_random",
      anomalyMitigation: true,
      capacity: { min: 2, max: 6 },
      instanceRefresh: {},
      warmPool: { poolState: "Running", minSize: 1, reuseOnScaleIn: true },
      ...overrides.warm,
    },
    grpc: {
      appPort: 50051,
      instanceType: "m5.large",
      targetProtocol: "HTTPS",
      targetProtocolVersion: "GRPC",
      healthCheck: { path: "/grpc.health.v1.Health/Check", matcher: "0" },
      bootstrapGate: { readinessCommand: "grpc_health_probe -addr=127.0.0.1:50051 -tls -tls-no-verify" },
      instanceRefresh: {},
      warmPool: { poolState: "Hibernated", maxGroupPreparedCapacity: 6 },
      rootVolume: { sizeGiB: 40 },
      ...overrides.grpc,
    },
    h2: {
      targetProtocol: "HTTPS",
      targetProtocolVersion: "HTTP2",
      healthCheck: { protocol: "HTTPS" },
      ...overrides.h2,
    },
  };
}

export function buildDayOneStack(scope: Construct, overrides: Parameters<typeof dayOneFleetProps>[0] = {}): DayOneStack {
  const lockFile = new InMemoryStackLock();
  const router = new TrafficRouter(scope, "Router", {
    name: "web",
    vpcId: PLACEHOLDER.vpcId,
    subnetIds: ["subnet-0a1b2c3d4e5f60733", "subnet-0a1b2c3d4e5f60744"],
    certificateArn: DAY_ONE.certificateArn,
    additionalCertificateArns: [...DAY_ONE.additionalCertificateArns],
    ipAddressType: "dualstack",
    http2Enabled: true,
    webAclArn: DAY_ONE.webAclArn,
    dnsAliases: [
      { zoneId: DAY_ONE.zoneId, name: "www.example.com" },
      { zoneId: DAY_ONE.zoneId, name: "example.com" },
    ],
    lockFile,
  });
  const props = dayOneFleetProps(overrides);
  const fleet = (name: "spot" | "warm" | "grpc" | "h2") =>
    new AppServerGroup(
      scope,
      name,
      fleetProps({ name, loadBalancer: router, alarms: { snsTopicArn: DAY_ONE.alarmTopicArn }, lockFile, ...props[name] }),
    );
  const spot = fleet("spot");
  const warm = fleet("warm");
  const grpc = fleet("grpc");
  const h2 = fleet("h2");
  router.setRoutingTable({
    default: spot,
    routes: [
      { name: "warm", match: { paths: ["/warm/*"] }, to: warm },
      { name: "rpc", match: { paths: ["/orders.v1.Orders/*"] }, to: grpc },
      { name: "h2", match: { paths: ["/stream/*"] }, to: h2 },
    ],
  });
  return { router, spot, warm, grpc, h2 };
}
