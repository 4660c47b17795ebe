/**
 * Free text stays text: user strings are escaped for Terraform, cdktf's own tokens are not,
 * and the token marker we test for is cdktf's.
 */
import { TerraformOutput, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { BEGIN_STRING_TOKEN_MARKER } from "cdktf/lib/tokens/private/encoding";
import {
  CDKTF_STRING_TOKEN_MARKER,
  hasTemplateSequence,
  hasToken,
  terraformLiteral,
  terraformLiteralMap,
} from "../../../lib/core/terraform-literal";
import { encodeUserData } from "../../../lib/fleet/fleet-launch-template";

function synthOutputs(build: (stack: TerraformStack) => Record<string, string>): Record<string, unknown> {
  const stack = new TerraformStack(Testing.app(), "literal");
  for (const [id, value] of Object.entries(build(stack))) new TerraformOutput(stack, id, { value });
  const outputs = JSON.parse(Testing.synth(stack)).output as Record<string, { value: unknown }>;
  return Object.fromEntries(Object.entries(outputs).map(([id, o]) => [id, o.value]));
}

describe("Terraform literals", () => {
  test("the token marker is cdktf's own", () => {
    expect(CDKTF_STRING_TOKEN_MARKER).toBe(BEGIN_STRING_TOKEN_MARKER);
  });

  test("interpolations and directives are escaped the way Terraform reads them back", () => {
    expect(terraformLiteral('${file("/etc/os-release")}')).toBe('$${file("/etc/os-release")}');
    expect(terraformLiteral("%{if true}x%{endif}")).toBe("%%{if true}x%%{endif}");
    expect(terraformLiteral("already $${escaped} and %%{this}")).toBe("already $$${escaped} and %%%{this}");
    expect(terraformLiteral("plain $HOME {x} 100%")).toBe("plain $HOME {x} 100%");
  });

  test("only cdktf's token marker counts as a deploy-time value; other ${ text is user text", () => {
    expect(hasToken("${TfToken[TOKEN.3]}")).toBe(true);
    expect(hasToken("${var.vpc_id}")).toBe(false);
    expect(hasToken("${data.aws_ami.app.id}")).toBe(false);
    expect(hasTemplateSequence("a %{ b")).toBe(true);
    expect(hasTemplateSequence("a $ { b")).toBe(false);
  });

  test("tokens keep their meaning while the text around them is escaped", () => {
    const outputs = synthOutputs((stack) => {
      const name = new TerraformVariable(stack, "name", { type: "string" }).stringValue;
      return {
        mixed: terraformLiteral(`\${HOME} %{x} ${name} $\${y}`),
        dollarBeforeToken: terraformLiteral(`cost: $${name}`),
      };
    });
    expect(outputs.mixed).toBe("$${HOME} %%{x} ${var.name} $$${y}");
    // A literal "$" before a token must not turn the token into the escape "$${".
    expect(outputs.dollarBeforeToken).toBe('cost: ${"$"}${var.name}');
  });

  test("tag maps are escaped in keys and values", () => {
    expect(terraformLiteralMap({ "${k}": "%{v}", Team: "web" })).toEqual({ "$${k}": "%%{v}", Team: "web" });
  });

  test("user data holding a deploy-time value reaches Terraform as its text: quotes kept, ${ and %{ not evaluated", () => {
    const stack = new TerraformStack(Testing.app(), "user-data");
    const bucket = new TerraformVariable(stack, "bucket", { type: "string" }).stringValue;
    const document = `#!/bin/bash\necho "\${HOME} %{x}" ${bucket}\n`;
    new TerraformOutput(stack, "user_data", { value: encodeUserData(stack, "Fleet", document) });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.output.user_data.value).toMatch(/^\$\{base64encode\(local\.FleetUserData\)\}$/);
    expect(json.locals.FleetUserData).toBe('#!/bin/bash\necho "$${HOME} %%{x}" ${var.bucket}\n');
  });
});
