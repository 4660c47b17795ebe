/**
 * Jest matchers that state change guarantees the way users say them:
 *   expect(diff).toOnlyTouch({ update: ["aws_lb_listener_rule"] })
 * reads "applying this updates listener rules in place and does nothing else".
 */
import { ChangeAction, PlanDiff, ResourceChange } from "../../../lib/terraform/plan-changes";
import { buildAppliedBaseline, StackConfig } from "../../../lib/terraform/plan-diff";

/** The load balancer, its listeners, its security group and its access-log bucket: no routine change may replace or delete them. */
export const FRONT_DOOR_TYPES = ["aws_lb", "aws_lb_listener", "aws_s3_bucket", "aws_security_group"];

/**
 * Builds one "as applied" baseline of `before` (or reads it from the on-disk cache) and plans
 * every change against it, all in one terraform run (`diffAll`, see lib/terraform/batch-plan.ts).
 * Prints the timings, so slow baselines show in the test log.
 */
export async function diffsAgainst<K extends string>(
  label: string,
  before: StackConfig,
  changes: Record<K, StackConfig>,
): Promise<Record<K, PlanDiff>> {
  const baseline = await buildAppliedBaseline(before);
  const started = Date.now();
  const diffs = await baseline.diffAll(changes);
  const source = baseline.cachedIn ? "read from the cache" : `built in ${baseline.rounds} plans`;
  // eslint-disable-next-line no-console
  console.info(
    `plan-diff timings (${label}): baseline ${baseline.elapsedMs} ms, ${source}; ${Object.keys(changes).length} changes planned together in ${Date.now() - started} ms`,
  );
  return diffs;
}

/** Resource types allowed (and expected) per action; anything not listed must not happen. */
export type TouchSpec = Partial<Record<Exclude<ChangeAction, "no-op">, readonly string[]>>;

function describeChange(c: ResourceChange): string {
  const why = c.replacedBecause?.length
    ? ` (forced by ${c.replacedBecause.join(", ")})`
    : c.changedAttributes?.length
      ? ` (${c.changedAttributes.join(", ")})`
      : "";
  return `${c.action} ${c.address}${why}`;
}

function toOnlyTouch(this: jest.MatcherContext, diff: PlanDiff, spec: TouchSpec): jest.CustomMatcherResult {
  const unexpected = diff.changes.filter((c) => c.action === "no-op" || !(spec[c.action] ?? []).includes(c.type));
  const missing = Object.entries(spec).flatMap(([action, types]) =>
    (types ?? [])
      .filter((type) => !diff.changes.some((c) => c.action === action && c.type === type))
      .map((type) => `${action} of a ${type}`),
  );
  const pass = unexpected.length === 0 && missing.length === 0;
  const message = () =>
    [
      `expected the plan to ${this.isNot ? "not " : ""}only touch ${JSON.stringify(spec)}`,
      ...(unexpected.length ? ["changes outside that:", ...unexpected.map((c) => `  ${describeChange(c)}`)] : []),
      ...(missing.length ? ["expected but absent:", ...missing.map((m) => `  ${m}`)] : []),
      "the whole plan:",
      diff.toTable(),
    ].join("\n");
  return { pass, message };
}

/** Fails listing each replaced or deleted resource of the given types. */
function toKeep(this: jest.MatcherContext, diff: PlanDiff, types: readonly string[]): jest.CustomMatcherResult {
  const lost = diff.changes.filter((c) => types.includes(c.type) && (c.action === "replace" || c.action === "delete"));
  return {
    pass: lost.length === 0,
    message: () =>
      this.isNot
        ? `expected some of ${types.join(", ")} to be replaced or deleted, none is`
        : [`expected no ${types.join(", ")} to be replaced or deleted:`, ...lost.map((c) => `  ${describeChange(c)}`)].join("\n"),
  };
}

expect.extend({ toOnlyTouch, toKeep });

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** Every change is one of `spec`'s (action, type) pairs, and each pair occurs at least once. */
      toOnlyTouch(spec: TouchSpec): R;
      /** No resource of these types is replaced or deleted. */
      toKeep(types: readonly string[]): R;
    }
  }
}

/** Action and address of every change, sorted: compare with toEqual for a readable failure. */
export function changeList(diff: PlanDiff): string[] {
  return diff.changes.map((c) => `${c.action} ${c.address}`);
}
