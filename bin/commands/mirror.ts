/**
 * `app-fleets mirror`: prepares the provider mirror `plan-diff` needs (hashicorp/aws at the version
 * the library is built for) from what the user already has: the providers of an earlier
 * `terraform init`, a plugin cache, or a folder `terraform providers mirror` wrote. Without
 * `--from`, prints the commands that make one where the Terraform registry is reachable.
 */
import { relative } from "node:path";
import { AWS_PROVIDER_VERSION, MIRROR_ENV } from "../../lib/terraform/mirror";
import { parseArgs } from "./args";
import type { Command, CommandIo } from "./command";
import { reportCommandError } from "./render-command";
import { buildProviderMirror, defaultMirrorDir, type MirroredPackage, platformDir } from "./provider-mirror";

const AWS_SOURCE = "registry.terraform.io/hashicorp/aws";

const USAGE = [
  "usage: app-fleets mirror --from DIR [--to DIR]",
  "       app-fleets mirror [--to DIR]            (prints how to make one where the registry is reachable)",
  "  --from DIR         a directory where terraform init ran (its .terraform/providers), a plugin cache",
  "                     (TF_PLUGIN_CACHE_DIR), or a folder `terraform providers mirror` wrote",
  "  --to DIR           the mirror to build (default: node_modules/.cache/app-fleets/provider-mirror, nearest",
  `                     from here, where plan-diff looks when ${MIRROR_ENV} is not set)`,
  `plan-diff needs hashicorp/aws ${AWS_PROVIDER_VERSION} for this platform (${platformDir()}). Files are hard-linked`,
  "when the mirror is on the same file system, else copied. Nothing is downloaded.",
  "Exit codes: 0 the mirror holds what plan-diff needs, 1 it does not (or a file could not be read), 2 usage.",
].join("\n");

/** The commands that make the mirror where registry.terraform.io is reachable. */
export function registryCommands(to: string | undefined): string[] {
  const target = to ?? "<mirror dir>";
  return [
    "mkdir aws-provider && cd aws-provider",
    `printf 'terraform {\\n  required_providers {\\n    aws = { source = "hashicorp/aws", version = "${AWS_PROVIDER_VERSION}" }\\n  }\\n}\\n' > main.tf`,
    `terraform providers mirror -platform=${platformDir()} ./mirror`,
    `npx app-fleets mirror --from ./mirror${to ? ` --to ${target}` : ""}`,
  ];
}

function describePackage(p: MirroredPackage): string {
  return `${p.source} ${p.version} (${p.platform}): ${p.how === "present" ? "already in the mirror" : p.how}`;
}

export const mirrorCommand: Command = {
  name: "mirror",
  summary: `prepare the provider mirror plan-diff needs (hashicorp/aws ${AWS_PROVIDER_VERSION}) from an earlier terraform init`,
  usage: USAGE,
  async run(argv, io: CommandIo) {
    const args = parseArgs(argv, [
      { name: "from", value: true },
      { name: "to", value: true },
    ]);
    if ("error" in args || args.positionals.length > 0) {
      io.err(`mirror: ${"error" in args ? args.error : `unexpected argument ${args.positionals[0]}`}\n${USAGE}`);
      return 2;
    }
    const to = args.options.get("to")?.[0] ?? defaultMirrorDir();
    const from = args.options.get("from")?.[0];
    if (from === undefined) {
      io.out(`Where registry.terraform.io is reachable, make the mirror with Terraform (${AWS_SOURCE} ${AWS_PROVIDER_VERSION}):`);
      registryCommands(args.options.get("to")?.[0]).forEach((line) => io.out(`  ${line}`));
      io.out("Offline, use the providers of a directory where terraform init ran with that version:");
      io.out("  npx app-fleets mirror --from <that directory>");
      return 0;
    }
    if (to === undefined) {
      io.err("mirror: the app-fleets cache is off (APP_FLEETS_CACHE=off), so there is no default mirror folder. Fix: pass --to DIR");
      return 2;
    }
    let placed: MirroredPackage[];
    try {
      placed = await buildProviderMirror(from, to);
    } catch (e) {
      return reportCommandError("mirror", e, io, USAGE);
    }
    placed.forEach((p) => io.out(describePackage(p)));
    const needed = placed.find((p) => p.source === AWS_SOURCE && p.version === AWS_PROVIDER_VERSION && p.platform === platformDir());
    if (!needed) {
      const found = placed.filter((p) => p.source === AWS_SOURCE).map((p) => `${p.version} (${p.platform})`);
      io.err(
        `mirror: ${from} holds no ${AWS_SOURCE} ${AWS_PROVIDER_VERSION} for ${platformDir()}` +
          `${found.length > 0 ? ` (it has ${found.join(", ")})` : ""}: plan-diff needs that version. ` +
          `Fix: run terraform init where the configuration requires aws = "${AWS_PROVIDER_VERSION}" and pass that directory, ` +
          `or, where the registry is reachable:\n${registryCommands(args.options.get("to")?.[0])
            .map((l) => `  ${l}`)
            .join("\n")}`,
      );
      return 1;
    }
    const usesDefault = args.options.get("to") === undefined;
    io.out(`mirror ready: ${relative(process.cwd(), to) || "."}`);
    io.out(
      usesDefault
        ? `plan-diff run from this project uses it when ${MIRROR_ENV} is not set; elsewhere: export ${MIRROR_ENV}=${to}`
        : `for plan-diff: export ${MIRROR_ENV}=${to}`,
    );
    return 0;
  },
};
