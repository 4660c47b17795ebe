/**
 * The parts of `terraform show -json <planfile>` this library reads (format 1.x).
 * See https://developer.hashicorp.com/terraform/internals/json-format.
 */

/** Terraform's action list for one resource instance. A replacement is two actions. */
export type PlanActions = ReadonlyArray<"no-op" | "create" | "read" | "update" | "delete" | "forget">;

/** A structure parallel to a value: `true` where the value is unknown until apply. */
export type UnknownMarkers = boolean | readonly UnknownMarkers[] | { readonly [key: string]: UnknownMarkers };

export interface PlanResourceChange {
  readonly address: string;
  readonly module_address?: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly index?: number | string;
  readonly provider_name: string;
  /** Set for a deposed object (a create-before-destroy leftover); such entries are not instances of the configuration. */
  readonly deposed?: string;
  readonly change: {
    readonly actions: PlanActions;
    readonly before: Record<string, unknown> | null;
    readonly after: Record<string, unknown> | null;
    readonly after_unknown?: UnknownMarkers;
    /** Which parts of `after` are sensitive: `true` leaves in the shape of the value (objects, lists). */
    readonly after_sensitive?: UnknownMarkers;
    /** Paths (lists of attribute names and indexes) whose change forces the replacement. */
    readonly replace_paths?: ReadonlyArray<ReadonlyArray<string | number>>;
  };
  readonly action_reason?: string;
}

export interface PlanStateResource {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly index?: number | string;
  readonly provider_name: string;
  readonly schema_version: number;
  readonly values: Record<string, unknown>;
}

export interface PlanStateModule {
  readonly address?: string;
  readonly resources?: readonly PlanStateResource[];
  readonly child_modules?: readonly PlanStateModule[];
}

export interface PlanConfigResource {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly provider_config_key?: string;
  readonly expressions?: Record<string, unknown>;
  readonly depends_on?: readonly string[];
}

export interface PlanConfigModule {
  readonly resources?: readonly PlanConfigResource[];
  readonly module_calls?: Record<string, { readonly module?: PlanConfigModule }>;
}

export interface PlanJson {
  readonly format_version: string;
  readonly terraform_version: string;
  readonly resource_changes?: readonly PlanResourceChange[];
  readonly prior_state?: { readonly values?: { readonly root_module?: PlanStateModule } };
  readonly configuration?: {
    readonly provider_config?: Record<string, { readonly expressions?: Record<string, { readonly constant_value?: unknown }> }>;
    readonly root_module?: PlanConfigModule;
  };
}

/** Every resource in a state module tree, depth first. */
export function stateResources(module: PlanStateModule | undefined): PlanStateResource[] {
  if (!module) return [];
  return [...(module.resources ?? []), ...(module.child_modules ?? []).flatMap(stateResources)];
}

/** The region the default AWS provider block names, if it is a constant. */
export function providerRegion(plan: PlanJson): string | undefined {
  const region = plan.configuration?.provider_config?.aws?.expressions?.region?.constant_value;
  return typeof region === "string" ? region : undefined;
}
