/**
 * The VPC endpoints that let instances in private subnets reach the AWS APIs they call without a
 * NAT gateway: an interface endpoint (private DNS on, so the default API host names resolve to
 * it) per service the bootstrap gate, the drain handler, the CodeDeploy agent and the SSM Agent
 * call, admitting HTTPS from the fleets' security groups only, and a gateway endpoint for S3
 * (CodeDeploy revisions) on the private route tables. Opt-in: a VPC with a NAT gateway, or
 * endpoints of its own, needs none of this.
 */
import { Construct } from "constructs";
import { SecurityGroup, VpcEndpoint, VpcSecurityGroupIngressRule } from "../aws/resources";
import { INSTANCE_API_SERVICES } from "./bootstrap-gate";

/** The services reached through interface endpoints; S3 gets a gateway endpoint instead (no hourly cost, route tables). */
export const INTERFACE_ENDPOINT_SERVICES = INSTANCE_API_SERVICES.filter((s) => s !== "s3");

export interface ApiEndpointsProps {
  /** Prefix of the endpoints' security group name, e.g. "staging-web". */
  readonly namePrefix: string;
  readonly vpcId: string;
  /** The instances' subnets: each interface endpoint gets a network interface in each. */
  readonly subnetIds: readonly string[];
  /** Route tables of those subnets, for the S3 gateway endpoint. */
  readonly routeTableIds: readonly string[];
  /** Region of the endpoints' service names (`com.amazonaws.<region>.<service>`). */
  readonly region: string;
  /** The fleets' instance security groups, the only sources admitted. */
  readonly clients: readonly { readonly name: string; readonly securityGroupId: string }[];
  readonly tags?: Record<string, string>;
}

export class ApiEndpoints extends Construct {
  readonly securityGroup: SecurityGroup;
  readonly interfaceEndpoints: readonly VpcEndpoint[];
  readonly s3Endpoint: VpcEndpoint;

  constructor(scope: Construct, id: string, props: ApiEndpointsProps) {
    super(scope, id);
    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      namePrefix: `${props.namePrefix}-api-endpoints-`,
      description: `AWS API endpoints of ${props.namePrefix}: HTTPS from the fleets' instances only`,
      vpcId: props.vpcId,
      tags: { ...props.tags, Name: `${props.namePrefix}-api-endpoints` },
      lifecycle: { createBeforeDestroy: true },
    });
    for (const client of props.clients) {
      new VpcSecurityGroupIngressRule(this, `HttpsFrom-${client.name}`, {
        securityGroupId: this.securityGroup.id,
        description: `HTTPS from the instances of ${client.name}`,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        referencedSecurityGroupId: client.securityGroupId,
        tags: props.tags,
      });
    }
    this.interfaceEndpoints = INTERFACE_ENDPOINT_SERVICES.map(
      (service) =>
        new VpcEndpoint(this, `Endpoint-${service}`, {
          vpcId: props.vpcId,
          serviceName: `com.amazonaws.${props.region}.${service}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: [...props.subnetIds],
          securityGroupIds: [this.securityGroup.id],
          tags: { ...props.tags, Name: `${props.namePrefix}-${service}` },
        }),
    );
    this.s3Endpoint = new VpcEndpoint(this, "Endpoint-s3", {
      vpcId: props.vpcId,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: [...props.routeTableIds],
      tags: { ...props.tags, Name: `${props.namePrefix}-s3` },
    });
  }
}
