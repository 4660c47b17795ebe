/**
 * Reading a listener's rules back from AWS (lib/live): the API's rules become compiled rules that
 * `explain` evaluates, and every difference from the compiled table is reported. The API answers
 * here are built the way ELBv2 returns them (DescribeRules: PascalCase configs, priorities as
 * strings, the default rule last); the deploy tests read the same shapes from the emulator.
 */
import { inFleetOrderOf } from "../../../bin/commands/explain";
import { compareRouting } from "../../../lib/live/compare";
import { ApiRule, asCompiledRouting, liveRoutingFromApi, LiveRouting } from "../../../lib/live/live-routing";
import { redirectTo } from "../../../lib/router/listener-actions";
import { compileRouting } from "../../../lib/routing/compile";
import { explain } from "../../../lib/routing/explain";
import type { CompiledAction, CompiledCondition, CompiledRouting, RouteTarget } from "../../../lib/routing/types";
import { seedTable } from "../routing/fixtures";

const TG = (fleet: string) => `arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/staging-${fleet}-tg/0123456789abcdef`;
const LISTENER = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener/app/staging-web-alb/0123/4567";

function apiCondition(c: CompiledCondition): NonNullable<ApiRule["Conditions"]>[number] {
  switch (c.type) {
    case "path-pattern":
      return { Field: c.type, PathPatternConfig: { Values: [...c.values] } };
    case "host-header":
      return { Field: c.type, HostHeaderConfig: { Values: [...c.values] } };
    case "http-header":
      return { Field: c.type, HttpHeaderConfig: { HttpHeaderName: c.name, Values: [...c.values] } };
    case "query-string":
      return { Field: c.type, QueryStringConfig: { Values: c.values.map((q) => ({ Key: q.key, Value: q.value })) } };
    case "http-request-method":
      return { Field: c.type, HttpRequestMethodConfig: { Values: [...c.values] } };
    case "source-ip":
      return { Field: c.type, SourceIpConfig: { Values: [...c.values] } };
  }
}

function apiAction(a: CompiledAction<RouteTarget>): NonNullable<ApiRule["Actions"]>[number] {
  switch (a.type) {
    case "forward":
      return {
        Type: "forward",
        Order: 1,
        ForwardConfig: {
          TargetGroups: a.targets.map((t) => ({ TargetGroupArn: TG(t.fleet.name), Weight: t.weight })),
          TargetGroupStickinessConfig: a.groupStickinessSeconds
            ? { Enabled: true, DurationSeconds: a.groupStickinessSeconds }
            : { Enabled: false },
        },
      };
    case "fixed-response":
      return {
        Type: a.type,
        Order: 1,
        FixedResponseConfig: { StatusCode: String(a.statusCode), ContentType: a.contentType, MessageBody: a.body },
      };
    case "redirect": {
      // What the router sends (listener-actions.ts), echoed as ALB stores it.
      const sent = redirectTo(a.url, a.statusCode, a.keepQueryString === true);
      return {
        Type: a.type,
        Order: 1,
        RedirectConfig: {
          Protocol: sent.protocol,
          Host: sent.host,
          Port: sent.port,
          Path: sent.path,
          Query: sent.query,
          StatusCode: sent.statusCode,
        },
      };
    }
  }
}

/** What DescribeRules returns for a listener that carries exactly `compiled` (conditions in reverse, to show order does not matter). */
function describeRules(compiled: CompiledRouting<RouteTarget>): ApiRule[] {
  return [
    ...compiled.rules.map((r) => ({
      RuleArn: `${LISTENER}/rule-${r.priority}`,
      Priority: String(r.priority),
      IsDefault: false,
      Conditions: [...r.conditions].reverse().map(apiCondition),
      Actions: [apiAction(r.action)],
    })),
    { RuleArn: `${LISTENER}/default`, Priority: "default", IsDefault: true, Conditions: [], Actions: [apiAction(compiled.defaultAction)] },
  ];
}

function live(rules: ApiRule[], compiled?: CompiledRouting<RouteTarget>): LiveRouting {
  return liveRoutingFromApi({
    loadBalancerArn: "arn:lb",
    listenerArn: LISTENER,
    port: 443,
    rules,
    targetGroups: new Map(["rails3", "rails4"].map((f) => [TG(f), { name: `staging-${f}-tg`, tags: { Fleet: f } }])),
    ruleTags: new Map((compiled?.rules ?? []).map((r) => [`${LISTENER}/rule-${r.priority}`, { Route: r.source, RuleKind: r.kind }])),
  });
}

const compiled = compileRouting(
  seedTable({
    maintenance: {
      enabled: true,
      response: { type: "redirect", url: "https://status.example.com/", statusCode: 302 },
      bypass: { sourceIps: ["203.0.113.0/24"], header: { name: "X-Maintenance-Bypass", value: "staff" } },
    },
  }),
);

function edited(edit: (rules: ApiRule[]) => ApiRule[]): LiveRouting {
  return live(edit(structuredClone(describeRules(compiled))), compiled);
}

describe("live listener rules", () => {
  test("a listener that carries the compiled table reads back as that table: no difference", () => {
    expect(compareRouting(compiled, live(describeRules(compiled), compiled))).toEqual([]);
  });

  test("explain on the live rules answers as on the compiled table, with fleets named by their target groups' Fleet tag", () => {
    const readBack = live(describeRules(compiled), compiled);
    for (const request of [
      { url: "https://www.example.com/hoge/1", sourceIp: "203.0.113.9" },
      { url: "https://www.example.com/hoge/legacy/x", headers: { "X-Maintenance-Bypass": "staff" } },
      { url: "https://assets4.example.com/a.js", sourceIp: "203.0.113.9" },
      { url: "https://www.example.com/", sourceIp: "192.0.2.1" },
    ]) {
      const want = explain(compiled, request);
      const have = explain(asCompiledRouting(readBack), request);
      expect([have.rule?.priority, have.fleets.map((f) => [f.fleet.name, f.weight]), have.action.type]).toEqual([
        want.rule?.priority,
        want.fleets.map((f) => [f.fleet.name, f.weight]),
        want.action.type,
      ]);
    }
    expect(readBack.rules.find((r) => r.source === "hoge")).toMatchObject({
      kind: "route",
      receivingFleets: [{ name: "rails4" }, { name: "rails3" }],
    });
  });

  test("a weight changed in the console is reported with both weights, naming the rule and its route", () => {
    const hoge = compiled.rules.find((r) => r.source === "hoge")!;
    const differences = compareRouting(
      compiled,
      edited((rules) => {
        const rule = rules.find((r) => r.Priority === String(hoge.priority))!;
        rule.Actions![0].ForwardConfig!.TargetGroups!.forEach((g) => Object.assign(g, { Weight: 5 }));
        return rules;
      }),
    );
    expect(differences.map((d) => d.message)).toEqual([
      `rule ${hoge.priority} (route "hoge"): action differs: expected forward rails3=1, rails4=9, live forward rails3=5, rails4=5`,
    ]);
  });

  test("a deleted rule, a rule added by hand and a moved rule are each reported once", () => {
    const [first, second] = compiled.rules.filter((r) => r.kind === "route");
    const differences = compareRouting(
      compiled,
      edited((rules) => {
        const kept = rules.filter((r) => r.Priority !== String(first.priority));
        Object.assign(
          kept.find((r) => r.Priority === String(second.priority))!,
          { Priority: "49999" },
        );
        kept.push({
          RuleArn: "arn:rule/by-hand",
          Priority: "30000",
          Conditions: [{ Field: "path-pattern", Values: ["/debug/*"] }],
          Actions: [{ Type: "forward", TargetGroupArn: TG("rails4") }],
        });
        return kept;
      }),
    );
    expect(differences.map((d) => d.kind).sort()).toEqual(["missing-rule", "moved-rule", "unexpected-rule"]);
    expect(differences.find((d) => d.kind === "moved-rule")!.message).toContain(
      `is at priority 49999 on the listener instead of ${second.priority}`,
    );
    expect(differences.find((d) => d.kind === "unexpected-rule")!.message).toBe(
      "rule 30000 (untagged: not created by this library): on the listener but not in the configuration (path /debug/* -> forward rails4=1)",
    );
    expect(differences.find((d) => d.kind === "missing-rule")!.message).toMatch(
      new RegExp(`^rule ${first.priority} \\(route "${first.source}"\\): missing from the listener \\(expected path `),
    );
  });

  test("an edited condition and another default action are reported; values in another order are not a difference", () => {
    const pin = compiled.rules.find((r) => r.kind === "host-pin")!;
    const differences = compareRouting(
      compiled,
      edited((rules) => {
        const rule = rules.find((r) => r.Priority === String(pin.priority))!;
        Object.assign(rule, {
          Conditions: [
            { Field: "host-header", HostHeaderConfig: { Values: ["assets9.example.com"] } },
            ...rule.Conditions!.filter((c) => c.Field !== "host-header"),
          ],
        });
        const hoge = rules.find((r) => r.Conditions?.some((c) => (c.PathPatternConfig?.Values?.length ?? 0) > 1));
        hoge?.Conditions?.forEach(
          (c) => c.PathPatternConfig?.Values && Object.assign(c.PathPatternConfig, { Values: [...c.PathPatternConfig.Values].reverse() }),
        );
        Object.assign(rules[rules.length - 1], { Actions: [{ Type: "forward", TargetGroupArn: TG("rails4") }] });
        return rules;
      }),
    );
    expect(differences.map((d) => d.kind)).toEqual(["conditions", "default-action"]);
    expect(differences[0].message).toContain("conditions differ: expected host assets");
    expect(differences[1].message).toBe("default action differs: expected forward rails3=1, live forward rails4=1");
  });

  test("a redirect compares by the URL the listener stores, rebuilt from its parts; a kept query string reads back as #{query}", () => {
    const redirects = (c: CompiledRouting<RouteTarget>) =>
      live(describeRules(c), c).rules.filter((r) => r.kind === "maintenance" && r.action.type === "redirect");
    expect(redirects(compiled)[0].action).toEqual({ type: "redirect", url: "https://status.example.com/", statusCode: 302 });
    const keeping = compileRouting(
      seedTable({
        maintenance: {
          enabled: true,
          response: { type: "redirect", url: "https://status.example.com/", statusCode: 302, keepQueryString: true },
        },
      }),
    );
    expect(redirects(keeping)[0].action).toEqual({ type: "redirect", url: "https://status.example.com/?#{query}", statusCode: 302 });
    expect(compareRouting(keeping, live(describeRules(keeping), keeping))).toEqual([]);
  });

  test("a regex condition added in the console is reported, and explain leaves that rule out rather than guess", () => {
    const readBack = edited((rules) => [
      {
        RuleArn: "arn:rule/regex",
        Priority: "4999",
        Conditions: [{ Field: "path-pattern", PathPatternConfig: { RegexValues: ["^/h.ge/"] } }],
        Actions: [{ Type: "forward", TargetGroupArn: TG("rails3") }],
      },
      ...rules,
    ]);
    const differences = compareRouting(compiled, readBack);
    expect(differences.map((d) => d.kind).sort()).toEqual(["unexpected-rule", "unsupported"]);
    expect(differences.find((d) => d.kind === "unsupported")!.message).toContain('path-pattern regex condition ["^/h.ge/"]');
    expect(asCompiledRouting(readBack).rules.some((r) => r.priority === 4999)).toBe(false);
  });

  test("a split whose target groups the API lists in another order is the same split: explain --live lists it in the configuration's order", () => {
    // Forward target groups are a set: AWS may return a 9:1 split of rails3 and rails4 as rails4 first.
    const reversed = edited((rules) =>
      rules.map((r) => {
        const groups = r.Actions?.[0]?.ForwardConfig?.TargetGroups;
        return groups
          ? {
              ...r,
              Actions: [{ ...r.Actions![0], ForwardConfig: { ...r.Actions![0].ForwardConfig, TargetGroups: [...groups].reverse() } }],
            }
          : r;
      }),
    );
    expect(compareRouting(compiled, reversed)).toEqual([]);
    const request = { url: "https://www.example.com/hoge/1", sourceIp: "203.0.113.9" };
    const want = explain(compiled, request);
    const readBack = explain(asCompiledRouting(reversed), request);
    expect(want.fleets.length).toBeGreaterThan(1);
    expect(readBack.fleets.map((f) => f.fleet.name)).toEqual([...want.fleets.map((f) => f.fleet.name)].reverse());
    expect(inFleetOrderOf(readBack, want).fleets.map((f) => [f.fleet.name, f.weight, f.percent])).toEqual(
      want.fleets.map((f) => [f.fleet.name, f.weight, f.percent]),
    );
  });

  test("fleets fall back to the target group name when the Fleet tag is missing", () => {
    const readBack = liveRoutingFromApi({
      loadBalancerArn: "arn:lb",
      listenerArn: LISTENER,
      port: 443,
      rules: [{ RuleArn: "d", Priority: "default", IsDefault: true, Actions: [{ Type: "forward", TargetGroupArn: TG("rails9") }] }],
      targetGroups: new Map([[TG("rails9"), { name: "staging-rails9-tg", tags: {} }]]),
    });
    expect(readBack.fleets.map((f) => f.name)).toEqual(["staging-rails9-tg"]);
    expect(readBack.defaultAction).toEqual({ type: "forward", targets: [{ fleet: readBack.fleets[0], weight: 1 }] });
  });
});
