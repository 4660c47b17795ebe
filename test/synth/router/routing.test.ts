/** The routing table becomes listener rules: one per compiled rule, translated one-to-one, at stable addresses. */
import { TerraformStack } from "cdktf";
import { RoutingTable } from "../../../lib/routing/types";
import { RoutableFleet } from "../../../lib/router/routable-fleet";
import { InMemoryStackLock } from "../../../lib/lock/stack-lock-store";
import { atomOf, choicesOf, dimensionsOf, relateAtoms, sampleRequest } from "../../../lib/routing/atoms";
import { explain, toMatchableRequest, type ExplainRequest } from "../../../lib/routing/explain";
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
          to: {
            weights: [
              { fleet: env.rails4, weight: 90 },
              { fleet: env.rails3, weight: 10 },
            ],
            groupStickinessSeconds: 3600,
          },
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

describe("TrafficRouter rule addresses and priorities", () => {
  function build(
    table: (env: TwoFleets) => RoutingTable<RoutableFleet>,
    lockFile?: InMemoryStackLock,
  ): { stack: TerraformStack; env: TwoFleets } {
    const env = twoFleets(lockFile ? { lockFile } : {});
    env.router.setRoutingTable(table(env));
    synthJson(env.stack);
    return { stack: env.stack, env };
  }
  const addressOfRoute = (env: TwoFleets, route: string) =>
    addressOf(env.router.rules.get(env.router.compiled.rules.find((r) => r.source === route)!.key)!);

  test("a rule's Terraform address depends only on its route; with the lock file, so does its priority", () => {
    const hoge = { name: "hoge", match: { paths: ["/hoge/*"] } };
    const lock = new InMemoryStackLock();
    const before = build((e) => ({ default: e.rails3, routes: [{ ...hoge, to: e.rails4 }] }), lock).env;
    const after = build(
      (e) => ({
        default: e.rails3,
        routes: [
          { name: "fuga", match: { paths: ["/fuga/*"] }, to: e.rails4 },
          { ...hoge, to: e.rails4 },
        ],
      }),
      lock.copy(),
    ).env;
    expect(addressOfRoute(after, "hoge")).toBe(addressOfRoute(before, "hoge"));
    const priority = (env: TwoFleets) => env.router.compiled.rules.find((r) => r.source === "hoge")!.priority;
    expect(priority(after)).toBe(priority(before));
    expect(addressOfRoute(after, "fuga")).not.toBe(addressOfRoute(after, "hoge"));
  });
});

/**
 * An independent reading of ALB's matching rules, applied to the synthesized listener rules (not to
 * the compiler's output): wildcards become regular expressions, case rules per condition type,
 * rules in priority order, then the listener's default action.
 */
function evaluateSynthesized(
  json: TerraformJson,
  httpsListener: string,
  req: { path: string; host: string; method: string; headers: Record<string, string[]>; query: [string, string][]; ip: string },
): string {
  const regex = (pattern: string, flags: string, escapes: boolean) => {
    let out = "";
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i];
      if (escapes && c === "\\" && (pattern[i + 1] === "*" || pattern[i + 1] === "?")) out += `\\${pattern[++i]}`;
      else if (escapes && c === "%" && /^[0-9a-f]{2}$/i.test(pattern.slice(i + 1, i + 3))) {
        out += String.fromCharCode(parseInt(pattern.slice(i + 1, i + 3), 16)).replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
        i += 2;
      } else if (c === "*") out += ".*";
      else if (c === "?") out += ".";
      else out += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    }
    return new RegExp(`^${out}$`, flags);
  };
  const ipv4 = (ip: string) => ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
  const inCidr = (cidr: string) => {
    const [net, bits] = cidr.split("/");
    if (!net.includes(".") || !req.ip.includes(".")) return false;
    const size = 2 ** (32 - Number(bits));
    return Math.floor(ipv4(req.ip) / size) === Math.floor(ipv4(net) / size);
  };
  const matches = (c: any): boolean => {
    if (c.path_pattern) return c.path_pattern.values.some((v: string) => regex(v, "", false).test(req.path));
    if (c.host_header) return c.host_header.values.some((v: string) => regex(v, "i", false).test(req.host));
    if (c.http_header)
      return (req.headers[c.http_header.http_header_name.toLowerCase()] ?? []).some((h) =>
        c.http_header.values.some((v: string) => regex(v, "i", false).test(h)),
      );
    if (c.query_string)
      return c.query_string.some((q: any) =>
        req.query.some(([k, v]) => (q.key === undefined || regex(q.key, "i", true).test(k)) && regex(q.value, "i", true).test(v)),
      );
    if (c.http_request_method) return c.http_request_method.values.includes(req.method);
    if (c.source_ip) return c.source_ip.values.some(inCidr);
    throw new Error(`unknown condition ${JSON.stringify(c)}`);
  };
  const rules = Object.values(resourcesOf(json, "aws_lb_listener_rule"))
    .filter((r) => r.listener_arn === httpsListener)
    .sort((a, b) => a.priority - b.priority);
  const hit = rules.find((r) => r.condition.every(matches));
  const action = hit ? hit.action[0] : Object.values(resourcesOf(json, "aws_lb_listener")).find((l) => l.port === 443)!.default_action[0];
  if (action.type !== "forward") return action.type;
  return action.forward.target_group.map((t: any) => `${t.arn}:${t.weight}`).join(",");
}

describe("explain agrees with an independent evaluation of the synthesized listener rules", () => {
  test("on every request tried: the routes' samples, every overlap's witness, and near misses", () => {
    const env = twoFleets();
    const table: RoutingTable<RoutableFleet> = {
      default: env.rails3,
      overrideHeader: { name: "X-Backend-Version", values: { "3": env.rails3, "4": env.rails4 } },
      hostPins: [{ hosts: ["assets4.example.com"], fleet: env.rails4 }],
      routes: [
        {
          name: "hoge",
          match: { paths: ["/hoge/*", "/fuga/*"] },
          to: {
            weights: [
              { fleet: env.rails3, weight: 9 },
              { fleet: env.rails4, weight: 1 },
            ],
            groupStickinessSeconds: 3600,
          },
        },
        { name: "hoge-legacy", match: { paths: ["/hoge/legacy/*"] }, to: env.rails3 },
        { name: "docs-exact", match: { paths: ["/docs/"] }, to: env.rails4 },
        { name: "docs", match: { paths: ["/docs/*"] }, to: env.rails3 },
        { name: "api-post", match: { paths: ["/api/*"], methods: ["POST"] }, to: env.rails4 },
        {
          name: "api-post-beta",
          match: { paths: ["/api/*"], methods: ["POST"], headers: [{ name: "X-Beta", values: ["1"] }] },
          to: env.rails3,
        },
        { name: "beta-query", match: { paths: ["/search"], queryStrings: [{ key: "beta", value: "t?ue" }] }, to: env.rails4 },
        { name: "office", match: { paths: ["/admin/*"], sourceIps: ["203.0.113.0/24"] }, to: env.rails4 },
        { name: "shop-host", match: { hosts: ["shop.example.com"], paths: ["/cart*"] }, to: env.rails4 },
      ],
    };
    const compiled = env.router.setRoutingTable(table);
    const json = synthJson(env.stack);
    const https = `\${${addressOf(env.router.httpsListener!)}.arn}`;
    const arnOf = (f: RoutableFleet) => `\${${addressOf((f as typeof env.rails3).targetGroup)}.arn}`;
    const requests: ExplainRequest[] = [];
    const groups = (table.routes ?? []).map((r) => {
      const dims = dimensionsOf(r.match);
      return choicesOf(dims.map((d) => d.values.map((_, i) => i))).map((c) => atomOf(dims, c));
    });
    for (const atoms of groups) for (const a of atoms) requests.push(sampleRequest(a));
    for (const [i, a] of groups.entries())
      for (const b of groups.slice(i + 1))
        for (const x of a)
          for (const y of b) {
            const w = relateAtoms(x, y).witness;
            if (w) requests.push(w);
          }
    for (const url of [
      "https://assets4.example.com/hoge/1",
      "https://example.com/hoge",
      "https://example.com/docs",
      "https://SHOP.example.com/cart/1",
      "https://example.com/search?BETA=TRUE",
      "https://example.com/search?beta=tr",
    ])
      requests.push({ url });
    requests.push(
      { url: "https://example.com/hoge/legacy/1", headers: { "X-Backend-Version": "4" } },
      { url: "https://example.com/admin/x", sourceIp: "203.0.113.9" },
    );
    // Near misses: each request again with another method, and with the beta header.
    for (const r of [...requests])
      requests.push({ ...r, method: r.method === "POST" ? "GET" : "POST" }, { ...r, headers: { ...(r.headers ?? {}), "X-Beta": "1" } });
    expect(requests.length).toBeGreaterThan(50);
    for (const req of requests) {
      const e = explain(compiled, req);
      const m = toMatchableRequest(req);
      const query: [string, string][] = m.query.map((q) => [q.key, q.value]);
      const seen = evaluateSynthesized(json, https, {
        path: m.path,
        host: m.host,
        method: m.method,
        headers: Object.fromEntries([...m.headers].map(([k, v]) => [k, [...v]])),
        query,
        ip: req.sourceIp ?? "192.0.2.1",
      });
      const said = e.action.type === "forward" ? e.action.targets.map((t) => `${arnOf(t.fleet)}:${t.weight}`).join(",") : e.action.type;
      expect({ request: req, destination: seen }).toEqual({ request: req, destination: said });
    }
  });
});

describe("maintenance redirects", () => {
  const redirectOf = (keepQueryString?: boolean) => {
    const env = twoFleets();
    env.router.setRoutingTable({
      default: env.rails3,
      maintenance: {
        enabled: true,
        response: { type: "redirect", url: "https://status.example.com/", ...(keepQueryString === undefined ? {} : { keepQueryString }) },
      },
    });
    const json = synthJson(env.stack);
    const rule = env.router.compiled.rules.find((r) => r.kind === "maintenance")!;
    return blockOf(json, env.router.rules.get(rule.key)!).action[0].redirect;
  };

  test("drop the client's query string unless asked: `query` is always set (the provider's default copies it)", () => {
    expect(redirectOf()).toMatchObject({ host: "status.example.com", path: "/", query: "" });
    expect(redirectOf(false)).toMatchObject({ query: "" });
  });

  test("keepQueryString: true keeps it", () => {
    expect(redirectOf(true)).toMatchObject({ host: "status.example.com", query: "#{query}" });
  });
});
