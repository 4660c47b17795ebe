import { onlyResource } from "../support/synth";
import { synthBlueGreen, synthTwoVersion } from "../support/layouts";

describe("layout stacks", () => {
  let twoVersion: ReturnType<typeof synthTwoVersion>;
  let blueGreen: ReturnType<typeof synthBlueGreen>;
  beforeAll(() => {
    twoVersion = synthTwoVersion();
    blueGreen = synthBlueGreen();
  });

  test("state is local by default", () => {
    expect(twoVersion.terraform!.backend).toEqual({ local: { path: "terraform.two-version-staging.tfstate" } });
  });

  test("an S3 state backend encrypts and locks with Terraform's native lock file", () => {
    expect(blueGreen.terraform!.backend).toEqual({
      s3: { bucket: "example-terraform-state", key: "web/blue-green-prod.tfstate", region: "ap-northeast-1", encrypt: true, use_lockfile: true },
    });
  });

  test("the region and default tags come from the configuration", () => {
    const provider = (twoVersion.provider as any).aws[0];
    expect(provider.region).toBe("ap-northeast-1");
    expect(provider.default_tags[0].tags).toMatchObject({ Environment: "staging", Layout: "two-version", Service: "crowd-app" });
  });

  test("the environment prefixes every AWS name, so staging and production can share an account", () => {
    expect(onlyResource(twoVersion, "aws_lb").name).toBe("staging-web-alb");
    const groups = Object.values(twoVersion.resource!.aws_lb_target_group).map((tg: any) => tg.name).sort();
    expect(groups).toEqual(["staging-rails3-tg", "staging-rails4-tg"]);
  });

  test("outputs say where traffic goes: DNS name, each fleet's capacity and share, and the rules in order", () => {
    expect(twoVersion.output!.load_balancer_dns_name.value).toMatch(/aws_lb\..*\.dns_name/);
    const fleets = twoVersion.output!.fleets.value as any;
    expect(fleets.rails3).toMatchObject({ min: 2, desired: 2, max: 6, default_percent: 100 });
    expect(fleets.rails4).toMatchObject({ default_percent: 0, rules: { "hoge-fuga": 10, "admin-piyo": 100 } });
    const summary = twoVersion.output!.traffic_summary.value as string[];
    expect(summary[summary.length - 1]).toBe("default: -> rails3");
    expect(summary.some((line) => /hoge-fuga: .*-> rails3 90%, rails4 10%/.test(line))).toBe(true);
    const bg = blueGreen.output!.fleets.value as any;
    expect([bg.blue.default_percent, bg.green.default_percent]).toEqual([90, 10]);
  });

  test("a dashboard puts the fleets side by side: requests, 5xx rate, p50/p99, healthy hosts", () => {
    const body = JSON.parse(onlyResource(twoVersion, "aws_cloudwatch_dashboard").dashboard_body);
    const titles = body.widgets.map((w: any) => w.properties.title);
    expect(titles).toEqual(["Requests per minute", "Target 5xx rate (%)", "Target response time p50 / p99 (s)", "Healthy hosts"]);
    const labels = body.widgets.flatMap((w: any) => w.properties.metrics.map((m: any[]) => m[m.length - 1].label)).filter(Boolean);
    for (const fleet of ["rails3", "rails4"]) {
      expect(labels).toEqual(expect.arrayContaining([`${fleet} requests`, `${fleet} 5xx %`, `${fleet} p50`, `${fleet} p99`, `${fleet} healthy`]));
    }
    expect(onlyResource(blueGreen, "aws_cloudwatch_dashboard").dashboard_name).toBe("prod-web-fleets");
  });

  test("each fleet reads only its own prefix of the artifact bucket", () => {
    const policies = Object.values(twoVersion.resource!.aws_iam_role_policy).filter((p: any) => p.name === "deploy-artifact-read");
    const resources = policies.map((p: any) => JSON.parse(p.policy).Statement[0].Resource).sort();
    expect(resources).toEqual([expect.stringMatching(/example-deploy-artifacts\/rails3\/\*$/), expect.stringMatching(/example-deploy-artifacts\/rails4\/\*$/)]);
  });
});
