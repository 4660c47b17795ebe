/**
 * A separate cdktf app consumes the built package exactly as a user would:
 * `import { AppServerGroup } from "cdktf-app-fleets"`, type-checked against the shipped
 * declarations and synthesized with plain node. No registry access: the package is packed
 * here and its peer dependencies are linked from this checkout.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const repo = resolve(__dirname, "../..");
const PACKAGE_TIMEOUT_MS = 5 * 60 * 1000;

describe("the published package", () => {
  let appDir: string;
  let packed: { files: { path: string }[] }[];

  beforeAll(() => {
    execFileSync("npm", ["run", "build", "--silent"], { cwd: repo, stdio: "pipe" });
    appDir = mkdtempSync(join(tmpdir(), "app-fleets-consumer-"));
    const packOut = execFileSync("npm", ["pack", "--json", "--pack-destination", appDir], { cwd: repo, encoding: "utf8" });
    packed = JSON.parse(packOut.slice(packOut.indexOf("[")));
    const tarball = join(appDir, (packed[0] as unknown as { filename: string }).filename);
    const installed = join(appDir, "node_modules", "cdktf-app-fleets");
    mkdirSync(installed, { recursive: true });
    execFileSync("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"]);
    for (const dep of ["cdktf", "constructs", "@cdktf/provider-aws", "@types/node"]) {
      const target = join(appDir, "node_modules", dep);
      mkdirSync(resolve(target, ".."), { recursive: true });
      symlinkSync(join(repo, "node_modules", dep), target);
    }
    writeFileSync(
      join(appDir, "main.ts"),
      [
        'import { App, TerraformStack } from "cdktf";',
        'import { AwsProvider } from "@cdktf/provider-aws/lib/provider";',
        'import { AppServerGroup } from "cdktf-app-fleets";',
        "const app = new App({ outdir: process.argv[2] });",
        'const stack = new TerraformStack(app, "scratch");',
        'new AwsProvider(stack, "aws", { region: "eu-west-1" });',
        'new AppServerGroup(stack, "Web", {',
        '  name: "web", vpcId: "vpc-0123456789abcdef0", imageId: "ami-0123456789abcdef0",',
        '  subnetIds: ["subnet-0123456789abcdef1", "subnet-0123456789abcdef2"],',
        '  loadBalancer: { securityGroupId: "sg-0123456789abcdef0", arnSuffix: "app/scratch/0123456789abcdef" },',
        "});",
        "app.synth();",
        "",
      ].join("\n"),
    );
    writeFileSync(
      join(appDir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { target: "ES2022", module: "commonjs", strict: true, esModuleInterop: true, skipLibCheck: true, types: ["node"] },
        files: ["main.ts"],
      }),
    );
  }, PACKAGE_TIMEOUT_MS);

  afterAll(() => {
    if (appDir) rmSync(appDir, { recursive: true, force: true });
  });

  test("ships compiled code and declarations, not the sources or tests", () => {
    const files = packed[0].files.map((f) => f.path);
    expect(files).toContain("dist/lib/index.js");
    expect(files).toContain("dist/lib/index.d.ts");
    expect(files).toContain("README.md");
    expect(files.filter((f) => f.startsWith("test/") || f.startsWith("dist/test/") || f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
  });

  test("a consumer app type-checks against the shipped declarations", () => {
    const tsc = join(repo, "node_modules", "typescript", "bin", "tsc");
    execFileSync(process.execPath, [tsc, "-p", appDir, "--outDir", join(appDir, "out")], { cwd: appDir, stdio: "pipe" });
    expect(existsSync(join(appDir, "out", "main.js"))).toBe(true);
  }, PACKAGE_TIMEOUT_MS);

  test("the app-fleets command runs from the installed package", () => {
    const table = join(appDir, "routing.json");
    writeFileSync(table, JSON.stringify({ default: "rails3", routes: [{ name: "hoge", match: { paths: ["/hoge/*"] }, to: "rails4" }] }));
    const bin = join(appDir, "node_modules", "cdktf-app-fleets", "dist", "bin", "app-fleets.js");
    const out = execFileSync(process.execPath, [bin, "explain", "https://example.com/hoge/1", "--table", table, "--json"], { cwd: appDir, encoding: "utf8" });
    expect(JSON.parse(out).fleets).toEqual([{ name: "rails4", weight: 1, percent: 100 }]);
  }, PACKAGE_TIMEOUT_MS);

  test("the layouts are importable from cdktf-app-fleets/stacks", () => {
    const out = execFileSync(process.execPath, ["-e", 'const s = require("cdktf-app-fleets/stacks"); console.log(typeof s.TwoVersionStack, typeof s.BlueGreenStack, s.configFiles().length)'], {
      cwd: appDir,
      encoding: "utf8",
    });
    expect(out.trim()).toBe("function function 2");
  }, PACKAGE_TIMEOUT_MS);

  test("a consumer app synthesizes a fleet from the package", () => {
    const outdir = join(appDir, "cdktf.out");
    execFileSync(process.execPath, [join(appDir, "out", "main.js"), outdir], { cwd: appDir, stdio: "pipe" });
    const json = JSON.parse(readFileSync(join(outdir, "stacks", "scratch", "cdk.tf.json"), "utf8"));
    expect(Object.values(json.resource.aws_lb_target_group as Record<string, { name: string }>)[0].name).toBe("web-tg");
    expect(Object.keys(json.resource.aws_autoscaling_group)).toHaveLength(1);
  }, PACKAGE_TIMEOUT_MS);
});
