/**
 * Retiring the old version of the two-version layout: once rails3 receives no traffic,
 * deleting its entry from `fleets` destroys exactly its resources.
 */
import { PlanDiff } from "../../../lib/terraform/plan-changes";
import { buildAppliedBaseline } from "../../../lib/terraform/plan-diff";
import { synthTwoVersion } from "../../support/layouts";
import { TerraformJson } from "../../support/synth";
import { describeWithTerraform, TERRAFORM_TEST_TIMEOUT_MS } from "../../support/terraform";
import { changeList } from "./plan-expectations";

/** Routing with every request on rails4: rails3 still runs but nothing points at it. */
function rails3Unrouted(c: any): void {
  c.routing = {
    default: "rails4",
    overrideHeader: { name: "X-Backend-Version", values: { "4": "rails4" }, sourceIps: ["203.0.113.0/24"] },
    hostPins: [{ hosts: ["assets4.example.com"], fleet: "rails4" }],
  };
}

function managedAddresses(json: TerraformJson): string[] {
  return Object.entries(json.resource ?? {})
    .flatMap(([type, byId]) => Object.keys(byId).map((id) => `${type}.${id}`))
    .sort((a, b) => a.localeCompare(b));
}

describeWithTerraform("two-version layout: deleting the old fleet (offline terraform plan with the AWS provider)", () => {
  const before = synthTwoVersion(rails3Unrouted);
  const after = synthTwoVersion((c) => {
    rails3Unrouted(c);
    delete c.fleets.rails3;
  });
  let diff: PlanDiff;

  beforeAll(async () => {
    const baseline = await buildAppliedBaseline(before);
    diff = await baseline.diff(after);
  }, TERRAFORM_TEST_TIMEOUT_MS);

  test("destroys exactly the old fleet's resources: its own, and the anchor rule and egress rule that attached it to the load balancer", () => {
    const rails3 = managedAddresses(before).filter((a) => a.split(".")[1].startsWith("rails3_"));
    expect(rails3.length).toBeGreaterThan(10);
    // Unrouted, rails3 was still attached (anchor rule) and health-checked (egress): both go with it.
    const attachment = managedAddresses(before).filter((a) =>
      /^Router_(Anchors_rails3|SecurityGroup_EgressTo-rails3)_/.test(a.split(".")[1]),
    );
    expect(attachment).toHaveLength(2);
    expect(diff.addresses("delete")).toEqual([...rails3, ...attachment].sort((a, b) => a.localeCompare(b)));
  });

  test("creates and replaces nothing; the only other change is the shared dashboard dropping the fleet's widgets in place", () => {
    expect(changeList(diff).filter((c) => !c.startsWith("delete "))).toEqual([expect.stringMatching(/^update aws_cloudwatch_dashboard\./)]);
    expect(diff.withAction("update")[0].changedAttributes).toEqual(["dashboard_body"]);
  });

  test("leaves the load balancer, its listeners and rules, and the new fleet untouched", () => {
    const kept = managedAddresses(after).filter((a) => !a.startsWith("aws_cloudwatch_dashboard."));
    expect(kept.filter((a) => diff.get(a).action !== "no-op")).toEqual([]);
    expect(kept.some((a) => a.startsWith("aws_lb."))).toBe(true);
  });
});
