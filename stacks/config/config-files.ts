/**
 * Which configuration files make an app, in one place for `buildApp` (stacks/build-app.ts) and
 * the `app-fleets` commands: a file, or every configuration of a directory; the stack ID each
 * one makes; the stack lock file beside each. Pure: no cdktf import.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { ConfigError, Violations } from "../../lib/core/errors";
import { loadLayoutConfig } from "./load-config";
import { LayoutConfig } from "./layout-config";

/**
 * The built-in example configurations: placeholder network IDs, no AWS account needed. Copy one
 * to start your own; nothing builds them unless asked to (`configFiles(EXAMPLE_CONFIG_DIR)`).
 * Beside this file in the sources; at the package root's stacks/config/ when running from dist/.
 */
export const EXAMPLE_CONFIG_DIR = [
  resolve(__dirname, "examples"),
  resolve(__dirname, "..", "..", "..", "stacks", "config", "examples"),
].find((dir) => existsSync(dir))!;

/** Environment variable naming the configuration file or directory to build. */
export const CONFIG_ENV = "APP_FLEETS_CONFIG";

/** Stack ID of a configuration: `<layout>-<environment>`, e.g. `two-version-staging`. */
export function stackIdOf(config: LayoutConfig): string {
  return `${config.layout}-${config.environment}`;
}

/**
 * The configuration files at `location`: the file itself, or every `.json` file of a directory
 * except stack lock files (`*.lock.json`), sorted.
 * @param location a file or directory; @default - the value of APP_FLEETS_CONFIG
 * @param field what named the location, for errors (e.g. `--config`)
 * @throws ConfigError when no location is given or it holds no configuration
 */
export function configFiles(location: string | undefined = process.env[CONFIG_ENV], field = CONFIG_ENV): string[] {
  if (location === undefined || location === "") {
    throw new ConfigError([
      {
        field,
        value: location,
        limit: "names no configuration: the app builds the stacks your configuration files describe, and none was given",
        fix:
          `set ${CONFIG_ENV}=config/production.json (a file, or a directory of them) or pass the files: buildApp(app, configFiles("config")); ` +
          "start from a copy of an example in stacks/config/examples of the cdktf-app-fleets package",
      },
    ]);
  }
  const path = resolve(location);
  if (!existsSync(path)) {
    throw new ConfigError([
      { field, value: path, limit: "does not exist", fix: "point it at a configuration file or a directory of them" },
    ]);
  }
  if (statSync(path).isFile()) return [path];
  const files = readdirSync(path)
    // Stack lock files live beside their configuration; they are not configurations.
    .filter((f) => f.endsWith(".json") && !f.endsWith(".lock.json"))
    .sort()
    .map((f) => join(path, f));
  if (files.length === 0) {
    throw new ConfigError([
      {
        field,
        value: path,
        limit: "is a directory with no .json configuration file",
        fix: "add one (copy an example from stacks/config/examples), or point at a file",
      },
    ]);
  }
  return files;
}

/** The stack lock file of a configuration file: `production.json` -> `production.lock.json`, beside it. */
export function lockFileOf(configFile: string): string {
  return configFile.replace(/(\.json)?$/, ".lock.json");
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
