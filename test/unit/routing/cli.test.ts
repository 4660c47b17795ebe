import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { main } from "../../../bin/app-fleets";
import type { CommandIo } from "../../../bin/commands/command";
import { ConfigError } from "../../../lib/core/errors";
import { routingTableFromJson, routingTableToJson, type RoutingTableJson } from "../../../lib/routing/routing-json";
import { rails3, rails4 } from "./fixtures";

const TABLE: RoutingTableJson = {
  default: "rails3",
  overrideHeader: { name: "X-Backend-Version", values: { "4": "rails4" }, sourceIps: ["203.0.113.0/24"] },
  routes: [
    {
      name: "hoge",
      match: { paths: ["/hoge/*"] },
      to: {
        weights: [
          { fleet: "rails4", weight: 9 },
          { fleet: "rails3", weight: 1 },
        ],
      },
    },
    { name: "hoge-legacy", match: { paths: ["/hoge/legacy/*"] }, to: "rails3" },
  ],
};

let dir: string;
let tableFile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "app-fleets-cli-"));
  tableFile = join(dir, "routing.json");
  writeFileSync(tableFile, JSON.stringify(TABLE));
  writeFileSync(join(dir, "nginx.json"), JSON.stringify({ rails4_path: { regexps: ["^/(hoge|fuga)/?", "^/bad[0-9]"] } }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIo = { out: (t) => out.push(t), err: (t) => err.push(t) };
  const code = await main(argv, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("routing table JSON", () => {
  test("resolves fleet names to the given fleets and round-trips", () => {
    const table = routingTableFromJson(TABLE, { rails3, rails4 });
    expect(table.routes![0].to).toEqual({
      weights: [
        { fleet: rails4, weight: 9 },
        { fleet: rails3, weight: 1 },
      ],
    });
    expect(table.overrideHeader!.values["4"]).toBe(rails4);
    expect(routingTableToJson(table)).toEqual(TABLE);
  });

  test("unknown fleets, unknown keys and wrong types fail together, each naming its field", () => {
    const bad = { default: "rails9", routes: [{ name: "x", match: { paths: "/x", pathz: [] }, to: "rails4", extra: 1 }] };
    let error: ConfigError | undefined;
    try {
      routingTableFromJson(bad, { rails3, rails4 }, "staging.json: routing");
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.violations.map((v) => v.field)).toEqual(
      expect.arrayContaining([
        "staging.json: routing.default",
        "staging.json: routing.routes[0].extra",
        "staging.json: routing.routes[0].match.pathz",
        "staging.json: routing.routes[0].match.paths",
      ]),
    );
    expect(error?.violations.find((v) => v.field.endsWith(".default"))?.fix).toMatch(/rails3, rails4/);
  });
});

describe("app-fleets CLI commands", () => {
  test("explain names the matching rule and the fleets with weights", async () => {
    const r = await run("explain", "https://www.example.com/hoge/1", "--table", tableFile);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/matches route-hoge-0 \(priority \d+, route "hoge"\)/);
    expect(r.out).toMatch(/goes to rails4 90% \(weight 9\), rails3 10% \(weight 1\)/);
  });

  test("explain --json with -X and -H prints the rule and fleets", async () => {
    const r = await run(
      "explain",
      "/hoge/legacy/1",
      "-X",
      "POST",
      "-H",
      "Host: www.example.com",
      "-H",
      "x-backend-version: 4",
      "--source-ip",
      "203.0.113.7",
      "--json",
      "--table",
      tableFile,
    );
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.rule).toMatchObject({ key: "override-rails4-0", kind: "override-header" });
    expect(json.request).toMatchObject({ method: "POST", host: "www.example.com", path: "/hoge/legacy/1" });
    expect(json.fleets).toEqual([{ name: "rails4", weight: 1, percent: 100 }]);
  });

  test("explain falls through to the default", async () => {
    const r = await run("explain", "https://www.example.com/else", "--table", tableFile, "--json");
    expect(JSON.parse(r.out)).toMatchObject({ rule: null, default: true, fleets: [{ name: "rails3", weight: 1, percent: 100 }] });
  });

  test("table and mermaid print the compiled rules", async () => {
    const t = await run("table", "--table", tableFile);
    const lines = t.out.split("\n");
    expect(lines.slice(0, -1).map((l) => l.split(/\s+/)[1])).toEqual([
      "KEY",
      "override-rails4-0",
      "route-hoge-legacy-0",
      "route-hoge-0",
      "default",
    ]);
    expect(lines[lines.length - 1]).toBe("rules: 3 of 100; with maintenance on: 3 of 100 (no maintenance settings), headroom 97");
    const m = await run("mermaid", "--table", tableFile);
    expect(m.out).toMatch(/^flowchart LR\n/);
    expect(m.out).toContain('router -->|"hoge: 90%"| fleet_rails4');
    expect(m.out).toContain('router -->|"default: 100%"| fleet_rails3');
  });

  test("table, explain and mermaid read the stack lock beside the table (never writing it), so they show synth's numbers", async () => {
    const lockDir = mkdtempSync(join(tmpdir(), "app-fleets-cli-lock-"));
    try {
      const file = join(lockDir, "routing.json");
      writeFileSync(file, JSON.stringify(TABLE));
      const trafficRules = { held: { "override-rails4-0": 1234, "route-hoge-legacy-0": 23456, "route-hoge-0": 34567 }, released: {} };
      const lockText = JSON.stringify({ lockVersion: 1, routers: { web: { trafficRules, anchorRules: { held: {}, released: {} } } } });
      writeFileSync(join(lockDir, "routing.lock.json"), lockText);
      const t = await run("table", "--table", file);
      expect(
        t.out
          .split("\n")
          .slice(1, 4)
          .map((l) => l.split(/\s+/).slice(0, 2).join(" ")),
      ).toEqual(["1234 override-rails4-0", "23456 route-hoge-legacy-0", "34567 route-hoge-0"]);
      const e = await run("explain", "https://www.example.com/hoge/1", "--table", file);
      expect(e.out).toMatch(/matches route-hoge-0 \(priority 34567, route "hoge"\)/);
      expect(readFileSync(join(lockDir, "routing.lock.json"), "utf8")).toBe(lockText);
    } finally {
      rmSync(lockDir, { recursive: true, force: true });
    }
  });

  test("import-nginx prints routes and fails when a regex cannot be converted", async () => {
    const r = await run("import-nginx", join(dir, "nginx.json"), "--fleet", "rails4_path=rails4");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toEqual({ routes: [{ name: "rails4-path", match: { paths: ["/hoge*", "/fuga*"] }, to: "rails4" }] });
    expect(r.err).toMatch(/rails4_path: regex "\^\/bad\[0-9\]" uses a character class/);
  });

  test("usage errors exit 2; a broken table exits 1 with the field", async () => {
    expect((await run("explain")).code).toBe(2);
    expect((await run("nope")).code).toBe(2);
    expect((await run("table", "--bogus")).code).toBe(2);
    const badFile = join(dir, "bad.json");
    writeFileSync(
      badFile,
      JSON.stringify({
        default: "rails3",
        routes: [{ name: "a", match: { paths: ["/a"] }, to: { weights: [{ fleet: "rails3", weight: 5000 }] } }],
      }),
    );
    const r = await run("table", "--table", badFile);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/weights\[0\]\.weight = 5000: must be an integer 0-999/);
  });

  test("the real CLI runs as a process", () => {
    const root = resolve(__dirname, "../../..");
    const p = spawnSync(
      process.execPath,
      ["--import", "tsx", "bin/app-fleets.ts", "explain", "https://www.example.com/hoge/legacy/x", "--table", tableFile],
      { cwd: root, encoding: "utf8" },
    );
    expect(p.stderr).toBe("");
    expect(p.status).toBe(0);
    expect(p.stdout).toMatch(/matches route-hoge-legacy-0/);
    expect(p.stdout).toMatch(/goes to rails3 100%/);
  });
});
