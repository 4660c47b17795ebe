/**
 * Composes an instance's user data: the user's own part first, then the parts this library
 * adds (bootstrap gate, drain handler), as one MIME multipart document cloud-init understands.
 * Pure: no cdktf import, so the composition is tested as plain strings.
 */
import { Violations } from "../core/errors";
import { hasToken } from "../core/terraform-literal";

/** One part of a multipart user-data document. */
export interface UserDataPart {
  /** File name cloud-init gives the part; it also orders the scripts it runs. */
  readonly filename: string;
  /** MIME type, e.g. `text/x-shellscript` or `text/cloud-config`. */
  readonly contentType: string;
  readonly content: string;
}

/** EC2 refuses user data above 16 KB (before base64). */
export const USER_DATA_MAX_BYTES = 16 * 1024;

/** Fixed, so the same input always yields the same document and plans stay quiet. */
export const MIME_BOUNDARY = "==app-fleets-user-data-boundary==";

/**
 * The first-line markers cloud-init reads to type a part, longest first so
 * `#cloud-config-archive` is not taken for `#cloud-config`.
 */
const CONTENT_TYPES: ReadonlyArray<readonly [string, string]> = [
  ["#cloud-config-archive", "text/cloud-config-archive"],
  ["#cloud-config-jsonp", "text/cloud-config-jsonp"],
  ["#cloud-config", "text/cloud-config"],
  ["#cloud-boothook", "text/cloud-boothook"],
  ["#part-handler", "text/part-handler"],
  ["#include", "text/x-include-url"],
  ["## template: jinja", "text/jinja2"],
  ["#!", "text/x-shellscript"],
];

/** The MIME type cloud-init would give this content, or undefined when it would ignore it. */
export function userDataContentType(content: string): string | undefined {
  return CONTENT_TYPES.find(([marker]) => content.startsWith(marker))?.[1];
}

/**
 * Checks the user's own user data before it is wrapped. Only needed when we compose: a
 * document passed through unchanged is the user's business, as before.
 */
export function checkUserPart(v: Violations, field: string, content: string): void {
  if (/^content-type:\s*multipart\//i.test(content.trimStart())) {
    v.add(
      field,
      "(a MIME multipart document)",
      "is already MIME multipart; the bootstrap gate and drain handler are added as parts of a multipart document and cannot be nested in yours",
      "pass your script or #cloud-config alone (the library wraps it), or turn the bootstrap gate and stateful guard off",
    );
    return;
  }
  // cdktf renders a value known only at apply time as a token marker inside the string.
  if (hasToken(content)) {
    v.add(
      field,
      "(a value known only at apply time)",
      "cannot be composed with the bootstrap gate and drain handler: the document is built and encoded at synth time",
      "read the value on the instance at boot (SSM Parameter Store, instance tags through IMDS), or turn the bootstrap gate off",
    );
    return;
  }
  v.check(
    userDataContentType(content) !== undefined,
    field,
    firstLine(content),
    "does not start with a marker cloud-init recognises, so cloud-init would skip it once it is one part among several",
    'start it with "#!/bin/bash" (a script) or "#cloud-config"',
  );
  v.check(
    !content.includes(MIME_BOUNDARY),
    field,
    MIME_BOUNDARY,
    "contains the library's MIME boundary",
    "remove that string from your user data",
  );
}

/** Checks the composed document against EC2's size limit. */
export function checkUserDataSize(v: Violations, field: string, document: string): void {
  const bytes = Buffer.byteLength(document, "utf8");
  v.check(
    bytes <= USER_DATA_MAX_BYTES,
    field,
    `${bytes} bytes`,
    `the composed user data (yours plus the bootstrap gate and drain handler) must be at most ${USER_DATA_MAX_BYTES} bytes, EC2's limit`,
    "move large files out of user data: fetch them from S3 at boot, or bake them into the AMI",
  );
}

/** Renders parts as one `multipart/mixed` document, in the order given. */
export function composeUserData(parts: readonly UserDataPart[]): string {
  const lines = [`Content-Type: multipart/mixed; boundary="${MIME_BOUNDARY}"`, "MIME-Version: 1.0", ""];
  for (const part of parts) {
    const ascii = /^[\x00-\x7f]*$/.test(part.content);
    lines.push(
      `--${MIME_BOUNDARY}`,
      `Content-Type: ${part.contentType}; charset="${ascii ? "us-ascii" : "utf-8"}"`,
      "MIME-Version: 1.0",
      `Content-Transfer-Encoding: ${ascii ? "7bit" : "8bit"}`,
      `Content-Disposition: attachment; filename="${part.filename}"`,
      "",
      part.content.endsWith("\n") ? part.content.slice(0, -1) : part.content,
    );
  }
  lines.push(`--${MIME_BOUNDARY}--`, "");
  return lines.join("\n");
}

/** The user's own user data as the first part of a composed document. */
export function userPart(content: string): UserDataPart {
  const contentType = userDataContentType(content) ?? "text/x-shellscript";
  return { filename: contentType === "text/x-shellscript" ? "00-user-data.sh" : "00-user-data", contentType, content };
}

/**
 * Parses a document made by `composeUserData` back into its parts: the inverse used by
 * tests and by anyone who wants to see what an instance will run.
 */
export function parseUserData(document: string): UserDataPart[] {
  const chunks = document.split(`--${MIME_BOUNDARY}`).slice(1, -1);
  return chunks.map((chunk) => {
    const body = chunk.replace(/^\n/, "");
    const split = body.indexOf("\n\n");
    const headers = body.slice(0, split);
    const content = body.slice(split + 2).replace(/\n$/, "");
    return {
      contentType: /Content-Type: ([^;\n]+)/.exec(headers)?.[1] ?? "",
      filename: /filename="([^"]+)"/.exec(headers)?.[1] ?? "",
      content: `${content}\n`,
    };
  });
}

/** Quotes a value for a POSIX shell: the result is always one literal word. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Marker ending the here-documents that write user commands to files. A user command that
 * contains it on a line of its own would end the file early, so callers reject that.
 */
export const HEREDOC_END = "APP_FLEETS_END_OF_FILE";

/** A shell snippet that writes `content` verbatim to `path` (quoted here-document: no expansion). */
export function writeFileSnippet(path: string, content: string, mode = "0755"): string {
  const body = content.endsWith("\n") ? content : `${content}\n`;
  return `install -d -m 0755 "$(dirname ${shellQuote(path)})"\ncat > ${shellQuote(path)} <<'${HEREDOC_END}'\n${body}${HEREDOC_END}\nchmod ${mode} ${shellQuote(path)}\n`;
}

/** True when `command` can be embedded with `writeFileSnippet`. */
export function isEmbeddable(command: string): boolean {
  return !command.split("\n").some((line) => line.trim() === HEREDOC_END);
}

function firstLine(content: string): string {
  const line = content.split("\n", 1)[0];
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}
