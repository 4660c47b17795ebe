/**
 * IAM policy statements as the policy pack reads them, and the questions rules ask of them
 * (what an Allow grants, which principals it trusts, whether a Deny always applies).
 * Pure TypeScript (no cdktf import).
 */
import { display, Opaque, StaticValue, stringParts } from "../expressions/static-value";

/** A value inside a statement (an action, a resource, a principal, a condition value). */
export interface PolicyText {
  readonly value: StaticValue;
  /** As Terraform would show it, e.g. `arn:${data.aws_partition.p.partition}:s3:::b/*`. */
  readonly text: string;
  /** The literal string, when every part is known. */
  readonly literal?: string;
  /**
   * The string with each unknown part replaced by OPAQUE_MARK, for shape checks: an unknown
   * part (an ARN attribute, the partition) is one specific value, never a wildcard.
   */
  readonly pattern?: string;
}

/** Stands for a part Terraform fills in later; contains neither "*" nor ":" nor "/". */
export const OPAQUE_MARK = "\uE000";

export interface PolicyPrincipal {
  /** "AWS", "Service", "Federated", "CanonicalUser", or "*" for `Principal: "*"`. */
  readonly type: string;
  readonly values: readonly PolicyText[];
}

export interface PolicyCondition {
  /** e.g. "StringEquals", "ArnLike", "Bool". */
  readonly operator: string;
  /** e.g. "aws:SourceAccount". */
  readonly key: string;
  readonly values: readonly PolicyText[];
}

export interface PolicyStatement {
  /** Where the statement sits, e.g. `Statement[1] "AllowLogs"` or `source_policy_documents[0] Statement[0]`. */
  readonly label: string;
  readonly sid?: string;
  /** The effects the statement may have ("Allow" and "Deny" when a conditional decides). */
  readonly effects: readonly ("Allow" | "Deny")[];
  /** False when the statement exists only in some branches of a conditional. */
  readonly certain: boolean;
  readonly actions: readonly PolicyText[];
  readonly notActions: readonly PolicyText[];
  readonly resources: readonly PolicyText[];
  readonly notResources: readonly PolicyText[];
  /** Undefined when the statement names no principal (identity policies). */
  readonly principals?: readonly PolicyPrincipal[];
  readonly notPrincipals?: readonly PolicyPrincipal[];
  readonly conditions: readonly PolicyCondition[];
}

export function policyText(value: StaticValue): PolicyText {
  const parts = stringParts(value);
  const literal = parts && parts.every((p) => typeof p === "string") ? parts.join("") : undefined;
  const pattern = parts ? parts.map((p) => (typeof p === "string" ? p : OPAQUE_MARK)).join("") : undefined;
  return { value, text: display(value), ...(literal !== undefined ? { literal } : {}), ...(pattern !== undefined ? { pattern } : {}) };
}

/** The opaque parts of a statement value. */
export function opaquePartsOf(text: PolicyText): Opaque[] {
  return (stringParts(text.value) ?? []).filter((p): p is Opaque => typeof p !== "string");
}

export const mayAllow = (s: PolicyStatement): boolean => s.effects.includes("Allow");
/** True when the statement denies in every case (present in every branch, effect Deny). */
export const alwaysDenies = (s: PolicyStatement): boolean => s.certain && s.effects.length === 1 && s.effects[0] === "Deny";

/** `*`, a whole service (`s3:*`), or any service (`*:*`, `*:Get*`). */
export function isWildcardAction(action: PolicyText): boolean {
  const a = action.pattern;
  if (a === undefined) return false;
  const [service, name] = a.split(":", 2);
  return a === "*" || service.includes("*") || name === "*";
}

/** True when an action pattern (e.g. `s3:Get*`) contains a wildcard. */
export function hasActionWildcard(action: PolicyText): boolean {
  return action.pattern !== undefined && /[*?]/.test(action.pattern);
}

/**
 * `*`, or an ARN that names every resource of its kind: every bucket (`arn:aws:s3:::*`) or every
 * object of every bucket, every parameter (`parameter/` then only `*`), or any service (`arn:*:...`).
 * An ARN with a specific name in its resource part (a bucket's objects, a parameter path) is
 * scoped, whatever its Region or account.
 */
export function isWildcardResource(resource: PolicyText): boolean {
  const r = resource.pattern;
  if (r === undefined) return false;
  if (r === "*") return true;
  const m = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/.exec(r);
  if (!m) return false;
  const [, , service, , , rest] = m;
  if (service === "*" || service === "") return true;
  if (service === "s3") return /^\*(\/\*)?$/.test(rest);
  // A resource type followed only by "*": `parameter/*`, `table/*`, `instance/*`, `alarm:*`.
  return rest === "*" || /^[A-Za-z0-9_.-]+[/:]\*$/.test(rest);
}

/** The literal principal values of one type (e.g. every AWS principal). */
export function principalValues(principals: readonly PolicyPrincipal[] | undefined, type: string): readonly PolicyText[] {
  return (principals ?? []).filter((p) => p.type === type).flatMap((p) => p.values);
}

/**
 * True when a principal admits everybody: `"*"`, `{"AWS": "*"}`, or an AWS principal whose
 * account part is a wildcard (`arn:aws:iam::*:root`).
 */
export function isEveryonePrincipal(principal: PolicyPrincipal): boolean {
  if (principal.type === "*") return true;
  if (principal.type !== "AWS" && principal.type !== "CanonicalUser") return false;
  return principal.values.some((v) => v.pattern === "*" || /^arn:[^:]*:iam::\*:/.test(v.pattern ?? ""));
}

/** Condition keys that tie a request to one account, organization, source resource or network. */
const RESTRICTING_KEYS = [
  "aws:sourceaccount",
  "aws:sourcearn",
  "aws:sourceowner",
  "aws:principalaccount",
  "aws:principalarn",
  "aws:principalorgid",
  "aws:principalorgpaths",
  "aws:sourceorgid",
  "aws:sourceorgpaths",
  "aws:sourcevpc",
  "aws:sourcevpce",
  "aws:sourceip",
  "aws:userid",
  "sts:externalid",
];

/**
 * True when a condition restricts who may act: one of the keys above, compared for equality or a
 * pattern (not a negation), with values that are not themselves wildcards.
 */
export function restrictsPrincipal(conditions: readonly PolicyCondition[]): boolean {
  return conditions.some(
    (c) =>
      RESTRICTING_KEYS.includes(c.key.toLowerCase()) &&
      !/Not|IfExists/.test(c.operator) &&
      c.values.length > 0 &&
      c.values.every((v) => v.pattern !== undefined && v.pattern !== "*" && v.pattern !== ""),
  );
}

/** True when the statement denies requests made without TLS (`Bool aws:SecureTransport = false`). */
export function deniesInsecureTransport(s: PolicyStatement): boolean {
  return (
    alwaysDenies(s) &&
    s.conditions.some(
      (c) =>
        /^Bool(IfExists)?$/.test(c.operator) &&
        c.key.toLowerCase() === "aws:securetransport" &&
        c.values.some((v) => v.literal === "false"),
    )
  );
}
