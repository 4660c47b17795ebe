/** Where the offline tests find the AWS provider: TF_PROVIDER_MIRROR first, never a hard-coded path. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findProviderMirror, MIRROR_ENV } from "../../lib/terraform/mirror";

const platform = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;

describe("provider mirror discovery", () => {
  const saved = process.env[MIRROR_ENV];
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "mirror-test-"));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    if (saved === undefined) delete process.env[MIRROR_ENV];
    else process.env[MIRROR_ENV] = saved;
  });

  test("a directory named by TF_PROVIDER_MIRROR that holds the provider build is used", () => {
    const dir = join(root, "registry.terraform.io", "hashicorp", "aws", "9.9.9", platform);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "terraform-provider-aws_v9.9.9_x5"), "");
    process.env[MIRROR_ENV] = root;
    expect(findProviderMirror("9.9.9")).toEqual({ path: root, version: "9.9.9", source: "env" });
  });

  test("TF_PROVIDER_MIRROR without that build is reported, naming the variable and the missing path", () => {
    process.env[MIRROR_ENV] = root;
    const found = findProviderMirror("9.9.9");
    expect(found).toEqual({
      missing: expect.stringContaining(`${MIRROR_ENV}=${root} holds no registry.terraform.io/hashicorp/aws/9.9.9/${platform}`),
    });
  });

  test("without the variable, a version nobody installed is reported with the fix", () => {
    delete process.env[MIRROR_ENV];
    expect(findProviderMirror("0.0.1-none")).toEqual({ missing: expect.stringMatching(/no filesystem mirror .* set TF_PROVIDER_MIRROR/) });
  });
});
