/**
 * The AWS CDK peer lives in its own package (bench/peer-aws-cdk: package.json and lock), not in
 * the library's dependencies: `npm ci` of the library never installs it. The bench installs it
 * on demand, exactly as locked (`npm ci --prefix bench/peer-aws-cdk`), and compiles its app with
 * swc next to its own node_modules, so it runs as plain node exactly like ours.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export const PEER_DIR = "bench/peer-aws-cdk";
const PEER_SOURCE = "two-version.ts";
/** Inside the peer's folder, so `require("aws-cdk-lib")` finds the peer's own node_modules. */
export const PEER_ENTRY = `${PEER_DIR}/.cache/two-version.js`;

export type PeerStatus =
  | { readonly ready: true; readonly awsCdkLib: string; readonly constructs: string; readonly installed: boolean }
  | { readonly ready: false; readonly reason: string };

function lockedVersion(peerRoot: string, name: string): string | undefined {
  const lock = JSON.parse(readFileSync(join(peerRoot, "package-lock.json"), "utf8")) as { packages?: Record<string, { version?: string }> };
  return lock.packages?.[`node_modules/${name}`]?.version;
}

function installedVersion(peerRoot: string, name: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(peerRoot, "node_modules", name, "package.json"), "utf8")) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Installs the peer when missing or not the locked version, compiles its app; says why when it cannot. */
export function preparePeer(repoRoot: string, log: (line: string) => void): PeerStatus {
  const peerRoot = join(repoRoot, PEER_DIR);
  if (!existsSync(join(peerRoot, "package-lock.json"))) return { ready: false, reason: `${PEER_DIR}/package-lock.json is missing` };
  const wanted = { awsCdkLib: lockedVersion(peerRoot, "aws-cdk-lib"), constructs: lockedVersion(peerRoot, "constructs") };
  if (!wanted.awsCdkLib) return { ready: false, reason: `${PEER_DIR}/package-lock.json locks no aws-cdk-lib` };
  let installed = false;
  if (installedVersion(peerRoot, "aws-cdk-lib") !== wanted.awsCdkLib || installedVersion(peerRoot, "constructs") !== wanted.constructs) {
    log(`AWS CDK peer: installing aws-cdk-lib ${wanted.awsCdkLib} as locked: npm ci --prefix ${PEER_DIR}`);
    const npm = spawnSync("npm", ["ci", "--prefix", peerRoot, "--no-audit", "--no-fund"], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
    });
    if (npm.status !== 0) {
      const output = `${npm.stderr ?? ""}${npm.stdout ?? ""}`.trim().split("\n").slice(-3).join(" / ");
      return { ready: false, reason: `npm ci --prefix ${PEER_DIR} failed (${npm.error?.message ?? `exit ${npm.status}`}): ${output}` };
    }
    installed = true;
  }
  const source = join(peerRoot, PEER_SOURCE);
  const entry = join(repoRoot, PEER_ENTRY);
  if (!existsSync(entry) || statSync(entry).mtimeMs < statSync(source).mtimeMs) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { transformFileSync } = require("@swc/core") as typeof import("@swc/core");
    const { code } = transformFileSync(source, {
      jsc: { parser: { syntax: "typescript" }, target: "es2022" },
      module: { type: "commonjs" },
      sourceMaps: false,
    });
    mkdirSync(dirname(entry), { recursive: true });
    writeFileSync(entry, code);
  }
  return {
    ready: true,
    awsCdkLib: installedVersion(peerRoot, "aws-cdk-lib") ?? "?",
    constructs: installedVersion(peerRoot, "constructs") ?? "?",
    installed,
  };
}
