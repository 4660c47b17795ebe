/** Reads the routing table JSON file that `explain`, `table` and `mermaid` work on, with its stack lock if any. */
import { existsSync, readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { EMPTY_LISTENER_LOCK, parseStackLock, type ListenerLock } from "../../lib/lock/stack-lock-data";
import { compileRouting } from "../../lib/routing/compile";
import { routingTableFromJsonByName } from "../../lib/routing/routing-json";
import type { CompileResult, RouteTarget } from "../../lib/routing/types";

export const DEFAULT_TABLE_FILE = "routing.json";
/** The router whose lock section the commands read when the lock has several (the layouts' router). */
export const DEFAULT_ROUTER = "web";

export const TABLE_OPTION_USAGE = [
  `  --table FILE       a routing table alone: the "routing" section of a two-version configuration (fleets named by`,
  `                     their keys), or what import-nginx writes. Default: ./${DEFAULT_TABLE_FILE}`,
  "                     Priorities come from the stack lock FILE's .lock.json beside it when there is one (read, never written).",
].join("\n");

/** `routing.json` -> `routing.lock.json`. */
export function lockFileBeside(tableFile: string): string {
  return tableFile.replace(/(\.json)?$/, ".lock.json");
}

/** The traffic listener's lock section of a stack lock file: router "web", or the only router. */
export function readTrafficLock(lockFile: string, router = DEFAULT_ROUTER): ListenerLock {
  const data = parseStackLock(readFileSync(lockFile, "utf8"), basename(lockFile));
  const names = Object.keys(data.routers);
  const name = names.includes(router) ? router : names.length === 1 ? names[0] : undefined;
  if (name === undefined) {
    if (names.length === 0) return EMPTY_LISTENER_LOCK;
    throw new Error(`${lockFile} has routers ${names.join(", ")} but none named "${router}"`);
  }
  return data.routers[name].trafficRules;
}

/** Compiles the table file; throws an Error whose message is ready for the user. */
export function loadCompiledTable(file: string | undefined, options: { readonly lockFile?: string } = {}): CompileResult<RouteTarget> {
  const path = resolve(file ?? DEFAULT_TABLE_FILE);
  if (!existsSync(path)) {
    throw new Error(
      file
        ? `routing table ${path} does not exist`
        : `no routing table: ${DEFAULT_TABLE_FILE} is not in ${process.cwd()}. Fix: pass --table FILE`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  const table = routingTableFromJsonByName(json, basename(path));
  const lockFile = options.lockFile ?? lockFileBeside(path);
  const lock = existsSync(lockFile) ? readTrafficLock(lockFile) : undefined;
  return compileRouting(table, { lock });
}
