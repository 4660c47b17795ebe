/**
 * The on-instance scripts run for real under bash, with `curl`, `aws` and `cloud-init`
 * replaced by stubs: what they tell Auto Scaling in each situation.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Violations } from "../../../lib/core/errors";
import {
  bootstrapGateRunner,
  bootstrapGateUnit,
  GATE_STATE_DIR,
  readinessCheckScript,
  resolveBootstrapGate,
} from "../../../lib/fleet/bootstrap-gate";
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
  *amazonaws.com*) exit "$API_RC" ;;
  *) exit "$READY_RC" ;;
esac
`,
  aws: `#!/bin/bash
echo "aws $*" >> "$CALLS"
case "$*" in
  *describe-scaling-activities*) printf '%s\n' "$FAILED_LAUNCHES" ;;
esac
`,
  "cloud-init": `#!/bin/bash\necho "cloud-init $*" >> "$CALLS"\nexit "$CLOUD_INIT_RC"\n`,
  // A held instance waits forever; with MAX_SLEEPS set, the stub ends the script at that wait, so a
  // test of holding stops after a fixed amount of work, not after a time a busy machine may miss.
  sleep: `#!/bin/bash
n=$(( $(cat "$SLEEPS" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$SLEEPS"
if [ -n "$MAX_SLEEPS" ] && [ "$n" -ge "$MAX_SLEEPS" ]; then kill -TERM "$(cat "$SCRIPT_PID")"; exit 0; fi
exec /bin/sleep 0.05
`,
};

/**
 * Not a speed bound (a run takes well under a second on a quiet machine): it stops a script that
 * would loop forever by mistake, so its test fails instead of hanging the run, and stays below the
 * fast part's per-test limit (jest.config.js) however busy the machine is.
 */
const SCRIPT_HANG_GUARD_MS = 100_000;

interface Run {
  readonly code: number | null;
  readonly calls: string[];
  readonly output: string;
  /** What the gate recorded as its answer (kept across reboots). */
  readonly answer?: string;
}

function run(
  script: string,
  files: Record<string, string>,
  env: Record<string, string>,
  options: {
    /** Files of the gate's state directory, as an earlier boot left them. @default - none */
    readonly state?: Record<string, string>;
    /** Ends a script that holds the instance at its n-th wait. @default - never */
    readonly stopAtWait?: number;
  } = {},
): Run {
  const state = options.state ?? {};
  const dir = mkdtempSync(join(tmpdir(), "lifecycle-"));
  try {
    mkdirSync(join(dir, "bin"));
    for (const [name, text] of Object.entries(STUBS)) {
      writeFileSync(join(dir, "bin", name), text);
      chmodSync(join(dir, "bin", name), 0o755);
    }
    mkdirSync(join(dir, "state"), { recursive: true });
    let text = script.replaceAll("/proc/uptime", join(dir, "uptime")).replaceAll(GATE_STATE_DIR, join(dir, "state"));
    for (const [name, content] of Object.entries(state)) writeFileSync(join(dir, "state", name), content);
    for (const [path, content] of Object.entries(files)) {
      const local = join(dir, path.split("/").pop()!);
      writeFileSync(local, content);
      text = text.replaceAll(path, local);
    }
    writeFileSync(join(dir, "uptime"), `${env.UPTIME ?? "42.17"} 10.00\n`);
    // The script records its PID for the sleep stub (see MAX_SLEEPS); otherwise it runs as generated.
    writeFileSync(
      join(dir, "script"),
      text.replace("\n", () => `\necho $$ > ${join(dir, "pid")}\n`),
    );
    const calls = join(dir, "calls");
    const result = spawnSync("bash", [join(dir, "script")], {
      env: {
        ...process.env,
        PATH: `${join(dir, "bin")}:${process.env.PATH}`,
        CALLS: calls,
        READY_RC: "0",
        API_RC: "0",
        CLOUD_INIT_RC: "0",
        LIFECYCLE_STATE: "InService",
        FAILED_LAUNCHES: "",
        SLEEPS: join(dir, "sleeps"),
        SCRIPT_PID: join(dir, "pid"),
        ...(options.stopAtWait !== undefined ? { MAX_SLEEPS: String(options.stopAtWait) } : {}),
        ...env,
      },
      timeout: SCRIPT_HANG_GUARD_MS,
      encoding: "utf8",
    });
    const stateAfter = join(dir, "state", "bootstrap-gate.answer");
    return {
      code: result.status,
      calls: existsSync(calls) ? readFileSync(calls, "utf8").trim().split("\n") : [],
      output: `${result.stdout}${result.stderr}`,
      answer: existsSync(stateAfter) ? readFileSync(stateAfter, "utf8").trim() : undefined,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The lifecycle answers among the calls (the gate also publishes metrics and reads activities). */
const answers = (calls: readonly string[]) => calls.filter((c) => c.startsWith("aws autoscaling complete-lifecycle-action"));

const completion = (result: string) =>
  `aws autoscaling complete-lifecycle-action --region ap-northeast-1 --auto-scaling-group-name web-asg --lifecycle-hook-name bootstrap-gate --instance-id i-0123456789abcdef0 --lifecycle-action-result ${result}`;

describe("bootstrap gate on the instance", () => {
  const v = new Violations();
  const gate = resolveBootstrapGate(
    v,
    "gate",
    { heartbeatTimeoutSeconds: 600, retryIntervalSeconds: 5 },
    { appPort: 80, healthCheckPath: "/health", capacityTimeoutSeconds: 900 },
  )!;
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
    expect(answers(run(runner, files, { CLOUD_INIT_RC: "2" }).calls)).toEqual([completion("CONTINUE")]);
  });

  test("a failed bootstrap (cloud-init error) abandons the instance without checking readiness", () => {
    const { code, calls } = run(runner, files, { CLOUD_INIT_RC: "1" });
    expect(code).toBe(1);
    expect(calls.filter((c) => c.includes("127.0.0.1"))).toEqual([]);
    expect(answers(calls)).toEqual([completion("ABANDON")]);
  });

  test("an app that never becomes ready before the deadline is abandoned", () => {
    // 578 s after boot: one more 5 s retry would pass the 580 s deadline (600 s heartbeat less 20 s).
    const { code, calls } = run(runner, files, { READY_RC: "7", UPTIME: "578.20" });
    expect(code).toBe(1);
    expect(calls.filter((c) => c.includes("127.0.0.1"))).toHaveLength(1);
    expect(answers(calls)).toEqual([completion("ABANDON")]);
  });

  test("an instance that booted past the deadline is abandoned at once", () => {
    const { calls } = run(runner, files, { UPTIME: "601.00" });
    expect(calls.filter((c) => c.startsWith("cloud-init"))).toEqual([]);
    expect(answers(calls)).toEqual([completion("ABANDON")]);
  });

  const putMetric = (name: string) =>
    `aws cloudwatch put-metric-data --region ap-northeast-1 --namespace AppFleets --metric-name ${name} --dimensions AutoScalingGroupName=web-asg --value 1 --unit Count`;
  const suspend = "aws autoscaling suspend-processes --region ap-northeast-1 --auto-scaling-group-name web-asg --scaling-processes Launch";
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

  test("an abandoned bootstrap publishes BootstrapAbandoned for the group, which the fleet's alarm watches", () => {
    const { calls } = run(runner, files, { CLOUD_INIT_RC: "1" });
    expect(calls).toContain(putMetric("BootstrapAbandoned"));
  });

  test("a failed launch below the limit leaves Auto Scaling to launch a replacement", () => {
    const { calls, output } = run(runner, files, { CLOUD_INIT_RC: "1", FAILED_LAUNCHES: minutesAgo(20) });
    expect(calls).not.toContain(suspend);
    expect(output).toContain("failed launch 2 of at most 3 within 3600 s");
  });

  test("the third failed launch within the window suspends the group's launches, says how to resume, and still abandons", () => {
    const { calls, output } = run(runner, files, { CLOUD_INIT_RC: "1", FAILED_LAUNCHES: `${minutesAgo(30)}\t${minutesAgo(10)}` });
    expect(calls).toContain(suspend);
    expect(calls).toContain(putMetric("LaunchesSuspended"));
    expect(answers(calls)).toEqual([completion("ABANDON")]);
    expect(output).toContain("3 launches failed within 3600 s: suspending the group's launches");
    expect(output).toContain("aws autoscaling resume-processes --auto-scaling-group-name web-asg --scaling-processes Launch");
  });

  test("failed launches older than the window do not count", () => {
    const { calls } = run(runner, files, { CLOUD_INIT_RC: "1", FAILED_LAUNCHES: `${minutesAgo(300)}\t${minutesAgo(200)}` });
    expect(calls).not.toContain(suspend);
  });

  test("with maxFailedLaunches 0 the gate never suspends launches", () => {
    const w = new Violations();
    const unbounded = resolveBootstrapGate(
      w,
      "gate",
      { maxFailedLaunches: 0 },
      { appPort: 80, healthCheckPath: "/health", capacityTimeoutSeconds: 900 },
    )!;
    w.throwIfAny();
    const { calls } = run(bootstrapGateRunner(unbounded, "web-asg"), files, {
      CLOUD_INIT_RC: "1",
      FAILED_LAUNCHES: `${minutesAgo(3)}\t${minutesAgo(2)}\t${minutesAgo(1)}`,
    });
    expect(calls.filter((c) => c.includes("describe-scaling-activities") || c.includes("suspend-processes"))).toEqual([]);
  });

  test("at start it logs whether the Auto Scaling API is reachable, naming the route instances need", () => {
    expect(run(runner, files, {}).output).toContain("reaches the Auto Scaling API (autoscaling.ap-northeast-1.amazonaws.com)");
    const unreachable = run(runner, files, { API_RC: "7" }).output;
    expect(unreachable).toContain("cannot reach https://autoscaling.ap-northeast-1.amazonaws.com/");
    expect(unreachable).toContain("through a NAT gateway or VPC endpoints");
    expect(unreachable).toMatch(/autoscaling, monitoring, codedeploy, codedeploy-commands-secure, s3, ssm, ssmmessages, ec2messages/);
  });

  test("after a reboot, a gate that already answered does nothing: the hook is answered once", () => {
    const { code, calls, output } = run(runner, files, {}, { state: { "bootstrap-gate.answer": "CONTINUE\n" } });
    expect(code).toBe(0);
    expect(calls).toEqual([]);
    expect(output).toContain("answered before a reboot (CONTINUE)");
  });

  test("the first run records its answer, so the next boot finds it", () => {
    expect(run(runner, files, {}).answer).toBe("CONTINUE");
    expect(run(runner, files, { CLOUD_INIT_RC: "1" }).answer).toBe("ABANDON");
  });

  test("after a reboot, the heartbeat counts from the first boot the gate saw, not from this boot", () => {
    // Rebooted 30 s ago, but first seen 601 s ago: past the 580 s deadline, so it abandons at once.
    const firstBoot = String(Math.floor(Date.now() / 1000) - 601);
    const { calls } = run(runner, files, { UPTIME: "30.00" }, { state: { "bootstrap-gate.first-boot": `${firstBoot}\n` } });
    expect(calls.filter((c) => c.startsWith("cloud-init"))).toEqual([]);
    expect(answers(calls)).toEqual([completion("ABANDON")]);
  });

  test("the unit is enabled for multi-user.target, so a reboot during bootstrap runs it again", () => {
    expect(bootstrapGateUnit()).toMatch(/\[Install\]\nWantedBy=multi-user\.target/);
  });
});

describe("drain handler on the instance", () => {
  const drainCompletion = `aws autoscaling complete-lifecycle-action --region ap-northeast-1 --auto-scaling-group-name db-asg --lifecycle-hook-name drain-before-terminate --instance-id i-0123456789abcdef0 --lifecycle-action-result CONTINUE`;

  function guardScript(drainCommand?: string) {
    const v = new Violations();
    const guard = resolveStatefulGuard(v, "stateful", { drainCommand, heartbeatTimeoutSeconds: 30 }, "db")!;
    v.throwIfAny();
    return drainHandlerRunner(guard, "db-asg");
  }

  test("when Auto Scaling terminates the instance, a successful drain completes the hook with CONTINUE", () => {
    const { code, calls } = run(
      guardScript("echo drained"),
      { [`${SCRIPT_DIR}/drain-command`]: "#!/bin/bash\nexit 0\n" },
      { LIFECYCLE_STATE: "Terminated" },
    );
    expect(code).toBe(0);
    expect(calls.filter((c) => c.startsWith("aws"))).toEqual([drainCompletion]);
  });

  test("a failed drain holds the instance with heartbeats and never completes the hook", () => {
    const { calls, output } = run(
      guardScript("false"),
      { [`${SCRIPT_DIR}/drain-command`]: "#!/bin/bash\nexit 3\n" },
      { LIFECYCLE_STATE: "Terminated" },
      { stopAtWait: 20 },
    );
    expect(calls.filter((c) => c.startsWith("aws autoscaling complete-lifecycle-action"))).toEqual([]);
    expect(calls.some((c) => c.startsWith("aws autoscaling record-lifecycle-action-heartbeat"))).toBe(true);
    expect(output).toContain("the drain command failed (exit 3)");
    expect(output).toContain("to let it terminate once its data is safe, run: aws autoscaling complete-lifecycle-action");
    // The fleet's drain-held alarm watches this metric.
    expect(calls).toContain(
      "aws cloudwatch put-metric-data --region ap-northeast-1 --namespace AppFleets --metric-name DrainHeld --dimensions AutoScalingGroupName=db-asg --value 1 --unit Count",
    );
  });

  test("without a drain command a terminating instance is held for a person", () => {
    const { calls, output } = run(guardScript(), {}, { LIFECYCLE_STATE: "Terminated" }, { stopAtWait: 20 });
    expect(calls.filter((c) => c.startsWith("aws autoscaling complete-lifecycle-action"))).toEqual([]);
    expect(output).toContain("no drain command is set: holding it for a person");
  });
});
