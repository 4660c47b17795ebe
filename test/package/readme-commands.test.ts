/**
 * The README's shell blocks run as written, in order, on a clean copy of this checkout (as a clean
 * clone has it: no dist/, no cdktf.out/, no caches): every `npx app-fleets` and `npx cdktf synth`
 * command, the `npm run build` before them and the `cp` between synths. Lines under a command that
 * start with `#   ` are what it prints (`...` stands for any text); `(exit N)` in its comment is its
 * exit code, else 0. Commands that need what no test machine has (an AWS account, a deployed load
 * balancer, the npm registry) are listed below with the reason and the test that covers them instead.
 *
 * `../infra` (the README's "a directory where terraform init ran") is laid out beside the copy as
 * `terraform init` leaves it, with this machine's provider binary (hard-linked), and `app-fleets mirror`
 * builds the copy's own mirror from it (in the copy's node_modules/.cache). `plan-diff`, earlier in
 * the README, finds this machine's mirror as lib/terraform/mirror.ts finds any (terraform and the
 * mirror missing: skipped with a notice, a failure under CI=true).
 */
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AWS_PROVIDER_VERSION, findProviderMirror } from "../../lib/terraform/mirror";
import { platformDir } from "../../bin/commands/provider-mirror";
import { TERRAFORM_TEST_TIMEOUT_MS, terraformAvailability } from "../support/terraform";
import { cleanCloneCopy, offlineEnv, readme, run } from "./package-helpers";

interface ReadmeCommand {
  /** 1-based line of README.md where the command starts. */
  readonly line: number;
  /** The command as written (continuation lines joined), its trailing comment included. */
  readonly command: string;
  /** The lines it prints, as the README shows them. */
  readonly expected: readonly string[];
  readonly exitCode: number;
}

/** Every command of the README's ```sh blocks, in order. */
function readmeCommands(): ReadmeCommand[] {
  const lines = readme().split("\n");
  const commands: { line: number; command: string; expected: string[]; exitCode: number }[] = [];
  let inShell = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!inShell) {
      inShell = line.trim() === "```sh";
      continue;
    }
    if (line.trim() === "```") {
      inShell = false;
      continue;
    }
    if (line.startsWith("#   ")) {
      commands[commands.length - 1].expected.push(line.slice(4).trim());
      continue;
    }
    if (line.startsWith("#") || line.trim() === "") continue;
    const start = i;
    let command = line;
    while (command.trimEnd().endsWith("\\")) command = `${command.trimEnd().slice(0, -1)} ${lines[++i].trim()}`;
    const exit = /#.*\(exit (\d+)\)/.exec(command);
    commands.push({ line: start + 1, command: command.trim(), expected: [], exitCode: exit ? Number(exit[1]) : 0 });
  }
  return commands;
}

/** The commands the README shows that this test runs: the offline ones. */
const RUNS = [/^npx app-fleets /, /^(CHECKPOINT_DISABLE=1 )?npx cdktf synth\b/, /^npm run build\b/];

/** The commands it does not run, each with the reason and where its effect is tested instead. */
const NOT_RUN: readonly { readonly command: RegExp; readonly reason: string }[] = [
  { command: /^npm (ci|test)\b/, reason: "the set-up this test runs inside (.ci/run runs exactly these)" },
  {
    command: /^npx cdktf init\b|^npm install\b/,
    reason: "makes a project from the npm registry; consumer-app.test.ts builds that project offline",
  },
  { command: /^npx cdktf (diff|deploy)\b/, reason: "needs an AWS account; test/deploy applies the stacks to an emulated AWS" },
  { command: /^export APP_FLEETS_CONFIG=/, reason: "names the user's own file; test/unit/cli reads APP_FLEETS_CONFIG" },
  {
    command: /^npx app-fleets (explain .*--live|drift)\b/,
    reason: "reads a deployed load balancer; test/deploy and test/unit/live cover it",
  },
  { command: /^curl\b/, reason: "needs a deployed load balancer; test/deploy sends these requests" },
  {
    command: /^bundle |^aws deploy /,
    reason: "the CodeDeploy example builds the user's Rails app and calls AWS; test/synth/fleet covers the deployment group",
  },
  { command: /^pip install\b/, reason: "installs moto from PyPI; the deploy part of npm test uses the moto_server on PATH" },
  { command: /^npm run test:deploy\b/, reason: "the deploy part of npm test (jest project deploy)" },
  { command: /^npm run bench\b/, reason: "measures for minutes; test/unit/bench-report.test.ts checks the report" },
];

const commands = readmeCommands();
const runnable = commands.filter((c) => RUNS.some((r) => r.test(c.command)) && !NOT_RUN.some((n) => n.command.test(c.command)));
const needsTerraform = (c: ReadmeCommand) => /^npx app-fleets plan-diff /.test(c.command);
const providerMirror = findProviderMirror();

// eslint-disable-next-line no-control-regex
const ANSI_CONTROL = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** A printed line as the README shows it: `...` stands for any text; the rest is literal. */
function linePattern(expected: string): RegExp {
  return new RegExp(
    `^${expected
      .split("...")
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  );
}

let root: string;
let clone: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "app-fleets-readme-"));
  // The copy sits at <root>/repo so that the README's `../infra` is <root>/infra.
  renameSync(cleanCloneCopy("app-fleets-readme-clone-"), join(root, "repo"));
  clone = join(root, "repo");
  if (!("missing" in providerMirror)) {
    const aws = ["registry.terraform.io", "hashicorp", "aws", AWS_PROVIDER_VERSION, platformDir()];
    const from = join(providerMirror.path, ...aws);
    const to = join(root, "infra", ".terraform", "providers", ...aws);
    mkdirSync(to, { recursive: true });
    for (const file of readdirSync(from)) {
      try {
        linkSync(join(from, file), join(to, file));
      } catch {
        copyFileSync(join(from, file), join(to, file)); // another file system, or linking refused
      }
    }
  }
}, TERRAFORM_TEST_TIMEOUT_MS);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

test("every command of the README's shell blocks is run here, or listed with the reason it is not", () => {
  const unaccounted = commands.filter((c) => !runnable.includes(c) && !NOT_RUN.some((n) => n.command.test(c.command)));
  expect(unaccounted.map((c) => `README.md:${c.line}: ${c.command}`)).toEqual([]);
  // The walkthrough's commands on both example layouts are among those run.
  expect(runnable.filter((c) => /blue-green\.production\.json|--stack blue-green-prod/.test(c.command)).length).toBeGreaterThan(0);
  expect(runnable.filter((c) => /two-version\.staging\.json/.test(c.command)).length).toBeGreaterThan(0);
});

test.each(
  runnable.map((c) => [`README.md:${c.line}: ${c.command.length > 110 ? `${c.command.slice(0, 107)}...` : c.command}`, c] as const),
)(
  "%s",
  (_name, c) => {
    if (needsTerraform(c) && !terraformAvailability.available) {
      if (process.env.CI === "true")
        throw new Error(`this README command needs terraform and the provider mirror: ${terraformAvailability.reason}`);
      // eslint-disable-next-line no-console
      console.warn(`\n!!! SKIPPED README.md:${c.line} (${terraformAvailability.reason}). Under CI=true this is a failure.\n`);
      return;
    }
    // Offline, as a user's shell: no mirror or cache setting of this run.
    const r = run("bash", ["-c", c.command], {
      cwd: clone,
      env: offlineEnv({ TF_PROVIDER_MIRROR: undefined, APP_FLEETS_CACHE_DIR: undefined, APP_FLEETS_CACHE: undefined }),
    });
    // cdktf's progress display prefixes lines with terminal control sequences: compared without them.
    const printed = `${r.out}\n${r.err}`
      .replace(ANSI_CONTROL, "")
      .split("\n")
      .map((l) => l.trim());
    expect({ exitCode: r.code, stderr: r.code === c.exitCode ? "" : r.err }).toEqual({ exitCode: c.exitCode, stderr: "" });
    for (const expected of c.expected) {
      expect({ expected, printed: printed.some((l) => linePattern(expected).test(l)) ? "yes" : `${r.out}\n${r.err}` }).toEqual({
        expected,
        printed: "yes",
      });
    }
    // A bad input is a short list, never a stack trace.
    expect(r.err).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m);
  },
  TERRAFORM_TEST_TIMEOUT_MS,
);
