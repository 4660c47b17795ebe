/** Reads the routing table JSON file that `explain`, `table` and `mermaid` work on. */
import { existsSync, readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { compileRouting } from "../../lib/routing/compile";
import { routingTableFromJsonByName } from "../../lib/routing/routing-json";
import type { CompiledRouting, RouteTarget } from "../../lib/routing/types";

export const DEFAULT_TABLE_FILE = "routing.json";

export const TABLE_OPTION_USAGE = `  --table FILE       routing table JSON (fleets named by strings; see lib/routing/routing-json.ts). Default: ./${DEFAULT_TABLE_FILE}`;

/** Compiles the table file; throws an Error whose message is ready for the user. */
export function loadCompiledTable(file: string | undefined): CompiledRouting<RouteTarget> {
  const path = resolve(file ?? DEFAULT_TABLE_FILE);
  if (!existsSync(path)) {
    throw new Error(file ? `routing table ${path} does not exist` : `no routing table: ${DEFAULT_TABLE_FILE} is not in ${process.cwd()}. Fix: pass --table FILE`);
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  const table = routingTableFromJsonByName(json, basename(path));
  return compileRouting(table);
}
