/**
 * `app-fleets drift` and `explain --live`: usage errors and an unreachable AWS endpoint fail with
 * one clear line, before or instead of a stack trace. (Against a deployed stack: test/deploy.)
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXAMPLE_CONFIG_DIR } from "../../../stacks/build-app";
import { runAppFleets } from "../../support/moto/cli-run";

/** A loopback port nothing listens on: the SDK's connection is refused at once, nothing leaves the machine. */
const CLOSED_ENDPOINT = {
  AWS_ENDPOINT_URL: "http://127.0.0.1:9",
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_MAX_ATTEMPTS: "1",
};
const CONFIG = join(EXAMPLE_CONFIG_DIR, "two-version.staging.json");

let dir: string;
let table: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "app-fleets-live-"));
  table = join(dir, "routing.json");
  writeFileSync(table, JSON.stringify({ default: "rails3", routes: [{ name: "hoge", match: { paths: ["/hoge/*"] }, to: "rails4" }] }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("live commands", () => {
  test("drift without a configuration or table is a usage error naming both ways to give one", async () => {
    const result = await runAppFleets({}, "drift");
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^drift: nothing to compare with\. Fix: pass --config FILE .* or --table FILE with --load-balancer NAME/);
  });

  test("explain options that describe a live load balancer need --live (--config alone explains offline)", async () => {
    const result = await runAppFleets({}, "explain", "https://www.example.com/", "--config", CONFIG, "--load-balancer", "staging-web-alb");
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^explain: --load-balancer describes a live load balancer\. Fix: add --live, or drop --load-balancer/);
  });

  test("explain --live without a load balancer to read is a usage error", async () => {
    const result = await runAppFleets({}, "explain", "https://www.example.com/", "--live");
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/no load balancer to read\. Fix: pass --config FILE .* or --load-balancer NAME/);
  });

  test("a bad --port is a usage error naming the value and the range", async () => {
    const result = await runAppFleets({}, "drift", "--config", CONFIG, "--port", "http");
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--port = "http": must be a port number \(1-65535\)/);
  });

  test("an unreachable endpoint fails with one line naming the load balancer, region and endpoint", async () => {
    const result = await runAppFleets(
      CLOSED_ENDPOINT,
      "drift",
      "--table",
      table,
      "--load-balancer",
      "staging-web-alb",
      "--region",
      "ap-northeast-1",
    );
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /^drift: reading load balancer "staging-web-alb" in ap-northeast-1 \(endpoint http:\/\/127\.0\.0\.1:9\) failed: /,
    );
    expect(result.err.split("\n")).toHaveLength(1);
  });
});
