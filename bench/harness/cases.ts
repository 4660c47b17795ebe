/**
 * The benchmark cases: what each one runs, what it needs to exist, and its target.
 * Targets come from the issue ("example app synth <= 1.0 s and <= 150 MB", "50 fleets + 95 routes
 * <= 3 s", "at least 3x faster than the AWS CDK peer", "pure + synth tests <= 20 s",
 * "Terraform-backed tests <= 5 min").
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "./measure";
import type { Target } from "./report";
import type { Runner } from "./runner";

export interface BenchCase {
  readonly id: string;
  readonly label: string;
  /** Repo-relative files the case needs; a missing one makes the row "n/a (missing: ...)". */
  readonly requires: readonly string[];
  readonly command: Command;
  readonly target?: Target;
  /** Id of our case this one is compared with (their median / ours). */
  readonly comparedWith?: string;
  /** Timed runs, when not the harness default (the test suites run once). */
  readonly runs?: number;
  readonly warmup?: number;
}

export const EXAMPLE_TARGET: Target = { maxSeconds: 1.0, maxMb: 150 };
export const SCALED_TARGET: Target = { maxSeconds: 3 };
export const PEER_TARGET: Target = { minRatio: 3 };
export const LINEARITY_TARGET: Target = { maxSlopeRatio: 1.5 };
export const FAST_TESTS_TARGET: Target = { maxSeconds: 20 };
export const TERRAFORM_TESTS_TARGET: Target = { maxSeconds: 300 };

export const FLEET_SIZES = [1, 10, 50] as const;
/** Routes over two fleets; 50 is the middle point the linearity check needs. */
export const ROUTE_SIZES = [10, 50, 95] as const;

const EXAMPLE_ENTRY = "stacks/main.ts";
const TWO_VERSION_CONFIG = "stacks/config/examples/two-version.staging.json";
const ROOT_IMPORT_PRELOAD = "bench/root-import/register.cjs";

/** The app command from cdktf.json, run through a shell as `cdktf synth` would. */
function cdktfJsonApp(repoRoot: string): string {
  return String((JSON.parse(readFileSync(join(repoRoot, "cdktf.json"), "utf8")) as { app?: string }).app ?? "");
}

/** Synth of the example stacks, of the two-version app with both import styles, of the scaled apps, and the AWS CDK peer. */
export function synthCases(repoRoot: string, runner: Runner, otherRunner: Runner): BenchCase[] {
  const env = (outdir: string) => ({ CDKTF_OUTDIR: outdir, CDK_OUTDIR: outdir });
  const scaled = (fleets: number, routes: number, outdir: string) =>
    runner.node("bench/apps/scaled.ts", { args: [String(fleets), String(routes)], env: env(outdir) });
  const twoVersionNeeds = ["stacks/build-app.ts", TWO_VERSION_CONFIG];
  const twoVersion = (outdir: string, preload?: string) =>
    runner.node("bench/apps/two-version.ts", { preload, env: { ...env(outdir), APP_FLEETS_CONFIG: join(repoRoot, TWO_VERSION_CONFIG) } });
  const out = (id: string) => join(repoRoot, ".cache", "bench-out", id);

  return [
    {
      id: "synth.example",
      label: `synth: example app (cdktf.json: ${cdktfJsonApp(repoRoot)})`,
      requires: [EXAMPLE_ENTRY],
      command: { command: "sh", args: ["-c", cdktfJsonApp(repoRoot)], cwd: repoRoot, env: env(out("example")) },
      target: EXAMPLE_TARGET,
    },
    {
      id: `synth.example-${otherRunner.kind}`,
      label: `synth: example app, ${otherRunner.kind} runner`,
      requires: [EXAMPLE_ENTRY],
      command: otherRunner.node(EXAMPLE_ENTRY, { env: env(out("example-other")) }),
      target: EXAMPLE_TARGET,
    },
    {
      id: "synth.two-version",
      label: "synth: two-version app (ours)",
      requires: twoVersionNeeds,
      command: twoVersion(out("two-version")),
      target: EXAMPLE_TARGET,
    },
    ...FLEET_SIZES.map((n) => ({
      id: `synth.fleets-${n}`,
      label: `synth: ${n} fleet${n === 1 ? "" : "s"}`,
      requires: ["bench/apps/scaled.ts"],
      command: scaled(n, 0, out(`fleets-${n}`)),
    })),
    ...ROUTE_SIZES.map((n) => ({
      id: `synth.routes-${n}`,
      label: `synth: 2 fleets, ${n} routes`,
      requires: ["bench/apps/scaled.ts"],
      command: scaled(2, n, out(`routes-${n}`)),
    })),
    {
      id: "synth.fleets-50-routes-95",
      label: "synth: 50 fleets + 95 routes",
      requires: ["bench/apps/scaled.ts"],
      command: scaled(50, 95, out("fleets-50-routes-95")),
      target: SCALED_TARGET,
    },
    {
      id: "peer.root-import",
      label: "two-version app, provider root imports",
      requires: twoVersionNeeds,
      command: twoVersion(out("root-import"), ROOT_IMPORT_PRELOAD),
      comparedWith: "synth.two-version",
    },
    {
      id: "peer.aws-cdk",
      label: "two-version layout in AWS CDK (aws-cdk-lib)",
      requires: ["bench/peer-aws-cdk/two-version.ts", "node_modules/aws-cdk-lib/package.json"],
      command: runner.node("bench/peer-aws-cdk/two-version.ts", { env: env(out("aws-cdk")) }),
      comparedWith: "synth.two-version",
      target: PEER_TARGET,
    },
  ];
}

/** `npx cdktf synth` end to end, in the repository and in an empty app (the CLI's own floor). */
export function cliCases(repoRoot: string): BenchCase[] {
  const quiet = { CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "true", CI: "true", FORCE_COLOR: "0" };
  const synth = (cwd: string, outdir: string): Command => ({
    command: "npx",
    args: ["--no-install", "cdktf", "synth", "--output", outdir],
    cwd,
    env: quiet,
    timeoutMs: 300_000,
  });
  return [
    {
      id: "cli.example",
      label: "npx cdktf synth: example app",
      requires: [EXAMPLE_ENTRY, "cdktf.json"],
      command: synth(repoRoot, join(repoRoot, ".cache", "bench-out", "cli-example")),
    },
    {
      id: "cli.empty",
      label: "npx cdktf synth: empty app (CLI floor)",
      requires: ["bench/apps/empty/cdktf.json"],
      command: synth(join(repoRoot, "bench/apps/empty"), join(repoRoot, ".cache", "bench-out", "cli-empty")),
    },
  ];
}

/** The three parts of the test suite, each run once: pure (unit + property), synth, Terraform-backed. */
export function testCases(repoRoot: string): BenchCase[] {
  const jest = (paths: string[], timeoutMs: number): Command => ({
    command: "npx",
    args: ["--no-install", "jest", "--passWithNoTests", ...paths],
    cwd: repoRoot,
    env: { FORCE_COLOR: "0" },
    timeoutMs,
    tolerateExitCode: true,
  });
  return [
    { id: "tests.pure", label: "tests: pure (test/unit, test/property)", requires: ["test/unit"], command: jest(["test/unit", "test/property"], 600_000), runs: 1, warmup: 0 },
    { id: "tests.synth", label: "tests: synth (test/synth)", requires: ["test/synth"], command: jest(["test/synth"], 600_000), runs: 1, warmup: 0 },
    {
      id: "tests.terraform",
      label: "tests: Terraform-backed (test/terraform)",
      requires: ["test/terraform"],
      command: jest(["test/terraform"], 1_800_000),
      target: TERRAFORM_TESTS_TARGET,
      runs: 1,
      warmup: 0,
    },
  ];
}
