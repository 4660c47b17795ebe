/** The routing table becomes listener rules: one per compiled rule, translated one-to-one, at stable addresses. */
import { TerraformStack } from "cdktf";
import { RoutingTable } from "../../../lib/routing/types";
import { RoutableFleet } from "../../../lib/router/routable-fleet";
import { resourcesOf, synthJson, TerraformJson } from "../../support/synth";
import { addressOf, blockOf, TwoFleets, twoFleets } from "./router-fixtures";

const tgRef = (env: TwoFleets, fleet: "rails3" | "rails4") => `\${${addressOf(env[fleet].targetGroup)}.arn}`;

describe("TrafficRouter listener rules", () => {
  let env: TwoFleets;
  let json: TerraformJson;

  beforeAll(() => {
    env = twoFleets();
    env.router.setRoutingTable({
      default: env.rails3,
      routes: [
        {
          name: "hoge",
          match: { paths: ["/hoge/*", "/fuga/*"], hosts: ["www.example.com"] },
          to: { weights: [{ fleet: env.rails4, weight: 90 }, { fleet: env.rails3, weight: 10 }], stickySeconds: 3600 },
        },
        { name: "admin", match: { paths: ["/admin/piyo/*"] }, to: env.rails4 },
      ],
      overrideHeader: { name: "X-Backend-Version", values: { "3": env.rails3, "4": env.rails4 } },
      hostPins: [
        { hosts: ["assets3.example.com"], fleet: env.rails3 },
        { hosts: ["assets4.example.com"], fleet: env.rails4 },
      ],
      maintenance: { enabled: true, response: { type: "fixed-response", body: "<h1>maintenance</h1>" } },
    });
    json = synthJson(env.stack);
  });

  test("there is exactly one listener rule per compiled rule, on the HTTPS listener, at the compiler's priority", () => {
    const compiled = env.router.compiled.rules;
    const https = `\${${addressOf(env.router.httpsListener!)}.arn}`;
    const onHttps = Object.values(resourcesOf(json, "aws_lb_listener_rule")).filter((r) => r.listener_arn === https);
    expect(onHttps).toHaveLength(compiled.length);
    for (const rule of compiled) {
      const block = blockOf(json, env.router.rules.get(rule.key)!);
      expect(block.priority).toBe(rule.priority);
      expect(block.condition).toHaveLength(rule.conditions.length);
      expect(block.action[0].type).toBe(rule.action.type);
    }
  });

  test("a route's conditions become path_pattern and host_header conditions, values unchanged", () => {
    const rule = env.router.compiled.rules.find((r) => r.source === "hoge")!;
    const block = blockOf(json, env.router.rules.get(rule.key)!);
    expect(block.condition).toEqual(
      expect.arrayContaining([{ path_pattern: { values: ["/hoge/*", "/fuga/*"] } }, { host_header: { values: ["www.example.com"] } }]),
    );
  });

  test("a weighted split becomes a weighted forward with group stickiness", () => {
    const rule = env.router.compiled.rules.find((r) => r.source === "hoge")!;
    expect(blockOf(json, env.router.rules.get(rule.key)!).action).toEqual([
      {
        type: "forward",
        forward: {
          target_group: [
            { arn: tgRef(env, "rails4"), weight: 90 },
            { arn: tgRef(env, "rails3"), weight: 10 },
          ],
          stickiness: { enabled: true, duration: 3600 },
        },
      },
    ]);
  });

  test("a single fleet is still a weighted forward, so a later split changes weights in place", () => {
    const rule = env.router.compiled.rules.find((r) => r.source === "admin")!;
    expect(blockOf(json, env.router.rules.get(rule.key)!).action).toEqual([
      { type: "forward", forward: { target_group: [{ arn: tgRef(env, "rails4"), weight: 1 }] } },
    ]);
  });

  test("the override header sends X-Backend-Version: 4 to rails4", () => {
    const rules = env.router.compiled.rules.filter((r) => r.kind === "override-header");
    const blocks = rules.map((r) => blockOf(json, env.router.rules.get(r.key)!));
    const toRails4 = blocks.find((b) => JSON.stringify(b.action).includes(tgRef(env, "rails4")))!;
    expect(toRails4.condition).toContainEqual({ http_header: { http_header_name: "X-Backend-Version", values: ["4"] } });
  });

  test("a host pin sends assets4.example.com to rails4", () => {
    const rules = env.router.compiled.rules.filter((r) => r.kind === "host-pin");
    const blocks = rules.map((r) => blockOf(json, env.router.rules.get(r.key)!));
    const toRails4 = blocks.find((b) => JSON.stringify(b.action).includes(tgRef(env, "rails4")))!;
    expect(toRails4.condition).toContainEqual({ host_header: { values: ["assets4.example.com"] } });
  });

  test("maintenance answers with a fixed response and waits for no fleet", () => {
    const rule = env.router.compiled.rules.find((r) => r.kind === "maintenance" && r.action.type === "fixed-response")!;
    const block = blockOf(json, env.router.rules.get(rule.key)!);
    expect(block.action).toEqual([
      { type: "fixed-response", fixed_response: { content_type: "text/html", message_body: "<h1>maintenance</h1>", status_code: "503" } },
    ]);
    expect(block.depends_on).toBeUndefined();
  });

  test("every rule carries the route it came from as a tag", () => {
    for (const rule of env.router.compiled.rules) {
      expect(blockOf(json, env.router.rules.get(rule.key)!).tags).toMatchObject({ Route: rule.source, RuleKind: rule.kind });
    }
  });
});

describe("TrafficRouter rule addresses", () => {
  function build(table: (env: TwoFleets) => RoutingTable<RoutableFleet>): { stack: TerraformStack; env: TwoFleets } {
    const env = twoFleets();
    env.router.setRoutingTable(table(env));
    return { stack: env.stack, env };
  }
  const addressOfRoute = (env: TwoFleets, route: string) =>
    addressOf(env.router.rules.get(env.router.compiled.rules.find((r) => r.source === route)!.key)!);

  test("a rule's Terraform address and priority depend only on its route, not on its position in the table", () => {
    const hoge = { name: "hoge", match: { paths: ["/hoge/*"] } };
    const before = build((e) => ({ default: e.rails3, routes: [{ ...hoge, to: e.rails4 }] })).env;
    const after = build((e) => ({
      default: e.rails3,
      routes: [{ name: "fuga", match: { paths: ["/fuga/*"] }, to: e.rails4 }, { ...hoge, to: e.rails4 }],
    })).env;
    expect(addressOfRoute(after, "hoge")).toBe(addressOfRoute(before, "hoge"));
    const priority = (env: TwoFleets) => env.router.compiled.rules.find((r) => r.source === "hoge")!.priority;
    expect(priority(after)).toBe(priority(before));
    expect(addressOfRoute(after, "fuga")).not.toBe(addressOfRoute(after, "hoge"));
  });
});
