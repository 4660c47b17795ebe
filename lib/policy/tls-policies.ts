/**
 * Elastic Load Balancing security policies and the oldest TLS version each admits.
 *
 * From the "Security policies for your Application Load Balancer" table of the ELB user guide
 * (the same data moto 5.2.1 ships in moto/elbv2/ssl_policies.py): a TLS 1.3 policy's name says
 * its floor, `ELBSecurityPolicy-TLS13-1-<minor>-...`, so `ELBSecurityPolicy-TLS13-1-0-2021-06`
 * and `...-TLS13-1-1-2021-06` (and their FIPS and PQ variants) still accept TLS 1.0 and 1.1
 * although they belong to the TLS 1.3 family. Older names are listed one by one.
 * Pure TypeScript (no cdktf import).
 */

export type TlsVersion = "1.0" | "1.1" | "1.2" | "1.3";

/** Floors of the policies whose name does not follow the TLS13 pattern. */
const LEGACY_POLICY_FLOORS: Readonly<Record<string, TlsVersion>> = {
  "ELBSecurityPolicy-2016-08": "1.0",
  "ELBSecurityPolicy-2015-05": "1.0",
  "ELBSecurityPolicy-2015-03": "1.0",
  "ELBSecurityPolicy-2015-02": "1.0",
  "ELBSecurityPolicy-2011-08": "1.0",
  "ELBSecurityPolicy-TLS-1-0-2015-04": "1.0",
  "ELBSecurityPolicy-TLS-1-1-2017-01": "1.1",
  "ELBSecurityPolicy-TLS-1-2-2017-01": "1.2",
  "ELBSecurityPolicy-TLS-1-2-Ext-2018-06": "1.2",
  "ELBSecurityPolicy-FS-2018-06": "1.0",
  "ELBSecurityPolicy-FS-1-1-2019-08": "1.1",
  "ELBSecurityPolicy-FS-1-2-2019-08": "1.2",
  "ELBSecurityPolicy-FS-1-2-Res-2019-08": "1.2",
  "ELBSecurityPolicy-FS-1-2-Res-2020-10": "1.2",
};

const TLS13_POLICY = /^ELBSecurityPolicy-TLS13-1-([0-3])-/;

/** The oldest TLS version the policy admits; undefined for a name this table does not know. */
export function minimumTlsVersion(policyName: string): TlsVersion | undefined {
  const m = TLS13_POLICY.exec(policyName);
  if (m) return `1.${m[1]}` as TlsVersion;
  return LEGACY_POLICY_FLOORS[policyName];
}

/** True for a TLS 1.3 policy (`ELBSecurityPolicy-TLS13-...`) whose floor is TLS 1.2 or 1.3. */
export function isModernTlsPolicy(policyName: string): boolean {
  const floor = minimumTlsVersion(policyName);
  return TLS13_POLICY.test(policyName) && (floor === "1.2" || floor === "1.3");
}

/** Why a policy is refused, in one phrase, e.g. `is not a TLS 1.3 policy (it admits TLS 1.0)`; undefined when it is accepted. */
export function tlsPolicyProblem(policyName: string): string | undefined {
  if (isModernTlsPolicy(policyName)) return undefined;
  const floor = minimumTlsVersion(policyName);
  if (TLS13_POLICY.test(policyName)) return `admits TLS ${floor} although it is a TLS 1.3 policy`;
  if (floor === "1.0" || floor === "1.1") return `is not a TLS 1.3 policy (it admits TLS ${floor})`;
  if (floor === "1.2") return "is not a TLS 1.3 policy (TLS 1.2 only)";
  return "is not a TLS 1.3 policy with a TLS 1.2 floor";
}
