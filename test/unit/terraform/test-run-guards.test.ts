/**
 * The guards of the test run itself: the fast part refuses to start terraform (it must stay
 * fast), and once the watchdog gives up on a run, every terraform call fails saying why.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { abortTerraformRuns, runTerraform } from "../../../lib/terraform/terraform-cli";

describe("the fast test part (this file is one of it)", () => {
  test("a test that starts terraform fails at once, naming the command and where the test belongs", () => {
    expect(() => spawnSync("terraform", ["version"])).toThrow(/the fast test part runs no terraform.*`terraform version`.*move the test to test\/terraform/);
    expect(() => execFileSync("/usr/local/bin/terraform", ["plan"])).toThrow(/runs no terraform/);
  });

  test("other programs still run", () => {
    expect(spawnSync(process.execPath, ["-e", "process.stdout.write('ok')"], { encoding: "utf8" }).stdout).toBe("ok");
  });
});

describe("after the watchdog stops the run", () => {
  test("every later terraform call fails with the watchdog's reason instead of starting", async () => {
    abortTerraformRuns("the test run has taken 91m00s, over its limit of 90 minutes");
    await expect(runTerraform(["plan"], { cwd: process.cwd() })).rejects.toThrow(/terraform plan not started: the test run has taken 91m00s, over its limit of 90 minutes/);
  });
});
