/**
 * cdktf records a full stack trace (`Error.captureStackTrace` with no frame limit, formatted to
 * strings) in every `Intrinsic`, `Lazy` and dynamic-block token it creates, only to quote it in the
 * message of an error when such a token cannot be resolved (cdktf lib/tokens/resolvable.js,
 * lib/errors.js). A synth creates thousands of tokens: ~20 % of the per-fleet cost and much of the
 * garbage. The App's `stackTraces: false` covers construct metadata only, and cdktf has no switch
 * for tokens, so the synth entry points replace the capture with one that records nothing.
 * The synthesized configuration does not change (no creation stack is ever written to it); only a
 * token resolution error loses its "Object creation stack" lines: set APP_FLEETS_TOKEN_STACKS=on
 * to keep them while chasing one.
 */
import { dirname, join } from "node:path";

export const TOKEN_STACKS_ENV = "APP_FLEETS_TOKEN_STACKS";

interface StackTraceModule {
  captureStackTrace: (below?: unknown) => string[];
}

/**
 * Makes cdktf's token constructors skip the creation stack. Returns whether it did: false when
 * APP_FLEETS_TOKEN_STACKS=on, or when the installed cdktf no longer has the module (then nothing changes).
 */
export function skipTokenCreationStacks(env: NodeJS.ProcessEnv = process.env): boolean {
  if ((env[TOKEN_STACKS_ENV] ?? "").toLowerCase() === "on") return false;
  let module: StackTraceModule;
  try {
    // By file, not by package subpath: cdktf's package.json "exports" hides lib/tokens/private.
    // Call sites read the export at each call (`(0, stack_trace_1.captureStackTrace)()`), so the
    // replacement applies to every token created from now on, whichever module creates it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    module = require(join(dirname(require.resolve("cdktf")), "tokens", "private", "stack-trace.js")) as StackTraceModule;
  } catch {
    return false;
  }
  if (typeof module.captureStackTrace !== "function") return false;
  module.captureStackTrace = () => [];
  return true;
}
