/**
 * Builds the filesystem mirror of Terraform providers that offline previews (`plan-diff`) need,
 * from what a user already has:
 * - a working directory where `terraform init` ran: its `.terraform/providers` holds each provider
 *   in the "unpacked" layout `<host>/<namespace>/<type>/<version>/<os>_<arch>/terraform-provider-...`,
 *   which is also a filesystem mirror's unpacked layout; the same holds for a plugin cache
 *   (TF_PLUGIN_CACHE_DIR), whose entries `.terraform/providers` links to;
 * - a mirror written by `terraform providers mirror`, in the "packed" layout
 *   `<host>/<namespace>/<type>/terraform-provider-<type>_<version>_<os>_<arch>.zip`, unpacked here,
 *   because the mirror discovery of lib/terraform/mirror.ts looks for the unpacked layout.
 * Both layouts: https://developer.hashicorp.com/terraform/cli/config/config-file#provider-installation
 *
 * Files are hard-linked when the mirror is on the same file system (a provider binary is ~700 MB),
 * else copied; each lands under a temporary name and is renamed into place, so a concurrent reader
 * never sees half a binary.
 */
import {
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  createReadStream,
  createWriteStream,
  existsSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { createInflateRaw } from "node:zlib";
import { ConfigError } from "../../lib/core/errors";
import { appFleetsCacheDir } from "../../lib/terraform/cache-dir";

/** Folder of the app-fleets cache that holds the mirror `app-fleets mirror` builds by default. */
export const MIRROR_CACHE_SUBDIR = "provider-mirror";

/** The default mirror folder: `<app-fleets cache>/provider-mirror`; undefined when the cache is off. */
export function defaultMirrorDir(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string | undefined {
  const cache = appFleetsCacheDir(env, cwd);
  return cache === undefined ? undefined : join(cache, MIRROR_CACHE_SUBDIR);
}

/** The platform directory name Terraform uses for this machine, e.g. `linux_amd64`. */
export function platformDir(): string {
  const arch = process.arch === "x64" ? "amd64" : process.arch === "ia32" ? "386" : process.arch;
  return `${process.platform}_${arch}`;
}

/** One provider package placed in the mirror. */
export interface MirroredPackage {
  /** `registry.terraform.io/hashicorp/aws`. */
  readonly source: string;
  readonly version: string;
  /** `linux_amd64`. */
  readonly platform: string;
  /** How its files got there: hard-linked, copied, unpacked from a zip, or already present. */
  readonly how: "linked" | "copied" | "unpacked" | "present";
}

/**
 * Where the provider packages of `from` are: its `.terraform/providers`, or `from` itself when it
 * holds host directories (`registry.terraform.io/...`) as a plugin cache or a mirror does.
 * @throws ConfigError naming `--from` when neither is there
 */
export function providerSourceRoot(from: string): string {
  const dir = resolve(from);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ConfigError([
      {
        field: "--from",
        value: from,
        limit: "is not a directory",
        fix: "name the directory where you ran terraform init, or its .terraform/providers",
      },
    ]);
  }
  const initialized = join(dir, ".terraform", "providers");
  if (existsSync(initialized)) return initialized;
  if (hostDirs(dir).length > 0) return dir;
  throw new ConfigError([
    {
      field: "--from",
      value: from,
      limit: "holds no .terraform/providers and no provider host directory (such as registry.terraform.io/)",
      fix: "name a directory where terraform init ran (with the AWS provider), a plugin cache (TF_PLUGIN_CACHE_DIR), or a folder `terraform providers mirror` wrote",
    },
  ]);
}

function hostDirs(root: string): string[] {
  return subdirs(root).filter((name) => name.includes("."));
}

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => !name.startsWith(".") && isDirectory(join(dir, name)));
  } catch {
    return [];
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory(); // follows symlinks: .terraform/providers links into the plugin cache
  } catch {
    return false;
  }
}

const PACKED_NAME = /^terraform-provider-([^_]+)_(.+)_([a-z0-9]+_[a-z0-9]+)\.zip$/;

/**
 * Places every provider package found under `from` (see `providerSourceRoot`) into the mirror
 * folder `to`, in the unpacked layout.
 */
export async function buildProviderMirror(from: string, to: string): Promise<MirroredPackage[]> {
  const root = providerSourceRoot(from);
  const placed: MirroredPackage[] = [];
  for (const host of hostDirs(root)) {
    for (const namespace of subdirs(join(root, host))) {
      for (const type of subdirs(join(root, host, namespace))) {
        const typeDir = join(root, host, namespace, type);
        const source = `${host}/${namespace}/${type}`;
        // Unpacked: <version>/<platform>/ directories.
        for (const version of subdirs(typeDir)) {
          for (const platform of subdirs(join(typeDir, version))) {
            const how = placeFiles(
              realpathSync(join(typeDir, version, platform)),
              join(resolve(to), host, namespace, type, version, platform),
            );
            placed.push({ source, version, platform, how });
          }
        }
        // Packed: terraform-provider-<type>_<version>_<platform>.zip beside them.
        for (const file of readdirSync(typeDir)) {
          const packed = PACKED_NAME.exec(file);
          if (!packed || packed[1] !== type) continue;
          const target = join(resolve(to), host, namespace, type, packed[2], packed[3]);
          const how = (await unpackZip(join(typeDir, file), target)) ? "unpacked" : "present";
          placed.push({ source, version: packed[2], platform: packed[3], how });
        }
      }
    }
  }
  return placed;
}

/** Links (or copies) the files of one unpacked package; returns how, or "present" when nothing was missing. */
function placeFiles(sourceDir: string, targetDir: string): MirroredPackage["how"] {
  mkdirSync(targetDir, { recursive: true });
  let how: MirroredPackage["how"] = "present";
  for (const name of readdirSync(sourceDir)) {
    const source = realpathSync(join(sourceDir, name));
    const stat = statSync(source);
    if (!stat.isFile()) continue;
    const target = join(targetDir, name);
    if (existsSync(target) && statSync(target).size === stat.size) continue;
    const partial = `${target}.${process.pid}.partial`;
    rmSync(partial, { force: true });
    try {
      linkSync(source, partial);
      how = how === "copied" ? "copied" : "linked";
    } catch {
      // Another file system (EXDEV) or no link permission: copy, as a clone where the file system can.
      copyFileSync(source, partial, constants.COPYFILE_FICLONE);
      chmodSync(partial, stat.mode & 0o777);
      how = "copied";
    }
    renameSync(partial, target);
  }
  return how;
}

/** One entry of a zip's central directory. */
interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly localHeaderOffset: number;
  readonly mode: number;
}

/**
 * Unpacks a provider zip (stored or deflated entries, as Terraform's release archives are) into
 * `targetDir`; returns false when every file was already there.
 */
async function unpackZip(zipFile: string, targetDir: string): Promise<boolean> {
  const entries = readZipDirectory(zipFile);
  mkdirSync(targetDir, { recursive: true });
  let wrote = false;
  for (const entry of entries) {
    if (entry.name.endsWith("/") || entry.name.includes("..") || entry.name.startsWith("/")) continue;
    const target = join(targetDir, entry.name);
    if (existsSync(target)) continue;
    const start = entry.localHeaderOffset + localHeaderLength(zipFile, entry.localHeaderOffset);
    const partial = `${target}.${process.pid}.partial`;
    mkdirSync(join(target, ".."), { recursive: true });
    const input = createReadStream(zipFile, { start, end: start + entry.compressedSize - 1 });
    const output = createWriteStream(partial, { mode: entry.mode || 0o755 });
    if (entry.method === 8) await pipeline(input, createInflateRaw(), output);
    else if (entry.method === 0) await pipeline(input, output);
    else
      throw new Error(
        `${zipFile}: ${entry.name} uses zip compression method ${entry.method}; only stored and deflated entries are supported`,
      );
    renameSync(partial, target);
    wrote = true;
  }
  return wrote;
}

function readAt(file: string, position: number, length: number): Buffer {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(length);
    const read = readSync(fd, buffer, 0, length, position);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

function readZipDirectory(zipFile: string): ZipEntry[] {
  const size = statSync(zipFile).size;
  // The end-of-central-directory record sits in the last 22 bytes plus a comment of at most 64 KiB.
  const tailStart = Math.max(0, size - 22 - 0xffff);
  const tail = readAt(zipFile, tailStart, size - tailStart);
  const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error(`${zipFile} is not a zip archive (no end-of-central-directory record)`);
  const count = tail.readUInt16LE(eocd + 10);
  const directorySize = tail.readUInt32LE(eocd + 12);
  const directoryOffset = tail.readUInt32LE(eocd + 16);
  if (directoryOffset === 0xffffffff) throw new Error(`${zipFile} is a zip64 archive, which is not supported`);
  const directory = readAt(zipFile, directoryOffset, directorySize);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (directory.readUInt32LE(at) !== 0x02014b50) throw new Error(`${zipFile}: damaged central directory`);
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    entries.push({
      method: directory.readUInt16LE(at + 10),
      compressedSize: directory.readUInt32LE(at + 20),
      localHeaderOffset: directory.readUInt32LE(at + 42),
      // Unix permission bits, kept by zip in the high half of the external attributes.
      mode: (directory.readUInt32LE(at + 38) >>> 16) & 0o777,
      name: directory.toString("utf8", at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function localHeaderLength(zipFile: string, offset: number): number {
  const header = readAt(zipFile, offset, 30);
  if (header.readUInt32LE(0) !== 0x04034b50) throw new Error(`${zipFile}: damaged local header at ${offset}`);
  return 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
}
