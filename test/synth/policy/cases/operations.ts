/** Rule cases: operations. */
import { CloudwatchMetricAlarm, CodedeployDeploymentGroup, SnsTopic } from "../../../../lib/aws/resources";
import { RuleCase } from "../policy-helpers";

const TOPIC = "arn:aws:sns:ap-northeast-1:123456789012:on-call";

export const OPERATIONS_CASES: readonly RuleCase[] = [
  {
    ruleId: "APF-CODEDEPLOY-ROLLBACK",
    build: (s) => {
      const group = (id: string, extra: Partial<ConstructorParameters<typeof CodedeployDeploymentGroup>[2]>) =>
        new CodedeployDeploymentGroup(s, id, {
          appName: "app",
          deploymentGroupName: id,
          serviceRoleArn: "arn:aws:iam::123456789012:role/cd",
          ...extra,
        });
      group("NoRollback", {});
      group("FailureOnly", {
        autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE"] },
        alarmConfiguration: { enabled: true, alarms: ["app-5xx"] },
      });
      group("NoAlarms", { autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] } });
      group("RollsBack", {
        autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
        alarmConfiguration: { enabled: true, alarms: ["app-5xx"] },
      });
    },
    bad: ["NoRollback", "FailureOnly", "NoAlarms"],
    good: ["RollsBack"],
  },
  {
    ruleId: "APF-ALARM-ACTIONS",
    build: (s) => {
      const alarm = (id: string, actionsEnabled?: boolean, alarmActions: string[] | "none" = [TOPIC]) =>
        new CloudwatchMetricAlarm(s, id, {
          alarmName: id,
          comparisonOperator: "GreaterThanThreshold",
          evaluationPeriods: 1,
          metricName: "HTTPCode_Target_5XX_Count",
          namespace: "AWS/ApplicationELB",
          period: 60,
          statistic: "Sum",
          threshold: 10,
          actionsEnabled,
          alarmActions: alarmActions === "none" ? undefined : alarmActions,
        });
      alarm("Silenced", false);
      alarm("NoActions", undefined, "none");
      alarm("EmptyActions", true, []);
      alarm("DefaultActions");
      alarm("ExplicitActions", true);
    },
    bad: ["Silenced", "NoActions", "EmptyActions"],
    good: ["DefaultActions", "ExplicitActions"],
  },
  {
    ruleId: "APF-SNS-ENCRYPTED",
    build: (s) => {
      new SnsTopic(s, "PlainTopic", { name: "plain" });
      new SnsTopic(s, "EmptyKey", { name: "empty-key", kmsMasterKeyId: "" });
      new SnsTopic(s, "CustomerKeyTopic", { name: "alarms", kmsMasterKeyId: "alias/app-fleets-alarms" });
    },
    bad: ["PlainTopic", "EmptyKey"],
    good: ["CustomerKeyTopic"],
  },
];
