// Jest runtime (jest.config.js `runtime`) that keeps V8's code cache of each module for the life
// of a worker. Jest gives every test file a fresh module registry and
// compiles every module again for it (jest-runtime `compile`: vm.compileFunction); a worker runs
// dozens of files that load the same cdktf and provider modules, ~10 MB of JavaScript. Profiled on
// the synth tests, compiling was ~20 % of their CPU. The cache (V8 `cachedData`, see Node's
// vm.compileFunction docs) holds compiled bytecode only: each file still runs every module afresh
// in its own context, so test isolation is unchanged. An entry serves only the exact source it was
// made from (a file edited or instrumented differently is compiled again). Measured on
// test/synth/router + test/synth/policy in one process: 14-17 CPU s instead of 17-19.
const { compileFunction } = require("node:vm");
const Runtime = require("jest-runtime").default;

/** filename -> the source it was compiled from and the code cache V8 produced for it. */
const codeCache = new Map();

/** Jest 30 compiles in the runtime's module executor (jest-runtime ModuleExecutor#compile). */
function cachingCompile(executor) {
  const jestCompile = executor.compile.bind(executor);
  return function compile(scriptSource, filename) {
    const vmContext = executor.environment.getVmContext();
    if (vmContext == null) return jestCompile(scriptSource, filename);
    const known = codeCache.get(filename);
    const cachedData = known && known.source === scriptSource ? known.data : undefined;
    let compiled;
    try {
      compiled = compileFunction(scriptSource, executor.injectedModuleParameters, {
        filename,
        parsingContext: vmContext,
        cachedData,
        produceCachedData: cachedData === undefined,
        importModuleDynamically: (specifier, _fn, attributes, ...rest) =>
          executor.dynamicImport(specifier, filename, vmContext, attributes, rest[0]),
      });
    } catch {
      // Whatever jest does with a module that fails to compile (its error messages), it does here too.
      return jestCompile(scriptSource, filename);
    }
    if (cachedData === undefined && compiled.cachedData) codeCache.set(filename, { source: scriptSource, data: compiled.cachedData });
    else if (compiled.cachedDataRejected) codeCache.delete(filename);
    return compiled;
  };
}

class CodeCacheRuntime extends Runtime {
  constructor(...args) {
    super(...args);
    // Without the executor (another jest version), jest compiles as it always does.
    if (this.executor && typeof this.executor.compile === "function") this.executor.compile = cachingCompile(this.executor);
  }
}

module.exports = CodeCacheRuntime;
