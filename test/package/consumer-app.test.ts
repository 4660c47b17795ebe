/**
 * Separate cdktf projects consume the packed package exactly as users would: one with the
 * `tsconfig.json` that `cdktf init --template=typescript` writes (copied unchanged from cdktf-cli's
 * template: CommonJS, classic node10 resolution, which ignores `exports`), one with Node16
 * resolution, one with Bundler resolution. Each type-checks the README's two code examples (the
 * plain constructs from the package root; the layouts from `cdktf-app-fleets/stacks`) against the
 * shipped declarations, and the compiled ones synthesize with plain node. No registry access: the
 * package is packed from a clean copy of this checkout, its peer dependencies linked from here.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { cleanCloneCopy, offlineEnv, readmeCodeBlock, REPO, run } from "./package-helpers";

/** The template `cdktf init --template=typescript` copies into a new project (cdktf-cli 0.21). */
const CDKTF_INIT_TSCONFIG = join(REPO, "node_modules", "cdktf-cli", "bundle", "templates", "typescript", "tsconfig.json");
const TSC = join(REPO, "node_modules", "typescript", "bin", "tsc");
const EXAMPLES = join(REPO, "stacks", "config", "examples");

/** The consumer projects: how each is configured, and where its compiled JavaScript lands (undefined: type-check only). */
const PROJECTS = {
  "cdktf-init": { tsconfig: () => readFileSync(CDKTF_INIT_TSCONFIG, "utf8"), outDir: "." },
  node16: {
    tsconfig: () =>
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "Node16",
          moduleResolution: "Node16",
          strict: true,
          skipLibCheck: true,
          types: ["node"],
          outDir: "out",
          noUnusedLocals: true,
        },
        include: ["*.ts"],
      }),
    outDir: "out",
  },
  bundler: {
    tsconfig: () =>
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "Preserve",
          moduleResolution: "Bundler",
          strict: true,
          skipLibCheck: true,
          types: ["node"],
          noEmit: true,
        },
        include: ["*.ts"],
      }),
    outDir: undefined,
  },
} as const;
type ProjectName = keyof typeof PROJECTS;

let clone: string;
let appDir: string;
let installed: string;
let packedFiles: string[];

function project(name: ProjectName): string {
  return join(appDir, name);
}

/** Every file under `dir`, relative to it. */
function walk(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? walk(path, base) : [relative(base, path)];
  });
}

beforeAll(
  () => {
    clone = cleanCloneCopy("app-fleets-pack-");
    appDir = mkdtempSync(join(tmpdir(), "app-fleets-consumer-"));
    // `npm pack` builds first (prepack), as `npm publish` does.
    const pack = run("npm", ["pack", "--json", "--pack-destination", appDir], { cwd: clone });
    if (pack.code !== 0) throw new Error(`npm pack failed:\n${pack.err}${pack.out}`);
    const manifest = JSON.parse(pack.out.slice(pack.out.indexOf("[")));
    packedFiles = (manifest[0].files as { path: string }[]).map((f) => f.path);
    installed = join(appDir, "node_modules", "cdktf-app-fleets");
    mkdirSync(installed, { recursive: true });
    run("tar", ["-xzf", join(appDir, manifest[0].filename), "-C", installed, "--strip-components=1"], { cwd: appDir });
    for (const dep of ["cdktf", "constructs", "@cdktf/provider-aws", "@types/node"]) {
      const target = join(appDir, "node_modules", dep);
      mkdirSync(join(target, ".."), { recursive: true });
      symlinkSync(join(REPO, "node_modules", dep), target);
    }
    for (const name of Object.keys(PROJECTS) as ProjectName[]) {
      const dir = project(name);
      mkdirSync(join(dir, "config"), { recursive: true });
      writeFileSync(join(dir, "tsconfig.json"), PROJECTS[name].tsconfig());
      // No "type": "module": the .ts files are CommonJS, as in a cdktf project.
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `consumer-${name}`, private: true }));
      writeFileSync(join(dir, "constructs.ts"), readmeCodeBlock("## Using the constructs in your own stack", "ts"));
      writeFileSync(join(dir, "layouts.ts"), readmeCodeBlock("### In your own project", "ts"));
      // The user's configuration: copies of the examples, without their stack locks (the first synth writes them).
      for (const file of ["two-version.staging.json", "blue-green.production.json"])
        copyFileSync(join(EXAMPLES, file), join(dir, "config", file));
    }
  },
  30 * 60 * 1000,
);

afterAll(() => {
  for (const dir of [appDir, clone]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the packed package", () => {
  test("ships compiled code, declarations, the LICENSE, the README and the example configurations; no sources, tests or stack locks", () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        "dist/lib/index.js",
        "dist/lib/index.d.ts",
        "dist/stacks/index.d.ts",
        "dist/bin/app-fleets.js",
        "LICENSE",
        "README.md",
      ]),
    );
    expect(packedFiles).toEqual(
      expect.arrayContaining(["stacks/config/examples/two-version.staging.json", "stacks/config/examples/blue-green.production.json"]),
    );
    expect(readFileSync(join(installed, "LICENSE"), "utf8")).toMatch(/Apache License\s+Version 2\.0/);
    const stray = packedFiles.filter(
      (f) => f.startsWith("test/") || f.startsWith("dist/test/") || f.endsWith(".lock.json") || (f.endsWith(".ts") && !f.endsWith(".d.ts")),
    );
    expect(stray).toEqual([]);
  });

  test("no source map points at a file the package does not ship", () => {
    const maps = packedFiles.filter((f) => f.endsWith(".map"));
    const linking = walk(installed)
      .filter((f) => f.endsWith(".js") || f.endsWith(".d.ts"))
      .filter((f) => /sourceMappingURL=/.test(readFileSync(join(installed, f), "utf8")));
    expect({ maps, linking }).toEqual({ maps: [], linking: [] });
  });

  test("every command's help names only files the package ships", () => {
    const bin = join(installed, "dist", "bin", "app-fleets.js");
    const overview = run(process.execPath, [bin, "--help"], { cwd: appDir });
    expect(overview.code).toBe(0);
    const commands = [...overview.out.matchAll(/^ {2}([a-z-]+) {2,}/gm)].map((m) => m[1]);
    expect(commands).toEqual(expect.arrayContaining(["explain", "table", "summary", "mermaid", "import-nginx", "plan-diff", "mirror"]));
    const missing: string[] = [];
    for (const command of ["", ...commands]) {
      const help = run(process.execPath, [bin, ...(command ? [command] : []), "--help"], { cwd: appDir });
      expect({ command, code: help.code }).toEqual({ command, code: 0 });
      for (const [path] of help.out.matchAll(/\b(?:dist|lib|bin|stacks|schema|test|scripts)\/[\w./-]*\w/g)) {
        if (!existsSync(join(installed, path))) missing.push(`${command || "app-fleets"} --help: ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe.each(Object.keys(PROJECTS) as ProjectName[])("a consumer project with %s module resolution", (name) => {
  test("type-checks the README's examples: the plain constructs from the package root, the layouts from cdktf-app-fleets/stacks", () => {
    const tsc = run(process.execPath, [TSC, "-p", project(name)], { cwd: project(name) });
    expect(tsc.out + tsc.err).toBe("");
    expect(tsc.code).toBe(0);
  });
});

describe("the compiled consumer apps synthesize", () => {
  const outputs = (dir: string, stack: string) => JSON.parse(readFileSync(join(dir, "cdktf.out", "stacks", stack, "cdk.tf.json"), "utf8"));
  // The first synth of a new project writes its stack lock files; under CI=true a lock that would change fails synth.
  const firstSynthEnv = offlineEnv({ CI: undefined, APP_FLEETS_LOCK: undefined });

  test.each(["cdktf-init", "node16"] as const)(
    "%s: the construct example, with the traffic outputs and the dashboard it adds in one call each",
    (name) => {
      const dir = project(name);
      rmSync(join(dir, "cdktf.out"), { recursive: true, force: true });
      const r = run(process.execPath, [join(dir, PROJECTS[name].outDir, "constructs.js")], { cwd: dir, env: firstSynthEnv });
      expect(r.err).not.toMatch(/^\s+at /m);
      expect(r.code).toBe(0);
      const json = outputs(dir, "web");
      expect(Object.keys(json.resource.aws_autoscaling_group)).toHaveLength(2);
      expect(Object.keys(json.output).sort()).toEqual(["fleets", "load_balancer_dns_name", "traffic_summary"]);
      expect(json.output.traffic_summary.value).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^\[\d+\] override header: X-Backend-Version: 4 & from 203\.0\.113\.0\/24 -> rails4$/),
          "default: -> rails3",
        ]),
      );
      expect(json.output.fleets.value.rails4).toMatchObject({
        image_id: "ami-0f1e2d3c4b5a69788",
        rules: expect.objectContaining({ hoge: 10 }),
      });
      expect(
        Object.values(json.resource.aws_cloudwatch_dashboard as Record<string, { dashboard_name: string }>).map((d) => d.dashboard_name),
      ).toEqual(["prod-web-fleets"]);
      expect(existsSync(join(dir, "web.lock.json"))).toBe(true);
    },
  );

  test("cdktf-init: the layouts from the user's configuration directory, one stack per file, each stack lock written beside its file", () => {
    const dir = project("cdktf-init");
    rmSync(join(dir, "cdktf.out"), { recursive: true, force: true });
    const r = run(process.execPath, [join(dir, "layouts.js")], { cwd: dir, env: firstSynthEnv });
    expect(r.err).not.toMatch(/^\s+at /m);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^app-fleets policy: two-version-staging: \d+ resources, \d+ rules, 0 findings, 0 suppressed$/m);
    expect(readdirSync(join(dir, "cdktf.out", "stacks")).sort()).toEqual(["blue-green-prod", "two-version-staging"]);
    expect(existsSync(join(dir, "config", "two-version.staging.lock.json"))).toBe(true);
  });

  test("cdktf-init: without a configuration directory the app prints what to pass, one short message and no stack trace (exit 1)", () => {
    const dir = mkdtempSync(join(appDir, "empty-"));
    const r = run(process.execPath, [join(project("cdktf-init"), "layouts.js")], { cwd: dir, env: offlineEnv() });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/APP_FLEETS_CONFIG = ".*config": does not exist\. Fix: point it at a configuration file or a directory of them/);
    expect(r.err).not.toMatch(/^\s+at /m);
  });

  test("the packaged buildApp(app) builds nothing it was not given: without APP_FLEETS_CONFIG it says what to set", () => {
    const script = [
      'const { App } = require("cdktf");',
      'const { reportFailure } = require("cdktf-app-fleets");',
      'const { buildApp } = require("cdktf-app-fleets/stacks");',
      "try { buildApp(new App({ outdir: process.argv[1] })); console.log('built'); }",
      "catch (e) { process.exitCode = reportFailure(e, (t) => process.stderr.write(t)); }",
    ].join("\n");
    const r = run(process.execPath, ["-e", script, join(appDir, "unused-out")], { cwd: appDir, env: offlineEnv() });
    expect(r.out).not.toContain("built");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^APP_FLEETS_CONFIG = undefined: names no configuration: .* Fix: set APP_FLEETS_CONFIG=config\/production\.json/);
    expect(r.err).not.toMatch(/^\s+at /m);
  });
});

test("the app-fleets command of the installed package reads a layout configuration", () => {
  const bin = join(installed, "dist", "bin", "app-fleets.js");
  const dir = project("cdktf-init");
  const config = join(dir, "config", "two-version.staging.json");
  const explain = run(process.execPath, [bin, "explain", "https://example.com/hoge/1", "--config", config, "--json"], { cwd: dir });
  expect(explain.err).toBe("");
  expect(JSON.parse(explain.out).fleets).toEqual([
    { name: "rails3", weight: 9, percent: 90 },
    { name: "rails4", weight: 1, percent: 10 },
  ]);
  const table = run(process.execPath, [bin, "table", "--config", join(dir, "config")], { cwd: dir });
  expect(table.code).toBe(0);
  expect(table.out).toMatch(/^== blue-green-prod \(blue-green\.production\.json, blue-green layout\)/m);
  expect(table.out).toMatch(/^== two-version-staging \(two-version\.staging\.json, two-version layout\)/m);
});
