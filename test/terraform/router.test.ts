/**
 * The router, two fleets and a full routing table pass the real `terraform validate` and
 * `terraform plan` (AWS provider from the offline mirror, no account), and Terraform itself
 * rejects a load balancer name AWS would refuse.
 */
import { TerraformStack } from "cdktf";
import { TrafficRouter } from "../../lib/router/traffic-router";
import { OfflineWorkspace } from "../../lib/terraform/offline-workspace";
import { synthJson, TerraformJson } from "../support/synth";
import { describeWithTerraform, TERRAFORM_TEST_TIMEOUT_MS } from "../support/terraform";
import { twoFleets } from "../synth/router/router-fixtures";

function routedStack(): { stack: TerraformStack; lbAddress: string; ruleCount: number } {
  const env = twoFleets();
  env.router.setRoutingTable({
    default: env.rails3,
    routes: [
      {
        name: "hoge",
        match: { paths: ["/hoge/*", "/public/hoge/*"] },
        to: {
          weights: [
            { fleet: env.rails4, weight: 9 },
            { fleet: env.rails3, weight: 1 },
          ],
          groupStickinessSeconds: 3600,
        },
      },
    ],
    overrideHeader: { name: "X-Backend-Version", values: { "3": env.rails3, "4": env.rails4 } },
    hostPins: [
      { hosts: ["assets3.example.com"], fleet: env.rails3 },
      { hosts: ["assets4.example.com"], fleet: env.rails4 },
    ],
    maintenance: {
      enabled: true,
      response: { type: "fixed-response", statusCode: 503, body: "<h1>Back soon</h1>" },
      bypass: { sourceIps: ["203.0.113.0/24"] },
    },
  });
  return { stack: env.stack, lbAddress: `aws_lb.${env.router.loadBalancer.friendlyUniqueId}`, ruleCount: env.router.compiled.rules.length };
}

describeWithTerraform("TrafficRouter with two fleets under terraform", () => {
  const workspaces: OfflineWorkspace[] = [];
  const workspace = (json: TerraformJson) => {
    const ws = OfflineWorkspace.create(json);
    workspaces.push(ws);
    return ws;
  };
  afterAll(() => workspaces.forEach((ws) => ws.dispose()));

  test(
    "a weighted route, an override header, host pins and maintenance pass terraform validate and plan",
    async () => {
      const { stack, lbAddress, ruleCount } = routedStack();
      const ws = workspace(synthJson(stack));
      const validated = await ws.validate();
      expect(validated.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(validated.valid).toBe(true);

      const plan = (await ws.planJson()) as {
        resource_changes: { address: string; type: string; change: { actions: string[]; after: any } }[];
      };
      const created = plan.resource_changes.filter((c) => c.change.actions.includes("create"));
      const lb = created.find((c) => c.address === lbAddress)!;
      expect(lb.change.after).toMatchObject({ name: "web-alb", drop_invalid_header_fields: true, desync_mitigation_mode: "defensive" });
      // Every compiled rule plus one anchor per fleet is planned.
      const rules = created.filter((c) => c.type === "aws_lb_listener_rule");
      expect(rules).toHaveLength(ruleCount + 2);
      expect(
        created
          .filter((c) => c.type === "aws_lb_listener")
          .map((c) => c.change.after.port)
          .sort(),
      ).toEqual([443, 65535, 80]);
    },
    TERRAFORM_TEST_TIMEOUT_MS,
  );

  test(
    "terraform rejects a load balancer name longer than 32 characters",
    async () => {
      const { stack } = routedStack();
      const router = stack.node.findChild("Router") as TrafficRouter;
      router.loadBalancer.addOverride("name", "a-load-balancer-name-of-33-charsx");
      const ws = workspace(synthJson(stack));
      const validated = await ws.validate();
      expect(validated.valid).toBe(false);
      expect(validated.diagnostics).toContainEqual(
        expect.objectContaining({
          severity: "error",
          summary: expect.stringMatching(/"name" cannot be longer than 32 characters/),
          address: `aws_lb.${router.loadBalancer.friendlyUniqueId}`,
        }),
      );
    },
    TERRAFORM_TEST_TIMEOUT_MS,
  );
});
