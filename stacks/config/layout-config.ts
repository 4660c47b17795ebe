/**
 * The two layouts' configuration files, as one schema: the TypeScript types below, the checks of
 * `load-config.ts`, the published `schema/app-fleets.schema.json` and the README's configuration
 * reference all come from `layoutConfigSchema`.
 */
import { checkResourceName, FLEET_NAME_MAX } from "../../lib/core/names";
import { fleetSchema } from "../../lib/config/fleet-schema";
import { maintenanceSchema, overrideSourceIpsSchema, routingTableSchema } from "../../lib/config/routing-schema";
import { Infer, s } from "../../lib/config/schema";
import { parseStage } from "../../lib/traffic/blue-green-stage";
import { environmentShape } from "./environment-config";

/** A fleet's name is its key in `fleets`: it prefixes every AWS name of the fleet. */
const fleetNameKey = s
  .name({ minChars: 1, maxChars: 64 })
  .rule((name, at) => checkResourceName(at.v, at.field, name, FLEET_NAME_MAX))
  .describe(`Fleet name: lowercase letters, digits and hyphens, at most ${FLEET_NAME_MAX} characters.`);

/** Parallel run of two app versions (e.g. rails3 and rails4) with paths moved between them. */
export const twoVersionSchema = s.object({
  ...environmentShape,
  fleets: s
    .record(fleetSchema, { keyName: "fleet name", key: fleetNameKey, minEntries: 1 })
    .describe('Fleet name to settings, e.g. { "rails3": {...}, "rails4": {...} }. Deleting an entry deletes that fleet.')
    .example('{ "rails4": { "imageId": "ami-0123456789abcdef0" } }'),
  routing: routingTableSchema.example('{ "default": "rails3" }'),
});

/** Blue/Green: two colors, exactly one live, an optional canary share to the other. */
export const blueGreenSchema = s.object({
  ...environmentShape,
  fleets: s
    .object({
      blue: fleetSchema.example('{ "imageId": "ami-0123456789abcdef0" }'),
      green: fleetSchema.example('{ "imageId": "ami-0123456789abcdef0" }'),
    })
    .describe("Exactly two fleets, blue and green."),
  traffic: s
    .object({
      stage: s
        .name({ maxChars: 32 })
        .rule((stage, at) => at.v.collect(() => parseStage(stage, at.field)))
        .describe(
          '"blue", "green", or "<live>-canary-<p>" / "<live>-split-<p>" (p = 1-99 % to the other color); rollback = set the previous stage.',
        )
        .example('"blue"'),
      groupStickinessSeconds: s
        .integer({ range: "1-604800" })
        .describe("Keep a user on one color during a canary or split, in seconds.")
        .defaultValue(3600)
        .optional(),
    })
    .describe("The color state: which color is live, and the other's share.")
    .example('{ "stage": "blue" }'),
  overrideHeader: s
    .object({
      name: s
        .name({ minChars: 1, maxChars: 40 })
        .describe('Header name, e.g. "X-Backend-Color" (send "X-Backend-Color: green").')
        .example('"X-Backend-Color"'),
      sourceIps: overrideSourceIpsSchema,
    })
    .describe("A header that forces a color, from staff addresses only, so a person can check the candidate before any weight moves.")
    .defaultText("none")
    .optional(),
  maintenance: maintenanceSchema.defaultText("none").optional(),
});

/** Every configuration file: `layout` decides which keys it holds. */
export const layoutConfigSchema = s
  .tagged("layout", { "two-version": twoVersionSchema, "blue-green": blueGreenSchema })
  .describe("cdktf-app-fleets layout configuration: one file per environment and layout.");

export const LAYOUTS = layoutConfigSchema.tags as readonly LayoutConfig["layout"][];

export type LayoutConfig = Infer<typeof layoutConfigSchema>;
export type TwoVersionConfig = Extract<LayoutConfig, { readonly layout: "two-version" }>;
export type BlueGreenConfig = Extract<LayoutConfig, { readonly layout: "blue-green" }>;
