/**
 * A minimal XML reader for AWS Query-protocol responses: elements, text and entities, no
 * attributes, no namespaces. Query responses are plain element trees (`<member>` lists), so this
 * is all the deploy harness needs to read EC2 and Auto Scaling answers without a dependency.
 */

export interface XmlNode {
  readonly name: string;
  readonly children: XmlNode[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, e: string) => {
    if (e.startsWith("#x")) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith("#")) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? whole;
  });
}

/** Parses a document into its root element. */
export function parseXml(xml: string): XmlNode {
  const root: XmlNode = { name: "#document", children: [], text: "" };
  const stack: XmlNode[] = [root];
  const token = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<(\/?)([A-Za-z_][\w.:-]*)[^>]*?(\/?)>|([^<]+)/g;
  for (let m = token.exec(xml); m; m = token.exec(xml)) {
    const top = stack[stack.length - 1];
    if (m[1] !== undefined) top.text += m[1];
    else if (m[3] !== undefined) {
      if (m[2] === "/") {
        stack.pop();
      } else {
        const node: XmlNode = { name: m[3].replace(/^.*:/, ""), children: [], text: "" };
        top.children.push(node);
        if (m[4] !== "/") stack.push(node);
      }
    } else if (m[5] !== undefined) top.text += decode(m[5]);
  }
  return root.children[0] ?? root;
}

/** The first descendant (depth first) named `name`. */
export function find(node: XmlNode, name: string): XmlNode | undefined {
  for (const child of node.children) {
    if (child.name === name) return child;
    const deeper = find(child, name);
    if (deeper) return deeper;
  }
  return undefined;
}

/** Every descendant named `name`, in document order (not descending into matches). */
export function findAll(node: XmlNode, name: string): XmlNode[] {
  return node.children.flatMap((child) => (child.name === name ? [child] : findAll(child, name)));
}

/** The trimmed text of the direct child `name`, or undefined. */
export function childText(node: XmlNode, name: string): string | undefined {
  return node.children.find((c) => c.name === name)?.text.trim();
}

/** The `<member>` / `<item>` elements of the direct child list `name`. */
export function listOf(node: XmlNode, name: string): XmlNode[] {
  const list = node.children.find((c) => c.name === name);
  return list ? list.children.filter((c) => c.name === "member" || c.name === "item") : [];
}
