/** Rule cases: storage, and who a resource policy lets in. */
import { Fn, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { DataAwsIamPolicyDocument, S3BucketPolicy, S3BucketPublicAccessBlock, S3BucketVersioning } from "../../../../lib/aws/resources";
import { RuleCase } from "../policy-helpers";
import { alb, hardenedBucket, policy } from "./builders";

const denyInsecureTransport = (bucketArn: string) => ({
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: [bucketArn, Fn.format("%s/*", [bucketArn])],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
});

/** A bucket whose own policy (replacing the hardened one) is `statements`, written with Fn.jsonencode. */
function encodedPolicyBucket(s: Construct, id: string, statements: (bucketArn: string) => unknown) {
  const bucket = hardenedBucket(s, id, "tls");
  new S3BucketPolicy(s, `${id}Policy`, {
    bucket: bucket.id,
    policy: Fn.jsonencode({ Version: "2012-10-17", Statement: statements(bucket.arn) }),
  });
  return bucket;
}

export const STORAGE_CASES: readonly RuleCase[] = [
  {
    ruleId: "APF-S3-PUBLIC-ACCESS-BLOCK",
    build: (s) => {
      hardenedBucket(s, "NoBlock", "pab");
      const partial = hardenedBucket(s, "PartialBlock", "pab");
      new S3BucketPublicAccessBlock(s, "PartialBlockPab", { bucket: partial.bucket, blockPublicAcls: true, blockPublicPolicy: true });
      hardenedBucket(s, "Hardened");
    },
    bad: ["NoBlock", "PartialBlock"],
    good: ["Hardened"],
  },
  {
    ruleId: "APF-S3-ENCRYPTION",
    build: (s) => {
      hardenedBucket(s, "NoSse", "sse");
      const kmsLogs = hardenedBucket(s, "KmsLogBucket", undefined, "aws:kms");
      alb(s, "Lb", { accessLogs: { bucket: kmsLogs.id, enabled: true } });
      hardenedBucket(s, "KmsDataBucket", undefined, "aws:kms");
      hardenedBucket(s, "Hardened");
    },
    bad: ["NoSse", "KmsLogBucket"],
    good: ["KmsDataBucket", "Hardened"],
  },
  {
    ruleId: "APF-S3-TLS-ONLY",
    build: (s) => {
      hardenedBucket(s, "NoPolicy", "tls");
      const allowOnly = hardenedBucket(s, "AllowOnlyPolicy", "tls");
      new S3BucketPolicy(s, "AllowOnlyPolicyPolicy", {
        bucket: allowOnly.id,
        policy: policy({
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::123456789012:root" },
          Action: "s3:GetObject",
          Resource: `${allowOnly.arn}/*`,
        }),
      });
      const jsonPolicy = hardenedBucket(s, "JsonPolicy", "tls");
      new S3BucketPolicy(s, "JsonPolicyPolicy", {
        bucket: jsonPolicy.id,
        policy: policy({
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [jsonPolicy.arn, `${jsonPolicy.arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }),
      });
      // Fn.jsonencode reaches the rule as a Terraform expression, not as JSON.
      const encoded = (id: string, effect: string) => {
        const bucket = hardenedBucket(s, id, "tls");
        new S3BucketPolicy(s, `${id}Policy`, {
          bucket: bucket.id,
          policy: Fn.jsonencode({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: Fn.format("%s/*", [bucket.arn]),
              },
              {
                Effect: effect,
                Principal: "*",
                Action: "s3:*",
                Resource: [bucket.arn],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
              },
            ],
          }),
        });
      };
      encoded("EncodedDeny", "Deny");
      encoded("EncodedAllowOnInsecure", "Allow");
      hardenedBucket(s, "Hardened");
      // A Deny that exists only when a variable says so is not a TLS-only policy.
      const strict = new TerraformVariable(s, "strict", { type: "bool", default: true });
      encodedPolicyBucket(s, "DenyOnlyWhenStrict", (arn) => Fn.conditional(strict.booleanValue, [denyInsecureTransport(arn)], []));
      // The Deny may come from a data source's source document.
      const withSource = hardenedBucket(s, "DenyFromSourceDocument", "tls");
      const doc = new DataAwsIamPolicyDocument(s, "DenyFromSourceDocumentDoc", {
        sourcePolicyDocuments: [Fn.jsonencode({ Version: "2012-10-17", Statement: [denyInsecureTransport(withSource.arn)] })],
      });
      new S3BucketPolicy(s, "DenyFromSourceDocumentPolicy", { bucket: withSource.id, policy: doc.json });
    },
    bad: ["NoPolicy", "AllowOnlyPolicy", "EncodedAllowOnInsecure", "DenyOnlyWhenStrict"],
    good: ["JsonPolicy", "EncodedDeny", "Hardened", "DenyFromSourceDocument"],
  },
  {
    ruleId: "APF-S3-VERSIONING",
    build: (s) => {
      hardenedBucket(s, "Unversioned", "versioning");
      const suspended = hardenedBucket(s, "Suspended", "versioning");
      new S3BucketVersioning(s, "SuspendedVersioning", { bucket: suspended.id, versioningConfiguration: { status: "Suspended" } });
      hardenedBucket(s, "Hardened");
    },
    bad: ["Unversioned", "Suspended"],
    good: ["Hardened"],
  },
  {
    ruleId: "APF-POLICY-PUBLIC-PRINCIPAL",
    build: (s) => {
      const publicRead = (arn: string) => ({
        Sid: "PublicRead",
        Effect: "Allow",
        Principal: "*",
        Action: "s3:GetObject",
        Resource: Fn.format("%s/*", [arn]),
      });
      // A public Allow next to the TLS-only Deny, in a jsonencoded bucket policy.
      encodedPolicyBucket(s, "PublicNextToTlsDeny", (arn) => [denyInsecureTransport(arn), publicRead(arn)]);
      encodedPolicyBucket(s, "AnyAwsAccountWrites", (arn) => [
        denyInsecureTransport(arn),
        { Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:PutObject", Resource: Fn.format("%s/*", [arn]) },
      ]);
      const viaDoc = hardenedBucket(s, "PublicThroughDataSource", "tls");
      const doc = new DataAwsIamPolicyDocument(s, "PublicThroughDataSourceDoc", {
        statement: [{ actions: ["s3:GetObject"], resources: [`${viaDoc.arn}/*`], principals: [{ type: "*", identifiers: ["*"] }] }],
      });
      new S3BucketPolicy(s, "PublicThroughDataSourcePolicy", { bucket: viaDoc.id, policy: doc.json });
      encodedPolicyBucket(s, "LogDeliveryForOwnAccount", (arn) => [
        denyInsecureTransport(arn),
        {
          Effect: "Allow",
          Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: Fn.format("%s/alb/AWSLogs/123456789012/*", [arn]),
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
      ]);
      encodedPolicyBucket(s, "EveryoneInOrganization", (arn) => [
        denyInsecureTransport(arn),
        { ...publicRead(arn), Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } },
      ]);
      hardenedBucket(s, "Hardened");
    },
    bad: ["PublicNextToTlsDenyPolicy", "AnyAwsAccountWritesPolicy", "PublicThroughDataSourcePolicy"],
    good: ["LogDeliveryForOwnAccountPolicy", "EveryoneInOrganizationPolicy", "HardenedPolicy"],
  },
];
