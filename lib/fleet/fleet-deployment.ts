/**
 * CodeDeploy for one fleet: in-place deployments behind the fleet's target group, rolled
 * back automatically on failure or when one of the fleet's alarms fires.
 */
import { Construct } from "constructs";
import {
  CodedeployApp,
  CodedeployDeploymentConfig,
  CodedeployDeploymentGroup,
  DataAwsPartition,
  IamRole,
  IamRolePolicyAttachment,
} from "../aws/resources";
import { ResolvedFleetProps } from "./app-server-group-props";

export interface FleetDeploymentProps {
  readonly fleet: ResolvedFleetProps;
  readonly autoScalingGroupName: string;
  /** Further groups deployed with the fleet's revisions (the canary). @default - none */
  readonly extraAutoScalingGroupNames?: readonly string[];
  readonly targetGroupName: string;
  readonly alarmNames: string[];
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
      this.applicationName = fleet.deployment.applicationName;
    } else {
      this.application = new CodedeployApp(this, "Application", {
        name: fleet.qualifiedName,
        computePlatform: "Server",
        tags: props.tags,
      });
      this.applicationName = this.application.name;
    }

    this.serviceRole = new IamRole(this, "ServiceRole", {
      name: `${fleet.qualifiedName}-codedeploy`,
      description: `CodeDeploy service role for ${fleet.qualifiedName}`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "codedeploy.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      tags: props.tags,
    });
    new IamRolePolicyAttachment(this, "ServiceRolePolicy", {
      role: this.serviceRole.name,
      policyArn: `arn:${props.partition.partition}:iam::aws:policy/service-role/AWSCodeDeployRole`,
    });

    const config = fleet.deployment.config;
    if (config.predefinedName) {
      this.deploymentConfigName = config.predefinedName;
    } else {
      const custom = new CodedeployDeploymentConfig(this, "Config", {
        deploymentConfigName: `${fleet.qualifiedName}-min-healthy-${config.minimumHealthyPercent}`,
        computePlatform: "Server",
        minimumHealthyHosts: { type: "FLEET_PERCENT", value: config.minimumHealthyPercent! },
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
      loadBalancerInfo: { targetGroupInfo: [{ name: props.targetGroupName }] },
      autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
      alarmConfiguration: { enabled: true, alarms: props.alarmNames },
      // Instances launched while a deployment runs get the newest revision, and a
      // terminating instance lets CodeDeploy run its stop hooks first.
      outdatedInstancesStrategy: "UPDATE",
      terminationHookEnabled: true,
      tags: props.tags,
    });
  }
}
