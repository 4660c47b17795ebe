/**
 * The rename table between construct props and the file is checked by `tsc` for its keys
 * (stacks/config/prop-sources.ts); here, that every place it names exists in the schema, and that
 * the defaults the schema documents are the ones the constructs apply.
 */
import { Schema } from "../../../lib/config/schema";
import { resolveFleetProps } from "../../../lib/fleet/app-server-group-props";
import { resolveRouterProps } from "../../../lib/router/traffic-router-props";
import { configJsonSchema } from "../../../stacks/config/config-reference";
import { FLEET_PROP_SOURCES, renamesOf, ROUTER_PROP_SOURCES } from "../../../stacks/config/prop-sources";
import { fleetSchema } from "../../../lib/config/fleet-schema";
import { loadBalancerSchema } from "../../../stacks/config/environment-config";
import { fleetProps } from "../../support/fixtures";

type Json = { [key: string]: any };

/** The JSON Schema of a path in a two-version file (`fleets.<fleet>` is any fleet). */
function schemaAt(path: string): Json | undefined {
  const root = (configJsonSchema() as Json).allOf[0].then as Json;
  let node: Json | undefined = root;
  for (const part of path.split(".")) {
    if (!node) return undefined;
    node = part === "rails4" ? node.additionalProperties : node.properties?.[part];
  }
  return node;
}

describe("props and configuration keys", () => {
  test.each([
    ["AppServerGroup", renamesOf(FLEET_PROP_SOURCES, "fleets.rails4", "rails4")],
    ["TrafficRouter", renamesOf(ROUTER_PROP_SOURCES, "loadBalancer")],
  ])("every %s prop read from the file names a key the schema has", (_construct, renames) => {
    const missing = Object.entries(renames).filter(([, path]) => schemaAt(path) === undefined);
    expect(missing).toEqual([]);
  });

  test("the defaults the schema documents for a fleet are the ones AppServerGroup applies", () => {
    // Option groups that are off by default are given empty, so their own defaults apply.
    const plain = resolveFleetProps(
      fleetProps({
        instanceRefresh: {},
        recycling: { maxInstanceLifetimeDays: 7 },
        canary: { imageId: "ami-0fedcba9876543210" },
        scaling: { cpuTargetPercent: 50 },
      }),
    ) as unknown as Json;
    const stateful = resolveFleetProps(fleetProps({ stateful: {} })) as unknown as Json;
    // A warm pool excludes mixedInstances and stateful: its defaults come from a fleet of their own.
    const warm = resolveFleetProps(fleetProps({ warmPool: {} })) as unknown as Json;
    const mixed = resolveFleetProps(fleetProps({ mixedInstances: {} })) as unknown as Json;
    // Target group settings are resolved together, under `targetGroup`.
    const targetGroupKeys: Record<string, string> = {
      targetProtocol: "protocol",
      targetProtocolVersion: "protocolVersion",
      loadBalancingAlgorithm: "loadBalancingAlgorithm",
      anomalyMitigation: "anomalyMitigation",
    };
    const resolvedValue = (path: string[]): unknown => {
      if (path.join(".") === "bootstrapGate.enabled") return plain.rollouts.bootstrapGate !== undefined;
      if (path.length === 1 && path[0] in targetGroupKeys) return plain.targetGroup[targetGroupKeys[path[0]]];
      if (path[0] === "warmPool") return warm.warmPool[path[1]];
      if (path[0] === "mixedInstances") return mixed.mixedInstances[path[1]];
      if (path.join(".") === "deployment.config")
        return (plain.deployment.config.choice as { name?: string }).name === "CodeDeployDefault.OneAtATime"
          ? "one-at-a-time"
          : plain.deployment.config;
      const from = path[0] === "stateful" ? stateful : plain;
      let value: any = from;
      for (const part of path) value = value?.[part] ?? (value === from ? from.rollouts?.[part] : undefined);
      return value;
    };
    const checked: string[] = [];
    const walk = (schema: Schema<unknown>, path: string[]) => {
      const json = schema.jsonSchema();
      if ("default" in json) {
        expect({ path: path.join("."), value: resolvedValue(path) }).toEqual({ path: path.join("."), value: json.default });
        checked.push(path.join("."));
      }
      for (const [key, child] of Object.entries((schema as unknown as { shape?: Record<string, Schema<unknown>> }).shape ?? {}))
        walk(unwrap(child), [...path, key]);
    };
    walk(fleetSchema, []);
    expect(checked).toEqual(
      expect.arrayContaining(["instanceType", "capacity.min", "healthCheck.path", "deregistrationDelaySeconds", "rootVolume.volumeType"]),
    );
  });

  test("the defaults the schema documents for the load balancer are the ones TrafficRouter applies", () => {
    const resolved = resolveRouterProps({
      name: "web",
      vpcId: "vpc-0a1b2c3d4e5f60718",
      subnetIds: ["subnet-0a1b2c3d4e5f60701", "subnet-0a1b2c3d4e5f60702"],
      httpOnly: true,
    });
    const defaults = Object.fromEntries(Object.entries(loadBalancerSchema.shape).map(([key, child]) => [key, child.jsonSchema().default]));
    expect(defaults).toMatchObject({
      httpOnly: false,
      ingressCidrs: resolved.ingressCidrs,
      deletionProtection: resolved.deletionProtection,
      idleTimeoutSeconds: resolved.idleTimeoutSeconds,
      accessLogExpirationDays: (resolved.accessLogs as { expirationDays: number }).expirationDays,
      maxRulesPerLoadBalancer: resolved.maxRulesPerLoadBalancer,
      http2Enabled: resolved.http2Enabled,
    });
  });
});

function unwrap(schema: Schema<unknown>): Schema<unknown> {
  return (schema as unknown as { inner?: Schema<unknown> }).inner ?? schema;
}
