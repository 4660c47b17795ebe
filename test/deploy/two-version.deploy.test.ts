/**
 * The two-version walkthrough of the README, deployed for real: the example stack
 * (stacks/config/examples/two-version.staging.json) is applied to an emulated AWS (moto) with the
 * real AWS provider, then changed step by step on the same deployment and finally destroyed.
 * After every apply the next plan must be empty and the live state (listener rules with their
 * priorities, conditions and weights; target groups; Auto Scaling groups) must be what the
 * configuration says. `app-fleets explain --live` and `drift` read the same listener.
 * Maintenance on and off is deployed in the Blue/Green suite, which runs beside this one.
 */
import { ConfigError } from "../../lib/core/errors";
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
import { liveDestination, liveMatch } from "../support/moto/live-explain";

const CANDIDATE_RAILS4 = "ami-0fedcba9876543210";
const CANDIDATE_RAILS3 = "ami-0fedcba9876543211";

/** Addresses of a fleet's resources: its construct ID (the fleet's name) starts every logical ID. */
const ofFleet = (addresses: readonly string[], fleet: string) => addresses.filter((a) => a.split(".")[1].startsWith(`${fleet}_`));

describeWithMoto("two-version layout deployed to an emulated AWS (moto), step by step", () => {
  let deployment: EmulatedDeployment;
  let last: StepResult;
  const step = sequentialSteps();
  const url = (path: string) => `https://www.example.com${path}`;

  beforeAll(async () => {
    // The walkthrough starts before the path was reverted: hoge-legacy is added in its own step.
    deployment = await EmulatedDeployment.start("two-version.staging.json", "terraform", "two-version", (c) => {
      c.routing.routes = c.routing.routes.filter((r: { name: string }) => r.name !== "hoge-legacy");
    });
  }, DEPLOY_TEST_TIMEOUT_MS);

  afterAll(async () => {
    await deployment?.stop();
  }, DEPLOY_TEST_TIMEOUT_MS);

  /** The promises every apply keeps. */
  function expectConverged(result: StepResult): void {
    expectApplyConverged(result);
    last = result;
  }

  step(
    "the initial deploy creates both fleets and the router; the second plan is empty and the live rules are the compiled table",
    async () => {
      const result = await deployment.step("initial deploy");
      expectConverged(result);
      expect(result.live.routing.rules.length).toBe(result.synth.compiled.rules.length);
      expect(liveDestination(result.live.routing, url("/hoge/1"))).toBe("forward rails3=9, rails4=1 (sticky 3600s)");
      expect(liveDestination(result.live.routing, url("/admin/piyo/x"))).toBe("forward rails4=1");
      expect(liveDestination(result.live.routing, url("/"))).toBe("forward rails3=1");
      expect(liveDestination(result.live.routing, url("/"), { headers: { "X-Backend-Version": "4" }, sourceIp: "203.0.113.7" })).toBe(
        "forward rails4=1",
      );
      // From any other address the header is ignored: strangers cannot pick the version.
      expect(liveDestination(result.live.routing, url("/"), { headers: { "X-Backend-Version": "4" } })).toBe("forward rails3=1");
      expect(liveDestination(result.live.routing, "https://assets4.example.com/app.js")).toBe("forward rails4=1");
    },
  );

  step(
    "every traffic rule was created after the Auto Scaling groups of the fleets it sends to, each group after its anchor rule (apply log)",
    async () => {
      const order = checkTrafficOrder(last.synth.json, last.events);
      // Both fleets' anchors, every forwarding rule and the HTTPS listener's default action were checked.
      expect(order.checked.length).toBeGreaterThanOrEqual(last.synth.compiled.rules.length);
      expect(order.violations).toEqual([]);
    },
  );

  step("`app-fleets explain --live` agrees with the compiled table on the fresh deploy", async () => {
    const explained = await runAppFleets(deployment.environment, "explain", url("/hoge/1"), "--live", "--config", deployment.configPath);
    expect(explained.err).toBe("");
    expect(explained.code).toBe(0);
    expect(explained.out).toMatch(/goes to rails3 90% \(weight 9\), rails4 10% \(weight 1\)/);
    expect(explained.out).toMatch(/live rules agree with two-version\.staging\.json/);
    const asJson = await runAppFleets(
      deployment.environment,
      "explain",
      url("/hoge/1"),
      "--live",
      "--config",
      deployment.configPath,
      "--json",
    );
    expect(JSON.parse(asJson.out)).toMatchObject({
      inSync: true,
      differences: [],
      fleets: [
        { name: "rails3", weight: 9 },
        { name: "rails4", weight: 1 },
      ],
      configuration: {
        fleets: [
          { name: "rails3", weight: 9 },
          { name: "rails4", weight: 1 },
        ],
      },
    });
    const drift = await runAppFleets(deployment.environment, "drift", "--config", deployment.configPath);
    expect(drift.code).toBe(0);
  });

  step(
    "a rule edited and a rule deleted behind Terraform's back are reported by `drift` and `explain --live`, and planned back by Terraform",
    async () => {
      const { sdk, client } = deployment.elbv2();
      const rails3Group = last.live.targetGroups.find((g) => g.fleet === "rails3")!.arn;
      const admin = last.live.routing.rules.find((r) => r.source === "admin-piyo")!;
      const hostPin = last.live.routing.rules.find((r) => r.source === "host pin rails4")!;
      try {
        // An operator "fixes" /admin/piyo in the console, and deletes a host pin.
        await client.send(
          new sdk.ModifyRuleCommand({
            RuleArn: admin.ruleArn,
            Actions: [{ Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: rails3Group, Weight: 1 }] } }],
          }),
        );
        await client.send(new sdk.DeleteRuleCommand({ RuleArn: hostPin.ruleArn }));
      } finally {
        client.destroy();
      }

      const drift = await runAppFleets(deployment.environment, "drift", "--config", deployment.configPath);
      expect(drift.code).toBe(3);
      expect(drift.out).toContain(
        `rule ${admin.priority} (route "admin-piyo"): action differs: expected forward rails4=1, live forward rails3=1`,
      );
      expect(drift.out).toContain(`rule ${hostPin.priority} (host-pin "host pin rails4"): missing from the listener`);
      expect(drift.out).toMatch(/Fix: deploy the configuration again/);

      const explained = await runAppFleets(
        deployment.environment,
        "explain",
        url("/admin/piyo/x"),
        "--live",
        "--config",
        deployment.configPath,
      );
      expect(explained.code).toBe(0);
      expect(explained.out).toMatch(/goes to rails3 100% \(weight 1\)\ntwo-version\.staging\.json would send it elsewhere:/);
      expect(explained.out).toMatch(/live rules differ from two-version\.staging\.json \(2 difference\(s\)\)/);

      const plan = await deployment.plan();
      expect(plan).toEqual([
        expect.stringMatching(/^create aws_lb_listener_rule\.Router_Rules_host-pin-rails4-/),
        expect.stringMatching(/^update aws_lb_listener_rule\.Router_Rules_route-admin-piyo-/),
      ]);
    },
  );

  step("shifting /hoge and /fuga from 9:1 to all-rails4 updates the live weights (and the next apply repairs the drift)", async () => {
    const result = await deployment.step("traffic shift: all of hoge-fuga to rails4", (c) => {
      c.routing.routes.find((r: { name: string }) => r.name === "hoge-fuga").to.weights = [
        { fleet: "rails3", weight: 0 },
        { fleet: "rails4", weight: 1 },
      ];
    });
    expectConverged(result);
    expect(liveDestination(result.live.routing, url("/hoge/1"))).toBe("forward rails3=0, rails4=1 (sticky 3600s)");
    expect(liveDestination(result.live.routing, url("/admin/piyo/x"))).toBe("forward rails4=1");
    expect(liveDestination(result.live.routing, "https://assets4.example.com/app.js")).toBe("forward rails4=1");
  });

  step(
    "a route back to the old version (/hoge/legacy/* -> rails3) wins over /hoge/*, which matches the same requests, by its lower priority",
    async () => {
      const before = last.live.routing.rules.map((r) => `${r.priority} ${r.source}`);
      const result = await deployment.step("route back: /hoge/legacy/* to rails3", (c) => {
        c.routing.routes.push({ name: "hoge-legacy", match: { paths: ["/hoge/legacy/*"] }, to: "rails3" });
      });
      expectConverged(result);
      expect(liveDestination(result.live.routing, url("/hoge/legacy/x"))).toBe("forward rails3=1");
      expect(liveDestination(result.live.routing, url("/hoge/x"))).toBe("forward rails3=0, rails4=1 (sticky 3600s)");
      const legacy = liveMatch(result.live.routing, url("/hoge/legacy/x"));
      expect(legacy?.source).toBe("hoge-legacy");
      // Without it the same request would match hoge-fuga: the two overlap, and the priorities decide.
      const broader = liveMatch(
        { ...result.live.routing, rules: result.live.routing.rules.filter((r) => r !== legacy) },
        url("/hoge/legacy/x"),
      );
      expect(broader?.source).toBe("hoge-fuga");
      expect(legacy!.priority).toBeLessThan(broader!.priority);
      // No other rule moved: every rule of the previous step is still there, at its number.
      expect(result.live.routing.rules.map((r) => `${r.priority} ${r.source}`)).toEqual(expect.arrayContaining(before));
    },
  );

  step(
    "a canary sub-fleet per fleet runs the candidate image behind its own target group, which the fleet's forward actions split to",
    async () => {
      const result = await deployment.step("canaries added", (c) => {
        c.fleets.rails4.canary = { imageId: CANDIDATE_RAILS4, count: 1, sharePercent: 10 };
        c.fleets.rails3.canary = { imageId: CANDIDATE_RAILS3, count: 1, sharePercent: 10 };
      });
      expectConverged(result);
      const group = (name: string) => result.live.autoScalingGroups.find((g) => g.name.includes(name));
      const targetGroup = (name: string) => result.live.targetGroups.find((g) => g.name === name)!.arn;
      expect(group("rails4-canary")).toMatchObject({
        imageId: CANDIDATE_RAILS4,
        desired: 1,
        targetGroupArns: [targetGroup("staging-rails4-canary-tg")],
      });
      expect(group("rails3-canary")).toMatchObject({
        imageId: CANDIDATE_RAILS3,
        desired: 1,
        targetGroupArns: [targetGroup("staging-rails3-canary-tg")],
      });
      // Only canary resources were created; the listener actions naming the fleets were updated in place.
      expect(result.events.filter((e) => e.phase === "complete" && e.action === "create").every((e) => /_Canary_/.test(e.address))).toBe(
        true,
      );
      expect(liveDestination(result.live.routing, url("/admin/piyo/x"))).toBe("forward rails4=9, rails4 canary=1");
    },
  );

  step("promoting rails4's canary moves the fleet to its image; aborting rails3's leaves rails3 as it was", async () => {
    const rails3Image = last.live.autoScalingGroups.find((g) => g.name === "staging-rails3-asg")?.imageId;
    const result = await deployment.step("canary promoted (rails4) and aborted (rails3)", (c) => {
      c.fleets.rails4.imageId = CANDIDATE_RAILS4;
      delete c.fleets.rails4.canary;
      delete c.fleets.rails3.canary;
    });
    expectConverged(result);
    expect(result.live.autoScalingGroups.map((g) => g.name).filter((n) => n.includes("canary"))).toEqual([]);
    expect(result.live.autoScalingGroups.find((g) => g.name === "staging-rails4-asg")?.imageId).toBe(CANDIDATE_RAILS4);
    expect(result.live.autoScalingGroups.find((g) => g.name === "staging-rails3-asg")?.imageId).toBe(rails3Image);
    const deleted = result.events.filter((e) => e.phase === "complete" && e.action === "delete").map((e) => e.address);
    expect(deleted.length).toBeGreaterThan(0);
    expect(deleted.every((a) => /_Canary_/.test(a))).toBe(true);
  });

  step("deleting rails3 while anything routes to it is refused at synth, naming every reference", async () => {
    let error: unknown;
    try {
      deployment.synth((c) => {
        delete c.fleets.rails3;
      });
    } catch (e) {
      error = e;
    }
    expect(ConfigError.isConfigError(error)).toBe(true);
    const fields = (error as ConfigError).violations.map((v) => v.field).join("\n");
    expect(fields).toMatch(/routing\.default/);
    expect(fields).toMatch(/hostPins\[0\]/);
    // Nothing was applied: the deployment is still the last step's.
    expect(await deployment.plan()).toEqual([]);
  });

  step("the full switch sends everything to rails4 while rails3 still runs", async () => {
    const result = await deployment.step("full switch to rails4", (c) => {
      c.routing.default = "rails4";
      c.routing.routes = c.routing.routes.filter((r: { name: string }) => r.name === "admin-piyo");
      c.routing.overrideHeader.values = { "4": "rails4" };
      c.routing.hostPins = c.routing.hostPins.filter((p: { fleet: string }) => p.fleet === "rails4");
    });
    expectConverged(result);
    for (const path of ["/", "/hoge/1", "/hoge/legacy/x", "/admin/piyo"])
      expect(liveDestination(result.live.routing, url(path))).toBe("forward rails4=1");
    expect(result.live.autoScalingGroups.map((g) => g.name)).toContain("staging-rails3-asg");
  });

  step("deleting rails3 from the configuration destroys exactly its resources", async () => {
    const before = deployment.stateAddresses();
    const result = await deployment.step("old fleet deleted", (c) => {
      delete c.fleets.rails3;
    });
    expectConverged(result);
    const after = deployment.stateAddresses();
    const ownResources = ofFleet(before, "rails3");
    expect(ownResources.length).toBeGreaterThan(10);
    // Unrouted since the full switch, rails3 stayed attached (its anchor rule) and health-checked
    // (the load balancer's egress to it): both go with the fleet.
    const attachment = before.filter((a) => /^[a-z0-9_]+\.Router_(Anchors_rails3|SecurityGroup_EgressTo-rails3)_/.test(a));
    expect(attachment).toHaveLength(2);
    const rails3 = [...ownResources, ...attachment].sort();
    expect(before.filter((a) => !after.includes(a)).sort()).toEqual(rails3);
    expect(after.filter((a) => !before.includes(a))).toEqual([]);
    const touched = result.events.filter((e) => e.phase === "complete");
    expect(
      touched
        .filter((e) => e.action === "delete")
        .map((e) => e.address)
        .sort(),
    ).toEqual(rails3);
    // The dashboard drops rails3's widgets in place; nothing else changes.
    expect(touched.filter((e) => e.action !== "delete").map((e) => e.address)).toEqual([
      expect.stringMatching(/^aws_cloudwatch_dashboard\./),
    ]);
    expect(result.live.targetGroups.map((g) => g.fleet)).toEqual(["rails4"]);
  });

  step(
    "teardown: the protected load balancer refuses deletion; switching protection off by configuration lets destroy remove everything",
    async () => {
      await expectProtectedTeardown(deployment, last.live.loadBalancer.arn);
    },
  );
});
