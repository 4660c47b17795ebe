/** Runs the `terraform` binary. Async so independent stacks can be checked in parallel. */
import { spawn, spawnSync } from "node:child_process";

export interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
}

export function runTerraform(args: readonly string[], options: RunOptions): Promise<TerraformResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", [...args], {
      cwd: options.cwd,
      env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }),
    );
  });
}

/** The installed terraform version, or undefined when there is none on PATH. */
export function terraformVersion(): string | undefined {
  const probe = spawnSync("terraform", ["version", "-json"], {
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
  });
  if (probe.error || probe.status !== 0) return undefined;
  try {
    return (JSON.parse(probe.stdout) as { terraform_version: string }).terraform_version;
  } catch {
    return undefined;
  }
}
