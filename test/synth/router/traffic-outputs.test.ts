/**
 * Users of the plain constructs get what the layouts print after `cdktf deploy` with one line
 * (`new TrafficOutputs(...)`), and the comparison dashboard with one more
 * (`FleetComparisonDashboard.forFleets(...)`), as the README's construct example shows.
 */
import { ConfigError } from "../../../lib/core/errors";
import { FleetComparisonDashboard } from "../../../lib/dashboard/fleet-comparison-dashboard";
import { TrafficOutputs } from "../../../lib/outputs/traffic-outputs";
import { onlyResource, synthJson } from "../../support/synth";
import { addressOf, twoFleets } from "./router-fixtures";

function routedFleets() {
  const fleets = twoFleets({ namespace: "prod" });
  fleets.router.setRoutingTable({
    default: fleets.rails3,
    overrideHeader: { name: "X-Backend-Version", values: { "3": fleets.rails3, "4": fleets.rails4 }, sourceIps: ["203.0.113.0/24"] },
    routes: [
      {
        name: "hoge",
        match: { paths: ["/hoge/*"] },
        to: {
          weights: [
            { fleet: fleets.rails3, weight: 9 },
            { fleet: fleets.rails4, weight: 1 },
          ],
        },
      },
    ],
  });
  return fleets;
}

describe("TrafficOutputs on a router built in code", () => {
  test("adds load_balancer_dns_name, fleets and traffic_summary, the values the layouts' outputs have", () => {
    const { stack, router, rails3, rails4 } = routedFleets();
    new TrafficOutputs(stack, "TrafficOutputs", { router, fleets: [rails3, rails4] });
    const json = synthJson(stack);
    expect(Object.keys(json.output ?? {}).sort()).toEqual(["fleets", "load_balancer_dns_name", "traffic_summary"]);
    const summary = json.output!.traffic_summary.value as string[];
    // One line per rule in priority order, the default last; the header named once.
    expect(summary).toHaveLength(4);
    expect(summary).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\[\d+\] override header: X-Backend-Version: 3 & from 203\.0\.113\.0\/24 -> rails3$/),
        expect.stringMatching(/^\[\d+\] override header: X-Backend-Version: 4 & from 203\.0\.113\.0\/24 -> rails4$/),
        expect.stringMatching(/^\[\d+\] hoge: \/hoge\/\* -> rails3 90%, rails4 10%$/),
      ]),
    );
    expect(summary[3]).toBe("default: -> rails3");
    const fleets = json.output!.fleets.value as Record<
      string,
      { default_percent: number; rules: Record<string, number>; min: number; image_id: string }
    >;
    expect(Object.keys(fleets)).toEqual(["rails3", "rails4"]);
    expect(fleets.rails3).toMatchObject({ default_percent: 100, rules: { hoge: 90 } });
    expect(fleets.rails4).toMatchObject({ default_percent: 0, rules: { hoge: 10 } });
  });

  test("outputPrefix gives a second router's outputs their own names", () => {
    const { stack, router, rails3, rails4 } = routedFleets();
    new TrafficOutputs(stack, "AdminOutputs", { router, fleets: [rails3, rails4], outputPrefix: "admin_" });
    expect(Object.keys(synthJson(stack).output ?? {}).sort()).toEqual([
      "admin_fleets",
      "admin_load_balancer_dns_name",
      "admin_traffic_summary",
    ]);
  });

  test("a prefix that is no Terraform output name is refused, naming the construct, the value and the fix", () => {
    const { stack, router, rails3 } = routedFleets();
    let error: unknown;
    try {
      new TrafficOutputs(stack, "Outputs", { router, fleets: [rails3], outputPrefix: "1 admin" });
    } catch (e) {
      error = e;
    }
    expect(ConfigError.isConfigError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^TrafficOutputs "Outputs" \(test\/Outputs\) outputPrefix = "1 admin": must start with a letter or underscore.* Fix: write e\.g\. "admin_"$/,
    );
  });
});

test("FleetComparisonDashboard.forFleets reads every metric dimension from the router and the fleets", () => {
  const { stack, router, rails3, rails4 } = routedFleets();
  FleetComparisonDashboard.forFleets(stack, "Dashboard", { router, fleets: [rails3, rails4], region: "ap-northeast-1" });
  const dashboard = onlyResource(synthJson(stack), "aws_cloudwatch_dashboard");
  expect(dashboard.dashboard_name).toBe("prod-web-fleets");
  const body = String(dashboard.dashboard_body);
  // Each dimension is a reference to the resource it names, resolved by Terraform at apply.
  for (const fleet of [rails3, rails4]) {
    expect(body).toContain(`\${${addressOf(fleet.targetGroup)}.arn_suffix}`);
    expect(body).toContain(`\${${addressOf(fleet.autoScalingGroup)}.name}`);
  }
  expect(body).toContain(`\${${addressOf(router.loadBalancer)}.arn_suffix}`);
});
