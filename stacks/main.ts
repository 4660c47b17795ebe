/**
 * This repository's cdktf app entry (`cdktf synth` / `diff` / `deploy`): the file or directory
 * named by APP_FLEETS_CONFIG, else every configuration in stacks/config/examples (passed
 * explicitly: the packaged `buildApp` builds nothing it was not given). Not part of the package.
 *
 * A bad configuration is printed as a short list (`<file>: <field> = <value>: <limit>. Fix: ...`),
 * once, without a stack trace, and the process exits with 1; an unexpected error still shows
 * its stack. `cdktf synth` relays what the app wrote to stderr (in its log as it runs, and again
 * in its closing error summary): the app writes it in one piece, so each copy is one block.
 */
import { App } from "cdktf";
import { reportFailure } from "../lib/core/errors";
import { AppFleetsPolicy } from "../lib/policy/app-fleets-policy";
import { synthAtomically } from "../lib/synth/synth-atomically";
import { buildApp, CONFIG_ENV, configFiles, EXAMPLE_CONFIG_DIR } from "./build-app";

try {
  const app = new App();
  buildApp(app, configFiles(process.env[CONFIG_ENV] || EXAMPLE_CONFIG_DIR));
  // After every stack exists: the pack attaches to each stack (cdktf runs no aspects on an App).
  AppFleetsPolicy.applyTo(app);
  synthAtomically(app);
} catch (error) {
  process.exitCode = reportFailure(error, (text) => process.stderr.write(text));
}
