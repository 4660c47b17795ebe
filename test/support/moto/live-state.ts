/**
 * Reads a deployed stack back from the emulated AWS: the traffic listener's rules (through
 * lib/live, as `app-fleets drift` reads them), the anchor listener's rules, the target groups, the
 * Auto Scaling groups with the image their launch template version runs, and the load balancer's
 * deletion protection. Then compares it with what the synthesized configuration says.
 */
import { ANCHOR_LISTENER_PORT } from "../../../lib/router/anchor-rules";
import { compareRouting } from "../../../lib/live/compare";
import { FLEET_TAG, LiveRouting } from "../../../lib/live/live-routing";
import { loadElbV2Sdk, readLiveRouting } from "../../../lib/live/read-live";
import type { CompiledRouting, RouteTarget } from "../../../lib/routing/types";
import type { TerraformJson } from "../synth";
import { AwsEndpoint, queryCall } from "./aws-client";
import { childText, find, findAll, listOf, XmlNode } from "./xml";

export interface LiveTargetGroup {
  readonly name: string;
  readonly arn: string;
  readonly fleet?: string;
  readonly loadBalancerArns: readonly string[];
}

export interface LiveAutoScalingGroup {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly desired: number;
  readonly maxInstanceLifetime?: number;
  readonly targetGroupArns: readonly string[];
  readonly launchTemplate?: { readonly id: string; readonly version: string };
  /** The image of the launch template version the group runs. */
  readonly imageId?: string;
  /** The template's newest version: a group pinned to an older one would not roll out a change. */
  readonly latestTemplateVersion?: number;
  readonly instances: number;
}

export interface LiveDeploymentState {
  readonly loadBalancer: { readonly arn: string; readonly deletionProtection: boolean };
  readonly routing: LiveRouting;
  readonly anchors: LiveRouting;
  readonly targetGroups: readonly LiveTargetGroup[];
  readonly autoScalingGroups: readonly LiveAutoScalingGroup[];
}

function clientTarget(endpoint: AwsEndpoint) {
  return {
    region: endpoint.region,
    endpoint: endpoint.url,
    credentials: { accessKeyId: endpoint.accessKeyId, secretAccessKey: endpoint.secretAccessKey },
  };
}

async function readTargetGroups(endpoint: AwsEndpoint): Promise<LiveTargetGroup[]> {
  const sdk = loadElbV2Sdk();
  const client = new sdk.ElasticLoadBalancingV2Client(clientTarget(endpoint));
  try {
    const groups = (await client.send(new sdk.DescribeTargetGroupsCommand({}))).TargetGroups ?? [];
    const tags = new Map<string, Record<string, string>>();
    for (let i = 0; i < groups.length; i += 20) {
      const batch = groups.slice(i, i + 20).map((g) => g.TargetGroupArn!);
      for (const d of (await client.send(new sdk.DescribeTagsCommand({ ResourceArns: batch }))).TagDescriptions ?? []) {
        tags.set(d.ResourceArn!, Object.fromEntries((d.Tags ?? []).map((t) => [t.Key!, t.Value ?? ""])));
      }
    }
    return groups.map((g) => ({
      name: g.TargetGroupName!,
      arn: g.TargetGroupArn!,
      fleet: tags.get(g.TargetGroupArn!)?.[FLEET_TAG],
      loadBalancerArns: g.LoadBalancerArns ?? [],
    }));
  } finally {
    client.destroy();
  }
}

async function readDeletionProtection(endpoint: AwsEndpoint, loadBalancerArn: string): Promise<boolean> {
  const sdk = loadElbV2Sdk();
  const client = new sdk.ElasticLoadBalancingV2Client(clientTarget(endpoint));
  try {
    const attributes =
      (await client.send(new sdk.DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: loadBalancerArn }))).Attributes ?? [];
    return attributes.find((a) => a.Key === "deletion_protection.enabled")?.Value === "true";
  } finally {
    client.destroy();
  }
}

async function templateImage(endpoint: AwsEndpoint, id: string, version: string): Promise<{ imageId?: string; latest?: number }> {
  const answer = await queryCall(endpoint, "ec2", "2016-11-15", "DescribeLaunchTemplateVersions", { LaunchTemplateId: id });
  const versions = findAll(answer, "item").filter((i) => childText(i, "versionNumber") !== undefined);
  const numbers = versions.map((v) => Number(childText(v, "versionNumber")));
  const wanted = version === "$Latest" ? Math.max(...numbers) : Number(version);
  const chosen = versions.find((v) => Number(childText(v, "versionNumber")) === wanted);
  const data = chosen ? find(chosen, "launchTemplateData") : undefined;
  return { imageId: data ? childText(data, "imageId") : undefined, latest: numbers.length ? Math.max(...numbers) : undefined };
}

function groupFrom(node: XmlNode): Omit<LiveAutoScalingGroup, "imageId" | "latestTemplateVersion"> {
  const template = node.children.find((c) => c.name === "LaunchTemplate");
  const lifetime = childText(node, "MaxInstanceLifetime");
  return {
    name: childText(node, "AutoScalingGroupName")!,
    min: Number(childText(node, "MinSize")),
    max: Number(childText(node, "MaxSize")),
    desired: Number(childText(node, "DesiredCapacity")),
    ...(lifetime ? { maxInstanceLifetime: Number(lifetime) } : {}),
    targetGroupArns: listOf(node, "TargetGroupARNs").map((m) => m.text.trim()),
    ...(template ? { launchTemplate: { id: childText(template, "LaunchTemplateId")!, version: childText(template, "Version")! } } : {}),
    instances: listOf(node, "Instances").length,
  };
}

async function readAutoScalingGroups(endpoint: AwsEndpoint): Promise<LiveAutoScalingGroup[]> {
  const answer = await queryCall(endpoint, "autoscaling", "2011-01-01", "DescribeAutoScalingGroups", { MaxRecords: 100 });
  const groups = listOf(find(answer, "DescribeAutoScalingGroupsResult")!, "AutoScalingGroups").map(groupFrom);
  return Promise.all(
    groups.map(async (g) => {
      if (!g.launchTemplate) return g;
      const image = await templateImage(endpoint, g.launchTemplate.id, g.launchTemplate.version);
      return { ...g, imageId: image.imageId, latestTemplateVersion: image.latest };
    }),
  );
}

/** Reads everything the deploy tests compare with the configuration. */
export async function readLiveDeployment(
  endpoint: AwsEndpoint,
  loadBalancerName: string,
  trafficPort: number,
): Promise<LiveDeploymentState> {
  const target = { ...clientTarget(endpoint), loadBalancerName };
  const [routing, anchors, targetGroups, autoScalingGroups] = await Promise.all([
    readLiveRouting({ ...target, port: trafficPort }),
    readLiveRouting({ ...target, port: ANCHOR_LISTENER_PORT }),
    readTargetGroups(endpoint),
    readAutoScalingGroups(endpoint),
  ]);
  const deletionProtection = await readDeletionProtection(endpoint, routing.loadBalancerArn);
  return { loadBalancer: { arn: routing.loadBalancerArn, deletionProtection }, routing, anchors, targetGroups, autoScalingGroups };
}

// ---- what the synthesized configuration says ----

type Resources = Record<string, Record<string, any>>;

function resources(json: TerraformJson, type: string): Resources {
  return json.resource?.[type] ?? {};
}

/** `${aws_lb_target_group.X.arn}` -> X */
function referencedId(reference: unknown, type: string): string | undefined {
  const match = new RegExp(`^\\$\\{${type}\\.([^.}]+)\\.`).exec(String(reference));
  return match?.[1];
}

/**
 * Every way the live deployment differs from the synthesized configuration: listener rules
 * (priorities, conditions, weights) against the compiled table, anchor rules, target groups,
 * Auto Scaling groups (name, sizes, lifetime, target groups, image and template version) and the
 * load balancer's deletion protection. Empty when the deployment is what the configuration says.
 */
export function liveMismatches(json: TerraformJson, compiled: CompiledRouting<RouteTarget>, live: LiveDeploymentState): string[] {
  const problems: string[] = compareRouting(compiled, live.routing).map((d) => `traffic listener: ${d.message}`);
  const targetGroups = resources(json, "aws_lb_target_group");
  const tgName = (id: string) => targetGroups[id]?.name as string;
  const liveTg = new Map(live.targetGroups.map((g) => [g.arn, g]));

  // Anchor rules: one per fleet, on the anchor listener, each forwarding to that fleet's target group.
  const listeners = resources(json, "aws_lb_listener");
  const anchorListenerId = Object.keys(listeners).find((id) => listeners[id].port === ANCHOR_LISTENER_PORT);
  const expectedAnchors = Object.values(resources(json, "aws_lb_listener_rule"))
    .filter((r) => referencedId(r.listener_arn, "aws_lb_listener") === anchorListenerId)
    // A fleet with a canary attaches its target group and the canary's.
    .map(
      (r) =>
        `${r.priority} -> ${(r.action[0].forward.target_group as { arn: string }[])
          .map((g) => tgName(referencedId(g.arn, "aws_lb_target_group")!))
          .sort()
          .join(",")}`,
    )
    .sort();
  const liveAnchors = live.anchors.rules
    .map(
      (r) =>
        `${r.priority} -> ${
          r.action.type === "forward"
            ? r.action.targets
                .map((t) => t.fleet.targetGroupName)
                .sort()
                .join(",")
            : r.action.type
        }`,
    )
    .sort();
  if (JSON.stringify(expectedAnchors) !== JSON.stringify(liveAnchors)) {
    problems.push(`anchor listener: expected rules ${JSON.stringify(expectedAnchors)}, live ${JSON.stringify(liveAnchors)}`);
  }

  const expectedGroups = Object.values(targetGroups)
    .map((g) => g.name as string)
    .sort();
  const liveGroups = live.targetGroups.map((g) => g.name).sort();
  if (JSON.stringify(expectedGroups) !== JSON.stringify(liveGroups)) {
    problems.push(`target groups: expected ${JSON.stringify(expectedGroups)}, live ${JSON.stringify(liveGroups)}`);
  }
  // A group is attached to the load balancer exactly while a listener action forwards to it (an anchor
  // or a traffic rule); a fleet the routing table no longer names keeps its group, detached.
  const forwardedTo = new Set(
    [
      ...Object.values(resources(json, "aws_lb_listener_rule")).map((r) => r.action),
      ...Object.values(listeners).map((l) => l.default_action),
    ]
      .flatMap((actions: any[] | undefined) => actions ?? [])
      .flatMap((a: any) => a.forward?.target_group ?? [])
      .map((g: any) => tgName(referencedId(g.arn, "aws_lb_target_group")!)),
  );
  for (const g of live.targetGroups) {
    const attached = g.loadBalancerArns.includes(live.loadBalancer.arn);
    if (attached !== forwardedTo.has(g.name)) {
      problems.push(
        `target group ${g.name}: ${attached ? "attached to" : "not attached to"} the load balancer, the configuration ${forwardedTo.has(g.name) ? "forwards" : "forwards nothing"} to it`,
      );
    }
  }

  const templates = resources(json, "aws_launch_template");
  const expectedAsgs = Object.values(resources(json, "aws_autoscaling_group"));
  const liveAsgs = new Map(live.autoScalingGroups.map((g) => [g.name, g]));
  const expectedNames = expectedAsgs.map((g) => g.name as string).sort();
  if (JSON.stringify(expectedNames) !== JSON.stringify([...liveAsgs.keys()].sort())) {
    problems.push(`Auto Scaling groups: expected ${JSON.stringify(expectedNames)}, live ${JSON.stringify([...liveAsgs.keys()].sort())}`);
  }
  for (const want of expectedAsgs) {
    const have = liveAsgs.get(want.name);
    if (!have) continue;
    const where = `Auto Scaling group ${want.name}`;
    for (const [field, expected, actual] of [
      ["min_size", want.min_size, have.min],
      ["max_size", want.max_size, have.max],
      ["desired_capacity", want.desired_capacity, have.desired],
      ["max_instance_lifetime", want.max_instance_lifetime, have.maxInstanceLifetime],
      ["running instances", want.desired_capacity, have.instances],
    ] as const) {
      if (expected !== undefined && expected !== actual) problems.push(`${where}: ${field} expected ${expected}, live ${actual}`);
    }
    const wantGroups = (want.target_group_arns ?? []).map((ref: string) => tgName(referencedId(ref, "aws_lb_target_group")!)).sort();
    const haveGroups = have.targetGroupArns.map((arn) => liveTg.get(arn)?.name ?? arn).sort();
    if (JSON.stringify(wantGroups) !== JSON.stringify(haveGroups))
      problems.push(`${where}: target groups expected ${JSON.stringify(wantGroups)}, live ${JSON.stringify(haveGroups)}`);
    const templateId = referencedId(want.launch_template?.id, "aws_launch_template");
    const image = templateId ? templates[templateId]?.image_id : undefined;
    if (image !== undefined && image !== have.imageId)
      problems.push(`${where}: runs image ${have.imageId}, the configuration says ${image}`);
    if (have.latestTemplateVersion !== undefined && String(have.latestTemplateVersion) !== have.launchTemplate?.version) {
      problems.push(
        `${where}: pinned to launch template version ${have.launchTemplate?.version}, the newest is ${have.latestTemplateVersion}`,
      );
    }
  }

  const balancer = Object.values(resources(json, "aws_lb"))[0];
  if (balancer && Boolean(balancer.enable_deletion_protection) !== live.loadBalancer.deletionProtection) {
    problems.push(
      `load balancer: deletion protection expected ${Boolean(balancer.enable_deletion_protection)}, live ${live.loadBalancer.deletionProtection}`,
    );
  }
  return problems;
}
