/**
 * Builds an app from layout configuration files: one stack per file. Used by this repository's
 * `cdktf synth` (main.ts, which passes the built-in examples), by the tests and by the benchmark,
 * so all three see the same stacks; and by users of the package, whose own entry point names
 * their configuration.
 */
import { basename } from "node:path";
import { App, TerraformStack } from "cdktf";
import { configFiles, loadConfigs, lockFileOf, stackIdOf } from "./config/config-files";
import { LayoutConfig } from "./config/layout-config";
import { BlueGreenStack } from "./layouts/blue-green-stack";
import { TwoVersionStack } from "./layouts/two-version-stack";
import type { LayoutOptions } from "./layouts/fleet-environment";

// Which files make the app: pure, and shared with the `app-fleets` commands.
export { CONFIG_ENV, configFiles, EXAMPLE_CONFIG_DIR, loadConfigs, lockFileOf, stackIdOf } from "./config/config-files";

/** Adds the stack a configuration describes to the app. */
export function addLayoutStack(app: App, config: LayoutConfig, source: string, options: LayoutOptions = {}): TerraformStack {
  const id = stackIdOf(config);
  return config.layout === "two-version"
    ? new TwoVersionStack(app, id, config, source, options)
    : new BlueGreenStack(app, id, config, source, options);
}

/**
 * Adds one stack per configuration file to `app`, each with its stack lock file beside it.
 * Loads every configuration first, so a bad file fails before any stack is built.
 * @param files the configuration files; @default - those APP_FLEETS_CONFIG names (a file or a
 *   directory); an error says so when it is not set
 */
export function buildApp(app: App, files: readonly string[] = configFiles()): TerraformStack[] {
  const configs = loadConfigs(files);
  return configs.map(({ file, config }) => addLayoutStack(app, config, basename(file), { lockFile: lockFileOf(file) }));
}
