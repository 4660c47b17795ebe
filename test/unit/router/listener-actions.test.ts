/** Compiled actions and conditions translate one-to-one into listener rule blocks. */
import { ConfigError } from "../../../lib/core/errors";
import { allocateAnchorRules, anchorPriorities } from "../../../lib/router/anchor-rules";
import { forwardAction, ruleConstructIds, toAction, toCondition } from "../../../lib/router/listener-actions";
import { RoutableFleet } from "../../../lib/router/routable-fleet";
import { cidrNetworkAddress } from "../../../lib/core/cidr";
import { resolveRouterProps } from "../../../lib/router/traffic-router-props";

const fleet = (name: string): RoutableFleet =>
  ({
    name,
    targetGroupArn: `tg-${name}`,
    securityGroupId: "sg-1",
    appPort: 80,
    minCapacity: 1,
    trafficGate: { fqn: name },
  }) as RoutableFleet;

describe("listener actions", () => {
  test("a forward keeps every target and weight, and adds group stickiness only when asked", () => {
    expect(
      forwardAction({
        type: "forward",
        targets: [
          { fleet: fleet("a"), weight: 9 },
          { fleet: fleet("b"), weight: 0 },
        ],
      }),
    ).toEqual({
      type: "forward",
      forward: {
        targetGroup: [
          { arn: "tg-a", weight: 9 },
          { arn: "tg-b", weight: 0 },
        ],
      },
    });
    expect(
      forwardAction({ type: "forward", targets: [{ fleet: fleet("a"), weight: 1 }], groupStickinessSeconds: 60 }).forward!.stickiness,
    ).toEqual({
      enabled: true,
      duration: 60,
    });
  });

  test("a fixed response keeps status, content type and body", () => {
    expect(toAction({ type: "fixed-response", statusCode: 503, contentType: "text/html", body: "<p>down</p>" })).toEqual({
      type: "fixed-response",
      fixedResponse: { statusCode: "503", contentType: "text/html", messageBody: "<p>down</p>" },
    });
  });

  test("a redirect URL is split into the parts an ALB redirect takes", () => {
    expect(toAction({ type: "redirect", url: "https://status.example.com/now?from=app", statusCode: 302 })).toEqual({
      type: "redirect",
      redirect: { protocol: "HTTPS", host: "status.example.com", port: "443", path: "/now", query: "from=app", statusCode: "HTTP_302" },
    });
    expect(toAction({ type: "redirect", url: "http://status.example.com:8080/", statusCode: 301 }).redirect).toEqual({
      protocol: "HTTP",
      host: "status.example.com",
      port: "8080",
      // Always explicit: omitted, the provider's default "#{query}" would copy the client's query string.
      query: "",
      path: "/",
      statusCode: "HTTP_301",
    });
  });

  test("a redirect to something that is not a URL is a ConfigError", () => {
    expect(() => toAction({ type: "redirect", url: "status page", statusCode: 302 })).toThrow(ConfigError);
  });
});

describe("listener conditions", () => {
  test.each([
    [{ type: "path-pattern", values: ["/a/*"] }, { pathPattern: { values: ["/a/*"] } }],
    [{ type: "host-header", values: ["a.example.com"] }, { hostHeader: { values: ["a.example.com"] } }],
    [
      { type: "http-header", name: "X-Backend-Version", values: ["4"] },
      { httpHeader: { httpHeaderName: "X-Backend-Version", values: ["4"] } },
    ],
    [
      { type: "query-string", values: [{ key: "v", value: "4" }, { value: "beta" }] },
      { queryString: [{ key: "v", value: "4" }, { value: "beta" }] },
    ],
    [{ type: "http-request-method", values: ["GET", "HEAD"] }, { httpRequestMethod: { values: ["GET", "HEAD"] } }],
    [{ type: "source-ip", values: ["10.0.0.0/8"] }, { sourceIp: { values: ["10.0.0.0/8"] } }],
  ] as const)("%o becomes %o", (compiled, expected) => {
    expect(toCondition(compiled as never)).toEqual(expected);
  });
});

describe("rule construct IDs", () => {
  test("come from the rule key alone", () => {
    expect(ruleConstructIds(["route-hoge-0", "host pin/assets4"], "r").get("host pin/assets4")).toBe("host-pin-assets4");
  });

  test("two keys that would share a Terraform address are a ConfigError naming both", () => {
    expect(() => ruleConstructIds(["route-a.b", "route-a-b"], 'TrafficRouter "web"')).toThrow(
      /"route-a-b": maps to the same Terraform address as rule "route-a.b"/,
    );
  });
});

describe("anchor priorities", () => {
  test("are distinct, valid, and unchanged for existing fleets when a fleet is added (through the stack lock)", () => {
    const first = allocateAnchorRules(["rails3", "rails4"]);
    const before = first.priorities;
    const after = allocateAnchorRules(["a-new-fleet", "rails3", "rails4", "rails5"], first.lock).priorities;
    expect(after.get("rails3")).toBe(before.get("rails3"));
    expect(after.get("rails4")).toBe(before.get("rails4"));
    const all = [...after.values()];
    expect(new Set(all).size).toBe(4);
    for (const p of all) expect(p >= 1 && p <= 50000).toBe(true);
  });

  test("stay distinct for many fleets", () => {
    const names = Array.from({ length: 300 }, (_, i) => `fleet${i}`);
    expect(new Set(anchorPriorities(names).values()).size).toBe(300);
  });
});

describe("router props", () => {
  test("defaults are the safe choices", () => {
    const resolved = resolveRouterProps({
      name: "web",
      vpcId: "vpc-0a1b2c3d4e5f60718",
      subnetIds: ["subnet-0a1b2c3d", "subnet-0a1b2c3e"],
      certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/x",
    });
    expect(resolved).toMatchObject({
      loadBalancerName: "web-alb",
      sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      ingressCidrs: ["0.0.0.0/0"],
      ingressIpv6Cidrs: [],
      internal: false,
      idleTimeoutSeconds: 60,
      deletionProtection: true,
      desyncMitigationMode: "defensive",
      httpOnly: false,
      maxRulesPerLoadBalancer: 100,
      accessLogs: { kind: "new-bucket", expirationDays: 90, forceDestroy: false, prefix: "alb" },
    });
  });

  test.each([
    ["203.0.113.7/24", "203.0.113.0/24"],
    ["10.1.2.3/8", "10.0.0.0/8"],
    ["255.255.255.255/32", "255.255.255.255/32"],
    ["192.168.1.1/0", "0.0.0.0/0"],
  ])("the network address of %s is %s", (cidr, network) => {
    expect(cidrNetworkAddress(cidr)).toBe(network);
  });
});
