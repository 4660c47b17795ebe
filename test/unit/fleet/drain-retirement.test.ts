/**
 * The drain handler while its fleet retires, run for real under bash with `curl` (IMDS) and `aws`
 * (Auto Scaling, SSM) replaced by stubs: an instance that is already running learns from the
 * fleet's status parameter that the fleet retires, lifts its own scale-in protection (scale-in
 * skips protected instances), and drains under the termination hook once Auto Scaling terminates it.
 * The stubs decide when Auto Scaling starts terminating the instance, so no test waits on a clock.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Violations } from "../../../lib/core/errors";
import { SCRIPT_DIR } from "../../../lib/fleet/lifecycle-hooks";
import { drainHandlerRunner, resolveStatefulGuard } from "../../../lib/fleet/stateful-guard";

const STUBS: Record<string, string> = {
  // IMDS: the instance is in service until Auto Scaling terminates it (the "terminated" marker).
  curl: `#!/bin/bash
case "$*" in
  *api/token*) echo token ;;
  *meta-data/instance-id*) echo i-0123456789abcdef0 ;;
  *meta-data/placement/region*) echo ap-northeast-1 ;;
  *target-lifecycle-state*) if [ -f "$CALLS.terminated" ]; then echo Terminated; else echo InService; fi ;;
  *) exit 0 ;;
esac
`,
  // FLEET_STATUS: the values the status parameter returns, in turn (the last one repeats; none: the
  // read fails). PROTECTION_FAILURES: set-instance-protection calls that fail first. Auto Scaling
  // starts terminating the instance after the call that passes TERMINATE_AFTER, or after
  // TERMINATE_AFTER_READS status reads.
  aws: `#!/bin/bash
echo "aws $*" >> "$CALLS"
count() { n=$(( $(cat "$CALLS.$1" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$CALLS.$1"; echo "$n"; }
case "$*" in
  *"ssm get-parameter"*)
    n=$(count reads)
    read -r -a statuses <<< "$FLEET_STATUS"
    if [ "\${TERMINATE_AFTER_READS:-0}" -gt 0 ] && [ "$n" -ge "$TERMINATE_AFTER_READS" ]; then touch "$CALLS.terminated"; fi
    if [ "\${#statuses[@]}" -eq 0 ]; then echo "ParameterNotFound" >&2; exit 254; fi
    i=$(( n <= \${#statuses[@]} ? n - 1 : \${#statuses[@]} - 1 ))
    echo "\${statuses[$i]}" ;;
  *set-instance-protection*)
    n=$(count protection)
    if [ "$n" -le "\${PROTECTION_FAILURES:-0}" ]; then exit 1; fi
    for arg in "$@"; do
      if [ -n "\${TERMINATE_AFTER:-}" ] && [ "$arg" = "$TERMINATE_AFTER" ]; then touch "$CALLS.terminated"; fi
    done ;;
esac
`,
  sleep: `#!/bin/bash\nexec /bin/sleep 0.01\n`,
};

/** Runs the drain handler to its end (a completed drain); returns its exit code, `aws` calls and output. */
function runHandler(env: Record<string, string>): { code: number | null; aws: string[]; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "drain-retire-"));
  try {
    mkdirSync(join(dir, "bin"));
    for (const [name, text] of Object.entries(STUBS)) {
      writeFileSync(join(dir, "bin", name), text);
      chmodSync(join(dir, "bin", name), 0o755);
    }
    const v = new Violations();
    const guard = resolveStatefulGuard(v, "stateful", { drainCommand: "ship-uploads", heartbeatTimeoutSeconds: 30 }, "prod-db")!;
    v.throwIfAny();
    writeFileSync(join(dir, "drain-command"), "#!/bin/bash\nexit 0\n");
    writeFileSync(
      join(dir, "handler"),
      drainHandlerRunner(guard, "prod-db-asg").replaceAll(`${SCRIPT_DIR}/drain-command`, join(dir, "drain-command")),
    );
    const calls = join(dir, "calls");
    const result = spawnSync("bash", [join(dir, "handler")], {
      env: { ...process.env, PATH: `${join(dir, "bin")}:${process.env.PATH}`, CALLS: calls, ...env },
      encoding: "utf8",
      // A safety net against a handler that never ends (a bug), far above the second a run takes.
      timeout: 120_000,
    });
    return {
      code: result.status,
      aws: existsSync(calls) ? readFileSync(calls, "utf8").trim().split("\n") : [],
      output: `${result.stdout}${result.stderr}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const STATUS_READ = "aws ssm get-parameter --region ap-northeast-1 --name /prod-db/app-fleets/status --query Parameter.Value --output text";
const protection = (flag: string) =>
  `aws autoscaling set-instance-protection --region ap-northeast-1 --auto-scaling-group-name prod-db-asg --instance-ids i-0123456789abcdef0 ${flag}`;
const DRAINED =
  "aws autoscaling complete-lifecycle-action --region ap-northeast-1 --auto-scaling-group-name prod-db-asg --lifecycle-hook-name drain-before-terminate --instance-id i-0123456789abcdef0 --lifecycle-action-result CONTINUE";

describe("the drain handler while its fleet retires", () => {
  test('a running instance that reads "retiring" lifts its own scale-in protection, then drains under the hook when Auto Scaling terminates it', () => {
    const { code, aws, output } = runHandler({ FLEET_STATUS: "retiring", TERMINATE_AFTER: "--no-protected-from-scale-in" });
    expect(code).toBe(0);
    expect(aws).toEqual([STATUS_READ, protection("--no-protected-from-scale-in"), DRAINED]);
    expect(output).toContain("the fleet is retiring: lifting this instance's scale-in protection");
    expect(output).toContain("running the drain command");
  });

  test("a failed protection call is retried at the next status read, until it succeeds", () => {
    const { code, aws, output } = runHandler({
      FLEET_STATUS: "retiring",
      PROTECTION_FAILURES: "2",
      TERMINATE_AFTER: "--no-protected-from-scale-in",
    });
    expect(code).toBe(0);
    const lift = protection("--no-protected-from-scale-in");
    expect(aws).toEqual([STATUS_READ, lift, STATUS_READ, lift, STATUS_READ, lift, DRAINED]);
    expect(output).toContain("set-instance-protection --no-protected-from-scale-in failed; retrying at the next status check");
  });

  test('protection is lifted once: later reads of "retiring" call Auto Scaling no more', () => {
    const { code, aws } = runHandler({ FLEET_STATUS: "retiring", TERMINATE_AFTER_READS: "3" });
    expect(code).toBe(0);
    expect(aws).toEqual([STATUS_READ, protection("--no-protected-from-scale-in"), STATUS_READ, STATUS_READ, DRAINED]);
  });

  test("taken back into service before Auto Scaling terminated it, the instance protects itself again", () => {
    const { code, aws, output } = runHandler({ FLEET_STATUS: "retiring in-service", TERMINATE_AFTER: "--protected-from-scale-in" });
    expect(code).toBe(0);
    expect(aws).toEqual([
      STATUS_READ,
      protection("--no-protected-from-scale-in"),
      STATUS_READ,
      protection("--protected-from-scale-in"),
      DRAINED,
    ]);
    expect(output).toContain("the fleet is back in service: protecting this instance from scale-in again");
  });

  test.each([
    ["in service", "in-service"],
    ["unreadable (no parameter, no permission, no network)", ""],
  ])("while the status is %s, the instance keeps its protection", (_, status) => {
    const { code, aws } = runHandler({ FLEET_STATUS: status, TERMINATE_AFTER_READS: "2" });
    expect(code).toBe(0);
    expect(aws).toEqual([STATUS_READ, STATUS_READ, DRAINED]);
  });
});
