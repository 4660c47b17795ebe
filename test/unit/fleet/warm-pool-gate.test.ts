/**
 * The bootstrap gate of a fleet with a warm pool, run for real under bash with `curl`, `aws` and
 * `cloud-init` replaced by stubs. The launch hook fires when an instance enters the warm pool
 * and again when it leaves it; the instance reads which from IMDS
 * `autoscaling/target-lifecycle-state` ("Use lifecycle hooks with a warm pool", EC2 Auto Scaling
 * User Guide). What the gate tells Auto Scaling in each case is what these tests pin down.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Violations } from "../../../lib/core/errors";
import { bootstrapGateRunner, GATE_STATE_DIR, readinessCheckScript, resolveBootstrapGate } from "../../../lib/fleet/bootstrap-gate";
import { SCRIPT_DIR } from "../../../lib/fleet/lifecycle-hooks";
import { ResolvedWarmPool } from "../../../lib/fleet/warm-pool";

/**
 * Stubs. IMDS answers the target lifecycle state from a queue file, one line per read, the last
 * line repeating; readiness answers likewise from its own queue (0 = ready); Auto Scaling's view
 * of the instance comes from $ASG_STATE.
 */
const STUBS: Record<string, string> = {
  curl: `#!/bin/bash
echo "curl $*" >> "$CALLS"
next() { # pops the first line of a queue file, keeping the last one
  local file=$1 line
  line=$(head -n 1 "$file")
  if [ "$(wc -l < "$file")" -gt 1 ]; then tail -n +2 "$file" > "$file.rest" && mv "$file.rest" "$file"; fi
  echo "$line"
}
case "$*" in
  *api/token*) echo token ;;
  *meta-data/instance-id*) echo i-0123456789abcdef0 ;;
  *meta-data/placement/region*) echo ap-northeast-1 ;;
  *target-lifecycle-state*)
    state=$(next "$TARGET_STATES")
    # The end of a watching gate's story: stop the script (it never exits on its own).
    if [ "$state" = __stop__ ]; then kill -TERM "$(cat "$SCRIPT_PID")"; exit 1; fi
    echo "$state" ;;
  *amazonaws.com*) exit 0 ;;
  *) exit "$(next "$READY_SEQ")" ;;
esac
`,
  aws: `#!/bin/bash
echo "aws $*" >> "$CALLS"
case "$*" in
  *describe-auto-scaling-instances*) [ "$ASG_STATE" = "unreachable" ] && exit 255; echo "$ASG_STATE" ;;
  *describe-scaling-activities*) echo "" ;;
esac
`,
  "cloud-init": `#!/bin/bash\necho "cloud-init $*" >> "$CALLS"\nexit 0\n`,
  sleep: `#!/bin/bash\nexec /bin/sleep 0.02\n`,
};

interface Boot {
  /** Target lifecycle states IMDS answers, one per read. */
  readonly targets: readonly string[];
  /** Exit codes of successive readiness checks (0: ready). @default ["0"] */
  readonly ready?: readonly string[];
  /** What DescribeAutoScalingInstances says, or "unreachable". @default "InService" */
  readonly asgState?: string;
  /** Seconds since this boot. @default 42 */
  readonly uptimeSeconds?: number;
}

interface BootResult {
  readonly code: number | null;
  readonly calls: readonly string[];
  readonly output: string;
}

/** One instance: its state directory survives between boots, like /var/lib on its root volume. */
class Instance {
  private readonly dir = mkdtempSync(join(tmpdir(), "warm-gate-"));

  constructor(
    private readonly runner: string,
    private readonly readiness: string,
  ) {
    mkdirSync(join(this.dir, "bin"));
    mkdirSync(join(this.dir, "state"));
    for (const [name, text] of Object.entries(STUBS)) {
      writeFileSync(join(this.dir, "bin", name), text);
      chmodSync(join(this.dir, "bin", name), 0o755);
    }
  }

  boot(boot: Boot): BootResult {
    const d = this.dir;
    writeFileSync(join(d, "uptime"), `${boot.uptimeSeconds ?? 42}.17 10.00\n`);
    writeFileSync(join(d, "targets"), `${boot.targets.join("\n")}\n`);
    writeFileSync(join(d, "ready"), `${(boot.ready ?? ["0"]).join("\n")}\n`);
    writeFileSync(join(d, "readiness-check"), this.readiness);
    // The script records its PID for the stubs (see __stop__); otherwise it runs as generated.
    const script = this.runner
      .replace("\n", () => `\necho $$ > ${join(d, "pid")}\n`)
      .replaceAll("/proc/uptime", join(d, "uptime"))
      .replaceAll(GATE_STATE_DIR, join(d, "state"))
      .replaceAll(`${SCRIPT_DIR}/readiness-check`, join(d, "readiness-check"));
    writeFileSync(join(d, "script"), script);
    const calls = join(d, "calls");
    rmSync(calls, { force: true });
    const result = spawnSync("bash", [join(d, "script")], {
      env: {
        ...process.env,
        PATH: `${join(d, "bin")}:${process.env.PATH}`,
        CALLS: calls,
        TARGET_STATES: join(d, "targets"),
        READY_SEQ: join(d, "ready"),
        ASG_STATE: boot.asgState ?? "InService",
        SCRIPT_PID: join(d, "pid"),
      },
      // Not a speed bound (a run takes well under a second): it stops a gate that would watch
      // forever if a story lacked its __stop__, so that test fails instead of hanging the run; it
      // stays below the fast part's per-test limit (jest.config.js) however busy the machine is.
      timeout: 100_000,
      encoding: "utf8",
    });
    return {
      code: result.status,
      calls: existsSync(calls) ? readFileSync(calls, "utf8").trim().split("\n") : [],
      output: `${result.stdout}${result.stderr}`,
    };
  }

  /** Writes a file of the gate's state directory, as an earlier boot would have. */
  setState(name: string, content: string): void {
    writeFileSync(join(this.dir, "state", name), content);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const gateOptions = { heartbeatTimeoutSeconds: 600, retryIntervalSeconds: 5 };
const v = new Violations();
const gate = resolveBootstrapGate(v, "gate", gateOptions, { appPort: 80, healthCheckPath: "/health", capacityTimeoutSeconds: 900 })!;
v.throwIfAny();
const READINESS = readinessCheckScript(gate);

const pool = (overrides: Partial<ResolvedWarmPool> = {}): ResolvedWarmPool => ({
  poolState: "Stopped",
  minSize: 0,
  reuseOnScaleIn: false,
  ...overrides,
});
const instances: Instance[] = [];
function instance(warmPool: ResolvedWarmPool): Instance {
  const created = new Instance(bootstrapGateRunner(gate, "web-asg", warmPool), READINESS);
  instances.push(created);
  return created;
}
afterAll(() => instances.forEach((i) => i.dispose()));

const completion = (result: string) =>
  `aws autoscaling complete-lifecycle-action --region ap-northeast-1 --auto-scaling-group-name web-asg --lifecycle-hook-name bootstrap-gate --instance-id i-0123456789abcdef0 --lifecycle-action-result ${result}`;
const answers = (calls: readonly string[]) => calls.filter((c) => c.startsWith("aws autoscaling complete-lifecycle-action"));
const readinessChecks = (calls: readonly string[]) => calls.filter((c) => c.includes("127.0.0.1:80/health"));

describe("bootstrap gate with a Stopped warm pool", () => {
  test("launching into the pool: bootstrap, readiness, then CONTINUE, and the gate stops so Auto Scaling can stop the instance", () => {
    const { code, calls, output } = instance(pool()).boot({ targets: ["Warmed:Stopped"] });
    expect(code).toBe(0);
    expect(calls).toContain("cloud-init status --wait");
    expect(readinessChecks(calls)).toHaveLength(1);
    expect(answers(calls)).toEqual([completion("CONTINUE")]);
    expect(output).toContain(
      "launching into the warm pool (Warmed:Stopped): bootstrapping now; the instance enters service only when it leaves the pool",
    );
  });

  test("leaving the pool (the next boot, target InService): readiness is checked again before the second CONTINUE", () => {
    const vm = instance(pool());
    vm.boot({ targets: ["Warmed:Stopped"] });
    const { code, calls, output } = vm.boot({ targets: ["InService"] });
    expect(code).toBe(0);
    expect(readinessChecks(calls)).toHaveLength(1);
    expect(answers(calls)).toEqual([completion("CONTINUE")]);
    expect(output).toContain("leaving the warm pool (Warmed:Stopped): checking readiness again before it takes traffic");
  });

  test("an app that is not ready after leaving the pool is abandoned, never put in service", () => {
    const vm = instance(pool());
    vm.boot({ targets: ["Warmed:Stopped"] });
    // Booted 578 s ago and still not ready: one more 5 s retry would pass the 580 s deadline.
    const { code, calls, output } = vm.boot({ targets: ["InService"], ready: ["7"], uptimeSeconds: 578 });
    expect(code).toBe(1);
    expect(answers(calls)).toEqual([completion("ABANDON")]);
    expect(output).toContain("within 580 s of leaving the warm pool; completing with ABANDON");
  });

  test("the heartbeat of leaving the pool counts from that boot, not from the first launch days ago", () => {
    const vm = instance(pool());
    vm.boot({ targets: ["Warmed:Stopped"] });
    // The instance warmed ten days ago; it left the pool with this boot, 30 s ago.
    vm.setState("bootstrap-gate.first-boot", `${Math.floor(Date.now() / 1000) - 10 * 86_400}\n`);
    const { calls } = vm.boot({ targets: ["InService"], uptimeSeconds: 30, ready: ["7", "0"] });
    expect(readinessChecks(calls)).toHaveLength(2);
    expect(answers(calls)).toEqual([completion("CONTINUE")]);
  });

  test("a direct launch into the group (the pool was empty) is gated once, like a fleet without a pool", () => {
    const vm = instance(pool());
    const first = vm.boot({ targets: ["InService"] });
    expect(answers(first.calls)).toEqual([completion("CONTINUE")]);
    expect(first.output).toContain("launching straight into the group");
    // A reboot while in service: Auto Scaling holds no launch action, so nothing is answered.
    const reboot = vm.boot({ targets: ["InService"], asgState: "InService" });
    expect(answers(reboot.calls)).toEqual([]);
    expect(reboot.output).toContain("in service; no launch action waits: nothing to answer");
  });

  test("back from the pool after reuse on scale-in, unseen while stopped: Auto Scaling's Pending:Wait makes the gate check readiness and answer", () => {
    const vm = instance(pool({ reuseOnScaleIn: true }));
    vm.boot({ targets: ["InService"] });
    const { calls, output } = vm.boot({ targets: ["InService"], asgState: "Pending:Wait" });
    expect(calls).toContain(
      "aws autoscaling describe-auto-scaling-instances --region ap-northeast-1 --instance-ids i-0123456789abcdef0 --query AutoScalingInstances[0].LifecycleState --output text",
    );
    expect(readinessChecks(calls)).toHaveLength(1);
    expect(answers(calls)).toEqual([completion("CONTINUE")]);
    expect(output).toContain("a launch action waits (back from the warm pool)");
  });

  test("when Auto Scaling cannot be asked, the gate answers nothing: the hook's ABANDON replaces the instance rather than serving it unchecked", () => {
    const vm = instance(pool());
    vm.boot({ targets: ["InService"] });
    const { calls, output } = vm.boot({ targets: ["InService"], asgState: "unreachable" });
    expect(answers(calls)).toEqual([]);
    expect(output).toContain("cannot read this instance's lifecycle state from Auto Scaling; answering nothing");
  });

  test("a failed bootstrap on the way into the pool abandons the instance", () => {
    const { code, calls } = instance(pool()).boot({ targets: ["Warmed:Stopped"], ready: ["7"], uptimeSeconds: 578 });
    expect(code).toBe(1);
    expect(answers(calls)).toEqual([completion("ABANDON")]);
  });
});

describe("bootstrap gate with a Running warm pool", () => {
  test("one run answers both transitions: into the pool after bootstrap, and out of it after a second readiness check", () => {
    const { code, calls, output } = instance(pool({ poolState: "Running" })).boot({
      targets: ["Warmed:Running", "Warmed:Running", "Warmed:Running", "InService"],
      ready: ["0", "0"],
    });
    expect(code).toBe(0);
    expect(answers(calls)).toEqual([completion("CONTINUE"), completion("CONTINUE")]);
    expect(readinessChecks(calls)).toHaveLength(2);
    expect(output).toMatch(/launching into the warm pool \(Warmed:Running\)[\s\S]*leaving the warm pool \(Warmed:Running\)/);
  });

  test("while the instance waits in the pool nothing more is answered", () => {
    // The queue ends in InService so the run ends; the waiting reads in between answer nothing.
    const { calls } = instance(pool({ poolState: "Running" })).boot({
      targets: ["Warmed:Running", ...Array(5).fill("Warmed:Running"), "InService"],
    });
    expect(answers(calls)).toHaveLength(2);
  });

  test("with reuse on scale-in it keeps watching in service, and gates the next exit from the pool again", () => {
    // In service, back to the pool on scale-in, out again: three answers, the middle transition none.
    const result = spawnLimited(instance(pool({ poolState: "Running", reuseOnScaleIn: true })), [
      "Warmed:Running",
      "InService",
      "InService",
      "Warmed:Running",
      "Warmed:Running",
      "InService",
    ]);
    expect(answers(result.calls)).toEqual([completion("CONTINUE"), completion("CONTINUE"), completion("CONTINUE")]);
    expect(result.output).toContain("back in the warm pool (Warmed:Running): nothing to answer until it leaves the pool");
  });
});

/**
 * A gate that keeps watching (a Running pool with reuse on scale-in) never exits on its own: the
 * queue ends with a marker on which the stub stops the script; the answers before it are what counts.
 */
function spawnLimited(vm: Instance, targets: readonly string[]): BootResult {
  return vm.boot({ targets: [...targets, "__stop__"], ready: ["0"] });
}

describe("the generated warm-pool gate", () => {
  test("is valid bash and holds no ${ or %{ that Terraform would read as a template", () => {
    for (const poolState of ["Stopped", "Running", "Hibernated"] as const) {
      const runner = bootstrapGateRunner(gate, "web-asg", pool({ poolState, reuseOnScaleIn: true }));
      expect(spawnSync("bash", ["-n"], { input: runner, encoding: "utf8" }).status).toBe(0);
      expect(runner).not.toMatch(/\$\{|%\{/);
    }
  });
});
