/**
 * The Blue/Green walkthrough of the README, deployed for real through the cdktf CLI: the example
 * stack (stacks/config/examples/blue-green.production.json) is created with `npx cdktf deploy`
 * against an emulated AWS (moto), checked with `npx cdktf diff`, moved through its stages on the
 * same deployment and removed with `npx cdktf destroy`, all offline (the provider comes from the
 * filesystem mirror, AWS_ENDPOINT_URL points every SDK at the emulator). After every apply the next
 * plan must be empty and the live state must be what the configuration says.
 */
import { checkTrafficOrder } from "../support/moto/apply-log";
import { runAppFleets } from "../support/moto/cli-run";
import {
  describeWithMoto,
  DEPLOY_TEST_TIMEOUT_MS,
  expectApplyConverged,
  expectProtectedTeardown,
  sequentialSteps,
} from "../support/moto/deploy-suite";
import { EmulatedDeployment, StepResult } from "../support/moto/emulated-deployment";
import { liveDestination, liveShares } from "../support/moto/live-explain";

const NEW_GREEN_IMAGE = "ami-0fedcba9876543299";
const STAFF_IP = "203.0.113.7";
const home = "https://www.example.com/";

describeWithMoto("Blue/Green layout deployed to an emulated AWS (moto) with the cdktf CLI, stage by stage", () => {
  let deployment: EmulatedDeployment;
  let last: StepResult;
  const step = sequentialSteps();

  beforeAll(async () => {
    // The walkthrough starts with blue serving everyone.
    deployment = await EmulatedDeployment.start("blue-green.production.json", "cdktf-cli", "blue-green", (c) => {
      c.traffic.stage = "blue";
    });
  }, DEPLOY_TEST_TIMEOUT_MS);

  afterAll(async () => {
    await deployment?.stop();
  }, DEPLOY_TEST_TIMEOUT_MS);

  function expectConverged(result: StepResult): void {
    expectApplyConverged(result);
    last = result;
  }

  /** The only change a stage makes: the HTTPS listener's default action, in place. */
  function expectOnlyDefaultActionUpdated(result: StepResult): void {
    expect(result.events.filter((e) => e.phase === "complete").map((e) => `${e.action} ${e.address}`)).toEqual([
      expect.stringMatching(/^update aws_lb_listener\.Router_HttpsListener_/),
    ]);
  }

  step("`npx cdktf deploy` creates the stack at stage blue; the next plan is empty and the live state is the configuration", async () => {
    const result = await deployment.step("npx cdktf deploy (stage blue)");
    expectConverged(result);
    expect(liveShares(result.live.routing, home)).toEqual({ blue: 100 });
    expect(liveShares(result.live.routing, home, { headers: { "X-Backend-Color": "green" }, sourceIp: STAFF_IP })).toEqual({ green: 100 });
    // From any other address the header is ignored: strangers cannot pick the idle color.
    expect(liveShares(result.live.routing, home, { headers: { "X-Backend-Color": "green" } })).toEqual({ blue: 100 });
    const order = checkTrafficOrder(result.synth.json, result.events);
    expect(order.checked.length).toBeGreaterThan(0);
    expect(order.violations).toEqual([]);
  });

  step("`npx cdktf diff` right after the deploy finds no changes", async () => {
    const diff = await deployment.cdktf(["diff", last.synth.stackId]);
    expect(diff.code).toBe(0);
    expect(diff.output).toMatch(/found no differences, so no changes are needed|No changes\./);
  });

  step("a new AMI for green updates green's launch template and Auto Scaling group in place; blue keeps serving everyone", async () => {
    const result = await deployment.step("new AMI for green", (c) => {
      c.fleets.green.imageId = NEW_GREEN_IMAGE;
    });
    expectConverged(result);
    expect(result.live.autoScalingGroups.find((g) => g.name === "prod-green-asg")?.imageId).toBe(NEW_GREEN_IMAGE);
    const changed = result.events.filter((e) => e.phase === "complete").map((e) => `${e.action} ${e.address}`);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((c) => /^update aws_(launch_template|autoscaling_group)\.green_/.test(c))).toBe(true);
    expect(liveShares(result.live.routing, home)).toEqual({ blue: 100 });
  });

  step("stage blue-canary-10 sends 10 % to green, sticky, by updating the default action only", async () => {
    const result = await deployment.step("stage blue-canary-10", (c) => {
      c.traffic.stage = "blue-canary-10";
    });
    expectConverged(result);
    expectOnlyDefaultActionUpdated(result);
    expect(liveShares(result.live.routing, home)).toEqual({ blue: 90, green: 10 });
    expect(liveDestination(result.live.routing, home)).toBe("forward blue=90, green=10 (sticky 3600s)");
    const explained = await runAppFleets(deployment.environment, "explain", home, "--live", "--config", deployment.configPath);
    expect(explained.code).toBe(0);
    expect(explained.out).toMatch(
      /matches no rule: the listener's default action applies\ngoes to blue 90% \(weight 90\), green 10% \(weight 10\)/,
    );
    expect(explained.out).toMatch(/live rules agree with blue-green\.production\.json/);
  });

  step("stage blue-split-50, then green: each moves the default action in place", async () => {
    const split = await deployment.step("stage blue-split-50", (c) => {
      c.traffic.stage = "blue-split-50";
    });
    expectConverged(split);
    expectOnlyDefaultActionUpdated(split);
    expect(liveShares(split.live.routing, home)).toEqual({ blue: 50, green: 50 });

    const green = await deployment.step("stage green", (c) => {
      c.traffic.stage = "green";
    });
    expectConverged(green);
    expectOnlyDefaultActionUpdated(green);
    expect(liveShares(green.live.routing, home)).toEqual({ green: 100 });
  });

  step("rollback is the previous stage: back to blue-split-50", async () => {
    const result = await deployment.step("rollback to blue-split-50", (c) => {
      c.traffic.stage = "blue-split-50";
    });
    expectConverged(result);
    expectOnlyDefaultActionUpdated(result);
    expect(liveShares(result.live.routing, home)).toEqual({ blue: 50, green: 50 });
  });

  step(
    "maintenance on redirects everyone but staff (by source IP) to the status page, from rules evaluated first; off restores the colors",
    async () => {
      const before = last.live.routing.rules.map((r) => `${r.priority} ${r.source}`);
      const on = await deployment.step("maintenance on", (c) => {
        c.maintenance.enabled = true;
      });
      expectConverged(on);
      const maintenance = on.live.routing.rules.filter((r) => r.kind === "maintenance");
      const others = on.live.routing.rules.filter((r) => r.kind !== "maintenance");
      // Evaluated before every other rule; the other rules stay where they were.
      expect(Math.max(...maintenance.map((r) => r.priority))).toBeLessThan(Math.min(...others.map((r) => r.priority)));
      expect(others.map((r) => `${r.priority} ${r.source}`)).toEqual(before);
      expect(liveDestination(on.live.routing, home)).toBe("redirect 302 https://status.example.com/");
      expect(liveShares(on.live.routing, home, { sourceIp: STAFF_IP })).toEqual({ blue: 50, green: 50 });
      expect(liveShares(on.live.routing, home, { headers: { "X-Backend-Color": "green" }, sourceIp: STAFF_IP })).toEqual({ green: 100 });

      const off = await deployment.step("maintenance off", (c) => {
        c.maintenance.enabled = false;
      });
      expectConverged(off);
      expect(off.live.routing.rules.map((r) => `${r.priority} ${r.source}`)).toEqual(before);
      expect(liveShares(off.live.routing, home)).toEqual({ blue: 50, green: 50 });
    },
  );

  step(
    "teardown: `npx cdktf destroy` is refused by the protected load balancer until protection is switched off by configuration",
    async () => {
      await expectProtectedTeardown(deployment, last.live.loadBalancer.arn);
    },
  );
});
