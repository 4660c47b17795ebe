/** The network rules of the pack, each on violating and compliant resources (cases/network.ts). */
import { APP_FLEETS_RULES } from "../../../lib/policy/rules";
import { NETWORK_CASES } from "./cases/network";
import { describeRuleCases } from "./policy-helpers";

describeRuleCases(NETWORK_CASES, APP_FLEETS_RULES);
