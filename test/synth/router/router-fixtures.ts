/** Shared inputs for TrafficRouter tests: a router with two fleets behind it. */
import { TerraformResource, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AppServerGroup } from "../../../lib/fleet/app-server-group";
import { AppServerGroupProps } from "../../../lib/fleet/app-server-group-props";
import { TrafficRouter } from "../../../lib/router/traffic-router";
import { TrafficRouterProps } from "../../../lib/router/traffic-router-props";
import { ConfigError } from "../../../lib/core/errors";
import { fleetProps, PLACEHOLDER } from "../../support/fixtures";
import { newStack, TerraformJson } from "../../support/synth";

export const CERTIFICATE_ARN = "arn:aws:acm:ap-northeast-1:123456789012:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9";
export const PUBLIC_SUBNETS = ["subnet-0a1b2c3d4e5f60733", "subnet-0a1b2c3d4e5f60744"];

export function routerProps(overrides: Partial<TrafficRouterProps> = {}): TrafficRouterProps {
  return {
    name: "web",
    vpcId: PLACEHOLDER.vpcId,
    subnetIds: [...PUBLIC_SUBNETS],
    certificateArn: CERTIFICATE_ARN,
    ...overrides,
  };
}

export interface TwoFleets {
  readonly stack: TerraformStack;
  readonly router: TrafficRouter;
  readonly rails3: AppServerGroup;
  readonly rails4: AppServerGroup;
}

/** A stack with a router and fleets rails3 and rails4 behind it; the routing table is left to the test. */
export function twoFleets(
  router: Partial<TrafficRouterProps> = {},
  fleets: { rails3?: Partial<AppServerGroupProps>; rails4?: Partial<AppServerGroupProps> } = {},
  scope?: Construct,
): TwoFleets {
  const stack = (scope as TerraformStack | undefined) ?? newStack().stack;
  const r = new TrafficRouter(stack, "Router", routerProps(router));
  const rails3 = new AppServerGroup(stack, "Rails3", fleetProps({ name: "rails3", loadBalancer: r, ...fleets.rails3 }));
  const rails4 = new AppServerGroup(stack, "Rails4", fleetProps({ name: "rails4", loadBalancer: r, ...fleets.rails4 }));
  return { stack, router: r, rails3, rails4 };
}

/** The synthesized block of one resource, found by its construct (so tests never hard-code logical IDs). */
export function blockOf(json: TerraformJson, resource: TerraformResource): Record<string, any> {
  const block = json.resource?.[resource.terraformResourceType]?.[resource.friendlyUniqueId];
  if (!block) throw new Error(`no ${resource.terraformResourceType}.${resource.friendlyUniqueId} in the synthesized JSON`);
  return block;
}

/** `type.logicalId`, as it appears in `depends_on`. */
export function addressOf(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

/** The ConfigError `fn` throws; fails the test when it throws nothing or something else. */
export function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError, but nothing was thrown");
}

/** The error a TrafficRouter with these props is refused with; a refused router leaves no resource behind. */
export function routerError(overrides: Partial<TrafficRouterProps>): ConfigError {
  const { stack } = newStack();
  const error = configError(() => new TrafficRouter(stack, "Router", routerProps(overrides)));
  // Validation runs before the first resource: a failed router leaves nothing behind.
  expect(stack.node.findAll().filter((c) => TerraformResource.isTerraformResource(c))).toEqual([]);
  return error;
}
