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

export class FleetComparisonDashboard extends Construct {
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
