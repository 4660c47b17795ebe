/**
 * Builds the Terraform state an apply of a plan would have left, without applying it:
 * each planned value known only after apply (IDs, ARNs, versions) becomes a placeholder of
 * the right shape (see placeholders.ts) or a typed empty value from the provider schema.
 * Pure: input is `terraform show -json` of a plan and `terraform providers schema -json`.
 *
 * A value that is unknown because it comes from another resource (an ASG's launch template
 * ID) is resolved from that resource's placeholder while the state is built, resources in
 * dependency order (reference-values.ts), so one plan fills nearly everything. What needs
 * Terraform to evaluate (`${jsonencode(...)}`, a data source read with unknown inputs) is filled
 * with a typed empty value, and only the next plan knows it. The caller repeats plan + build
 * until the plan is empty (see `buildAppliedBaseline`).
 */
import { createHash } from "node:crypto";
import { PlanConfigResource, PlanJson, PlanResourceChange, providerRegion, stateResources, UnknownMarkers } from "./plan-json";
import { PlaceholderContext, placeholderNumber, placeholderString } from "./placeholders";
import { childNode, emptyValue, primitiveOf, ProviderSchemasJson, resourceSchema, SchemaNode } from "./provider-schema";
import { evaluateConfigured, ReferenceLookup, resolveReferencedUnknowns, splitTraversal } from "./reference-values";

/** One object in state (format version 4). */
export interface StateInstanceV4 {
  readonly index_key?: number | string;
  readonly schema_version: number;
  readonly attributes: Record<string, unknown>;
  readonly sensitive_attributes: readonly unknown[];
  readonly dependencies?: readonly string[];
}

export interface StateResourceV4 {
  readonly module?: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly provider: string;
  readonly instances: readonly StateInstanceV4[];
}

/** A Terraform state file, format version 4 (Terraform 0.12 and later). */
export interface StateV4 {
  readonly version: 4;
  readonly terraform_version: string;
  readonly serial: number;
  readonly lineage: string;
  readonly outputs: Record<string, unknown>;
  readonly resources: readonly StateResourceV4[];
}

export interface AppliedStateOptions {
  /** The state the plan was made against, whose unchanged objects are kept as they are. @default - none */
  readonly previous?: StateV4;
  /** Region for placeholder ARNs. @default - the `aws` provider's `region`, else "us-east-1" */
  readonly region?: string;
  /**
   * Resolve unknowns whose configured value is a reference to another resource (or a string
   * template of such references) from that resource's value in this state.
   * @default true
   */
  readonly resolveReferences?: boolean;
  /** The configuration's `locals` (of the synthesized JSON), for values computed from them. @default - none */
  readonly locals?: Readonly<Record<string, unknown>>;
}

/** An "as applied" state, and the configured values in it that only the next plan knows. */
export interface AppliedStateReport {
  readonly state: StateV4;
  /** `address: path` of every configured value left unknown (empty: the next plan most likely changes nothing). */
  readonly unresolved: readonly string[];
}

const DEFAULT_REGION = "us-east-1";

/** A resource's address without the instance key: `module.x.aws_lb.Main`, `data.aws_region.R`. */
function resourceAddress(r: { module_address?: string; mode: string; type: string; name: string }): string {
  const local = `${r.mode === "data" ? "data." : ""}${r.type}.${r.name}`;
  return r.module_address ? `${r.module_address}.${local}` : local;
}

function instanceKey(resource: string, index: number | string | undefined): string {
  return index === undefined ? resource : `${resource}[${JSON.stringify(index)}]`;
}

/**
 * Replaces every unknown in `value` (as marked in `unknown`) with a placeholder or a typed
 * empty value. `node` is the schema of `value`; `path` its location in the resource.
 */
export function fillUnknowns(
  value: unknown,
  unknown: UnknownMarkers | undefined,
  node: SchemaNode,
  ctx: Omit<PlaceholderContext, "path">,
  path: ReadonlyArray<string | number> = [],
  stopgaps?: string[],
): unknown {
  if (unknown === true) {
    const filled = placeholderFor(node, { ...ctx, path: path.join(".") });
    if (filled.stopgap) stopgaps?.push(path.join("."));
    return filled.value;
  }
  if (Array.isArray(unknown)) {
    const items = Array.isArray(value) ? value : [];
    return items.map((item, i) => fillUnknowns(item, unknown[i], childNode(node, i), ctx, [...path, i], stopgaps));
  }
  if (unknown && typeof unknown === "object") {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const [key, marker] of Object.entries(unknown as Record<string, UnknownMarkers>)) {
      out[key] = fillUnknowns(out[key], marker, childNode(node, key), ctx, [...path, key], stopgaps);
    }
    return out;
  }
  return value;
}

/**
 * A placeholder, or a typed empty value: a stopgap that the next plan replaces with the real
 * value when the attribute is configured (it must not be copied into another resource).
 */
function placeholderFor(node: SchemaNode, ctx: PlaceholderContext): { value: unknown; stopgap: boolean } {
  const primitive = primitiveOf(node);
  if (primitive === "string") {
    const known = placeholderString(ctx);
    return known === undefined ? { value: "", stopgap: true } : { value: known, stopgap: false };
  }
  if (primitive === "number") return { value: placeholderNumber(ctx), stopgap: false };
  if (primitive === "bool") return { value: false, stopgap: false };
  if (node.kind === "unknown") {
    const known = placeholderString(ctx);
    return known === undefined ? { value: null, stopgap: true } : { value: known, stopgap: false };
  }
  return { value: emptyValue(node), stopgap: true };
}

/** Every string in an expression tree's `references` lists. */
function collectReferences(expressions: unknown, into: Set<string>): void {
  if (Array.isArray(expressions)) {
    for (const e of expressions) collectReferences(e, into);
    return;
  }
  if (!expressions || typeof expressions !== "object") return;
  for (const [key, value] of Object.entries(expressions as Record<string, unknown>)) {
    if (key === "references" && Array.isArray(value)) {
      for (const ref of value) if (typeof ref === "string") into.add(ref);
    } else {
      collectReferences(value, into);
    }
  }
}

/** The resource addresses a root-module resource refers to or depends on, as state's `dependencies` lists them. */
function dependenciesOf(resource: PlanConfigResource, known: ReadonlySet<string>): string[] {
  const refs = new Set<string>(resource.depends_on ?? []);
  collectReferences(resource.expressions, refs);
  const deps = new Set<string>();
  for (const ref of refs) {
    const parts = ref.replace(/\[[^\]]*\]/g, "").split(".");
    const candidate = parts[0] === "data" ? parts.slice(0, 3).join(".") : parts.slice(0, 2).join(".");
    if (known.has(candidate) && candidate !== resource.address) deps.add(candidate);
  }
  return [...deps].sort();
}

function providerAddress(providerName: string, configKey: string | undefined): string {
  const alias = configKey?.includes(".") ? configKey.slice(configKey.indexOf(".") + 1) : undefined;
  return `provider[${JSON.stringify(providerName)}]${alias ? `.${alias}` : ""}`;
}

function stableLineage(plan: PlanJson): string {
  const addresses = (plan.resource_changes ?? [])
    .map((rc) => rc.address)
    .sort()
    .join("\n");
  const h = createHash("sha256").update(addresses).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

interface PendingInstance {
  readonly resource: Omit<StateResourceV4, "instances">;
  readonly instance: StateInstanceV4;
}

function previousInstances(previous: StateV4 | undefined): Map<string, PendingInstance> {
  const found = new Map<string, PendingInstance>();
  for (const r of previous?.resources ?? []) {
    const { instances, ...resource } = r;
    const address = resourceAddress({ module_address: r.module, mode: r.mode, type: r.type, name: r.name });
    for (const instance of instances) found.set(instanceKey(address, instance.index_key), { resource, instance });
  }
  return found;
}

/**
 * The state after applying `plan`: created and updated objects get their planned values with
 * placeholders for the unknowns, deleted ones are dropped, unchanged ones are kept from
 * `options.previous`, and data sources keep the values the plan read.
 */
export function appliedStateFromPlan(plan: PlanJson, schemas: ProviderSchemasJson, options: AppliedStateOptions = {}): StateV4 {
  return appliedStateReport(plan, schemas, options).state;
}

/** `appliedStateFromPlan`, with the configured values it could not resolve. */
export function appliedStateReport(plan: PlanJson, schemas: ProviderSchemasJson, options: AppliedStateOptions = {}): AppliedStateReport {
  const region = options.region ?? providerRegion(plan) ?? DEFAULT_REGION;
  const configResources = plan.configuration?.root_module?.resources ?? [];
  const configByAddress = new Map(configResources.map((r) => [r.address, r]));
  const configAddresses = new Set(configResources.map((r) => r.address));
  const before = previousInstances(options.previous);
  const after = new Map<string, PendingInstance>();

  const describe = (r: { module_address?: string; mode: "managed" | "data"; type: string; name: string; provider_name: string }) => {
    const address = resourceAddress(r);
    const config = r.module_address ? undefined : configByAddress.get(address);
    return {
      address,
      resource: {
        ...(r.module_address ? { module: r.module_address } : {}),
        mode: r.mode,
        type: r.type,
        name: r.name,
        provider: providerAddress(r.provider_name, config?.provider_config_key),
      },
      dependencies: config ? dependenciesOf(config, configAddresses) : [],
      schemaVersion: resourceSchema(schemas, r.provider_name, r.mode, r.type).version,
    };
  };

  // Attributes of every object of the new state, by instance address, filled on first use so a
  // resource's references are resolved before its own placeholders are derived (a listener's
  // ARN embeds its load balancer's). `stopgaps` lists the paths filled with a typed empty value.
  const filled = new Map<string, { attributes: Record<string, unknown>; stopgaps: readonly string[] }>();
  const toFill = new Map<string, PlanResourceChange>();
  const filling = new Set<string>();
  const resolve = options.resolveReferences ?? true;

  const unresolved: string[] = [];
  const localValues = new Map<string, { found: true; value: unknown } | { found: false }>();
  const evaluatingLocals = new Set<string>();
  const localValue = (name: string): { found: true; value: unknown } | { found: false } => {
    const known = localValues.get(name);
    if (known) return known;
    if (!options.locals || !(name in options.locals) || evaluatingLocals.has(name)) return { found: false };
    evaluatingLocals.add(name);
    const evaluated = evaluateConfigured(options.locals[name], "dynamic", lookup);
    evaluatingLocals.delete(name);
    const result = evaluated.ok ? { found: true as const, value: evaluated.value } : { found: false as const };
    localValues.set(name, result);
    return result;
  };

  const lookup: ReferenceLookup = (traversal) => {
    if (traversal.startsWith("local.")) {
      const [, name, ...rest] = [...traversal.matchAll(/\[(\d+)\]|\["([^"\]]*)"\]|\.?([\w-]+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
      const local = localValue(name);
      if (!local.found) return local;
      let value: unknown = local.value;
      for (const segment of rest) {
        if (Array.isArray(value) && /^\d+$/.test(segment)) value = value[Number(segment)];
        else if (value && typeof value === "object" && !Array.isArray(value)) value = (value as Record<string, unknown>)[segment];
        else return { found: false };
        if (value === undefined) return { found: false };
      }
      return { found: true, value };
    }
    const { address, path } = splitTraversal(traversal);
    const target = attributesOf(address);
    if (!target) return { found: false };
    const dotted = path.join(".");
    // A stopgap (or anything inside or around one) is not the value the apply would produce.
    if (target.stopgaps.some((s) => s === dotted || s.startsWith(`${dotted}.`) || dotted.startsWith(`${s}.`))) return { found: false };
    let value: unknown = target.attributes;
    for (const segment of path) {
      if (Array.isArray(value) && /^\d+$/.test(segment)) value = value[Number(segment)];
      else if (value && typeof value === "object" && !Array.isArray(value)) value = (value as Record<string, unknown>)[segment];
      else return { found: false };
      if (value === undefined) return { found: false };
    }
    return { found: true, value };
  };

  function attributesOf(address: string): { attributes: Record<string, unknown>; stopgaps: readonly string[] } | undefined {
    const done = filled.get(address);
    if (done) return done;
    const rc = toFill.get(address);
    if (!rc || filling.has(address)) return undefined;
    filling.add(address);
    const schema = resourceSchema(schemas, rc.provider_name, rc.mode, rc.type);
    const node: SchemaNode = { kind: "block", block: schema.block };
    let known = (rc.change.after ?? {}) as Record<string, unknown>;
    let unknown = rc.change.after_unknown;
    const config = rc.module_address ? undefined : configByAddress.get(resourceAddress(rc));
    if (resolve && config?.expressions) {
      const missed: string[] = [];
      const resolved = resolveReferencedUnknowns(known, unknown, config.expressions, schema.block, lookup, missed);
      unresolved.push(...missed.map((path) => `${rc.address}: ${path}`));
      known = resolved.value as Record<string, unknown>;
      unknown = resolved.unknown;
    }
    const stopgaps: string[] = [];
    const attributes = fillUnknowns(known, unknown, node, { type: rc.type, address: rc.address, known, region }, [], stopgaps) as Record<
      string,
      unknown
    >;
    const entry = { attributes, stopgaps };
    filled.set(address, entry);
    filling.delete(address);
    return entry;
  }

  // Data sources read during the plan, and objects the plan leaves as they are, are final values.
  for (const r of stateResources(plan.prior_state?.values?.root_module)) {
    if (r.mode === "data") filled.set(r.address, { attributes: r.values, stopgaps: [] });
  }
  for (const rc of plan.resource_changes ?? []) {
    if (rc.deposed) continue;
    const kept = before.get(rc.address);
    if (rc.change.actions.length === 1 && rc.change.actions[0] === "no-op" && kept) {
      filled.set(rc.address, { attributes: kept.instance.attributes, stopgaps: [] });
    } else if (!(rc.change.actions.includes("delete") && !rc.change.actions.includes("create"))) {
      toFill.set(rc.address, rc);
    }
  }

  for (const rc of plan.resource_changes ?? []) {
    if (rc.deposed) continue;
    const key = rc.address;
    const actions = rc.change.actions;
    if (actions.includes("delete") && !actions.includes("create")) continue;
    if (actions.includes("forget")) continue;
    const d = describe(rc);
    const kept = before.get(key);
    if (actions.length === 1 && actions[0] === "no-op" && kept) {
      after.set(key, { resource: d.resource, instance: kept.instance });
      continue;
    }
    if (rc.mode === "data" && actions.includes("read") && !rc.change.after) continue;
    after.set(key, {
      resource: d.resource,
      instance: {
        ...(rc.index === undefined ? {} : { index_key: rc.index }),
        schema_version: d.schemaVersion,
        attributes: attributesOf(rc.address)!.attributes,
        // As apply records them: without the marks of the schema's sensitive attributes (e.g. an SSM
        // parameter's `value`), Terraform plans an update that only changes sensitivity, forever.
        sensitive_attributes: sensitivePaths(rc.change.after_sensitive),
        ...(rc.mode === "managed" ? { dependencies: d.dependencies } : {}),
      },
    });
  }

  // Data sources read during the plan appear in its prior state, not in its changes.
  for (const r of stateResources(plan.prior_state?.values?.root_module)) {
    if (r.mode !== "data" || after.has(r.address)) continue;
    const moduleAddress = r.address.startsWith("module.") ? r.address.slice(0, r.address.lastIndexOf(".data.")) : undefined;
    const d = describe({ ...r, module_address: moduleAddress });
    after.set(r.address, {
      resource: d.resource,
      instance: {
        ...(r.index === undefined ? {} : { index_key: r.index }),
        schema_version: r.schema_version,
        attributes: r.values,
        sensitive_attributes: [],
      },
    });
  }

  const state: StateV4 = {
    version: 4,
    terraform_version: plan.terraform_version,
    serial: (options.previous?.serial ?? 0) + 1,
    lineage: options.previous?.lineage ?? stableLineage(plan),
    outputs: {},
    resources: groupInstances([...after.values()]),
  };
  return { state, unresolved: resolve ? unresolved : ["references not resolved"] };
}

/**
 * A plan's `after_sensitive` markers as the state's `sensitive_attributes`: one path per `true`
 * leaf, attribute names as `get_attr` steps and list positions as `index` steps (state format v4).
 */
export function sensitivePaths(markers: unknown, prefix: readonly object[] = []): object[][] {
  if (markers === true) return prefix.length > 0 ? [[...prefix]] : [];
  if (Array.isArray(markers)) {
    return markers.flatMap((m, i) => sensitivePaths(m, [...prefix, { type: "index", value: { value: i, type: "number" } }]));
  }
  if (typeof markers === "object" && markers !== null) {
    return Object.entries(markers).flatMap(([key, m]) => sensitivePaths(m, [...prefix, { type: "get_attr", value: key }]));
  }
  return [];
}

/** Groups instances by resource, in Terraform's order (module, mode, type, name). */
function groupInstances(pending: readonly PendingInstance[]): StateResourceV4[] {
  const byResource = new Map<string, { resource: Omit<StateResourceV4, "instances">; instances: StateInstanceV4[] }>();
  for (const { resource, instance } of pending) {
    const key = [resource.module ?? "", resource.mode, resource.type, resource.name].join("\u0000");
    const entry = byResource.get(key) ?? { resource, instances: [] };
    entry.instances.push(instance);
    byResource.set(key, entry);
  }
  return [...byResource.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { resource, instances }]) => ({
      ...resource,
      instances: [...instances].sort((a, b) => String(a.index_key ?? "").localeCompare(String(b.index_key ?? ""))),
    }));
}

/** Whether a plan changes nothing that is managed: the state it was made against is a converged "as applied" state. */
export function planIsEmpty(plan: PlanJson): boolean {
  return (plan.resource_changes ?? []).every((rc) => rc.mode === "data" || rc.change.actions.every((a) => a === "no-op"));
}

/** A state with nothing in it: what an empty configuration leaves after apply. */
export function emptyState(terraformVersion: string): StateV4 {
  return {
    version: 4,
    terraform_version: terraformVersion,
    serial: 1,
    lineage: "00000000-0000-0000-0000-000000000000",
    outputs: {},
    resources: [],
  };
}
