/**
 * An SNS topic for alarms, encrypted with a customer managed KMS key whose key policy lets
 * CloudWatch use it, and its subscriptions. CloudWatch cannot publish to a topic encrypted with
 * the AWS managed key `alias/aws/sns`: that key's policy cannot be changed to admit
 * cloudwatch.amazonaws.com (Amazon SNS developer guide, "Configuring AWS KMS permissions for AWS
 * services"; AWS re:Post "How do I configure a CloudWatch alarm with an encrypted SNS topic?").
 */
import { Construct } from "constructs";
import { Fn, TerraformLocal } from "cdktf";
import { DataAwsPartition, KmsAlias, KmsKey, KmsKeyPolicy, SnsTopic, SnsTopicSubscription } from "../aws/resources";
import { terraformLiteral } from "../core/terraform-literal";
import type { AlarmSubscription } from "./alarm-topic-options";

export interface AlarmTopicProps {
  /** Topic name; also names the key's alias (`alias/<name>`). */
  readonly name: string;
  /** Where the topic delivers. @default - none (an explicit opt-out, see AlarmTopicOptions) */
  readonly subscriptions?: readonly AlarmSubscription[];
  /** @default - none (provider default tags still apply) */
  readonly tags?: Record<string, string>;
}

/** The service principals that publish alarms to the topic and therefore use its key. */
export const ALARM_PUBLISHERS = ["cloudwatch.amazonaws.com"] as const;

/**
 * The key policy: the account administers the key (and its IAM policies may grant its use, as
 * with AWS's default key policy), and CloudWatch may generate data keys and decrypt with it,
 * which publishing an alarm to the encrypted topic takes (the statement of the SNS developer
 * guide's example for CloudWatch).
 */
export function alarmTopicKeyPolicy(partition: string, accountId: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountAdministersKey",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "CloudWatchPublishesAlarms",
        Effect: "Allow",
        Principal: { Service: [...ALARM_PUBLISHERS] },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
      },
    ],
  });
}

export class AlarmTopic extends Construct {
  readonly topic: SnsTopic;
  readonly key: KmsKey;
  readonly keyPolicy: KmsKeyPolicy;
  readonly subscriptions: readonly SnsTopicSubscription[];

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.key = new KmsKey(this, "Key", {
      description: `Encrypts the alarm topic ${props.name}; CloudWatch may use it to publish alarms`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags: props.tags,
    });
    // The account, from the key's own ARN (arn:<partition>:kms:<region>:<account>:key/<id>): a
    // data.aws_caller_identity would call STS at plan time, which keeps plans from running offline.
    // A separate policy resource, since the key's own `policy` cannot refer to the key's ARN.
    // A local, so the JSON policy holds a plain reference, not an expression with quotes in it.
    const partition = new DataAwsPartition(this, "Partition").partition;
    const account = new TerraformLocal(this, "AccountId", Fn.element(Fn.split(":", this.key.arn), 4)).asString;
    this.keyPolicy = new KmsKeyPolicy(this, "KeyPolicy", {
      keyId: this.key.id,
      policy: alarmTopicKeyPolicy(partition, account),
    });
    new KmsAlias(this, "KeyAlias", { name: `alias/${props.name}`, targetKeyId: this.key.keyId });
    this.topic = new SnsTopic(this, "Resource", {
      name: props.name,
      displayName: "Alarms",
      kmsMasterKeyId: this.key.arn,
      tags: props.tags,
      // Alarms may fire as soon as they exist: CloudWatch can use the key by then.
      dependsOn: [this.keyPolicy],
    });
    // Each subscription's ID comes from what it is, not its place: removing one leaves the others be.
    this.subscriptions = (props.subscriptions ?? []).map(
      (s) =>
        new SnsTopicSubscription(this, `Subscription-${s.protocol}-${s.endpoint.replace(/[^A-Za-z0-9]+/g, "-")}`, {
          topicArn: this.topic.arn,
          protocol: s.protocol,
          // The user's text: escaped so Terraform never evaluates it.
          endpoint: terraformLiteral(s.endpoint),
        }),
    );
  }

  get topicArn(): string {
    return this.topic.arn;
  }
}
