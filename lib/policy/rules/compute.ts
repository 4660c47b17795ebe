/** Rules for what instances boot with: launch templates, stand-alone instances, their user data. */
import { block, blocks, isTrue, show } from "../attributes";
import { EMPTY_SCOPE, tryEvaluateAttribute } from "../expressions/evaluate-expression";
import { stringParts } from "../expressions/static-value";
import { decodeBase64UserData, findSecrets } from "../user-data-secrets";
import { PolicyRule } from "../types";

export const IMDSV2_REQUIRED: PolicyRule = {
  id: "APF-IMDSV2",
  title: "Instance metadata requires IMDSv2 tokens",
  severity: "high",
  checks: 'Launch templates and instances set `metadata_options.http_tokens = "required"` (or switch the metadata endpoint off).',
  mirrors: { checkov: ["CKV_AWS_79"], trivy: ["AWS-0130", "AWS-0028"] },
  fix: 'set metadata_options { http_endpoint = "enabled", http_tokens = "required" }; an SSRF bug can then no longer read the instance role\'s credentials',
  appliesTo: ["aws_launch_template", "aws_instance"],
  evaluate: (resource) => {
    const options = block(resource.attributes, "metadata_options");
    if (options?.http_endpoint === "disabled") return [];
    if (options?.http_tokens === "required") return [];
    return [`metadata_options.http_tokens is ${show(options?.http_tokens)}; IMDSv1 stays reachable unless it is "required"`];
  },
};

export const LAUNCH_TEMPLATE_EBS_ENCRYPTED: PolicyRule = {
  id: "APF-EBS-ENCRYPTED",
  title: "Launch template volumes are encrypted",
  severity: "high",
  checks:
    "Launch templates declare their root volume in `block_device_mappings`, and every EBS mapping sets `encrypted = true` (instances: `root_block_device` and `ebs_block_device`).",
  // checkov and Trivy check launch configurations and instances, not launch templates.
  mirrors: { checkov: ["CKV_AWS_8"], trivy: ["AWS-0008", "AWS-0131"], cdkNag: ["AwsSolutions-EC26"] },
  fix: "add block_device_mappings { device_name = <the AMI's root device>, ebs { encrypted = true } } for every volume",
  appliesTo: ["aws_launch_template", "aws_instance"],
  evaluate: (resource) => {
    const problems: string[] = [];
    if (resource.type === "aws_instance") {
      for (const key of ["root_block_device", "ebs_block_device"]) {
        blocks(resource.attributes, key).forEach((device, i) => {
          if (!isTrue(device.encrypted)) problems.push(`${key}[${i}].encrypted is ${show(device.encrypted)}`);
        });
      }
      if (blocks(resource.attributes, "root_block_device").length === 0) {
        problems.push("root_block_device is not declared, so the root volume's encryption follows the AMI snapshot");
      }
      return problems;
    }
    const mappings = blocks(resource.attributes, "block_device_mappings");
    const ebsMappings = mappings.filter((m) => m.no_device === undefined && m.virtual_name === undefined);
    if (ebsMappings.length === 0) {
      return ["block_device_mappings declares no EBS volume, so the root volume's encryption follows the AMI snapshot"];
    }
    ebsMappings.forEach((mapping) => {
      const ebs = block(mapping, "ebs");
      if (!isTrue(ebs?.encrypted)) {
        problems.push(`block_device_mappings "${String(mapping.device_name)}" ebs.encrypted is ${show(ebs?.encrypted)}`);
      }
    });
    return problems;
  },
};

export const NO_PUBLIC_IP: PolicyRule = {
  id: "APF-NO-PUBLIC-IP",
  title: "Instances get no public IP address",
  severity: "high",
  checks:
    "Launch template network interfaces and instances do not set `associate_public_ip_address = true`; app servers are reached through the load balancer only.",
  mirrors: { checkov: ["CKV_AWS_88"], trivy: ["AWS-0009"] },
  fix: "set associate_public_ip_address = false and launch into private subnets; reach instances with SSM Session Manager",
  appliesTo: ["aws_launch_template", "aws_instance"],
  evaluate: (resource) => {
    if (resource.type === "aws_instance") {
      const value = resource.attributes.associate_public_ip_address;
      return isTrue(value) ? [`associate_public_ip_address is ${show(value)}`] : [];
    }
    const problems: string[] = [];
    blocks(resource.attributes, "network_interfaces").forEach((nic, i) => {
      if (isTrue(nic.associate_public_ip_address)) {
        problems.push(`network_interfaces[${i}].associate_public_ip_address is ${show(nic.associate_public_ip_address)}`);
      }
    });
    return problems;
  },
};

/** The user data attributes of each type, and whether each is base64-encoded. */
const USER_DATA_ATTRIBUTES: Readonly<Record<string, readonly { key: string; base64: boolean }[]>> = {
  aws_launch_template: [{ key: "user_data", base64: true }],
  aws_instance: [
    { key: "user_data", base64: false },
    { key: "user_data_base64", base64: true },
  ],
  aws_launch_configuration: [
    { key: "user_data", base64: false },
    { key: "user_data_base64", base64: true },
  ],
};

/** The literal text of a user data attribute (unknown parts, e.g. interpolated references, are skipped). */
function userDataText(raw: unknown, base64: boolean): string | undefined {
  const value = tryEvaluateAttribute(raw, EMPTY_SCOPE);
  // Text Terraform would not parse fails at plan anyway; scan it as written.
  const parts = "error" in value ? (typeof raw === "string" ? [raw] : undefined) : stringParts(value);
  if (!parts) return undefined;
  const text = parts.filter((p): p is string => typeof p === "string").join("\n");
  if (!base64) return text;
  return decodeBase64UserData(text) ?? text;
}

export const NO_SECRETS_IN_USER_DATA: PolicyRule = {
  id: "APF-USER-DATA-SECRETS",
  title: "User data holds no secrets",
  severity: "high",
  checks:
    "Launch template, instance and launch configuration user data (decoded from base64) contains no AWS access key, private key, well-known token, or literal value assigned to a name like PASSWORD, SECRET, TOKEN or API_KEY.",
  mirrors: { checkov: ["CKV_AWS_46"], trivy: ["AWS-0029", "AWS-0129"] },
  fix: "store the secret in SSM Parameter Store (SecureString) or Secrets Manager under the fleet's parameter path and read it at boot; rotate the exposed one",
  appliesTo: Object.keys(USER_DATA_ATTRIBUTES),
  evaluate: (resource) =>
    (USER_DATA_ATTRIBUTES[resource.type] ?? []).flatMap(({ key, base64 }) => {
      const raw = resource.attributes[key];
      if (raw === undefined || raw === null) return [];
      const text = userDataText(raw, base64);
      if (text === undefined) return [];
      return findSecrets(text).map((f) => `${key} line ${f.line} holds ${f.kind} (${f.excerpt})`);
    }),
};
