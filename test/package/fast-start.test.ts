/**
 * The start-up speedups of `cdktf synth` (lib/synth/fast-start.ts: V8 code cache, deferred cdktf
 * dependencies, no token stack traces, no optimizing compiler) change cost, never output. Each
 * case runs real node processes on the precompiled app, as scripts/run-app.cjs and the bench do.
 */
import { spawn, spawnSync, SpawnSyncReturns } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { filesUnder } from "../support/files";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { precompile } = require("../../scripts/precompile.cjs") as {
  precompile: (repoRoot: string, outDir: string, folders: readonly string[]) => void;
};

const repoRoot = join(__dirname, "..", "..");
const config = join(repoRoot, "stacks", "config", "examples", "two-version.staging.json");
/** Inside the repository, so the compiled files find node_modules as the app's do. */
let work: string;
let js: string;

beforeAll(() => {
  mkdirSync(join(repoRoot, ".cache"), { recursive: true });
  work = mkdtempSync(join(repoRoot, ".cache", "test-fast-start-"));
  js = join(work, "js");
  precompile(repoRoot, js, ["lib", "stacks", "bench/apps"]);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The environment of a child: the caller's, without switches that would change what is tested. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of ["APP_FLEETS_FAST_START", "APP_FLEETS_COMPILE_CACHE", "APP_FLEETS_CACHE", "APP_FLEETS_TOKEN_STACKS", "NODE_OPTIONS"]) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

/** Runs the bench's two-version app (fast start on unless `extra` turns it off). */
function synthEnv(outdir: string, cacheDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return childEnv({ CDKTF_OUTDIR: outdir, APP_FLEETS_CONFIG: config, APP_FLEETS_CACHE_DIR: cacheDir, ...extra });
}

function synth(outdir: string, cacheDir: string, extra: Record<string, string> = {}): SpawnSyncReturns<string> {
  const run = spawnSync(process.execPath, [join(js, "bench", "apps", "two-version.js")], {
    cwd: repoRoot,
    env: synthEnv(outdir, cacheDir, extra),
    encoding: "utf8",
  });
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
  return run;
}

function synthAsync(outdir: string, cacheDir: string): Promise<number | null> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(js, "bench", "apps", "two-version.js")], {
      cwd: repoRoot,
      env: synthEnv(outdir, cacheDir),
      stdio: "ignore",
    });
    child.on("error", reject);
    child.on("close", resolvePromise);
  });
}

/** The code cache files of a cache folder: name, SHA-1 of the content (jest compares megabytes of Buffer slowly), modification time. */
function cacheFiles(cacheDir: string): { name: string; sha1: string; mtimeMs: number }[] {
  const dir = join(cacheDir, "v8-compile-cache");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".bin"))
    .map((name) => ({
      name,
      sha1: createHash("sha1")
        .update(readFileSync(join(dir, name)))
        .digest("hex"),
      mtimeMs: statSync(join(dir, name)).mtimeMs,
    }));
}

describe("fast start of a synth", () => {
  let reference: Record<string, string>;

  beforeAll(() => {
    synth(join(work, "out-off"), join(work, "cache-off"), { APP_FLEETS_FAST_START: "off" });
    reference = filesUnder(join(work, "out-off"));
  });

  test("the synthesized files are byte-identical without the speedups, with a cold code cache and with a warm one", () => {
    expect(Object.keys(reference)).toEqual(expect.arrayContaining(["manifest.json", join("stacks", "two-version-staging", "cdk.tf.json")]));
    const cache = join(work, "cache-sequential");
    synth(join(work, "out-cold"), cache);
    const written = cacheFiles(cache);
    expect(written).toHaveLength(1);
    synth(join(work, "out-warm"), cache);

    expect(filesUnder(join(work, "out-cold"))).toEqual(reference);
    expect(filesUnder(join(work, "out-warm"))).toEqual(reference);
    // The warm run compiled nothing from source, so it had nothing to rewrite: every module came from the cache.
    expect(cacheFiles(cache)).toEqual(written);
  });

  test("two synths at once on one empty cache both succeed with the same output and leave a whole cache file", async () => {
    const cache = join(work, "cache-concurrent");
    const codes = await Promise.all([synthAsync(join(work, "out-a"), cache), synthAsync(join(work, "out-b"), cache)]);
    expect(codes).toEqual([0, 0]);
    expect(filesUnder(join(work, "out-a"))).toEqual(reference);
    expect(filesUnder(join(work, "out-b"))).toEqual(reference);
    const left = cacheFiles(cache);
    expect(left).toHaveLength(1);
    // Whole: a third run finds every module in it and rewrites nothing.
    synth(join(work, "out-c"), cache);
    expect(filesUnder(join(work, "out-c"))).toEqual(reference);
    expect(cacheFiles(cache)).toEqual(left);
  });

  test("an archive asset is still zipped while cdktf's zip library is deferred", () => {
    const assetSource = join(work, "asset-source");
    mkdirSync(assetSource, { recursive: true });
    writeFileSync(join(assetSource, "hello.txt"), "hello\n");
    const script = `
      require(${JSON.stringify(join(js, "lib", "synth", "fast-start.js"))}).startFast();
      const { App, TerraformStack, TerraformAsset, AssetType } = require("cdktf");
      const app = new App({ outdir: process.env.OUT });
      const stack = new TerraformStack(app, "assets");
      const asset = new TerraformAsset(stack, "bundle", { path: ${JSON.stringify(assetSource)}, type: AssetType.ARCHIVE });
      app.synth();
      const loaded = Object.keys(require.cache).some((f) => /[\\\\/]archiver[\\\\/]lib[\\\\/]/.test(f));
      process.stdout.write(JSON.stringify({ loaded, path: asset.path }));
    `;
    const out = join(work, "out-asset");
    const run = spawnSync(process.execPath, ["-e", script], {
      cwd: js,
      env: childEnv({ OUT: out, APP_FLEETS_CACHE_DIR: join(work, "cache-asset") }),
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    const result = JSON.parse(run.stdout) as { loaded: boolean };
    // cdktf zips in a child process; this process never needed archiver.
    expect(result.loaded).toBe(false);
    const zips = readdirSync(join(out, "stacks", "assets", "assets", "bundle"), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith(".zip"));
    expect(zips).toHaveLength(1);
  });
});

describe("V8 code cache", () => {
  /** Runs a probe that installs the cache and loads value.js; reports the value and what the cache did. */
  function probe(dir: string, cacheDir: string): { value: string; hits: number; misses: number; written: boolean } {
    const main = join(dir, "main.js");
    writeFileSync(
      main,
      `const stats = require(${JSON.stringify(join(js, "lib", "synth", "compile-cache.js"))}).installCompileCache(__filename);
       const value = require("./value");
       process.on("exit", () => process.stdout.write(JSON.stringify({ value, ...stats })));`,
    );
    const run = spawnSync(process.execPath, [main], { env: childEnv({ APP_FLEETS_CACHE_DIR: cacheDir }), encoding: "utf8" });
    expect(run.stderr).toBe("");
    return JSON.parse(run.stdout);
  }

  test("a module whose source changed runs its new source, even at the same length and modification time", () => {
    const dir = join(work, "probe-stale");
    const cache = join(work, "cache-stale");
    mkdirSync(dir, { recursive: true });
    const value = join(dir, "value.js");
    writeFileSync(value, 'module.exports = "first";');
    const { mtime } = statSync(value);

    expect(probe(dir, cache)).toMatchObject({ value: "first", hits: 0, misses: 1, written: true });
    expect(probe(dir, cache)).toMatchObject({ value: "first", hits: 1, misses: 0, written: false });
    // Same length, same mtime: V8 alone would accept the old code (it checks the source length only).
    writeFileSync(value, 'module.exports = "secnd";');
    utimesSync(value, mtime, mtime);
    expect(probe(dir, cache)).toMatchObject({ value: "secnd", hits: 0, misses: 1, written: true });
    expect(probe(dir, cache)).toMatchObject({ value: "secnd", hits: 1, misses: 0 });
  });

  test("a damaged cache file is ignored and replaced", () => {
    const dir = join(work, "probe-damaged");
    const cache = join(work, "cache-damaged");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "value.js"), 'module.exports = "kept";');
    probe(dir, cache);
    const [file] = cacheFiles(cache);
    const path = join(cache, "v8-compile-cache", file.name);
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 7));

    expect(probe(dir, cache)).toMatchObject({ value: "kept", hits: 0, misses: 1, written: true });
    expect(probe(dir, cache)).toMatchObject({ value: "kept", hits: 1, misses: 0 });
  });
});

describe("resolution cache", () => {
  test("a file added where an earlier run resolved a require is found, not the remembered resolution", () => {
    const dir = join(work, "probe-resolve");
    mkdirSync(join(dir, "lib"), { recursive: true });
    writeFileSync(join(dir, "lib", "thing.js"), 'module.exports = "thing.js";');
    const main = join(dir, "main.js");
    writeFileSync(
      main,
      `require(${JSON.stringify(join(js, "lib", "synth", "resolve-cache.js"))}).installResolveCache(${JSON.stringify(join(dir, "probe.resolutions.json"))});
       process.stdout.write(require("./lib/thing"));`,
    );
    const run = () => spawnSync(process.execPath, [main], { env: childEnv({}), encoding: "utf8" });
    expect(run().stdout).toBe("thing.js");
    expect(readFileSync(join(dir, "probe.resolutions.json"), "utf8")).toContain("thing.js");
    expect(run().stdout).toBe("thing.js");
    // Node tries the exact name before adding ".js": a new file "thing" now wins.
    writeFileSync(join(dir, "lib", "thing"), 'module.exports = "thing";');
    expect(run().stdout).toBe("thing");
  });

  test("a node_modules folder created nearer than the one a package was found in takes precedence", () => {
    const dir = join(work, "probe-package");
    mkdirSync(dir, { recursive: true });
    const main = join(dir, "main.js");
    writeFileSync(
      main,
      `require(${JSON.stringify(join(js, "lib", "synth", "resolve-cache.js"))}).installResolveCache(${JSON.stringify(join(dir, "probe.resolutions.json"))});
       const constructs = require("constructs");
       process.stdout.write(typeof constructs === "string" ? constructs : "from the repository");`,
    );
    const run = () => spawnSync(process.execPath, [main], { env: childEnv({}), encoding: "utf8" });
    expect(run().stdout).toBe("from the repository");
    expect(readFileSync(join(dir, "probe.resolutions.json"), "utf8")).toContain(join("node_modules", "constructs"));
    expect(run().stdout).toBe("from the repository");
    mkdirSync(join(dir, "node_modules", "constructs"), { recursive: true });
    writeFileSync(join(dir, "node_modules", "constructs", "index.js"), 'module.exports = "nearer";');
    expect(run().stdout).toBe("nearer");
  });
});

describe("deferred modules", () => {
  test("a deferred module loads on first use and then behaves as itself (calls and property reads)", () => {
    const dir = join(work, "probe-deferred");
    mkdirSync(dir, { recursive: true });
    const heavy = join(dir, "heavy.js");
    writeFileSync(heavy, "globalThis.heavyLoaded = true; module.exports = (x) => x * 2; module.exports.answer = 42;");
    const script = `
      require(${JSON.stringify(join(js, "lib", "synth", "deferred-modules.js"))}).deferModule(${JSON.stringify(heavy)});
      const heavy = require(${JSON.stringify(heavy)});
      const before = globalThis.heavyLoaded === true;
      const doubled = heavy(21);
      const after = globalThis.heavyLoaded === true;
      process.stdout.write(JSON.stringify({ before, doubled, after, answer: heavy.answer, same: require(${JSON.stringify(heavy)}).answer }));
    `;
    const run = spawnSync(process.execPath, ["-e", script], { env: childEnv({}), encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({ before: false, doubled: 42, after: true, answer: 42, same: 42 });
  });
});
