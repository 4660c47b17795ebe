/**
 * CodeDeploy for one fleet: in-place deployments behind the fleet's target group, rolled
 * back automatically on failure or when one of the fleet's alarms fires. The service role may
 * act on this fleet's groups, target group and alarms only, and only for this fleet's
 * deployment group in this account.
 */
import { Construct } from "constructs";
import { Fn, TerraformLocal } from "cdktf";
import {
  CodedeployApp,
  CodedeployDeploymentConfig,
  CodedeployDeploymentGroup,
  DataAwsPartition,
  DataAwsRegion,
  IamPolicy,
  IamRole,
  IamRolePolicyAttachment,
} from "../aws/resources";
import { terraformLiteral } from "../core/terraform-literal";
import { FLEET_NAME_SUFFIXES, ResolvedFleetProps } from "./app-server-group-props";
import { autoScalingGroupArnPattern } from "./lifecycle-hooks";

export interface FleetDeploymentProps {
  readonly fleet: ResolvedFleetProps;
  readonly autoScalingGroupName: string;
  /** Further groups deployed with the fleet's revisions (the canary). @default - none */
  readonly extraAutoScalingGroupNames?: readonly string[];
  readonly targetGroupName: string;
  /** Further target groups whose instances CodeDeploy takes out of service while it updates them (the canary's). @default - none */
  readonly extraTargetGroupNames?: readonly string[];
  readonly alarmNames: string[];
  /** Further alarms that stop and roll back a deployment (the canary's). @default - none */
  readonly extraAlarmNames?: readonly string[];
  readonly partition: DataAwsPartition;
  readonly tags: Record<string, string>;
}

export class FleetDeployment extends Construct {
  /** The CodeDeploy application name (created here or passed in). */
  readonly applicationName: string;
  readonly application?: CodedeployApp;
  readonly deploymentGroup: CodedeployDeploymentGroup;
  readonly serviceRole: IamRole;
  readonly deploymentConfigName: string;

  constructor(scope: Construct, id: string, props: FleetDeploymentProps) {
    super(scope, id);
    const { fleet } = props;
    if (fleet.deployment.applicationName) {
      // The user's text: escaped so Terraform never evaluates it.
      this.applicationName = terraformLiteral(fleet.deployment.applicationName);
    } else {
      this.application = new CodedeployApp(this, "Application", {
        name: fleet.qualifiedName,
        computePlatform: "Server",
        tags: props.tags,
      });
      this.applicationName = this.application.name;
    }

    // Answered by the provider itself (no API call), so plan runs offline.
    const region = new DataAwsRegion(this, "Region").name;
    const partition = props.partition.partition;
    const permissions = new IamPolicy(this, "ServicePermissions", {
      name: `${fleet.qualifiedName}${FLEET_NAME_SUFFIXES.deployRole}`,
      description: `What CodeDeploy needs for in-place deployments of ${fleet.qualifiedName}, on its own groups, target group and alarms`,
      policy: codeDeployPermissions({
        partition,
        region,
        // The canary's group, target group and alarms by their deterministic names, whether or not
        // the canary exists today: adding or removing a canary leaves this policy as it is.
        autoScalingGroupNames: [props.autoScalingGroupName, `${fleet.qualifiedName}${FLEET_NAME_SUFFIXES.canaryAutoScalingGroup}`],
        targetGroupNames: [props.targetGroupName, `${fleet.qualifiedName}${FLEET_NAME_SUFFIXES.canaryTargetGroup}`],
        alarmNames: [...props.alarmNames, `${fleet.qualifiedName}-canary-*`],
      }),
      tags: props.tags,
    });
    // The account ID, read from the policy's ARN (arn:<partition>:iam::<account>:policy/<name>): a
    // data.aws_caller_identity would call STS at plan time, which keeps plans from running offline.
    // A local, so the JSON trust policy holds a plain reference, not an expression with quotes in it.
    const account = new TerraformLocal(this, "AccountId", Fn.element(Fn.split(":", permissions.arn), 4)).asString;
    this.serviceRole = new IamRole(this, "ServiceRole", {
      name: `${fleet.qualifiedName}${FLEET_NAME_SUFFIXES.deployRole}`,
      description: `CodeDeploy service role for ${fleet.qualifiedName}`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "codedeploy.amazonaws.com" },
            Action: "sts:AssumeRole",
            // Confused-deputy protection (CodeDeploy user guide, "Cross-service confused deputy
            // prevention"): only this account's deployment group of this fleet may use the role.
            Condition: {
              StringEquals: { "aws:SourceAccount": account },
              ArnLike: {
                "aws:SourceArn": `arn:${partition}:codedeploy:${region}:${account}:deploymentgroup:${this.applicationName}/${fleet.qualifiedName}`,
              },
            },
          },
        ],
      }),
      tags: props.tags,
    });
    const attachment = new IamRolePolicyAttachment(this, "ServiceRolePolicy", {
      role: this.serviceRole.name,
      policyArn: permissions.arn,
    });

    const choice = fleet.deployment.config.choice;
    if (choice.kind === "predefined") {
      this.deploymentConfigName = choice.name;
    } else {
      const custom = new CodedeployDeploymentConfig(this, "Config", {
        deploymentConfigName: `${fleet.qualifiedName}-min-healthy-${choice.percent}`,
        computePlatform: "Server",
        minimumHealthyHosts: { type: "FLEET_PERCENT", value: choice.percent },
      });
      this.deploymentConfigName = custom.deploymentConfigName;
    }

    this.deploymentGroup = new CodedeployDeploymentGroup(this, "Group", {
      appName: this.applicationName,
      deploymentGroupName: fleet.qualifiedName,
      serviceRoleArn: this.serviceRole.arn,
      deploymentConfigName: this.deploymentConfigName,
      autoscalingGroups: [props.autoScalingGroupName, ...(props.extraAutoScalingGroupNames ?? [])],
      deploymentStyle: { deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "IN_PLACE" },
      loadBalancerInfo: { targetGroupInfo: [props.targetGroupName, ...(props.extraTargetGroupNames ?? [])].map((name) => ({ name })) },
      autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
      alarmConfiguration: { enabled: true, alarms: [...props.alarmNames, ...(props.extraAlarmNames ?? [])] },
      // Instances launched while a deployment runs get the newest revision, and a
      // terminating instance lets CodeDeploy run its stop hooks first.
      outdatedInstancesStrategy: "UPDATE",
      terminationHookEnabled: true,
      // CodeDeploy checks the role's permissions on the groups when the deployment group is created.
      dependsOn: [attachment],
      tags: props.tags,
    });
  }
}

export interface CodeDeployPermissionsProps {
  readonly partition: string;
  readonly region: string;
  readonly autoScalingGroupNames: readonly string[];
  readonly targetGroupNames: readonly string[];
  /** Alarm names (a trailing `*` matches a family of them). */
  readonly alarmNames: readonly string[];
}

/**
 * What CodeDeploy does for an in-place EC2/Auto Scaling deployment with load balancer traffic
 * control (CodeDeploy user guide, "Integrating CodeDeploy with Amazon EC2 Auto Scaling" and
 * "Integrating CodeDeploy with Elastic Load Balancing"): it finds the groups' instances, installs
 * and answers its launch and termination lifecycle hooks on the groups, takes each instance out
 * of the target group and back, and polls the deployment group's alarms. Actions that accept a
 * resource are scoped to the fleet's groups, target group and alarms; Describe calls take "*".
 * Not granted, unlike AWSCodeDeployRole: creating, updating or deleting Auto Scaling groups,
 * terminating instances, ec2:RunInstances, iam:PassRole and sns:Publish, which only blue/green
 * deployments (copies of a group) and trigger notifications need.
 */
export function codeDeployPermissions(p: CodeDeployPermissionsProps): string {
  const groups = p.autoScalingGroupNames.map((name) => autoScalingGroupArnPattern(p.partition, p.region, name));
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "FindInstances",
        Effect: "Allow",
        Action: [
          "autoscaling:DescribeAutoScalingGroups",
          "autoscaling:DescribeLifecycleHooks",
          "ec2:DescribeInstances",
          "ec2:DescribeInstanceStatus",
          "elasticloadbalancing:DescribeTargetGroups",
          "elasticloadbalancing:DescribeTargetHealth",
        ],
        Resource: "*",
      },
      {
        Sid: "OwnLifecycleHooks",
        Effect: "Allow",
        Action: [
          "autoscaling:PutLifecycleHook",
          "autoscaling:DeleteLifecycleHook",
          "autoscaling:CompleteLifecycleAction",
          "autoscaling:RecordLifecycleActionHeartbeat",
        ],
        Resource: groups,
      },
      {
        Sid: "OwnTargetGroupTraffic",
        Effect: "Allow",
        Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
        Resource: p.targetGroupNames.map((name) => `arn:${p.partition}:elasticloadbalancing:${p.region}:*:targetgroup/${name}/*`),
      },
      ...(p.alarmNames.length > 0
        ? [
            {
              // DescribeAlarms accepts alarm ARNs for metric alarms (CloudWatch API reference, DescribeAlarms).
              Sid: "OwnAlarms",
              Effect: "Allow",
              Action: "cloudwatch:DescribeAlarms",
              Resource: p.alarmNames.map((name) => `arn:${p.partition}:cloudwatch:${p.region}:*:alarm:${name}`),
            },
          ]
        : []),
    ],
  });
}
