/**
 * Writes what the configuration schema publishes: schema/app-fleets.schema.json and the
 * configuration reference in README.md. Run after changing the schema (tests fail until you do):
 *
 *   node --import tsx scripts/config-reference.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { JSON_SCHEMA_PATH, renderConfigJsonSchema, withConfigReference } from "../stacks/config/config-reference";

const root = join(__dirname, "..");
const schemaFile = join(root, JSON_SCHEMA_PATH);
mkdirSync(dirname(schemaFile), { recursive: true });
writeFileSync(schemaFile, renderConfigJsonSchema());
const readme = join(root, "README.md");
writeFileSync(readme, withConfigReference(readFileSync(readme, "utf8")));
process.stdout.write(`wrote ${JSON_SCHEMA_PATH} and the configuration reference in README.md\n`);
