import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ALLOWED_ROOT_IMPORTS, checkRepository, findRootImports, formatFinding } from "../../scripts/check-imports";

// Built at run time so this file's own source holds no root import for the repository check to find.
const ROOT = ["@cdktf", "provider-aws"].join("/");
const repoRoot = join(__dirname, "../..");

describe("import lint: no @cdktf/provider-aws root imports", () => {
  test("the repository has no root import outside the allow-listed bench variant", () => {
    expect(checkRepository(repoRoot).map(formatFinding)).toEqual([]);
  });

  test.each([
    [`import { autoscalingGroup } from "${ROOT}";`],
    [`import * as aws from '${ROOT}';`],
    [`export { lb } from "${ROOT}";`],
    [`const aws = require("${ROOT}");`],
    [`const aws = await import("${ROOT}");`],
    [`import "${ROOT}";`],
    [`import { provider } from "${ROOT}/lib";`],
    [`import { provider } from "${ROOT}/lib/index";`],
    [`jest.mock("${ROOT}");`],
  ])("rejects %s", (line) => {
    const findings = findRootImports(`// header\n${line}\n`, "lib/x.ts");
    expect(findings).toHaveLength(1);
    expect(findings[0].line).toBe(2);
  });

  test("finds the specifier of a multi-line import on the line that names it", () => {
    const source = `import {\n  AutoscalingGroup,\n  LaunchTemplate,\n} from "${ROOT}";\n`;
    expect(findRootImports(source, "lib/x.ts")).toMatchObject([{ line: 4, specifier: ROOT }]);
  });

  test.each([
    [`import { Lb } from "${ROOT}/lib/lb";`],
    [`export { LbListener } from "${ROOT}/lib/lb-listener";`],
    [`import { x } from "${ROOT}-extra";`],
    [`// do not: import * as aws from "${ROOT}";`],
    [` * import { lb } from "${ROOT}";`],
  ])("accepts %s", (line) => {
    expect(findRootImports(line, "lib/x.ts")).toEqual([]);
  });

  test("a finding names the file, the line and the fix", () => {
    const [finding] = findRootImports(`import * as aws from "${ROOT}";`, "stacks/main.ts");
    const message = formatFinding(finding);
    expect(message).toContain("stacks/main.ts:1");
    expect(message).toContain("lib/aws/resources.ts");
  });

  test("only the bench root-import variant is allow-listed, and it really imports the root", () => {
    expect(ALLOWED_ROOT_IMPORTS).toEqual(["bench/root-import/resources-via-root.ts"]);
    const source = readFileSync(join(repoRoot, ALLOWED_ROOT_IMPORTS[0]), "utf8");
    expect(findRootImports(source, ALLOWED_ROOT_IMPORTS[0])).toHaveLength(1);
  });
});
