/**
 * Finds what looks like a credential written into instance user data. User data is readable by
 * anyone with ec2:DescribeInstanceAttribute or ec2:DescribeLaunchTemplateVersions, and from the
 * instance metadata service by every process on the instance, so a secret there is a leaked secret.
 * The patterns are the shapes scanners look for (Trivy's no-secrets-in-*-user-data checks, checkov
 * CKV_AWS_46): AWS access keys, private keys, well-known token formats, and assignments of a literal
 * to a variable named like a credential. A value read at boot (`$(aws ssm get-parameter ...)`,
 * `$VAR`) is not a secret in the user data and is not reported.
 * Pure TypeScript (no cdktf import).
 */

export interface SecretFinding {
  /** What was found, e.g. `an AWS access key ID`. */
  readonly kind: string;
  /** The match with its secret part masked, e.g. `DB_PASSWORD=hunt…`. */
  readonly excerpt: string;
  /** 1-based line of the user data. */
  readonly line: number;
}

const mask = (value: string) => `${value.slice(0, 4)}…`;

/** `showWhole`: the match is a marker, not the secret (a PEM header), so it is shown as it is. */
const FIXED_PATTERNS: readonly { kind: string; pattern: RegExp; showWhole?: boolean }[] = [
  { kind: "an AWS access key ID", pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { kind: "a private key", pattern: /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----/g, showWhole: true },
  { kind: "a GitHub token", pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g },
  { kind: "a Slack token", pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g },
  { kind: "a Stripe live key", pattern: /\b[rs]k_live_[A-Za-z0-9]{16,}\b/g },
];

/**
 * `NAME=value`, `NAME: value`, `"name": "value"` where NAME says credential and the value is a
 * literal of 8 or more characters (not a `$` expansion, a path or an ARN that names where the
 * secret is kept).
 */
const ASSIGNMENT =
  /(["']?)\b([A-Za-z0-9_.-]*?(?:PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CLIENT_?SECRET|CREDENTIALS?)[A-Za-z0-9_]*)\1\s*[=:]\s*(["']?)([^\s"'$`{}<>();|&]{8,})\3/gi;
/** Names that point at a secret rather than hold one. */
const REFERENCE_NAME = /(?:_|-)(?:NAME|ARN|ID|PATH|FILE|PARAM|PARAMETER|URL|URI|TTL|SECONDS|HEADER|REF|KEY_ID)$/i;
const REFERENCE_VALUE = /^(?:\/|arn:|ssm:|secretsmanager:|resolve:|https?:\/\/)/i;

/** Every credential-looking string in the text. */
export function findSecrets(text: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const lineOf = (index: number) => text.slice(0, index).split("\n").length;
  for (const { kind, pattern, showWhole } of FIXED_PATTERNS) {
    for (const m of text.matchAll(pattern)) findings.push({ kind, excerpt: showWhole ? m[0] : mask(m[0]), line: lineOf(m.index ?? 0) });
  }
  for (const m of text.matchAll(ASSIGNMENT)) {
    const [, , name, , value] = m;
    if (REFERENCE_NAME.test(name) || REFERENCE_VALUE.test(value)) continue;
    if (findings.some((f) => f.line === lineOf(m.index ?? 0))) continue;
    findings.push({ kind: `a literal value for ${name}`, excerpt: `${name}=${mask(value)}`, line: lineOf(m.index ?? 0) });
  }
  return findings.sort((a, b) => a.line - b.line);
}

/** Decodes user data given base64-encoded (launch templates, `user_data_base64`); undefined when it is not base64 text. */
export function decodeBase64UserData(encoded: string): string | undefined {
  const compact = encoded.replace(/\s+/g, "");
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  const decoded = Buffer.from(compact, "base64");
  // gzip-compressed user data (cloud-init accepts it) starts with 1f 8b: not text the pack can scan.
  if (decoded[0] === 0x1f && decoded[1] === 0x8b) return undefined;
  return decoded.toString("utf8");
}
