/** Runs rules over resources and applies suppressions. Pure: no cdktf import. */
import { Violations } from "../core/errors";
import { PolicyContext, PolicyFinding, PolicyResource, PolicyRule, PolicySuppression } from "./types";

/** A suppression and the construct path it was declared on. */
export interface DeclaredSuppression extends PolicySuppression {
  readonly declaredAt: string;
}

/** A reason must be a real sentence, not "ok" or "legacy". */
export const MIN_SUPPRESSION_REASON_LENGTH = 20;

/** The key a rule's `appliesTo` uses for a resource: its type, with "data." for data sources. */
export function ruleKey(resource: PolicyResource): string {
  return resource.mode === "data" ? `data.${resource.type}` : resource.type;
}

/**
 * Judges each subject with every rule that applies to it.
 * @param suppressionsFor the suppressions in force for a resource (its own and its ancestors')
 */
export function evaluatePolicy(
  rules: readonly PolicyRule[],
  context: PolicyContext,
  subjects: readonly PolicyResource[],
  suppressionsFor: (resource: PolicyResource) => readonly DeclaredSuppression[],
): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  for (const resource of subjects) {
    const key = ruleKey(resource);
    const suppressions = suppressionsFor(resource);
    for (const rule of rules) {
      if (!rule.appliesTo.includes(key)) continue;
      const problems = evaluateGuarded(rule, resource, context);
      if (problems.length === 0) continue;
      const suppression = suppressions.find((s) => s.id === rule.id);
      findings.push({
        ruleId: rule.id,
        severity: rule.severity,
        title: rule.title,
        address: resource.address,
        path: resource.path,
        problem: problems.join("; "),
        fix: rule.fix,
        ...(suppression ? { suppression: { reason: suppression.reason, declaredAt: suppression.declaredAt } } : {}),
      });
    }
  }
  return findings;
}

/**
 * Runs one rule on one resource. A rule that throws (a bug, or a resource shape it did not
 * expect) becomes a finding of that rule, as in cdk-nag's NagPack: synth fails with the rule id
 * and the resource rather than a stack trace, and a resource is never passed unjudged.
 */
export function evaluateGuarded(rule: PolicyRule, resource: PolicyResource, context: PolicyContext): readonly string[] {
  try {
    const problems = rule.evaluate(resource, context);
    if (!Array.isArray(problems)) return [`rule threw: it returned ${typeof problems} instead of a list of problems`];
    return problems;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [`rule threw: ${message} (a defect of the rule or an unexpected resource shape; report it with this resource)`];
  }
}

/** One line per finding: rule id, resource, what is wrong, and the fix. */
export function formatFinding(finding: PolicyFinding): string {
  return `[${finding.ruleId}] ${finding.address} (${finding.path}): ${finding.problem}. Fix: ${finding.fix}`;
}

/**
 * Checks suppressions when they are declared, so a typo in a rule id or a missing reason fails
 * at the line that wrote it rather than silently excusing nothing.
 */
export function checkSuppressions(where: string, suppressions: readonly PolicySuppression[], knownRuleIds: readonly string[]): Violations {
  const v = new Violations();
  const seen = new Set<string>();
  suppressions.forEach((s, i) => {
    const field = `PolicySuppressions.add(${where}) suppressions[${i}]`;
    v.check(
      typeof s?.id === "string" && knownRuleIds.includes(s.id),
      `${field}.id`,
      s?.id,
      "is not a rule of the policy pack",
      `use one of ${knownRuleIds.join(", ")}`,
    );
    const reason = typeof s?.reason === "string" ? s.reason.trim() : "";
    v.check(
      reason.length >= MIN_SUPPRESSION_REASON_LENGTH,
      `${field}.reason`,
      s?.reason,
      `is ${reason.length} characters; a suppression needs a written reason of at least ${MIN_SUPPRESSION_REASON_LENGTH}`,
      "say why the finding is acceptable for this resource and who accepted it",
    );
    v.check(!seen.has(s?.id), `${field}.id`, s?.id, "suppresses the same rule twice on this construct", "keep one entry per rule");
    seen.add(s?.id);
  });
  return v;
}
