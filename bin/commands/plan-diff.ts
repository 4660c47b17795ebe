/**
 * `app-fleets plan-diff <before> <after>`: what applying `after` to a deployed `before`
 * would do to each resource, found offline with the real AWS provider (no AWS account).
 * Each side is a synthesized `cdk.tf.json` or the stack directory holding it.
 */
import { ChangeAction, CHANGE_ACTIONS } from "../../lib/terraform/plan-changes";
import { buildAppliedBaseline, readStackConfig } from "../../lib/terraform/plan-diff";

export const PLAN_DIFF_USAGE = [
  "usage: app-fleets plan-diff <before> <after> [--json] [--all] [--fail-on=replace,delete]",
  "  <before>, <after>   a synthesized cdk.tf.json, or its stack directory (cdktf.out/stacks/<stack>)",
  "  --json              print the changes as JSON instead of a table",
  "  --all               list unchanged resources too",
  "  --fail-on=ACTIONS   exit 3 when any resource would be one of ACTIONS (create, update, replace, delete)",
  "Needs terraform and a filesystem mirror of hashicorp/aws (set TF_PROVIDER_MIRROR); calls no AWS API.",
].join("\n");

export interface CommandIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const PROCESS_IO: CommandIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

interface ParsedArgs {
  readonly before: string;
  readonly after: string;
  readonly json: boolean;
  readonly all: boolean;
  readonly failOn: readonly ChangeAction[];
}

/** Parses the arguments after `plan-diff`; returns an error message for bad input. */
export function parsePlanDiffArgs(argv: readonly string[]): ParsedArgs | { readonly error: string } {
  const positional = argv.filter((a) => !a.startsWith("--"));
  const flags = argv.filter((a) => a.startsWith("--"));
  let json = false;
  let all = false;
  let failOn: ChangeAction[] = [];
  for (const flag of flags) {
    if (flag === "--json") json = true;
    else if (flag === "--all") all = true;
    else if (flag.startsWith("--fail-on=")) {
      const actions = flag.slice("--fail-on=".length).split(",").filter(Boolean);
      const bad = actions.filter((a) => !CHANGE_ACTIONS.includes(a as ChangeAction) || a === "no-op");
      if (bad.length > 0 || actions.length === 0) {
        return { error: `--fail-on = ${JSON.stringify(actions.join(","))}: must list create, update, replace or delete, comma-separated. Fix: e.g. --fail-on=replace,delete` };
      }
      failOn = actions as ChangeAction[];
    } else {
      return { error: `unknown option ${flag}` };
    }
  }
  if (positional.length !== 2) {
    return { error: `expected two stacks (before and after), got ${positional.length}` };
  }
  return { before: positional[0], after: positional[1], json, all, failOn };
}

/** Runs the command; resolves with the process exit code. */
export async function runPlanDiffCommand(argv: readonly string[], io: CommandIo = PROCESS_IO): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.out(PLAN_DIFF_USAGE);
    return 0;
  }
  const args = parsePlanDiffArgs(argv);
  if ("error" in args) {
    io.err(`plan-diff: ${args.error}\n${PLAN_DIFF_USAGE}`);
    return 1;
  }
  try {
    // Both read up front: a typo in <after> must not cost a baseline build first.
    const before = readStackConfig(args.before);
    const after = readStackConfig(args.after);
    const baseline = await buildAppliedBaseline(before, { log: (m) => io.err(`baseline ${m}`) });
    io.err(`baseline built in ${baseline.elapsedMs} ms (${baseline.rounds} plans)`);
    const started = Date.now();
    const diff = await baseline.diff(after);
    io.err(`diff planned in ${Date.now() - started} ms`);
    io.out(args.json ? JSON.stringify(args.all ? diff.entries : diff.changes, null, 2) : diff.toTable({ includeNoOp: args.all }));
    const failing = diff.changes.filter((c) => args.failOn.includes(c.action));
    if (failing.length > 0) {
      io.err(`plan-diff: ${failing.length} resource(s) would be ${args.failOn.join(" or ")}d: ${failing.map((c) => c.address).join(", ")}`);
      return 3;
    }
    return 0;
  } catch (error) {
    io.err(`plan-diff: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}
