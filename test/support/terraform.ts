/**
 * Gate for tests that run the real `terraform` binary with the AWS provider from a
 * filesystem mirror. Where either is missing the tests are skipped with a loud notice;
 * under CI=true a missing toolchain is a failure, never a silent pass.
 */
import { offlineTerraformAvailability } from "../../lib/terraform/offline-workspace";
import { RUN_LIMIT_MS } from "./run-limit";

export const terraformAvailability = offlineTerraformAvailability();

/**
 * The timeout of every hook and test bound by terraform or the emulator: longer than the whole
 * run's limit (run-limit.ts, 90 minutes by default), so no loaded machine ever reaches it; the
 * watchdog (terraform-watchdog.ts) ends a run that is really stuck, with progress lines before
 * and a message that says why. Nothing here is sized for a quiet machine.
 */
export const TERRAFORM_TEST_TIMEOUT_MS = RUN_LIMIT_MS + 15 * 60_000;

export function describeWithTerraform(name: string, body: () => void): void {
  if (terraformAvailability.available) {
    describe(name, body);
    return;
  }
  const reason = terraformAvailability.reason;
  if (process.env.CI === "true") {
    describe(name, () => {
      test("terraform and the AWS provider mirror are available (required under CI=true)", () => {
        throw new Error(`offline Terraform checks cannot run: ${reason}`);
      });
    });
    return;
  }
  // eslint-disable-next-line no-console
  console.warn(
    `\n!!! SKIPPED: "${name}" needs terraform and the hashicorp/aws provider mirror: ${reason}.\n` +
      `!!! Set TF_PROVIDER_MIRROR to the mirror directory to run them. Under CI=true this is a failure.\n`,
  );
  describe.skip(name, body);
}
