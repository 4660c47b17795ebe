/**
 * Route 53 alias records that point a name at the load balancer, in an existing hosted zone
 * named by its ID: an A record, and an AAAA record too when the load balancer is dual-stack
 * (IPv6 clients resolve AAAA). Alias records follow the load balancer's addresses as they change
 * and cost no queries ("Routing traffic to an ELB load balancer", Route 53 guide). A record that
 * already exists is not overwritten (the provider's `allow_overwrite` stays false): the apply
 * fails instead of taking a name away from whatever serves it today.
 *
 * Construct IDs come from the record's name and type, so adding or removing a name touches only
 * its own records. Pure: no cdktf import.
 */
import { Violations } from "../core/errors";
import { hasToken } from "../core/terraform-literal";

export interface DnsAlias {
  /** ID of the existing hosted zone that holds the name, e.g. "Z0123456789ABCDEFGHIJ". */
  readonly zoneId: string;
  /** The record's name, e.g. "www.example.com" or the zone apex "example.com" (a leading "*." for a wildcard). */
  readonly name: string;
}

export interface AliasRecordSpec {
  /** Construct ID, from name and type. */
  readonly id: string;
  readonly zoneId: string;
  readonly name: string;
  readonly type: "A" | "AAAA";
}

/** Hosted zone IDs: "Z" and upper-case letters and digits (at most 32 characters). */
const ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
/** A DNS name: labels of letters, digits and hyphens (1-63), an optional leading "*." and trailing ".". */
const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

function normalizedName(name: string): string {
  return name.toLowerCase().replace(/\.$/, "");
}

export function checkDnsName(v: Violations, field: string, name: string): void {
  const bare = name.replace(/\.$/, "");
  const labels = bare.startsWith("*.") ? bare.slice(2).split(".") : bare.split(".");
  v.check(
    bare.length >= 1 && bare.length <= 253 && labels.length >= 2 && labels.every((l) => LABEL.test(l)),
    field,
    name,
    'is not a DNS name of two or more labels (letters, digits and hyphens, 1-63 each, at most 253 characters; a leading "*." for a wildcard)',
    'write the full name, e.g. "www.example.com"',
  );
}

export function resolveDnsAliases(v: Violations, field: string, aliases: readonly DnsAlias[] | undefined): readonly DnsAlias[] {
  if (aliases === undefined) return [];
  const seen = new Set<string>();
  aliases.forEach((alias, i) => {
    const at = `${field}[${i}]`;
    if (!hasToken(alias.zoneId)) {
      v.check(
        ZONE_ID.test(alias.zoneId),
        `${at}.zoneId`,
        alias.zoneId,
        'is not a Route 53 hosted zone ID such as "Z0123456789ABCDEFGHIJ"',
        "copy the ID of the existing zone (aws route53 list-hosted-zones)",
      );
    }
    if (!hasToken(alias.name)) {
      checkDnsName(v, `${at}.name`, alias.name);
      const key = normalizedName(alias.name);
      v.check(!seen.has(key), `${at}.name`, alias.name, "is listed twice (names are case-insensitive)", "list each name once");
      seen.add(key);
    }
  });
  return aliases.map((a) => ({ ...a }));
}

/** The records to create: A for each name, and AAAA too for a dual-stack load balancer. */
export function aliasRecords(aliases: readonly DnsAlias[], dualStack: boolean): AliasRecordSpec[] {
  const types: ("A" | "AAAA")[] = dualStack ? ["A", "AAAA"] : ["A"];
  return aliases.flatMap((alias) =>
    types.map((type) => ({
      id: `Alias-${normalizedName(alias.name)
        .replace(/\*/g, "wildcard")
        .replace(/[^a-z0-9-]/g, "-")}-${type}`,
      zoneId: alias.zoneId,
      name: alias.name,
      type,
    })),
  );
}
