/** What the rule cases build their resources from: placeholder network IDs and hardened building blocks. */
import { Construct } from "constructs";
import {
  DataAwsIamPolicyDocument,
  LaunchTemplate,
  Lb,
  LbTargetGroup,
  S3Bucket,
  S3BucketPolicy,
  S3BucketPublicAccessBlock,
  S3BucketServerSideEncryptionConfiguration,
  S3BucketVersioning,
  SecurityGroup,
} from "../../../../lib/aws/resources";
import { PLACEHOLDER } from "../../../support/fixtures";

export const VPC = PLACEHOLDER.vpcId;
export const SUBNETS = [...PLACEHOLDER.subnetIds];
export const ASSUME_EC2 = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
export const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

export const launchTemplate = (scope: Construct, id: string, extra: Partial<ConstructorParameters<typeof LaunchTemplate>[2]>) =>
  new LaunchTemplate(scope, id, { name: id.toLowerCase(), imageId: PLACEHOLDER.imageId, ...extra });
export const encryptedRoot = [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 20 } }];
export const alb = (scope: Construct, id: string, extra: Partial<ConstructorParameters<typeof Lb>[2]> = {}) =>
  new Lb(scope, id, { name: id.toLowerCase(), loadBalancerType: "application", subnets: SUBNETS, ...extra });
export const targetGroup = (scope: Construct, id: string) =>
  new LbTargetGroup(scope, id, { name: id.toLowerCase(), port: 80, protocol: "HTTP", vpcId: VPC, healthCheck: { path: "/health" } });
export const securityGroup = (scope: Construct, id: string, description = `${id} for tests`) =>
  new SecurityGroup(scope, id, { name: id.toLowerCase(), description, vpcId: VPC });

/** A bucket with every companion resource the S3 rules ask for; `omit` leaves one out. */
export function hardenedBucket(scope: Construct, id: string, omit?: "pab" | "sse" | "tls" | "versioning", sse = "AES256") {
  const bucket = new S3Bucket(scope, id, { bucket: `${id.toLowerCase()}-bucket` });
  if (omit !== "pab") {
    new S3BucketPublicAccessBlock(scope, `${id}Pab`, {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
  }
  if (omit !== "sse") {
    new S3BucketServerSideEncryptionConfiguration(scope, `${id}Sse`, {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: sse } }],
    });
  }
  if (omit !== "tls") {
    const doc = new DataAwsIamPolicyDocument(scope, `${id}PolicyDoc`, {
      statement: [
        {
          sid: "DenyInsecureTransport",
          effect: "Deny",
          actions: ["s3:*"],
          resources: [bucket.arn, `${bucket.arn}/*`],
          principals: [{ type: "*", identifiers: ["*"] }],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    });
    new S3BucketPolicy(scope, `${id}Policy`, { bucket: bucket.id, policy: doc.json });
  }
  if (omit !== "versioning") {
    new S3BucketVersioning(scope, `${id}Versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
  }
  return bucket;
}
