import { readFileSync } from "node:fs";
import { join } from "node:path";
import { APP_FLEETS_RULES } from "../../../lib/policy/rules";
import { renderRulesTable, replaceRulesTable } from "../../../lib/policy/rules-table";

describe("the rule list", () => {
  test("ids are unique and descriptive", () => {
    const ids = APP_FLEETS_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^APF-[A-Z0-9-]+$/);
  });

  test("every rule says what it checks, how to fix it and which resource types it judges", () => {
    for (const rule of APP_FLEETS_RULES) {
      expect({ id: rule.id, checks: rule.checks.length > 20, fix: rule.fix.length > 20, types: rule.appliesTo.length > 0 }).toEqual({
        id: rule.id,
        checks: true,
        fix: true,
        types: true,
      });
    }
  });

  test("mirrors the checkov, Trivy and cdk-nag ids users scan for", () => {
    const mirrored = APP_FLEETS_RULES.flatMap((r) => [
      ...(r.mirrors.checkov ?? []),
      ...(r.mirrors.trivy ?? []),
      ...(r.mirrors.cdkNag ?? []),
    ]);
    const required = [
      "CKV_AWS_79",
      "AWS-0130",
      "AwsSolutions-EC26",
      "CKV_AWS_88",
      "CKV_AWS_131",
      "CKV_AWS_328",
      "CKV_AWS_103",
      "CKV2_AWS_74",
      "CKV2_AWS_20",
      "CKV_AWS_91",
      "CKV_AWS_150",
      "CKV_AWS_261",
      "CKV2_AWS_15",
      "CKV_AWS_382",
      "CKV_AWS_23",
      "CKV_AWS_63",
      "CKV_AWS_355",
      "CKV2_AWS_6",
      "CKV_AWS_19",
      "CKV_AWS_21",
      "CKV_AWS_319",
      // Trust policies, public resource policies, AWS managed policies, SNS encryption, user data secrets, HTTPS listeners.
      "CKV_AWS_60",
      "CKV_AWS_61",
      "CKV_AWS_70",
      "AwsSolutions-IAM4",
      "CKV_AWS_26",
      "AwsSolutions-SNS2",
      "CKV_AWS_46",
      "AWS-0029",
      "CKV_AWS_2",
    ];
    expect(required.filter((id) => !mirrored.includes(id))).toEqual([]);
  });
});

describe("the README table", () => {
  const table = renderRulesTable(APP_FLEETS_RULES);

  test("has one row per rule with its mirrored ids", () => {
    const rows = table.split("\n").slice(2);
    expect(rows).toHaveLength(APP_FLEETS_RULES.length);
    const imds = rows.find((r) => r.includes("**APF-IMDSV2**"))!;
    expect(imds).toContain("`CKV_AWS_79`");
    expect(imds).toContain("`AWS-0130`");
  });

  test("lib/policy/RULES.md is the generated table (regenerate with scripts/policy-table.ts --write)", () => {
    const committed = readFileSync(join(__dirname, "../../../lib/policy/RULES.md"), "utf8");
    expect(committed).toContain(table);
  });

  test("README.md shows the same table (regenerate with scripts/policy-table.ts --write)", () => {
    const readme = readFileSync(join(__dirname, "../../../README.md"), "utf8");
    expect(readme).toContain(table);
  });

  test("replacing the table leaves the rest of a document as it was", () => {
    const document = [
      "# Title",
      "",
      "| Rule | Checks | Resources | checkov | Trivy | cdk-nag |",
      "| --- | old |",
      "| old row |",
      "",
      "## Next",
    ].join("\n");
    expect(replaceRulesTable(document, table).split("\n")).toEqual(["# Title", "", ...table.split("\n"), "", "## Next"]);
  });
});
