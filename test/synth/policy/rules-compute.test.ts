/** The compute rules of the pack, each on violating and compliant resources (cases/compute.ts). */
import { APP_FLEETS_RULES } from "../../../lib/policy/rules";
import { COMPUTE_CASES } from "./cases/compute";
import { describeRuleCases } from "./policy-helpers";

describeRuleCases(COMPUTE_CASES, APP_FLEETS_RULES);
