/**
 * Jest setup file of the fast part (`npm run test:fast`: unit, property, synth): it must start no
 * terraform process at all, so a developer can run it alone in seconds. A test that tries
 * fails at once, naming the command and where such tests belong, instead of silently making
 * the fast part slow (one terraform call starts a ~700 MB provider).
 */
import childProcess from "node:child_process";

const GUARDED = ["spawn", "spawnSync", "execFile", "execFileSync", "exec", "execSync"] as const;
/** Where the guard keeps its state: on the module object, which every test file of a worker shares. */
export const NO_TERRAFORM_GUARD = Symbol.for("app-fleets.no-terraform");

interface GuardState {
  /** True while a fast-part test file runs in this worker (a worker may run other parts' files later). */
  active: boolean;
}

function startsTerraform(command: unknown): boolean {
  if (typeof command !== "string") return false;
  const program = command.trim().split(/\s+/)[0] ?? "";
  return program === "terraform" || program.endsWith("/terraform");
}

const shared = childProcess as unknown as Record<string | symbol, unknown>;
if (!shared[NO_TERRAFORM_GUARD]) {
  const state: GuardState = { active: false };
  shared[NO_TERRAFORM_GUARD] = state;
  for (const name of GUARDED) {
    const original = shared[name] as (...args: unknown[]) => unknown;
    shared[name] = function guarded(this: unknown, command: unknown, ...rest: unknown[]) {
      if (state.active && startsTerraform(command)) {
        const args = Array.isArray(rest[0]) ? (rest[0] as unknown[]).map(String) : [];
        const started = [...String(command).trim().split(/\s+/), ...args].slice(0, 3).join(" ");
        throw new Error(
          `the fast test part runs no terraform, but this test started \`${started}\`. Fix: move the test to test/terraform (run by \`npm test\`)`,
        );
      }
      return original.call(this, command, ...rest);
    };
  }
}

const guard = shared[NO_TERRAFORM_GUARD] as GuardState;
guard.active = true;
afterAll(() => {
  guard.active = false;
});
