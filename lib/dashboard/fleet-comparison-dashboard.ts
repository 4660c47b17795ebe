/** A CloudWatch dashboard comparing the fleets behind one load balancer. */
import { Construct } from "constructs";
import { CloudwatchDashboard } from "../aws/resources";
import { DashboardFleet, fleetComparisonDashboard } from "./dashboard-body";

export interface FleetComparisonDashboardProps {
  /** Dashboard name: letters, digits, "-" and "_", at most 255 characters. */
  readonly dashboardName: string;
  readonly region: string;
  readonly loadBalancerArnSuffix: string;
  readonly fleets: readonly DashboardFleet[];
}

/** What the dashboard reads from a router: `TrafficRouter` satisfies it. */
export interface DashboardRouter {
  /** `<namespace>-<name>`, the prefix of the router's AWS names. */
  readonly qualifiedName: string;
  /** `app/<name>/<id>`: the LoadBalancer dimension. */
  readonly arnSuffix: string;
}

/** What the dashboard reads from a fleet: `AppServerGroup` satisfies it. */
export interface DashboardSourceFleet {
  readonly name: string;
  readonly targetGroup: { readonly arnSuffix: string };
  readonly autoScalingGroup: { readonly name: string };
  /** The fleet's canary sub-fleet, while it has one. */
  readonly canary?: { readonly targetGroup: { readonly arnSuffix: string }; readonly autoScalingGroup: { readonly name: string } };
}

export interface FleetDashboardProps {
  /** The router in front of the fleets. */
  readonly router: DashboardRouter;
  /** The fleets to put side by side (`AppServerGroup`s), in this order; each canary gets its own row. */
  readonly fleets: readonly DashboardSourceFleet[];
  /** Region of the metrics: the stack's region. */
  readonly region: string;
  /**
   * Dashboard name.
   * @default `<router's qualified name>-fleets`, e.g. `prod-web-fleets`
   */
  readonly dashboardName?: string;
}

export class FleetComparisonDashboard extends Construct {
  /**
   * The dashboard of a router's fleets in one call, with every metric dimension (load balancer,
   * target groups, Auto Scaling groups, canaries) read from the constructs:
   *
   *   FleetComparisonDashboard.forFleets(stack, "Dashboard", { router, fleets: [rails3, rails4], region: "ap-northeast-1" });
   */
  static forFleets(scope: Construct, id: string, props: FleetDashboardProps): FleetComparisonDashboard {
    return new FleetComparisonDashboard(scope, id, {
      dashboardName: props.dashboardName ?? `${props.router.qualifiedName}-fleets`,
      region: props.region,
      loadBalancerArnSuffix: props.router.arnSuffix,
      fleets: props.fleets.map((f) => ({
        name: f.name,
        targetGroupArnSuffix: f.targetGroup.arnSuffix,
        autoScalingGroupName: f.autoScalingGroup.name,
        canary: f.canary
          ? { targetGroupArnSuffix: f.canary.targetGroup.arnSuffix, autoScalingGroupName: f.canary.autoScalingGroup.name }
          : undefined,
      })),
    });
  }

  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: FleetComparisonDashboardProps) {
    super(scope, id);
    this.dashboard = new CloudwatchDashboard(this, "Resource", {
      dashboardName: props.dashboardName,
      dashboardBody: JSON.stringify(
        fleetComparisonDashboard({
          region: props.region,
          loadBalancerArnSuffix: props.loadBalancerArnSuffix,
          fleets: props.fleets,
        }),
      ),
    });
  }
}
