/**
 * The day-one router options (SNI certificates, a WAF web ACL, Route 53 aliases, dual-stack, the
 * HTTP/2 switch) refuse bad input before any resource exists, with one message naming field,
 * value, limit and fix: one case per validation error. And the router refuses HTTP/2 and gRPC
 * fleets behind a listener that cannot serve them.
 */
import { AnnotationMetadataEntryType } from "cdktf";
import { TrafficRouterProps } from "../../../lib/router/traffic-router-props";
import { synthJson } from "../../support/synth";
import { CERTIFICATE_ARN, configError, routerError, twoFleets } from "./router-fixtures";

const SECOND_CERTIFICATE = "arn:aws:acm:ap-northeast-1:123456789012:certificate/1a2b3c4d-5e6f-7081-9203-b4c5d6e7f8a9";
const certificate = (n: number) =>
  `arn:aws:acm:ap-northeast-1:123456789012:certificate/00000000-0000-0000-0000-${String(n).padStart(12, "0")}`;

describe("day-one TrafficRouter options reject bad props with field, value, limit and fix", () => {
  test.each<[string, Partial<TrafficRouterProps>, RegExp[]]>([
    [
      "an unknown address type",
      { ipAddressType: "ipv6" as never },
      [/ipAddressType = "ipv6"/, /must be "ipv4" or "dualstack"/, /Fix: use "dualstack"/],
    ],
    [
      "an IPv6 range with host bits set",
      { ipAddressType: "dualstack", ingressIpv6Cidrs: ["2001:db8::1/32"] },
      [/ingressIpv6Cidrs\[0\] = "2001:db8::1\/32"/, /host bits set/, /Fix: use "2001:db8::\/32"/],
    ],
    [
      "an IPv6 range that is not one",
      { ipAddressType: "dualstack", ingressIpv6Cidrs: ["2001:db8::/129"] },
      [/ingressIpv6Cidrs\[0\] = "2001:db8::\/129"/, /is not an IPv6 CIDR such as "::\/0" or "2001:db8::\/32"/, /Fix: fix the CIDR/],
    ],
    [
      "an IPv6 range listed twice",
      { ipAddressType: "dualstack", ingressIpv6Cidrs: ["2001:db8::/32", "2001:db8::/32"] },
      [/ingressIpv6Cidrs = \[/, /lists a CIDR twice/],
    ],
    [
      "IPv6 clients on a load balancer declared IPv4 only",
      { ipAddressType: "ipv4", ingressIpv6Cidrs: ["::/0"] },
      [
        /ingressIpv6Cidrs = \["::\/0"\]/,
        /admits IPv6 clients, but ipAddressType "ipv4" gives the load balancer no IPv6 address/,
        /Fix: set ipAddressType to "dualstack"/,
      ],
    ],
    [
      "a dual-stack load balancer whose IPv4 side was narrowed and that admits no IPv6 client",
      { ipAddressType: "dualstack", ingressCidrs: ["203.0.113.0/24"] },
      [/ingressIpv6Cidrs = \[\]/, /admits no IPv6 client/, /Fix: list the IPv6 ranges to admit/],
    ],
    [
      "extra certificates on an HTTP-only router",
      { httpOnly: true, certificateArn: undefined, additionalCertificateArns: [SECOND_CERTIFICATE] },
      [/additionalCertificateArns = \[/, /together with httpOnly: true, which has no HTTPS listener/],
    ],
    [
      "more than 25 extra certificates",
      { additionalCertificateArns: Array.from({ length: 26 }, (_, i) => certificate(i)) },
      [
        /additionalCertificateArns = "26 certificates"/,
        /is more than 25, AWS's quota of certificates per Application Load Balancer/,
        /Fix: cover several names with one certificate/,
      ],
    ],
    [
      "a certificate listed twice",
      { additionalCertificateArns: [SECOND_CERTIFICATE, SECOND_CERTIFICATE] },
      [/additionalCertificateArns = /, /lists a certificate twice/],
    ],
    [
      "a certificate ARN that is not one",
      { additionalCertificateArns: ["www-cert"] },
      [/additionalCertificateArns\[0\] = "www-cert"/, /not a well-formed acm ARN/],
    ],
    [
      "a certificate of another service",
      { additionalCertificateArns: ["arn:aws:s3:::bucket/cert.pem"] },
      [/additionalCertificateArns\[0\]/, /not a well-formed acm ARN/],
    ],
    [
      "the default certificate again",
      { additionalCertificateArns: [CERTIFICATE_ARN] },
      [/additionalCertificateArns\[0\] = "arn:aws:acm:/, /is the listener's default certificate/, /Fix: remove it/],
    ],
    [
      "a CloudFront web ACL",
      { webAclArn: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/a1b2c3d4-5678-90ab-cdef-0123456789ab" },
      [
        /webAclArn = "arn:aws:wafv2:us-east-1:123456789012:global/,
        /is a CloudFront \(global\) web ACL; a load balancer takes a regional web ACL only/,
        /Fix: create the web ACL with scope REGIONAL/,
      ],
    ],
    [
      "a web ACL ARN that is not one",
      { webAclArn: "arn:aws:waf::123456789012:webacl/old" },
      [/webAclArn = "arn:aws:waf::/, /is not the ARN of a regional AWS WAF web ACL/, /Fix: copy the ARN/],
    ],
    [
      "a hosted zone ID that is not one",
      { dnsAliases: [{ zoneId: "example.com", name: "www.example.com" }] },
      [/dnsAliases\[0\]\.zoneId = "example.com"/, /is not a Route 53 hosted zone ID/, /Fix: copy the ID of the existing zone/],
    ],
    [
      "a record name that is not a DNS name",
      { dnsAliases: [{ zoneId: "Z0123456789ABCDEFGHIJ", name: "www_example" }] },
      [/dnsAliases\[0\]\.name = "www_example"/, /is not a DNS name of two or more labels/, /Fix: write the full name/],
    ],
    [
      "a record name listed twice",
      {
        dnsAliases: [
          { zoneId: "Z0123456789ABCDEFGHIJ", name: "www.example.com" },
          { zoneId: "Z0123456789ABCDEFGHIJ", name: "WWW.example.com." },
        ],
      },
      [/dnsAliases\[1\]\.name = "WWW.example.com."/, /is listed twice \(names are case-insensitive\)/],
    ],
  ])("rejects %s", (_case, overrides, patterns) => {
    const error = routerError(overrides);
    for (const pattern of patterns) expect(error.message).toMatch(pattern);
  });

  test("IPv6 ingress without a declared address type still synthesizes, with a warning that says how to make it reachable", () => {
    const env = twoFleets({ ingressIpv6Cidrs: ["2001:db8::/32"] });
    env.router.setRoutingTable({ default: env.rails3 });
    synthJson(env.stack);
    const warnings = env.router.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => String(m.data));
    expect(warnings).toContainEqual(
      expect.stringMatching(
        /ingressIpv6Cidrs admits IPv6 clients, but the load balancer has IPv6 addresses only when it is dual-stack\. Fix: set ipAddressType: "dualstack"/,
      ),
    );
  });
});

describe("HTTP/2 and gRPC fleets need an HTTPS listener with HTTP/2 on", () => {
  test("an httpOnly router refuses a gRPC fleet, naming the fleet and the fix", () => {
    const env = twoFleets(
      { httpOnly: true, certificateArn: undefined },
      { rails4: { targetProtocolVersion: "GRPC", bootstrapGate: { readinessCommand: "grpc_health_probe -addr=127.0.0.1:80" } } },
    );
    const error = configError(() =>
      env.router.setRoutingTable({ default: env.rails3, routes: [{ name: "rpc", match: { paths: ["/rpc.Service/*"] }, to: env.rails4 }] }),
    );
    expect(error.message).toMatch(
      /fleets = "rails4": is a GRPC fleet \(targetProtocolVersion "GRPC"\), which ALB serves from HTTPS listeners only; this router is httpOnly/,
    );
    expect(error.message).toMatch(/Fix: give the router a certificate instead of httpOnly/);
    expect(env.router.rules.size + env.router.anchorRules.size).toBe(0);
  });

  test("a router with HTTP/2 off refuses an HTTP/2 fleet, whose requests would all arrive as HTTP/1.1", () => {
    const env = twoFleets({ http2Enabled: false }, { rails4: { targetProtocol: "HTTPS", targetProtocolVersion: "HTTP2" } });
    const error = configError(() => env.router.setRoutingTable({ default: env.rails4 }));
    expect(error.message).toMatch(/fleets = "rails4": is a HTTP2 fleet .* but the load balancer has HTTP\/2 off \(http2Enabled: false\)/);
    expect(error.message).toMatch(/Fix: turn http2Enabled back on/);
  });

  test("HTTP/1.1 fleets are routed by either router", () => {
    const env = twoFleets({ http2Enabled: false });
    expect(() => env.router.setRoutingTable({ default: env.rails3 })).not.toThrow();
  });
});
