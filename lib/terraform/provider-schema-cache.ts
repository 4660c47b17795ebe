/**
 * `terraform providers schema -json` for the AWS provider, fetched once per machine.
 * The call starts the ~700 MB provider and prints ~14 MB, so the result is kept in memory
 * and on disk (in the cache folder of cache-dir.ts, else the temporary folder), keyed by
 * provider version and mirror: a provider build never changes.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cacheSubdir, writeFileAtomically } from "./cache-dir";
import { ProviderMirror } from "./mirror";
import { OfflineWorkspace } from "./offline-workspace";
import { ProviderSchemasJson } from "./provider-schema";

const inMemory = new Map<string, Promise<ProviderSchemasJson>>();

function cachePath(mirror: ProviderMirror): string {
  const key = createHash("sha256").update(`${mirror.path}\n${mirror.version}`).digest("hex").slice(0, 16);
  return join(cacheSubdir("provider-schemas") ?? tmpdir(), `app-fleets-aws-${mirror.version}-schema-${key}.json`);
}

/** The provider schemas, read through `workspace` on the first call on this machine. */
export function providerSchemas(workspace: OfflineWorkspace, mirror: ProviderMirror): Promise<ProviderSchemasJson> {
  const path = cachePath(mirror);
  const cached = inMemory.get(path);
  if (cached) return cached;
  const loading = (async () => {
    if (existsSync(path)) {
      try {
        return JSON.parse(readFileSync(path, "utf8")) as ProviderSchemasJson;
      } catch {
        // A torn or foreign file: fetch again below.
      }
    }
    const schemas = (await workspace.providerSchemasJson()) as unknown as ProviderSchemasJson;
    // Write then rename, so a parallel reader never sees half a file.
    writeFileAtomically(path, JSON.stringify(schemas));
    return schemas;
  })();
  inMemory.set(path, loading);
  loading.catch(() => inMemory.delete(path));
  return loading;
}
