import { CaseResult, ratioTo, renderTable, verdict } from "../../bench/harness/report";
import { checkLinearity, maximum, median } from "../../bench/harness/stats";
import { gist } from "../../bench/harness/measure";

const ok = (overrides: Partial<CaseResult>): CaseResult => ({
  id: "synth.example",
  label: "synth: example app",
  status: "ok",
  ...overrides,
});

describe("bench statistics", () => {
  test("the median is the middle run, so one slow outlier does not move it", () => {
    expect(median([0.5, 0.6, 9.0])).toBe(0.6);
    expect(median([0.4, 0.6, 0.5, 0.7])).toBeCloseTo(0.55);
    expect(median([])).toBeNaN();
  });

  test("peak memory is the highest of the runs", () => {
    expect(maximum([70, 120, 90])).toBe(120);
  });

  test("cost that grows linearly with size passes the linearity check", () => {
    const linear = checkLinearity([
      { size: 1, cost: 0.5 },
      { size: 10, cost: 0.68 },
      { size: 50, cost: 1.48 },
    ]);
    expect(linear.linear).toBe(true);
    expect(linear.perUnit).toBeCloseTo(0.02);
  });

  test("cost that grows quadratically with size fails the linearity check", () => {
    const quadratic = [1, 10, 50].map((n) => ({ size: n, cost: 0.5 + 0.001 * n * n }));
    const verdict = checkLinearity(quadratic);
    expect(verdict.linear).toBe(false);
    expect(verdict.slopeRatio).toBeGreaterThan(5);
  });

  test("a first step lost in start-up noise is judged against the whole-curve slope", () => {
    const verdict = checkLinearity([
      { size: 10, cost: 0.62 },
      { size: 50, cost: 0.6 },
      { size: 95, cost: 0.95 },
    ]);
    expect(Number.isFinite(verdict.slopeRatio)).toBe(true);
    expect(verdict.linear).toBe(false);
  });

  test("a curve whose last step added no cost is never called super-linear", () => {
    const verdict = checkLinearity([
      { size: 10, cost: 0.7 },
      { size: 50, cost: 0.9 },
      { size: 95, cost: 0.85 },
    ]);
    expect(verdict).toMatchObject({ linear: true, slopeRatio: 0 });
  });

  test("the linearity check needs three points", () => {
    expect(() =>
      checkLinearity([
        { size: 1, cost: 1 },
        { size: 2, cost: 2 },
      ]),
    ).toThrow(/at least 3 points/);
  });
});

describe("bench verdicts", () => {
  test("an example synth within 1.0 s and 150 MB passes; over either limit it fails", () => {
    const target = { maxSeconds: 1.0, maxMb: 150 };
    expect(verdict(ok({ medianSeconds: 0.6, peakMb: 90, target }))).toBe("pass");
    expect(verdict(ok({ medianSeconds: 1.2, peakMb: 90, target }))).toBe("FAIL");
    expect(verdict(ok({ medianSeconds: 0.6, peakMb: 160, target }))).toBe("FAIL");
  });

  test("a peer at least 3x slower than ours passes the peer target", () => {
    const ours = ok({ id: "synth.two-version", medianSeconds: 0.8 });
    const peer = ok({ id: "peer.aws-cdk", medianSeconds: 4.0 });
    const ratio = ratioTo(peer, ours);
    expect(ratio).toEqual({ value: 5, to: "synth.two-version", basis: "wall" });
    expect(verdict({ ...peer, ratio, target: { minRatio: 3 } })).toBe("pass");
    expect(verdict({ ...peer, ratio: ratioTo(ok({ medianSeconds: 2.0 }), ours), target: { minRatio: 3 } })).toBe("FAIL");
  });

  test("the peer ratio is taken in CPU seconds when both rows have them: waiting for a core is not work", () => {
    const ours = ok({ id: "synth.two-version", medianSeconds: 2.0, cpuSeconds: 0.5 });
    const peer = ok({ id: "peer.aws-cdk-no-validation", medianSeconds: 1.0, cpuSeconds: 0.65 });
    const ratio = ratioTo(peer, ours);
    expect(ratio).toEqual({ value: expect.closeTo(1.3, 5), to: "synth.two-version", basis: "cpu" });
    expect(verdict({ ...peer, ratio, target: { minRatio: 1.3 } })).toBe("pass");
  });

  test("no ratio is computed against a case that did not run", () => {
    expect(ratioTo(ok({ medianSeconds: 4 }), { id: "synth.two-version", label: "x", status: "n/a" })).toBeUndefined();
  });

  test("a missing case is n/a, a crashed case is FAIL, a case without target is informational", () => {
    expect(verdict({ id: "a", label: "a", status: "n/a", target: { maxSeconds: 1 } })).toBe("n/a");
    expect(verdict({ id: "a", label: "a", status: "failed", target: { maxSeconds: 1 } })).toBe("FAIL");
    expect(verdict(ok({ medianSeconds: 9 }))).toBe("-");
  });
});

describe("bench table", () => {
  const table = renderTable([
    ok({ medianSeconds: 0.614, cpuSeconds: 0.58, peakMb: 88.4, target: { maxSeconds: 1, maxMb: 150 } }),
    { id: "synth.routes-95", label: "synth: 2 fleets, 95 routes", status: "n/a", note: "missing: lib/router/traffic-router.ts" },
    ok({ id: "peer.aws-cdk", label: "AWS CDK | peer", medianSeconds: 4.1, ratio: { value: 6.68, to: "synth.two-version", basis: "cpu" } }),
  ]);
  const rows = table.split("\n");

  test("has a header, a separator and one row per case", () => {
    expect(rows).toHaveLength(5);
    expect(rows[0]).toBe("| Case | Median s | CPU s | Peak MB | Ratio | Target | Result | Note |");
  });

  test("rows show median seconds, CPU seconds, peak MB, target and verdict", () => {
    expect(rows[2]).toBe("| synth: example app | 0.61 | 0.58 | 88 |  | <= 1 s, <= 150 MB | pass |  |");
  });

  test("a skipped case says what is missing", () => {
    expect(rows[3]).toContain("| n/a | missing: lib/router/traffic-router.ts |");
  });

  test("ratios name what they compare with, and a pipe in a label cannot break the table", () => {
    expect(rows[4]).toContain("| AWS CDK \\| peer | 4.10 |");
    expect(rows[4]).toContain("6.68x CPU vs synth.two-version");
  });
});

describe("bench failure notes", () => {
  test("keep the error, drop stack frames and the node banner", () => {
    const output = [
      "/work/main/stacks/x.ts:3",
      "    throw e;",
      "    ^",
      "",
      "ConfigError: fleets.rails4.capacity.min is 0; must be >= 1",
      "    at new AppServerGroup (/work/main/lib/fleet/app-server-group.ts:50:11)",
      "    at Object.<anonymous> (/work/main/stacks/main.ts:11:20)",
      "",
      "Node.js v20.20.2",
    ].join("\n");
    expect(gist(output)).toBe("ConfigError: fleets.rails4.capacity.min is 0; must be >= 1");
  });
});
