/**
 * The on-instance scripts run for real under bash, with `curl`, `aws` and `cloud-init`
 * replaced by stubs: what they tell Auto Scaling in each situation.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Violations } from "../../../lib/core/errors";
import { bootstrapGateRunner, readinessCheckScript, resolveBootstrapGate } from "../../../lib/fleet/bootstrap-gate";
import { SCRIPT_DIR } from "../../../lib/fleet/lifecycle-hooks";
import { drainHandlerRunner, resolveStatefulGuard } from "../../../lib/fleet/stateful-guard";

const STUBS: Record<string, string> = {
  curl: `#!/bin/bash
echo "curl $*" >> "$CALLS"
case "$*" in
  *api/token*) echo token ;;
  *meta-data/instance-id*) echo i-0123456789abcdef0 ;;
  *meta-data/placement/region*) echo ap-northeast-1 ;;
  *target-lifecycle-state*) echo "$LIFECYCLE_STATE" ;;
  *) exit "$READY_RC" ;;
esac
`,
  aws: `#!/bin/bash\necho "aws $*" >> "$CALLS"\n`,
  "cloud-init": `#!/bin/bash\necho "cloud-init $*" >> "$CALLS"\nexit "$CLOUD_INIT_RC"\n`,
  sleep: `#!/bin/bash\nexec /bin/sleep 0.05\n`,
};

interface Run {
  readonly code: number | null;
  readonly calls: string[];
  readonly output: string;
}

function run(script: string, files: Record<string, string>, env: Record<string, string>, timeoutMs = 10_000): Run {
  const dir = mkdtempSync(join(tmpdir(), "lifecycle-"));
  try {
    mkdirSync(join(dir, "bin"));
    for (const [name, text] of Object.entries(STUBS)) {
      writeFileSync(join(dir, "bin", name), text);
      chmodSync(join(dir, "bin", name), 0o755);
    }
    let text = script.replaceAll("/proc/uptime", join(dir, "uptime"));
    for (const [path, content] of Object.entries(files)) {
      const local = join(dir, path.split("/").pop()!);
      writeFileSync(local, content);
      text = text.replaceAll(path, local);
    }
    writeFileSync(join(dir, "uptime"), `${env.UPTIME ?? "42.17"} 10.00\n`);
    writeFileSync(join(dir, "script"), text);
    const calls = join(dir, "calls");
    const result = spawnSync("bash", [join(dir, "script")], {
      env: { ...process.env, PATH: `${join(dir, "bin")}:${process.env.PATH}`, CALLS: calls, READY_RC: "0", CLOUD_INIT_RC: "0", LIFECYCLE_STATE: "InService", ...env },
      timeout: timeoutMs,
      encoding: "utf8",
    });
    return {
      code: result.status,
      calls: existsSync(calls) ? readFileSync(calls, "utf8").trim().split("\n") : [],
      output: `${result.stdout}${result.stderr}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const completion = (result: string) =>
  `aws autoscaling complete-lifecycle-action --region ap-northeast-1 --auto-scaling-group-name web-asg --lifecycle-hook-name bootstrap-gate --instance-id i-0123456789abcdef0 --lifecycle-action-result ${result}`;

describe("bootstrap gate on the instance", () => {
  const v = new Violations();
  const gate = resolveBootstrapGate(v, "gate", { heartbeatTimeoutSeconds: 600, retryIntervalSeconds: 5 }, { appPort: 80, healthCheckPath: "/health", capacityTimeoutSeconds: 900 })!;
  v.throwIfAny();
  const files = { [`${SCRIPT_DIR}/readiness-check`]: readinessCheckScript(gate) };
  const runner = bootstrapGateRunner(gate, "web-asg");

  test("once cloud-init is done and the app answers, it completes the launch hook with CONTINUE", () => {
    const { code, calls } = run(runner, files, {});
    expect(code).toBe(0);
    expect(calls).toContain("cloud-init status --wait");
    expect(calls).toContain("curl -fsS -o /dev/null --max-time 5 http://127.0.0.1:80/health");
    expect(calls.filter((c) => c.startsWith("aws"))).toEqual([completion("CONTINUE")]);
  });

  test("cloud-init finishing with recoverable errors (exit 2) still counts as done", () => {
    expect(run(runner, files, { CLOUD_INIT_RC: "2" }).calls.filter((c) => c.startsWith("aws"))).toEqual([completion("CONTINUE")]);
  });

  test("a failed bootstrap (cloud-init error) abandons the instance without checking readiness", () => {
    const { code, calls } = run(runner, files, { CLOUD_INIT_RC: "1" });
    expect(code).toBe(1);
    expect(calls.filter((c) => c.includes("127.0.0.1"))).toEqual([]);
    expect(calls.filter((c) => c.startsWith("aws"))).toEqual([completion("ABANDON")]);
  });

  test("an app that never becomes ready before the deadline is abandoned", () => {
    // 578 s after boot: one more 5 s retry would pass the 580 s deadline (600 s heartbeat less 20 s).
    const { code, calls } = run(runner, files, { READY_RC: "7", UPTIME: "578.20" });
    expect(code).toBe(1);
    expect(calls.filter((c) => c.includes("127.0.0.1"))).toHaveLength(1);
    expect(calls.filter((c) => c.startsWith("aws"))).toEqual([completion("ABANDON")]);
  });

  test("an instance that booted past the deadline is abandoned at once", () => {
    const { calls } = run(runner, files, { UPTIME: "601.00" });
    expect(calls.filter((c) => c.startsWith("cloud-init"))).toEqual([]);
    expect(calls.filter((c) => c.startsWith("aws"))).toEqual([completion("ABANDON")]);
  });
});

describe("drain handler on the instance", () => {
  const drainCompletion = `aws autoscaling complete-lifecycle-action --region ap-northeast-1 --auto-scaling-group-name db-asg --lifecycle-hook-name drain-before-terminate --instance-id i-0123456789abcdef0 --lifecycle-action-result CONTINUE`;

  function guardScript(drainCommand?: string) {
    const v = new Violations();
    const guard = resolveStatefulGuard(v, "stateful", { drainCommand, heartbeatTimeoutSeconds: 30 })!;
    v.throwIfAny();
    return drainHandlerRunner(guard, "db-asg");
  }

  test("when Auto Scaling terminates the instance, a successful drain completes the hook with CONTINUE", () => {
    const { code, calls } = run(guardScript("echo drained"), { [`${SCRIPT_DIR}/drain-command`]: "#!/bin/bash\nexit 0\n" }, { LIFECYCLE_STATE: "Terminated" });
    expect(code).toBe(0);
    expect(calls.filter((c) => c.startsWith("aws"))).toEqual([drainCompletion]);
  });

  test("a failed drain holds the instance with heartbeats and never completes the hook", () => {
    const { calls, output } = run(guardScript("false"), { [`${SCRIPT_DIR}/drain-command`]: "#!/bin/bash\nexit 3\n" }, { LIFECYCLE_STATE: "Terminated" }, 1500);
    expect(calls.filter((c) => c.startsWith("aws autoscaling complete-lifecycle-action"))).toEqual([]);
    expect(calls.some((c) => c.startsWith("aws autoscaling record-lifecycle-action-heartbeat"))).toBe(true);
    expect(output).toContain("the drain command failed (exit 3)");
    expect(output).toContain("to let it terminate once its data is safe, run: aws autoscaling complete-lifecycle-action");
  });

  test("without a drain command a terminating instance is held for a person", () => {
    const { calls, output } = run(guardScript(), {}, { LIFECYCLE_STATE: "Terminated" }, 1500);
    expect(calls.filter((c) => c.startsWith("aws autoscaling complete-lifecycle-action"))).toEqual([]);
    expect(output).toContain("no drain command is set: holding it for a person");
  });
});
