/** `app-fleets mermaid`: a Mermaid flowchart of the router and its fleets, for README files and PRs. */
import { renderMermaid } from "../../lib/routing/render";
import { renderCommand, withHeadings } from "./render-command";

export const mermaidCommand = renderCommand({
  name: "mermaid",
  summary: "print a Mermaid diagram of the router, its fleets and their weights",
  usageNotes: ["Paste the output into a ```mermaid block; GitHub renders it. Each stack's heading is a Mermaid comment (%%)."],
  render(sources, _args, io) {
    withHeadings(
      sources,
      io,
      (source) => io.out(renderMermaid(source.compiled).trimEnd()),
      (text) => `%% ${text}`,
    );
    return 0;
  },
});
