/**
 * `npm run bench`: wall time, CPU time (user + system of the process tree) and peak memory of the
 * example app, of generated scaled apps, of the two-version app next to the same layout in AWS
 * CDK (its own pinned package, installed on demand; measured with its CloudFormation validation
 * on, as installed, and off) and with provider root imports, `npx cdktf synth` against the CLI's
 * floor, `app-fleets plan-diff` cold and warm, and the test suite by part (each once; their sum
 * bounds the whole `npm test`; jest logs in .cache/bench-logs). Prints a Markdown table
 * and writes bench/results.json. Targets are checked here, never as timed tests.
 *
 *   npm run bench                      # 1 warm-up + 5 runs per synth case, previews 3, tests once
 *   npm run bench -- --no-tests        # skip the test suites (they take many minutes)
 *   npm run bench -- --no-previews     # skip the plan-diff cases (a few minutes)
 *   npm run bench -- --only peer       # cases whose id contains "peer" (results.json keeps the other rows, dated)
 *   BENCH_RUNS=9 npm run bench         # more runs per case
 *   npm run bench -- --strict          # exit 1 when a target is missed
 *   npm run bench -- --runner precompiled   # run the apps precompiled even though cdktf.json uses tsx
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import {
  ALL_TESTS_TARGET,
  BENCH_OUT,
  BenchCase,
  cliCases,
  FLEET_SIZES,
  LINEARITY_TARGET,
  previewCases,
  ROUTE_SIZES,
  synthCases,
  TEST_PARTS,
  testCases,
} from "./harness/cases";
import { measure, Measurement, measureInterleaved, rssMethod } from "./harness/measure";
import { preparePeer } from "./harness/peer";
import { CaseResult, ratioTo, renderTable, verdict } from "./harness/report";
import { cdktfJsonRunner, makeRunner, PRECOMPILED_DIR, RunnerKind } from "./harness/runner";
import { checkLinearity, maximum, median } from "./harness/stats";

// Plain CommonJS so that cdktf.json can run it too (`node scripts/precompile.cjs <outDir>`).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { precompile, DEFAULT_FOLDERS } = require("../scripts/precompile.cjs") as {
  precompile: (repoRoot: string, outDir: string, folders?: readonly string[]) => void;
  DEFAULT_FOLDERS: readonly string[];
};

const repoRoot = resolve(__dirname, "..");
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const option = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};

const runs = Number(process.env.BENCH_RUNS ?? option("--runs") ?? 5);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`BENCH_RUNS is "${process.env.BENCH_RUNS}"; expected a whole number >= 1, e.g. 5`);
const only = option("--only");
const skipTests = flag("--no-tests");
const skipPreviews = flag("--no-previews");
const strict = flag("--strict");

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Why a case cannot run, before running it: a missing file, an unavailable peer, a failed preparation. */
const prepared = new Map<() => void, string | undefined>();
function blocker(c: BenchCase): string | undefined {
  if (c.unavailable) return c.unavailable;
  const missing = c.requires.filter((f) => !existsSync(join(repoRoot, f)));
  if (missing.length > 0) return `missing: ${missing.join(", ")}`;
  if (c.prepare) {
    if (!prepared.has(c.prepare)) {
      try {
        c.prepare();
        prepared.set(c.prepare, undefined);
      } catch (error) {
        prepared.set(c.prepare, `preparation failed: ${error instanceof Error ? error.message.slice(0, 300) : String(error)}`);
      }
    }
    return prepared.get(c.prepare);
  }
  return undefined;
}

function runCase(c: BenchCase, measured?: Measurement): CaseResult {
  const blocked = blocker(c);
  if (blocked) return { id: c.id, label: c.label, status: "n/a", note: blocked, target: c.target };
  const caseRuns = c.runs ?? runs;
  const warmup = c.warmup ?? 1;
  if (!measured) log(`- ${c.label}: ${warmup} warm-up + ${caseRuns} run${caseRuns === 1 ? "" : "s"}`);
  const m = measured ?? measure(c.command, caseRuns, warmup);
  if (!m.ok) {
    log(`  failed: ${m.error}`);
    return { id: c.id, label: c.label, status: "failed", note: m.error.slice(0, 300), target: c.target };
  }
  const seconds = m.samples.map((s) => s.wallMs / 1000);
  const rss = m.samples.map((s) => s.maxRssKb).filter((k): k is number => k !== undefined);
  const cpu = m.samples.map((s) => s.cpuSeconds).filter((c): c is number => c !== undefined);
  const failed = m.samples.find((s) => s.exitCode !== 0);
  const result: CaseResult = {
    id: c.id,
    label: c.label,
    // A test part that ran with failures is timed, but never passes its target.
    status: failed ? "failed" : "ok",
    runs: caseRuns,
    medianSeconds: median(seconds),
    cpuSeconds: cpu.length > 0 ? median(cpu) : undefined,
    peakMb: rss.length > 0 ? maximum(rss) / 1024 : undefined,
    target: c.target,
    note: failed ? `ran with ${failed.failure?.split(":")[0]} (some tests failed)` : undefined,
  };
  log(
    `  ${c.id}: ${result.medianSeconds!.toFixed(2)} s median, ${result.cpuSeconds?.toFixed(2) ?? "?"} CPU s, ${result.peakMb?.toFixed(0) ?? "?"} MB peak`,
  );
  return result;
}

/** Runs cases of one group in turns (see measureInterleaved); the ones that cannot run are n/a. */
function runGroup(group: readonly BenchCase[]): CaseResult[] {
  const runnable = group.filter((c) => blocker(c) === undefined);
  const caseRuns = runnable[0]?.runs ?? runs;
  const warmup = runnable[0]?.warmup ?? 1;
  log(`- in turns: ${runnable.map((c) => c.id).join(", ")}: ${warmup} warm-up + ${caseRuns} runs each`);
  const measured = measureInterleaved(
    runnable.map((c) => c.command),
    caseRuns,
    warmup,
  );
  return group.map((c) => {
    const i = runnable.indexOf(c);
    return runCase(c, i >= 0 ? measured[i] : undefined);
  });
}

/** A row computed from other rows: a linearity check or a sum. */
function linearityRow(id: string, label: string, points: { size: number; result?: CaseResult }[]): CaseResult {
  const measured = points.filter((p) => p.result?.status === "ok");
  if (measured.length < points.length) {
    return { id, label, status: "n/a", note: "needs every point of the curve", target: LINEARITY_TARGET };
  }
  // CPU time when every point has it: waiting for a core on a shared machine is not work done.
  const useCpu = measured.every((p) => p.result!.cpuSeconds !== undefined);
  const cost = (r: CaseResult) => (useCpu ? r.cpuSeconds! : r.medianSeconds!);
  const verdict = checkLinearity(
    measured.map((p) => ({ size: p.size, cost: cost(p.result!) })),
    LINEARITY_TARGET.maxSlopeRatio,
  );
  return {
    id,
    label,
    status: "ok",
    slopeRatio: verdict.slopeRatio,
    note: `${(verdict.perUnit * 1000).toFixed(1)} ms ${useCpu ? "CPU" : "wall"} per unit`,
    target: LINEARITY_TARGET,
  };
}

/** The rows of an earlier results file by id (none when there is no readable file). */
function earlierResults(file: string): Map<string, CaseResult> {
  try {
    const earlier = JSON.parse(readFileSync(file, "utf8")) as { results?: CaseResult[] };
    return new Map((earlier.results ?? []).map((r) => [r.id, r]));
  } catch {
    return new Map();
  }
}

/** The peer versions an earlier run recorded (kept by a --only run that did not measure the peer). */
function earlierPeer(file: string): { awsCdkLib: string; constructs: string } | undefined {
  try {
    const peer = (JSON.parse(readFileSync(file, "utf8")) as { peer?: { awsCdkLib?: string; constructs?: string } }).peer;
    return peer?.awsCdkLib && peer.constructs ? { awsCdkLib: peer.awsCdkLib, constructs: peer.constructs } : undefined;
  } catch {
    return undefined;
  }
}

/** The rows of the results file with the ones just measured in place of theirs (new ones appended). */
function mergedWithEarlier(file: string, measured: readonly (CaseResult & { measuredAt: string })[]): unknown[] {
  let earlier: { date?: string; loadBefore?: number; loadAfter?: number; results?: { id: string; measuredAt?: string }[] } = {};
  try {
    earlier = JSON.parse(readFileSync(file, "utf8")) as typeof earlier;
  } catch {
    return [...measured];
  }
  const byId = new Map(measured.map((r) => [r.id, r]));
  const kept = (earlier.results ?? []).map(
    (r) => byId.get(r.id) ?? { measuredAt: earlier.date, loadAverage: [earlier.loadBefore, earlier.loadAfter], ...r },
  );
  const known = new Set((earlier.results ?? []).map((r) => r.id));
  return [...kept, ...measured.filter((r) => !known.has(r.id))];
}

function main(): void {
  const forced = option("--runner");
  if (forced !== undefined && forced !== "tsx" && forced !== "precompiled") {
    throw new Error(`--runner is "${forced}"; expected "tsx" or "precompiled"`);
  }
  const mainKind: RunnerKind = forced ?? cdktfJsonRunner(repoRoot);
  const runner = makeRunner(mainKind, repoRoot);
  const otherRunner = makeRunner(mainKind === "tsx" ? "precompiled" : "tsx", repoRoot);
  log(
    `bench: ${runs} runs after 1 warm-up; apps run ${forced ? "with the --runner given" : "as cdktf.json does"} (${mainKind}); peak RSS and CPU by ${rssMethod()}`,
  );
  precompile(repoRoot, join(repoRoot, PRECOMPILED_DIR), [...DEFAULT_FOLDERS, "bin"]);
  const outRoot = join(repoRoot, BENCH_OUT);
  mkdirSync(outRoot, { recursive: true });
  const loadBefore = loadavg()[0];

  const wantsPeer = !only || ["peer.aws-cdk", "peer.aws-cdk-no-validation"].some((id) => id.includes(only));
  const peer = wantsPeer ? preparePeer(repoRoot, log) : ({ ready: false, reason: "not selected" } as const);
  log(
    peer.ready
      ? `AWS CDK peer: aws-cdk-lib ${peer.awsCdkLib}, constructs ${peer.constructs} (bench/peer-aws-cdk${peer.installed ? ", just installed" : ""})`
      : `AWS CDK peer unavailable: ${peer.reason}`,
  );

  const cases = [
    ...synthCases(repoRoot, runner, otherRunner, peer),
    ...cliCases(repoRoot),
    ...(skipPreviews ? [] : previewCases(repoRoot, runner)),
    ...(skipTests ? [] : testCases(repoRoot)),
  ];
  // A selected comparison brings the case it is compared with (a ratio needs both sides).
  const matching = only ? cases.filter((c) => c.id.includes(only)) : cases;
  const needed = new Set([...matching.map((c) => c.id), ...matching.flatMap((c) => (c.comparedWith ? [c.comparedWith] : []))]);
  const selected = cases.filter((c) => needed.has(c.id));
  const byId = new Map<string, CaseResult>();
  for (const c of selected) {
    if (byId.has(c.id)) continue;
    if (c.group) {
      const group = selected.filter((g) => g.group === c.group);
      runGroup(group).forEach((r) => byId.set(r.id, r));
    } else {
      byId.set(c.id, runCase(c));
    }
  }

  const results: CaseResult[] = [];
  for (const c of selected) {
    const r = byId.get(c.id)!;
    const ours = c.comparedWith ? byId.get(c.comparedWith) : undefined;
    if (!ours) {
      results.push(r);
      continue;
    }
    const ratio = ratioTo(r, ours);
    const memory = r.peakMb && ours.peakMb ? `; memory ${(r.peakMb / ours.peakMb).toFixed(1)}x` : "";
    const wall = r.medianSeconds && ours.medianSeconds ? `; wall ${(r.medianSeconds / ours.medianSeconds).toFixed(2)}x` : "";
    results.push({ ...r, ratio, note: ratio ? `theirs / ours${wall}${memory}` : (r.note ?? `no ratio: ${ours.id} is ${ours.status}`) });
  }
  const ran = (prefix: string) => [...byId.keys()].some((id) => id.startsWith(prefix));
  if (ran("synth.fleets-")) {
    const points = FLEET_SIZES.map((n) => ({ size: n, result: byId.get(`synth.fleets-${n}`) }));
    results.push(linearityRow("linear.fleets", `cost grows linearly: fleets ${FLEET_SIZES.join(", ")}`, points));
  }
  if (ran("synth.routes-")) {
    const points = ROUTE_SIZES.map((n) => ({ size: n, result: byId.get(`synth.routes-${n}`) }));
    results.push(linearityRow("linear.routes", `cost grows linearly: routes ${ROUTE_SIZES.join(", ")}`, points));
  }
  const cliExample = byId.get("cli.example");
  const cliEmpty = byId.get("cli.empty");
  if (
    cliExample?.status === "ok" &&
    cliEmpty?.status === "ok" &&
    cliExample.cpuSeconds !== undefined &&
    cliEmpty.cpuSeconds !== undefined
  ) {
    // In CPU seconds: the two wall medians differ by less than the load's noise on a shared machine.
    const share = cliExample.cpuSeconds - cliEmpty.cpuSeconds;
    results.push({
      id: "cli.our-share",
      label: "npx cdktf synth: our share (example - floor)",
      status: "ok",
      cpuSeconds: share,
      note: `${((100 * share) / cliExample.cpuSeconds).toFixed(0)}% of the end-to-end CPU time`,
    });
  }

  // With --only, a part not measured now counts as an earlier run measured it (results.json).
  const earlierRows = only ? earlierResults(join(repoRoot, "bench", "results.json")) : new Map<string, CaseResult>();
  const parts = TEST_PARTS.map((id) => byId.get(id) ?? earlierRows.get(id));
  if (TEST_PARTS.some((id) => byId.has(id))) {
    const ran = parts.filter((p): p is CaseResult => p?.medianSeconds !== undefined);
    const missing = TEST_PARTS.filter((_, i) => parts[i]?.medianSeconds === undefined);
    const failedParts = ran.filter((p) => p.status === "failed").map((p) => p.id);
    // The parts of `npm test` in one jest run overlap (2 workers); one after another they cannot take less.
    results.push({
      id: "tests.all",
      label: "tests: the whole `npm test` (every part; here their sum, an upper bound)",
      status: missing.length > 0 ? "n/a" : failedParts.length > 0 ? "failed" : "ok",
      medianSeconds: missing.length === 0 ? ran.reduce((sum, p) => sum + p.medianSeconds!, 0) : undefined,
      cpuSeconds:
        missing.length === 0 && ran.every((p) => p.cpuSeconds !== undefined) ? ran.reduce((sum, p) => sum + p.cpuSeconds!, 0) : undefined,
      target: ALL_TESTS_TARGET,
      note:
        missing.length > 0
          ? `needs every part; missing: ${missing.join(", ")}`
          : failedParts.length > 0
            ? `tests failed in ${failedParts.join(", ")} (.cache/bench-logs)`
            : undefined,
    });
  }

  const loadAfter = loadavg()[0];
  const table = renderTable(results);
  const footer =
    `${runs} timed runs after 1 warm-up (test suites: 1 run); median wall time; peak RSS = highest over the runs, by ${rssMethod()}.\n` +
    `Apps run ${forced ? "with the --runner given" : "as cdktf.json runs them"} (${mainKind}); peers measured in turns with ours; ratios in CPU seconds. ` +
    `${peer.ready ? `AWS CDK peer: aws-cdk-lib ${peer.awsCdkLib}, constructs ${peer.constructs}. ` : ""}` +
    `Machine: ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, node ${process.version}; ` +
    `load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after (figures from a busy machine are slower).`;
  process.stdout.write(`\n${table}\n\n${footer}\n`);

  const now = new Date().toISOString();
  const measured = results.map((r) => ({ ...r, verdict: verdict(r), measuredAt: now, loadAverage: [loadBefore, loadAfter] }));
  const resultsFile = join(repoRoot, "bench", "results.json");
  writeFileSync(
    resultsFile,
    `${JSON.stringify(
      {
        date: now,
        runs,
        runner: mainKind,
        rssMethod: rssMethod(),
        node: process.version,
        cpus: cpus().length,
        peer: peer.ready
          ? { awsCdkLib: peer.awsCdkLib, constructs: peer.constructs }
          : ((only ? earlierPeer(resultsFile) : undefined) ?? { unavailable: peer.reason }),
        loadBefore,
        loadAfter,
        // With --only, the rows not measured now stay as an earlier run measured them (each row says when).
        ...(only ? { partialRun: only } : {}),
        results: only ? mergedWithEarlier(resultsFile, measured) : measured,
      },
      null,
      2,
    )}\n`,
  );
  rmSync(outRoot, { recursive: true, force: true });
  const missed = results.filter((r) => verdict(r) === "FAIL");
  if (missed.length > 0) log(`targets missed: ${missed.map((r) => r.id).join(", ")}`);
  if (strict && missed.length > 0) process.exitCode = 1;
}

main();
