/** The iam rules of the pack, each on violating and compliant resources (cases/iam.ts). */
import { APP_FLEETS_RULES } from "../../../lib/policy/rules";
import { IAM_CASES } from "./cases/iam";
import { describeRuleCases } from "./policy-helpers";

describeRuleCases(IAM_CASES, APP_FLEETS_RULES);
