import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Violations } from "../../../lib/core/errors";
import { resolveBootstrapGate } from "../../../lib/fleet/bootstrap-gate";
import { instanceUserData, ResolvedRollouts } from "../../../lib/fleet/rollouts";
import { resolveStatefulGuard } from "../../../lib/fleet/stateful-guard";
import {
  checkUserDataSize,
  checkUserPart,
  composeUserData,
  HEREDOC_END,
  MIME_BOUNDARY,
  parseUserData,
  shellQuote,
  userDataContentType,
  USER_DATA_MAX_BYTES,
} from "../../../lib/fleet/user-data";

const context = { appPort: 8080, healthCheckPath: "/health", capacityTimeoutSeconds: 900 };

function rollouts(options: { gate?: boolean; drainCommand?: string; stateful?: boolean } = {}): ResolvedRollouts {
  const v = new Violations();
  const result: ResolvedRollouts = {
    bootstrapGate: options.gate === false ? undefined : resolveBootstrapGate(v, "gate", {}, context),
    stateful:
      options.stateful || options.drainCommand
        ? resolveStatefulGuard(v, "stateful", { drainCommand: options.drainCommand }, "prod-web")
        : undefined,
  };
  v.throwIfAny();
  return result;
}

/** Every script an instance ends up running: the parts, and the files the parts write. */
function allScripts(document: string): Array<{ name: string; text: string }> {
  const scripts: Array<{ name: string; text: string }> = [];
  for (const part of parseUserData(document)) {
    if (part.contentType !== "text/x-shellscript") continue;
    scripts.push({ name: part.filename, text: part.content });
    const files = part.content.matchAll(new RegExp(`cat > '([^']+)' <<'${HEREDOC_END}'\\n([\\s\\S]*?)\\n${HEREDOC_END}\\n`, "g"));
    for (const [, path, body] of files) scripts.push({ name: path, text: `${body}\n` });
  }
  return scripts;
}

describe("user data composition", () => {
  const userScript = "#!/bin/bash\nchef-client -o 'role[web]'\necho \"${HOSTNAME}\"\n";
  const document = instanceUserData(rollouts({ drainCommand: "sync-data" }), userScript, "prod-web-asg")!;
  const parts = parseUserData(document);

  test("the user's own part comes first, unchanged, then the bootstrap gate, then the drain handler", () => {
    expect(parts.map((p) => [p.filename, p.contentType])).toEqual([
      ["00-user-data.sh", "text/x-shellscript"],
      ["90-app-fleets-bootstrap-gate.sh", "text/x-shellscript"],
      ["91-app-fleets-drain-handler.sh", "text/x-shellscript"],
    ]);
    expect(parts[0].content).toBe(userScript);
  });

  test("the document is MIME multipart cloud-init reads, with a fixed boundary so plans stay quiet", () => {
    expect(document.startsWith(`Content-Type: multipart/mixed; boundary="${MIME_BOUNDARY}"\nMIME-Version: 1.0\n\n`)).toBe(true);
    expect(document.trimEnd().endsWith(`--${MIME_BOUNDARY}--`)).toBe(true);
    expect(instanceUserData(rollouts({ drainCommand: "sync-data" }), userScript, "prod-web-asg")).toBe(document);
  });

  test("a #cloud-config user part keeps its type", () => {
    const doc = instanceUserData(rollouts(), "#cloud-config\npackages: [nginx]\n", "web-asg")!;
    expect(parseUserData(doc).map((p) => p.contentType)).toEqual(["text/cloud-config", "text/x-shellscript"]);
  });

  test("without user data the gate is the only part", () => {
    expect(parseUserData(instanceUserData(rollouts(), undefined, "web-asg")!).map((p) => p.filename)).toEqual([
      "90-app-fleets-bootstrap-gate.sh",
    ]);
  });

  test("with the gate and the guard off, the user's user data passes through unwrapped", () => {
    expect(instanceUserData(rollouts({ gate: false }), userScript, "web-asg")).toBe(userScript);
    expect(instanceUserData(rollouts({ gate: false }), undefined, "web-asg")).toBeUndefined();
  });

  test("the scripts name their own group and hook, and complete with the instance's ID and region from IMDSv2", () => {
    const gate = parts[1].content;
    expect(gate).toContain("ASG_NAME='prod-web-asg'");
    expect(gate).toContain("HOOK_NAME='bootstrap-gate'");
    expect(gate).toContain("X-aws-ec2-metadata-token-ttl-seconds");
    expect(gate).toContain("imds instance-id");
    expect(gate).toContain("imds placement/region");
    expect(gate).toContain('--lifecycle-action-result "$1"');
    expect(gate).toContain("exec curl -fsS -o /dev/null --max-time 5 'http://127.0.0.1:8080/health'");
    expect(gate).toContain("After=cloud-final.service");
    expect(gate).toContain("systemctl start --no-block app-fleets-bootstrap-gate.service");
    const drain = parts[2].content;
    expect(drain).toContain("HOOK_NAME='drain-before-terminate'");
    expect(drain).toContain("autoscaling/target-lifecycle-state");
    expect(drain).toMatch(
      /cat > '\/usr\/local\/libexec\/app-fleets\/drain-command' <<'APP_FLEETS_END_OF_FILE'\n#!\/bin\/bash\nsync-data\n/,
    );
    expect(drain).toContain("systemctl enable --now --no-block app-fleets-drain-handler.service");
  });

  test("the gate's unit is enabled before it is queued, so user data that reboots the instance still gets the hook answered", () => {
    const gate = parts[1].content;
    const enable = gate.indexOf("systemctl enable app-fleets-bootstrap-gate.service\n");
    expect(enable).toBeGreaterThan(gate.indexOf("systemctl daemon-reload"));
    expect(enable).toBeLessThan(gate.indexOf("systemctl start --no-block app-fleets-bootstrap-gate.service"));
    expect(gate).toMatch(/\[Install\]\nWantedBy=multi-user\.target\n/);
  });

  test("every generated shell script parses (bash -n), nested files included", () => {
    const dir = mkdtempSync(join(tmpdir(), "user-data-"));
    try {
      const scripts = [...allScripts(document), ...allScripts(instanceUserData(rollouts({ stateful: true }), undefined, "a-asg")!)];
      expect(scripts.map((s) => s.name)).toEqual(
        expect.arrayContaining([
          "/usr/local/libexec/app-fleets/bootstrap-gate",
          "/usr/local/libexec/app-fleets/readiness-check",
          "/usr/local/libexec/app-fleets/drain-handler",
          "/usr/local/libexec/app-fleets/drain-command",
        ]),
      );
      const broken = scripts.filter(({ text }, i) => {
        const file = join(dir, `s${i}.sh`);
        writeFileSync(file, text);
        try {
          execFileSync("bash", ["-n", file], { stdio: "pipe" });
          return false;
        } catch {
          return true;
        }
      });
      expect(broken.map((s) => s.name)).toEqual([]);
      // The check bites: a script with an unclosed quote is reported.
      writeFileSync(join(dir, "bad.sh"), "echo 'oops\n");
      expect(() => execFileSync("bash", ["-n", join(dir, "bad.sh")], { stdio: "pipe" })).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the library's parts hold no ${ or %{, so they survive Terraform interpolation if passed through base64encode()", () => {
    const ours = instanceUserData(rollouts({ drainCommand: "sync" }), undefined, "web-asg")!;
    expect(ours).not.toMatch(/\$\{|%\{/);
  });
});

describe("user data checks", () => {
  test.each([
    ["#!/bin/bash\n", "text/x-shellscript"],
    ["#cloud-config\n", "text/cloud-config"],
    ["#cloud-config-archive\n", "text/cloud-config-archive"],
    ["#cloud-boothook\n", "text/cloud-boothook"],
    ["#include\nhttps://example.com/x", "text/x-include-url"],
    ["echo hi", undefined],
  ])("content %j is typed %s", (content, type) => {
    expect(userDataContentType(content)).toBe(type);
  });

  test("user data cloud-init would skip as one part among several is rejected, naming the fix", () => {
    const v = new Violations();
    checkUserPart(v, "userData", "echo hello");
    expect(v.all).toEqual([
      expect.objectContaining({ field: "userData", value: "echo hello", fix: expect.stringContaining("#!/bin/bash") }),
    ]);
  });

  test("user data that is already multipart is rejected rather than nested", () => {
    const v = new Violations();
    checkUserPart(v, "userData", 'Content-Type: multipart/mixed; boundary="x"\n\n--x\n');
    expect(v.all).toEqual([expect.objectContaining({ limit: expect.stringContaining("already MIME multipart") })]);
  });

  test("a composed document above EC2's 16 KB is rejected with its size", () => {
    const v = new Violations();
    checkUserDataSize(v, "userData", "x".repeat(USER_DATA_MAX_BYTES));
    expect(v.isEmpty).toBe(true);
    checkUserDataSize(v, "userData", "x".repeat(USER_DATA_MAX_BYTES + 1));
    expect(v.all).toEqual([expect.objectContaining({ value: `${USER_DATA_MAX_BYTES + 1} bytes` })]);
  });

  test("shellQuote makes any value one literal word", () => {
    const value = 'it\'s $HOME `x` "y"';
    expect(execFileSync("bash", ["-c", `printf %s ${shellQuote(value)}`]).toString()).toBe(value);
  });

  test("composeUserData round-trips through parseUserData", () => {
    const parts = [
      { filename: "a.sh", contentType: "text/x-shellscript", content: "#!/bin/sh\necho a\n" },
      { filename: "b", contentType: "text/cloud-config", content: "#cloud-config\nruncmd: []\n" },
    ];
    expect(parseUserData(composeUserData(parts))).toEqual(parts);
  });
});
