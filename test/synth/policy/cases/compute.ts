/** Rule cases: compute. */
import { LaunchTemplate } from "../../../../lib/aws/resources";
import { RuleCase } from "../policy-helpers";
import { encryptedRoot, launchTemplate } from "./builders";

const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
/** An example access key from AWS's documentation, not a real credential. */
const EXAMPLE_ACCESS_KEY = ["AKIA", "IOSFODNN7EXAMPLE"].join("");

export const COMPUTE_CASES: readonly RuleCase[] = [
  {
    ruleId: "APF-IMDSV2",
    build: (s) => {
      launchTemplate(s, "Optional", { metadataOptions: { httpTokens: "optional" } });
      launchTemplate(s, "Unset", {});
      launchTemplate(s, "OverriddenBack", { metadataOptions: { httpTokens: "required" } }).addOverride(
        "metadata_options.http_tokens",
        "optional",
      );
      launchTemplate(s, "Required", { metadataOptions: { httpEndpoint: "enabled", httpTokens: "required" } });
      launchTemplate(s, "EndpointOff", { metadataOptions: { httpEndpoint: "disabled" } });
    },
    bad: ["Optional", "Unset", "OverriddenBack"],
    good: ["Required", "EndpointOff"],
  },
  {
    ruleId: "APF-EBS-ENCRYPTED",
    build: (s) => {
      launchTemplate(s, "Unencrypted", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }] });
      launchTemplate(s, "NoMappings", {});
      launchTemplate(s, "SecondVolumePlain", {
        blockDeviceMappings: [...encryptedRoot, { deviceName: "/dev/xvdb", ebs: { volumeSize: 100 } }],
      });
      launchTemplate(s, "Encrypted", { blockDeviceMappings: encryptedRoot });
    },
    bad: ["Unencrypted", "NoMappings", "SecondVolumePlain"],
    good: ["Encrypted"],
  },
  {
    ruleId: "APF-NO-PUBLIC-IP",
    build: (s) => {
      launchTemplate(s, "Public", { networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "true" }] });
      launchTemplate(s, "Private", { networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false" }] });
    },
    bad: ["Public"],
    good: ["Private"],
  },
  {
    ruleId: "APF-USER-DATA-SECRETS",
    build: (s) => {
      launchTemplate(s, "AccessKeyInUserData", { userData: base64(`#!/bin/bash\nexport AWS_ACCESS_KEY_ID=${EXAMPLE_ACCESS_KEY}\n`) });
      launchTemplate(s, "PasswordInUserData", {
        userData: base64("#!/bin/bash\necho 'DB_PASSWORD=correct-horse-battery' >> /etc/app.env\n"),
      });
      launchTemplate(s, "PrivateKeyInUserData", {
        userData: base64("-----BEGIN RSA PRIVATE KEY-----\nMIIEow...\n-----END RSA PRIVATE KEY-----\n"),
      });
      new LaunchTemplate(s, "SecretInEncodeCall", { name: "encoded", imageId: "ami-0a1b2c3d4e5f60789" }).addOverride(
        "user_data",
        '${base64encode("API_KEY=0123456789abcdef0123")}',
      );
      launchTemplate(s, "SecretReadAtBoot", {
        userData: base64(
          "#!/bin/bash\nDB_PASSWORD=$(aws ssm get-parameter --name /prod-rails4/db-password --with-decryption --query Parameter.Value --output text)\n",
        ),
      });
      launchTemplate(s, "SecretNameOnly", {
        userData: base64("#!/bin/bash\nDB_PASSWORD_PARAMETER=/prod-rails4/db-password\nexport GREETING=hello\n"),
      });
      launchTemplate(s, "NoUserData", { blockDeviceMappings: encryptedRoot });
    },
    bad: ["AccessKeyInUserData", "PasswordInUserData", "PrivateKeyInUserData", "SecretInEncodeCall"],
    good: ["SecretReadAtBoot", "SecretNameOnly", "NoUserData"],
  },
];
