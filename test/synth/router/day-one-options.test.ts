/**
 * The day-one router options in the synthesized Terraform: SNI certificates on the HTTPS
 * listener, a WAF web ACL association, Route 53 alias records, dual-stack, the HTTP/2 switch.
 * WAF and Route 53 are references to existing resources: nothing of theirs is created.
 */
import { resourcesOf, synthJson, TerraformJson } from "../../support/synth";
import { TrafficRouterProps } from "../../../lib/router/traffic-router-props";
import { blockOf, TwoFleets, twoFleets } from "./router-fixtures";

const WWW_CERTIFICATE = "arn:aws:acm:ap-northeast-1:123456789012:certificate/1a2b3c4d-5e6f-7081-9203-b4c5d6e7f8a9";
const API_CERTIFICATE = "arn:aws:acm:ap-northeast-1:123456789012:certificate/2b3c4d5e-6f70-8192-0314-c5d6e7f8a9b0";
const IAM_CERTIFICATE = "arn:aws:iam::123456789012:server-certificate/legacy/shop.example.net";
const WEB_ACL = "arn:aws:wafv2:ap-northeast-1:123456789012:regional/webacl/web-acl/a1b2c3d4-5678-90ab-cdef-0123456789ab";
const ZONE = "Z0123456789ABCDEFGHIJ";

function synthWith(props: Partial<TrafficRouterProps>): { env: TwoFleets; json: TerraformJson } {
  const env = twoFleets(props);
  env.router.setRoutingTable({ default: env.rails3 });
  return { env, json: synthJson(env.stack) };
}

const lbRef = (attribute: string) => expect.stringMatching(new RegExp(`^\\$\\{aws_lb\\.Router_LoadBalancer_[0-9A-F]+\\.${attribute}\\}$`));

describe("additional listener certificates (SNI)", () => {
  let env: TwoFleets;
  let json: TerraformJson;
  beforeAll(() => {
    ({ env, json } = synthWith({ additionalCertificateArns: [WWW_CERTIFICATE, API_CERTIFICATE, IAM_CERTIFICATE] }));
  });

  test("each certificate is attached to the HTTPS listener, and the default certificate stays the listener's own", () => {
    const attached = Object.values(resourcesOf(json, "aws_lb_listener_certificate"));
    expect(attached.map((c) => c.certificate_arn).sort()).toEqual([WWW_CERTIFICATE, API_CERTIFICATE, IAM_CERTIFICATE].sort());
    const https = `\${aws_lb_listener.${env.router.httpsListener!.friendlyUniqueId}.arn}`;
    expect(attached.every((c) => c.listener_arn === https)).toBe(true);
    expect(blockOf(json, env.router.httpsListener!).certificate_arn).toMatch(/^arn:aws:acm:/);
  });

  test("a certificate's address comes from its ARN: removing one leaves the others' addresses, so they are not replaced", () => {
    const addresses = (j: TerraformJson) =>
      Object.fromEntries(Object.entries(resourcesOf(j, "aws_lb_listener_certificate")).map(([id, c]) => [c.certificate_arn, id]));
    const before = addresses(json);
    const after = addresses(synthWith({ additionalCertificateArns: [API_CERTIFICATE, IAM_CERTIFICATE] }).json);
    expect(after).toEqual({ [API_CERTIFICATE]: before[API_CERTIFICATE], [IAM_CERTIFICATE]: before[IAM_CERTIFICATE] });
  });

  test("without the option there is no listener certificate resource", () => {
    expect(resourcesOf(synthWith({}).json, "aws_lb_listener_certificate")).toEqual({});
  });
});

describe("WAF web ACL", () => {
  test("the existing web ACL is associated with the load balancer, and no web ACL is created", () => {
    const { json } = synthWith({ webAclArn: WEB_ACL });
    expect(Object.values(resourcesOf(json, "aws_wafv2_web_acl_association"))).toEqual([
      { resource_arn: lbRef("arn"), web_acl_arn: WEB_ACL },
    ]);
    expect(resourcesOf(json, "aws_wafv2_web_acl")).toEqual({});
  });
});

describe("Route 53 alias records", () => {
  test("an IPv4 load balancer gets an A alias per name in the existing zone, never overwriting a record", () => {
    const { json } = synthWith({
      dnsAliases: [
        { zoneId: ZONE, name: "www.example.com" },
        { zoneId: ZONE, name: "example.com" },
      ],
    });
    const records = Object.values(resourcesOf(json, "aws_route53_record")).sort((a, b) => a.name.localeCompare(b.name));
    expect(records).toEqual([
      {
        zone_id: ZONE,
        name: "example.com",
        type: "A",
        allow_overwrite: false,
        alias: { name: lbRef("dns_name"), zone_id: lbRef("zone_id"), evaluate_target_health: true },
      },
      {
        zone_id: ZONE,
        name: "www.example.com",
        type: "A",
        allow_overwrite: false,
        alias: { name: lbRef("dns_name"), zone_id: lbRef("zone_id"), evaluate_target_health: true },
      },
    ]);
    expect(resourcesOf(json, "aws_route53_zone")).toEqual({});
  });

  test("a dual-stack load balancer gets an AAAA alias beside each A alias", () => {
    const { json } = synthWith({ ipAddressType: "dualstack", dnsAliases: [{ zoneId: ZONE, name: "www.example.com" }] });
    expect(
      Object.values(resourcesOf(json, "aws_route53_record"))
        .map((r) => [r.name, r.type])
        .sort(),
    ).toEqual([
      ["www.example.com", "A"],
      ["www.example.com", "AAAA"],
    ]);
  });
});

describe("dual-stack and HTTP/2", () => {
  test("dual-stack with the default IPv4 ingress opens 443 and 80 to the IPv6 internet too", () => {
    const { env, json } = synthWith({ ipAddressType: "dualstack" });
    expect(blockOf(json, env.router.loadBalancer).ip_address_type).toBe("dualstack");
    const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).filter((r) =>
      r.security_group_id.includes("Router_SecurityGroup"),
    );
    expect(ingress.map((r) => `${r.cidr_ipv4 ?? r.cidr_ipv6} ${r.from_port}`).sort()).toEqual([
      "0.0.0.0/0 443",
      "0.0.0.0/0 80",
      "::/0 443",
      "::/0 80",
    ]);
  });

  test("dual-stack with a narrowed IPv4 ingress admits only the IPv6 ranges listed", () => {
    const { json } = synthWith({ ipAddressType: "dualstack", ingressCidrs: ["203.0.113.0/24"], ingressIpv6Cidrs: ["2001:db8:1234::/48"] });
    const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).filter((r) =>
      r.security_group_id.includes("Router_SecurityGroup"),
    );
    expect(ingress.map((r) => r.cidr_ipv4 ?? r.cidr_ipv6).sort()).toEqual([
      "2001:db8:1234::/48",
      "2001:db8:1234::/48",
      "203.0.113.0/24",
      "203.0.113.0/24",
    ]);
  });

  test("by default the address type is left to AWS (IPv4) and HTTP/2 is on; http2Enabled: false turns it off", () => {
    const { env, json } = synthWith({});
    expect(blockOf(json, env.router.loadBalancer).ip_address_type).toBeUndefined();
    expect(blockOf(json, env.router.loadBalancer).enable_http2).toBe(true);
    const off = synthWith({ http2Enabled: false });
    expect(blockOf(off.json, off.env.router.loadBalancer).enable_http2).toBe(false);
  });
});

describe("what the props leave out stays reachable through the escape hatches (README, left to the escape hatches)", () => {
  test("router.loadBalancer takes the address type the props do not offer, dual-stack without public IPv4, and the IPv6 rules follow the prop", () => {
    const env = twoFleets({ ingressIpv6Cidrs: ["::/0"] });
    env.router.loadBalancer.ipAddressType = "dualstack-without-public-ipv4";
    env.router.setRoutingTable({ default: env.rails3 });
    const json = synthJson(env.stack);
    expect(blockOf(json, env.router.loadBalancer).ip_address_type).toBe("dualstack-without-public-ipv4");
    const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).filter((r) =>
      r.security_group_id.includes("Router_SecurityGroup"),
    );
    expect(
      ingress
        .filter((r) => r.cidr_ipv6 === "::/0")
        .map((r) => r.from_port)
        .sort(),
    ).toEqual([443, 80]);
  });
});
