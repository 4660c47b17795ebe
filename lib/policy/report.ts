/** The policy report: what was checked, what failed, and what was excused and why. Pure. */
import { formatFinding } from "./evaluate";
import { PolicyFinding } from "./types";

export interface PolicyReport {
  /** The stack's construct path. */
  readonly stack: string;
  readonly rulesEvaluated: number;
  readonly resourcesChecked: number;
  /** Findings that fail synth. */
  readonly violations: readonly PolicyFinding[];
  /** Findings excused by a written suppression. */
  readonly suppressed: readonly PolicyFinding[];
  /** Suppressions that excused nothing: probably stale, worth deleting. */
  readonly unusedSuppressions: readonly { readonly id: string; readonly declaredAt: string }[];
}

/** File name of the report, written next to the stack's cdk.tf.json. */
export const POLICY_REPORT_FILE = "policy-report.json";

/** Environment variable that asks synth for every suppressed finding and unused suppression, not just the counts. */
export const VERBOSE_ENV = "APP_FLEETS_VERBOSE";

/** Whether the environment asks for details (`APP_FLEETS_VERBOSE=1`, or `true`). */
export function verboseFromEnvironment(env: NodeJS.ProcessEnv = process.env): boolean {
  return ["1", "true", "yes"].includes((env[VERBOSE_ENV] ?? "").toLowerCase());
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * What synth prints for a stack: one line with the counts (resources checked, findings,
 * suppressions), e.g. `app-fleets policy: two-version-staging: 97 resources, 30 rules, 0 findings, 0 suppressed`;
 * with `verbose`, a line per suppressed finding with its reason and per unused suppression. Every
 * detail is in the stack's policy-report.json either way.
 */
export function summarizeReport(report: PolicyReport, options: { readonly verbose?: boolean } = {}): string[] {
  const unused = report.unusedSuppressions.length;
  const hasDetails = report.suppressed.length > 0 || unused > 0;
  const lines = [
    `app-fleets policy: ${report.stack}: ${plural(report.resourcesChecked, "resource")}, ${plural(report.rulesEvaluated, "rule")}, ` +
      `${plural(report.violations.length, "finding")}, ${report.suppressed.length} suppressed` +
      (unused > 0 ? `, ${plural(unused, "unused suppression")}` : "") +
      (hasDetails && !options.verbose ? ` (details: ${POLICY_REPORT_FILE} beside cdk.tf.json, or ${VERBOSE_ENV}=1)` : ""),
  ];
  if (!options.verbose) return lines;
  for (const f of report.suppressed) lines.push(`  suppressed ${formatFinding(f)} Reason: ${f.suppression?.reason}`);
  for (const u of report.unusedSuppressions) lines.push(`  unused suppression ${u.id} on ${u.declaredAt}: nothing to excuse`);
  return lines;
}
