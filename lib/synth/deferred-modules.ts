/**
 * cdktf loads two dependency trees at start that a synth of this library's stacks never runs:
 * `archiver` (zip files for `TerraformAsset`; ~200 modules with lodash, readable-stream, glob,
 * plus node's stream, zlib and fs/promises) and `semver` (45 modules, for the Terraform version
 * checks of import and move blocks). Loading them was a third of the start-up's CPU after the
 * code cache. `deferCdktfDependencies` lets them load on first use instead: until then cdktf's
 * `require` returns a stand-in that loads the real module the moment anything touches it (a call,
 * a property read), and behaves as the real one from then on. Assets and version checks work as
 * before: cdktf zips an archive asset in a child process (`node lib/private/fs.js <src> <dest>`,
 * cdktf's way to make an async zip synchronous), which loads archiver there as always; `semver`
 * is read the first time a version check runs. A synth that needs neither never loads them.
 * Nothing in the synthesized output depends on when a module is loaded.
 */
import Module from "node:module";
import { dirname } from "node:path";

/** The dependencies cdktf requires at load time but uses only in features the stacks may not use. */
export const DEFERRED_CDKTF_DEPENDENCIES = ["archiver", "semver"] as const;

interface ModuleInternals {
  new (id: string, parent?: NodeModule): NodeModule;
  _cache: NodeJS.Dict<NodeModule>;
}

/**
 * Defers cdktf's `archiver` and `semver` (see the file comment). Call before cdktf is loaded; a
 * dependency that is already loaded or cannot be found is left alone. Returns the deferred names.
 */
export function deferCdktfDependencies(): string[] {
  let cdktfLib: string;
  try {
    cdktfLib = dirname(require.resolve("cdktf"));
  } catch {
    return [];
  }
  return DEFERRED_CDKTF_DEPENDENCIES.filter((name) => {
    try {
      // Resolved from cdktf's own folder: the file cdktf's `require(name)` gets (its bundled copy).
      return deferModule(require.resolve(name, { paths: [cdktfLib] }));
    } catch {
      return false;
    }
  });
}

/**
 * Puts a stand-in for the module at `filename` (a resolved path) into node's module cache; the
 * first use replaces it with the real module. Returns false when the module is already loaded.
 */
export function deferModule(filename: string): boolean {
  const internals = Module as unknown as ModuleInternals;
  if (internals._cache[filename]) return false;
  let real: unknown;
  const load = (): unknown => {
    if (real === undefined) {
      if (internals._cache[filename] === standIn) delete internals._cache[filename];
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      real = require(filename);
    }
    return real;
  };
  // A function target, so a module that exports a function (archiver) can be called through it.
  const exports = new Proxy(function deferred() {}, {
    apply: (_target, self, args) => Reflect.apply(load() as (...a: unknown[]) => unknown, self, args),
    construct: (_target, args) => Reflect.construct(load() as new (...a: unknown[]) => object, args),
    get: (_target, property) => Reflect.get(load() as object, property),
    set: (_target, property, value) => Reflect.set(load() as object, property, value),
    has: (_target, property) => Reflect.has(load() as object, property),
  });
  const standIn = new internals(filename);
  standIn.filename = filename;
  standIn.exports = exports;
  standIn.loaded = true;
  internals._cache[filename] = standIn;
  return true;
}
