/**
 * Builds the example app: one stack per configuration file. Used by `cdktf synth`
 * (through main.ts), by the tests and by the benchmark, so all three see the same stacks.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { App, TerraformStack } from "cdktf";
import { ConfigError, Violations } from "../lib/core/errors";
import { loadLayoutConfig } from "./config/load-config";
import { LayoutConfig } from "./config/layout-config";
import { BlueGreenStack } from "./layouts/blue-green-stack";
import { TwoVersionStack } from "./layouts/two-version-stack";
import type { LayoutOptions } from "./layouts/fleet-environment";

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
  if (!existsSync(path)) {
    throw new ConfigError([{ field: CONFIG_ENV, value: path, limit: "does not exist", fix: "point it at a configuration file or a directory of them" }]);
  }
  if (statSync(path).isFile()) return [path];
  const files = readdirSync(path)
    // Stack lock files live beside their configuration; they are not configurations.
    .filter((f) => f.endsWith(".json") && !f.endsWith(".lock.json"))
    .sort()
    .map((f) => join(path, f));
  if (files.length === 0) {
    throw new ConfigError([{ field: CONFIG_ENV, value: path, limit: "is a directory with no .json configuration file", fix: "add one (copy an example from stacks/config/examples), or point at a file" }]);
  }
  return files;
}

/** The stack lock file of a configuration file: `production.json` -> `production.lock.json`, beside it. */
export function lockFileOf(configFile: string): string {
  return configFile.replace(/(\.json)?$/, ".lock.json");
}

/** Adds the stack a configuration describes to the app. */
export function addLayoutStack(app: App, config: LayoutConfig, source: string, options: LayoutOptions = {}): TerraformStack {
  const id = stackIdOf(config);
  return config.layout === "two-version" ? new TwoVersionStack(app, id, config, source, options) : new BlueGreenStack(app, id, config, source, options);
}

/**
 * Loads and checks every configuration first, so a bad file fails before any stack is built,
 * with every file's problems in one error.
 */
export function loadConfigs(files: readonly string[]): { file: string; config: LayoutConfig }[] {
  const v = new Violations();
  const configs: { file: string; config: LayoutConfig }[] = [];
  const stackIds = new Map<string, string>();
  for (const file of files) {
    const config = v.collect(() => loadLayoutConfig(file));
    if (!config) continue;
    const name = basename(file);
    const id = stackIdOf(config);
    const other = stackIds.get(id);
    v.check(
      other === undefined,
      `${name}: environment`,
      config.environment,
      `makes stack ID "${id}" (<layout>-<environment>), which ${other} makes too; one app holds one stack per ID`,
      `give one of ${other} and ${name} another environment name, or remove one of them`,
    );
    stackIds.set(id, name);
    configs.push({ file, config });
  }
  v.throwIfAny();
  return configs;
}

/** Loads every configuration first, so a bad file fails before any stack is built. */
export function buildApp(app: App, files = configFiles()): TerraformStack[] {
  const configs = loadConfigs(files);
  return configs.map(({ file, config }) => addLayoutStack(app, config, file.split("/").pop()!, { lockFile: lockFileOf(file) }));
}
