/** `app-fleets mermaid`: a Mermaid flowchart of the router and its fleets, for README files and PRs. */
import { renderMermaid } from "../../lib/routing/render";
import { renderCommand } from "./render-command";

export const mermaidCommand = renderCommand(
  "mermaid",
  "print a Mermaid diagram of the router, its fleets and their weights",
  ["Paste the output into a ```mermaid block; GitHub renders it."],
  renderMermaid,
);
