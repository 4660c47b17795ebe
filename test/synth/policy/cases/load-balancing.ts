/** Rule cases: load-balancing. */
import { AutoscalingGroup, Lb, LbListener, LbListenerRule, LbTargetGroup } from "../../../../lib/aws/resources";
import { RuleCase } from "../policy-helpers";
import { alb, launchTemplate, SUBNETS, targetGroup, VPC } from "./builders";

const CERTIFICATE = "arn:aws:acm:ap-northeast-1:123456789012:certificate/abc";

export const LOAD_BALANCING_CASES: readonly RuleCase[] = [
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
      const https = {
        loadBalancerArn: lb.arn,
        port: 443,
        protocol: "HTTPS",
        certificateArn: "arn:aws:acm:ap-northeast-1:123456789012:certificate/abc",
      };
      const forward = [{ type: "forward", targetGroupArn: tg.arn }];
      new LbListener(s, "OldPolicy", { ...https, sslPolicy: "ELBSecurityPolicy-2016-08", defaultAction: forward });
      new LbListener(s, "NoPolicy", { ...https, defaultAction: forward });
      new LbListener(s, "Tls13", { ...https, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", defaultAction: forward });
      // TLS 1.3 policies whose floor is TLS 1.0 or 1.1 (ELB security policy table).
      new LbListener(s, "Tls13AdmitsTls10", {
        ...https,
        port: 8443,
        sslPolicy: "ELBSecurityPolicy-TLS13-1-0-2021-06",
        defaultAction: forward,
      });
      new LbListener(s, "Tls13AdmitsTls11", {
        ...https,
        port: 8444,
        sslPolicy: "ELBSecurityPolicy-TLS13-1-1-2021-06",
        defaultAction: forward,
      });
      new LbListener(s, "Tls13Only", { ...https, port: 8445, sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06", defaultAction: forward });
      new LbListener(s, "Tls13Restricted", {
        ...https,
        port: 8446,
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
        defaultAction: forward,
      });
    },
    bad: ["OldPolicy", "NoPolicy", "Tls13AdmitsTls10", "Tls13AdmitsTls11"],
    good: ["Tls13", "Tls13Only", "Tls13Restricted"],
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
      new LbTargetGroup(s, "Disabled", {
        name: "off-hc",
        port: 80,
        protocol: "HTTP",
        vpcId: VPC,
        healthCheck: { enabled: false, path: "/health" },
      });
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
        new AutoscalingGroup(s, id, {
          name: id,
          minSize: 1,
          maxSize: 2,
          vpcZoneIdentifier: SUBNETS,
          launchTemplate: { id: lt.id },
          ...extra,
        });
      asg("Ec2Checks", { targetGroupArns: [tg.arn], healthCheckType: "EC2" });
      asg("ElbChecks", { targetGroupArns: [tg.arn], healthCheckType: "ELB" });
      asg("NoLoadBalancer", {});
    },
    bad: ["Ec2Checks"],
    good: ["ElbChecks", "NoLoadBalancer"],
  },
  {
    ruleId: "APF-LISTENER-HEADER-OVERRIDE",
    build: (s) => {
      const lb = alb(s, "Lb");
      const internalLb = alb(s, "InternalLb", { internal: true });
      const tg = targetGroup(s, "Tg");
      const defaultTg = targetGroup(s, "DefaultTg");
      const listener = (id: string, on: Lb) =>
        new LbListener(s, id, {
          loadBalancerArn: on.arn,
          port: 443,
          protocol: "HTTPS",
          sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
          certificateArn: CERTIFICATE,
          defaultAction: [{ type: "forward", targetGroupArn: defaultTg.arn }],
        });
      const https = listener("Https", lb);
      const internalHttps = listener("InternalHttps", internalLb);
      const header = { httpHeader: { httpHeaderName: "X-Backend-Version", values: ["3"] } };
      const forward = [{ type: "forward", forward: { targetGroup: [{ arn: tg.arn, weight: 1 }] } }];
      const rule = (id: string, condition: object[], action: object[] = forward, on = https) =>
        new LbListenerRule(s, id, { listenerArn: on.arn, priority: 1000 + id.length, condition, action } as never);
      rule("OverrideOpenToWorld", [header]);
      rule("TwoHeadersOpenToWorld", [header, { httpHeader: { httpHeaderName: "X-Debug", values: ["1"] } }]);
      rule("OverrideFromStaff", [header, { sourceIp: { values: ["203.0.113.0/24"] } }]);
      rule("OverrideFromEveryAddress", [header, { sourceIp: { values: ["0.0.0.0/1", "128.0.0.0/1", "::/0"] } }]);
      rule("HeaderAndPath", [header, { pathPattern: { values: ["/api/*"] } }]);
      rule("HeaderAnswersFixed", [header], [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "403" } }]);
      rule("OverrideOnInternalLb", [header], forward, internalHttps);
      // Forwards where the default action already sends everyone (a maintenance bypass catch-all).
      rule("HeaderToTheDefaultDestination", [header], [{ type: "forward", forward: { targetGroup: [{ arn: defaultTg.arn, weight: 5 }] } }]);
      // Same group as the default, plus a share of another: the header does pick a backend.
      const split = [
        {
          type: "forward",
          forward: {
            targetGroup: [
              { arn: defaultTg.arn, weight: 9 },
              { arn: tg.arn, weight: 1 },
            ],
          },
        },
      ];
      rule("HeaderToASplit", [header], split);
    },
    bad: ["OverrideOpenToWorld", "TwoHeadersOpenToWorld", "OverrideFromEveryAddress", "HeaderToASplit"],
    good: ["OverrideFromStaff", "HeaderAndPath", "HeaderAnswersFixed", "OverrideOnInternalLb", "HeaderToTheDefaultDestination"],
  },
];
