/**
 * Every rule of the pack has cases (test/synth/policy/cases): a violating resource is flagged
 * with that rule, and the same resource made compliant is not. Resources are built with the
 * provider classes directly, as a user would. The cases run in rules-<area>.test.ts.
 */
import { APP_FLEETS_RULES } from "../../../lib/policy/rules";
import { COMPUTE_CASES } from "./cases/compute";
import { IAM_CASES } from "./cases/iam";
import { LOAD_BALANCING_CASES } from "./cases/load-balancing";
import { NETWORK_CASES } from "./cases/network";
import { OPERATIONS_CASES } from "./cases/operations";
import { STORAGE_CASES } from "./cases/storage";

const ALL_CASES = [...COMPUTE_CASES, ...LOAD_BALANCING_CASES, ...NETWORK_CASES, ...IAM_CASES, ...STORAGE_CASES, ...OPERATIONS_CASES];

test("every rule of the pack has a case with a violating and a compliant resource", () => {
  const covered = new Set(ALL_CASES.filter((c) => c.bad.length > 0 && c.good.length > 0).map((c) => c.ruleId));
  expect(APP_FLEETS_RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
});

test("every case names a rule of the pack", () => {
  const ids = APP_FLEETS_RULES.map((r) => r.id);
  expect(ALL_CASES.map((c) => c.ruleId).filter((id) => !ids.includes(id))).toEqual([]);
});
