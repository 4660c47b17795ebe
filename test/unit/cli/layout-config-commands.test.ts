/**
 * `table`, `explain`, `mermaid` and `summary` read the layout configuration files `cdktf synth`
 * reads, of both layouts, one file or a directory, and show what synth builds from them: the same
 * rules with the same priorities (from the stack lock beside the file, never written), the same
 * outputs.
 */
import { readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { InMemoryStackLock } from "../../../lib/lock/stack-lock-store";
import { renderRuleTable } from "../../../lib/routing/render";
import { addLayoutStack, lockFileOf } from "../../../stacks/build-app";
import { parseLayoutConfig } from "../../../stacks/config/load-config";
import type { FleetEnvironmentStack } from "../../../stacks/layouts/fleet-environment";
import { COMMANDS } from "../../../bin/commands";
import { exampleJson } from "../../support/layouts";
import { EXAMPLES, runCli, scratchExamples, writeConfig } from "./cli-helpers";

type Example = "two-version.staging.json" | "blue-green.production.json";

/** The stack synth builds from a configuration (edited), with the lock beside the example copy read in memory. */
function synthesizedStack(dir: string, file: Example, raw = exampleJson(file)): FleetEnvironmentStack {
  const config = parseLayoutConfig(raw, file);
  const lock = new InMemoryStackLock(readFileSync(lockFileOf(join(dir, file)), "utf8"), { location: "lock copy" });
  return addLayoutStack(Testing.app(), config, file, { lockFile: lock }) as FleetEnvironmentStack;
}

/** The CLI's table without its heading line. */
function tableBody(out: string): string {
  return out.split("\n").slice(1).join("\n");
}

let dir: string;
beforeEach(() => {
  dir = scratchExamples();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("table --config prints the listener rules synth builds for the stack", () => {
  const variants: [string, Example, (c: any) => void][] = [
    ["the two-version example", "two-version.staging.json", () => undefined],
    ["the Blue/Green example (rules derived from its stage)", "blue-green.production.json", () => undefined],
    ["a Blue/Green stage that splits 50/50", "blue-green.production.json", (c) => (c.traffic.stage = "blue-split-50")],
    ["after the full switch to green", "blue-green.production.json", (c) => (c.traffic.stage = "green")],
    ["with maintenance switched on (bypass by IP and header)", "two-version.staging.json", (c) => (c.routing.maintenance.enabled = true)],
    [
      "with a canary on rails4 (its target group shares the forwards)",
      "two-version.staging.json",
      (c) => (c.fleets.rails4.canary = { imageId: "ami-0fedcba9876543210", sharePercent: 10 }),
    ],
    [
      "with a new route the lock has no number for",
      "two-version.staging.json",
      (c) => c.routing.routes.push({ name: "api", match: { paths: ["/api/*"] }, to: "rails4" }),
    ],
  ];
  test.each(variants)("%s: same keys, priorities, conditions, actions and rule counts", async (_name, file, edit) => {
    const raw = exampleJson(file);
    edit(raw);
    const path = writeConfig(dir, file, raw);
    const cli = await runCli(["table", "--config", path]);
    expect(cli.err).toBe("");
    expect(cli.code).toBe(0);
    const stack = synthesizedStack(dir, file, raw);
    expect(tableBody(cli.out)).toBe(renderRuleTable(stack.router.compiled).trimEnd());
  });

  test("the counts include the anchor rules (one per fleet) and the rules maintenance adds when switched on", async () => {
    const cli = await runCli(["table", "--config", join(dir, "two-version.staging.json")]);
    expect(cli.out.split("\n").pop()).toBe("rules: 8 + 2 other of 100; with maintenance on: 28 of 100 (maintenance adds 18), headroom 72");
  });

  test("a heading names the stack, its file and where the priorities come from", async () => {
    const withLock = await runCli(["table", "--config", join(dir, "two-version.staging.json")]);
    expect(withLock.out.split("\n")[0]).toBe(
      "== two-version-staging (two-version.staging.json, two-version layout): priorities from two-version.staging.lock.json",
    );
    rmSync(lockFileOf(join(dir, "blue-green.production.json")));
    const fresh = await runCli(["table", "--config", join(dir, "blue-green.production.json")]);
    expect(fresh.out.split("\n")[0]).toBe(
      "== blue-green-prod (blue-green.production.json, blue-green layout): no stack lock beside it: priorities as a first synth would allocate them",
    );
  });

  test("priorities come from the stack lock beside the file, which the commands never write", async () => {
    const config = join(dir, "two-version.staging.json");
    const lockPath = lockFileOf(config);
    const before = { text: readFileSync(lockPath, "utf8"), mtimeMs: statSync(lockPath).mtimeMs };
    const held = JSON.parse(before.text).routers.web.trafficRules.held as Record<string, number>;
    const table = await runCli(["table", "--config", config]);
    for (const [key, priority] of Object.entries(held)) expect(table.out).toMatch(new RegExp(`^${priority}\\s+${key}\\s`, "m"));
    // A route the lock does not know gets a number, shown but not recorded.
    const raw = exampleJson("two-version.staging.json");
    raw.routing.routes.push({ name: "api", match: { paths: ["/api/*"] }, to: "rails4" });
    writeConfig(dir, "two-version.staging.json", raw);
    for (const argv of [["table"], ["summary"], ["mermaid"], ["explain", "https://example.com/api/1"]]) {
      expect((await runCli([...argv, "--config", config])).code).toBe(0);
    }
    expect(readFileSync(lockPath, "utf8")).toBe(before.text);
    expect(statSync(lockPath).mtimeMs).toBe(before.mtimeMs);
  });
});

describe("a directory of configurations, as cdktf synth reads it", () => {
  test("table prints every stack under its heading; --stack picks one", async () => {
    const all = await runCli(["table", "--config", dir]);
    expect(all.code).toBe(0);
    expect(
      all.out
        .split("\n")
        .filter((l) => l.startsWith("== "))
        .map((l) => l.split(" ")[1]),
    ).toEqual(["blue-green-prod", "two-version-staging"]);
    const one = await runCli(["table", "--config", dir, "--stack", "two-version-staging"]);
    expect(
      one.out
        .split("\n")
        .filter((l) => l.startsWith("== "))
        .map((l) => l.split(" ")[1]),
    ).toEqual(["two-version-staging"]);
  });

  test("an unknown --stack exits 2 naming the stacks there", async () => {
    const r = await runCli(["table", "--config", dir, "--stack", "two-version-prod"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /--stack two-version-prod: .* has no stack with this ID; it has blue-green-prod, two-version-staging\. Fix: pass one of them/,
    );
  });

  test("without --config the commands read APP_FLEETS_CONFIG, like cdktf synth", async () => {
    const r = await runCli(["summary", "--json"], { APP_FLEETS_CONFIG: dir });
    expect(r.code).toBe(0);
    expect(Object.keys(JSON.parse(r.out))).toEqual(["blue-green-prod", "two-version-staging"]);
  });

  test("explain needs one stack: a directory of several asks for --stack (exit 2)", async () => {
    const r = await runCli(["explain", "https://example.com/", "--config", dir]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/holds 2 stacks \(blue-green-prod, two-version-staging\).*Fix: add --stack blue-green-prod/);
    const one = await runCli(["explain", "https://example.com/", "--config", dir, "--stack", "blue-green-prod", "--json"]);
    expect(JSON.parse(one.out).fleets).toEqual([
      { name: "blue", weight: 90, percent: 90 },
      { name: "green", weight: 10, percent: 10 },
    ]);
  });
});

describe("explain on a configuration file", () => {
  test("two-version: the override header from a staff address reaches rails4; from elsewhere the route's weights apply", async () => {
    const staff = await runCli([
      "explain",
      "https://example.com/hoge/1",
      "-H",
      "X-Backend-Version: 4",
      "--source-ip",
      "203.0.113.10",
      "--config",
      EXAMPLES.twoVersion,
    ]);
    expect(staff.out).toContain('matches override-rails4-0 (priority 1250, override-header "override header X-Backend-Version")');
    expect(staff.out).toContain("goes to rails4 100% (weight 1)");
    const stranger = await runCli(["explain", "https://example.com/hoge/1", "-H", "X-Backend-Version: 4", "--config", EXAMPLES.twoVersion]);
    expect(stranger.out).toContain('matches route-hoge-fuga-0 (priority 42500, route "hoge-fuga")');
    expect(stranger.out).toContain("goes to rails3 90% (weight 9), rails4 10% (weight 1)");
  });

  test("Blue/Green: the stage decides the default; the color header works from staff addresses only", async () => {
    const canary = await runCli(["explain", "https://www.example.com/", "--config", EXAMPLES.blueGreen]);
    expect(canary.out).toContain("goes to blue 90% (weight 90), green 10% (weight 10)");
    const staff = await runCli([
      "explain",
      "https://www.example.com/",
      "-H",
      "X-Backend-Color: green",
      "--source-ip",
      "203.0.113.10",
      "--config",
      EXAMPLES.blueGreen,
    ]);
    expect(staff.out).toContain("goes to green 100% (weight 1)");
    const raw = exampleJson("blue-green.production.json");
    raw.traffic.stage = "green";
    const switched = await runCli(["explain", "https://www.example.com/", "--config", writeConfig(dir, "blue-green.production.json", raw)]);
    expect(switched.out).toContain("goes to green 100% (weight 1)");
  });
});

describe("summary says what the stack's outputs will say", () => {
  test.each<[Example]>([["two-version.staging.json"], ["blue-green.production.json"]])(
    "%s: --json holds the fleets and traffic_summary values of the synthesized outputs",
    async (file) => {
      const r = await runCli(["summary", "--json", "--config", join(dir, file)]);
      expect(r.code).toBe(0);
      const [summary] = Object.values(JSON.parse(r.out)) as any[];
      const outputs = JSON.parse(Testing.synth(synthesizedStack(dir, file))).output;
      expect(summary.fleets).toEqual(outputs.fleets.value);
      expect(summary.traffic_summary).toEqual(outputs.traffic_summary.value);
    },
  );

  test("the text form: the stage, the load balancer, each fleet's capacity and shares, then the rules in order", async () => {
    const r = await runCli(["summary", "--config", EXAMPLES.blueGreen]);
    const lines = r.out.split("\n");
    expect(lines).toContain("stage blue-canary-10: blue live 90 %, green 10 %");
    expect(lines).toContain("load balancer prod-web-alb: 2 listener rule(s) + 2 anchor rule(s) of 100; with maintenance on 13");
    expect(lines.find((l) => l.trim().startsWith("green"))).toMatch(/^\s+green\s+3\s+scaling\s+12\s+ami-0f1e2d3c4b5a69761\s+10%/);
    expect(lines[lines.length - 1]).toBe("  default: -> blue 90%, green 10%");
  });

  test("a routing table file has no fleets to summarize (exit 2)", async () => {
    const table = writeConfig(dir, "routing.json", { default: "rails3" });
    const r = await runCli(["summary", "--table", table]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Fix: pass --config/);
  });
});

describe("mermaid on a configuration", () => {
  test("draws the router, its fleets and the stage's weights", async () => {
    const r = await runCli(["mermaid", "--config", EXAMPLES.blueGreen]);
    expect(r.out.split("\n")[0]).toMatch(/^%% blue-green-prod /);
    expect(r.out).toContain('router -->|"default: 90%"| fleet_blue');
    expect(r.out).toContain('router -->|"default: 10%"| fleet_green');
  });
});

describe("mistakes get one clear message", () => {
  test("a bad configuration prints the short list of what is wrong, without a stack trace (exit 1)", async () => {
    const raw = exampleJson("two-version.staging.json");
    raw.fleets.rails4.instanceTyp = "m7i.large";
    raw.routing.default = "rails9";
    const r = await runCli(["table", "--config", writeConfig(dir, "two-version.staging.json", raw)]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /two-version\.staging\.json: fleets\.rails4\.instanceTyp = "m7i\.large": is not a known setting\. Fix: did you mean "instanceType"\?/,
    );
    expect(r.err).toMatch(
      /two-version\.staging\.json: routing\.default = "rails9": names a fleet that does not exist\. Fix: use one of: rails3, rails4/,
    );
    expect(r.err).not.toMatch(/^\s+at /m);
  });

  test("a layout configuration given as --table is refused with the fix (exit 2), not 12 shape errors", async () => {
    const r = await runCli(["table", "--table", EXAMPLES.twoVersion]);
    expect(r.code).toBe(2);
    expect(r.err.split("\n")[0]).toBe(
      `table: ${EXAMPLES.twoVersion} is a layout configuration (it has "layout"), not a routing table. Fix: pass it with --config`,
    );
  });

  test("nothing to read (no --config, no APP_FLEETS_CONFIG, no ./routing.json) says what to pass (exit 2)", async () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = await runCli(["table"], { APP_FLEETS_CONFIG: undefined });
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/nothing to read: no --config, no APP_FLEETS_CONFIG, and no \.\/routing\.json\. Fix: pass --config FILE\|DIR/);
    } finally {
      process.chdir(cwd);
    }
  });

  test("--config and --table together, or --stack with a table, are usage errors (exit 2)", async () => {
    expect((await runCli(["table", "--config", dir, "--table", "routing.json"])).code).toBe(2);
    expect((await runCli(["mermaid", "--table", EXAMPLES.twoVersion, "--stack", "x"])).code).toBe(2);
  });

  test("help text names no file that the package does not ship", () => {
    for (const command of COMMANDS) {
      expect({ command: command.name, usage: command.usage }).toEqual({
        command: command.name,
        usage: expect.not.stringMatching(/\b(lib|bin|stacks|test|scripts)\/[\w/-]+\.(ts|md)\b/),
      });
    }
  });
});
