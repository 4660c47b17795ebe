/** Rule cases: iam, including the ways a policy used to slip past the pack. */
import { Fn, TerraformLocal, TerraformVariable } from "cdktf";
import {
  DataAwsIamPolicyDocument,
  DataAwsPartition,
  IamPolicy,
  IamRole,
  IamRolePolicy,
  IamRolePolicyAttachment,
  S3Bucket,
  S3BucketPolicy,
} from "../../../../lib/aws/resources";
import { RuleCase } from "../policy-helpers";
import { ASSUME_EC2, policy } from "./builders";

const EVERYTHING = { Effect: "Allow", Action: "*", Resource: "*" };
const READ_ONE_BUCKET = { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/*" };
const trustPolicy = (principal: unknown, condition?: object) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) }],
  });

export const IAM_CASES: readonly RuleCase[] = [
  {
    ruleId: "APF-IAM-WILDCARD-ACTION",
    build: (s) => {
      const role = new IamRole(s, "Role", { name: "role", assumeRolePolicy: ASSUME_EC2 });
      const inline = (id: string, statement: object) => new IamRolePolicy(s, id, { role: role.id, policy: policy(statement) });
      inline("Everything", { Effect: "Allow", Action: "*", Resource: "*" });
      inline("WholeService", { Effect: "Allow", Action: ["s3:*"], Resource: "arn:aws:s3:::bucket/*" });
      inline("NotAction", { Effect: "Allow", NotAction: ["iam:*"], Resource: "arn:aws:s3:::bucket/*" });
      inline("DenyEverything", { Effect: "Deny", Action: "*", Resource: "*" });
      inline("Named", { Effect: "Allow", Action: ["s3:GetObject", "s3:Get*"], Resource: "arn:aws:s3:::bucket/*" });
      new DataAwsIamPolicyDocument(s, "DocumentWildcard", { statement: [{ actions: ["*"], resources: ["arn:aws:s3:::bucket"] }] });
    },
    bad: ["Everything", "WholeService", "NotAction", "DocumentWildcard"],
    good: ["DenyEverything", "Named", "Role"],
  },
  {
    ruleId: "APF-IAM-WILDCARD-RESOURCE",
    build: (s) => {
      const role = new IamRole(s, "Role", { name: "role", assumeRolePolicy: ASSUME_EC2 });
      const inline = (id: string, statement: object) => new IamRolePolicy(s, id, { role: role.id, policy: policy(statement) });
      inline("ObjectsEverywhere", { Effect: "Allow", Action: ["s3:GetObject"], Resource: "*" });
      inline("MixedDescribe", { Effect: "Allow", Action: ["ec2:DescribeInstances", "ec2:TerminateInstances"], Resource: ["*"] });
      inline("DescribeOnly", { Effect: "Allow", Action: ["ec2:DescribeInstances", "cloudwatch:PutMetricData"], Resource: "*" });
      inline("NamedBucket", { Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::bucket/*" });
      new DataAwsIamPolicyDocument(s, "DocumentEverywhere", { statement: [{ actions: ["sqs:SendMessage"], resources: ["*"] }] });
    },
    bad: ["ObjectsEverywhere", "MixedDescribe", "DocumentEverywhere"],
    good: ["DescribeOnly", "NamedBucket"],
  },
  {
    ruleId: "APF-IAM-ADMIN-POLICY",
    build: (s) => {
      const role = new IamRole(s, "Role", { name: "role", assumeRolePolicy: ASSUME_EC2 });
      new IamRolePolicyAttachment(s, "Admin", { role: role.name, policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" });
      new IamRolePolicyAttachment(s, "Ssm", { role: role.name, policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" });
    },
    bad: ["Admin"],
    good: ["Ssm"],
  },
  {
    ruleId: "APF-IAM-WILDCARD-ACTION",
    title: "documents written with jsonencode, locals, conditionals and data source source/override documents",
    build: (s) => {
      const role = new IamRole(s, "Role", { name: "role", assumeRolePolicy: ASSUME_EC2 });
      const encoded = (id: string, statements: unknown) =>
        new IamRolePolicy(s, id, { role: role.id, policy: Fn.jsonencode({ Version: "2012-10-17", Statement: statements }) });
      encoded("EncodedEverything", [EVERYTHING]);
      encoded("EncodedNamed", [READ_ONE_BUCKET]);
      const debug = new TerraformVariable(s, "debug", { type: "bool", default: false });
      encoded("EncodedWhenDebugging", Fn.conditional(debug.booleanValue, [EVERYTHING], [READ_ONE_BUCKET]));
      const local = new TerraformLocal(s, "AdminDocument", { Version: "2012-10-17", Statement: [EVERYTHING] });
      new IamRolePolicy(s, "EncodedFromLocal", { role: role.id, policy: Fn.jsonencode(local.expression) });
      new IamRole(s, "RoleInlineEverything", {
        name: "inline",
        assumeRolePolicy: ASSUME_EC2,
        inlinePolicy: [{ name: "all", policy: Fn.jsonencode({ Version: "2012-10-17", Statement: [EVERYTHING] }) }],
      });
      new IamPolicy(s, "ManagedEveryService", { name: "every-service", policy: policy({ Effect: "Allow", Action: "*:*", Resource: "*" }) });
      // A data source whose statements are fine but whose source document grants everything.
      new DataAwsIamPolicyDocument(s, "SourceDocumentEverything", {
        sourcePolicyDocuments: [Fn.jsonencode({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*:*", Resource: "*" }] })],
        statement: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::bucket/*"] }],
      });
      // A source document that is itself a data source.
      const wide = new DataAwsIamPolicyDocument(s, "WideDocument", { statement: [{ actions: ["ec2:*"], resources: ["*"] }] });
      new DataAwsIamPolicyDocument(s, "BuiltOnWideDocument", {
        sourcePolicyDocuments: [wide.json],
        statement: [{ actions: ["s3:GetObject"], resources: ["*"] }],
      });
      // An override with the same Sid replaces the wide statement: what Terraform renders is narrow.
      new DataAwsIamPolicyDocument(s, "OverriddenToNarrow", {
        statement: [{ sid: "Read", actions: ["*"], resources: ["*"] }],
        overridePolicyDocuments: [policy({ Sid: "Read", ...READ_ONE_BUCKET })],
      });
      new DataAwsIamPolicyDocument(s, "OverrideAddsWildcard", {
        statement: [{ sid: "Read", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::bucket/*"] }],
        overridePolicyDocuments: [policy({ Sid: "Extra", ...EVERYTHING })],
      });
    },
    bad: [
      "EncodedEverything",
      "EncodedWhenDebugging",
      "EncodedFromLocal",
      "RoleInlineEverything",
      "ManagedEveryService",
      "SourceDocumentEverything",
      "WideDocument",
      "BuiltOnWideDocument",
      "OverrideAddsWildcard",
    ],
    good: ["EncodedNamed", "OverriddenToNarrow", "Role"],
  },
  {
    ruleId: "APF-IAM-WILDCARD-RESOURCE",
    title: "wildcard ARNs and NotResource",
    build: (s) => {
      const role = new IamRole(s, "Role", { name: "role", assumeRolePolicy: ASSUME_EC2 });
      const partition = new DataAwsPartition(s, "Partition");
      const inline = (id: string, statement: object) => new IamRolePolicy(s, id, { role: role.id, policy: policy(statement) });
      inline("GetStarOnEveryBucket", { Effect: "Allow", Action: "s3:Get*", Resource: "arn:aws:s3:::*" });
      inline("EveryObject", { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::*/*" });
      inline("EveryParameter", { Effect: "Allow", Action: "ssm:GetParameter", Resource: "arn:aws:ssm:*:*:parameter/*" });
      inline("EveryServiceArn", { Effect: "Allow", Action: "sqs:SendMessage", Resource: "arn:*:*:*:*:*" });
      inline("EveryBucketAnyPartition", { Effect: "Allow", Action: "s3:GetObject", Resource: `arn:${partition.partition}:s3:::*` });
      inline("NotResource", { Effect: "Allow", Action: "s3:GetObject", NotResource: "arn:aws:s3:::secrets/*" });
      new IamRolePolicy(s, "EncodedEveryParameter", {
        role: role.id,
        policy: Fn.jsonencode({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: ["ssm:GetParametersByPath"], Resource: ["arn:aws:ssm:*:*:parameter/*"] }],
        }),
      });
      inline("OwnParameterPath", {
        Effect: "Allow",
        Action: "ssm:GetParameter",
        Resource: "arn:aws:ssm:ap-northeast-1:*:parameter/staging-rails4/*",
      });
      inline("OneBucketAnyPartition", { Effect: "Allow", Action: "s3:GetObject", Resource: `arn:${partition.partition}:s3:::logs/*` });
      inline("DescribeEverything", { Effect: "Allow", Action: "ec2:Describe*", Resource: "*" });
    },
    bad: [
      "GetStarOnEveryBucket",
      "EveryObject",
      "EveryParameter",
      "EveryServiceArn",
      "EveryBucketAnyPartition",
      "NotResource",
      "EncodedEveryParameter",
    ],
    good: ["OwnParameterPath", "OneBucketAnyPartition", "DescribeEverything"],
  },
  {
    ruleId: "APF-IAM-AWS-MANAGED-POLICY",
    build: (s) => {
      const role = new IamRole(s, "Role", { name: "role", assumeRolePolicy: ASSUME_EC2 });
      const partition = new DataAwsPartition(s, "Partition");
      const attach = (id: string, policyArn: string) => new IamRolePolicyAttachment(s, id, { role: role.name, policyArn });
      attach("Ec2FullAccess", "arn:aws:iam::aws:policy/AmazonEC2FullAccess");
      attach("SsmManagedInstanceCore", `arn:${partition.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`);
      attach("CodeDeployRole", `arn:${partition.partition}:iam::aws:policy/service-role/AWSCodeDeployRole`);
      new IamRole(s, "RoleWithManagedArns", {
        name: "managed",
        assumeRolePolicy: ASSUME_EC2,
        managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3FullAccess"],
      });
      const own = new IamPolicy(s, "OwnPolicy", { name: "own", policy: policy(READ_ONE_BUCKET) });
      attach("CustomerManaged", own.arn);
      attach("CustomerManagedByArn", "arn:aws:iam::123456789012:policy/read-one-bucket");
      // Administrator policies are the admin rule's finding, not reported twice.
      attach("Admin", "arn:aws:iam::aws:policy/AdministratorAccess");
    },
    bad: ["Ec2FullAccess", "SsmManagedInstanceCore", "CodeDeployRole", "RoleWithManagedArns"],
    good: ["CustomerManaged", "CustomerManagedByArn", "Admin", "Role"],
  },
  {
    ruleId: "APF-IAM-OPEN-TRUST",
    build: (s) => {
      const role = (id: string, assumeRolePolicy: string) => new IamRole(s, id, { name: id.toLowerCase(), assumeRolePolicy });
      role("AnyAwsPrincipal", trustPolicy({ AWS: "*" }));
      role("AnyPrincipal", trustPolicy("*"));
      role("AnyAccountRoot", trustPolicy({ AWS: "arn:aws:iam::*:root" }));
      role("AnyService", trustPolicy({ Service: "*" }));
      role(
        "EncodedAnyPrincipal",
        Fn.jsonencode({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: ["*"] }, Action: "sts:AssumeRole" }] }),
      );
      const openDoc = new DataAwsIamPolicyDocument(s, "OpenTrustDocument", {
        statement: [{ actions: ["sts:AssumeRole"], principals: [{ type: "AWS", identifiers: ["*"] }] }],
      });
      role("TrustFromDataSource", openDoc.json);
      role("Ec2Service", ASSUME_EC2);
      role("OneAccount", trustPolicy({ AWS: "arn:aws:iam::123456789012:root" }));
      role("AnyPrincipalOfOrganization", trustPolicy({ AWS: "*" }, { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } }));
    },
    bad: ["AnyAwsPrincipal", "AnyPrincipal", "AnyAccountRoot", "AnyService", "EncodedAnyPrincipal", "TrustFromDataSource"],
    good: ["Ec2Service", "OneAccount", "AnyPrincipalOfOrganization"],
  },
  {
    ruleId: "APF-POLICY-UNREADABLE",
    build: (s) => {
      const role = new IamRole(s, "Role", { name: "role", assumeRolePolicy: ASSUME_EC2 });
      const external = new TerraformVariable(s, "policy_json", { type: "string" });
      const actions = new TerraformVariable(s, "actions", { type: "list(string)" });
      new IamRolePolicy(s, "PolicyFromVariable", { role: role.id, policy: external.stringValue });
      new IamRolePolicy(s, "PolicyFromFile", { role: role.id, policy: Fn.file("policy.json") });
      new IamRolePolicy(s, "ActionsFromVariable", {
        role: role.id,
        policy: Fn.jsonencode({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: actions.listValue, Resource: "arn:aws:s3:::bucket/*" }],
        }),
      });
      new DataAwsIamPolicyDocument(s, "SourceFromVariable", { sourcePolicyDocuments: [external.stringValue] });
      const bucket = new S3Bucket(s, "Bucket", { bucket: "readable-bucket" });
      new IamRolePolicy(s, "ReferencesResources", {
        role: role.id,
        policy: Fn.jsonencode({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: Fn.format("%s/*", [bucket.arn]) }],
        }),
      });
      new S3BucketPolicy(s, "BucketPolicyFromFile", { bucket: bucket.id, policy: Fn.file("bucket-policy.json") });
    },
    bad: ["PolicyFromVariable", "PolicyFromFile", "ActionsFromVariable", "SourceFromVariable", "BucketPolicyFromFile"],
    good: ["ReferencesResources", "Role"],
  },
];
