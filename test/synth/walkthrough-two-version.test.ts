/**
 * The README walkthrough of a parallel run, one test per step: each step is one edit of the
 * configuration, and the test checks its effect on the synthesized listener rules.
 */
import { ConfigError } from "../../lib/core/errors";
import { defaultWeights, pathsOf, rulesOf, synthTwoVersion, trafficRules } from "../support/layouts";

describe("two-version walkthrough", () => {
  test("1. start the parallel run: every request goes to rails3, rails4 runs beside it with no traffic", () => {
    const json = synthTwoVersion((c) => {
      c.routing = { default: "rails3" };
    });
    expect(defaultWeights(json)).toEqual({ rails3: 1 });
    expect(trafficRules(json)).toEqual([]);
    expect(Object.keys(json.resource!.aws_autoscaling_group)).toHaveLength(2);
  });

  test("2. move /hoge/* to rails4 at 9:1 (rails3 keeps 9 of 10 requests), sticky per user", () => {
    const json = synthTwoVersion((c) => {
      c.routing = {
        default: "rails3",
        routes: [
          {
            name: "hoge",
            match: { paths: ["/hoge/*"] },
            to: {
              weights: [
                { fleet: "rails3", weight: 9 },
                { fleet: "rails4", weight: 1 },
              ],
              groupStickinessSeconds: 3600,
            },
          },
        ],
      };
    });
    const [rule] = rulesOf(json, "route-hoge");
    expect(pathsOf(rule)).toEqual(["/hoge/*"]);
    expect(rule.weights).toEqual({ rails3: 9, rails4: 1 });
    expect(rule.raw.action[0].forward.stickiness).toEqual({ enabled: true, duration: 3600 });
    expect(defaultWeights(json)).toEqual({ rails3: 1 });
  });

  test("3. debug with the header: X-Backend-Version: 4 from a staff address reaches rails4 before any path rule", () => {
    const json = synthTwoVersion();
    const [override4] = trafficRules(json).filter((r) => r.conditions.some((c: any) => c.http_header?.values?.includes("4")));
    expect(override4.conditions).toEqual([
      { http_header: { http_header_name: "X-Backend-Version", values: ["4"] } },
      { source_ip: { values: ["203.0.113.0/24"] } },
    ]);
    expect(override4.weights).toEqual({ rails4: 1 });
    const pathRules = trafficRules(json).filter((r) => pathsOf(r).length > 0);
    for (const pathRule of pathRules) expect(override4.priority).toBeLessThan(pathRule.priority);
  });

  test("4. revert one path: /hoge/legacy/* goes back to rails3 and wins over /hoge/*", () => {
    const json = synthTwoVersion();
    const [legacy] = rulesOf(json, "route-hoge-legacy");
    expect(legacy.weights).toEqual({ rails3: 1 });
    const broader = rulesOf(json, "route-hoge-fuga").find((r) => pathsOf(r).includes("/hoge/*"))!;
    expect(legacy.priority).toBeLessThan(broader.priority);
  });

  test("5. full switch: the default goes to rails4; the reverted path still reaches rails3", () => {
    const before = synthTwoVersion();
    const json = synthTwoVersion((c) => {
      c.routing.default = "rails4";
      c.routing.routes = c.routing.routes.filter((r: any) => r.name === "hoge-legacy");
    });
    expect(defaultWeights(json)).toEqual({ rails4: 1 });
    expect(rulesOf(json, "route-hoge-fuga")).toEqual([]);
    // The surviving rule keeps its priority: no replacement of unrelated rules.
    expect(rulesOf(json, "route-hoge-legacy")[0].priority).toBe(rulesOf(before, "route-hoge-legacy")[0].priority);
  });

  test("6. delete the old fleet: removing rails3 from fleets and routing removes exactly its resources", () => {
    const json = synthTwoVersion((c) => {
      delete c.fleets.rails3;
      c.routing = {
        default: "rails4",
        overrideHeader: { name: "X-Backend-Version", values: { "4": "rails4" }, sourceIps: ["203.0.113.0/24"] },
        hostPins: [{ hosts: ["assets4.example.com"], fleet: "rails4" }],
      };
    });
    const text = JSON.stringify(json.resource);
    expect(text).not.toMatch(/rails3/);
    expect(Object.keys(json.resource!.aws_autoscaling_group)).toEqual([expect.stringMatching(/^rails4_/)]);
    expect(Object.keys(json.resource!.aws_lb)).toHaveLength(1);
  });

  test("deleting a fleet that is still routed fails synth, listing everything that points at it", () => {
    expect(() =>
      synthTwoVersion((c) => {
        delete c.fleets.rails3;
      }),
    ).toThrow(ConfigError);
    try {
      synthTwoVersion((c) => {
        delete c.fleets.rails3;
      });
    } catch (e) {
      const message = (e as Error).message;
      expect(message).toMatch(/rails3/);
      expect(message).toMatch(/routing\.default/);
      expect(message).toMatch(/overrideHeader/);
      expect(message).toMatch(/hostPins\[0\]/);
      expect(message).toMatch(/routes\[0\]/);
    }
  });

  test("maintenance on: maintenance rules answer before every other rule; staff bypass by source IP or header", () => {
    const off = synthTwoVersion();
    const on = synthTwoVersion((c) => {
      c.routing.maintenance.enabled = true;
    });
    const offIds = new Set(trafficRules(off).map((r) => r.id));
    const added = trafficRules(on).filter((r) => !offIds.has(r.id));
    expect(added.every((r) => r.id.includes("_maintenance-"))).toBe(true);
    // Nothing that existed moved: switching maintenance only adds rules.
    expect(trafficRules(on).filter((r) => offIds.has(r.id))).toEqual(trafficRules(off));
    const answers = added.filter((r) => r.actionType === "fixed-response");
    expect(answers.length).toBeGreaterThan(0);
    for (const answer of answers)
      expect(answer.raw.action[0].fixed_response).toMatchObject({ status_code: "503", content_type: "text/html" });
    // The bypass source block is carved out of the maintenance rules' source IPs.
    const sources = answers.flatMap((r) => r.conditions.flatMap((c: any) => c.source_ip?.values ?? []));
    expect(sources).not.toContain("0.0.0.0/0");
    expect(sources).not.toContain("203.0.113.0/24");
    // Staff with the bypass header are routed as usual, default included.
    const headerBypass = added.filter((r) => r.conditions.some((c: any) => c.http_header?.http_header_name === "X-Maintenance-Bypass"));
    expect(headerBypass.some((r) => r.conditions.length === 1 && r.weights.rails3 === 1)).toBe(true);
    const lowestNormal = Math.min(...trafficRules(off).map((r) => r.priority));
    for (const rule of added) expect(rule.priority).toBeLessThan(lowestNormal);
  });

  test("a fleet that may be empty (min 0) cannot receive traffic", () => {
    expect(() =>
      synthTwoVersion((c) => {
        c.fleets.rails4.capacity = { min: 0, desired: 0, max: 2 };
      }),
    ).toThrow(/rails4/);
  });

  test("traffic waits for the receiving fleet: every rule depends on the ASG of each fleet it sends to", () => {
    const json = synthTwoVersion();
    for (const rule of trafficRules(json)) {
      for (const fleet of Object.keys(rule.weights)) {
        expect({ rule: rule.id, gate: rule.dependsOn.some((d) => d.startsWith(`aws_autoscaling_group.${fleet}_`)) }).toEqual({
          rule: rule.id,
          gate: true,
        });
      }
    }
  });
});
