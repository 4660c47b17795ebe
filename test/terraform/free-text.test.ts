/**
 * Free text stays text, proved with the real `terraform plan`: every string a user writes that
 * reaches Terraform (tags and default tags, keys included; the maintenance page and redirect;
 * header values in conditions and the override header's values; an egress rule's description;
 * the CodeDeploy application name; the traffic summary output; user data) is planned as the
 * literal text, never evaluated. Unescaped, `${file("/etc/os-release")}` would be planned as the
 * contents of that file.
 */
import { OfflineWorkspace } from "../../lib/terraform/offline-workspace";
import { synthBlueGreen, synthTwoVersion } from "../support/layouts";
import { TerraformJson } from "../support/synth";
import { describeWithTerraform, TERRAFORM_TEST_TIMEOUT_MS } from "../support/terraform";

const READ_FILE = '${file("/etc/os-release")}';
const DIRECTIVE = "%{ if true }yes%{ endif }";
const CWD = "${path.cwd}";

interface Change {
  readonly address: string;
  readonly type: string;
  readonly change: { readonly actions: string[]; readonly after: any };
}
interface Plan {
  readonly resource_changes: Change[];
  readonly output_changes: Record<string, { after: unknown }>;
}

const ofType = (plan: Plan, type: string) => plan.resource_changes.filter((c) => c.type === type).map((c) => c.change.after);
const onlyOf = (plan: Plan, type: string) => {
  const all = ofType(plan, type);
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
};

describeWithTerraform("free text reaches Terraform as literal text", () => {
  const workspaces: OfflineWorkspace[] = [];
  const plan = async (json: TerraformJson): Promise<Plan> => {
    const ws = OfflineWorkspace.create(json);
    workspaces.push(ws);
    return (await ws.planJson()) as unknown as Plan;
  };
  afterAll(() => workspaces.forEach((ws) => ws.dispose()));

  let twoVersion: Plan;
  beforeAll(async () => {
    twoVersion = await plan(
      synthTwoVersion((c) => {
        c.tags = { ...c.tags, Owner: READ_FILE, Directive: DIRECTIVE, [CWD]: "a key", Escaped: "$${already} %%{kept}" };
        c.fleets.rails4.tags = { Team: '${upper("web")}' };
        c.fleets.rails4.extraEgress = [{ description: `to ${CWD} db`, port: 5432, cidr: "10.0.0.0/16" }];
        c.fleets.rails4.deployment = { applicationName: `app-${CWD}` };
        c.fleets.rails3.userData = `#!/bin/bash\necho "\${HOME} %{x}" > /tmp/motd\n`;
        c.routing.overrideHeader.values = { "3": "rails3", [READ_FILE]: "rails4" };
        c.routing.routes.push({
          name: "probe",
          match: { paths: ["/probe/*"], headers: [{ name: "X-Probe", values: [CWD] }] },
          to: "rails4",
        });
        c.routing.maintenance.enabled = true;
        c.routing.maintenance.response.body = `<p>${READ_FILE}</p> ${DIRECTIVE}`;
        c.routing.maintenance.bypass.header.value = CWD;
      }),
    );
  }, TERRAFORM_TEST_TIMEOUT_MS);

  test("tag values and keys, resource tags and the provider's default tags, are planned literally", () => {
    const lb = onlyOf(twoVersion, "aws_lb");
    expect(lb.tags_all).toMatchObject({ Owner: READ_FILE, Directive: DIRECTIVE, [CWD]: "a key", Escaped: "$${already} %%{kept}" });
    expect(lb.tags).toMatchObject({ Owner: READ_FILE, [CWD]: "a key" });
    const rails4Group = ofType(twoVersion, "aws_autoscaling_group").find((g) => g.name === "staging-rails4-asg");
    expect(rails4Group.tag).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: "Team", value: '${upper("web")}' }),
        expect.objectContaining({ key: "Owner", value: READ_FILE }),
      ]),
    );
  });

  test("an egress rule's description and the CodeDeploy application name are planned literally", () => {
    const descriptions = ofType(twoVersion, "aws_vpc_security_group_egress_rule").map((r) => r.description);
    expect(descriptions).toContain(`to ${CWD} db`);
    const groups = ofType(twoVersion, "aws_codedeploy_deployment_group");
    expect(groups.map((g) => g.app_name)).toContain(`app-${CWD}`);
  });

  test("the maintenance page, header condition values and the override header's values are planned literally", () => {
    const rules = ofType(twoVersion, "aws_lb_listener_rule");
    const bodies = rules
      .flatMap((r) => r.action)
      .map((a) => a.fixed_response?.[0]?.message_body)
      .filter(Boolean);
    expect(bodies).toContain(`<p>${READ_FILE}</p> ${DIRECTIVE}`);
    const headerValues = rules
      .flatMap((r) => r.condition)
      .flatMap((c) => c.http_header ?? [])
      .flatMap((h) => h.values);
    expect(headerValues).toEqual(expect.arrayContaining([READ_FILE, CWD]));
  });

  test("the traffic summary output is planned literally", () => {
    const summary = twoVersion.output_changes.traffic_summary.after as string[];
    // The header named once, its value (free text) literally, then the staff addresses the rule requires.
    expect(summary.join("\n")).toContain(`override header: X-Backend-Version: ${READ_FILE} & from 203.0.113.0/24 -> rails4`);
    expect(summary.join("\n")).toContain(CWD);
  });

  test("user data is planned as the literal script (base64 of the text as written)", () => {
    const template = ofType(twoVersion, "aws_launch_template").find((t) => t.name === "staging-rails3-lt");
    expect(Buffer.from(template.user_data, "base64").toString("utf8")).toContain(`echo "\${HOME} %{x}" > /tmp/motd`);
  });

  test(
    "a maintenance redirect's parts are planned literally",
    async () => {
      const blueGreen = await plan(
        synthBlueGreen((c) => {
          c.maintenance.enabled = true;
          c.maintenance.response = { type: "redirect", url: `https://status.example.com/down?from=${READ_FILE}` };
        }),
      );
      const redirect = ofType(blueGreen, "aws_lb_listener_rule")
        .flatMap((r) => r.action)
        .map((a) => a.redirect?.[0])
        .find(Boolean);
      expect(redirect).toMatchObject({ host: "status.example.com", path: "/down", query: "from=${file(%22/etc/os-release%22)}" });
    },
    TERRAFORM_TEST_TIMEOUT_MS,
  );
});
