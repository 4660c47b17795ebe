/**
 * Free text stays text. Terraform reads every string of a `.tf.json` file as a template:
 * `${...}` is an interpolation and `%{...}` a directive. A tag value, a maintenance page or a
 * header value that a user wrote must reach Terraform as literal text, or a configuration edit
 * such as `"Owner": "${file(\"/etc/os-release\")}"` makes `terraform plan` read a local file
 * into a tag. Terraform's own escapes are `$${` for a literal `${` and `%%{` for a literal `%{`
 * (Terraform language docs, "Strings and Templates"; JSON syntax: "String values are
 * interpreted as string templates").
 *
 * cdktf writes references to other resources into strings as token markers, e.g.
 * `${TfToken[TOKEN.12]}`, and replaces them with `${aws_lb.x.arn}` at synth. Those must keep
 * their meaning, so escaping skips them. Pure: no cdktf import; the marker is cdktf's
 * `BEGIN_STRING_TOKEN_MARKER` (cdktf/lib/tokens/private/encoding.ts, not exported), checked
 * against the real thing by test/unit/config/terraform-literal.test.ts.
 *
 * Order of work: validate the user's value first (so a `${` in it is checked like any other
 * character), escape it last, when it is handed to a resource.
 */

/** How cdktf opens a string token: `${TfToken[TOKEN.<n>]}`. */
export const CDKTF_STRING_TOKEN_MARKER = "${TfToken[";

/** The marker as a regular expression source (for the published JSON Schema's `pattern`). */
export const CDKTF_STRING_TOKEN_MARKER_PATTERN = CDKTF_STRING_TOKEN_MARKER.replace(/[$^\\.*+?()[\]{}|]/g, "\\$&");

/**
 * A string that stands for a value known only at deploy time, for checks that run before the
 * constructs exist (a configuration file's fleets, before the router that gives them their load
 * balancer): every check treats it exactly like a cdktf token.
 */
export const DEPLOY_TIME_PLACEHOLDER = `${CDKTF_STRING_TOKEN_MARKER}TOKEN.deploy-time]}`;

/** One whole string token; key characters are cdktf's `VALID_KEY_CHARS`. */
const STRING_TOKEN = /\$\{TfToken\[[a-zA-Z0-9:._-]+\]\}/g;

/** True when the string holds a cdktf token, i.e. a value known only at deploy time. */
export function hasToken(value: unknown): boolean {
  return typeof value === "string" && value.includes(CDKTF_STRING_TOKEN_MARKER);
}

/** True when Terraform would read part of `text` as an interpolation or a directive. */
export function hasTemplateSequence(text: string): boolean {
  return text.includes("${") || text.includes("%{");
}

/** Escapes literal text (no tokens in it) so Terraform reads it back unchanged. */
function escapeLiteral(text: string): string {
  // Replacement functions, not strings: in a replacement string "$$" means one "$".
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/**
 * The string Terraform reads back as `value`: `${` becomes `$${` and `%{` becomes `%%{`
 * everywhere except inside cdktf token markers, which keep their meaning. Apply it exactly
 * once, to the value given to a resource (escaping twice doubles the `$`).
 */
export function terraformLiteral(value: string): string {
  if (!hasToken(value)) return escapeLiteral(value);
  let out = "";
  let last = 0;
  for (const match of value.matchAll(STRING_TOKEN)) {
    let text = escapeLiteral(value.slice(last, match.index));
    // A literal "$" right before a token would turn the token's "${" into the escape "$${":
    // write that "$" as an interpolation of the string "$" instead.
    if (text.endsWith("$")) text = `${text.slice(0, -1)}\${"$"}`;
    out += text + match[0];
    last = match.index + match[0].length;
  }
  return out + escapeLiteral(value.slice(last));
}

/** `terraformLiteral` over a map's keys and values (tags). */
export function terraformLiteralMap(map: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(map)) out[terraformLiteral(key)] = terraformLiteral(value);
  return out;
}
