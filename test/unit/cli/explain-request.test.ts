/**
 * `explain` refuses what it would otherwise explain as another request: a URL without a scheme
 * (read as a host-less path) and a source address that is not one (matching no CIDR).
 */
import { EXAMPLES, runCli } from "./cli-helpers";

const CONFIG = ["--config", EXAMPLES.twoVersion];

describe("explain refuses a request it cannot read as meant (exit 2, one line naming the value and the fix)", () => {
  test("a URL without a scheme", async () => {
    const r = await runCli(["explain", "example.com/hoge", ...CONFIG]);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toBe(
      `explain: <url> = "example.com/hoge": is neither an absolute http(s) URL nor a path starting with /. ` +
        `Fix: write "https://example.com/hoge", or the path alone with the host as a header: /hoge -H 'Host: example.com'`,
    );
  });

  test.each([["ftp://example.com/hoge"], ["mailto:ops@example.com"], ["hoge"], ["https://"]])("%s", async (url) => {
    const r = await runCli(["explain", url, ...CONFIG]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^explain: <url> = ".*": .*\. Fix: /);
  });

  test.each([["10.0.0.300"], ["203.0.113.0/24"], ["localhost"], ["2001:db8::g"]])("--source-ip %s", async (ip) => {
    const r = await runCli(["explain", "https://example.com/", "--source-ip", ip, ...CONFIG]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `explain: --source-ip = ${JSON.stringify(ip)}: is not an IPv4 or IPv6 address (each IPv4 part is 0-255, no CIDR suffix). ` +
        "Fix: write the client's address as the load balancer sees it, e.g. --source-ip 203.0.113.10",
    );
  });

  test("both at once are both named", async () => {
    const r = await runCli(["explain", "example.com", "--source-ip", "10.0.0.300", ...CONFIG]);
    expect(r.code).toBe(2);
    expect(r.err.split("\n")).toHaveLength(2);
  });

  test("with --live too, before any AWS call is made", async () => {
    const r = await runCli(["explain", "example.com/hoge", "--live", "--load-balancer", "staging-web-alb"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/<url> = "example\.com\/hoge"/);
  });
});

describe("explain accepts what a load balancer receives", () => {
  test.each([
    ["https://example.com/hoge/1", [], "/hoge/1"],
    ["http://example.com:8080/hoge?x=1", [], "/hoge"],
    ["/hoge/1", ["-H", "Host: example.com"], "/hoge/1"],
  ])("%s", async (url, extra, path) => {
    const r = await runCli(["explain", url, ...extra, "--json", ...CONFIG]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).request.path).toBe(path);
  });

  test.each([["203.0.113.10"], ["2001:db8::1"], ["::ffff:192.0.2.1"]])("--source-ip %s", async (ip) => {
    const r = await runCli(["explain", "https://example.com/", "--source-ip", ip, ...CONFIG]);
    expect(r.code).toBe(0);
  });
});
