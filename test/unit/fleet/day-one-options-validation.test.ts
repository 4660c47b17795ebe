/**
 * The day-one fleet options (mixed instances and Spot, warm pools, extra ingress and security
 * groups, HTTPS / HTTP2 / gRPC targets, the load-balancing algorithm) refuse bad input with one
 * message naming the field, the value, the limit and the fix: one case per validation error.
 */
import { ConfigError } from "../../../lib/core/errors";
import { AppServerGroupProps, resolveFleetProps } from "../../../lib/fleet/app-server-group-props";
import { instanceArchitecture } from "../../../lib/fleet/mixed-instances";
import { fleetProps } from "../../support/fixtures";

function errorOf(overrides: Partial<AppServerGroupProps>): ConfigError {
  try {
    resolveFleetProps(fleetProps(overrides));
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

const LOCK = { lockFile: "web.lock.json" } as const;
const sg = (n: number) => `sg-0a1b2c3d4e5f6070${n}`;

/** Each row: the bad input, the field the message must name, and words of the limit and of the fix. */
const cases: Array<[string, Partial<AppServerGroupProps>, string, RegExp]> = [
  // Mixed instances and Spot
  [
    "a mixed policy without instance types",
    { mixedInstances: { instanceTypes: [] } },
    "mixedInstances.instanceTypes",
    /lists 0 instance types; an Auto Scaling group takes 1-40.*Fix: list at least/,
  ],
  [
    "a mixed policy with more than 40 instance types",
    {
      instanceType: "m5.large",
      mixedInstances: { instanceTypes: ["m5.large", ...Array.from({ length: 40 }, (_, i) => `m${i + 6}.large`)] },
    },
    "mixedInstances.instanceTypes",
    /lists 41 instance types; an Auto Scaling group takes 1-40.*Fix: keep the 40 types you prefer/,
  ],
  [
    "a malformed instance type in the list",
    { mixedInstances: { instanceTypes: ["t3.small", "t3.gigantic"] } },
    "mixedInstances.instanceTypes[1]",
    /is not an instance type/,
  ],
  [
    "an instance type listed twice",
    { mixedInstances: { instanceTypes: ["t3.small", "t3.small"] } },
    "mixedInstances.instanceTypes",
    /lists an instance type twice.*Fix: list each type once/,
  ],
  [
    "a list without the fleet's instanceType",
    { instanceType: "m7i.large", mixedInstances: { instanceTypes: ["m6i.large", "m5.large"] } },
    "mixedInstances.instanceTypes",
    /does not include the fleet's instanceType \("m7i.large"\).*Fix: add "m7i.large"/,
  ],
  [
    "arm64 and x86_64 types in one list",
    { instanceType: "m7i.large", mixedInstances: { instanceTypes: ["m7i.large", "m7g.large"] } },
    "mixedInstances.instanceTypes",
    /mixes arm64 \(Graviton\) and x86_64 types \(m7i.large: x86_64, m7g.large: arm64\).*Fix: list types of the AMI's architecture only/,
  ],
  [
    "an On-Demand base above capacity.max",
    { capacity: { min: 2, max: 4 }, mixedInstances: { onDemandBaseCapacity: 5 } },
    "mixedInstances.onDemandBaseCapacity",
    /must be a whole number from 0 to capacity.max \(4\)/,
  ],
  [
    "an On-Demand share above 100 %",
    { mixedInstances: { onDemandPercentageAboveBaseCapacity: 101 } },
    "mixedInstances.onDemandPercentageAboveBaseCapacity",
    /whole percentage 0-100.*Fix: use 0 for Spot above the base/,
  ],
  [
    "an unknown Spot allocation strategy",
    { mixedInstances: { onDemandPercentageAboveBaseCapacity: 0, spotAllocationStrategy: "cheapest" as never } },
    "mixedInstances.spotAllocationStrategy",
    /must be one of "price-capacity-optimized", .*Fix: use "price-capacity-optimized"/,
  ],
  [
    "capacity rebalancing without Spot",
    { mixedInstances: { instanceTypes: ["t3.small", "t3a.small"], capacityRebalance: true } },
    "mixedInstances.capacityRebalance",
    /has nothing to rebalance: no instance runs on Spot \(onDemandPercentageAboveBaseCapacity 100/,
  ],
  [
    "Spot on a stateful fleet",
    { ...LOCK, stateful: {}, mixedInstances: { onDemandBaseCapacity: 0, onDemandPercentageAboveBaseCapacity: 50 } },
    "mixedInstances.onDemandPercentageAboveBaseCapacity",
    /puts instances of a stateful fleet on Spot: an interruption gives two minutes' notice, not a drain.*Fix: keep a stateful fleet On-Demand/,
  ],
  // Warm pools
  [
    "an unknown pool state",
    { warmPool: { poolState: "Frozen" as never } },
    "warmPool.poolState",
    /must be "Stopped", "Running", "Hibernated".*Fix: use "Stopped"/,
  ],
  ["a negative pool minimum", { warmPool: { minSize: -1 } }, "warmPool.minSize", /must be a whole number >= 0/],
  [
    "a prepared capacity below capacity.min",
    { capacity: { min: 3, max: 6 }, warmPool: { maxGroupPreparedCapacity: 2 } },
    "warmPool.maxGroupPreparedCapacity",
    /must be a whole number >= capacity.min \(3\) and >= warmPool.minSize \(0\).*Fix: leave it out/,
  ],
  [
    "a warm pool with a mixed instances policy",
    { warmPool: {}, mixedInstances: { onDemandPercentageAboveBaseCapacity: 0 } },
    "warmPool",
    /cannot be combined with mixedInstances: AWS refuses a warm pool on a group with a mixed instances policy or Spot instances \(PutWarmPool\)/,
  ],
  [
    "a warm pool on a stateful fleet",
    { ...LOCK, stateful: {}, warmPool: {} },
    "warmPool",
    /cannot be combined with stateful: .*would skip its drain handler.*Fix: remove warmPool/,
  ],
  [
    "a warm pool without the bootstrap gate",
    { bootstrapGate: { enabled: false }, warmPool: {} },
    "warmPool",
    /needs the bootstrap gate: without a launch lifecycle hook AWS stops \(or hibernates\) a warming instance as soon as it launches.*Fix: turn the bootstrap gate back on/,
  ],
  // Extra ingress and security groups
  [
    "an ingress rule without a description",
    { extraIngress: [{ description: "", port: 9100, securityGroupId: sg(1) }] },
    "extraIngress[0].description",
    /must be 1-255 characters.*Fix: say who connects/,
  ],
  [
    "an ingress description with characters EC2 refuses",
    { extraIngress: [{ description: "node exporter <metrics>", port: 9100, securityGroupId: sg(1) }] },
    "extraIngress[0].description",
    /EC2's rule description characters/,
  ],
  [
    "an ingress port out of range",
    { extraIngress: [{ description: "metrics", port: 0, securityGroupId: sg(1) }] },
    "extraIngress[0].port",
    /must be a port 1-65535/,
  ],
  [
    "an ingress range that ends before it starts",
    { extraIngress: [{ description: "metrics", port: 9110, toPort: 9100, securityGroupId: sg(1) }] },
    "extraIngress[0].toPort",
    /must be >= port \(9110\)/,
  ],
  [
    "an ingress protocol other than tcp or udp",
    { extraIngress: [{ description: "ping", port: 1, protocol: "icmp", securityGroupId: sg(1) }] },
    "extraIngress[0].protocol",
    /must be "tcp" or "udp"/,
  ],
  [
    "an ingress rule with both sources",
    { extraIngress: [{ description: "metrics", port: 9100, cidr: "10.0.0.0/16", securityGroupId: sg(1) }] },
    "extraIngress[0]",
    /needs exactly one of cidr and securityGroupId/,
  ],
  [
    "an ingress rule without a source",
    { extraIngress: [{ description: "metrics", port: 9100 }] },
    "extraIngress[0]",
    /needs exactly one of cidr and securityGroupId/,
  ],
  [
    "an ingress CIDR with host bits set",
    { extraIngress: [{ description: "bastion", port: 22, cidr: "10.0.3.7/16" }] },
    "extraIngress[0].cidr",
    /has host bits set.*Fix: use "10\.0\.0\.0\/16"/,
  ],
  [
    "an ingress rule open to the internet",
    { extraIngress: [{ description: "ssh", port: 22, cidr: "0.0.0.0/0" }] },
    "extraIngress[0].cidr",
    /admits the internet \(at least half of the public IPv4 space\); instances sit in private subnets.*Fix: admit a narrow range/,
  ],
  [
    "an ingress source group that is not an ID",
    { extraIngress: [{ description: "metrics", port: 9100, securityGroupId: "monitoring" }] },
    "extraIngress[0].securityGroupId",
    /is not a security group ID/,
  ],
  [
    "more than four extra security groups",
    { extraSecurityGroupIds: [sg(1), sg(2), sg(3), sg(4), sg(5)] },
    "extraSecurityGroupIds",
    /lists 5 groups; a network interface takes 5 security groups by default \(Amazon VPC quota\) and the fleet's own group is one of them/,
  ],
  [
    "an extra security group listed twice",
    { extraSecurityGroupIds: [sg(1), sg(1)] },
    "extraSecurityGroupIds",
    /lists a security group twice/,
  ],
  [
    "an extra security group that is not an ID",
    { extraSecurityGroupIds: ["database"] },
    "extraSecurityGroupIds[0]",
    /is not a security group ID/,
  ],
  // Target protocol, version, health check and algorithm
  ["an unknown target protocol", { targetProtocol: "TCP" as never }, "targetProtocol", /must be "HTTP", "HTTPS".*Fix: use "HTTP"/],
  ["an unknown protocol version", { targetProtocolVersion: "HTTP3" as never }, "targetProtocolVersion", /must be "HTTP1", "HTTP2", "GRPC"/],
  [
    "an unknown load-balancing algorithm",
    { loadBalancingAlgorithm: "random" as never },
    "loadBalancingAlgorithm",
    /must be "round_robin", "least_outstanding_requests", "weighted_random"/,
  ],
  [
    "slow start with least outstanding requests",
    { loadBalancingAlgorithm: "least_outstanding_requests", slowStartSeconds: 60 },
    "slowStartSeconds",
    /cannot be combined with loadBalancingAlgorithm "least_outstanding_requests": ALB allows slow start mode with round robin only/,
  ],
  [
    "slow start with weighted random",
    { loadBalancingAlgorithm: "weighted_random", slowStartSeconds: 60 },
    "slowStartSeconds",
    /round robin only/,
  ],
  [
    "target stickiness with weighted random",
    { loadBalancingAlgorithm: "weighted_random", stickinessSeconds: 3600 },
    "stickinessSeconds",
    /cannot be combined with loadBalancingAlgorithm "weighted_random": ALB does not offer sticky sessions with it/,
  ],
  [
    "anomaly mitigation without weighted random",
    { anomalyMitigation: true },
    "anomalyMitigation",
    /needs loadBalancingAlgorithm "weighted_random" \(it is "round_robin"\).*Fix: set loadBalancingAlgorithm to "weighted_random"/,
  ],
  ["an unknown health check protocol", { healthCheck: { protocol: "TCP" as never } }, "healthCheck.protocol", /must be "HTTP" or "HTTPS"/],
  [
    "an HTTPS health check on an HTTP app port",
    { healthCheck: { protocol: "HTTPS" } },
    "healthCheck.protocol",
    /differs from targetProtocol \("HTTP"\): the health check calls the app port, which speaks HTTP only.*Fix: leave healthCheck.protocol out \(it follows targetProtocol\), or set targetProtocol to "HTTPS"/,
  ],
  [
    "HTTP codes as a gRPC matcher",
    {
      targetProtocolVersion: "GRPC",
      bootstrapGate: { readinessCommand: "grpc_health_probe -addr=127.0.0.1:80" },
      healthCheck: { matcher: "200" },
    },
    "healthCheck.matcher",
    /must be gRPC status codes 0-99 for a gRPC fleet/,
  ],
  [
    "a gRPC health check that is a path, not a method",
    {
      targetProtocolVersion: "GRPC",
      bootstrapGate: { readinessCommand: "grpc_health_probe -addr=127.0.0.1:80" },
      healthCheck: { path: "/health" },
    },
    "healthCheck.path",
    /must be a gRPC method \/package.service\/method for a gRPC fleet.*Fix: use e.g. "\/grpc.health.v1.Health\/Check"/,
  ],
  [
    "a gRPC fleet whose bootstrap gate would check readiness with HTTP",
    { targetProtocolVersion: "GRPC" },
    "bootstrapGate.readinessCommand",
    /is required for a gRPC fleet \(targetProtocolVersion "GRPC"\): the default readiness check is an HTTP request.*Fix: give a command that calls your health service/,
  ],
];

describe("day-one fleet options reject bad props with field, value, limit and fix", () => {
  test.each(cases)("%s", (_label, overrides, field, message) => {
    const error = errorOf(overrides);
    const violation = error.violations.find((v) => v.field.endsWith(` ${field}`));
    expect({ field, found: violation !== undefined, message: error.message }).toEqual({
      field,
      found: true,
      message: expect.stringMatching(message),
    });
    expect(error.message).toContain(`${field} = `);
  });
});

describe("what the day-one options accept", () => {
  test("Spot above the base keeps capacity.min On-Demand, picks Spot price-capacity-optimized and rebalances", () => {
    const fleet = resolveFleetProps(
      fleetProps({
        instanceType: "m7i.large",
        capacity: { min: 2, max: 8 },
        mixedInstances: { instanceTypes: ["m7i.large", "m6i.large", "m5.large"], onDemandPercentageAboveBaseCapacity: 0 },
      }),
    );
    expect(fleet.mixedInstances).toEqual({
      instanceTypes: ["m7i.large", "m6i.large", "m5.large"],
      onDemandBaseCapacity: 2,
      onDemandPercentageAboveBaseCapacity: 0,
      spotAllocationStrategy: "price-capacity-optimized",
      capacityRebalance: true,
      usesSpot: true,
    });
  });

  test("a mixed policy alone runs nothing on Spot: the On-Demand share defaults to 100 % and rebalancing stays off", () => {
    const fleet = resolveFleetProps(fleetProps({ mixedInstances: { instanceTypes: ["t3.small", "t3a.small"] } }));
    expect(fleet.mixedInstances).toMatchObject({ onDemandPercentageAboveBaseCapacity: 100, usesSpot: false, capacityRebalance: false });
  });

  test("a stateful fleet may use several instance types On-Demand", () => {
    expect(() =>
      resolveFleetProps(fleetProps({ ...LOCK, stateful: {}, mixedInstances: { instanceTypes: ["t3.small", "t3a.small"] } })),
    ).not.toThrow();
  });

  test("a warm pool defaults to Stopped, no minimum, the group's max, no reuse", () => {
    expect(resolveFleetProps(fleetProps({ warmPool: {} })).warmPool).toEqual({
      poolState: "Stopped",
      minSize: 0,
      maxGroupPreparedCapacity: undefined,
      reuseOnScaleIn: false,
    });
  });

  test("gRPC fleets get AWS's gRPC health check defaults; HTTPS fleets check health over HTTPS", () => {
    const grpc = resolveFleetProps(
      fleetProps({
        targetProtocol: "HTTPS",
        targetProtocolVersion: "GRPC",
        bootstrapGate: { readinessCommand: "grpc_health_probe -addr=127.0.0.1:80 -tls -tls-no-verify" },
      }),
    );
    expect(grpc.healthCheck).toMatchObject({ path: "/AWS.ALB/healthcheck", matcher: "12", protocol: "HTTPS" });
    expect(resolveFleetProps(fleetProps({ targetProtocol: "HTTPS" })).healthCheck.protocol).toBe("HTTPS");
  });

  test("Graviton families are told from x86 ones by the letter after the generation", () => {
    expect(["t4g.small", "m7gd.large", "c7gn.xlarge", "a1.large", "im4gn.large", "g5g.xlarge"].map(instanceArchitecture)).toEqual(
      Array(6).fill("arm64"),
    );
    expect(["t3.small", "m7i.large", "g4dn.xlarge", "c6in.large", "m7i-flex.large", "p4d.24xlarge"].map(instanceArchitecture)).toEqual(
      Array(6).fill("x86_64"),
    );
  });
});
