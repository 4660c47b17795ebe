/** The target group of a fleet or of its canary: the same health check and draining, its own instances. */
import { Construct } from "constructs";
import { LbTargetGroup } from "../aws/resources";
import { ResolvedFleetProps } from "./app-server-group-props";

export interface FleetTargetGroupProps {
  readonly name: string;
  readonly fleet: ResolvedFleetProps;
  readonly tags: Record<string, string>;
  /**
   * Destroy the group only after the listener actions stop naming it: Terraform orders the
   * destroy of a create_before_destroy resource after its dependents' updates, where a plain
   * resource removed with the rules still pointing at it fails with ResourceInUse
   * (hashicorp/terraform-provider-aws#16889, #5699). @default false
   */
  readonly destroyAfterDependents?: boolean;
}

export function newFleetTargetGroup(scope: Construct, id: string, props: FleetTargetGroupProps): LbTargetGroup {
  const { fleet } = props;
  return new LbTargetGroup(scope, id, {
    name: props.name,
    port: fleet.appPort,
    // Protocol and version force a new target group (the provider marks both ForceNew).
    protocol: fleet.targetGroup.protocol,
    protocolVersion: fleet.targetGroup.protocolVersion,
    vpcId: fleet.vpcId,
    targetType: "instance",
    deregistrationDelay: String(fleet.deregistrationDelaySeconds),
    slowStart: fleet.slowStartSeconds,
    loadBalancingAlgorithmType: fleet.targetGroup.loadBalancingAlgorithm,
    // The provider accepts "on"/"off", and only with weighted_random (the default elsewhere is AWS's "off").
    loadBalancingAnomalyMitigation:
      fleet.targetGroup.loadBalancingAlgorithm === "weighted_random" ? (fleet.targetGroup.anomalyMitigation ? "on" : "off") : undefined,
    healthCheck: {
      enabled: true,
      protocol: fleet.healthCheck.protocol,
      port: "traffic-port",
      path: fleet.healthCheck.path,
      matcher: fleet.healthCheck.matcher,
      interval: fleet.healthCheck.intervalSeconds,
      timeout: fleet.healthCheck.timeoutSeconds,
      healthyThreshold: fleet.healthCheck.healthyThreshold,
      unhealthyThreshold: fleet.healthCheck.unhealthyThreshold,
    },
    stickiness:
      fleet.stickinessSeconds === undefined
        ? { type: "lb_cookie", enabled: false }
        : { type: "lb_cookie", enabled: true, cookieDuration: fleet.stickinessSeconds },
    tags: { ...props.tags, Name: props.name },
    lifecycle: props.destroyAfterDependents ? { createBeforeDestroy: true } : undefined,
  });
}
