/** Builds the example layouts from their configuration, edited per test, and reads their listener rules. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { BlueGreenConfig, TwoVersionConfig } from "../../stacks/config/layout-config";
import { parseLayoutConfig } from "../../stacks/config/load-config";
import { BlueGreenStack } from "../../stacks/layouts/blue-green-stack";
import { TwoVersionStack } from "../../stacks/layouts/two-version-stack";
import { EXAMPLE_CONFIG_DIR, lockFileOf } from "../../stacks/build-app";
import { InMemoryStackLock } from "../../lib/lock/stack-lock-store";
import { synthJson, TerraformJson } from "./synth";

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };

/** A fresh, editable copy of an example configuration's raw JSON. */
export function exampleJson(file: "two-version.staging.json" | "blue-green.production.json"): any {
  return JSON.parse(readFileSync(join(EXAMPLE_CONFIG_DIR, file), "utf8"));
}

/**
 * An in-memory copy of an example's committed stack lock, as the user's next synth would read it:
 * edits keep the committed rule numbers, and no test ever writes the committed file.
 */
export function exampleLock(file: "two-version.staging.json" | "blue-green.production.json"): InMemoryStackLock {
  const path = lockFileOf(join(EXAMPLE_CONFIG_DIR, file));
  return new InMemoryStackLock(existsSync(path) ? readFileSync(path, "utf8") : undefined, {
    location: `copy of ${file.replace(/\.json$/, ".lock.json")}`,
  });
}

export function synthTwoVersion(
  edit: (config: Mutable<any>) => void = () => undefined,
  lock = exampleLock("two-version.staging.json"),
): TerraformJson {
  const raw = exampleJson("two-version.staging.json");
  edit(raw);
  const config = parseLayoutConfig(raw, "two-version.staging.json") as TwoVersionConfig;
  return synthJson(new TwoVersionStack(Testing.app(), "two-version-staging", config, "two-version.staging.json", { lockFile: lock }));
}

export function synthBlueGreen(
  edit: (config: Mutable<any>) => void = () => undefined,
  lock = exampleLock("blue-green.production.json"),
): TerraformJson {
  const raw = exampleJson("blue-green.production.json");
  edit(raw);
  const config = parseLayoutConfig(raw, "blue-green.production.json") as BlueGreenConfig;
  return synthJson(new BlueGreenStack(Testing.app(), "blue-green-prod", config, "blue-green.production.json", { lockFile: lock }));
}

export interface ListenerRuleView {
  readonly id: string;
  readonly priority: number;
  readonly conditions: any[];
  readonly actionType: string;
  /** Fleet name -> weight, for forward actions. */
  readonly weights: Record<string, number>;
  readonly dependsOn: string[];
  readonly raw: any;
}

/** Maps target group logical IDs to fleet names (the `Fleet` tag). */
function fleetByTargetGroupRef(json: TerraformJson): Record<string, string> {
  const groups = json.resource?.aws_lb_target_group ?? {};
  return Object.fromEntries(Object.entries(groups).map(([id, tg]) => [`\${aws_lb_target_group.${id}.arn}`, tg.tags.Fleet as string]));
}

function weightsOf(action: any, fleets: Record<string, string>): Record<string, number> {
  const groups: any[] = action?.forward?.target_group ?? [];
  return Object.fromEntries(groups.map((g) => [fleets[g.arn] ?? g.arn, g.weight]));
}

/**
 * Listener rules that route real traffic, sorted by priority: the router tags each with the table
 * entry it comes from (`Route`) and its kind (`RuleKind`); anchor rules carry neither.
 */
export function trafficRules(json: TerraformJson): ListenerRuleView[] {
  const fleets = fleetByTargetGroupRef(json);
  return Object.entries(json.resource?.aws_lb_listener_rule ?? {})
    .filter(([, r]) => r.tags?.RuleKind !== undefined)
    .map(([id, r]) => ({
      id,
      priority: r.priority,
      conditions: r.condition,
      actionType: r.action[0].type,
      weights: weightsOf(r.action[0], fleets),
      dependsOn: r.depends_on ?? [],
      raw: r,
    }))
    .sort((a, b) => a.priority - b.priority);
}

/** Rules whose construct ID came from the named route (or table section). */
export function rulesOf(json: TerraformJson, keyPart: string): ListenerRuleView[] {
  return trafficRules(json).filter((r) => r.id.includes(`_${keyPart}-`));
}

/** Where requests that match no rule go: fleet -> weight of the HTTPS listener's default action. */
export function defaultWeights(json: TerraformJson): Record<string, number> {
  const fleets = fleetByTargetGroupRef(json);
  const https = Object.values(json.resource?.aws_lb_listener ?? {}).find((l) => l.port === 443);
  return weightsOf(https!.default_action[0], fleets);
}

export function pathsOf(rule: ListenerRuleView): string[] {
  return rule.conditions.flatMap((c: any) => c.path_pattern?.values ?? []);
}
