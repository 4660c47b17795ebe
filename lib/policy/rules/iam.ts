/**
 * IAM policy rules. Documents are read from inline JSON (`policy` attributes) and from
 * `aws_iam_policy_document` data sources; a policy that is only a reference to such a data
 * source is judged there, once.
 */
import { blocks, list, show } from "../attributes";
import { PolicyResource, PolicyRule } from "../types";

/** One statement, normalized from JSON or from a data source block. */
interface Statement {
  readonly label: string;
  readonly effect: string;
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
}

const POLICY_ATTRIBUTES: Readonly<Record<string, string>> = {
  aws_iam_policy: "policy",
  aws_iam_role_policy: "policy",
  aws_iam_user_policy: "policy",
  aws_iam_group_policy: "policy",
};

const strings = (value: unknown): string[] => list(value).filter((v): v is string => typeof v === "string");

function fromJson(text: unknown, where: string): Statement[] {
  if (typeof text !== "string") return [];
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return []; // a reference such as "${data.aws_iam_policy_document.x.json}", judged at its source
  }
  const raw = (doc as { Statement?: unknown })?.Statement;
  return list(raw).flatMap((s, i) => {
    if (typeof s !== "object" || s === null) return [];
    const st = s as Record<string, unknown>;
    const sid = typeof st.Sid === "string" ? ` "${st.Sid}"` : "";
    return [
      {
        label: `${where}Statement[${i}]${sid}`,
        effect: String(st.Effect ?? ""),
        actions: strings(st.Action),
        notActions: strings(st.NotAction),
        resources: strings(st.Resource),
      },
    ];
  });
}

function statementsOf(resource: PolicyResource): Statement[] {
  const a = resource.attributes;
  if (resource.mode === "data" && resource.type === "aws_iam_policy_document") {
    return blocks(a, "statement").map((st, i) => ({
      label: `statement[${i}]${typeof st.sid === "string" ? ` "${st.sid}"` : ""}`,
      effect: typeof st.effect === "string" ? st.effect : "Allow",
      actions: strings(st.actions),
      notActions: strings(st.not_actions),
      resources: strings(st.resources),
    }));
  }
  if (resource.type === "aws_iam_role") {
    return blocks(a, "inline_policy").flatMap((p, i) => fromJson(p.policy, `inline_policy[${i}] `));
  }
  const key = POLICY_ATTRIBUTES[resource.type];
  return key ? fromJson(a[key], "") : [];
}

const POLICY_HOLDERS = [...Object.keys(POLICY_ATTRIBUTES), "aws_iam_role", "data.aws_iam_policy_document"];

function isWildcardAction(action: string): boolean {
  return action === "*" || /^[a-z0-9-]+:\*$/i.test(action);
}

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
  /^sts:GetCallerIdentity$/,
  /^s3:ListAllMyBuckets$/,
  /^xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets|GetSamplingStatisticSummaries)$/,
  /^tag:GetResources$/,
  /^kms:(ListAliases|ListKeys)$/,
];

export function isUnscopedAction(action: string): boolean {
  return UNSCOPED_ACTIONS.some((pattern) => pattern.test(action));
}

export const NO_WILDCARD_ACTIONS: PolicyRule = {
  id: "APF-IAM-WILDCARD-ACTION",
  title: "IAM policies name their actions",
  severity: "high",
  checks: "No Allow statement grants `*` or a whole service (`s3:*`), and none uses `NotAction`.",
  mirrors: { checkov: ["CKV_AWS_63", "CKV_AWS_62"], trivy: ["AWS-0057"], cdkNag: ["AwsSolutions-IAM5"] },
  fix: "list the actions the workload calls, e.g. [\"s3:GetObject\", \"s3:ListBucket\"]",
  appliesTo: POLICY_HOLDERS,
  evaluate: (resource) =>
    statementsOf(resource)
      .filter((s) => s.effect === "Allow")
      .flatMap((s) => [
        ...s.actions.filter(isWildcardAction).map((a) => `${s.label} allows action ${show(a)}`),
        ...(s.notActions.length > 0 ? [`${s.label} allows everything except NotAction ${show(s.notActions)}`] : []),
      ]),
};

export const NO_WILDCARD_RESOURCES: PolicyRule = {
  id: "APF-IAM-WILDCARD-RESOURCE",
  title: "IAM policies name their resources where the action allows it",
  severity: "high",
  checks:
    "No Allow statement uses Resource `*` for an action that supports resource-level permissions (actions without resource types, such as `ec2:Describe*`, may use `*`).",
  mirrors: { checkov: ["CKV_AWS_355", "CKV_AWS_290"], trivy: ["AWS-0057"], cdkNag: ["AwsSolutions-IAM5"] },
  fix: "replace \"*\" with the ARNs the actions touch (a bucket and its key prefix, a log group, a parameter path)",
  appliesTo: POLICY_HOLDERS,
  evaluate: (resource) =>
    statementsOf(resource)
      .filter((s) => s.effect === "Allow" && s.resources.includes("*"))
      .flatMap((s) => {
        const scoped = s.actions.filter((a) => !isUnscopedAction(a));
        return scoped.length > 0 ? [`${s.label} allows ${show(scoped)} on Resource "*"`] : [];
      }),
};

const ADMIN_POLICIES = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"];
const ATTACHMENTS = ["aws_iam_role_policy_attachment", "aws_iam_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment"];

function adminPolicyName(arn: unknown): string | undefined {
  if (typeof arn !== "string") return undefined;
  return ADMIN_POLICIES.find((name) => arn.endsWith(`:policy/${name}`));
}

export const NO_ADMIN_MANAGED_POLICIES: PolicyRule = {
  id: "APF-IAM-ADMIN-POLICY",
  title: "No administrator managed policies",
  severity: "high",
  checks: "No role, user or group gets the AWS managed AdministratorAccess, PowerUserAccess or IAMFullAccess policy.",
  mirrors: { checkov: ["CKV_AWS_274"] },
  fix: "attach a policy that lists the actions and resources the workload needs",
  appliesTo: [...ATTACHMENTS, "aws_iam_role"],
  evaluate: (resource) => {
    const arns = resource.type === "aws_iam_role" ? list(resource.attributes.managed_policy_arns) : [resource.attributes.policy_arn];
    return arns.flatMap((arn) => {
      const name = adminPolicyName(arn);
      return name ? [`attaches the AWS managed policy ${name} (${show(arn)})`] : [];
    });
  },
};
