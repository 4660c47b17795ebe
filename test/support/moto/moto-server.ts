/**
 * Starts and stops the emulated AWS for a test suite: moto's server (`moto_server`, moto 5.2.x)
 * through moto_launcher.py, which patches the gaps the stacks meet, on a free port of 127.0.0.1.
 * The server is stopped by its own PID: by `stop()`, on this process's exit, and by the launcher
 * itself when this process disappears (so an interrupted run leaves nothing behind).
 */
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { delimiter, join } from "node:path";

export const LAUNCHER = join(__dirname, "moto_launcher.py");

/** Seconds to wait for the server to listen; generous, since a busy machine imports moto slowly. */
const START_TIMEOUT_MS = 3 * 60 * 1000;
/** Characters of the server's output kept for failure messages: its first lines and its latest ones. */
const OUTPUT_HEAD_CHARS = 4_000;
const OUTPUT_TAIL_CHARS = 60_000;
/** Grace before a stopped server is killed outright. */
const STOP_GRACE_MS = 10 * 1000;

export type MotoAvailability =
  | { readonly available: true; readonly python: string; readonly motoVersion: string }
  | { readonly available: false; readonly reason: string };

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter).filter(Boolean)) {
    const candidate = join(dir, command);
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** The interpreter named by a script's `#!` line, when it is a Python. */
function shebangPython(script: string): string | undefined {
  try {
    const first = readFileSync(script, "utf8").split("\n", 1)[0];
    const match = /^#!\s*(\S*python[\d.]*)\s*$/.exec(first);
    return match && existsSync(match[1]) ? match[1] : undefined;
  } catch {
    return undefined;
  }
}

let cached: MotoAvailability | undefined;

/**
 * Whether `moto_server` is on PATH, and the Python interpreter that runs it (the launcher must
 * import the same moto). A pyenv or virtualenv shim is resolved to the real interpreter.
 */
export function motoAvailability(): MotoAvailability {
  if (cached) return cached;
  const server = onPath("moto_server");
  if (!server) {
    cached = { available: false, reason: 'moto_server is not on PATH (install it with: pip install "moto[server]")' };
    return cached;
  }
  const candidates = [shebangPython(server), onPath("python3"), onPath("python")].filter((p): p is string => p !== undefined);
  for (const python of candidates) {
    const probe = spawnSync(python, ["-c", "import sys, moto, werkzeug; print(sys.executable); print(moto.__version__)"], {
      encoding: "utf8",
    });
    if (probe.status === 0) {
      const [executable, version] = probe.stdout.trim().split("\n");
      cached = { available: true, python: executable, motoVersion: version };
      return cached;
    }
  }
  cached = {
    available: false,
    reason: `moto_server is at ${server}, but no Python on PATH imports moto and werkzeug (tried ${candidates.join(", ") || "none"})`,
  };
  return cached;
}

export interface MotoServer {
  /** e.g. "http://127.0.0.1:40123". */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Everything the server printed so far (its request log), for failure messages. */
  output(): string;
  /** Stops the server by its PID; resolves once it has exited. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Synchronous: the last chance when the test process ends without afterAll (an uncaught error).
  process.on("exit", () => {
    for (const child of running) if (child.pid) child.kill("SIGKILL");
  });
}

/** Starts a server on a free loopback port; rejects with its output when it does not come up. */
export function startMotoServer(): Promise<MotoServer> {
  const availability = motoAvailability();
  if (!availability.available) return Promise.reject(new Error(availability.reason));
  installExitHook();
  const child = spawn(availability.python, [LAUNCHER, "--port", "0"], {
    env: {
      ...process.env,
      // AWS-managed policies (AmazonSSMManagedInstanceCore, AWSCodeDeployRole) exist only with this.
      MOTO_IAM_LOAD_MANAGED_POLICIES: "true",
      // moto validates nothing against real AWS, but keep it from looking anything up.
      AWS_EC2_METADATA_DISABLED: "true",
      PYTHONUNBUFFERED: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  // The request log grows with every call: keep the start (the launcher's lines) and the latest part.
  let head = "";
  let tail = "";
  const output = () => (head.length + tail.length > 0 ? `${head}${tail}` : "");
  const record = (d: Buffer) => {
    const text = d.toString("utf8");
    if (head.length < OUTPUT_HEAD_CHARS) head += text;
    else tail = (tail + text).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout!.on("data", record);
  child.stderr!.on("data", record);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  exited.then(() => running.delete(child));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  return new Promise<MotoServer>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`moto did not start within ${START_TIMEOUT_MS / 1000} s:\n${output()}`));
    }, START_TIMEOUT_MS);
    const onData = () => {
      const match = /moto listening on 127\.0\.0\.1:(\d+)/.exec(output());
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off("data", onData);
      const port = Number(match[1]);
      resolve({ url: `http://127.0.0.1:${port}`, port, pid: child.pid!, output, stop });
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`moto exited before listening (code ${code}, signal ${signal}):\n${output()}`));
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
