/**
 * Errors read like errors: `app-fleets` and the app builder report a bad configuration as a short
 * list, once, with no stack trace. The same through the example app and `cdktf synth` as processes
 * is test/package/error-output.test.ts (they start node and the cdktf CLI: the package part).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { ConfigError } from "../../../lib/core/errors";
import { main } from "../../../bin/app-fleets";
import { buildApp } from "../../../stacks/build-app";
import { exampleJson } from "../../support/layouts";

describe("a bad configuration is printed as a short list", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "app-fleets-errors-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("app-fleets prints a bad routing table as the list and exits with 1", async () => {
    const table = join(dir, "routing.json");
    writeFileSync(table, '{\n  "default": "rails3",\n  "routes": [{ "name": "x", "match": { "path": ["/x"] }, "to": "rails4" }]\n}');
    const err: string[] = [];
    const code = await main(["table", "--table", table], { out: () => undefined, err: (t) => err.push(t) });
    expect(code).toBe(1);
    expect(err.join("\n")).toMatch(
      /routing\.json: routes\[0\]\.match\.path = \["\/x"\]: is not a known setting\. Fix: did you mean "paths"\?/,
    );
    expect(err.join("\n")).not.toMatch(/^\s+at /m);
  });

  test("two configurations that make the same stack ID are both named", () => {
    const other = join(dir, "copy.json");
    const first = join(dir, "first.json");
    writeFileSync(first, JSON.stringify(exampleJson("blue-green.production.json")));
    writeFileSync(other, JSON.stringify(exampleJson("blue-green.production.json")));
    let error: unknown;
    try {
      buildApp(new App({ outdir: join(dir, "unused") }), [first, other]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      'copy.json: environment = "prod": makes stack ID "blue-green-prod" (<layout>-<environment>), which first.json makes too; one app holds one stack per ID. Fix: give one of first.json and copy.json another environment name, or remove one of them',
    );
  });
});
