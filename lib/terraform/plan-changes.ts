/**
 * What a plan does to each managed resource, read from `terraform show -json`:
 * create, update in place, replace (with the attributes that force it), delete, or nothing.
 * Pure, so the reading is tested on recorded plans without running Terraform.
 */
import { PlanJson, PlanResourceChange } from "./plan-json";

export type ChangeAction = "create" | "update" | "replace" | "delete" | "no-op";

export const CHANGE_ACTIONS: readonly ChangeAction[] = ["create", "update", "replace", "delete", "no-op"];

export interface ResourceChange {
  /** Terraform address, e.g. `aws_lb_listener_rule.Router_Rule_api_9F3A2B1C`. */
  readonly address: string;
  /** Resource type, e.g. `aws_lb_listener_rule`. */
  readonly type: string;
  readonly action: ChangeAction;
  /** For a replacement: the attributes whose change forces it, e.g. `["name"]` or `["network_interfaces.0.subnet_id"]`. */
  readonly replacedBecause?: readonly string[];
  /** For an update or a replacement: the top-level attributes whose value changes. */
  readonly changedAttributes?: readonly string[];
}

function actionOf(rc: PlanResourceChange): ChangeAction {
  const actions = [...rc.change.actions].sort().join(",");
  switch (actions) {
    case "no-op":
    case "read":
      return "no-op";
    case "create":
      return "create";
    case "update":
      return "update";
    case "create,delete":
      return "replace";
    case "delete":
    case "forget":
      return "delete";
    default:
      throw new Error(
        `${rc.address}: unrecognized plan actions ${JSON.stringify(rc.change.actions)}; update plan-changes.ts for this Terraform version`,
      );
  }
}

function isZeroValue(value: unknown): boolean {
  if (value === null || value === undefined || value === "" || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && Object.keys(value as object).length === 0;
}

/**
 * Whether two values are the same for the provider. An unset attribute is null in some plans
 * and its type's zero value ("", 0, false, empty collection) in others: the SDK most AWS
 * resources are written with stores unset attributes as zero values after an apply, and plans
 * an update from that state, while a create plans them as null. Both mean "not set".
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (isZeroValue(a) && isZeroValue(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Top-level attributes whose planned value differs from the prior one, or is unknown until apply. */
function changedAttributes(rc: PlanResourceChange): string[] {
  const before = rc.change.before ?? {};
  const after = rc.change.after ?? {};
  const unknown = (rc.change.after_unknown ?? {}) as Record<string, unknown>;
  const keys = new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(unknown)]);
  return [...keys].filter((k) => !sameValue(before[k], after[k]) || containsTrue(unknown[k])).sort();
}

function containsTrue(marker: unknown): boolean {
  if (marker === true) return true;
  if (Array.isArray(marker)) return marker.some(containsTrue);
  if (marker && typeof marker === "object") return Object.values(marker).some(containsTrue);
  return false;
}

export class PlanDiff {
  /** Reads the managed-resource changes of a plan (`terraform show -json` output). */
  static fromPlanJson(plan: PlanJson): PlanDiff {
    const entries = (plan.resource_changes ?? [])
      .filter((rc) => rc.mode === "managed" && !rc.deposed)
      .map((rc): ResourceChange => {
        const action = actionOf(rc);
        const replacedBecause = action === "replace" ? (rc.change.replace_paths ?? []).map((p) => p.join(".")).sort() : undefined;
        const changed = action === "update" || action === "replace" ? changedAttributes(rc) : undefined;
        return {
          address: rc.address,
          type: rc.type,
          action,
          ...(replacedBecause ? { replacedBecause } : {}),
          ...(changed ? { changedAttributes: changed } : {}),
        };
      })
      .sort((a, b) => a.address.localeCompare(b.address));
    return new PlanDiff(entries);
  }

  /** Every managed resource in the plan, sorted by address. */
  readonly entries: readonly ResourceChange[];

  constructor(entries: readonly ResourceChange[]) {
    this.entries = entries;
  }

  /** The resources the plan changes (every action but no-op). */
  get changes(): readonly ResourceChange[] {
    return this.entries.filter((e) => e.action !== "no-op");
  }

  /** Whether applying the plan would change nothing. */
  get isEmpty(): boolean {
    return this.changes.length === 0;
  }

  ofType(type: string): readonly ResourceChange[] {
    return this.entries.filter((e) => e.type === type);
  }

  withAction(action: ChangeAction): readonly ResourceChange[] {
    return this.entries.filter((e) => e.action === action);
  }

  /** The addresses with `action`, optionally of one type, sorted. */
  addresses(action: ChangeAction, type?: string): string[] {
    return this.withAction(action)
      .filter((e) => type === undefined || e.type === type)
      .map((e) => e.address);
  }

  /** The entry for an address; throws listing the known addresses when there is none. */
  get(address: string): ResourceChange {
    const found = this.entries.find((e) => e.address === address);
    if (!found) throw new Error(`no resource ${address} in the plan; it has: ${this.entries.map((e) => e.address).join(", ")}`);
    return found;
  }

  /** Counts per action, e.g. `{ create: 0, update: 2, replace: 0, delete: 0, "no-op": 20 }`. */
  summary(): Record<ChangeAction, number> {
    const counts = Object.fromEntries(CHANGE_ACTIONS.map((a) => [a, 0])) as Record<ChangeAction, number>;
    for (const e of this.entries) counts[e.action] += 1;
    return counts;
  }

  /** A plain-text table of the changes (no-ops left out), one line per resource. */
  toTable(options: { includeNoOp?: boolean } = {}): string {
    const rows = (options.includeNoOp ? this.entries : this.changes).map((e) => {
      const why = e.replacedBecause?.length
        ? `forced by ${e.replacedBecause.join(", ")}`
        : e.changedAttributes?.length
          ? e.changedAttributes.join(", ")
          : "";
      return [e.action, e.address, why];
    });
    const s = this.summary();
    const footer = `${s.create} to create, ${s.update} to update in place, ${s.replace} to replace, ${s.delete} to delete, ${s["no-op"]} unchanged`;
    if (rows.length === 0) return `No changes. ${footer}`;
    const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i].length)));
    const lines = rows.map((r) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2]}`.trimEnd());
    return [...lines, footer].join("\n");
  }
}
