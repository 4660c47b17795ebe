/** Builds a stack under the policy pack and returns its report without failing on findings. */
import { Testing, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AppFleetsPolicy } from "../../../lib/policy/app-fleets-policy";
import { PolicyCheck } from "../../../lib/policy/policy-check";
import { PolicyReport } from "../../../lib/policy/report";
import { PolicyFinding } from "../../../lib/policy/types";
import { newStack } from "../../support/synth";

export interface PolicyRun {
  readonly stack: TerraformStack;
  readonly report: PolicyReport;
  /** The synth error, when findings (or anything else) failed it. */
  readonly error?: Error;
}

/** Synthesizes like `cdktf synth` (aspects, then validations) and collects the policy report. */
export function runPolicy(build: (scope: Construct) => void, id = "policy"): PolicyRun {
  const { stack } = newStack(id);
  build(stack);
  AppFleetsPolicy.applyTo(stack, { printReport: false });
  let error: Error | undefined;
  try {
    Testing.synth(stack, true);
  } catch (e) {
    error = e as Error;
  }
  const report = PolicyCheck.of(stack).report;
  if (!report) throw new Error(`the policy did not run: ${error?.message}`);
  return { stack, report, error };
}

/** Unsuppressed findings of one rule, by resource path. */
export function violationsOf(run: PolicyRun, ruleId: string): PolicyFinding[] {
  return run.report.violations.filter((f) => f.ruleId === ruleId);
}

/** Human-readable list of findings, for failure messages. */
export function describeFindings(findings: readonly PolicyFinding[]): string {
  return findings.map((f) => `[${f.ruleId}] ${f.path}: ${f.problem}`).join("\n") || "(none)";
}
