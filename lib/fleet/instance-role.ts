/**
 * The instances' IAM role, least privilege: the SSM Agent's own calls (Session Manager and Run
 * Command), the fleet's own SSM parameters, and read access to the deploy artifacts only.
 *
 * Not AmazonSSMManagedInstanceCore: that AWS managed policy also grants ssm:GetParameter(s) on
 * every parameter of the account, so every app server could read every other application's
 * secrets. The agent actions below are those AWS lists for the agent's message channels and
 * registration (Systems Manager user guide, "Reference: ec2messages, ssmmessages, and other API
 * operations"); they act on the calling instance only and take no resource ARN, which is why AWS's
 * own minimal Session Manager instance policy (AWSCloud9SSMInstanceProfile) grants them on "*".
 * State Manager, Inventory and Patch Manager calls are left out: the fleet does not use them.
 */
import { Construct } from "constructs";
import { DataAwsPartition, DataAwsRegion, IamInstanceProfile, IamRole, IamRolePolicy } from "../aws/resources";
import { ArtifactLocation } from "./app-server-group-props";
import { fleetMetricsPolicy } from "./fleet-metrics";

/** What the SSM Agent calls: registration and heartbeat, Session Manager channels, Run Command messages. */
export const SSM_AGENT_ACTIONS = [
  "ssm:UpdateInstanceInformation",
  "ssmmessages:CreateControlChannel",
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
  "ec2messages:AcknowledgeMessage",
  "ec2messages:DeleteMessage",
  "ec2messages:FailMessage",
  "ec2messages:GetEndpoint",
  "ec2messages:GetMessages",
  "ec2messages:SendReply",
] as const;

/** Reading a parameter (or a path of them); SecureString values encrypted with the account's aws/ssm key need nothing more. */
export const PARAMETER_READ_ACTIONS = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"] as const;

/**
 * The SSM parameter path a fleet's instances may read, from the fleet's qualified name:
 * `/staging-rails4/` for fleet "rails4" in namespace "staging". Put the fleet's configuration and
 * secrets (SecureString) under it, e.g. `/staging-rails4/database-url`.
 */
export function fleetParameterPath(qualifiedName: string): string {
  return `/${qualifiedName}/`;
}

export interface InstanceRoleProps {
  readonly roleName: string;
  readonly artifacts?: Required<ArtifactLocation>;
  /**
   * SSM parameter path (leading and trailing "/") the instances may read.
   * @default - fleetParameterPath(<role name without "-instance">), e.g. "/staging-rails4/"
   */
  readonly parameterPath?: string;
  /** Whether the instances run the library's scripts, which publish metrics (fleet-metrics.ts). @default false */
  readonly publishesMetrics?: boolean;
  readonly tags: Record<string, string>;
}

export class InstanceRole extends Construct {
  readonly role: IamRole;
  readonly instanceProfile: IamInstanceProfile;
  readonly partition: DataAwsPartition;
  /** The SSM parameter path the instances may read, e.g. "/staging-rails4/". */
  readonly parameterPath: string;
  /** Publishing the library's own metrics (an abandoned bootstrap, a held drain): groups wait for it. Absent when nothing publishes. */
  readonly metricsPolicy?: IamRolePolicy;

  constructor(scope: Construct, id: string, props: InstanceRoleProps) {
    super(scope, id);
    const fleetName = props.roleName.replace(/-instance$/, "");
    this.parameterPath = props.parameterPath ?? fleetParameterPath(fleetName);
    this.partition = new DataAwsPartition(this, "Partition");
    // Answered by the provider itself (no API call), so plan runs offline.
    const region = new DataAwsRegion(this, "Region");
    this.role = new IamRole(this, "Resource", {
      name: props.roleName,
      description: `Instances of ${fleetName}: SSM Agent, parameters under ${this.parameterPath}, deploy artifact read`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      tags: props.tags,
    });

    // Parameter ARNs drop the path's leading "/" (arn:aws:ssm:<region>:<account>:parameter/staging-rails4/x);
    // GetParametersByPath is authorized on the path itself. The account is "*": the ARN already names the
    // Region and the path, and the role can only be used in its own account.
    const parameters = `arn:${this.partition.partition}:ssm:${region.name}:*:parameter/${this.parameterPath.replace(/^\/|\/$/g, "")}`;
    new IamRolePolicy(this, "SsmAgent", {
      name: "ssm-agent-and-own-parameters",
      role: this.role.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "SsmAgent", Effect: "Allow", Action: [...SSM_AGENT_ACTIONS], Resource: "*" },
          { Sid: "ReadOwnParameters", Effect: "Allow", Action: [...PARAMETER_READ_ACTIONS], Resource: [parameters, `${parameters}/*`] },
        ],
      }),
    });

    if (props.publishesMetrics) {
      this.metricsPolicy = new IamRolePolicy(this, "FleetMetrics", {
        name: "app-fleets-metrics",
        role: this.role.id,
        policy: fleetMetricsPolicy(),
      });
    }

    if (props.artifacts) {
      const { bucketName, prefix } = props.artifacts;
      const bucketArn = `arn:${this.partition.partition}:s3:::${bucketName}`;
      new IamRolePolicy(this, "ArtifactRead", {
        name: "deploy-artifact-read",
        role: this.role.id,
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Sid: "ReadRevisions", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: `${bucketArn}/${prefix}*` },
            {
              Sid: "ListRevisions",
              Effect: "Allow",
              Action: "s3:ListBucket",
              Resource: bucketArn,
              ...(prefix ? { Condition: { StringLike: { "s3:prefix": [`${prefix}*`] } } } : {}),
            },
          ],
        }),
      });
    }
    this.instanceProfile = new IamInstanceProfile(this, "InstanceProfile", {
      name: props.roleName,
      role: this.role.name,
      tags: props.tags,
    });
  }
}
