/**
 * The done-criterion: the pack runs on both example stacks (two-version and
 * Blue/Green, each with its TrafficRouter and fleets) and finds nothing.
 */
import { Testing, TerraformStack } from "cdktf";
import { AppFleetsPolicy } from "../../../lib/policy/app-fleets-policy";
import { PolicyCheck } from "../../../lib/policy/policy-check";
import { buildApp } from "../../../stacks/build-app";
import { describeFindings } from "./policy-helpers";

describe("the example app under the policy pack", () => {
  const reports = new Map<string, { findings: string; resources: number; error?: string }>();
  beforeAll(() => {
    const app = Testing.app();
    const stacks: TerraformStack[] = buildApp(app);
    AppFleetsPolicy.applyTo(app, { printReport: false });
    for (const stack of stacks) {
      let error: string | undefined;
      try {
        Testing.synth(stack, true);
      } catch (e) {
        error = (e as Error).message;
      }
      const report = PolicyCheck.of(stack).report!;
      reports.set(stack.node.id, { findings: describeFindings(report.violations), resources: report.resourcesChecked, error });
    }
  });

  test.each(["two-version-staging", "blue-green-prod"])("stack %s has zero findings", (id) => {
    const report = reports.get(id);
    expect(report).toBeDefined();
    expect(report!.resources).toBeGreaterThan(40);
    expect(report!.findings).toBe("(none)");
  });
});
