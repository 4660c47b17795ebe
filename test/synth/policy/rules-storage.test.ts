/** The storage rules of the pack, each on violating and compliant resources (cases/storage.ts). */
import { APP_FLEETS_RULES } from "../../../lib/policy/rules";
import { STORAGE_CASES } from "./cases/storage";
import { describeRuleCases } from "./policy-helpers";

describeRuleCases(STORAGE_CASES, APP_FLEETS_RULES);
