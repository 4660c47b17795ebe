/**
 * Builds the example app: one stack per configuration file. Used by `cdktf synth`
 * (through main.ts), by the tests and by the benchmark, so all three see the same stacks.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { App, TerraformStack } from "cdktf";
import { loadLayoutConfig } from "./config/load-config";
import { LayoutConfig } from "./config/layout-config";
import { BlueGreenStack } from "./layouts/blue-green-stack";
import { TwoVersionStack } from "./layouts/two-version-stack";

/**
 * The built-in example configurations: placeholder network IDs, no AWS account needed.
 * Beside this file in the sources; at the package root's stacks/ when running from dist/.
 */
export const EXAMPLE_CONFIG_DIR = [resolve(__dirname, "config", "examples"), resolve(__dirname, "..", "..", "stacks", "config", "examples")].find(
  (dir) => existsSync(dir),
)!;

/** Environment variable naming a configuration file or directory to use instead of the examples. */
export const CONFIG_ENV = "APP_FLEETS_CONFIG";

/** Stack ID of a configuration: `<layout>-<environment>`, e.g. `two-version-staging`. */
export function stackIdOf(config: LayoutConfig): string {
  return `${config.layout}-${config.environment}`;
}

export function configFiles(location = process.env[CONFIG_ENV] ?? EXAMPLE_CONFIG_DIR): string[] {
  const path = resolve(location);
  if (!existsSync(path)) throw new Error(`${CONFIG_ENV}: ${path} does not exist; point it at a configuration file or a directory of them`);
  if (statSync(path).isFile()) return [path];
  return readdirSync(path)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => join(path, f));
}

/** Adds the stack a configuration describes to the app. */
export function addLayoutStack(app: App, config: LayoutConfig, source: string): TerraformStack {
  const id = stackIdOf(config);
  return config.layout === "two-version" ? new TwoVersionStack(app, id, config, source) : new BlueGreenStack(app, id, config, source);
}

/** Loads every configuration first, so a bad file fails before any stack is built. */
export function buildApp(app: App, files = configFiles()): TerraformStack[] {
  const configs = files.map((file) => ({ file, config: loadLayoutConfig(file) }));
  return configs.map(({ file, config }) => addLayoutStack(app, config, file.split("/").pop()!));
}
