/** Rules that keep a bad release recoverable and noticed: deployment rollback, alarms that act, encrypted alarm topics. */
import { block, isFalse, isTrue, list, show } from "../attributes";
import { PolicyRule } from "../types";

export const CODEDEPLOY_ROLLBACK_ON_ALARM: PolicyRule = {
  id: "APF-CODEDEPLOY-ROLLBACK",
  title: "Deployments roll back on failure and on alarm",
  severity: "high",
  checks:
    "CodeDeploy deployment groups enable `auto_rollback_configuration` with DEPLOYMENT_FAILURE and DEPLOYMENT_STOP_ON_ALARM, and an enabled `alarm_configuration` with at least one alarm.",
  mirrors: {},
  fix: 'set auto_rollback_configuration { enabled = true, events = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] } and alarm_configuration { enabled = true, alarms = [<the fleet\'s alarms>] }',
  appliesTo: ["aws_codedeploy_deployment_group"],
  evaluate: (group) => {
    const problems: string[] = [];
    const rollback = block(group.attributes, "auto_rollback_configuration");
    if (!isTrue(rollback?.enabled)) problems.push(`auto_rollback_configuration.enabled is ${show(rollback?.enabled)}`);
    const events = list(rollback?.events);
    for (const event of ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]) {
      if (!events.includes(event)) problems.push(`auto_rollback_configuration.events lacks ${event}`);
    }
    const alarms = block(group.attributes, "alarm_configuration");
    if (!isTrue(alarms?.enabled)) problems.push(`alarm_configuration.enabled is ${show(alarms?.enabled)}`);
    if (list(alarms?.alarms).length === 0) problems.push("alarm_configuration.alarms names no alarm");
    if (isTrue(alarms?.ignore_poll_alarm_failure)) problems.push("alarm_configuration.ignore_poll_alarm_failure is true");
    return problems;
  },
};

export const ALARM_ACTIONS_ENABLED: PolicyRule = {
  id: "APF-ALARM-ACTIONS",
  title: "Alarms act when they fire",
  severity: "medium",
  checks:
    "CloudWatch metric and composite alarms keep `actions_enabled` true (the default) and name at least one `alarm_actions` target (an SNS topic, an Auto Scaling or EC2 action): an alarm without one changes state and tells nobody.",
  mirrors: { checkov: ["CKV_AWS_319"] },
  fix: "set alarm_actions (and ok_actions) to an SNS topic that reaches the on-call person (AppServerGroup: alarms.snsTopicArn; layouts: alarmTopic, which the stack creates with its KMS key, or an existing alarmTopicArn); to silence notifications for a while, point the topic's subscription elsewhere instead",
  appliesTo: ["aws_cloudwatch_metric_alarm", "aws_cloudwatch_composite_alarm"],
  evaluate: (alarm) => {
    const problems: string[] = [];
    if (isFalse(alarm.attributes.actions_enabled)) problems.push("actions_enabled is false");
    if (list(alarm.attributes.alarm_actions).length === 0)
      problems.push(`alarm_actions is ${show(alarm.attributes.alarm_actions ?? [])}, so the alarm notifies nobody`);
    return problems;
  },
};

/**
 * CloudWatch cannot publish alarms to a topic encrypted with the AWS managed key alias/aws/sns: its
 * key policy does not let CloudWatch call kms:Decrypt / kms:GenerateDataKey (AWS re:Post knowledge
 * center, "How do I configure a CloudWatch alarm with an encrypted SNS topic?"), hence the fix text.
 */
export const SNS_TOPIC_ENCRYPTED: PolicyRule = {
  id: "APF-SNS-ENCRYPTED",
  title: "SNS topics are encrypted at rest",
  severity: "medium",
  checks:
    "SNS topics set `kms_master_key_id`, so messages at rest are encrypted (a topic that receives CloudWatch alarms needs a customer managed key: CloudWatch cannot use `alias/aws/sns`).",
  mirrors: { checkov: ["CKV_AWS_26"], trivy: ["AWS-0095"], cdkNag: ["AwsSolutions-SNS2"] },
  fix: "set kms_master_key_id to a KMS key; a topic that receives CloudWatch alarms needs a customer managed key whose key policy lets cloudwatch.amazonaws.com call kms:Decrypt and kms:GenerateDataKey* (the AWS managed alias/aws/sns does not)",
  appliesTo: ["aws_sns_topic"],
  evaluate: (topic) => {
    const key = topic.attributes.kms_master_key_id;
    return typeof key === "string" && key.trim() !== "" ? [] : [`kms_master_key_id is ${show(key)}`];
  },
};
