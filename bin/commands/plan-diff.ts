/**
 * `app-fleets plan-diff <before> <after>`: what applying `after` to a deployed `before`
 * would do to each resource, found offline with the real AWS provider (no AWS account).
 * Each side is a synthesized `cdk.tf.json` or the stack directory holding it. The converged
 * baseline of <before> is cached on disk (lib/terraform/baseline-cache.ts), so a second preview
 * against the same <before> plans only <after>.
 */
import { ChangeAction, CHANGE_ACTIONS } from "../../lib/terraform/plan-changes";
import { appFleetsCacheDir } from "../../lib/terraform/cache-dir";
import { findProviderMirror, MIRROR_ENV } from "../../lib/terraform/mirror";
import { previewChange, readStackConfig } from "../../lib/terraform/plan-diff";
import { parseArgs } from "./args";
import { Command, CommandIo, PROCESS_IO } from "./command";
import { defaultMirrorDir } from "./provider-mirror";

export const PLAN_DIFF_USAGE = [
  "usage: app-fleets plan-diff <before> <after> [--json] [--all] [--fail-on=replace,delete] [--no-cache]",
  "  <before>, <after>   a synthesized cdk.tf.json, or its stack directory (cdktf.out/stacks/<stack>)",
  "  --json              print the changes as JSON instead of a table",
  "  --all               list unchanged resources too",
  "  --fail-on=ACTIONS   exit 3 when any resource would be one of ACTIONS (create, update, replace, delete)",
  "  --no-cache          build the baseline of <before> even when a converged one is cached, and do not cache it",
  "The baseline cache is node_modules/.cache/app-fleets (nearest from the current folder), else",
  "$XDG_CACHE_HOME/app-fleets or ~/.cache/app-fleets; APP_FLEETS_CACHE_DIR sets it, APP_FLEETS_CACHE=off turns it off.",
  "Exit codes: 0 done, 1 failure (terraform, mirror, files), 2 usage, 3 a --fail-on action is planned.",
  "Needs terraform and a filesystem mirror of hashicorp/aws: TF_PROVIDER_MIRROR, Terraform's own mirror folders, or the",
  "one `app-fleets mirror --from <dir where terraform init ran>` builds. Calls no AWS API; no AWS account needed.",
].join("\n");

interface PlanDiffArgs {
  readonly before: string;
  readonly after: string;
  readonly json: boolean;
  readonly all: boolean;
  readonly failOn: readonly ChangeAction[];
  readonly cache: boolean;
}

/** Parses the arguments after `plan-diff`; returns an error message for bad input. */
export function parsePlanDiffArgs(argv: readonly string[]): PlanDiffArgs | { readonly error: string } {
  const parsed = parseArgs(argv, [{ name: "json" }, { name: "all" }, { name: "fail-on", value: true }, { name: "no-cache" }]);
  if ("error" in parsed) return parsed;
  const failOnValue = parsed.options.get("fail-on")?.[0];
  const failOn = failOnValue === undefined ? [] : failOnValue.split(",").filter(Boolean);
  const bad = failOn.filter((a) => !CHANGE_ACTIONS.includes(a as ChangeAction) || a === "no-op");
  if (failOnValue !== undefined && (bad.length > 0 || failOn.length === 0)) {
    return {
      error: `--fail-on = ${JSON.stringify(failOnValue)}: must list create, update, replace or delete, comma-separated. Fix: e.g. --fail-on=replace,delete`,
    };
  }
  if (parsed.positionals.length !== 2) {
    return { error: `expected two stacks (before and after), got ${parsed.positionals.length}` };
  }
  const [before, after] = parsed.positionals;
  return {
    before,
    after,
    json: parsed.options.has("json"),
    all: parsed.options.has("all"),
    failOn: failOn as ChangeAction[],
    cache: !parsed.options.has("no-cache"),
  };
}

/** Runs the command; resolves with the process exit code. */
export async function runPlanDiffCommand(argv: readonly string[], io: CommandIo = PROCESS_IO): Promise<number> {
  const args = parsePlanDiffArgs(argv);
  if ("error" in args) {
    io.err(`plan-diff: ${args.error}\n${PLAN_DIFF_USAGE}`);
    return 2;
  }
  useDefaultMirror();
  try {
    // Both read up front: a typo in <after> must not cost a baseline build first.
    const before = readStackConfig(args.before);
    const after = readStackConfig(args.after);
    const cacheDir = args.cache ? appFleetsCacheDir() : undefined;
    const { baseline, diff, diffMs } = await previewChange(before, after, {
      cache: cacheDir !== undefined,
      log: (m) => io.err(`baseline ${m}`),
    });
    io.err(
      baseline.cachedIn
        ? `baseline read from the cache in ${baseline.elapsedMs} ms (${baseline.cachedIn})`
        : `baseline built in ${baseline.elapsedMs} ms (${baseline.rounds} plans)${cacheDir ? `; cached in ${cacheDir}` : ""}`,
    );
    io.err(`diff planned in ${diffMs} ms`);
    io.out(args.json ? JSON.stringify(args.all ? diff.entries : diff.changes, null, 2) : diff.toTable({ includeNoOp: args.all }));
    const failing = diff.changes.filter((c) => args.failOn.includes(c.action));
    if (failing.length > 0) {
      io.err(`plan-diff: ${failing.length} resource(s) would be ${args.failOn.join(" or ")}d: ${failing.map((c) => c.address).join(", ")}`);
      return 3;
    }
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.err(`plan-diff: ${message}`);
    if (/mirror/.test(message)) {
      io.err(
        "Fix: npx app-fleets mirror --from <a directory where terraform init ran>  (or `npx app-fleets mirror` for the registry commands)",
      );
    }
    return 1;
  }
}

/**
 * When no mirror is named (TF_PROVIDER_MIRROR), the one `app-fleets mirror` built in the project's
 * app-fleets cache serves, if it holds the provider; else lib/terraform/mirror.ts searches the usual
 * places. Sets TF_PROVIDER_MIRROR for this process only; returns the folder it chose, if any.
 */
export function useDefaultMirror(): string | undefined {
  if (process.env[MIRROR_ENV]) return undefined;
  const dir = defaultMirrorDir();
  if (dir === undefined) return undefined;
  process.env[MIRROR_ENV] = dir;
  if (!("missing" in findProviderMirror())) return dir;
  // It does not hold the provider (or does not exist): leave the search to look where it always does.
  delete process.env[MIRROR_ENV];
  return undefined;
}

export const planDiffCommand: Command = {
  name: "plan-diff",
  summary: "show what applying one synthesized stack over another would change, offline",
  usage: PLAN_DIFF_USAGE,
  run: runPlanDiffCommand,
};
