/** Renders the rule list as the README's Markdown table, so the table never drifts from the code. */
import { PolicyRule } from "./types";

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const ids = (list: readonly string[] | undefined) => (list && list.length > 0 ? list.map((id) => `\`${id}\``).join(", ") : "—");

export function renderRulesTable(rules: readonly PolicyRule[]): string {
  const lines = [
    "| Rule | Checks | Resources | checkov | Trivy | cdk-nag |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rules
      .map((r) =>
        [
          `**${r.id}**<br>${cell(r.title)} (${r.severity})`,
          cell(r.checks),
          r.appliesTo.map((t) => `\`${t}\``).join(", "),
          ids(r.mirrors.checkov),
          ids(r.mirrors.trivy),
          ids(r.mirrors.cdkNag),
        ].join(" | "),
      )
      .map((row) => `| ${row} |`),
  ];
  return lines.join("\n");
}

/**
 * Replaces the rule table in a Markdown document (the README): the run of table lines whose
 * header is the one `renderRulesTable` writes. The rest of the document is left as it is.
 * @throws Error when the document has no rule table
 */
export function replaceRulesTable(markdown: string, table: string): string {
  const lines = markdown.split("\n");
  const head = table.split("\n")[0];
  const start = lines.indexOf(head);
  if (start < 0) throw new Error(`no rule table (a line "${head}") in the document`);
  let end = start;
  while (end < lines.length && lines[end].startsWith("|")) end++;
  return [...lines.slice(0, start), ...table.split("\n"), ...lines.slice(end)].join("\n");
}
