/**
 * The body of a CloudWatch dashboard that puts fleets side by side: what the person who
 * decides the next stage (more weight, full switch, rollback) looks at. Pure: it takes the
 * metric dimensions as strings (tokens at synth) and returns the dashboard JSON.
 */

export interface DashboardFleet {
  readonly name: string;
  /** `targetgroup/<name>/<id>`: the TargetGroup dimension. */
  readonly targetGroupArnSuffix: string;
  readonly autoScalingGroupName: string;
  /** The fleet's canary, behind its own target group: a row compares it with the rest of the fleet. @default - no canary */
  readonly canary?: {
    readonly targetGroupArnSuffix: string;
    readonly autoScalingGroupName: string;
  };
}

export interface DashboardInput {
  readonly region: string;
  /** `app/<name>/<id>`: the LoadBalancer dimension. */
  readonly loadBalancerArnSuffix: string;
  readonly fleets: readonly DashboardFleet[];
}

const WIDTH = 24;
const HEIGHT = 6;

type Metric = (string | Record<string, unknown>)[];

function albMetric(input: DashboardInput, fleet: DashboardFleet, metricName: string, options: Record<string, unknown>): Metric {
  return [
    "AWS/ApplicationELB",
    metricName,
    "TargetGroup",
    fleet.targetGroupArnSuffix,
    "LoadBalancer",
    input.loadBalancerArnSuffix,
    options,
  ];
}

function widget(region: string, title: string, y: number, metrics: Metric[], extra: Record<string, unknown> = {}, x = 0, width = WIDTH) {
  return {
    type: "metric",
    x,
    y,
    width,
    height: HEIGHT,
    properties: { title, region, view: "timeSeries", stacked: false, period: 60, metrics, ...extra },
  };
}

/** Builds the dashboard body: one row per question, one line per fleet in each. */
export function fleetComparisonDashboard(input: DashboardInput): Record<string, unknown> {
  const requests = input.fleets.map((f) => albMetric(input, f, "RequestCount", { stat: "Sum", label: `${f.name} requests` }));

  // 5xx rate = 5xx / requests, as metric math so fleets of different sizes compare.
  const errorRate: Metric[] = input.fleets.flatMap((f, i) => [
    albMetric(input, f, "HTTPCode_Target_5XX_Count", { stat: "Sum", id: `e${i}`, visible: false }),
    albMetric(input, f, "RequestCount", { stat: "Sum", id: `r${i}`, visible: false }),
    [{ expression: `100 * e${i} / MAX([r${i}, 1])`, label: `${f.name} 5xx %`, id: `rate${i}` }],
  ]);

  const latency = input.fleets.flatMap((f) => [
    albMetric(input, f, "TargetResponseTime", { stat: "p50", label: `${f.name} p50` }),
    albMetric(input, f, "TargetResponseTime", { stat: "p99", label: `${f.name} p99` }),
  ]);

  const healthy = input.fleets.flatMap((f) => [
    albMetric(input, f, "HealthyHostCount", { stat: "Minimum", label: `${f.name} healthy` }),
    albMetric(input, f, "UnHealthyHostCount", { stat: "Maximum", label: `${f.name} unhealthy` }),
    [
      "AWS/AutoScaling",
      "GroupInServiceInstances",
      "AutoScalingGroupName",
      f.autoScalingGroupName,
      { stat: "Minimum", label: `${f.name} in service` },
    ],
  ]);

  const widgets = [
    widget(input.region, "Requests per minute", 0, requests),
    widget(input.region, "Target 5xx rate (%)", HEIGHT, errorRate, { yAxis: { left: { min: 0 } } }),
    widget(input.region, "Target response time p50 / p99 (s)", 2 * HEIGHT, latency),
    widget(input.region, "Healthy hosts", 3 * HEIGHT, healthy),
    ...input.fleets.filter((f) => f.canary).flatMap((f, row) => canaryRow(input, f, (4 + row) * HEIGHT)),
  ];
  return { widgets };
}

/**
 * One row per canary: the canary's target group beside the rest of its fleet's, on the three
 * signals a person judges a canary by (5xx rate, p99 latency, healthy hosts).
 */
function canaryRow(input: DashboardInput, fleet: DashboardFleet, y: number) {
  const canary: DashboardFleet = { name: `${fleet.name} canary`, ...fleet.canary! };
  const rest: DashboardFleet = { ...fleet, name: `${fleet.name} rest` };
  const sides = [rest, canary];
  const third = WIDTH / 3;
  const rate = sides.flatMap((side, i) => [
    albMetric(input, side, "HTTPCode_Target_5XX_Count", { stat: "Sum", id: `e${i}`, visible: false }),
    albMetric(input, side, "RequestCount", { stat: "Sum", id: `r${i}`, visible: false }),
    [{ expression: `100 * e${i} / MAX([r${i}, 1])`, label: `${side.name} 5xx %`, id: `rate${i}` }],
  ]);
  const p99 = sides.map((side) => albMetric(input, side, "TargetResponseTime", { stat: "p99", label: `${side.name} p99` }));
  const hosts = sides.map((side) => albMetric(input, side, "HealthyHostCount", { stat: "Minimum", label: `${side.name} healthy` }));
  return [
    widget(input.region, `${fleet.name}: canary vs rest, 5xx rate (%)`, y, rate, { yAxis: { left: { min: 0 } } }, 0, third),
    widget(input.region, `${fleet.name}: canary vs rest, p99 response time (s)`, y, p99, {}, third, third),
    widget(input.region, `${fleet.name}: canary vs rest, healthy hosts`, y, hosts, {}, 2 * third, third),
  ];
}
