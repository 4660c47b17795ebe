/**
 * Generated app for the scaling cases: N fleets behind one router with M routes.
 *   node --import tsx bench/apps/scaled.ts <fleets> [routes]     (or BENCH_FLEETS / BENCH_ROUTES)
 * Writes cdktf.out (or $CDKTF_OUTDIR) like any cdktf app: the timed process is the one `cdktf synth` runs.
 */
// First: the modules below load through the start-up speedups of `cdktf synth`.
import "./fast-start";
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "../../lib/aws/resources";
import { AppServerGroup } from "../../lib/fleet/app-server-group";
import { TrafficRouter } from "../../lib/router/traffic-router";
import type { Route } from "../../lib/routing/types";
import { fleetProps, PLACEHOLDER } from "../../test/support/fixtures";
import { sizeArg } from "./size-arg";

const fleetCount = Math.max(1, sizeArg(0, "BENCH_FLEETS", 1));
const routeCount = sizeArg(1, "BENCH_ROUTES", 0);

const app = new App();
const stack = new TerraformStack(app, "scaled");
new AwsProvider(stack, "aws", { region: "ap-northeast-1" });
const router = new TrafficRouter(stack, "Router", {
  name: "web",
  namespace: "bench",
  vpcId: PLACEHOLDER.vpcId,
  subnetIds: [...PLACEHOLDER.subnetIds],
  certificateArn: "arn:aws:acm:ap-northeast-1:123456789012:certificate/00000000-0000-4000-8000-000000000000",
  // One anchor rule per fleet plus the routes: large cases exceed the default quota of 100 on purpose.
  limits: { maxRulesPerLoadBalancer: Math.max(100, fleetCount + routeCount + 10) },
});
const fleets: AppServerGroup[] = [];
for (let i = 1; i <= fleetCount; i++) {
  fleets.push(new AppServerGroup(stack, `Fleet${i}`, fleetProps({ name: `fleet${i}`, namespace: "bench", loadBalancer: router })));
}
const routes: Route<AppServerGroup>[] = [];
for (let i = 1; i <= routeCount; i++) {
  const fleet = fleets[(i - 1) % fleets.length];
  const next = fleets[i % fleets.length];
  // Every fifth route is a weighted split, as in a gradual migration; the rest forward to one fleet.
  const to =
    i % 5 === 0 && next !== fleet
      ? {
          weights: [
            { fleet, weight: 90 },
            { fleet: next, weight: 10 },
          ],
        }
      : fleet;
  // Pinned priorities: hash-derived ones collide now and then at this many rules (the compiler says so
  // and names a free number); the bench measures cost, not that lottery.
  routes.push({ name: `route-${i}`, match: { paths: [`/r${i}/*`] }, to, priority: 5000 + i * 10 });
}
router.setRoutingTable({ default: fleets[0], routes });
app.synth();
