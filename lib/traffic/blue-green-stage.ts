/**
 * Blue/Green traffic state as explicit data. The live color is written down, never inferred
 * from AWS: a deploy tool that guessed it once deployed to zero instances and detached every
 * live server.
 *
 * A stage is `<live>` (all traffic to the live color) or `<live>-canary-<p>` / `<live>-split-<p>`
 * (the live color keeps 100 - p %, the other color gets p %). A cycle from blue to green reads
 * `blue` -> `blue-canary-10` -> `blue-split-50` -> `green`; rollback is setting the previous stage.
 */
import { Violations } from "../core/errors";

export type Color = "blue" | "green";
export const COLORS: readonly Color[] = ["blue", "green"];

export interface BlueGreenTraffic {
  /** The one color that serves production and decides the default. */
  readonly live: Color;
  /** The other color. */
  readonly candidate: Color;
  /** Share of requests sent to the candidate, 0-99. */
  readonly candidatePercent: number;
  /** The stage this state was read from, normalized. */
  readonly stage: string;
}

const STAGE_PATTERN = /^(blue|green)(?:-(canary|split)-(\d{1,2}))?$/;

/** The stages a typical cycle away from `live` walks through, in order. */
export function stagePresets(live: Color): string[] {
  const other = otherColor(live);
  return [live, `${live}-canary-10`, `${live}-split-50`, other];
}

export function otherColor(color: Color): Color {
  return color === "blue" ? "green" : "blue";
}

/**
 * Reads a stage name.
 * @throws ConfigError naming the field when the stage is malformed
 */
export function parseStage(stage: string, field = "traffic.stage"): BlueGreenTraffic {
  const v = new Violations();
  const match = typeof stage === "string" ? STAGE_PATTERN.exec(stage) : null;
  if (!match) {
    v.add(
      field,
      stage,
      'must be "blue", "green", or "<live>-canary-<percent>" / "<live>-split-<percent>" with a percent of 1-99 (exactly one live color)',
      'write e.g. "blue-canary-10" (blue live, 10 % to green); presets for a cycle from blue: ' + stagePresets("blue").join(" -> "),
    );
    v.throwIfAny();
  }
  const live = match![1] as Color;
  const percent = match![3] === undefined ? 0 : Number(match![3]);
  v.check(
    match![3] === undefined || (percent >= 1 && percent <= 99),
    field,
    stage,
    "sends 0 % to the candidate; a canary or split needs 1-99 %",
    `use "${live}" for no candidate traffic`,
  );
  v.throwIfAny();
  return { live, candidate: otherColor(live), candidatePercent: percent, stage };
}

/** Weights per color for a weighted forward (they sum to 100). */
export function stageWeights(traffic: BlueGreenTraffic): Record<Color, number> {
  return {
    [traffic.live]: 100 - traffic.candidatePercent,
    [traffic.candidate]: traffic.candidatePercent,
  } as Record<Color, number>;
}
