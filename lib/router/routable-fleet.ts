/**
 * What the router needs from a fleet it sends traffic to. `AppServerGroup` satisfies it.
 */
import type { ITerraformDependable } from "cdktf";
import type { RouteTarget } from "../routing/types";

export type RoutableFleet = RouteTarget & {
  /** Target group that listener actions forward to. */
  readonly targetGroupArn: string;
  /** The instances' security group: the only destination the load balancer may reach. */
  readonly securityGroupId: string;
  /** Port the instances listen on; the load balancer's egress opens exactly this port. */
  readonly appPort: number;
  /**
   * Cookie stickiness of the fleet's own target group, in seconds, if on. ALB rejects a
   * weighted split over such a group unless the split has group stickiness too.
   */
  readonly targetStickinessSeconds?: number;
  /** Minimum instance count; a fleet that may shrink to 0 must not receive traffic. */
  readonly minCapacity: number;
  /**
   * "HTTP1", "HTTP2" or "GRPC": the router refuses HTTP/2 and gRPC fleets behind an httpOnly
   * listener or with HTTP/2 off. @default "HTTP1"
   */
  readonly targetProtocolVersion?: string;
  /** True while a stateful fleet retires (`stateful.retire`): no rule may name it. @default false */
  readonly retiring?: boolean;
  /**
   * The resource whose create or update returns only once the fleet is healthy (the ASG with
   * `wait_for_elb_capacity`). Rules that send traffic here depend on it. When it is a Terraform
   * resource, the router also makes it depend on the fleet's anchor rule.
   */
  readonly trafficGate: ITerraformDependable;
  /**
   * The target groups a forward to this fleet lists, each with its share of the fleet's weight
   * (shares sum to 100): the fleet's own and, while it has one, its canary's.
   * @default - `targetGroupArn` alone
   */
  readonly forwardTargetGroups?: readonly { readonly arn: string; readonly sharePercent: number }[];
};
