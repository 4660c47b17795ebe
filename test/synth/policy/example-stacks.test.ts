/**
^ * The pack runs on both example stacks (two-version and
 * Blue/Green, each with its TrafficRouter and fleets) and finds nothing, with no suppression:
 * their override header rules apply from the staff source IPs only.
 */
import { AnnotationMetadataEntryType, Testing, TerraformStack } from "cdktf";
import { AppFleetsPolicy } from "../../../lib/policy/app-fleets-policy";
import { PolicyCheck } from "../../../lib/policy/policy-check";
import { PolicyFinding } from "../../../lib/policy/types";
import { InMemoryStackLock } from "../../../lib/lock/stack-lock-store";
import { AppServerGroup } from "../../../lib/fleet/app-server-group";
import { TrafficRouter } from "../../../lib/router/traffic-router";
import { BlueGreenConfig, TwoVersionConfig } from "../../../stacks/config/layout-config";
import { parseLayoutConfig } from "../../../stacks/config/load-config";
import { BlueGreenStack } from "../../../stacks/layouts/blue-green-stack";
import { TwoVersionStack } from "../../../stacks/layouts/two-version-stack";
import { buildApp, configFiles, EXAMPLE_CONFIG_DIR } from "../../../stacks/build-app";
import { exampleJson } from "../../support/layouts";
import { routerProps } from "../router/router-fixtures";
import { describeFindings, notifyingFleetProps, runPolicy, violationsOf } from "./policy-helpers";

const STACKS = ["two-version-staging", "blue-green-prod"];

describe("the example app under the policy pack", () => {
  const reports = new Map<string, { violations: readonly PolicyFinding[]; suppressed: number; resources: number; overrideRules: number }>();
  beforeAll(() => {
    const app = Testing.app();
    const stacks: TerraformStack[] = buildApp(app, configFiles(EXAMPLE_CONFIG_DIR));
    AppFleetsPolicy.applyTo(app, { printReport: false });
    for (const stack of stacks) {
      try {
        Testing.synth(stack, true);
      } catch {
        // Findings fail synth; the report says which.
      }
      const report = PolicyCheck.of(stack).report!;
      const overrideRules = stack.node.findAll().filter((c) => /\/Router\/Rules\/override-/.test(c.node.path)).length;
      reports.set(stack.node.id, {
        violations: report.violations,
        suppressed: report.suppressed.length,
        resources: report.resourcesChecked,
        overrideRules,
      });
    }
  });

  test.each(STACKS)("stack %s has zero findings and needs no suppression", (id) => {
    const report = reports.get(id);
    expect(report).toBeDefined();
    expect(report!.resources).toBeGreaterThan(40);
    expect(describeFindings(report!.violations)).toBe("(none)");
    expect(report!.suppressed).toBe(0);
  });

  test.each(STACKS)("stack %s has override header rules, so APF-LISTENER-HEADER-OVERRIDE really looked at them", (id) => {
    expect(reports.get(id)!.overrideRules).toBeGreaterThan(0);
  });
});

describe("the example stacks with maintenance switched on", () => {
  // The header bypass ends in a catch-all that sends header bearers where the listener's default
  // action sends everyone; it picks no backend, so the pack must pass it without a suppression.
  test.each([
    [
      "two-version.staging.json",
      (app: ReturnType<typeof Testing.app>, raw: any) => {
        raw.routing.maintenance.enabled = true;
        const config = parseLayoutConfig(raw, "two-version.staging.json") as TwoVersionConfig;
        return new TwoVersionStack(app, "two-version-staging", config, "two-version.staging.json", { lockFile: new InMemoryStackLock() });
      },
    ],
    [
      "blue-green.production.json",
      (app: ReturnType<typeof Testing.app>, raw: any) => {
        raw.maintenance.enabled = true;
        const config = parseLayoutConfig(raw, "blue-green.production.json") as BlueGreenConfig;
        return new BlueGreenStack(app, "blue-green-prod", config, "blue-green.production.json", { lockFile: new InMemoryStackLock() });
      },
    ],
  ])("%s synthesizes with zero findings and no suppression", (file, build) => {
    const app = Testing.app();
    const stack = build(app, exampleJson(file as Parameters<typeof exampleJson>[0]));
    AppFleetsPolicy.applyTo(stack, { printReport: false });
    Testing.synth(stack, true);
    const report = PolicyCheck.of(stack).report!;
    expect(describeFindings(report.violations)).toBe("(none)");
    expect(report.suppressed).toHaveLength(0);
    const maintenanceRules = stack.node.findAll().filter((c) => /\/Router\/Rules\/maintenance/.test(c.node.path));
    expect(maintenanceRules.length).toBeGreaterThan(0);
  });
});

describe("an override header open to strangers is still caught", () => {
  test("a layout whose staff source IPs admit every address (0.0.0.0/0 and ::/0) fails APF-LISTENER-HEADER-OVERRIDE on each override rule", () => {
    const app = Testing.app();
    const raw = exampleJson("blue-green.production.json");
    raw.overrideHeader.sourceIps = ["0.0.0.0/0", "::/0"];
    const config = parseLayoutConfig(raw, "blue-green.production.json") as BlueGreenConfig;
    const stack = new BlueGreenStack(app, "blue-green-prod", config, "blue-green.production.json", { lockFile: new InMemoryStackLock() });
    AppFleetsPolicy.applyTo(stack, { printReport: false });
    expect(() => Testing.synth(stack, true)).toThrow(/APF-LISTENER-HEADER-OVERRIDE/);
    const findings = PolicyCheck.of(stack).report!.violations.filter((f) => f.ruleId === "APF-LISTENER-HEADER-OVERRIDE");
    expect(findings.map((f) => f.path).sort()).toEqual([
      expect.stringMatching(/\/Router\/Rules\/override-blue-0$/),
      expect.stringMatching(/\/Router\/Rules\/override-green-0$/),
    ]);
  });

  test("a TrafficRouter whose override header has no sourceIps warns at synth, and the pack flags its rules", () => {
    let router: TrafficRouter | undefined;
    const run = runPolicy((scope) => {
      router = new TrafficRouter(scope, "Router", routerProps());
      const rails3 = new AppServerGroup(scope, "Rails3", notifyingFleetProps({ name: "rails3", loadBalancer: router }));
      const rails4 = new AppServerGroup(scope, "Rails4", notifyingFleetProps({ name: "rails4", loadBalancer: router }));
      router.setRoutingTable({ default: rails3, overrideHeader: { name: "X-Backend-Version", values: { "4": rails4 } } });
    });
    expect(violationsOf(run, "APF-LISTENER-HEADER-OVERRIDE").map((f) => f.path)).toEqual([
      expect.stringMatching(/\/Router\/Rules\/override-rails4-0$/),
    ]);
    const warnings = router!.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => String(m.data));
    expect(warnings).toContainEqual(
      expect.stringMatching(/override header X-Backend-Version applies from any source address.*Fix: set overrideHeader\.sourceIps/),
    );
  });
});
