/**
 * What the configuration schema publishes: the JSON Schema that editors use for completion and
 * red squiggles (`schema/app-fleets.schema.json`, shipped in the package and referenced by the
 * examples' `$schema`), and the README's configuration reference. Both are generated from
 * `layoutConfigSchema` by `scripts/config-reference.ts`; tests fail when a committed copy differs.
 */
import { CONFIG_FILE_MAX_BYTES, JSON_MAX_DEPTH } from "../../lib/config/json-parser";
import { DocRow, JsonSchema, LIMITS } from "../../lib/config/schema";
import { environmentSchema } from "./environment-config";
import { blueGreenSchema, layoutConfigSchema, twoVersionSchema } from "./layout-config";

/** Where the JSON Schema lives, relative to the package root. */
export const JSON_SCHEMA_PATH = "schema/app-fleets.schema.json";
/** How the examples (stacks/config/examples/*.json) reference it. */
export const EXAMPLE_SCHEMA_REFERENCE = "../../../schema/app-fleets.schema.json";

/** Markers around the generated part of README.md. */
export const README_BEGIN = "<!-- config-reference:begin (generated from the schema by scripts/config-reference.ts; do not edit) -->";
export const README_END = "<!-- config-reference:end -->";

/** The JSON Schema document (draft-07, which every common editor supports). */
export function configJsonSchema(): JsonSchema {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "cdktf-app-fleets configuration",
    ...layoutConfigSchema.jsonSchema(),
  };
}

/** The file's text: stable key order, two-space indent, final newline. */
export function renderConfigJsonSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

/** A Markdown table cell: `|` escaped; outside code spans, `<` and `>` too (they would read as HTML). */
function cell(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith("`") ? part : part.replace(/</g, "&lt;").replace(/>/g, "&gt;")))
    .join("")
    .replace(/\|/g, "\\|")
    .replace(/\n/g, " ");
}

function table(rows: readonly DocRow[]): string[] {
  return [
    "| key | type | default | meaning |",
    "| --- | --- | --- | --- |",
    ...rows.map((r) => `| ${cell(`\`${r.key}\``)} | ${cell(r.type)} | ${cell(r.default)} | ${cell(r.description)} |`),
  ];
}

/** The README's configuration reference (between README_BEGIN and README_END). */
export function renderConfigReference(): string {
  const shared = environmentSchema.docRows("").slice(1);
  const twoVersion = twoVersionSchema.docRows("", ["$schema", ...environmentSchema.keys]).slice(1);
  const blueGreen = blueGreenSchema.docRows("", ["$schema", ...environmentSchema.keys]).slice(1);
  // A Blue/Green fleet has the same settings as a two-version one: listed once.
  const blueGreenOwn = blueGreen.filter((r) => !/^fleets\.(blue|green)\./.test(r.key) && !/^maintenance\./.test(r.key));
  const lines = [
    README_BEGIN,
    "",
    `Limits on every file: at most ${CONFIG_FILE_MAX_BYTES / 1024 / 1024} MiB of UTF-8 JSON, nesting at most ${JSON_MAX_DEPTH} deep, no key given twice in one object,`,
    `strings at most ${LIMITS.stringChars} characters (user data ${LIMITS.userDataChars}), lists at most ${LIMITS.listItems} items, maps at most ${LIMITS.mapEntries} entries,`,
    "no key named `__proto__`, `constructor` or `prototype`. Unknown keys are errors at every depth. Ranges in the",
    'type column are checked by the constructs\' own rules, before any resource is created. "(text)" marks free',
    "text: it reaches Terraform escaped, never evaluated; other strings may not contain `${` or `%{`.",
    "",
    `**Both layouts.** \`layout\`: ${layoutConfigSchema.tags.map((t) => `\`"${t}"\``).join(" or ")}.`,
    "",
    ...table(shared),
    "",
    '**Two versions** (`"layout": "two-version"`). A Blue/Green file\'s `fleets.blue` and `fleets.green` take the same settings as `fleets.<fleet-name>`.',
    "",
    ...table(twoVersion),
    "",
    '**Blue/Green** (`"layout": "blue-green"`). `maintenance` takes the same keys as the two-version `routing.maintenance`.',
    "",
    ...table(blueGreenOwn),
    "",
    README_END,
  ];
  return lines.join("\n");
}

/** README.md with its configuration reference replaced by `renderConfigReference()`. */
export function withConfigReference(readme: string): string {
  const begin = readme.indexOf(README_BEGIN);
  const end = readme.indexOf(README_END);
  if (begin < 0 || end < begin) throw new Error(`README.md has no "${README_BEGIN}" ... "${README_END}" block to replace`);
  return `${readme.slice(0, begin)}${renderConfigReference()}${readme.slice(end + README_END.length)}`;
}
