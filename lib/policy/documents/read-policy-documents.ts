/**
 * Reads the policy documents a resource holds, the way Terraform will: inline JSON (with its
 * `${...}` interpolations), `jsonencode(...)` expressions, locals, conditionals, and
 * `aws_iam_policy_document` data sources with their `source_policy_documents` and
 * `override_policy_documents`. What cannot be known at synth is reported as unreadable, so a
 * rule never passes a policy it could not see.
 * Pure TypeScript (no cdktf import).
 */
import { EvaluationScope, tryEvaluateAttribute } from "../expressions/evaluate-expression";
import { display, field, itemsOf, opaquesIn, StaticValue, fromJson, textOf, Opaque } from "../expressions/static-value";
import { PolicyContext, PolicyResource } from "../types";
import { PolicyCondition, PolicyPrincipal, PolicyStatement, policyText, PolicyText } from "./policy-statements";

/** How a document is used: permissions of an identity, a role's trust policy, or a resource policy. */
export type DocumentUse = "identity" | "trust" | "resource";

export interface DocumentReading {
  readonly use: DocumentUse;
  /** The attribute that holds it, e.g. `policy`, `assume_role_policy`, `inline_policy[0].policy`. */
  readonly attribute: string;
  readonly statements: readonly PolicyStatement[];
  /** One sentence per part that cannot be read at synth. */
  readonly unreadable: readonly string[];
  /** Set when the attribute is only a reference to a data source of the stack, which is judged itself. */
  readonly viaDataSource?: string;
}

const IDENTITY_POLICY_ATTRIBUTE: Readonly<Record<string, string>> = {
  aws_iam_policy: "policy",
  aws_iam_role_policy: "policy",
  aws_iam_user_policy: "policy",
  aws_iam_group_policy: "policy",
};

const RESOURCE_POLICY_ATTRIBUTE: Readonly<Record<string, string>> = {
  aws_s3_bucket_policy: "policy",
  aws_s3_bucket: "policy",
  aws_sns_topic_policy: "policy",
  aws_sns_topic: "policy",
  aws_sqs_queue_policy: "policy",
  aws_sqs_queue: "policy",
};

/** Every type whose documents the pack reads (data sources with their "data." prefix). */
export const IDENTITY_POLICY_HOLDERS = [...Object.keys(IDENTITY_POLICY_ATTRIBUTE), "aws_iam_role", "data.aws_iam_policy_document"];
export const RESOURCE_POLICY_HOLDERS = Object.keys(RESOURCE_POLICY_ATTRIBUTE);
export const POLICY_HOLDERS = [...IDENTITY_POLICY_HOLDERS, ...RESOURCE_POLICY_HOLDERS];

const DATA_DOCUMENT = "aws_iam_policy_document";
const cache = new WeakMap<PolicyResource, DocumentReading[]>();

/** The evaluation scope of a stack: its locals and its policy document data sources. */
export function scopeOf(context: PolicyContext): EvaluationScope {
  return {
    locals: context.locals ?? {},
    isPolicyDocument: (address) => context.resources.some((r) => r.address === address && r.mode === "data" && r.type === DATA_DOCUMENT),
  };
}

/** Every policy document the resource holds (none for other types). */
export function policyDocumentsOf(resource: PolicyResource, context: PolicyContext): readonly DocumentReading[] {
  const cached = cache.get(resource);
  if (cached) return cached;
  const reader = new DocumentReader(context);
  const readings = reader.documentsOf(resource);
  cache.set(resource, readings);
  return readings;
}

class DocumentReader {
  private readonly scope: EvaluationScope;

  constructor(private readonly context: PolicyContext) {
    this.scope = scopeOf(context);
  }

  documentsOf(resource: PolicyResource): DocumentReading[] {
    const a = resource.attributes;
    if (resource.mode === "data") {
      if (resource.type !== DATA_DOCUMENT) return [];
      const { statements, unreadable } = this.dataDocument(resource, new Set());
      return [{ use: "identity", attribute: "statement", statements, unreadable }];
    }
    if (resource.type === "aws_iam_role") {
      const readings: DocumentReading[] = [];
      if (a.assume_role_policy !== undefined) readings.push(this.attribute("trust", "assume_role_policy", a.assume_role_policy));
      const inline = a.inline_policy;
      const blocks = Array.isArray(inline) ? inline : inline && typeof inline === "object" ? [inline] : [];
      blocks.forEach((block, i) => {
        const policy = (block as Record<string, unknown>)?.policy;
        if (policy !== undefined) readings.push(this.attribute("identity", `inline_policy[${i}].policy`, policy));
      });
      return readings;
    }
    const identity = IDENTITY_POLICY_ATTRIBUTE[resource.type];
    if (identity && a[identity] !== undefined) return [this.attribute("identity", identity, a[identity])];
    const resourcePolicy = RESOURCE_POLICY_ATTRIBUTE[resource.type];
    if (resourcePolicy && a[resourcePolicy] !== undefined) return [this.attribute("resource", resourcePolicy, a[resourcePolicy])];
    return [];
  }

  private attribute(use: DocumentUse, attribute: string, raw: unknown): DocumentReading {
    const value = tryEvaluateAttribute(raw, this.scope);
    if ("error" in value) return { use, attribute, statements: [], unreadable: [`${attribute} ${value.error}`] };
    const via = value.kind === "opaque" ? value.opaque.documentAddress : undefined;
    const { statements, unreadable } = this.document(value, attribute, "", new Set());
    return { use, attribute, statements, unreadable, ...(via ? { viaDataSource: via } : {}) };
  }

  /** Reads a document value: an object, a JSON string (possibly with unknown parts), or a data source's document. */
  private document(value: StaticValue, attribute: string, prefix: string, visiting: ReadonlySet<string>): Reading {
    switch (value.kind) {
      case "object":
        return this.statements(value, prefix);
      case "scalar":
      case "text": {
        const parsed = parseJsonWithUnknowns(value);
        if ("error" in parsed) return { statements: [], unreadable: [`${attribute} ${parsed.error}`] };
        return this.document(parsed, attribute, prefix, visiting);
      }
      case "oneOf": {
        const readings = value.options.map((o) => this.document(o, attribute, prefix, visiting));
        return {
          statements: readings.flatMap((r) => r.statements.map((s) => ({ ...s, certain: false }))),
          unreadable: readings.flatMap((r) => r.unreadable),
        };
      }
      case "opaque": {
        const address = value.opaque.documentAddress;
        const source = address && this.context.resources.find((r) => r.address === address);
        if (source && !visiting.has(address)) {
          const inner = this.dataDocument(source, new Set([...visiting, address]));
          return {
            statements: inner.statements.map((s) => ({ ...s, label: `${prefix}${address} ${s.label}` })),
            unreadable: inner.unreadable.map((u) => `${address}: ${u}`),
          };
        }
        return { statements: [], unreadable: [`${attribute} is \${${value.opaque.source}}, which cannot be read at synth`] };
      }
      case "list":
        return { statements: [], unreadable: [`${attribute} is a list, not a policy document`] };
    }
  }

  private statements(document: StaticValue, prefix: string): Reading {
    const raw = field(document, "Statement");
    if (!raw) return { statements: [], unreadable: [] };
    const unreadable: string[] = [];
    const statements: PolicyStatement[] = [];
    itemsOf(raw).forEach((item, i) => {
      const label = `${prefix}Statement[${i}]`;
      if (item.value.kind !== "object") {
        unreadable.push(`${label} is ${display(item.value)}, which cannot be read at synth`);
        return;
      }
      const s = item.value;
      const sid = literalString(field(s, "Sid"));
      const fullLabel = sid ? `${label} "${sid}"` : label;
      const read = (key: string) => valuesOf(field(s, key), `${fullLabel}.${key}`, unreadable);
      const effects = effectsOf(field(s, "Effect"), `${fullLabel}.Effect`, unreadable);
      statements.push({
        label: fullLabel,
        ...(sid ? { sid } : {}),
        effects,
        certain: item.certain,
        actions: read("Action"),
        notActions: read("NotAction"),
        resources: read("Resource"),
        notResources: read("NotResource"),
        ...(field(s, "Principal") ? { principals: principalsOf(field(s, "Principal")!, `${fullLabel}.Principal`, unreadable) } : {}),
        ...(field(s, "NotPrincipal")
          ? { notPrincipals: principalsOf(field(s, "NotPrincipal")!, `${fullLabel}.NotPrincipal`, unreadable) }
          : {}),
        conditions: conditionsOf(field(s, "Condition")),
      });
    });
    checkActions(statements, unreadable);
    return { statements, unreadable };
  }

  /** A data source's document: its source documents, its own statements, then its overrides, merged by Sid as the provider does. */
  private dataDocument(resource: PolicyResource, visiting: ReadonlySet<string>): Reading {
    const value = tryEvaluateAttribute(resource.attributes, this.scope);
    if ("error" in value) return { statements: [], unreadable: [value.error] };
    const unreadable: string[] = [];
    const merged: PolicyStatement[] = [];
    const merge = (statements: readonly PolicyStatement[]) => {
      for (const s of statements) {
        const same = s.sid ? merged.findIndex((m) => m.sid === s.sid) : -1;
        if (same >= 0) merged[same] = s;
        else merged.push(s);
      }
    };
    const documents = (key: string) => {
      const list = field(value, key);
      if (!list) return;
      itemsOf(list).forEach((item, i) => {
        const reading = this.document(item.value, `${key}[${i}]`, `${key}[${i}] `, visiting);
        unreadable.push(...reading.unreadable);
        merge(item.certain ? reading.statements : reading.statements.map((s) => ({ ...s, certain: false })));
      });
    };
    documents("source_policy_documents");
    const own: PolicyStatement[] = [];
    const blocks = field(value, "statement");
    if (blocks) {
      itemsOf(blocks).forEach((item, i) => {
        const label = `statement[${i}]`;
        if (item.value.kind !== "object") {
          unreadable.push(`${label} is ${display(item.value)}, which cannot be read at synth`);
          return;
        }
        const b = item.value;
        const sid = literalString(field(b, "sid"));
        const fullLabel = sid ? `${label} "${sid}"` : label;
        const read = (key: string) => valuesOf(field(b, key), `${fullLabel}.${key}`, unreadable);
        const effect = field(b, "effect");
        own.push({
          label: fullLabel,
          ...(sid ? { sid } : {}),
          effects: effect ? effectsOf(effect, `${fullLabel}.effect`, unreadable) : ["Allow"],
          certain: item.certain,
          actions: read("actions"),
          notActions: read("not_actions"),
          resources: read("resources"),
          notResources: read("not_resources"),
          ...(field(b, "principals")
            ? { principals: blockPrincipals(field(b, "principals")!, `${fullLabel}.principals`, unreadable) }
            : {}),
          ...(field(b, "not_principals")
            ? { notPrincipals: blockPrincipals(field(b, "not_principals")!, `${fullLabel}.not_principals`, unreadable) }
            : {}),
          conditions: itemsOf(field(b, "condition") ?? { kind: "list", items: [] }).flatMap((c) => {
            const operator = literalString(field(c.value, "test"));
            const key = literalString(field(c.value, "variable"));
            return operator && key
              ? [
                  {
                    operator,
                    key,
                    values: itemsOf(field(c.value, "values") ?? { kind: "list", items: [] }).map((v) => policyText(v.value)),
                  },
                ]
              : [];
          }),
        });
      });
    }
    checkActions(own, unreadable);
    merge(own);
    documents("override_policy_documents");
    return { statements: merged, unreadable };
  }
}

interface Reading {
  readonly statements: readonly PolicyStatement[];
  readonly unreadable: readonly string[];
}

function literalString(value: StaticValue | undefined): string | undefined {
  return value?.kind === "scalar" && typeof value.value === "string" ? value.value : undefined;
}

function effectsOf(value: StaticValue | undefined, where: string, unreadable: string[]): ("Allow" | "Deny")[] {
  const options = value === undefined ? [] : value.kind === "oneOf" ? value.options : [value];
  const effects = options.map(literalString);
  if (effects.length === 0 || effects.some((e) => e !== "Allow" && e !== "Deny")) {
    unreadable.push(`${where} is ${value === undefined ? "not set" : display(value)}, not "Allow" or "Deny"`);
    // Judge it as the more dangerous effect: an unreadable statement may allow.
    return ["Allow"];
  }
  return [...new Set(effects as ("Allow" | "Deny")[])];
}

/** A string-or-list element (Action, Resource, condition values); variables make it unreadable. */
function valuesOf(value: StaticValue | undefined, where: string, unreadable: string[]): PolicyText[] {
  if (value === undefined) return [];
  const texts = itemsOf(value).map((i) => policyText(i.value));
  for (const t of texts) {
    const variables = opaquesIn(t.value).filter((o) => o.origin === "variable");
    if (t.pattern === undefined) unreadable.push(`${where} holds ${t.text}, which is not a string`);
    else if (variables.length > 0)
      unreadable.push(`${where} holds ${t.text}, which depends on ${variables.map((v) => v.source).join(", ")}`);
  }
  return texts;
}

/** Actions are always literals in a readable policy: an unknown part could be any action. */
function checkActions(statements: readonly PolicyStatement[], unreadable: string[]): void {
  for (const s of statements) {
    for (const a of [...s.actions, ...s.notActions]) {
      if (a.pattern !== undefined && a.literal === undefined && !unreadable.some((u) => u.includes(a.text))) {
        unreadable.push(`${s.label} names the action ${a.text}, which is only known after apply`);
      }
    }
  }
}

function principalsOf(value: StaticValue, where: string, unreadable: string[]): PolicyPrincipal[] {
  if (value.kind === "scalar" && value.value === "*") return [{ type: "*", values: [policyText(value)] }];
  if (value.kind !== "object") {
    unreadable.push(`${where} is ${display(value)}, which cannot be read at synth`);
    return [];
  }
  return [...value.fields.entries()].map(([type, values]) => ({ type, values: valuesOf(values, `${where}.${type}`, unreadable) }));
}

function blockPrincipals(value: StaticValue, where: string, unreadable: string[]): PolicyPrincipal[] {
  return itemsOf(value).flatMap((item, i) => {
    const type = literalString(field(item.value, "type"));
    if (!type) {
      unreadable.push(`${where}[${i}].type is not a literal`);
      return [];
    }
    const values = valuesOf(field(item.value, "identifiers"), `${where}[${i}].identifiers`, unreadable);
    // `type = "*"` with `identifiers = ["*"]` is the data source's way of writing `Principal: "*"`.
    return [{ type: type === "*" ? "*" : type, values }];
  });
}

function conditionsOf(value: StaticValue | undefined): PolicyCondition[] {
  if (value?.kind !== "object") return [];
  return [...value.fields.entries()].flatMap(([operator, keys]) =>
    keys.kind === "object"
      ? [...keys.fields.entries()].map(([key, values]) => ({ operator, key, values: itemsOf(values).map((v) => policyText(v.value)) }))
      : [],
  );
}

/**
 * Parses a JSON document whose text has unknown parts (`{"Resource": "arn:${data.aws_partition.p.partition}:s3:::b"}`):
 * each unknown part becomes a private-use placeholder inside its JSON string, and goes back to
 * being an unknown part of that string after parsing.
 */
function parseJsonWithUnknowns(value: StaticValue): StaticValue | { error: string } {
  const parts =
    value.kind === "text" ? value.parts : value.kind === "scalar" && typeof value.value === "string" ? [value.value] : undefined;
  if (!parts) return { error: `is ${display(value)}, not a policy document` };
  const opaques: Opaque[] = [];
  const text = parts.map((p) => (typeof p === "string" ? p : `\uE001${opaques.push(p) - 1}\uE002`)).join("");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return opaques.length === 1 && parts.length === 1
      ? { error: `is \${${opaques[0].source}}, which cannot be read at synth` }
      : { error: "is not valid JSON" };
  }
  return restore(parsed, opaques);
}

function restore(parsed: unknown, opaques: readonly Opaque[]): StaticValue {
  if (typeof parsed === "string" && parsed.includes("\uE001")) {
    return textOf(
      parsed.split(/(\uE001\d+\uE002)/).map((piece) => {
        const m = /^\uE001(\d+)\uE002$/.exec(piece);
        return m ? opaques[Number(m[1])] : piece;
      }),
    );
  }
  if (Array.isArray(parsed)) return { kind: "list", items: parsed.map((p) => ({ value: restore(p, opaques), certain: true })) };
  if (typeof parsed === "object" && parsed !== null) {
    return { kind: "object", fields: new Map(Object.entries(parsed).map(([k, v]) => [k, restore(v, opaques)])) };
  }
  return fromJson(parsed);
}
