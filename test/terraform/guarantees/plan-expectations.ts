/**
 * Jest matchers that state change guarantees the way users say them:
 *   expect(diff).toOnlyTouch({ update: ["aws_lb_listener_rule"] })
 * reads "applying this updates listener rules in place and does nothing else".
 */
import { ChangeAction, PlanDiff, ResourceChange } from "../../../lib/terraform/plan-changes";

/** Resource types allowed (and expected) per action; anything not listed must not happen. */
export type TouchSpec = Partial<Record<Exclude<ChangeAction, "no-op">, readonly string[]>>;

function describeChange(c: ResourceChange): string {
  const why = c.replacedBecause?.length ? ` (forced by ${c.replacedBecause.join(", ")})` : c.changedAttributes?.length ? ` (${c.changedAttributes.join(", ")})` : "";
  return `${c.action} ${c.address}${why}`;
}

function toOnlyTouch(this: jest.MatcherContext, diff: PlanDiff, spec: TouchSpec): jest.CustomMatcherResult {
  const unexpected = diff.changes.filter((c) => c.action === "no-op" || !(spec[c.action] ?? []).includes(c.type));
  const missing = Object.entries(spec).flatMap(([action, types]) =>
    (types ?? []).filter((type) => !diff.changes.some((c) => c.action === action && c.type === type)).map((type) => `${action} of a ${type}`),
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
