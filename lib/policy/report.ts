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

/** Lines a human reads in the synth output. */
export function summarizeReport(report: PolicyReport): string[] {
  const lines = [
    `app-fleets policy: ${report.stack}: ${report.resourcesChecked} resources, ${report.rulesEvaluated} rules, ` +
      `${report.violations.length} violation(s), ${report.suppressed.length} suppressed`,
  ];
  for (const f of report.suppressed) lines.push(`  suppressed ${formatFinding(f)} Reason: ${f.suppression?.reason}`);
  for (const u of report.unusedSuppressions) lines.push(`  unused suppression ${u.id} on ${u.declaredAt}: nothing to excuse`);
  return lines;
}
