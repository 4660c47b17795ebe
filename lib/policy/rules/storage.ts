/**
 * S3 bucket rules. Since provider v4 a bucket's settings live in companion resources
 * (`aws_s3_bucket_public_access_block`, `_versioning`, `_server_side_encryption_configuration`,
 * `_policy`) that name the bucket by reference or by literal name: each rule looks for the
 * companion that names the bucket, and still accepts the legacy inline blocks.
 */
import { block, blocks, identifies, isTrue, resourcesNaming, show } from "../attributes";
import { PolicyContext, PolicyResource, PolicyRule } from "../types";
import { deniesInsecureTransport } from "../documents/policy-statements";
import { policyDocumentsOf } from "../documents/read-policy-documents";
import { LOAD_BALANCERS } from "./load-balancing";

const BUCKET = "aws_s3_bucket";
const BUCKET_NAMES = ["id", "bucket"];

function companions(context: PolicyContext, type: string, bucket: PolicyResource): PolicyResource[] {
  return resourcesNaming(context, type, "bucket", bucket, BUCKET_NAMES);
}

/** True when a load balancer in the stack writes its access logs to the bucket. */
function isAccessLogTarget(bucket: PolicyResource, context: PolicyContext): boolean {
  return context.resources.some(
    (r) => LOAD_BALANCERS.includes(r.type) && identifies(block(r.attributes, "access_logs")?.bucket, bucket, BUCKET_NAMES),
  );
}

const PUBLIC_ACCESS_FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];

export const BUCKET_PUBLIC_ACCESS_BLOCKED: PolicyRule = {
  id: "APF-S3-PUBLIC-ACCESS-BLOCK",
  title: "Buckets block all public access",
  severity: "high",
  checks: "Every bucket has an `aws_s3_bucket_public_access_block` with all four flags set to true.",
  mirrors: { checkov: ["CKV2_AWS_6"], trivy: ["AWS-0086", "AWS-0087", "AWS-0091", "AWS-0093", "AWS-0094"], cdkNag: ["AwsSolutions-S2"] },
  fix: "add aws_s3_bucket_public_access_block { bucket = <bucket>.id } with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets = true",
  appliesTo: [BUCKET],
  evaluate: (bucket, context) => {
    const blocksFound = companions(context, "aws_s3_bucket_public_access_block", bucket);
    if (blocksFound.length === 0) return ["no aws_s3_bucket_public_access_block names this bucket"];
    return blocksFound.flatMap((pab) =>
      PUBLIC_ACCESS_FLAGS.filter((flag) => !isTrue(pab.attributes[flag])).map(
        (flag) => `${pab.address}.${flag} is ${show(pab.attributes[flag])}`,
      ),
    );
  },
};

const SSE_ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];

function sseAlgorithms(bucket: PolicyResource, context: PolicyContext): string[] {
  const configs = [
    ...companions(context, "aws_s3_bucket_server_side_encryption_configuration", bucket).map((c) => c.attributes),
    ...blocks(bucket.attributes, "server_side_encryption_configuration"),
  ];
  return configs.flatMap((config) =>
    blocks(config, "rule").map((rule) => String(block(rule, "apply_server_side_encryption_by_default")?.sse_algorithm ?? "")),
  );
}

export const BUCKET_ENCRYPTED: PolicyRule = {
  id: "APF-S3-ENCRYPTION",
  title: "Buckets declare default encryption",
  severity: "medium",
  checks:
    "Every bucket declares default server-side encryption; a load balancer's access-log bucket uses SSE-S3 (AES256), the only kind Elastic Load Balancing can write to.",
  mirrors: { checkov: ["CKV_AWS_19"], trivy: ["AWS-0088"] },
  fix: 'add aws_s3_bucket_server_side_encryption_configuration with rule { apply_server_side_encryption_by_default { sse_algorithm = "AES256" } }',
  appliesTo: [BUCKET],
  evaluate: (bucket, context) => {
    const algorithms = sseAlgorithms(bucket, context);
    if (algorithms.length === 0) return ["no server-side encryption configuration names this bucket"];
    const problems = algorithms.filter((a) => !SSE_ALGORITHMS.includes(a)).map((a) => `sse_algorithm is ${show(a)}`);
    if (isAccessLogTarget(bucket, context) && algorithms.some((a) => a !== "AES256")) {
      problems.push(`a load balancer writes access logs here, but sse_algorithm is ${show(algorithms)}; only AES256 (SSE-S3) works`);
    }
    return problems;
  },
};

/** True when one of the bucket's policies denies requests made without TLS in every case. */
function enforcesTls(bucket: PolicyResource, context: PolicyContext): boolean {
  const holders = [bucket, ...companions(context, "aws_s3_bucket_policy", bucket)];
  return holders.some((holder) =>
    policyDocumentsOf(holder, context)
      .filter((d) => d.use === "resource")
      .some((d) => d.statements.some(deniesInsecureTransport)),
  );
}

export const BUCKET_TLS_ONLY: PolicyRule = {
  id: "APF-S3-TLS-ONLY",
  title: "Bucket policies refuse requests without TLS",
  severity: "medium",
  checks:
    "Every bucket's policy has a Deny statement, present in every branch of the document, with the condition `Bool aws:SecureTransport = false` (read from JSON, `jsonencode(...)` or a data source).",
  mirrors: { cdkNag: ["AwsSolutions-S10"] },
  fix: "add an aws_s3_bucket_policy with a statement that denies s3:* on the bucket and its objects when aws:SecureTransport is false",
  appliesTo: [BUCKET],
  evaluate: (bucket, context) => {
    return enforcesTls(bucket, context) ? [] : ["no bucket policy denies requests where aws:SecureTransport is false, in every case"];
  },
};

export const BUCKET_VERSIONED: PolicyRule = {
  id: "APF-S3-VERSIONING",
  title: "Buckets keep object versions",
  severity: "low",
  checks: 'Every bucket has `aws_s3_bucket_versioning` with status "Enabled", so an overwrite or delete can be undone.',
  mirrors: { checkov: ["CKV_AWS_21"], trivy: ["AWS-0090"] },
  fix: 'add aws_s3_bucket_versioning { bucket = <bucket>.id, versioning_configuration { status = "Enabled" } } and a lifecycle rule that expires noncurrent versions',
  appliesTo: [BUCKET],
  evaluate: (bucket, context) => {
    if (isTrue(block(bucket.attributes, "versioning")?.enabled)) return [];
    const statuses = companions(context, "aws_s3_bucket_versioning", bucket).map(
      (v) => block(v.attributes, "versioning_configuration")?.status,
    );
    if (statuses.includes("Enabled")) return [];
    return [statuses.length === 0 ? "no aws_s3_bucket_versioning names this bucket" : `versioning status is ${show(statuses)}`];
  },
};
