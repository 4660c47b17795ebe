/**
 * Every day-one option on at once (dual-stack router open to the IPv4 and IPv6 internet on
 * 443/80, SNI certificates, WAF, Route 53 aliases; Spot, warm pools, extra ingress and security
 * groups, HTTPS / HTTP2 / gRPC targets) passes the policy pack with no finding and no suppression.
 */
import { buildDayOneStack } from "../../support/day-one-options";
import { describeFindings, runPolicy } from "./policy-helpers";

describe("the day-one options under the policy pack", () => {
  test("a stack with every option on has zero findings and needs no suppression", () => {
    const run = runPolicy((scope) => buildDayOneStack(scope), "day-one");
    expect(describeFindings(run.report.violations)).toBe("(none)");
    expect(run.report.suppressed).toEqual([]);
    expect(run.error).toBeUndefined();
  });
});
