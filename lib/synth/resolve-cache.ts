/**
 * Remembers how `require` requests resolved (~600 per synth of the two-version app, each a walk
 * of stats, realpaths and package.json reads: ~60 ms), so a synth does not repeat the same walks
 * every run. An entry is used only while what decided it is unchanged:
 *
 * - a request made from inside a node_modules folder (cdktf, the provider, their dependencies):
 *   while that folder's `.package-lock.json` (npm rewrites it on every install, ci, update and
 *   uninstall) has the same modification time and size, and the folder the same modification
 *   time (a package added or removed at the top). No npm lock there: not remembered.
 * - a request made from the app's own files: while the folders whose entries decided it keep their
 *   modification time (a folder's mtime changes when an entry is added, removed or renamed in it).
 *   For a relative request resolved to `<candidate>` or `<candidate>.js`, the candidate's folder;
 *   for a package request, that no node_modules folder exists between the requiring file and the
 *   node_modules folder it was found in (one created nearer would take precedence), plus that
 *   node_modules folder's fingerprint as above. Other outcomes (a folder's index.js, a package.json
 *   "main" of the app) are resolved as usual each time.
 *
 * The file is written whole and renamed into place (cache-dir.ts), so concurrent synths are safe.
 */
import { readFileSync, statSync } from "node:fs";
import Module from "node:module";
import { dirname, isAbsolute, join, resolve, sep } from "node:path";
import { pruneOldest, writeFileAtomically } from "../terraform/cache-dir";

/** Bump when the file layout changes. */
const FORMAT_VERSION = 3;
/** The fingerprint of a path that does not exist (a node_modules folder that must not appear). */
const ABSENT = "absent";
/** The fingerprint of a folder whose changes cannot be told (a node_modules without npm's lock). */
const UNKNOWN = "-";
const NODE_MODULES = `${sep}node_modules${sep}`;
/** Resolution files kept per folder (one per entry script and node version, beside its code cache). */
const KEEP_FILES = 16;
export const RESOLUTIONS_SUFFIX = ".resolutions.json";

/** A resolved file and what must be unchanged for it to hold: folder -> fingerprint. */
type Entry = [resolved: string, witnesses: Record<string, string>];

interface ResolutionFile {
  readonly format: number;
  /** `<requiring folder>\0<request>` -> entry. */
  readonly resolved: Record<string, Entry>;
}

type ResolveFilename = (request: string, parent: NodeModule | undefined, isMain: boolean, options?: unknown) => string;

/** The outermost node_modules folder `file` is inside, or undefined. */
function nodeModulesOf(file: string): string | undefined {
  const at = file.indexOf(NODE_MODULES);
  return at < 0 ? undefined : file.slice(0, at + NODE_MODULES.length - 1);
}

let installed = false;

/**
 * Installs the resolution cache, stored in `file`; returns the number of remembered resolutions
 * it starts with. Installing twice is a no-op.
 */
export function installResolveCache(file: string): number {
  if (installed) return 0;
  installed = true;
  // Fingerprints are read once per process: a synth does not install packages while it runs.
  const prints = new Map<string, string>();
  const fingerprint = (folder: string): string => {
    let print = prints.get(folder);
    if (print === undefined) {
      try {
        const mtime = statSync(folder, { throwIfNoEntry: false })?.mtimeMs;
        if (mtime === undefined) {
          print = ABSENT;
        } else if (folder.endsWith(`${sep}node_modules`)) {
          const lock = statSync(join(folder, ".package-lock.json"));
          print = `${mtime}:${lock.mtimeMs}:${lock.size}`;
        } else {
          print = String(mtime);
        }
      } catch {
        print = UNKNOWN;
      }
      prints.set(folder, print);
    }
    return print;
  };
  // Defensive about the file's content: an entry of another shape is simply not used.
  const holds = (entry: Entry) =>
    Array.isArray(entry) &&
    typeof entry[0] === "string" &&
    typeof entry[1] === "object" &&
    entry[1] !== null &&
    Object.entries(entry[1]).every(([folder, print]) => print !== UNKNOWN && fingerprint(folder) === print);

  let known: Record<string, Entry> = {};
  try {
    const stored = JSON.parse(readFileSync(file, "utf8")) as ResolutionFile;
    if (stored.format === FORMAT_VERSION) known = stored.resolved;
  } catch {
    // No file yet, or a damaged one: resolve as usual and write a new one.
  }
  const startedWith = Object.keys(known).length;
  let changed = false;

  /** What decides how `request` from `from` resolved to `resolved`; undefined when not tracked. */
  const witnessesOf = (request: string, from: string, resolved: string): Record<string, string> | undefined => {
    const folders: string[] = [];
    const inside = nodeModulesOf(from);
    if (inside) {
      folders.push(inside);
    } else if (request.startsWith("./") || request.startsWith("../")) {
      const candidate = resolve(dirname(from), request);
      if (resolved !== candidate && resolved !== `${candidate}.js`) return undefined;
      folders.push(dirname(candidate));
    } else {
      const found = nodeModulesOf(resolved);
      if (!found) return undefined;
      // Found in <top>/node_modules: no node_modules folder may appear between the requiring file and <top>.
      const top = dirname(found);
      for (let folder = dirname(from); folder !== top; folder = dirname(folder)) {
        if (dirname(folder) === folder) return undefined;
        folders.push(join(folder, "node_modules"));
      }
      folders.push(found);
    }
    const witnesses: Record<string, string> = {};
    for (const folder of folders) {
      const print = fingerprint(folder);
      // A folder that cannot be fingerprinted (a node_modules without npm's lock) leaves the request untracked.
      if (print === UNKNOWN) return undefined;
      witnesses[folder] = print;
    }
    return witnesses;
  };

  const internals = Module as unknown as { _resolveFilename: ResolveFilename };
  const resolveFilename = internals._resolveFilename;
  internals._resolveFilename = function cachedResolveFilename(this: unknown, request, parent, isMain, options) {
    const from = parent?.filename;
    if (options !== undefined || isMain || !from || !isAbsolute(from)) return resolveFilename.call(this, request, parent, isMain, options);
    const key = `${dirname(from)}\0${request}`;
    const entry = known[key];
    if (entry !== undefined && holds(entry)) return entry[0];
    const resolved = resolveFilename.call(this, request, parent, isMain, options);
    // Built-in modules ("fs", "node:fs") resolve to themselves at no cost: not worth remembering.
    const witnesses = isAbsolute(resolved) ? witnessesOf(request, from, resolved) : undefined;
    if (witnesses) {
      known[key] = [resolved, witnesses];
      changed = true;
    } else if (entry !== undefined) {
      delete known[key];
      changed = true;
    }
    return resolved;
  };
  process.once("exit", () => {
    if (!changed) return;
    const content: ResolutionFile = { format: FORMAT_VERSION, resolved: known };
    if (writeFileAtomically(file, JSON.stringify(content))) pruneOldest(dirname(file), KEEP_FILES, RESOLUTIONS_SUFFIX);
  });
  return startedWith;
}
