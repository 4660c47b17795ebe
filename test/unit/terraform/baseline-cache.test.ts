import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emptyState } from "../../../lib/terraform/applied-state";
import {
  baselineCacheKey,
  canonicalJson,
  PLACEHOLDER_CODE_VERSION,
  readCachedBaseline,
  writeCachedBaseline,
} from "../../../lib/terraform/baseline-cache";
import { appFleetsCacheDir, pruneOldest, writeFileAtomically } from "../../../lib/terraform/cache-dir";

const inputs = {
  config: { resource: { aws_lb: { Main: { name: "web", internal: false } } } },
  terraformVersion: "1.11.4",
  providerVersion: "5.100.0",
};

describe("where the cache lives", () => {
  const root = mkdtempSync(join(tmpdir(), "cache-dir-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test("APP_FLEETS_CACHE_DIR wins; APP_FLEETS_CACHE=off turns the cache off", () => {
    expect(appFleetsCacheDir({ APP_FLEETS_CACHE_DIR: "/var/cache/fleets" }, root)).toBe("/var/cache/fleets");
    expect(appFleetsCacheDir({ APP_FLEETS_CACHE_DIR: "rel" }, root)).toBe(join(root, "rel"));
    expect(appFleetsCacheDir({ APP_FLEETS_CACHE: "off", APP_FLEETS_CACHE_DIR: "/x" }, root)).toBeUndefined();
  });

  test("in a project, node_modules/.cache/app-fleets of the nearest folder holding node_modules", () => {
    const project = join(root, "project");
    mkdirSync(join(project, "node_modules"), { recursive: true });
    mkdirSync(join(project, "config", "prod"), { recursive: true });
    expect(appFleetsCacheDir({}, join(project, "config", "prod"))).toBe(join(project, "node_modules", ".cache", "app-fleets"));
  });

  test("outside any project, XDG_CACHE_HOME, else ~/.cache", () => {
    expect(appFleetsCacheDir({ XDG_CACHE_HOME: "/xdg" }, "/")).toBe(join("/xdg", "app-fleets"));
    expect(appFleetsCacheDir({}, "/")).toMatch(/\.cache[/\\]app-fleets$/);
  });
});

describe("cache writes", () => {
  const dir = mkdtempSync(join(tmpdir(), "cache-write-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("an atomic write leaves the whole content and no partial file behind", () => {
    const path = join(dir, "entry.json");
    expect(writeFileAtomically(path, "x".repeat(100_000))).toBe(true);
    expect(readFileSync(path, "utf8")).toHaveLength(100_000);
    expect(readdirSync(dir)).toEqual(["entry.json"]);
  });

  test("pruning keeps the most recently used entries", () => {
    const prune = join(dir, "prune");
    mkdirSync(prune);
    ["a", "b", "c"].forEach((name, i) => {
      writeFileSync(join(prune, `${name}.json`), "{}");
      utimesSync(join(prune, `${name}.json`), new Date(1000 * (i + 1)), new Date(1000 * (i + 1)));
    });
    pruneOldest(prune, 2);
    expect(readdirSync(prune).sort()).toEqual(["b.json", "c.json"]);
  });
});

describe("the baseline cache key", () => {
  const key = baselineCacheKey(inputs);

  test("is the same for the same configuration whatever the order of its keys", () => {
    const reordered = { resource: { aws_lb: { Main: { internal: false, name: "web" } } } };
    expect(canonicalJson(reordered)).toBe(canonicalJson(inputs.config));
    expect(baselineCacheKey({ ...inputs, config: reordered })).toBe(key);
  });

  test("changes with the configuration, the terraform version and the provider version", () => {
    expect(baselineCacheKey({ ...inputs, config: { resource: { aws_lb: { Main: { name: "web2", internal: false } } } } })).not.toBe(key);
    expect(baselineCacheKey({ ...inputs, terraformVersion: "1.12.0" })).not.toBe(key);
    expect(baselineCacheKey({ ...inputs, providerVersion: "5.101.0" })).not.toBe(key);
  });

  test("the placeholder code has an explicit version that is part of every key", () => {
    expect(Number.isInteger(PLACEHOLDER_CODE_VERSION)).toBe(true);
    expect(PLACEHOLDER_CODE_VERSION).toBeGreaterThanOrEqual(2);
  });
});

describe("cached baselines", () => {
  const dir = mkdtempSync(join(tmpdir(), "baseline-cache-"));
  const saved = process.env.APP_FLEETS_CACHE_DIR;
  beforeAll(() => {
    process.env.APP_FLEETS_CACHE_DIR = dir;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.APP_FLEETS_CACHE_DIR;
    else process.env.APP_FLEETS_CACHE_DIR = saved;
    rmSync(dir, { recursive: true, force: true });
  });
  const key = baselineCacheKey(inputs);
  const state = emptyState("1.11.4");

  test("a converged baseline written under its key is read back whole", () => {
    expect(readCachedBaseline(key)).toBeUndefined();
    const file = writeCachedBaseline(key, { state, rounds: 3, buildMs: 21000 }, inputs);
    expect(file).toBe(join(dir, "baselines", `${key}.json`));
    expect(readCachedBaseline(key)).toEqual({ state, rounds: 3, buildMs: 21000, file });
  });

  test("a torn or foreign entry is ignored (rebuilt), never trusted", () => {
    const other = baselineCacheKey({ ...inputs, terraformVersion: "9.9.9" });
    writeFileSync(join(dir, "baselines", `${other}.json`), '{"format":1,"key":"');
    expect(readCachedBaseline(other)).toBeUndefined();
    writeFileSync(join(dir, "baselines", `${other}.json`), JSON.stringify({ format: 1, key: "not-this-key", state }));
    expect(readCachedBaseline(other)).toBeUndefined();
  });

  test("with the cache off nothing is written or read", () => {
    process.env.APP_FLEETS_CACHE = "off";
    try {
      expect(writeCachedBaseline(key, { state, rounds: 3, buildMs: 1 }, inputs)).toBeUndefined();
      expect(readCachedBaseline(key)).toBeUndefined();
    } finally {
      delete process.env.APP_FLEETS_CACHE;
    }
  });
});
