import { AppServerGroup } from "../../../lib/fleet/app-server-group";
import { describeFindings, notifyingFleetProps, PolicyRun, runPolicy } from "./policy-helpers";

describe("an AppServerGroup built with defaults (and the alarm topic every fleet needs)", () => {
  let run: PolicyRun;
  beforeAll(() => {
    run = runPolicy((scope) => {
      new AppServerGroup(scope, "Fleet", notifyingFleetProps({ artifacts: { bucketName: "deploy-artifacts", prefix: "rails4/" } }));
    });
  });

  test("passes every rule of the policy pack", () => {
    expect(describeFindings(run.report.violations)).toBe("(none)");
    expect(run.error).toBeUndefined();
  });

  test("was actually checked: every resource of the fleet was visited", () => {
    expect(run.report.resourcesChecked).toBeGreaterThanOrEqual(15);
    expect(run.report.rulesEvaluated).toBeGreaterThanOrEqual(20);
  });
});
