/**
 * The load balancer's security group: clients in on 443 (and 80, which only redirects unless
 * the router is HTTP-only), and out only to each routed fleet's instances on their app port.
 */
import { Construct } from "constructs";
import { SecurityGroup, VpcSecurityGroupEgressRule, VpcSecurityGroupIngressRule } from "../aws/resources";
import type { RoutableFleet } from "./routable-fleet";

export interface LoadBalancerSecurityGroupProps {
  /** `name_prefix`: with create-before-destroy, a replacement must not clash with the old group's name. */
  readonly namePrefix: string;
  readonly description: string;
  readonly vpcId: string;
  readonly ingressCidrs: readonly string[];
  readonly ingressIpv6Cidrs: readonly string[];
  /** HTTP-only demo mode: port 80 carries traffic instead of a redirect, and 443 stays closed. */
  readonly httpOnly: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

export class LoadBalancerSecurityGroup extends Construct {
  readonly securityGroup: SecurityGroup;
  private readonly tags: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: LoadBalancerSecurityGroupProps) {
    super(scope, id);
    this.tags = props.tags;
    // The provider removes AWS's default allow-all egress rule, so egress is exactly the fleet rules below.
    this.securityGroup = new SecurityGroup(this, "Resource", {
      namePrefix: props.namePrefix,
      description: props.description,
      vpcId: props.vpcId,
      tags: { ...props.tags, Name: props.namePrefix.replace(/-$/, "") },
      lifecycle: { createBeforeDestroy: true },
    });

    const sources = [
      ...props.ingressCidrs.map((cidr) => ({ cidrIpv4: cidr, label: cidr })),
      ...props.ingressIpv6Cidrs.map((cidr) => ({ cidrIpv6: cidr, label: cidr })),
    ];
    for (const { label, ...source } of sources) {
      const suffix = label.replace(/[^A-Za-z0-9]/g, "-");
      if (!props.httpOnly) {
        this.ingress(`Https-${suffix}`, 443, `HTTPS from ${label}`, source);
        this.ingress(`HttpRedirect-${suffix}`, 80, `HTTP from ${label}, answered only with a redirect to HTTPS`, source);
      } else {
        this.ingress(`Http-${suffix}`, 80, `HTTP from ${label} (HTTP-only demo mode, no TLS)`, source);
      }
    }
  }

  get id(): string {
    return this.securityGroup.id;
  }

  /** Opens the fleet's app port, for traffic and health checks; construct ID from the fleet name. */
  allowEgressTo(fleet: RoutableFleet): VpcSecurityGroupEgressRule {
    return new VpcSecurityGroupEgressRule(this, `EgressTo-${fleet.name}`, {
      securityGroupId: this.securityGroup.id,
      description: `App port ${fleet.appPort} of fleet ${fleet.name}: traffic and health checks`,
      ipProtocol: "tcp",
      fromPort: fleet.appPort,
      toPort: fleet.appPort,
      referencedSecurityGroupId: fleet.securityGroupId,
      tags: this.tags,
    });
  }

  private ingress(id: string, port: number, description: string, source: { cidrIpv4?: string; cidrIpv6?: string }): void {
    new VpcSecurityGroupIngressRule(this, id, {
      securityGroupId: this.securityGroup.id,
      description,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      ...source,
      tags: this.tags,
    });
  }
}
