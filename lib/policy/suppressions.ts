/**
 * Suppressions: a written excuse for one rule, stored on the construct it excuses (node
 * metadata, like cdk-nag) and, for a resource, also in its synthesized block under "//",
 * the key Terraform's JSON syntax reserves for comments, so a reviewer sees it next to the resource.
 */
import { TerraformResource } from "cdktf";
import { IConstruct } from "constructs";
import { checkSuppressions, DeclaredSuppression } from "./evaluate";
import { APP_FLEETS_RULES } from "./rules";
import { PolicySuppression } from "./types";

/** Node metadata type of a suppression entry. */
export const SUPPRESSION_METADATA = "app-fleets:policy-suppression";

export class PolicySuppressions {
  /**
   * Excuses findings of the given rules on `scope`: a resource, or a construct whose every
   * resource is excused (e.g. a whole fleet). Each entry needs the rule id and a reason.
   * @throws ConfigError when a rule id is unknown or a reason is shorter than 20 characters
   */
  static add(scope: IConstruct, suppressions: readonly PolicySuppression[]): void {
    const knownIds = APP_FLEETS_RULES.map((r) => r.id);
    const existing = PolicySuppressions.declaredOn(scope);
    const all = [...existing, ...suppressions];
    checkSuppressions(scope.node.path, all, knownIds).throwIfAny();
    for (const s of suppressions) {
      scope.node.addMetadata(SUPPRESSION_METADATA, { id: s.id, reason: s.reason.trim() }, { stackTrace: false });
    }
    if (TerraformResource.isTerraformResource(scope)) {
      scope.addOverride(
        "//.app_fleets_policy_suppressions",
        all.map((s) => ({ id: s.id, reason: s.reason.trim() })),
      );
    }
  }

  /** Suppressions declared on this construct itself. */
  static declaredOn(scope: IConstruct): PolicySuppression[] {
    return scope.node.metadata.filter((m) => m.type === SUPPRESSION_METADATA).map((m) => m.data as PolicySuppression);
  }

  /** Suppressions in force for a construct: its own and those of every enclosing construct. */
  static inForce(scope: IConstruct): DeclaredSuppression[] {
    return scope.node.scopes.flatMap((s) => PolicySuppressions.declaredOn(s).map((entry) => ({ ...entry, declaredAt: s.node.path })));
  }
}
