/**
 * A Blue/Green stage never sends traffic to a color that may be empty. A color whose
 * `capacity.min` is 0 can have no instance at all (scaled away between cycles), and a load
 * balancer that forwards to an empty target group answers 503 (this happened: a deploy to zero
 * instances then took the traffic). The router refuses any weight to such a fleet too
 * (lib/router/routed-fleets.ts); this check says it in the terms of a Blue/Green file, where the
 * weights are not written anywhere: they come from `traffic.stage`. Pure: no cdktf import.
 */
import { Violations } from "../core/errors";
import { BlueGreenTraffic, Color, stageWeights } from "./blue-green-stage";

/**
 * Adds a violation for each color the stage sends traffic to while its `capacity.min` is 0.
 * @param stageField names `traffic.stage` in the configuration, e.g. `production.json: traffic.stage`
 */
export function checkStageCapacity(
  v: Violations,
  stageField: string,
  traffic: BlueGreenTraffic,
  minCapacity: Readonly<Record<Color, number>>,
): void {
  const minField = (color: Color) => `fleets.${color}.capacity.min`;
  const weights = stageWeights(traffic);
  for (const color of [traffic.live, traffic.candidate]) {
    const percent = weights[color];
    if (percent === 0 || minCapacity[color] > 0) continue;
    const isLive = color === traffic.live;
    const other = isLive ? traffic.candidate : traffic.live;
    v.add(
      stageField,
      traffic.stage,
      `sends ${percent} % of the traffic to ${color}${isLive ? " (the live color)" : ""}, whose ${minField(color)} is 0: ` +
        "a color that may have no instance must receive no traffic",
      isLive
        ? `raise ${minField(color)} to 1 or more and deploy that first, or make ${other} live ("stage": "${other}") if it runs`
        : `set "stage": "${traffic.live}" (no traffic to ${color}), or raise ${minField(color)} to 1 or more and deploy that before a canary or split`,
    );
  }
}
