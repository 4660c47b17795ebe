/** Rules that keep a bad release recoverable: deployment rollback and alarms that act. */
import { block, isFalse, isTrue, list, show } from "../attributes";
import { PolicyRule } from "../types";

export const CODEDEPLOY_ROLLBACK_ON_ALARM: PolicyRule = {
  id: "APF-CODEDEPLOY-ROLLBACK",
  title: "Deployments roll back on failure and on alarm",
  severity: "high",
  checks:
    "CodeDeploy deployment groups enable `auto_rollback_configuration` with DEPLOYMENT_FAILURE and DEPLOYMENT_STOP_ON_ALARM, and an enabled `alarm_configuration` with at least one alarm.",
  mirrors: {},
  fix: "set auto_rollback_configuration { enabled = true, events = [\"DEPLOYMENT_FAILURE\", \"DEPLOYMENT_STOP_ON_ALARM\"] } and alarm_configuration { enabled = true, alarms = [<the fleet's alarms>] }",
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
  checks: "CloudWatch metric alarms keep `actions_enabled` true (the default).",
  mirrors: { checkov: ["CKV_AWS_319"] },
  fix: "remove actions_enabled = false; to silence notifications, remove the SNS topic from alarm_actions instead",
  appliesTo: ["aws_cloudwatch_metric_alarm", "aws_cloudwatch_composite_alarm"],
  evaluate: (alarm) => (isFalse(alarm.attributes.actions_enabled) ? ["actions_enabled is false"] : []),
};
