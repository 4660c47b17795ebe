/** Which ELB security policies admit TLS older than 1.2 (ELB user guide's security policy table). */
import { isModernTlsPolicy, minimumTlsVersion, tlsPolicyProblem } from "../../../lib/policy/tls-policies";

describe("ELB security policies", () => {
  test.each([
    ["ELBSecurityPolicy-TLS13-1-2-2021-06", "1.2"],
    ["ELBSecurityPolicy-TLS13-1-2-Res-2021-06", "1.2"],
    ["ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", "1.2"],
    ["ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04", "1.2"],
    ["ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", "1.2"],
    ["ELBSecurityPolicy-TLS13-1-3-2021-06", "1.3"],
  ])("%s (floor TLS %s) is accepted", (name, floor) => {
    expect(minimumTlsVersion(name)).toBe(floor);
    expect(isModernTlsPolicy(name)).toBe(true);
    expect(tlsPolicyProblem(name)).toBeUndefined();
  });

  test.each([
    ["ELBSecurityPolicy-TLS13-1-0-2021-06", /admits TLS 1\.0 although it is a TLS 1\.3 policy/],
    ["ELBSecurityPolicy-TLS13-1-1-2021-06", /admits TLS 1\.1 although it is a TLS 1\.3 policy/],
    ["ELBSecurityPolicy-TLS13-1-0-PQ-2025-09", /admits TLS 1\.0/],
    ["ELBSecurityPolicy-2016-08", /not a TLS 1\.3 policy \(it admits TLS 1\.0\)/],
    ["ELBSecurityPolicy-TLS-1-1-2017-01", /not a TLS 1\.3 policy \(it admits TLS 1\.1\)/],
    ["ELBSecurityPolicy-TLS-1-2-2017-01", /not a TLS 1\.3 policy \(TLS 1\.2 only\)/],
    ["ELBSecurityPolicy-Unknown", /not a TLS 1\.3 policy with a TLS 1\.2 floor/],
  ])("%s is refused", (name, problem) => {
    expect(isModernTlsPolicy(name)).toBe(false);
    expect(tlsPolicyProblem(name)).toMatch(problem);
  });
});
