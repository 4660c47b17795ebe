/** Placeholder network IDs of the right shape: enough for synth, validate and an offline plan. */
import { AppServerGroupProps } from "../../lib/fleet/app-server-group-props";

export const PLACEHOLDER = {
  vpcId: "vpc-0a1b2c3d4e5f60718",
  subnetIds: ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60722"],
  imageId: "ami-0a1b2c3d4e5f60789",
  loadBalancer: { securityGroupId: "sg-0a1b2c3d4e5f60799", arnSuffix: "app/example/0123456789abcdef" },
} as const;

export function fleetProps(overrides: Partial<AppServerGroupProps> = {}): AppServerGroupProps {
  return {
    name: "rails4",
    vpcId: PLACEHOLDER.vpcId,
    subnetIds: [...PLACEHOLDER.subnetIds],
    imageId: PLACEHOLDER.imageId,
    loadBalancer: PLACEHOLDER.loadBalancer,
    ...overrides,
  };
}
