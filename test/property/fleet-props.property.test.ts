/**
 * Property tests over AppServerGroup props: every valid input resolves, synthesizes and passes
 * the policy pack; every broken input fails with a ConfigError that names the field and leaves
 * no cdktf.out behind. No terraform here (this is the fast part): the same generated sample is
 * checked by `terraform validate` in test/terraform/terraform-checks.test.ts.
 */
import { App, TerraformStack } from "cdktf";
import fc from "fast-check";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AwsProvider } from "../../lib/aws/resources";
import { ConfigError } from "../../lib/core/errors";
import { AppServerGroup } from "../../lib/fleet/app-server-group";
import { qualifyName } from "../../lib/core/names";
import { resolveFleetProps } from "../../lib/fleet/app-server-group-props";
import { AppFleetsPolicy } from "../../lib/policy/app-fleets-policy";
import { PolicyCheck } from "../../lib/policy/policy-check";
import { synthAtomically } from "../../lib/synth/synth-atomically";
import { brokenFleetProps, validFleetProps } from "./fleet-arbitraries";
import { PURE_RUNS, RunCounter, SYNTH_SAMPLE } from "./property-runs";

const counter = new RunCounter();
afterAll(() => {
  // eslint-disable-next-line no-console
  console.log(counter.summary("fleet-props"));
});

/** Every file below a directory (an App's constructor leaves empty folders, which are not output). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

test("every valid props object resolves without error", () => {
  fc.assert(
    fc.property(validFleetProps, (props) => {
      counter.hit("valid props resolve");
      const resolved = resolveFleetProps(props);
      expect(resolved.capacity.min).toBeLessThanOrEqual(resolved.capacity.max);
    }),
    { numRuns: PURE_RUNS },
  );
});

test("every broken props object fails with a ConfigError naming the field", () => {
  fc.assert(
    fc.property(brokenFleetProps, ({ kind, field, props }) => {
      counter.hit("broken props rejected");
      let error: unknown;
      try {
        resolveFleetProps(props);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const fields = (error as ConfigError).violations.map((v) => v.field);
      if (!fields.some((f) => f.includes(field))) throw new Error(`${kind}: expected a violation of ${field}, got ${fields.join(", ")}`);
      expect((error as ConfigError).message).toContain(field);
    }),
    { numRuns: PURE_RUNS },
  );
});

// Found by the terraform-validated sample: the AWS provider rejects an egress CIDR with host bits
// set ("138.243.64.167/26") at `terraform validate` ("must be a valid IPv4 CIDR that represents a
// network address"), so resolveFleetProps refuses it first (lib/core/cidr.ts).
test("an egress CIDR with host bits set is rejected before Terraform sees it", () => {
  expect(() =>
    resolveFleetProps({
      ...fc.sample(validFleetProps, { numRuns: 1, seed: 1 })[0],
      extraEgress: [{ description: "db", port: 5432, cidr: "10.0.0.1/16" }],
    }),
  ).toThrow(/extraEgress\[0\]\.cidr/);
});

test("a broken fleet in an app fails before anything is written to cdktf.out", () => {
  fc.assert(
    fc.property(validFleetProps, brokenFleetProps, (good, { props }) => {
      counter.hit("broken app writes nothing");
      const root = mkdtempSync(join(tmpdir(), "prop-outdir-"));
      try {
        const outdir = join(root, "cdktf.out");
        expect(() => {
          const app = new App({ outdir });
          const stack = new TerraformStack(app, "fleets");
          new AwsProvider(stack, "aws", { region: "ap-northeast-1" });
          new AppServerGroup(stack, "Good", { ...good, name: "good" });
          new AppServerGroup(stack, "Broken", props);
          AppFleetsPolicy.applyTo(app, { printReport: false });
          synthAtomically(app);
        }).toThrow(ConfigError);
        expect(filesUnder(outdir)).toEqual([]);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }),
    { numRuns: Math.max(10, Math.round(PURE_RUNS / 5)) },
  );
});

/** A sample of valid fleets with distinct qualified names, all in one stack (terraform-checks.test.ts validates the same sample). */
const sample = fc.sample(
  fc.uniqueArray(validFleetProps, { minLength: SYNTH_SAMPLE, maxLength: SYNTH_SAMPLE, selector: (p) => qualifyName(p.name, p.namespace) }),
  { numRuns: 1, seed: Number(process.env.PROPERTY_SEED ?? 4242) },
)[0];

describe(`a sample of ${SYNTH_SAMPLE} generated fleets in one stack`, () => {
  let root: string;
  let outdir: string;
  let check: PolicyCheck;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "prop-synth-"));
    outdir = join(root, "cdktf.out");
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "generated");
    new AwsProvider(stack, "aws", { region: "ap-northeast-1" });
    sample.forEach((props, i) => new AppServerGroup(stack, `Fleet${i}`, props));
    AppFleetsPolicy.applyTo(app, { printReport: false });
    synthAtomically(app);
    check = PolicyCheck.of(stack);
    for (let i = 0; i < sample.length; i++) counter.hit("valid fleets synthesized");
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test("synthesizes with zero policy findings", () => {
    expect(check.report?.violations).toEqual([]);
    expect(existsSync(join(outdir, "stacks", "generated", "cdk.tf.json"))).toBe(true);
  });
});
