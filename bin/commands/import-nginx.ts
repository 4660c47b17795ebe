/**
 * `app-fleets import-nginx <file.json>`: converts an nginx regex routing list (field report 003's
 * `{"rails4_path": {"regexps": [...]}}`) into routes of the routing table JSON.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { routesFromNginxRoutingJson } from "../../lib/routing/nginx-import";
import type { RouteTarget } from "../../lib/routing/types";
import { parseArgs } from "./args";
import type { Command } from "./command";

const USAGE = [
  "usage: app-fleets import-nginx <file.json> [--fleet LIST=FLEET]...",
  "  <file.json>        {\"<list>\": {\"regexps\": [\"^/hoge/?\", ...]}, ...}",
  "  --fleet LIST=FLEET fleet that receives a list's paths, repeatable (default: the list name without a",
  "                     trailing _path, so rails4_path goes to rails4)",
  "Prints {\"routes\": [...]} for the routing table JSON on stdout and every regex that cannot be",
  "expressed as ALB path patterns on stderr; exits 1 if there is any.",
].join("\n");

export const importNginxCommand: Command = {
  name: "import-nginx",
  summary: "convert nginx regex routing lists into routes of the routing table",
  usage: USAGE,
  run(argv, io) {
    const args = parseArgs(argv, [{ name: "fleet", value: true, repeat: true }]);
    if ("error" in args || args.positionals.length !== 1) {
      io.err(`import-nginx: ${"error" in args ? args.error : `expected one JSON file, got ${args.positionals.length}`}\n${USAGE}`);
      return 2;
    }
    const mapping = new Map<string, string>();
    for (const m of args.options.get("fleet") ?? []) {
      const eq = m.indexOf("=");
      if (eq <= 0 || eq === m.length - 1) {
        io.err(`import-nginx: --fleet ${JSON.stringify(m)} must be LIST=FLEET, e.g. rails4_path=rails4`);
        return 2;
      }
      mapping.set(m.slice(0, eq), m.slice(eq + 1));
    }
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(resolve(args.positionals[0]), "utf8"));
    } catch (e) {
      io.err(`import-nginx: cannot read ${args.positionals[0]}: ${(e as Error).message}`);
      return 1;
    }
    const lists = typeof json === "object" && json !== null ? Object.keys(json) : [];
    const destinations: Record<string, RouteTarget> = {};
    for (const list of lists) destinations[list] = { name: mapping.get(list) ?? list.replace(/_path$/, "") };
    const result = routesFromNginxRoutingJson(json, destinations);
    io.out(
      JSON.stringify(
        { routes: result.routes.map((r) => ({ name: r.name, match: r.match, to: (r.to as RouteTarget).name })) },
        null,
        2,
      ),
    );
    for (const e of result.errors) io.err(`import-nginx: ${e}`);
    return result.errors.length > 0 ? 1 : 0;
  },
};
