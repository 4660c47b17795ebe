/**
 * Loads a layout configuration file and checks its structure, every error pointing at the
 * file and the field. Values (capacities, IDs, routes) are checked again, with the same field
 * names, by the constructs the layout builds.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { ConfigError, Violations } from "../../lib/core/errors";
import { ENVIRONMENT_KEYS, readEnvironment } from "./read-environment";
import { readFleetConfig } from "./fleet-config";
import { JsonReader } from "./json-reader";
import { BlueGreenConfig, LayoutConfig, TwoVersionConfig } from "./layout-config";

export const LAYOUTS = ["two-version", "blue-green"] as const;

/** Checks an already parsed configuration. `source` prefixes every field path (e.g. the file name). */
export function parseLayoutConfig(raw: unknown, source: string): LayoutConfig {
  const v = new Violations();
  const root = new JsonReader(raw, source, v);
  const layout = root.string("layout");
  if (layout === "two-version") {
    root.object([...ENVIRONMENT_KEYS, "layout", "fleets", "routing"]);
    const environment = readEnvironment(root);
    const fleetsReader = root.child("fleets");
    fleetsReader.object(fleetsReader.keys());
    const fleets = Object.fromEntries(fleetsReader.keys().map((name) => [name, readFleetConfig(fleetsReader.child(name))]));
    v.check(fleetsReader.keys().length >= 1, fleetsReader.path, raw && (raw as Record<string, unknown>).fleets, "must name at least one fleet", 'add e.g. "rails4": { "imageId": "ami-..." }');
    v.check(root.has("routing"), `${source}.routing`, undefined, "is required", 'add at least { "default": "<fleet>" }');
    v.throwIfAny();
    return { ...environment, layout, fleets, routing: root.raw("routing") } as TwoVersionConfig;
  }
  if (layout === "blue-green") {
    root.object([...ENVIRONMENT_KEYS, "layout", "fleets", "traffic", "overrideHeader", "maintenance"]);
    const environment = readEnvironment(root);
    const fleetsReader = root.child("fleets").object(["blue", "green"]);
    for (const color of ["blue", "green"]) {
      v.check(fleetsReader.has(color), `${fleetsReader.path}.${color}`, undefined, "is required: Blue/Green has exactly these two fleets", `add "${color}": { "imageId": "ami-..." }`);
    }
    const traffic = root.child("traffic").object(["stage", "stickySeconds"]);
    const stage = traffic.string("stage");
    const stickySeconds = traffic.number("stickySeconds", true);
    const overrideHeader = root.string("overrideHeader", true);
    v.throwIfAny();
    return {
      ...environment,
      layout,
      fleets: { blue: readFleetConfig(fleetsReader.child("blue")), green: readFleetConfig(fleetsReader.child("green")) },
      traffic: { stage: stage!, stickySeconds },
      overrideHeader,
      maintenance: root.raw("maintenance"),
    } as BlueGreenConfig;
  }
  if (layout !== undefined) v.add(`${source}.layout`, layout, `must be one of ${LAYOUTS.join(", ")}`, 'use "two-version" for a parallel run, "blue-green" for color switches');
  v.throwIfAny();
  throw new ConfigError([{ field: `${source}.layout`, value: layout, limit: "is required", fix: "add the layout" }]);
}

/** Reads and checks a configuration file. */
export function loadLayoutConfig(path: string): LayoutConfig {
  const source = basename(path);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new ConfigError([{ field: source, value: path, limit: `is not readable JSON (${(e as Error).message})`, fix: "fix the JSON syntax" }]);
  }
  return parseLayoutConfig(raw, source);
}
