/**
 * Gate and step runner for the deploy tests (test/deploy): they need terraform with the provider
 * mirror and `moto_server`. Where either is missing the suite is skipped with a loud notice; under
 * CI=true that is a failure, never a silent pass (as `describeWithTerraform` does).
 */
import { TERRAFORM_TEST_TIMEOUT_MS, terraformAvailability } from "../terraform";
import type { EmulatedDeployment, StepResult } from "./emulated-deployment";
import { motoAvailability } from "./moto-server";

/**
 * The one generous limit of every step and hook: the suite-wide TERRAFORM_TEST_TIMEOUT_MS, longer
 * than the whole run's limit, which the watchdog (terraform-watchdog.ts) enforces with progress
 * lines. A deploy step is a few terraform runs of a ~700 MB provider against a Python emulator; a
 * busy 2-core machine takes minutes where a quiet one takes seconds, so nothing here is sized for
 * one. EmulatedDeployment.progress prints a line per step.
 */
export const DEPLOY_TEST_TIMEOUT_MS = TERRAFORM_TEST_TIMEOUT_MS;

export function describeWithMoto(name: string, body: () => void): void {
  const moto = motoAvailability();
  const missing = [...(terraformAvailability.available ? [] : [terraformAvailability.reason]), ...(moto.available ? [] : [moto.reason])];
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  if (process.env.CI === "true") {
    describe(name, () => {
      test("terraform, the AWS provider mirror and moto_server are available (required under CI=true)", () => {
        throw new Error(`deploy tests cannot run: ${missing.join("; ")}`);
      });
    });
    return;
  }
  // eslint-disable-next-line no-console
  console.warn(
    `\n!!! SKIPPED: "${name}" deploys against an emulated AWS and needs: ${missing.join("; ")}.\n` +
      `!!! Install moto with: pip install "moto[server]". Under CI=true this is a failure.\n`,
  );
  describe.skip(name, body);
}

/**
 * Tests that run in order on one deployment: once a step fails, the later ones fail at once,
 * naming it, instead of running against a state the walkthrough never reached.
 */
export function sequentialSteps(): (name: string, body: () => Promise<void>) => void {
  let failed: string | undefined;
  return (name, body) => {
    test(
      name,
      async () => {
        if (failed) throw new Error(`not run: the earlier step "${failed}" failed`);
        try {
          await body();
        } catch (error) {
          failed = name;
          throw error;
        }
      },
      DEPLOY_TEST_TIMEOUT_MS,
    );
  };
}

/** The promises every apply keeps: the next plan is empty and the live state is what the configuration says. */
export function expectApplyConverged(result: StepResult): void {
  expect(result.secondPlan).toEqual([]);
  expect(result.mismatches).toEqual([]);
}

/**
 * The last step of both walkthroughs: the protected load balancer refuses deletion; switching
 * protection off by configuration updates the load balancer alone, and destroy then removes
 * everything (state, load balancers and target groups).
 */
export async function expectProtectedTeardown(deployment: EmulatedDeployment, loadBalancerArn: string): Promise<void> {
  const { sdk, client } = deployment.elbv2();
  try {
    await expect(client.send(new sdk.DeleteLoadBalancerCommand({ LoadBalancerArn: loadBalancerArn }))).rejects.toMatchObject({
      message: expect.stringMatching(/cannot be deleted because deletion protection is enabled/),
    });
    const result = await deployment.step("deletion protection off", (c) => {
      c.loadBalancer.deletionProtection = false;
    });
    expectApplyConverged(result);
    expect(result.live.loadBalancer.deletionProtection).toBe(false);
    expect(result.events.filter((e) => e.phase === "complete").map((e) => `${e.action} ${e.address}`)).toEqual([
      expect.stringMatching(/^update aws_lb\.Router_LoadBalancer_/),
    ]);

    const destroyed = await deployment.destroy();
    expect(destroyed.code).toBe(0);
    expect(deployment.stateAddresses()).toEqual([]);
    expect((await client.send(new sdk.DescribeLoadBalancersCommand({}))).LoadBalancers ?? []).toEqual([]);
    expect((await client.send(new sdk.DescribeTargetGroupsCommand({}))).TargetGroups ?? []).toEqual([]);
  } finally {
    client.destroy();
  }
}
