/**
 * What a configuration expects to exist before its stack is deployed: a VPC with public and
 * private subnets in two or more Availability Zones, and the listener's ACM certificate. Created
 * inside the emulated AWS, so the configuration copy can name real IDs and ARNs.
 */
import { AwsEndpoint, jsonCall, queryCall } from "./aws-client";
import { childText, find } from "./xml";

const EC2_VERSION = "2016-11-15";

export interface EmulatedNetwork {
  readonly vpcId: string;
  readonly publicSubnetIds: readonly string[];
  readonly privateSubnetIds: readonly string[];
  readonly certificateArn: string;
}

export interface NetworkOptions {
  /** Availability Zones to spread the subnets over (two or more). @default - a, c and d of the region, as ap-northeast-1 has */
  readonly zones?: readonly string[];
  /** Domain of the requested certificate. @default "www.example.com" */
  readonly domainName?: string;
}

async function createSubnet(endpoint: AwsEndpoint, vpcId: string, cidr: string, zone: string): Promise<string> {
  const answer = await queryCall(endpoint, "ec2", EC2_VERSION, "CreateSubnet", { VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: zone });
  const id = childText(find(answer, "subnet")!, "subnetId");
  if (!id) throw new Error(`CreateSubnet ${cidr} in ${zone} returned no subnetId`);
  return id;
}

/** Creates the VPC, one public and one private subnet per zone, and requests the certificate. */
export async function createEmulatedNetwork(endpoint: AwsEndpoint, options: NetworkOptions = {}): Promise<EmulatedNetwork> {
  const zones = options.zones ?? ["a", "c", "d"].map((z) => `${endpoint.region}${z}`);
  const vpc = await queryCall(endpoint, "ec2", EC2_VERSION, "CreateVpc", { CidrBlock: "10.40.0.0/16" });
  const vpcId = childText(find(vpc, "vpc")!, "vpcId");
  if (!vpcId) throw new Error("CreateVpc returned no vpcId");
  // An internet-facing load balancer needs a gateway on its VPC in AWS; create it so the network is what a user would have.
  const gateway = await queryCall(endpoint, "ec2", EC2_VERSION, "CreateInternetGateway");
  const gatewayId = childText(find(gateway, "internetGateway")!, "internetGatewayId")!;
  await queryCall(endpoint, "ec2", EC2_VERSION, "AttachInternetGateway", { InternetGatewayId: gatewayId, VpcId: vpcId });
  const publicSubnetIds: string[] = [];
  const privateSubnetIds: string[] = [];
  for (const [i, zone] of zones.entries()) {
    publicSubnetIds.push(await createSubnet(endpoint, vpcId, `10.40.${i}.0/24`, zone));
    privateSubnetIds.push(await createSubnet(endpoint, vpcId, `10.40.${100 + i}.0/24`, zone));
  }
  const certificate = await jsonCall(endpoint, "acm", "CertificateManager.RequestCertificate", {
    DomainName: options.domainName ?? "www.example.com",
    ValidationMethod: "DNS",
  });
  return { vpcId, publicSubnetIds, privateSubnetIds, certificateArn: certificate.CertificateArn as string };
}
