import { compileRouting } from "../../../lib/routing/compile";
import { explain, type ExplainRequest } from "../../../lib/routing/explain";
import type { RouteTarget, RoutingTable } from "../../../lib/routing/types";
import { rails3, rails4, seedTable } from "./fixtures";

const where = (table: RoutingTable, req: ExplainRequest) => {
  const e = explain(compileRouting(table), req);
  return { rule: e.rule?.source ?? "default", fleets: e.fleets.map((f) => `${f.fleet.name}:${f.weight}`).join(",") };
};

describe("explain follows ALB condition semantics, one condition type at a time", () => {
  const special: RouteTarget = { name: "special" };
  const only = (
    match: RoutingTable["routes"] extends readonly (infer R)[] | undefined ? (R extends { match: infer M } ? M : never) : never,
  ): RoutingTable => ({
    default: rails3,
    routes: [{ name: "probe", match, to: special }],
  });
  test.each<[string, RoutingTable, ExplainRequest, boolean]>([
    ["path: wildcard matches", only({ paths: ["/hoge/*"] }), { url: "https://x.example.com/hoge/1" }, true],
    ["path: case-sensitive", only({ paths: ["/hoge/*"] }), { url: "https://x.example.com/HOGE/1" }, false],
    ["path: the query string is not part of the path", only({ paths: ["/a*1"] }), { url: "https://x.example.com/a?x=1" }, false],
    ["path: ? is exactly one character", only({ paths: ["/a?c"] }), { url: "/ac", headers: { Host: "x.example.com" } }, false],
    ["host: case-insensitive", only({ hosts: ["assets4.example.com"] }), { url: "https://ASSETS4.Example.COM/x" }, true],
    ["host: port is ignored", only({ hosts: ["assets4.example.com"] }), { url: "https://assets4.example.com:8443/x" }, true],
    ["host: Host header wins over the URL", only({ hosts: ["a.example.com"] }), { url: "/x", headers: { host: "A.example.com" } }, true],
    [
      "header: name and value case-insensitive",
      only({ headers: [{ name: "X-Canary", values: ["yes*"] }] }),
      { url: "/", headers: { "x-canary": "YES-please" } },
      true,
    ],
    ["header: absent header does not match", only({ headers: [{ name: "X-Canary", values: ["*"] }] }), { url: "/" }, false],
    [
      "header: two header entries are ANDed",
      only({
        headers: [
          { name: "A", values: ["1"] },
          { name: "B", values: ["2"] },
        ],
      }),
      { url: "/", headers: { A: "1" } },
      false,
    ],
    ["query: key and value case-insensitive", only({ queryStrings: [{ key: "Version", value: "4" }] }), { url: "/?version=4" }, true],
    [
      "query: values are URL-decoded, conditions percent-encoded",
      only({ queryStrings: [{ key: "q", value: "a%20b" }] }),
      { url: "/?q=a%20b" },
      true,
    ],
    [
      "query: a percent-encoded condition matches the decoded character",
      only({ queryStrings: [{ key: "q", value: "a%2Fb" }] }),
      { url: "/?q=a/b" },
      true,
    ],
    ["query: \\* is a literal star", only({ queryStrings: [{ key: "q", value: "a\\*" }] }), { url: "/?q=ab" }, false],
    ["query: value-only condition matches any key", only({ queryStrings: [{ value: "beta" }] }), { url: "/?channel=beta" }, true],
    ["query: wrong value", only({ queryStrings: [{ key: "v", value: "4" }] }), { url: "/?v=3" }, false],
    ["method: exact", only({ methods: ["POST"] }), { url: "/", method: "POST" }, true],
    ["method: case-sensitive", only({ methods: ["POST"] }), { url: "/", method: "post" }, false],
    ["source-ip: inside the block", only({ sourceIps: ["203.0.113.0/24"] }), { url: "/", sourceIp: "203.0.113.9" }, true],
    ["source-ip: outside the block", only({ sourceIps: ["203.0.113.0/24"] }), { url: "/", sourceIp: "203.0.114.9" }, false],
    ["source-ip: IPv6", only({ sourceIps: ["2001:db8::/32"] }), { url: "/", sourceIp: "2001:db8::42" }, true],
    ["all kinds ANDed", only({ paths: ["/api/*"], methods: ["GET"] }), { url: "/api/x", method: "POST" }, false],
  ])("%s", (_, table, req, matches) => {
    expect(where(table, req).rule).toBe(matches ? "probe" : "default");
  });
});

describe("explain follows the precedence maintenance > override header > host pins > routes > default", () => {
  const maintenance = { enabled: true, response: { type: "fixed-response" as const, body: "back soon" } };
  test.each<[string, RoutingTable, ExplainRequest, string, string]>([
    ["a broad route", seedTable(), { url: "https://www.example.com/hoge/1" }, "hoge", "rails4:9,rails3:1"],
    [
      "a more specific route reverts part of a broader one",
      seedTable(),
      { url: "https://www.example.com/hoge/legacy/1" },
      "hoge-legacy",
      "rails3:1",
    ],
    ["no route: the default", seedTable(), { url: "https://www.example.com/other" }, "default", "rails3:1"],
    ["host pin beats a route", seedTable(), { url: "https://assets3.example.com/hoge/1" }, "host pin rails3", "rails3:1"],
    [
      "override header beats a host pin",
      seedTable(),
      { url: "https://assets3.example.com/hoge/1", headers: { "X-Backend-Version": "4" } },
      "override header X-Backend-Version",
      "rails4:1",
    ],
    [
      "maintenance beats the override header",
      seedTable({ maintenance }),
      { url: "https://www.example.com/", headers: { "X-Backend-Version": "4" } },
      "maintenance",
      "",
    ],
    [
      "disabled maintenance changes nothing",
      seedTable({ maintenance: { ...maintenance, enabled: false } }),
      { url: "https://www.example.com/hoge/1" },
      "hoge",
      "rails4:9,rails3:1",
    ],
  ])("%s", (_, table, req, rule, fleets) => {
    expect(where(table, req)).toEqual({ rule, fleets });
  });

  test("weights become shares: 9:1 is 90% / 10%, weight-0 fleets receive nothing", () => {
    const e = explain(
      compileRouting(
        seedTable({
          default: {
            weights: [
              { fleet: rails3, weight: 0 },
              { fleet: rails4, weight: 5 },
            ],
          },
        }),
      ),
      { url: "/x" },
    );
    expect(e.rule).toBeUndefined();
    expect(e.fleets.map((f) => [f.fleet.name, f.percent])).toEqual([
      ["rails3", 0],
      ["rails4", 100],
    ]);
    const hoge = explain(compileRouting(seedTable()), { url: "/hoge/1" });
    expect(hoge.fleets.map((f) => [f.fleet.name, f.percent])).toEqual([
      ["rails4", 90],
      ["rails3", 10],
    ]);
    expect(hoge.rule?.receivingFleets.map((f) => f.name)).toEqual(["rails4", "rails3"]);
  });
});

describe("maintenance bypass behaves as if maintenance were off", () => {
  const table = seedTable({
    maintenance: {
      enabled: true,
      response: { type: "fixed-response", statusCode: 503, body: "back soon" },
      bypass: { sourceIps: ["203.0.113.0/24"], header: { name: "X-Staff", value: "letmein" } },
    },
  });
  const compiled = compileRouting(table);
  test.each<[string, ExplainRequest, string]>([
    ["staff IP reaches the route", { url: "https://www.example.com/hoge/legacy/1", sourceIp: "203.0.113.5" }, "rails3:1"],
    ["staff IP reaches the override header", { url: "/x", headers: { "X-Backend-Version": "4" }, sourceIp: "203.0.113.5" }, "rails4:1"],
    ["staff IP reaches the default", { url: "/elsewhere", sourceIp: "203.0.113.5" }, "rails3:1"],
    ["staff header reaches the weighted route", { url: "/hoge/1", headers: { "x-staff": "LETMEIN" } }, "rails4:9,rails3:1"],
    ["staff header reaches the host pin", { url: "https://assets4.example.com/a.css", headers: { "x-staff": "letmein" } }, "rails4:1"],
    ["staff header reaches the default", { url: "/elsewhere", headers: { "x-staff": "letmein" } }, "rails3:1"],
    ["everyone else gets the maintenance page, IPv4", { url: "/hoge/1", sourceIp: "198.51.100.1" }, ""],
    ["everyone else gets the maintenance page, IPv6", { url: "/hoge/1", sourceIp: "2001:db8::1" }, ""],
    ["a wrong header value does not bypass", { url: "/hoge/1", headers: { "x-staff": "nope" } }, ""],
  ])("%s", (_, req, fleets) => {
    const e = explain(compiled, req);
    expect(e.fleets.map((f) => `${f.fleet.name}:${f.weight}`).join(",")).toBe(fleets);
    if (fleets === "") expect(e.action).toEqual({ type: "fixed-response", statusCode: 503, contentType: "text/html", body: "back soon" });
  });

  test("every request routes exactly as with maintenance off when it carries the bypass header", () => {
    const off = compileRouting(seedTable());
    for (const url of ["/hoge/1", "/hoge/legacy/2", "/fuga/x", "/admin/piyox", "https://assets3.example.com/a", "/z"]) {
      const withHeader = { url, headers: { "X-Staff": "letmein", "X-Backend-Version": url === "/z" ? "4" : "none" } };
      expect(explain(compiled, withHeader).action).toEqual(explain(off, withHeader).action);
    }
  });

  test("maintenance rules sit above every normal rule, staff copies above them", () => {
    const kinds = compiled.rules.map((r) => `${r.kind}:${r.key.startsWith("maintenance-bypass") ? "bypass" : ""}`);
    const lastBypass = kinds.lastIndexOf("maintenance:bypass");
    const firstMaintenance = kinds.indexOf("maintenance:");
    const firstNormal = compiled.rules.findIndex((r) => r.kind !== "maintenance");
    expect(lastBypass).toBeLessThan(firstMaintenance);
    expect(firstMaintenance).toBeLessThan(firstNormal);
    expect(Math.max(...compiled.rules.filter((r) => r.kind === "maintenance").map((r) => r.priority))).toBeLessThanOrEqual(1000);
  });

  test("maintenance without bypass is one catch-all rule", () => {
    const c = compileRouting(
      seedTable({ maintenance: { enabled: true, response: { type: "redirect", url: "https://status.example.com/" } } }),
    );
    const m = c.rules.filter((r) => r.kind === "maintenance");
    expect(m).toEqual([
      expect.objectContaining({
        key: "maintenance-0",
        conditions: [{ type: "path-pattern", values: ["*"] }],
        action: { type: "redirect", url: "https://status.example.com/", statusCode: 302 },
      }),
    ]);
    expect(m[0].priority).toBeGreaterThanOrEqual(1);
    expect(m[0].priority).toBeLessThanOrEqual(1000);
  });
});
