/**
 * IAM rules. Documents are read as Terraform will read them (see documents/read-policy-documents.ts):
 * inline JSON, `jsonencode(...)`, locals, conditionals and `aws_iam_policy_document` data sources
 * with their source and override documents. A policy that is only a reference to such a data
 * source is judged at the data source, once.
 */
import { show } from "../attributes";
import {
  DocumentReading,
  IDENTITY_POLICY_HOLDERS,
  POLICY_HOLDERS,
  policyDocumentsOf,
  RESOURCE_POLICY_HOLDERS,
} from "../documents/read-policy-documents";
import {
  hasActionWildcard,
  isEveryonePrincipal,
  isWildcardAction,
  isWildcardResource,
  mayAllow,
  PolicyStatement,
  PolicyText,
  restrictsPrincipal,
} from "../documents/policy-statements";
import { evaluateAttribute, EMPTY_SCOPE } from "../expressions/evaluate-expression";
import { itemsOf } from "../expressions/static-value";
import { policyText } from "../documents/policy-statements";
import { PolicyContext, PolicyResource, PolicyRule } from "../types";

/**
 * Actions that have no resource type in the AWS Service Authorization Reference, so `"*"` is
 * the only resource they accept. Curated for what app servers and their tooling call.
 */
const UNSCOPED_ACTIONS: readonly RegExp[] = [
  /^ec2:Describe[A-Za-z*]*$/,
  /^autoscaling:Describe[A-Za-z*]*$/,
  /^elasticloadbalancing:Describe[A-Za-z*]*$/,
  /^cloudwatch:(PutMetricData|GetMetricData|GetMetricStatistics|ListMetrics|DescribeAlarmsForMetric)$/,
  /^logs:DescribeLogGroups$/,
  /^ssmmessages:(CreateControlChannel|CreateDataChannel|OpenControlChannel|OpenDataChannel)$/,
  /^ec2messages:[A-Za-z]+$/,
  // The SSM Agent's heartbeat acts on the calling instance only; AWS grants it on "*" in its own
  // minimal Session Manager instance policy (AWSCloud9SSMInstanceProfile).
  /^ssm:UpdateInstanceInformation$/,
  /^sts:GetCallerIdentity$/,
  /^s3:ListAllMyBuckets$/,
  /^xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets|GetSamplingStatisticSummaries)$/,
  /^tag:GetResources$/,
  /^kms:(ListAliases|ListKeys)$/,
];

export function isUnscopedAction(action: string): boolean {
  return UNSCOPED_ACTIONS.some((pattern) => pattern.test(action));
}

/** The identity documents a resource holds that are judged here (a bare data-source reference is judged at its source). */
function identityDocuments(resource: PolicyResource, context: PolicyContext): DocumentReading[] {
  return policyDocumentsOf(resource, context).filter((d) => d.use === "identity" && !d.viaDataSource);
}

/** A statement's label with the attribute it sits in, when that is not the obvious one. */
function where(reading: DocumentReading, statement: PolicyStatement): string {
  return reading.attribute === "policy" || reading.attribute === "statement" ? statement.label : `${reading.attribute} ${statement.label}`;
}

const texts = (values: readonly PolicyText[]) => show(values.map((v) => v.text));

export const NO_WILDCARD_ACTIONS: PolicyRule = {
  id: "APF-IAM-WILDCARD-ACTION",
  title: "IAM policies name their actions",
  severity: "high",
  checks:
    "No Allow statement grants `*` or a whole service (`s3:*`), and none uses `NotAction`; documents are read from JSON, `jsonencode(...)`, locals and `aws_iam_policy_document` data sources with their `source_policy_documents` and `override_policy_documents`.",
  mirrors: { checkov: ["CKV_AWS_63", "CKV_AWS_62"], trivy: ["AWS-0057"], cdkNag: ["AwsSolutions-IAM5"] },
  fix: 'list the actions the workload calls, e.g. ["s3:GetObject", "s3:ListBucket"]',
  appliesTo: IDENTITY_POLICY_HOLDERS,
  evaluate: (resource, context) =>
    identityDocuments(resource, context).flatMap((reading) =>
      reading.statements
        .filter(mayAllow)
        .flatMap((s) => [
          ...s.actions.filter(isWildcardAction).map((a) => `${where(reading, s)} allows action ${show(a.text)}`),
          ...(s.notActions.length > 0 ? [`${where(reading, s)} allows every action except NotAction ${texts(s.notActions)}`] : []),
        ]),
    ),
};

export const NO_WILDCARD_RESOURCES: PolicyRule = {
  id: "APF-IAM-WILDCARD-RESOURCE",
  title: "IAM policies name their resources where the action allows it",
  severity: "high",
  checks:
    "No Allow statement grants an action that supports resource-level permissions on `*`, on an ARN that names every resource of its kind (`arn:aws:s3:::*`, `arn:aws:ssm:*:*:parameter/*`), or through `NotResource`; actions without resource types (such as `ec2:Describe*`) may use `*`.",
  mirrors: { checkov: ["CKV_AWS_355", "CKV_AWS_290"], trivy: ["AWS-0057"], cdkNag: ["AwsSolutions-IAM5"] },
  fix: "replace the wildcard with the ARNs the actions touch (a bucket and its key prefix, a log group, a parameter path)",
  appliesTo: IDENTITY_POLICY_HOLDERS,
  evaluate: (resource, context) =>
    identityDocuments(resource, context).flatMap((reading) =>
      reading.statements.filter(mayAllow).flatMap((s) => {
        const problems: string[] = [];
        const wildcards = s.resources.filter(isWildcardResource);
        const scoped = s.actions.filter((a) => a.literal === undefined || !isUnscopedAction(a.literal));
        if (wildcards.length > 0 && (scoped.length > 0 || s.notActions.length > 0)) {
          const granted = s.notActions.length > 0 ? `every action except ${texts(s.notActions)}` : texts(scoped);
          const wildcardActions = scoped.filter(hasActionWildcard);
          problems.push(
            `${where(reading, s)} allows ${granted} on ${texts(wildcards)}` +
              (wildcardActions.length > 0 ? `, a wildcard action on every resource of its kind` : ""),
          );
        }
        if (s.notResources.length > 0)
          problems.push(`${where(reading, s)} allows ${texts(s.actions)} on every resource except NotResource ${texts(s.notResources)}`);
        return problems;
      }),
    ),
};

const ADMIN_POLICIES = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"];
const ATTACHMENTS = [
  "aws_iam_role_policy_attachment",
  "aws_iam_policy_attachment",
  "aws_iam_user_policy_attachment",
  "aws_iam_group_policy_attachment",
  "aws_iam_role_policy_attachments_exclusive",
];

/** Policy ARNs a resource attaches, read as Terraform will read them (the partition is often `${data.aws_partition...}`). */
function attachedPolicyArns(resource: PolicyResource): PolicyText[] {
  const a = resource.attributes;
  const raw =
    resource.type === "aws_iam_role"
      ? a.managed_policy_arns
      : resource.type === "aws_iam_role_policy_attachments_exclusive"
        ? a.policy_arns
        : a.policy_arn;
  if (raw === undefined) return [];
  return itemsOf(evaluateAttribute(raw, EMPTY_SCOPE)).map((i) => policyText(i.value));
}

/** The name (with path) of an AWS managed policy ARN, e.g. `service-role/AWSCodeDeployRole`; undefined for customer policies. */
function awsManagedPolicyName(arn: PolicyText): string | undefined {
  const m = /:iam::aws:policy\/(.+)$/.exec(arn.pattern ?? "");
  return m?.[1];
}

const baseName = (name: string) => name.split("/").pop()!;

export const NO_ADMIN_MANAGED_POLICIES: PolicyRule = {
  id: "APF-IAM-ADMIN-POLICY",
  title: "No administrator managed policies",
  severity: "high",
  checks: "No role, user or group gets the AWS managed AdministratorAccess, PowerUserAccess or IAMFullAccess policy.",
  mirrors: { checkov: ["CKV_AWS_274", "CKV2_AWS_56"] },
  fix: "attach a policy that lists the actions and resources the workload needs",
  appliesTo: [...ATTACHMENTS, "aws_iam_role"],
  evaluate: (resource) =>
    attachedPolicyArns(resource).flatMap((arn) => {
      const name = awsManagedPolicyName(arn);
      return name && ADMIN_POLICIES.includes(baseName(name))
        ? [`attaches the AWS managed policy ${baseName(name)} (${show(arn.text)})`]
        : [];
    }),
};

/** What some AWS managed policies grant that a fleet does not need, for the finding's message. */
const BROAD_RIGHTS: Readonly<Record<string, string>> = {
  AmazonSSMManagedInstanceCore:
    "ssm:GetParameter* on every parameter of the account, so every instance reads every other application's parameters",
  AmazonEC2RoleforSSM: "ssm:GetParameter* and s3:* object access on every resource",
  AWSCodeDeployRole: "autoscaling:DeleteAutoScalingGroup, ec2:TerminateInstances and more on every resource",
  AmazonEC2FullAccess: "every EC2, Elastic Load Balancing and Auto Scaling action on every resource",
  AmazonS3FullAccess: "every S3 action on every bucket",
  AmazonS3ReadOnlyAccess: "read access to every bucket of the account",
};

export const NO_AWS_MANAGED_POLICIES: PolicyRule = {
  id: "APF-IAM-AWS-MANAGED-POLICY",
  title: "Roles, users and groups get no AWS managed policy",
  severity: "medium",
  checks:
    "No role, user or group attaches an AWS managed policy (`arn:aws:iam::aws:policy/...`): they are written for every customer and grant their actions on `*` (AmazonSSMManagedInstanceCore lets an instance read every SSM parameter, AWSCodeDeployRole terminates any instance).",
  mirrors: { cdkNag: ["AwsSolutions-IAM4"] },
  fix: "replace the managed policy with an inline or customer managed policy that lists the actions the workload needs on its own resources",
  appliesTo: [...ATTACHMENTS, "aws_iam_role"],
  evaluate: (resource) =>
    attachedPolicyArns(resource).flatMap((arn) => {
      const name = awsManagedPolicyName(arn);
      if (!name || ADMIN_POLICIES.includes(baseName(name))) return [];
      const rights = BROAD_RIGHTS[baseName(name)];
      return [`attaches the AWS managed policy ${name}${rights ? `, which grants ${rights}` : ""}`];
    }),
};

export const NO_OPEN_TRUST: PolicyRule = {
  id: "APF-IAM-OPEN-TRUST",
  title: "Roles trust named principals only",
  severity: "high",
  checks:
    'No role\'s trust policy lets everybody assume it (`Principal: "*"`, `{"AWS": "*"}`, `arn:aws:iam::*:root`, `{"Service": "*"}`) unless a condition ties the request to an account, organization or source (`aws:SourceAccount`, `aws:PrincipalOrgID`, `sts:ExternalId`, ...).',
  mirrors: { checkov: ["CKV_AWS_60", "CKV_AWS_61"] },
  fix: "name the principals that may assume the role (a service, an account's role ARN) and add aws:SourceAccount / aws:SourceArn for service principals",
  appliesTo: ["aws_iam_role"],
  evaluate: (resource, context) =>
    policyDocumentsOf(resource, context)
      .filter((d) => d.use === "trust")
      .flatMap((reading) =>
        reading.statements
          .filter(mayAllow)
          .filter((s) => !restrictsPrincipal(s.conditions))
          .flatMap((s) =>
            (s.principals ?? [])
              .filter((p) => isEveryonePrincipal(p) || (p.type === "Service" && p.values.some((v) => v.pattern === "*")))
              .map(
                (p) =>
                  `${reading.attribute} ${s.label} lets ${p.type === "*" ? "every principal" : `${p.type} ${texts(p.values)}`} assume the role`,
              ),
          ),
      ),
};

export const NO_PUBLIC_RESOURCE_POLICIES: PolicyRule = {
  id: "APF-POLICY-PUBLIC-PRINCIPAL",
  title: "Resource policies grant nothing to everybody",
  severity: "high",
  checks:
    'No bucket, topic or queue policy has an Allow statement for `Principal: "*"` (or `{"AWS": "*"}`) without a condition that ties it to an account, organization, source or network, wherever the statement sits next to a TLS-only Deny.',
  mirrors: { checkov: ["CKV_AWS_70", "CKV_AWS_169", "CKV_AWS_168"] },
  fix: "grant to named principals (an account, a role, a service with aws:SourceAccount), or add a condition such as aws:PrincipalOrgID",
  appliesTo: RESOURCE_POLICY_HOLDERS,
  evaluate: (resource, context) =>
    policyDocumentsOf(resource, context)
      .filter((d) => d.use === "resource")
      .flatMap((reading) =>
        reading.statements
          .filter(mayAllow)
          .filter((s) => !restrictsPrincipal(s.conditions) && (s.principals ?? []).some(isEveryonePrincipal))
          .map(
            (s) =>
              `${s.label} allows ${s.notActions.length > 0 ? "every action except " + texts(s.notActions) : texts(s.actions)} to everybody`,
          ),
      ),
};

export const POLICIES_READABLE: PolicyRule = {
  id: "APF-POLICY-UNREADABLE",
  title: "Policy documents can be read at synth",
  severity: "high",
  checks:
    "Every IAM, trust and resource policy document can be read before apply: its effects and actions are literals, and nothing in it depends on a variable or on a document outside the stack, so no policy passes the other rules unseen.",
  mirrors: {},
  fix: "build the document in the stack (JSON, Fn.jsonencode or an aws_iam_policy_document data source) from literals and resource attributes, or suppress this rule with the reason the document is safe",
  appliesTo: POLICY_HOLDERS,
  evaluate: (resource, context) =>
    policyDocumentsOf(resource, context)
      .filter((d) => !d.viaDataSource)
      .flatMap((d) => d.unreadable),
};
