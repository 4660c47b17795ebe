/**
 * The guards of the test run itself: the fast part refuses to start terraform (it must stay
 * fast), and once the watchdog gives up on a run, every terraform call fails saying why.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { abortTerraformRuns, runTerraform } from "../../../lib/terraform/terraform-cli";
import { watchdogVerdict } from "../../support/run-limit";

describe("the fast test part (this file is one of it)", () => {
  test("a test that starts terraform fails at once, naming the command and where the test belongs", () => {
    expect(() => spawnSync("terraform", ["version"])).toThrow(
      /the fast test part runs no terraform.*`terraform version`.*move the test to test\/terraform/,
    );
    expect(() => execFileSync("/usr/local/bin/terraform", ["plan"])).toThrow(/runs no terraform/);
  });

  test("other programs still run", () => {
    expect(spawnSync(process.execPath, ["-e", "process.stdout.write('ok')"], { encoding: "utf8" }).stdout).toBe("ok");
  });
});

describe("the watchdog's checks (every minute in terraform- and emulator-bound files)", () => {
  const base = { startedMs: 0, limitMs: 90 * 60_000, file: "test/terraform/plan-diff.test.ts", finished: 12 };

  test("while terraform runs, one progress line: time into the run, the limit, the file, what runs for how long", () => {
    const verdict = watchdogVerdict({
      ...base,
      nowMs: 182_000,
      running: [
        { command: "plan", startedAtMs: 144_000 },
        { command: "show", startedAtMs: 179_000 },
      ],
    });
    expect(verdict).toEqual({
      kind: "progress",
      line: "[watchdog] 3m02s into the run (limit 90m) | test/terraform/plan-diff.test.ts: terraform running: plan 38 s, show 3 s; 12 finished in this file",
    });
  });

  test("nothing is printed while no terraform runs", () => {
    expect(watchdogVerdict({ ...base, nowMs: 182_000, running: [] })).toEqual({ kind: "quiet" });
  });

  test("past the limit, the run is stopped with a reason naming the limit and how to raise it", () => {
    const verdict = watchdogVerdict({ ...base, nowMs: 91 * 60_000, running: [{ command: "plan", startedAtMs: 0 }] });
    expect(verdict).toEqual({
      kind: "over-limit",
      reason: expect.stringMatching(/91m00s, over its limit of 90 minutes \(APP_FLEETS_TEST_LIMIT_MINUTES\)/),
    });
  });
});

describe("after the watchdog stops the run", () => {
  test("every later terraform call fails with the watchdog's reason instead of starting", async () => {
    abortTerraformRuns("the test run has taken 91m00s, over its limit of 90 minutes");
    await expect(runTerraform(["plan"], { cwd: process.cwd() })).rejects.toThrow(
      /terraform plan not started: the test run has taken 91m00s, over its limit of 90 minutes/,
    );
  });
});
