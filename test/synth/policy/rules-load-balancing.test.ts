/** The load-balancing rules of the pack, each on violating and compliant resources (cases/load-balancing.ts). */
import { APP_FLEETS_RULES } from "../../../lib/policy/rules";
import { LOAD_BALANCING_CASES } from "./cases/load-balancing";
import { describeRuleCases } from "./policy-helpers";

describeRuleCases(LOAD_BALANCING_CASES, APP_FLEETS_RULES);
