/**
 * Benchmark results, their targets and the Markdown table. Pure: no process, no file, no cdktf,
 * so the verdicts (pass, FAIL, n/a) are tested directly.
 */

/** What a case must achieve. Every field is optional; a case with none is informational. */
export interface Target {
  /** Highest acceptable median wall time. */
  readonly maxSeconds?: number;
  /** Highest acceptable peak resident set size. */
  readonly maxMb?: number;
  /** Lowest acceptable ratio (theirs / ours, in CPU seconds when both have them): "at least 1.3x faster than the peer" is 1.3. */
  readonly minRatio?: number;
  /** Highest acceptable slope ratio of a linearity check (see `checkLinearity`). */
  readonly maxSlopeRatio?: number;
}

/** One measured (or derived, or skipped) row of the table. */
export interface CaseResult {
  /** Stable key in results.json, e.g. "synth.fleets-50". */
  readonly id: string;
  /** What the row says in the table, e.g. "synth: 50 fleets". */
  readonly label: string;
  /** "ok" measured; "n/a" could not run here (see `note`); "failed" ran and exited non-zero. */
  readonly status: "ok" | "n/a" | "failed";
  /** Why a case is n/a or failed, or extra context. */
  readonly note?: string;
  /** Timed runs after the warm-up. */
  readonly runs?: number;
  readonly medianSeconds?: number;
  /** Median user + system CPU seconds; steadier than wall time when the machine is shared. */
  readonly cpuSeconds?: number;
  /** Highest peak RSS over the timed runs. */
  readonly peakMb?: number;
  /**
   * Their cost / ours, with the id of "ours": median CPU seconds when both rows have them (what
   * the work costs, whatever else the machine runs), else median wall time.
   */
  readonly ratio?: { readonly value: number; readonly to: string; readonly basis: "cpu" | "wall" };
  /** For linearity rows: marginal cost ratio of last to first step. */
  readonly slopeRatio?: number;
  readonly target?: Target;
}

export type Verdict = "pass" | "FAIL" | "n/a" | "-";

/** Compares a result with its target. A row without a target is "-"; a row that did not run is "n/a" (or FAIL if it crashed). */
export function verdict(r: CaseResult): Verdict {
  if (r.status === "failed") return "FAIL";
  if (r.status === "n/a") return "n/a";
  const t = r.target;
  if (!t || Object.keys(t).length === 0) return "-";
  const checks: boolean[] = [];
  if (t.maxSeconds !== undefined) checks.push(r.medianSeconds !== undefined && r.medianSeconds <= t.maxSeconds);
  if (t.maxMb !== undefined) checks.push(r.peakMb !== undefined && r.peakMb <= t.maxMb);
  if (t.minRatio !== undefined) checks.push(r.ratio !== undefined && r.ratio.value >= t.minRatio);
  if (t.maxSlopeRatio !== undefined) checks.push(r.slopeRatio !== undefined && r.slopeRatio <= t.maxSlopeRatio);
  return checks.every(Boolean) ? "pass" : "FAIL";
}

/** The target in words, e.g. "<= 1.0 s, <= 150 MB". */
export function describeTarget(t: Target | undefined): string {
  if (!t) return "";
  const parts: string[] = [];
  if (t.maxSeconds !== undefined) parts.push(`<= ${t.maxSeconds} s`);
  if (t.maxMb !== undefined) parts.push(`<= ${t.maxMb} MB`);
  if (t.minRatio !== undefined) parts.push(`ratio >= ${t.minRatio}x`);
  if (t.maxSlopeRatio !== undefined) parts.push(`slope ratio <= ${t.maxSlopeRatio}`);
  return parts.join(", ");
}

function fixed(value: number | undefined, digits: number): string {
  return value === undefined || Number.isNaN(value) ? "" : value.toFixed(digits);
}

/** Ratio column: "8.1x vs ours-two-version", or the slope ratio of a linearity row. */
function ratioCell(r: CaseResult): string {
  if (r.ratio) return `${r.ratio.value.toFixed(2)}x ${r.ratio.basis === "cpu" ? "CPU" : "wall"} vs ${r.ratio.to}`;
  if (r.slopeRatio !== undefined) return `slope ${r.slopeRatio.toFixed(2)}`;
  return "";
}

/** Renders the results as a Markdown table, one row per case, in the given order. */
export function renderTable(results: readonly CaseResult[]): string {
  const header = ["Case", "Median s", "CPU s", "Peak MB", "Ratio", "Target", "Result", "Note"];
  const rows = results.map((r) => [
    r.label,
    // A failed row shows what it measured (a test part that ran with failures is still timed).
    fixed(r.medianSeconds, 2),
    fixed(r.cpuSeconds, 2),
    fixed(r.peakMb, 0),
    r.status === "ok" ? ratioCell(r) : "",
    describeTarget(r.target),
    verdict(r),
    r.note ?? "",
  ]);
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** Ratio of their cost to ours (CPU seconds when both have them, else wall time); undefined when either did not run. */
export function ratioTo(theirs: CaseResult, ours: CaseResult): CaseResult["ratio"] {
  if (theirs.status !== "ok" || ours.status !== "ok") return undefined;
  if (theirs.cpuSeconds && ours.cpuSeconds) return { value: theirs.cpuSeconds / ours.cpuSeconds, to: ours.id, basis: "cpu" };
  if (!theirs.medianSeconds || !ours.medianSeconds) return undefined;
  return { value: theirs.medianSeconds / ours.medianSeconds, to: ours.id, basis: "wall" };
}
