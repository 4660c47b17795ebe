/**
 * Synthesizes an app all-or-nothing. cdktf's `App.synth()` writes each stack as soon as it is
 * synthesized, so when the second stack fails validation the first stack's cdk.tf.json is
 * already on disk beside the previous run's files: a half-written output that `cdktf deploy`
 * or a CI job may pick up. Here every stack is synthesized into a staging directory next to
 * the output directory, and the staging directory replaces the output only when every stack,
 * every validation (including the policy pack) and the manifest succeeded. Changed stack lock files
 * (lib/lock) are written then too, just before the swap.
 */
import { App, Manifest, TerraformStack } from "cdktf";
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { StackLock } from "../lock/stack-lock";

/** What a successful run wrote. */
export interface AtomicSynthResult {
  /** The output directory, now holding the new synthesis. */
  readonly outdir: string;
  /** Construct paths of the synthesized stacks. */
  readonly stacks: readonly string[];
}

/**
 * Prepares, validates and synthesizes every stack of `app` into a staging directory, then swaps
 * it in for `app.outdir`. On any error the staging directory is deleted, the previous output is
 * left as it was (an output directory that only `new App()` created is removed), and the error
 * is rethrown.
 */
export function synthAtomically(app: App): AtomicSynthResult {
  const outdir = resolve(app.outdir);
  const createdByApp = isEmptySkeleton(outdir);
  const staging = mkdtempSync(join(dirname(outdir), `.${basename(outdir)}.staging-`));
  try {
    const stacks = app.node.findAll().filter(TerraformStack.isStack);
    // Stack lock files are written below, once everything succeeded; the app validation only checks them.
    StackLock.holdWrites(app);
    stacks.forEach((stack) => stack.prepareStack());
    const manifest = new Manifest(app.manifest.version, staging, app.hclOutput);
    const session = { outdir: staging, skipValidation: app.skipValidation, manifest };
    // Each stack runs its aspects and validations before writing; a throw stops the run here.
    stacks.forEach((stack) => stack.synthesizer.synthesize(session));
    if (!app.skipValidation) {
      const errors = app.node.validate();
      if (errors.length > 0) throw new Error(`App-level validation failed with the following errors:\n  ${errors.join("\n  ")}`);
    }
    manifest.writeToFile();
    // Changed stack locks, atomically each, before the new output replaces the old one.
    StackLock.allOf(app).forEach((lock) => lock.write());
    swapIn(staging, outdir);
    return { outdir, stacks: stacks.map((s) => s.node.path) };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (createdByApp) rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
}

/** True when `dir` holds nothing but the empty `stacks` folder that `new App()` creates. */
function isEmptySkeleton(dir: string): boolean {
  if (!existsSync(dir)) return true;
  const entries = readdirSync(dir);
  if (entries.length === 0) return true;
  if (entries.length !== 1 || entries[0] !== Manifest.stacksFolder) return false;
  const stacksDir = join(dir, Manifest.stacksFolder);
  return statSync(stacksDir).isDirectory() && readdirSync(stacksDir).length === 0;
}

/**
 * Replaces `outdir` with `staging`. Entries that synthesis does not produce (a stack's
 * `.terraform` directory and lock file from an earlier `cdktf deploy`, plan files) are carried
 * over so the swap costs no re-init.
 */
function swapIn(staging: string, outdir: string): void {
  if (!existsSync(outdir)) {
    renameSync(staging, outdir);
    return;
  }
  carryOver(outdir, staging);
  const oldStacks = join(outdir, Manifest.stacksFolder);
  if (existsSync(oldStacks)) {
    for (const stack of readdirSync(oldStacks)) {
      const target = join(staging, Manifest.stacksFolder, stack);
      if (existsSync(target)) carryOver(join(oldStacks, stack), target);
    }
  }
  const previous = `${staging}.previous`;
  renameSync(outdir, previous);
  try {
    renameSync(staging, outdir);
  } catch (error) {
    renameSync(previous, outdir);
    throw error;
  }
  rmSync(previous, { recursive: true, force: true });
}

/**
 * Moves entries of `from` that `to` lacks into `to`. Folders of stacks no longer in the app are
 * not carried: the manifest no longer lists them, and their state lives with the backend.
 */
function carryOver(from: string, to: string): void {
  for (const entry of readdirSync(from)) {
    if (!existsSync(join(to, entry))) renameSync(join(from, entry), join(to, entry));
  }
}
