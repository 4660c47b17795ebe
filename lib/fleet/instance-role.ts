/** The instances' IAM role: Session Manager access and read access to the deploy artifacts only. */
import { Construct } from "constructs";
import { DataAwsPartition, IamInstanceProfile, IamRole, IamRolePolicy, IamRolePolicyAttachment } from "../aws/resources";
import { ArtifactLocation } from "./app-server-group-props";

export interface InstanceRoleProps {
  readonly roleName: string;
  readonly artifacts?: Required<ArtifactLocation>;
  readonly tags: Record<string, string>;
}

export class InstanceRole extends Construct {
  readonly role: IamRole;
  readonly instanceProfile: IamInstanceProfile;
  readonly partition: DataAwsPartition;

  constructor(scope: Construct, id: string, props: InstanceRoleProps) {
    super(scope, id);
    this.partition = new DataAwsPartition(this, "Partition");
    this.role = new IamRole(this, "Resource", {
      name: props.roleName,
      description: `Instances of ${props.roleName.replace(/-instance$/, "")}: SSM Session Manager and deploy artifact read`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      tags: props.tags,
    });
    // Session Manager replaces SSH keys and bastions.
    new IamRolePolicyAttachment(this, "SsmManagedInstanceCore", {
      role: this.role.name,
      policyArn: `arn:${this.partition.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
    });
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
