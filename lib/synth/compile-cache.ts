/**
 * V8 code cache for the CommonJS modules of a synth process (cdktf, the provider submodules, this
 * library): the approach of `v8-compile-cache`, for Node 20, which has no `module.enableCompileCache`
 * (added in Node 22.1). Compiling those ~10 MB of JavaScript is the largest single share of a synth
 * (`wrapSafe` alone ~20 % of the two-version app's CPU profile); a module whose compiled code is in the
 * cache skips parsing and compilation of every function the previous run compiled.
 *
 * How: `Module.prototype._compile` is replaced by one that compiles the module wrapper with
 * `vm.Script` and the cached data of an earlier run (V8 "consumes" it, or rejects it when the V8
 * version or flags differ: then the module is compiled as usual). At exit, when any module was
 * compiled without usable data, the cached data of every module of this run is written: after the
 * app has run, so it holds the functions compiled lazily during the run too (V8's recommended
 * moment, https://v8.dev/blog/code-caching-for-devs).
 *
 * Never stale: an entry is used only when the module's source is byte-for-byte what it was cached
 * for (SHA-1 of the source; V8 itself checks only the source length), and the cache file's name
 * carries the node version, the architecture and the entry script. Safe with concurrent synths:
 * the file is written whole under a unique name and renamed into place (see cache-dir.ts), so a
 * reader sees the old or the new file, never a torn one (a reader keeps the file it opened even
 * when a newer one is renamed over it); a damaged or foreign file is ignored.
 * `APP_FLEETS_CACHE=off` (or `APP_FLEETS_COMPILE_CACHE=off`) turns it off.
 *
 * The compiled code is V8's own; the program and its output are the same with or without the cache
 * (test/synth/fast-start.test.ts compares the synthesized JSON byte for byte).
 */
import * as crypto from "node:crypto";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import Module from "node:module";
import { basename, dirname, join } from "node:path";
import vm from "node:vm";
import { cacheSubdir, pruneOldest, writeFileAtomically } from "../terraform/cache-dir";

export const COMPILE_CACHE_SWITCH_ENV = "APP_FLEETS_COMPILE_CACHE";
/** Bump when the file layout below changes, so an old file is never parsed as a new one. */
const FORMAT_VERSION = 1;
const MAGIC = `app-fleets-v8-cache-${FORMAT_VERSION}\n`;
/** Cache files kept per folder: one per entry script and node version; older ones are pruned. */
const KEEP_FILES = 16;
/**
 * Most cached data per file. The two-version app needs ~9 MB; an app that imports the provider
 * package root would need ~175 MB (1,500 modules): past the cap, modules are recorded without
 * data, compiled from source each run, and do not make every run rewrite the file.
 */
const MAX_CACHED_BYTES = 32 * 1024 * 1024;

interface CachedModule {
  readonly sourceHash: string;
  readonly data: Buffer;
}

/** Where a module's cached data lies in the cache file. */
interface CachedEntry {
  readonly sourceHash: string;
  readonly offset: number;
  readonly length: number;
}

interface CacheFile {
  /** Open for reading while modules load; undefined when there is no usable file. */
  readonly fd: number | undefined;
  readonly modules: ReadonlyMap<string, CachedEntry>;
}

/** What one process did with the cache: for tests and for the bench's notes. */
export interface CompileCacheStats {
  /** The cache file of this process (read at start, written at exit when needed). */
  readonly file: string;
  /** Modules compiled from cached data. */
  hits: number;
  /** Modules compiled from source (not in the cache, source changed, or data rejected by V8). */
  misses: number;
  /** Whether the file was rewritten at exit. */
  written: boolean;
}

type CompileFunction = (this: NodeModule, content: string, filename: string) => unknown;

interface ModuleInternals {
  prototype: { _compile: CompileFunction };
  wrap(source: string): string;
  _resolveFilename(request: string, parent: NodeModule, isMain: boolean, options?: { paths?: string[] }): string;
  _resolveLookupPaths(request: string, parent: NodeModule): string[] | null;
  _extensions: NodeJS.RequireExtensions;
  _cache: NodeJS.Dict<NodeModule>;
}

let installed: CompileCacheStats | undefined;
/** Recorded for a module without cached data (past the size cap, or not serializable). */
const NO_DATA = Buffer.alloc(0);
const oneShotHash: ((algorithm: string, data: string) => string) | undefined = typeof crypto.hash === "function" ? crypto.hash : undefined;

/**
 * Installs the cache for every CommonJS module loaded after this call; returns what it does, or
 * undefined when the cache is off or its folder cannot be created. Installing twice is a no-op.
 * @param entry the script this process runs (names the cache file) @default process.argv[1]
 */
export function installCompileCache(entry: string = process.argv[1] ?? "unknown"): CompileCacheStats | undefined {
  if (installed) return installed;
  if ((process.env[COMPILE_CACHE_SWITCH_ENV] ?? "").toLowerCase() === "off") return undefined;
  const dir = cacheSubdir("v8-compile-cache");
  if (!dir) return undefined;
  const key = hash(`${process.version}\0${process.arch}\0${process.execArgv.join(" ")}\0${entry}`).slice(0, 16);
  const file = join(dir, `${basename(entry).replace(/[^\w.-]/g, "_")}-${process.version}-${key}.bin`);
  const previous = openCacheFile(file);
  const stats: CompileCacheStats = { file, hits: 0, misses: 0, written: false };
  const compiled = new Map<string, { sourceHash: string; script: vm.Script }>();

  const moduleInternals = Module as unknown as ModuleInternals;
  moduleInternals.prototype._compile = function compileWithCache(this: NodeModule, content: string, filename: string) {
    const sourceHash = hash(content);
    const cached = previous.modules.get(filename);
    const known = cached?.sourceHash === sourceHash;
    // Known but past the size cap: compiled from source, as recorded; not a miss.
    const usable = known && cached.length > 0 ? readCachedData(previous, cached) : undefined;
    // A hashbang is valid only at the very start of a script, not inside the module wrapper: blank it
    // to a comment of the same length, so line and column numbers stay those of the file.
    const source = content.startsWith("#!") ? `//${content.slice(2)}` : content;
    const script = new vm.Script(moduleInternals.wrap(source), {
      filename,
      cachedData: usable,
      // `import()` inside a CommonJS module resolves as it would without the cache.
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    } as vm.ScriptOptions);
    if (usable !== undefined && !script.cachedDataRejected) stats.hits++;
    else if (!(known && cached.length === 0)) stats.misses++;
    compiled.set(filename, { sourceHash, script });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, requireFor(this, moduleInternals), this, filename, dirname(filename));
  };

  process.once("exit", () => {
    try {
      // Only a run that compiled something from source has anything new to keep.
      if (stats.misses > 0) stats.written = writeCacheFile();
    } finally {
      if (previous.fd !== undefined) closeSync(previous.fd);
    }
  });
  const writeCacheFile = (): boolean => {
    const modules = new Map<string, CachedModule>();
    let total = 0;
    for (const [filename, entry] of compiled) {
      let data = NO_DATA;
      try {
        // Also for modules loaded from the cache: their data now holds what this run compiled lazily.
        if (total < MAX_CACHED_BYTES) data = entry.script.createCachedData();
      } catch {
        // A script V8 cannot serialize is compiled from source next time.
      }
      if (total + data.length > MAX_CACHED_BYTES) data = NO_DATA;
      total += data.length;
      modules.set(filename, { sourceHash: entry.sourceHash, data });
    }
    // Kept: modules of earlier runs this one did not load (another configuration, another command
    // path), so runs that load different modules do not rewrite the file in turns.
    for (const [filename, entry] of previous.modules) {
      if (modules.has(filename) || total + entry.length > MAX_CACHED_BYTES) continue;
      const data = entry.length > 0 ? readCachedData(previous, entry) : NO_DATA;
      if (data === undefined) continue;
      total += data.length;
      modules.set(filename, { sourceHash: entry.sourceHash, data });
    }
    if (!writeFileAtomically(file, serialize(modules))) return false;
    pruneOldest(dir, KEEP_FILES, ".bin");
    return true;
  };
  installed = stats;
  return stats;
}

/** The `require` a module sees, as node builds it (resolve, resolve.paths, main, extensions, cache). */
function requireFor(module: NodeModule, moduleInternals: ModuleInternals): NodeJS.Require {
  const require = ((id: string) => module.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: { paths?: string[] }) =>
    moduleInternals._resolveFilename(request, module, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => moduleInternals._resolveLookupPaths(request, module);
  require.resolve = resolve;
  require.main = process.mainModule;
  require.extensions = moduleInternals._extensions;
  require.cache = moduleInternals._cache;
  return require;
}

/** SHA-1 of a module's source; the one-shot `crypto.hash` (Node >= 20.12) costs half of a Hash object per module. */
function hash(text: string): string {
  return oneShotHash ? oneShotHash("sha1", text) : crypto.createHash("sha1").update(text).digest("hex");
}

/**
 * File layout: MAGIC, a 4-byte length, a JSON index `[filename, sourceHash, byteLength][]`, then the
 * cached data of each module in index order.
 */
function serialize(modules: ReadonlyMap<string, CachedModule>): Buffer {
  const index = JSON.stringify([...modules].map(([filename, m]) => [filename, m.sourceHash, m.data.length]));
  const indexBytes = Buffer.from(index, "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32LE(indexBytes.length);
  return Buffer.concat([Buffer.from(MAGIC, "utf8"), length, indexBytes, ...[...modules.values()].map((m) => m.data)]);
}

/**
 * The index of a cache file (each module's source hash and where its data lies); empty when the
 * file is missing, damaged or of another format. The data itself is read module by module as the
 * modules load (`readCachedData`), so the process never holds the whole file: ~9 MB of peak memory
 * for the two-version app.
 */
function openCacheFile(file: string): CacheFile {
  const empty: CacheFile = { fd: undefined, modules: new Map() };
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return empty;
  }
  try {
    const size = fstatSync(fd).size;
    const magic = Buffer.byteLength(MAGIC);
    const head = Buffer.alloc(magic + 4);
    if (readSync(fd, head, 0, head.length, 0) !== head.length || head.subarray(0, magic).toString("utf8") !== MAGIC)
      throw new Error("not a cache file");
    const indexLength = head.readUInt32LE(magic);
    const indexBytes = Buffer.alloc(indexLength);
    if (readSync(fd, indexBytes, 0, indexLength, head.length) !== indexLength) throw new Error("truncated index");
    const index = JSON.parse(indexBytes.toString("utf8")) as [string, string, number][];
    const modules = new Map<string, CachedEntry>();
    let offset = head.length + indexLength;
    for (const [filename, sourceHash, length] of index) {
      modules.set(filename, { sourceHash, offset, length });
      offset += length;
    }
    if (offset !== size) throw new Error("truncated data");
    return { fd, modules };
  } catch {
    closeSync(fd);
    return empty;
  }
}

/** The cached data of one module, or undefined when it cannot be read. */
function readCachedData(cache: CacheFile, entry: CachedEntry): Buffer | undefined {
  if (cache.fd === undefined) return undefined;
  try {
    const data = Buffer.allocUnsafe(entry.length);
    return readSync(cache.fd, data, 0, entry.length, entry.offset) === entry.length ? data : undefined;
  } catch {
    return undefined;
  }
}
