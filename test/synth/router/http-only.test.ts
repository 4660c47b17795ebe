/** HTTP-only demo mode: explicit, loud, and still routed like the real thing. */
import { AnnotationMetadataEntryType } from "cdktf";
import { PolicySuppressions } from "../../../lib/policy/suppressions";
import { resourcesOf, synthJson, TerraformJson } from "../../support/synth";
import { addressOf, blockOf, TwoFleets, twoFleets } from "./router-fixtures";

describe("TrafficRouter in HTTP-only demo mode", () => {
  let env: TwoFleets;
  let json: TerraformJson;

  beforeAll(() => {
    env = twoFleets({ httpOnly: true, certificateArn: undefined });
    env.router.setRoutingTable({ default: env.rails3, routes: [{ name: "hoge", match: { paths: ["/hoge/*"] }, to: env.rails4 }] });
    json = synthJson(env.stack);
  });

  test("warns at synth that traffic is unencrypted", () => {
    const warnings = env.router.node.metadata
      .filter((m) => m.type === AnnotationMetadataEntryType.WARN)
      .map((m) => m.data as string)
      .filter((w) => !w.includes("has no lockFile")); // the lock warning has its own test (stack-lock.test.ts)
    expect(warnings).toEqual([expect.stringMatching(/HTTP-only: traffic, cookies and credentials cross the network unencrypted/)]);
  });

  test("has no HTTPS listener and opens only port 80", () => {
    expect(env.router.httpsListener).toBeUndefined();
    const listenerPorts = Object.values(resourcesOf(json, "aws_lb_listener"))
      .map((l) => l.port)
      .sort();
    expect(listenerPorts).toEqual([65535, 80]);
    const sg = `\${${addressOf(env.router.securityGroup.securityGroup)}.id}`;
    const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).filter((r) => r.security_group_id === sg);
    expect(ingress.map((r) => r.from_port)).toEqual([80]);
  });

  test("the HTTP listener forwards to the default fleet instead of redirecting, and waits for it", () => {
    const http = blockOf(json, env.router.httpListener);
    expect(http.default_action).toEqual([
      { type: "forward", forward: { target_group: [{ arn: `\${${addressOf(env.rails3.targetGroup)}.arn}`, weight: 1 }] } },
    ]);
    expect(http.depends_on).toEqual([addressOf(env.rails3.autoScalingGroup)]);
  });

  test("the anchor listener stays plain HTTP (there is no certificate), with its policy exception written next to it", () => {
    const anchor = blockOf(json, env.router.anchorListener);
    expect(anchor.protocol).toBe("HTTP");
    expect(anchor.certificate_arn).toBeUndefined();
    expect(PolicySuppressions.declaredOn(env.router.anchorListener)).toEqual([
      { id: "APF-HTTP-REDIRECT-ONLY", reason: expect.stringContaining("carries no client traffic") },
    ]);
  });

  test("the routing rules sit on the HTTP listener", () => {
    const [rule] = env.router.compiled.rules;
    expect(blockOf(json, env.router.rules.get(rule.key)!).listener_arn).toBe(`\${${addressOf(env.router.httpListener)}.arn}`);
  });
});

describe("TrafficRouter with HTTPS", () => {
  test("gives no HTTP-only warning", () => {
    const env = twoFleets();
    env.router.setRoutingTable({ default: env.rails3 });
    expect(
      env.router.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN && !String(m.data).includes("has no lockFile")),
    ).toEqual([]);
  });
});
