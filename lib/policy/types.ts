/**
 * The policy pack's data model. Pure TypeScript (no cdktf import): rules judge plain,
 * synthesized attribute trees, so they are tested without building constructs.
 */

/** How much a finding matters. Every unsuppressed finding fails synth; severity orders the report. */
export type PolicySeverity = "high" | "medium" | "low";

/** Ids of the scanner rules a policy rule mirrors, so a reader can map our findings to theirs. */
export interface ScannerMirrors {
  /** checkov ids, e.g. "CKV_AWS_79". */
  readonly checkov?: readonly string[];
  /** Trivy (formerly tfsec) AVD ids, e.g. "AWS-0130". */
  readonly trivy?: readonly string[];
  /** cdk-nag AwsSolutions ids, e.g. "AwsSolutions-EC26". */
  readonly cdkNag?: readonly string[];
}

/** One synthesized resource or data source, as Terraform will see it. */
export interface PolicyResource {
  /** "managed" for `resource` blocks, "data" for `data` blocks. */
  readonly mode: "managed" | "data";
  /** Terraform type, e.g. "aws_launch_template". */
  readonly type: string;
  /** Logical name in the synthesized JSON. */
  readonly name: string;
  /** Terraform address, e.g. "aws_launch_template.fleet_LaunchTemplate_4C08B756" or "data.aws_iam_policy_document.x". */
  readonly address: string;
  /** Construct path, e.g. "stack/fleet/LaunchTemplate". */
  readonly path: string;
  /** Final attributes with snake_case keys, after overrides; references appear as "${type.name.attr}". */
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** Everything a rule may look at besides the resource under judgment. */
export interface PolicyContext {
  /** Every resource and data source of the stack, including those outside the policy's scope. */
  readonly resources: readonly PolicyResource[];
  /** The stack's locals with their synthesized values, by name (policies may be built from them). @default - none */
  readonly locals?: Readonly<Record<string, unknown>>;
}

/** A rule of the pack: what it checks, which scanners it mirrors, and how to fix a failure. */
export interface PolicyRule {
  /** Stable id, e.g. "APF-IMDSV2". Suppressions name it. */
  readonly id: string;
  readonly title: string;
  readonly severity: PolicySeverity;
  /** What the rule checks, one sentence (the README table's "checks" column). */
  readonly checks: string;
  readonly mirrors: ScannerMirrors;
  /** How to make a failing resource pass. */
  readonly fix: string;
  /** Terraform types the rule judges (with "data." prefix for data sources). */
  readonly appliesTo: readonly string[];
  /**
   * Judges one resource. Returns one sentence per problem, naming the attribute and its value
   * (e.g. `metadata_options.http_tokens is "optional"`); an empty list means the resource passes.
   */
  readonly evaluate: (resource: PolicyResource, context: PolicyContext) => readonly string[];
}

/** A written excuse for one rule on one resource (or on every resource under a construct). */
export interface PolicySuppression {
  /** The rule id, e.g. "APF-ALB-ACCESS-LOGS". */
  readonly id: string;
  /** Why the finding is acceptable here, in a full sentence (at least 20 characters). */
  readonly reason: string;
}

/** A rule that a resource fails. */
export interface PolicyFinding {
  readonly ruleId: string;
  readonly severity: PolicySeverity;
  readonly title: string;
  readonly address: string;
  readonly path: string;
  /** What is wrong. */
  readonly problem: string;
  readonly fix: string;
  /** Present when a suppression excuses the finding. */
  readonly suppression?: { readonly reason: string; readonly declaredAt: string };
}
