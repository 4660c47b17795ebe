/** The launch template of a fleet or of its canary: the same hardening, different candidate settings. */
import { Construct } from "constructs";
import { Fn, TerraformLocal } from "cdktf";
import { hasToken, terraformLiteral } from "../core/terraform-literal";
import { LaunchTemplate } from "../aws/resources";
import { ResolvedFleetProps } from "./app-server-group-props";

export interface FleetLaunchTemplateProps {
  readonly name: string;
  readonly description: string;
  readonly fleet: ResolvedFleetProps;
  readonly imageId: string;
  readonly instanceType: string;
  /** The complete user data document (already composed). */
  readonly userData?: string;
  readonly instanceProfileArn: string;
  readonly securityGroupId: string;
  /**
   * Let instances hibernate (a warm pool whose state is "Hibernated"): memory is written to the
   * encrypted root volume. Only the main group's template: the canary has no warm pool, and an
   * instance type without hibernation support would refuse to launch. @default false
   */
  readonly hibernation?: boolean;
  readonly nameTag: string;
  readonly tags: Record<string, string>;
}

/**
 * Base64 of the user data. Encoded here when the text is literal, so shell `${VAR}` in
 * a user's script is never read as Terraform interpolation; through Terraform only when
 * it holds values known at apply time (possible only with the bootstrap gate and the
 * stateful guard off: composed documents must be literal). Then the document is a local
 * value, its text escaped around the tokens: written inline into `base64encode("...")`,
 * cdktf would escape `${` but leave `%{` to Terraform, and it refuses a `"` outright.
 */
export function encodeUserData(scope: Construct, id: string, document: string | undefined): string | undefined {
  if (document === undefined) return undefined;
  if (!hasToken(document)) return Buffer.from(document, "utf8").toString("base64");
  const local = new TerraformLocal(scope, `${id}UserData`, terraformLiteral(document));
  return Fn.base64encode(local.asString);
}

export function newFleetLaunchTemplate(scope: Construct, id: string, props: FleetLaunchTemplateProps): LaunchTemplate {
  const { fleet, tags } = props;
  return new LaunchTemplate(scope, id, {
    name: props.name,
    description: props.description,
    imageId: props.imageId,
    instanceType: props.instanceType,
    keyName: fleet.keyName,
    updateDefaultVersion: true,
    userData: encodeUserData(scope, id, props.userData),
    iamInstanceProfile: { arn: props.instanceProfileArn },
    metadataOptions: {
      httpEndpoint: "enabled",
      httpTokens: "required",
      httpPutResponseHopLimit: 1,
      instanceMetadataTags: "enabled",
    },
    monitoring: { enabled: true },
    hibernationOptions: props.hibernation ? { configured: true } : undefined,
    networkInterfaces: [
      {
        deviceIndex: 0,
        associatePublicIpAddress: "false",
        deleteOnTermination: "true",
        // The fleet's own group first, then the user's (instance-ingress.ts).
        securityGroups: [props.securityGroupId, ...fleet.extraSecurityGroupIds],
      },
    ],
    blockDeviceMappings: [
      {
        deviceName: fleet.rootVolume.deviceName,
        ebs: {
          encrypted: "true",
          kmsKeyId: fleet.rootVolume.kmsKeyArn,
          volumeSize: fleet.rootVolume.sizeGiB,
          volumeType: fleet.rootVolume.volumeType,
          // A stateful fleet's disk outlives its instance: a terminated data holder leaves its data behind.
          deleteOnTermination: fleet.rollouts.stateful?.keepRootVolume ? "false" : "true",
        },
      },
    ],
    tagSpecifications: [
      { resourceType: "instance", tags: { ...tags, Name: props.nameTag } },
      { resourceType: "volume", tags: { ...tags, Name: props.nameTag } },
    ],
    tags,
  });
}
