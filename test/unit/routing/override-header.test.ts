/**
 * The override header, closed to strangers: it forces a fleet only from the staff source IPs, as
 * one more condition of every override rule, so from any other address the header is ignored and
 * the request is routed as if it had none. `explain` answers the same as the rules.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../../bin/app-fleets";
import { ConfigError, type Violation } from "../../../lib/core/errors";
import { trafficSummary } from "../../../lib/traffic/traffic-summary";
import { EXAMPLE_CONFIG_DIR } from "../../../stacks/build-app";
import { compileRouting } from "../../../lib/routing/compile";
import { explain } from "../../../lib/routing/explain";
import { valueCount } from "../../../lib/routing/packing";
import { ALB_QUOTAS } from "../../../lib/routing/quotas";
import type { CompiledRule, OverrideHeader, RouteTarget, RoutingTable } from "../../../lib/routing/types";
import { routingTableFromJsonByName } from "../../../lib/routing/routing-json";
import { rails3, rails4 } from "./fixtures";

const STAFF = ["203.0.113.0/24", "2001:db8::/32"];
const rails5: RouteTarget = { name: "rails5" };

function table(header: Partial<OverrideHeader> = {}, extra: Partial<RoutingTable> = {}): RoutingTable {
  return {
    default: rails3,
    overrideHeader: { name: "X-Backend-Version", values: { "3": rails3, "4": rails4 }, sourceIps: STAFF, ...header },
    routes: [
      {
        name: "hoge",
        match: { paths: ["/hoge/*"] },
        to: {
          weights: [
            { fleet: rails3, weight: 9 },
            { fleet: rails4, weight: 1 },
          ],
        },
      },
    ],
    ...extra,
  };
}

function violations(t: RoutingTable): readonly Violation[] {
  try {
    compileRouting(t);
  } catch (e) {
    if (e instanceof ConfigError) return e.violations;
    throw e;
  }
  return [];
}

const overrideRules = (rules: readonly CompiledRule[]) => rules.filter((r) => r.kind === "override-header");
const destination = (
  t: RoutingTable,
  sourceIp: string,
  headers: Record<string, string> = { "X-Backend-Version": "4" },
  url = "https://example.com/hoge/1",
) =>
  explain(compileRouting(t), { url, headers, sourceIp })
    .fleets.map((f) => `${f.fleet.name} ${f.percent}%`)
    .join(", ");

describe("the override header from staff source IPs only", () => {
  test("every override rule carries the staff source IPs as a source-ip condition, beside the header", () => {
    const rules = overrideRules(compileRouting(table()).rules);
    expect(rules).toHaveLength(2);
    for (const rule of rules) {
      expect(rule.conditions).toEqual([
        { type: "http-header", name: "X-Backend-Version", values: [expect.any(String)] },
        { type: "source-ip", values: STAFF },
      ]);
    }
  });

  test("from a staff address the header forces the fleet, whatever the weights", () => {
    expect(destination(table(), "203.0.113.7")).toBe("rails4 100%");
    expect(destination(table(), "2001:db8::1")).toBe("rails4 100%");
  });

  test("from any other address the header is ignored: the request goes where it would without it", () => {
    const withoutHeader = destination(table(), "198.51.100.20", {});
    expect(withoutHeader).toBe("rails3 90%, rails4 10%");
    expect(destination(table(), "198.51.100.20")).toBe(withoutHeader);
    expect(destination(table(), "192.0.2.1", { "X-Backend-Version": "4" }, "https://example.com/other")).toBe("rails3 100%");
  });

  test("without sourceIps (code only) the header applies from every address, as before", () => {
    const open = table({ sourceIps: undefined });
    for (const rule of overrideRules(compileRouting(open).rules)) expect(rule.conditions.map((c) => c.type)).toEqual(["http-header"]);
    expect(destination(open, "198.51.100.20")).toBe("rails4 100%");
  });

  test("many staff blocks are spread over several rules within ALB's per-rule quotas, and every block still works", () => {
    const blocks = Array.from({ length: 7 }, (_, i) => `198.51.${100 + i}.0/24`);
    const t = table({ values: { "4": rails4 }, sourceIps: blocks });
    const rules = overrideRules(compileRouting(t).rules);
    expect(rules.length).toBeGreaterThan(1);
    for (const rule of rules) {
      expect(valueCount(rule.conditions)).toBeLessThanOrEqual(ALB_QUOTAS.valuesPerRule);
      for (const c of rule.conditions) expect(c.values.length).toBeLessThanOrEqual(ALB_QUOTAS.valuesPerCondition);
    }
    expect(rules.flatMap((r) => r.conditions.flatMap((c) => (c.type === "source-ip" ? c.values : []))).sort()).toEqual([...blocks].sort());
    for (let i = 0; i < 7; i++) expect(destination(t, `198.51.${100 + i}.9`)).toBe("rails4 100%");
    expect(destination(t, "198.51.107.9")).toBe("rails3 90%, rails4 10%");
  });

  test("overlapping header values still order narrower first, and the compiler finds no false conflict between staff blocks", () => {
    const t = table({ values: { "4*": rails4, "4.1": rails5 } });
    const rules = overrideRules(compileRouting(t).rules);
    const narrow = rules.find((r) => r.receivingFleets.includes(rails5))!;
    const broad = rules.find((r) => r.receivingFleets.includes(rails4))!;
    expect(narrow.priority).toBeLessThan(broad.priority);
    expect(destination(t, "203.0.113.7", { "X-Backend-Version": "4.1" })).toBe("rails5 100%");
    expect(destination(t, "203.0.113.7", { "X-Backend-Version": "4.2" })).toBe("rails4 100%");
  });

  test.each<[string, Partial<OverrideHeader>, RegExp]>([
    ["an empty list", { sourceIps: [] }, /^overrideHeader\.sourceIps: must be a non-empty list when given/],
    ["a block that is not a CIDR", { sourceIps: ["office"] }, /^overrideHeader\.sourceIps\[0\]: /],
  ])("%s of staff source IPs is refused, naming the field", (_, header, expected) => {
    expect(violations(table(header)).map((v) => `${v.field}: ${v.limit}`)).toEqual([expect.stringMatching(expected)]);
  });

  test("a route that only staff could reach with the header is not reported as shadowed: strangers with the header still reach it", () => {
    const t = table({}, { routes: [{ name: "v4-debug", match: { headers: [{ name: "X-Backend-Version", values: ["4"] }] }, to: rails4 }] });
    expect(violations(t)).toEqual([]);
    expect(destination(t, "198.51.100.20", { "X-Backend-Version": "4" }, "https://example.com/x")).toBe("rails4 100%");
  });
});

describe("with maintenance on", () => {
  const maintenance = (bypass: NonNullable<RoutingTable["maintenance"]>["bypass"]): Partial<RoutingTable> => ({
    maintenance: { enabled: true, response: { type: "fixed-response", body: "back soon" }, bypass },
  });

  test("staff bypassing by header keep the override from staff addresses only", () => {
    const t = table({}, maintenance({ header: { name: "X-Maintenance-Bypass", value: "staff" } }));
    expect(destination(t, "203.0.113.7", { "X-Maintenance-Bypass": "staff", "X-Backend-Version": "4" })).toBe("rails4 100%");
    expect(destination(t, "198.51.100.20", { "X-Maintenance-Bypass": "staff", "X-Backend-Version": "4" })).toBe("rails3 90%, rails4 10%");
  });

  test("staff bypassing by source IP reach the override; everyone else gets the maintenance page", () => {
    const t = table({}, maintenance({ sourceIps: ["203.0.113.0/24"] }));
    expect(destination(t, "203.0.113.7")).toBe("rails4 100%");
    expect(
      explain(compileRouting(t), { url: "https://example.com/hoge/1", headers: { "X-Backend-Version": "4" }, sourceIp: "198.51.100.20" })
        .action.type,
    ).toBe("fixed-response");
  });
});

describe("the JSON form", () => {
  test("sourceIps are read from a routing table file and written back", () => {
    const json = {
      default: "rails3",
      overrideHeader: { name: "X-Backend-Version", values: { "4": "rails4" }, sourceIps: ["203.0.113.0/24"] },
    };
    expect(routingTableFromJsonByName(json).overrideHeader!.sourceIps).toEqual(["203.0.113.0/24"]);
  });

  test("a routing table file without sourceIps is refused: in files the header is always closed to strangers", () => {
    expect(() =>
      routingTableFromJsonByName(
        { default: "rails3", overrideHeader: { name: "X-Backend-Version", values: { "4": "rails4" } } },
        "routing.json",
      ),
    ).toThrow(/routing\.json: overrideHeader\.sourceIps = undefined: is required\. Fix: add "sourceIps": \["203\.0\.113\.0\/24"\]/);
  });
});

describe("the README's examples, on the two-version example's routing table", () => {
  let dir: string;
  let tableFile: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "override-readme-"));
    tableFile = join(dir, "routing.json");
    writeFileSync(
      tableFile,
      JSON.stringify(JSON.parse(readFileSync(join(EXAMPLE_CONFIG_DIR, "two-version.staging.json"), "utf8")).routing),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function explainCli(...args: string[]): Promise<string> {
    const out: string[] = [];
    const code = await main(["explain", "https://example.com/hoge/1", "-H", "X-Backend-Version: 4", ...args, "--table", tableFile], {
      out: (t) => out.push(t),
      err: (t) => out.push(t),
    });
    expect(code).toBe(0);
    return out.join("\n");
  }

  test("explain -H 'X-Backend-Version: 4' --source-ip 203.0.113.10 matches the override rule, from staff", async () => {
    const out = await explainCli("--source-ip", "203.0.113.10");
    expect(out).toMatch(/matches override-rails4-0 \(priority \d+, override-header "override header X-Backend-Version"\)/);
    expect(out).toContain("when header X-Backend-Version: 4 AND ip 203.0.113.0/24");
    expect(out).toContain("goes to rails4 100% (weight 1)");
  });

  test("the same request from the default address (192.0.2.1) ignores the header", async () => {
    const out = await explainCli();
    expect(out).toContain("from 192.0.2.1");
    expect(out).toMatch(/matches route-hoge-fuga-0 \(priority \d+, route "hoge-fuga"\)/);
    expect(out).toContain("goes to rails3 90% (weight 9), rails4 10% (weight 1)");
  });

  test("the traffic summary names the staff source IPs of the override rule", () => {
    const json = JSON.parse(readFileSync(tableFile, "utf8"));
    expect(trafficSummary(compileRouting(routingTableFromJsonByName(json)))).toContainEqual(
      // The header is named once (the rule's kind, then its condition), with the staff addresses it needs.
      expect.stringMatching(/^\[\d+\] override header: X-Backend-Version: 4 & from 203\.0\.113\.0\/24 -> rails4$/),
    );
  });
});
