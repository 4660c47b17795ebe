/** Builds a stack under the policy pack and returns its report without failing on findings. */
import { Testing, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AppFleetsPolicy } from "../../../lib/policy/app-fleets-policy";
import { PolicyCheck } from "../../../lib/policy/policy-check";
import { PolicyReport } from "../../../lib/policy/report";
import { PolicyFinding } from "../../../lib/policy/types";
import { AppServerGroupProps } from "../../../lib/fleet/app-server-group-props";
import { fleetProps } from "../../support/fixtures";
import { newStack } from "../../support/synth";

/** An SNS topic for fleet alarms: APF-ALARM-ACTIONS wants every alarm to notify someone. */
export const ALARM_TOPIC_ARN = "arn:aws:sns:ap-northeast-1:123456789012:fleet-alarms";

/** The fixture fleet with an alarm topic, which a fleet under the policy pack needs. */
export function notifyingFleetProps(overrides: Partial<AppServerGroupProps> = {}): AppServerGroupProps {
  return fleetProps({ alarms: { snsTopicArn: ALARM_TOPIC_ARN }, ...overrides });
}

export interface PolicyRun {
  readonly stack: TerraformStack;
  readonly report: PolicyReport;
  /** The synth error, when findings (or anything else) failed it. */
  readonly error?: Error;
}

/** Synthesizes like `cdktf synth` (aspects, then validations) and collects the policy report. */
export function runPolicy(build: (scope: Construct) => void, id = "policy", options: { readonly verbose?: boolean } = {}): PolicyRun {
  const { stack } = newStack(id);
  build(stack);
  AppFleetsPolicy.applyTo(stack, { printReport: false, verbose: options.verbose ?? false });
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

/**
 * One rule, exercised on resources built in one stack: the `bad` construct IDs (direct children
 * of the stack) must be flagged by the rule, the `good` ones must pass it.
 */
export interface RuleCase {
  readonly ruleId: string;
  /** What the case is about, when a rule has several (e.g. "bypasses through jsonencode"). @default - the rule id */
  readonly title?: string;
  readonly build: (scope: Construct) => void;
  readonly bad: readonly string[];
  readonly good: readonly string[];
}

/** Runs each case: flags the bad resources, passes the good ones, fails synth with the rule id and the fix. */
export function describeRuleCases(cases: readonly RuleCase[], rules: readonly { id: string; fix: string }[]): void {
  describe.each(cases.map((c) => ({ ...c, name: c.title ? `${c.ruleId}: ${c.title}` : c.ruleId })))("$name", (ruleCase) => {
    let run: PolicyRun;
    let flaggedPaths: string[];
    beforeAll(() => {
      run = runPolicy(ruleCase.build, "rules");
      flaggedPaths = violationsOf(run, ruleCase.ruleId).map((f) => f.path);
    });

    test.each(ruleCase.bad)(`flags the violating resource %s`, (id) => {
      expect(flaggedPaths).toContain(`rules/${id}`);
    });

    test.each(ruleCase.good)(`passes the compliant resource %s`, (id) => {
      const own = violationsOf(run, ruleCase.ruleId).filter((f) => f.path === `rules/${id}`);
      expect(describeFindings(own)).toBe("(none)");
    });

    test("fails synth naming the rule id and the fix", () => {
      expect(run.error?.message).toContain(`[${ruleCase.ruleId}]`);
      const rule = rules.find((r) => r.id === ruleCase.ruleId)!;
      expect(run.error?.message).toContain(`Fix: ${rule.fix}`);
    });

    test("no rule threw on these resources", () => {
      expect(describeFindings(run.report.violations.filter((f) => f.problem.startsWith("rule threw")))).toBe("(none)");
    });
  });
}
