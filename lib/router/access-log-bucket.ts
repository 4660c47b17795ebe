/**
 * The S3 bucket a load balancer writes access logs to, hardened: SSE-S3 (the only encryption
 * ELB log delivery supports), no public access, bucket-owner-enforced ownership, TLS-only
 * policy, versioning and lifecycle expiry. Log delivery may write only under the account's own
 * prefix (`<prefix>/AWSLogs/<account>/`), so no other account's load balancer can fill the bucket.
 */
import { Construct } from "constructs";
import { Fn, TerraformLocal } from "cdktf";
import {
  DataAwsPartition,
  DataAwsRegion,
  S3Bucket,
  S3BucketLifecycleConfiguration,
  S3BucketOwnershipControls,
  S3BucketPolicy,
  S3BucketPublicAccessBlock,
  S3BucketServerSideEncryptionConfiguration,
  S3BucketVersioning,
} from "../aws/resources";
import { ELB_LOG_DELIVERY_SERVICE_PRINCIPAL, LEGACY_ELB_LOG_ACCOUNTS } from "./elb-log-delivery";

/** Days an overwritten or expired log version stays recoverable. */
export const NONCURRENT_LOG_VERSION_DAYS = 7;
/** Days before an interrupted multipart upload is cleaned up. */
export const ABORT_INCOMPLETE_UPLOAD_DAYS = 1;

export interface AccessLogBucketProps {
  /** `bucket_prefix`: S3 appends a unique suffix, so no account ID is needed for a globally unique name. */
  readonly bucketPrefix: string;
  /** Key prefix the load balancer writes under. */
  readonly logPrefix: string;
  /**
   * The account of the load balancer (usually a token read from one of its resources' ARNs):
   * log delivery may write under `<prefix>/AWSLogs/<this account>/` only, for this account only.
   */
  readonly accountId: string;
  readonly expirationDays: number;
  readonly forceDestroy: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

export class AccessLogBucket extends Construct {
  readonly bucket: S3Bucket;
  /** The bucket policy; the load balancer must depend on it, or AWS rejects the access-log setting. */
  readonly policy: S3BucketPolicy;
  readonly logPrefix: string;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    const tags = { ...props.tags };
    this.logPrefix = props.logPrefix;

    this.bucket = new S3Bucket(this, "Resource", {
      bucketPrefix: props.bucketPrefix,
      forceDestroy: props.forceDestroy,
      tags: { ...tags, Name: props.bucketPrefix.replace(/-$/, "") },
    });
    const bucket = this.bucket.id;

    const publicAccessBlock = new S3BucketPublicAccessBlock(this, "PublicAccessBlock", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const ownership = new S3BucketOwnershipControls(this, "OwnershipControls", {
      bucket,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    new S3BucketServerSideEncryptionConfiguration(this, "Encryption", {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    const versioning = new S3BucketVersioning(this, "Versioning", {
      bucket,
      versioningConfiguration: { status: "Enabled" },
    });
    new S3BucketLifecycleConfiguration(this, "Lifecycle", {
      bucket,
      rule: [
        {
          id: "expire-access-logs",
          status: "Enabled",
          filter: [{ prefix: "" }],
          expiration: [{ days: props.expirationDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: NONCURRENT_LOG_VERSION_DAYS }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: ABORT_INCOMPLETE_UPLOAD_DAYS }],
        },
      ],
      // Lifecycle rules on a versioned bucket are validated against its versioning state.
      dependsOn: [versioning],
    });

    this.policy = new S3BucketPolicy(this, "Policy", {
      bucket,
      policy: this.policyDocument(props.accountId),
      // S3 rejects concurrent bucket-level configuration calls ("OperationAborted").
      dependsOn: [publicAccessBlock, ownership],
    });
  }

  private policyDocument(accountId: string): string {
    // Both data sources are answered by the provider itself (no API call), so plan runs offline.
    const region = new DataAwsRegion(this, "Region");
    const partition = new DataAwsPartition(this, "Partition");
    const legacyAccounts = new TerraformLocal(this, "LegacyElbLogAccounts", { ...LEGACY_ELB_LOG_ACCOUNTS });
    // ELB writes `<prefix>/AWSLogs/<account>/elasticloadbalancing/<region>/...` (ALB user guide, "Access log files").
    const logObjects = Fn.format("%s/%s/AWSLogs/%s/*", [this.bucket.arn, this.logPrefix, accountId]);

    const denyInsecureTransport = {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [this.bucket.arn, Fn.format("%s/*", [this.bucket.arn])],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
    // The grant is limited to this account's own key prefix: ELB writes each load balancer's logs
    // under its owner's account ID, so another account's load balancer cannot write here. No
    // aws:SourceAccount condition: AWS's documented ALB policy for this principal carries none, and
    // a condition on a key the delivery service does not send would stop the logs silently.
    const allowLogDelivery = {
      Sid: "AllowElbLogDelivery",
      Effect: "Allow",
      Principal: { Service: ELB_LOG_DELIVERY_SERVICE_PRINCIPAL },
      Action: "s3:PutObject",
      Resource: logObjects,
    };
    // The legacy Regional ELB account signs its own requests, with no source account in them:
    // the account's own key prefix is what limits it.
    const allowLegacyLogDelivery = {
      Sid: "AllowLegacyElbLogDelivery",
      Effect: "Allow",
      Principal: {
        AWS: Fn.format("arn:%s:iam::%s:root", [partition.partition, Fn.lookup(legacyAccounts.asStringMap, region.name, "")]),
      },
      Action: "s3:PutObject",
      Resource: logObjects,
    };
    return Fn.jsonencode({
      Version: "2012-10-17",
      Statement: Fn.concat([
        [denyInsecureTransport, allowLogDelivery],
        Fn.conditional(Fn.contains(Fn.keys(legacyAccounts.asStringMap), region.name), [allowLegacyLogDelivery], []),
      ]),
    });
  }
}
