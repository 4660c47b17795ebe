/**
 * The benchmark cases: what each one runs, what it needs to exist, and its target.
 * Targets come from the issues: "example app synth <= 1.0 s and <= 150 MB", "50 fleets + 95
 * routes <= 3 s", "at least 1.3x faster in CPU than AWS CDK with validation off on the same
 * two-version layout, at most 110 MB", "a warm plan-diff under 15 s, a cold one under 45 s",
 * "fast test part under 30 s, terraform plan part under 4 minutes, whole npm test under 12".
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "./measure";
import { PEER_ENTRY, PeerStatus } from "./peer";
import type { Target } from "./report";
import type { Runner } from "./runner";

export interface BenchCase {
  readonly id: string;
  readonly label: string;
  /** Repo-relative files the case needs; a missing one makes the row "n/a (missing: ...)". */
  readonly requires: readonly string[];
  /** Why the case cannot run here, decided before it runs (e.g. the peer could not be installed). */
  readonly unavailable?: string;
  readonly command: Command;
  readonly target?: Target;
  /** Id of our case this one is compared with (their cost / ours). */
  readonly comparedWith?: string;
  /** Cases with the same group are measured in turns, one run of each per round (see measureInterleaved). */
  readonly group?: string;
  /** Timed runs, when not the harness default (the test suites run once). */
  readonly runs?: number;
  readonly warmup?: number;
  /** Run once before the case's first run (e.g. synthesize its inputs); throws to make the case fail. */
  readonly prepare?: () => void;
}

export const EXAMPLE_TARGET: Target = { maxSeconds: 1.0, maxMb: 150 };
/** The app compared with the peers: the same synth budget, and the memory the fair-peer target sets. */
export const TWO_VERSION_TARGET: Target = { maxSeconds: 1.0, maxMb: 110 };
export const SCALED_TARGET: Target = { maxSeconds: 3 };
/** Against AWS CDK doing the same work (CloudFormation validation off), in CPU seconds. */
export const PEER_TARGET: Target = { minRatio: 1.3 };
export const LINEARITY_TARGET: Target = { maxSlopeRatio: 1.5 };
export const PREVIEW_COLD_TARGET: Target = { maxSeconds: 45 };
export const PREVIEW_WARM_TARGET: Target = { maxSeconds: 15 };
export const FAST_TESTS_TARGET: Target = { maxSeconds: 30 };
export const TERRAFORM_TESTS_TARGET: Target = { maxSeconds: 240 };
export const ALL_TESTS_TARGET: Target = { maxSeconds: 720 };

export const FLEET_SIZES = [1, 10, 50] as const;
/** Routes over two fleets; 50 is the middle point the linearity check needs. */
export const ROUTE_SIZES = [10, 50, 95] as const;

const EXAMPLE_ENTRY = "stacks/main.ts";
const TWO_VERSION_CONFIG = "stacks/config/examples/two-version.staging.json";
const ROOT_IMPORT_PRELOAD = "bench/root-import/register.cjs";
/** Where the cases write; deleted at the end of the bench. */
export const BENCH_OUT = ".cache/bench-out";

/** The app command from cdktf.json, run through a shell as `cdktf synth` would. */
function cdktfJsonApp(repoRoot: string): string {
  return String((JSON.parse(readFileSync(join(repoRoot, "cdktf.json"), "utf8")) as { app?: string }).app ?? "");
}

/** A shell command run with a fresh, empty APP_FLEETS_CACHE_DIR (and jest cache), as on a clean clone; removed afterwards. */
function withColdCache(command: string): string {
  return `d=$(mktemp -d) && export APP_FLEETS_CACHE_DIR="$d/app-fleets" && ${command}; rc=$?; rm -rf "$d"; exit $rc`;
}

/** Synth of the example stacks, of the two-version app with both import styles, of the scaled apps, and the AWS CDK peer twice. */
export function synthCases(repoRoot: string, runner: Runner, otherRunner: Runner, peer: PeerStatus): BenchCase[] {
  const env = (outdir: string) => ({ CDKTF_OUTDIR: outdir, CDK_OUTDIR: outdir });
  const scaled = (fleets: number, routes: number, outdir: string) =>
    runner.node("bench/apps/scaled.ts", { args: [String(fleets), String(routes)], env: env(outdir) });
  const twoVersionNeeds = ["stacks/build-app.ts", TWO_VERSION_CONFIG];
  const twoVersion = (outdir: string, preload?: string) =>
    runner.node("bench/apps/two-version.ts", { preload, env: { ...env(outdir), APP_FLEETS_CONFIG: join(repoRoot, TWO_VERSION_CONFIG) } });
  const out = (id: string) => join(repoRoot, BENCH_OUT, id);
  const peerVersion = peer.ready ? `aws-cdk-lib ${peer.awsCdkLib}` : "aws-cdk-lib";
  const peerCommand = (outdir: string, extraEnv: Record<string, string> = {}): Command => ({
    command: "node",
    args: [PEER_ENTRY],
    cwd: repoRoot,
    env: { ...env(outdir), ...extraEnv },
  });

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
    // The peer comparison, measured in turns so load changes hit every side alike.
    {
      id: "synth.two-version",
      label: "synth: two-version app (ours)",
      requires: twoVersionNeeds,
      command: twoVersion(out("two-version")),
      target: TWO_VERSION_TARGET,
      group: "peers",
    },
    {
      id: "peer.aws-cdk-no-validation",
      label: `two-version layout in AWS CDK (${peerVersion}, \`app.synth()\` with CDK_VALIDATION=false)`,
      requires: [],
      unavailable: peer.ready ? undefined : peer.reason,
      command: peerCommand(out("aws-cdk-no-validation"), { CDK_VALIDATION: "false" }),
      comparedWith: "synth.two-version",
      target: PEER_TARGET,
      group: "peers",
    },
    {
      id: "peer.aws-cdk",
      label: `two-version layout in AWS CDK (${peerVersion}, \`app.synth()\` as installed: CloudFormation validation on)`,
      requires: [],
      unavailable: peer.ready ? undefined : peer.reason,
      command: peerCommand(out("aws-cdk")),
      comparedWith: "synth.two-version",
      group: "peers",
    },
    {
      id: "peer.root-import",
      label: "two-version app, provider root imports",
      requires: twoVersionNeeds,
      command: twoVersion(out("root-import"), ROOT_IMPORT_PRELOAD),
      comparedWith: "synth.two-version",
      group: "peers",
    },
  ];
}

/** `npx cdktf synth` end to end, in the repository and in an empty plain-JavaScript app (the CLI's own floor). */
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
      command: synth(repoRoot, join(repoRoot, BENCH_OUT, "cli-example")),
    },
    {
      id: "cli.empty",
      label: "npx cdktf synth: empty app, plain JavaScript (the CLI's floor)",
      requires: ["bench/apps/empty/cdktf.json", "bench/apps/empty/main.js"],
      command: synth(join(repoRoot, "bench/apps/empty"), join(repoRoot, BENCH_OUT, "cli-empty")),
    },
  ];
}

/**
 * `app-fleets plan-diff` of a new rails4 AMI against the example two-version stack, as a user runs
 * it (plain node on the compiled CLI): cold (an empty cache: baseline built, provider schema read,
 * shared init made) and warm (the baseline of the same base cached by an earlier preview).
 */
export function previewCases(repoRoot: string, runner: Runner): BenchCase[] {
  const out = join(repoRoot, BENCH_OUT, "preview");
  const before = join(out, "before", "stacks", "two-version-staging");
  const after = join(out, "after", "stacks", "two-version-staging");
  const cli = runner.node("bin/app-fleets.ts", { args: ["plan-diff", before, after] });
  const shellCli = [cli.command, ...cli.args].map((a) => `'${a}'`).join(" ");
  const prepare = () => {
    const config = JSON.parse(readFileSync(join(repoRoot, TWO_VERSION_CONFIG), "utf8")) as { fleets: Record<string, { imageId?: string }> };
    config.fleets.rails4.imageId = "ami-0fedcba9876543210";
    const afterConfig = join(out, "two-version.staging.json");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { mkdirSync, writeFileSync } = require("node:fs") as typeof import("node:fs");
    mkdirSync(out, { recursive: true });
    writeFileSync(afterConfig, JSON.stringify(config, null, 2));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
    for (const [side, configFile] of [
      ["before", join(repoRoot, TWO_VERSION_CONFIG)],
      ["after", afterConfig],
    ] as const) {
      const synth = runner.node("bench/apps/two-version.ts", { env: { CDKTF_OUTDIR: join(out, side), APP_FLEETS_CONFIG: configFile } });
      const done = spawnSync(synth.command, [...synth.args], { cwd: synth.cwd, env: { ...process.env, ...synth.env }, encoding: "utf8" });
      if (done.status !== 0) throw new Error(`synth of the ${side} stack failed: ${done.stderr}`);
    }
  };
  return [
    {
      id: "preview.cold",
      label: "app-fleets plan-diff, cold (empty cache: baseline built)",
      requires: ["bin/app-fleets.ts", TWO_VERSION_CONFIG],
      command: { command: "sh", args: ["-c", withColdCache(shellCli)], cwd: repoRoot, env: cli.env, timeoutMs: 600_000 },
      target: PREVIEW_COLD_TARGET,
      runs: 3,
      warmup: 0,
      prepare,
    },
    {
      id: "preview.warm",
      label: "app-fleets plan-diff, warm (baseline of the same base cached)",
      requires: ["bin/app-fleets.ts", TWO_VERSION_CONFIG],
      command: { ...cli, env: { ...cli.env, APP_FLEETS_CACHE_DIR: join(out, "cache") }, timeoutMs: 600_000 },
      target: PREVIEW_WARM_TARGET,
      runs: 3,
      warmup: 1,
      prepare,
    },
  ];
}

/**
 * The parts of the test suite, each run once on a cold cache (as on a clean clone), one after
 * another: together they are the whole suite run once (`npm test` runs the same parts in one jest
 * run, which overlaps them; run.ts reports their sum as its upper bound). Each part's jest output
 * is kept in .cache/bench-logs/tests-<part>.log.
 */
export function testCases(repoRoot: string): BenchCase[] {
  const part = (name: string, timeoutMs: number): Command => ({
    command: "sh",
    args: [
      "-c",
      withColdCache(
        `mkdir -p .cache/bench-logs && npx --no-install jest --cacheDirectory "$d/jest" --selectProjects ${name} > .cache/bench-logs/tests-${name}.log 2>&1`,
      ),
    ],
    cwd: repoRoot,
    env: { FORCE_COLOR: "0" },
    timeoutMs,
    tolerateExitCode: true,
  });
  const once = { runs: 1, warmup: 0 } as const;
  return [
    {
      id: "tests.fast",
      label: "tests: fast part (`npm run test:fast`: unit, property, synth; no terraform)",
      requires: ["test/unit"],
      command: part("fast", 600_000),
      target: FAST_TESTS_TARGET,
      ...once,
    },
    {
      id: "tests.package",
      label: "tests: package part (test/package: pack, consumer projects, the README's commands)",
      requires: ["test/package"],
      command: part("package", 3_600_000),
      ...once,
    },
    {
      id: "tests.terraform",
      label: "tests: terraform plan part (`npm run test:terraform`)",
      requires: ["test/terraform"],
      command: part("terraform", 3_600_000),
      target: TERRAFORM_TESTS_TARGET,
      ...once,
    },
    {
      id: "tests.deploy",
      label: "tests: deploy part (`npm run test:deploy`: applies against the emulated AWS)",
      requires: ["test/deploy"],
      command: part("deploy", 3_600_000),
      ...once,
    },
  ];
}

/** The whole `npm test`: the parts above, summed (an upper bound: one jest run overlaps them). */
export const TEST_PARTS = ["tests.fast", "tests.package", "tests.terraform", "tests.deploy"] as const;
