/** The operations rules of the pack, each on violating and compliant resources (cases/operations.ts). */
import { APP_FLEETS_RULES } from "../../../lib/policy/rules";
import { OPERATIONS_CASES } from "./cases/operations";
import { describeRuleCases } from "./policy-helpers";

describeRuleCases(OPERATIONS_CASES, APP_FLEETS_RULES);
