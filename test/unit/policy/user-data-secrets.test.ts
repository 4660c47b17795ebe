/** What counts as a secret in user data, and what does not (values read at boot, names of secrets). */
import { resolveFleetProps } from "../../../lib/fleet/app-server-group-props";
import { instanceUserData } from "../../../lib/fleet/rollouts";
import { fleetProps } from "../../support/fixtures";
import { decodeBase64UserData, findSecrets } from "../../../lib/policy/user-data-secrets";

describe("findSecrets", () => {
  test.each([
    ["an AWS access key", `export AWS_ACCESS_KEY_ID=${["AKIA", "IOSFODNN7EXAMPLE"].join("")}`, "an AWS access key ID"],
    [
      "a secret access key",
      "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      "a literal value for aws_secret_access_key",
    ],
    ["a private key", "-----BEGIN OPENSSH PRIVATE KEY-----", "a private key"],
    ["a password assignment", "DB_PASSWORD='correct-horse-battery'", "a literal value for DB_PASSWORD"],
    ["a JSON token", '{"api_token": "0123456789abcdef"}', "a literal value for api_token"],
    ["a GitHub token", `git clone https://${["ghp", "_"].join("")}${"a".repeat(36)}@github.com/org/repo`, "a GitHub token"],
  ])("finds %s", (_what, text, kind) => {
    expect(findSecrets(text).map((f) => f.kind)).toEqual([kind]);
  });

  test("masks the secret in what it reports", () => {
    const [finding] = findSecrets("#!/bin/bash\nDB_PASSWORD=correct-horse-battery\n");
    expect(finding).toEqual({ kind: "a literal value for DB_PASSWORD", excerpt: "DB_PASSWORD=corr…", line: 2 });
  });

  test.each([
    [
      "a value read at boot",
      "DB_PASSWORD=$(aws ssm get-parameter --name /prod-rails4/db --with-decryption --query Parameter.Value --output text)",
    ],
    ["a shell variable", 'curl -H "X-aws-ec2-metadata-token: $token" http://169.254.169.254/latest/meta-data/'],
    ["the IMDSv2 token TTL header", "curl -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' http://169.254.169.254/latest/api/token"],
    ["the name of a parameter", "DB_PASSWORD_PARAMETER=/prod-rails4/db-password"],
    ["an ARN of a secret", "DB_SECRET=arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:db"],
    ["a short value", "TOKEN=abc"],
  ])("does not report %s", (_what, text) => {
    expect(findSecrets(text)).toEqual([]);
  });

  test("the library's own user data (bootstrap gate, drain handler) holds nothing that looks like a secret", () => {
    const fleet = resolveFleetProps(fleetProps({ stateful: { drainCommand: "/usr/local/bin/ship-uploads" } }));
    const script = instanceUserData(fleet.rollouts, "#!/bin/bash\necho ready\n", "staging-rails4-asg");
    expect(script).toEqual(expect.any(String));
    const text = decodeBase64UserData(script!) ?? script!;
    expect(text).toContain("drain");
    expect(findSecrets(text)).toEqual([]);
  });
});

describe("decodeBase64UserData", () => {
  test("decodes base64 text and refuses what is not", () => {
    expect(decodeBase64UserData(Buffer.from("#!/bin/bash\necho hi\n").toString("base64"))).toBe("#!/bin/bash\necho hi\n");
    expect(decodeBase64UserData("#!/bin/bash")).toBeUndefined();
    expect(decodeBase64UserData(Buffer.from([0x1f, 0x8b, 0x08, 0x00]).toString("base64"))).toBeUndefined();
  });
});
