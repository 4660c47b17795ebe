/**
 * `import-nginx` turns nginx-era regex lists into a routing table the layouts accept:
 * each list one route, to one fleet or split by weight (e.g. 9:1), and with `--default`
 * a complete table with the override header honoured from staff addresses.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseLayoutConfig } from "../../../stacks/config/load-config";
import { compileLayoutRouting } from "../../../stacks/config/layout-routing";
import { EXAMPLE_CONFIG_DIR } from "../../../stacks/build-app";
import { exampleJson } from "../../support/layouts";
import { runCli, scratchExamples } from "./cli-helpers";

const LIST = join(EXAMPLE_CONFIG_DIR, "nginx", "routing-list.json");
const COMPLETE = [
  "--weights",
  "rails4_path=rails3:9,rails4:1",
  "--sticky-seconds",
  "3600",
  "--default",
  "rails3",
  "--override-header",
  "X-Backend-Version",
  "--override-value",
  "3=rails3",
  "--override-value",
  "4=rails4",
  "--staff-ip",
  "203.0.113.0/24",
];

let dir: string;
beforeEach(() => {
  dir = scratchExamples();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("import-nginx writes a complete routing table", () => {
  test("default fleet, a 9:1 split with stickiness, the path back to rails3, the header from staff addresses", async () => {
    const r = await runCli(["import-nginx", LIST, ...COMPLETE]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      default: "rails3",
      overrideHeader: { name: "X-Backend-Version", values: { "3": "rails3", "4": "rails4" }, sourceIps: ["203.0.113.0/24"] },
      routes: [
        {
          name: "rails4-path",
          match: { paths: ["/hoge*", "/fuga*", "/public/hoge*", "/public/fuga*", "/admin/piyo*"] },
          to: {
            weights: [
              { fleet: "rails3", weight: 9 },
              { fleet: "rails4", weight: 1 },
            ],
            groupStickinessSeconds: 3600,
          },
        },
        { name: "rails3-path", match: { paths: ["/hoge/legacy/*"] }, to: "rails3" },
      ],
    });
  });

  test("the layout loader accepts it as the routing of a two-version configuration, and the stack routes as nginx did", async () => {
    const out = join(dir, "routing.json");
    expect((await runCli(["import-nginx", LIST, ...COMPLETE, "--output", out])).code).toBe(0);
    const raw = exampleJson("two-version.staging.json");
    raw.routing = JSON.parse(readFileSync(out, "utf8"));
    const config = parseLayoutConfig(raw, "staging.json");
    expect(compileLayoutRouting(config, "staging.json").compiled.rules.map((r) => r.source)).toEqual(
      expect.arrayContaining(["rails4-path", "rails3-path", "override header X-Backend-Version"]),
    );
    writeFileSync(join(dir, "staging.json"), JSON.stringify(raw));
    const legacy = await runCli(["explain", "https://example.com/hoge/legacy/1", "--config", join(dir, "staging.json"), "--json"]);
    expect(JSON.parse(legacy.out).fleets).toEqual([{ name: "rails3", weight: 1, percent: 100 }]);
    const moved = await runCli(["explain", "https://example.com/admin/piyox", "--config", join(dir, "staging.json"), "--json"]);
    expect(JSON.parse(moved.out).fleets.map((f: { name: string; percent: number }) => [f.name, f.percent])).toEqual([
      ["rails3", 90],
      ["rails4", 10],
    ]);
    const table = await runCli(["table", "--table", out]);
    expect(table.code).toBe(0);
  });

  test("without --override-value the header takes each fleet's name", async () => {
    const r = await runCli(["import-nginx", LIST, "--default", "rails3", "--override-header", "X-Backend", "--staff-ip", "203.0.113.0/24"]);
    expect(JSON.parse(r.out).overrideHeader.values).toEqual({ rails3: "rails3", rails4: "rails4" });
  });

  test("a weighted default", async () => {
    const r = await runCli(["import-nginx", LIST, "--default", "rails3:1,rails4:1", "--sticky-seconds", "600"]);
    expect(JSON.parse(r.out).default).toEqual({
      weights: [
        { fleet: "rails3", weight: 1 },
        { fleet: "rails4", weight: 1 },
      ],
      groupStickinessSeconds: 600,
    });
  });

  test("without --default it prints the routes alone, as before", async () => {
    const r = await runCli(["import-nginx", LIST, "--fleet", "rails4_path=rails4"]);
    expect(Object.keys(JSON.parse(r.out))).toEqual(["routes"]);
  });
});

describe("import-nginx refuses what the layouts would refuse", () => {
  test("an override header without staff addresses (exit 2): the layouts require them", async () => {
    const r = await runCli(["import-nginx", LIST, "--default", "rails3", "--override-header", "X-Backend-Version"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--override-header X-Backend-Version needs --staff-ip/);
  });

  test("a weight out of ALB's range: the short list naming the field and the option to change (exit 1)", async () => {
    const r = await runCli(["import-nginx", LIST, "--weights", "rails4_path=rails3:9000,rails4:1", "--default", "rails3"]);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toMatch(
      /import-nginx output: routes\[0\]\.to\.weights\[0\]\.weight = 9000: must be an integer 0-999.*\(in the --fleet, --weights, --default or --override-\* options\)/,
    );
    expect(r.err).not.toMatch(/^\s+at /m);
  });

  test("a list the file does not have, a list given twice, a malformed split (exit 2)", async () => {
    expect((await runCli(["import-nginx", LIST, "--fleet", "rails5_path=rails5"])).err).toMatch(
      /the file has no list "rails5_path"; it has rails4_path, rails3_path/,
    );
    expect((await runCli(["import-nginx", LIST, "--fleet", "rails4_path=rails4", "--weights", "rails4_path=rails3:1,rails4:1"])).code).toBe(
      2,
    );
    expect((await runCli(["import-nginx", LIST, "--weights", "rails4_path=rails3-9"])).code).toBe(2);
    expect((await runCli(["import-nginx", LIST, "--staff-ip", "203.0.113.0/24"])).code).toBe(2);
  });

  test("a regex ALB wildcards cannot express is named on stderr (exit 1)", async () => {
    const file = join(dir, "nginx.json");
    writeFileSync(file, JSON.stringify({ rails4_path: { regexps: ["^/(hoge|fuga)/?", "^/bad[0-9]"] } }));
    const r = await runCli(["import-nginx", file, "--default", "rails3"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/rails4_path: regex "\^\/bad\[0-9\]" uses a character class/);
  });
});
