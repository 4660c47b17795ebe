/** Bad input fails with a ConfigError that names the field, the value, the limit and the fix, before any resource exists. */
import { AppServerGroup } from "../../../lib/fleet/app-server-group";
import { DesyncMitigationMode, TrafficRouterProps } from "../../../lib/router/traffic-router-props";
import { fleetProps } from "../../support/fixtures";
import { synthJson } from "../../support/synth";
import { configError, routerError, twoFleets } from "./router-fixtures";

describe("TrafficRouter props validation", () => {
  test.each<[string, Partial<TrafficRouterProps>, RegExp[]]>([
    [
      "a name that is not lowercase letters, digits and hyphens",
      { name: "Web_1" },
      [/TrafficRouter "Web_1".* name = "Web_1"/, /lowercase letters/, /Fix: use a name such as/],
    ],
    [
      "a namespace and name that make the load balancer name longer than 32 characters",
      { namespace: "production-east1", name: "checkout-web" },
      [
        /namespace \+ name = "production-east1-checkout-web"/,
        /"production-east1-checkout-web-alb" 33 characters; AWS allows 32/,
        /Fix: shorten the namespace or the name to 28 characters/,
      ],
    ],
    [
      "fewer than two subnets",
      { subnetIds: ["subnet-0a1b2c3d4e5f60733"] },
      [/subnetIds = \["subnet-0a1b2c3d4e5f60733"\]/, /at least 2/, /Fix: list a public subnet in each of two/],
    ],
    [
      "a certificate ARN of another service",
      { certificateArn: "arn:aws:iam::123456789012:server-certificate/web" },
      [/certificateArn = "arn:aws:iam::123456789012:server-certificate\/web"/, /not a well-formed acm ARN/, /Fix: copy the full ARN/],
    ],
    ["a malformed certificate ARN", { certificateArn: "my-cert" }, [/certificateArn = "my-cert"/, /acm ARN/]],
    ["a CIDR that is not one", { ingressCidrs: ["10.0.0.0/33"] }, [/ingressCidrs\[0\] = "10.0.0.0\/33"/, /not an IPv4 CIDR/]],
    [
      "a CIDR with host bits set",
      { ingressCidrs: ["203.0.113.7/24"] },
      [/ingressCidrs\[0\] = "203.0.113.7\/24"/, /host bits set/, /Fix: use "203.0.113.0\/24"/],
    ],
    [
      "an IPv6 range that is not one",
      { ingressIpv6Cidrs: ["2001:db8::/129"] },
      [/ingressIpv6Cidrs\[0\] = "2001:db8::\/129"/, /not an IPv6 CIDR/],
    ],
    ["an idle timeout of 0", { idleTimeoutSeconds: 0 }, [/idleTimeoutSeconds = 0/, /from 1 to 4000/, /Fix: choose an idle timeout/]],
    ["an idle timeout above 4000", { idleTimeoutSeconds: 4001 }, [/idleTimeoutSeconds = 4001/, /from 1 to 4000/]],
    [
      "an SSL policy without TLS 1.3",
      { sslPolicy: "ELBSecurityPolicy-2016-08" },
      [/sslPolicy = "ELBSecurityPolicy-2016-08"/, /not a TLS 1.3 policy/, /Fix: use "ELBSecurityPolicy-TLS13-1-2-2021-06"/],
    ],
    [
      "a TLS 1.3 policy that still accepts TLS 1.0",
      { sslPolicy: "ELBSecurityPolicy-TLS13-1-0-2021-06" },
      [
        /sslPolicy = "ELBSecurityPolicy-TLS13-1-0-2021-06"/,
        /admits TLS 1\.0 although it is a TLS 1\.3 policy/,
        /Fix: use "ELBSecurityPolicy-TLS13-1-2-2021-06"/,
      ],
    ],
    [
      "a TLS 1.3 policy that still accepts TLS 1.1",
      { sslPolicy: "ELBSecurityPolicy-TLS13-1-1-2021-06" },
      [/admits TLS 1\.1 although it is a TLS 1\.3 policy/],
    ],
    [
      "httpOnly together with a certificate",
      { httpOnly: true },
      [/certificateArn = "arn:aws:acm:/, /together with httpOnly: true/, /Fix: remove httpOnly to serve HTTPS/],
    ],
    [
      "no certificate without httpOnly",
      { certificateArn: undefined },
      [/certificateArn = undefined/, /is required/, /or set httpOnly: true/],
    ],
    [
      "desync mitigation mode monitor",
      { desyncMitigationMode: "monitor" as DesyncMitigationMode },
      [/desyncMitigationMode = "monitor"/, /"monitor" forwards requests that may smuggle/, /Fix: use "defensive"/],
    ],
  ])("rejects %s", (_case, overrides, patterns) => {
    const error = routerError(overrides);
    for (const pattern of patterns) expect(error.message).toMatch(pattern);
  });

  test("reports every problem of one config together", () => {
    const error = routerError({ idleTimeoutSeconds: 0, subnetIds: [], sslPolicy: "ELBSecurityPolicy-2016-08" });
    expect(error.violations.map((v) => v.field.split(" ").pop())).toEqual(["subnetIds", "sslPolicy", "idleTimeoutSeconds"]);
  });
});

describe("TrafficRouter routing table validation", () => {
  test("refuses traffic to a fleet whose minimum capacity is 0, naming the fleet and the route", () => {
    const env = twoFleets({}, { rails4: { capacity: { min: 0, max: 2, desired: 0 } } });
    const error = configError(() =>
      env.router.setRoutingTable({
        default: env.rails3,
        routes: [{ name: "checkout", match: { paths: ["/checkout/*"] }, to: env.rails4 }],
      }),
    );
    expect(error.message).toMatch(/route "checkout" = "rails4"/);
    expect(error.message).toMatch(/sends traffic \(weight 1\) to fleet "rails4" whose capacity\.min is 0: no traffic to an empty fleet/);
    expect(error.message).toMatch(/Fix: give fleet "rails4" capacity\.min >= 1, or set its weight to 0 in route "checkout"/);
    // Nothing was created, so the table can be fixed and set.
    expect(env.router.rules.size + env.router.anchorRules.size).toBe(0);
  });

  test("refuses an empty fleet as the default", () => {
    const env = twoFleets({}, { rails3: { capacity: { min: 0, max: 2, desired: 0 } } });
    const error = configError(() => env.router.setRoutingTable({ default: env.rails3 }));
    expect(error.message).toMatch(/routing table default = "rails3"/);
  });

  test("allows an empty fleet in a split at weight 0", () => {
    const env = twoFleets({}, { rails4: { capacity: { min: 0, max: 2, desired: 0 } } });
    env.router.setRoutingTable({
      default: env.rails3,
      routes: [
        {
          name: "canary",
          match: { paths: ["/c/*"] },
          to: {
            weights: [
              { fleet: env.rails3, weight: 1 },
              { fleet: env.rails4, weight: 0 },
            ],
          },
        },
      ],
    });
    expect(env.router.rules.size).toBe(1);
  });

  test("refuses two different fleets with the same name", () => {
    const env = twoFleets();
    // Refused when the twin is created behind the router, before any routing table is read.
    const error = configError(
      () => new AppServerGroup(env.stack, "Rails4Twin", fleetProps({ name: "rails4", namespace: "other", loadBalancer: env.router })),
    );
    // The message names the fleet and a fix.
    expect(error.message).toMatch(/fleets = "rails4": (two|2) different fleets/);
    expect(error.message).toMatch(/Fix: (rename one fleet|give each AppServerGroup its own name)/);
  });

  test("counts anchor rules against the rules quota and names the fix", () => {
    const env = twoFleets({ limits: { maxRulesPerLoadBalancer: 3 } });
    const error = configError(() =>
      env.router.setRoutingTable({
        default: env.rails3,
        routes: [
          { name: "a", match: { paths: ["/a"] }, to: env.rails4 },
          { name: "b", match: { paths: ["/b"] }, to: env.rails4 },
        ],
      }),
    );
    expect(error.message).toMatch(/needs 4 listener rules \(2 compiled \+ 2 anchor rules, one per fleet\); the load balancer allows 3/);
    expect(error.message).toMatch(/raise limits\.maxRulesPerLoadBalancer/);
  });

  test("accepts the routing table only once", () => {
    const env = twoFleets();
    env.router.setRoutingTable({ default: env.rails3 });
    const error = configError(() => env.router.setRoutingTable({ default: env.rails4 }));
    expect(error.message).toMatch(/setRoutingTable = "second call": may be called once/);
    expect(error.message).toMatch(/Fix: build the whole table .* and pass it in one call/);
  });

  test("fails synth when the routing table was never set", () => {
    const env = twoFleets();
    expect(() => synthJson(env.stack)).toThrow(/TrafficRouter "web" .* has no routing table.*Fix: call router\.setRoutingTable/s);
  });
});
