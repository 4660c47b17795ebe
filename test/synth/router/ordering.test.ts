/**
 * Apply ordering: one `cdktf deploy` never moves traffic to a fleet before it is healthy, and a
 * new fleet can become healthy because its target group is attached by an anchor rule first.
 */
import { AppServerGroup } from "../../../lib/fleet/app-server-group";
import { PolicySuppressions } from "../../../lib/policy/suppressions";
import { fleetProps } from "../../support/fixtures";
import { resourcesOf, synthJson, TerraformJson } from "../../support/synth";
import { addressOf, blockOf, TwoFleets, twoFleets } from "./router-fixtures";

describe("TrafficRouter apply ordering", () => {
  let env: TwoFleets;
  let json: TerraformJson;

  beforeAll(() => {
    env = twoFleets();
    env.router.setRoutingTable({
      default: env.rails3,
      routes: [
        // rails4 receives traffic; rails3 is named with weight 0 (the start of a canary).
        {
          name: "canary",
          match: { paths: ["/canary/*"] },
          to: {
            weights: [
              { fleet: env.rails4, weight: 10 },
              { fleet: env.rails3, weight: 0 },
            ],
          },
        },
        { name: "legacy", match: { paths: ["/legacy/*"] }, to: env.rails3 },
      ],
    });
    json = synthJson(env.stack);
  });

  const ruleFor = (source: string) => env.router.compiled.rules.find((r) => r.source === source)!;

  test("each fleet's ASG waits for its own anchor rule", () => {
    const anchorsWaitedFor = (asg: typeof env.rails3.autoScalingGroup) =>
      (blockOf(json, asg).depends_on as string[]).filter((d) => d.startsWith("aws_lb_listener_rule."));
    expect(anchorsWaitedFor(env.rails3.autoScalingGroup)).toEqual([addressOf(env.router.anchorRules.get("rails3")!)]);
    expect(anchorsWaitedFor(env.rails4.autoScalingGroup)).toEqual([addressOf(env.router.anchorRules.get("rails4")!)]);
  });

  test("an anchor rule attaches the fleet's target group without waiting for its ASG", () => {
    const anchor = blockOf(json, env.router.anchorRules.get("rails4")!);
    expect(anchor.depends_on).toBeUndefined();
    expect(anchor.action).toEqual([
      { type: "forward", forward: { target_group: [{ arn: `\${${addressOf(env.rails4.targetGroup)}.arn}`, weight: 1 }] } },
    ]);
  });

  test("anchor rules route nothing: they match only the broadcast source address, on a listener clients cannot reach", () => {
    const anchorListener = blockOf(json, env.router.anchorListener);
    for (const anchor of env.router.anchorRules.values()) {
      const block = blockOf(json, anchor);
      expect(block.condition).toEqual([{ source_ip: { values: ["255.255.255.255/32"] } }]);
      expect(block.listener_arn).toBe(`\${${addressOf(env.router.anchorListener)}.arn}`);
    }
    const openPorts = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule"))
      .filter((r) => r.security_group_id === `\${${addressOf(env.router.securityGroup.securityGroup)}.id}`)
      .map((r) => r.from_port);
    expect(openPorts).not.toContain(anchorListener.port);
    expect(anchorListener.default_action[0].type).toBe("fixed-response");
  });

  test("the anchor listener speaks HTTPS with the router's certificate and TLS policy, so scanners need no exception for it", () => {
    const anchorListener = blockOf(json, env.router.anchorListener);
    const https = blockOf(json, env.router.httpsListener!);
    expect(anchorListener).toMatchObject({ protocol: "HTTPS", ssl_policy: https.ssl_policy, certificate_arn: https.certificate_arn });
    expect(PolicySuppressions.declaredOn(env.router.anchorListener)).toEqual([]);
    expect(env.router.node.tryFindChild("Anchors") && PolicySuppressions.declaredOn(env.router.node.findChild("Anchors"))).toEqual([]);
  });

  test("anchor priorities are distinct", () => {
    const priorities = [...env.router.anchorRules.values()].map((a) => blockOf(json, a).priority);
    expect(new Set(priorities).size).toBe(2);
  });

  test("a rule that sends traffic to a fleet waits for that fleet's ASG, and only for fleets with weight > 0", () => {
    expect(blockOf(json, env.router.rules.get(ruleFor("canary").key)!).depends_on).toEqual([addressOf(env.rails4.autoScalingGroup)]);
    expect(blockOf(json, env.router.rules.get(ruleFor("legacy").key)!).depends_on).toEqual([addressOf(env.rails3.autoScalingGroup)]);
  });

  test("the HTTPS listener, whose default action moves traffic too, waits for the default fleet's ASG", () => {
    expect(blockOf(json, env.router.httpsListener!).depends_on).toEqual([addressOf(env.rails3.autoScalingGroup)]);
  });

  test("nothing the anchors need waits for an ASG, so there is no dependency cycle", () => {
    // anchor -> anchor listener -> load balancer: none of them may depend on a fleet's ASG.
    for (const resource of [env.router.anchorListener, env.router.loadBalancer, ...env.router.anchorRules.values()]) {
      expect(JSON.stringify(blockOf(json, resource))).not.toContain("aws_autoscaling_group");
    }
  });
});

describe("a fleet behind the router that no rule names yet", () => {
  // An idle color, or a new version before its first route: its Auto Scaling group still waits for
  // healthy targets, which exist only once the target group is attached to the load balancer.
  let env: TwoFleets;
  let json: TerraformJson;

  beforeAll(() => {
    env = twoFleets();
    env.router.setRoutingTable({ default: env.rails3 });
    json = synthJson(env.stack);
  });

  test("gets an anchor rule that attaches its target group, and its ASG waits for it", () => {
    const anchor = env.router.anchorRules.get("rails4");
    expect(anchor).toBeDefined();
    expect(blockOf(json, anchor!).action[0].forward.target_group).toEqual([
      { arn: `\${${addressOf(env.rails4.targetGroup)}.arn}`, weight: 1 },
    ]);
    const waitsFor = (blockOf(json, env.rails4.autoScalingGroup).depends_on as string[]) ?? [];
    expect(waitsFor).toContain(addressOf(anchor!));
  });

  test("is reachable by the load balancer's health checks (egress to its app port)", () => {
    const egress = Object.values(resourcesOf(json, "aws_vpc_security_group_egress_rule")).filter(
      (r) => r.referenced_security_group_id === `\${${addressOf(env.rails4.securityGroup)}.id}`,
    );
    expect(egress).toHaveLength(1);
  });

  test("receives no traffic: no traffic rule or default action names its target group", () => {
    const rails4Arn = `\${${addressOf(env.rails4.targetGroup)}.arn}`;
    for (const rule of env.router.rules.values()) expect(JSON.stringify(blockOf(json, rule))).not.toContain(rails4Arn);
    expect(JSON.stringify(blockOf(json, env.router.httpsListener!).default_action)).not.toContain(rails4Arn);
  });

  test("a fleet created after setRoutingTable is refused: its anchor could no longer be counted against the quota", () => {
    const late = twoFleets();
    late.router.setRoutingTable({ default: late.rails3 });
    expect(() => late.router.attachFleet(late.rails4)).not.toThrow(); // already attached: a no-op
    expect(() => new AppServerGroup(late.stack, "Rails5", fleetProps({ name: "rails5", loadBalancer: late.router }))).toThrow(
      /fleets = "rails5".*create every fleet with loadBalancer: router first/s,
    );
  });
});
