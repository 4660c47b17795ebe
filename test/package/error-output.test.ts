/**
 * Errors read like errors, end to end: the example app as a process and `cdktf synth` print a bad
 * configuration as a short list, once, with no stack trace, and exit with 1. These start node and
 * the cdktf CLI (seconds of CPU each), so they live in the package part with the other tests that
 * run the project's commands as a user does (test/unit/config/error-output.test.ts has the
 * in-process ones).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exampleJson } from "../support/layouts";

const ROOT = join(__dirname, "..", "..");
/** Generous: these start node (and the cdktf CLI) on a machine the other tests keep busy. */
const PROCESS_TIMEOUT_MS = 5 * 60 * 1000;

function run(
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd = ROOT,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

const EXPECTED_LINE =
  /^bad\.json: fleets\.rails4\.instanceTyp = "m7i\.large": is not a known setting\. Fix: did you mean "instanceType"\?/m;

describe("a bad configuration is printed as a short list by the processes a user runs", () => {
  let dir: string;
  let badFile: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "app-fleets-errors-"));
    const raw = exampleJson("two-version.staging.json");
    raw.fleets.rails4.instanceTyp = "m7i.large";
    badFile = join(dir, "bad.json");
    writeFileSync(badFile, JSON.stringify(raw, null, 2));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test(
    "the example app prints it once on stderr, without a stack trace, and exits with 1",
    async () => {
      const r = await run(process.execPath, ["--import", "tsx", "stacks/main.ts"], {
        APP_FLEETS_CONFIG: badFile,
        CDKTF_OUTDIR: join(dir, "out"),
      });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(EXPECTED_LINE);
      expect(r.stderr.match(/instanceTyp =/g)).toHaveLength(1);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    },
    PROCESS_TIMEOUT_MS,
  );

  test(
    "cdktf synth ends with the list, once, without a stack trace, and exits with 1",
    async () => {
      const cdktf = join(ROOT, "node_modules", ".bin", "cdktf");
      const r = await run(cdktf, ["synth", "--output", join(dir, "cdktf.out")], { APP_FLEETS_CONFIG: badFile });
      expect(r.code).toBe(1);
      // cdktf relays the app's stderr in its log as it runs (stdout) and in its closing summary (stderr).
      expect(r.stderr).toMatch(/Command output on stderr:\s+bad\.json: fleets\.rails4\.instanceTyp = "m7i\.large"/);
      expect(r.stderr.match(/instanceTyp =/g)).toHaveLength(1);
      expect(`${r.stdout}${r.stderr}`).not.toMatch(/^\s+at .*\.(js|ts):\d+/m);
      expect(`${r.stdout}${r.stderr}`).not.toMatch(/violations: \[/);
    },
    PROCESS_TIMEOUT_MS,
  );
});
