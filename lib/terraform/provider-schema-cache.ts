/**
 * `terraform providers schema -json` for the AWS provider, fetched once per machine.
 * The call starts the ~700 MB provider and prints ~14 MB, so the result is kept in memory
 * and on disk, keyed by provider version and mirror: a provider build never changes.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProviderMirror } from "./mirror";
import { OfflineWorkspace } from "./offline-workspace";
import { ProviderSchemasJson } from "./provider-schema";

const inMemory = new Map<string, Promise<ProviderSchemasJson>>();

function cachePath(mirror: ProviderMirror): string {
  const key = createHash("sha256").update(`${mirror.path}\n${mirror.version}`).digest("hex").slice(0, 16);
  return join(tmpdir(), `app-fleets-aws-${mirror.version}-schema-${key}.json`);
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
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, JSON.stringify(schemas));
    renameSync(partial, path);
    return schemas;
  })();
  inMemory.set(path, loading);
  loading.catch(() => inMemory.delete(path));
  return loading;
}
