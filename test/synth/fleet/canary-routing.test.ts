/**
 * A canary behind its own target group, as the router sees it: every forward action that names
 * the fleet splits the fleet's weight between the fleet's target group and the canary's, the
 * anchor attaches both, rules wait for both groups, and a split that would exceed ALB's 5 target
 * groups per forward is refused naming the route.
 */
import { AppServerGroup } from "../../../lib/fleet/app-server-group";
import { ConfigError } from "../../../lib/core/errors";
import { fleetComparisonDashboard } from "../../../lib/dashboard/dashboard-body";
import { fleetProps } from "../../support/fixtures";
import { synthJson, TerraformJson } from "../../support/synth";
import { addressOf, blockOf, twoFleets } from "../router/router-fixtures";
import { synthTwoVersion } from "../../support/layouts";

const CANDIDATE_AMI = "ami-0fedcba9876543210";

/** target group logical ID -> its name, for reading forward actions. */
function groupNames(json: TerraformJson): Record<string, string> {
  return Object.fromEntries(
    Object.entries(json.resource?.aws_lb_target_group ?? {}).map(([id, tg]) => [`\${aws_lb_target_group.${id}.arn}`, tg.name as string]),
  );
}

function forwardOf(action: any, names: Record<string, string>): string[] {
  return (action.forward.target_group as { arn: string; weight: number }[]).map((g) => `${names[g.arn] ?? g.arn}=${g.weight}`);
}

describe("a fleet with a canary, behind the router", () => {
  const { stack, router, rails3, rails4 } = twoFleets({}, { rails4: { canary: { imageId: CANDIDATE_AMI, sharePercent: 10 } } });
  router.setRoutingTable({
    default: rails3,
    routes: [
      {
        name: "hoge",
        match: { paths: ["/hoge/*"] },
        to: {
          weights: [
            { fleet: rails3, weight: 9 },
            { fleet: rails4, weight: 1 },
          ],
          groupStickinessSeconds: 3600,
        },
      },
      { name: "admin", match: { paths: ["/admin/*"] }, to: rails4 },
    ],
  });
  const json = synthJson(stack);
  const names = groupNames(json);

  test("a split over fleets gives the canary its share of its fleet's weight: 9:1 with a 10 % canary is 90:9:1", () => {
    const hoge = blockOf(json, router.rules.get([...router.rules.keys()].find((k) => k.startsWith("route-hoge"))!)!);
    expect(forwardOf(hoge.action[0], names)).toEqual(["rails3-tg=90", "rails4-tg=9", "rails4-canary-tg=1"]);
    expect(hoge.action[0].forward.stickiness).toEqual({ enabled: true, duration: 3600 });
  });

  test("a route to the fleet alone splits 9:1 between the fleet's target group and the canary's", () => {
    const admin = blockOf(json, router.rules.get([...router.rules.keys()].find((k) => k.startsWith("route-admin"))!)!);
    expect(forwardOf(admin.action[0], names)).toEqual(["rails4-tg=9", "rails4-canary-tg=1"]);
  });

  test("a fleet without a canary keeps its single target group and weight", () => {
    const https = Object.values(json.resource!.aws_lb_listener).find((l: any) => l.port === 443) as any;
    expect(forwardOf(https.default_action[0], names)).toEqual(["rails3-tg=1"]);
  });

  test("the fleet's anchor attaches the canary's target group too, so the canary's group can become healthy", () => {
    const anchor = blockOf(json, router.anchorRules.get("rails4")!);
    expect(forwardOf(anchor.action[0], names).map((g) => g.split("=")[0])).toEqual(["rails4-tg", "rails4-canary-tg"]);
  });

  test("rules to the fleet wait for the canary's group, which itself waits for the fleet's", () => {
    const admin = blockOf(json, router.rules.get([...router.rules.keys()].find((k) => k.startsWith("route-admin"))!)!);
    expect(admin.depends_on).toEqual([addressOf(rails4.canary!.autoScalingGroup)]);
    expect(blockOf(json, rails4.canary!.autoScalingGroup).depends_on).toContain(addressOf(rails4.autoScalingGroup));
  });
});

describe("ALB's 5 target groups per forward", () => {
  test("a split whose fleets and canaries need more than 5 target groups is refused, naming the route", () => {
    const { stack, router } = twoFleets(
      {},
      { rails3: { canary: { imageId: CANDIDATE_AMI } }, rails4: { canary: { imageId: CANDIDATE_AMI } } },
    );
    const extra = ["a", "b"].map((n) => new AppServerGroup(stack, n, fleetProps({ name: `fleet-${n}`, loadBalancer: router })));
    const [rails3, rails4] = ["rails3", "rails4"].map((n) => stack.node.findChild(n === "rails3" ? "Rails3" : "Rails4") as AppServerGroup);
    let error: unknown;
    try {
      router.setRoutingTable({
        default: rails3,
        routes: [
          {
            name: "wide",
            match: { paths: ["/wide/*"] },
            to: { weights: [rails3, rails4, ...extra].map((fleet) => ({ fleet, weight: 1 })), groupStickinessSeconds: 60 },
          },
        ],
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const [violation] = (error as ConfigError).violations;
    expect(violation.field).toMatch(/routes\[0\] "wide"\.to\.weights$/);
    expect(violation.limit).toBe(
      "forward to 6 target groups: 4 fleets, and a canary target group each for rails3, rails4; an ALB forward action takes 5",
    );
    expect(violation.fix).toContain("promote or abort a canary of rails3, rails4 first");
  });

  test("the configuration check refuses it too, naming the file's route", () => {
    expect(() =>
      synthTwoVersion((c) => {
        for (const name of ["rails5", "rails6", "rails7"]) c.fleets[name] = { imageId: "ami-0a1b2c3d4e5f60741" };
        c.fleets.rails4.canary = { imageId: CANDIDATE_AMI };
        c.routing.routes[0].to.weights.push(...["rails5", "rails6", "rails7"].map((fleet) => ({ fleet, weight: 1 })));
      }),
    ).toThrow(/two-version\.staging\.json: routing\.routes\[0\]\.to\.weights = .*forward to 6 target groups/);
  });
});

describe("a target-sticky fleet with a canary", () => {
  test("a route to it alone gets group stickiness of the same duration, which ALB requires across two target groups", () => {
    const { stack, router, rails3 } = twoFleets({}, { rails3: { stickinessSeconds: 600, canary: { imageId: CANDIDATE_AMI } } });
    router.setRoutingTable({ default: rails3 });
    const json = synthJson(stack);
    const https = Object.values(json.resource!.aws_lb_listener).find((l: any) => l.port === 443) as any;
    expect(https.default_action[0].forward.stickiness).toEqual({ enabled: true, duration: 600 });
    expect(blockOf(json, router.anchorRules.get("rails3")!).action[0].forward.stickiness).toEqual({ enabled: true, duration: 600 });
  });
});

describe("the dashboard shows the canary beside the rest of its fleet", () => {
  test("a row per canary: 5xx rate, p99 latency and healthy hosts, canary and rest side by side", () => {
    const body = fleetComparisonDashboard({
      region: "ap-northeast-1",
      loadBalancerArnSuffix: "app/web/1",
      fleets: [
        { name: "rails3", targetGroupArnSuffix: "targetgroup/rails3-tg/1", autoScalingGroupName: "rails3-asg" },
        {
          name: "rails4",
          targetGroupArnSuffix: "targetgroup/rails4-tg/1",
          autoScalingGroupName: "rails4-asg",
          canary: { targetGroupArnSuffix: "targetgroup/rails4-canary-tg/1", autoScalingGroupName: "rails4-canary-asg" },
        },
      ],
    }) as { widgets: any[] };
    const row = body.widgets.filter((w) => w.properties.title.startsWith("rails4: canary vs rest"));
    expect(row.map((w) => [w.properties.title, w.x, w.y, w.width])).toEqual([
      ["rails4: canary vs rest, 5xx rate (%)", 0, 24, 8],
      ["rails4: canary vs rest, p99 response time (s)", 8, 24, 8],
      ["rails4: canary vs rest, healthy hosts", 16, 24, 8],
    ]);
    const labels = (w: any) => w.properties.metrics.map((m: any[]) => m[m.length - 1].label).filter(Boolean);
    expect(labels(row[0])).toEqual(["rails4 rest 5xx %", "rails4 canary 5xx %"]);
    expect(row[0].properties.metrics.flat().filter((x: unknown) => typeof x === "string" && x.startsWith("targetgroup/"))).toEqual(
      expect.arrayContaining(["targetgroup/rails4-tg/1", "targetgroup/rails4-canary-tg/1"]),
    );
    expect(labels(row[1])).toEqual(["rails4 rest p99", "rails4 canary p99"]);
    expect(labels(row[2])).toEqual(["rails4 rest healthy", "rails4 canary healthy"]);
    // No canary, no row.
    expect(body.widgets.some((w) => w.properties.title.startsWith("rails3: canary"))).toBe(false);
  });

  test("the layout's dashboard gets the row when a fleet of the file has a canary", () => {
    const json = synthTwoVersion((c) => (c.fleets.rails4.canary = { imageId: CANDIDATE_AMI, sharePercent: 10 }));
    const dashboard = Object.values(json.resource!.aws_cloudwatch_dashboard)[0] as any;
    const titles = JSON.parse(dashboard.dashboard_body).widgets.map((w: any) => w.properties.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        "rails4: canary vs rest, 5xx rate (%)",
        "rails4: canary vs rest, p99 response time (s)",
        "rails4: canary vs rest, healthy hosts",
      ]),
    );
  });
});
