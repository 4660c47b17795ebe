/** Renders the rule list as the README's Markdown table, so the table never drifts from the code. */
import { PolicyRule } from "./types";

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const ids = (list: readonly string[] | undefined) => (list && list.length > 0 ? list.map((id) => `\`${id}\``).join(", ") : "—");

export function renderRulesTable(rules: readonly PolicyRule[]): string {
  const lines = [
    "| Rule | Checks | Resources | checkov | Trivy | cdk-nag |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rules.map((r) =>
      [
        `**${r.id}**<br>${cell(r.title)} (${r.severity})`,
        cell(r.checks),
        r.appliesTo.map((t) => `\`${t}\``).join(", "),
        ids(r.mirrors.checkov),
        ids(r.mirrors.trivy),
        ids(r.mirrors.cdkNag),
      ].join(" | "),
    ).map((row) => `| ${row} |`),
  ];
  return lines.join("\n");
}
