/**
 * Case counts of the property tests: small by default so CI stays fast, larger with
 * PROPERTY_RUNS (e.g. PROPERTY_RUNS=1000 npx jest test/property). The synthesized and
 * terraform-validated sample scales with it at a tenth of the rate.
 */
const requested = Number(process.env.PROPERTY_RUNS);
export const PURE_RUNS = Number.isInteger(requested) && requested > 0 ? requested : 50;
export const SYNTH_SAMPLE = Math.max(5, Math.round(PURE_RUNS / 10));

/** Counts cases per property and prints one summary line per file. */
export class RunCounter {
  private readonly counts = new Map<string, number>();
  hit(property: string): void {
    this.counts.set(property, (this.counts.get(property) ?? 0) + 1);
  }
  summary(file: string): string {
    const parts = [...this.counts.entries()].map(([p, n]) => `${p}: ${n}`);
    return `property cases (${file}, PROPERTY_RUNS=${process.env.PROPERTY_RUNS ?? "unset"}): ${parts.join("; ")}`;
  }
}
