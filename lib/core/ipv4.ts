/** IPv4 CIDR checks shared by every construct that writes security group rules. */
import { Violations } from "./errors";
import { hasToken } from "./terraform-literal";

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** True for `a.b.c.d/n` with octets <= 255 and n <= 32 (host bits may be set). */
export function isIpv4Cidr(value: string): boolean {
  const m = CIDR_PATTERN.exec(value);
  return !!m && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32;
}

/** `203.0.113.7/24` -> `203.0.113.0/24`. */
export function ipv4NetworkAddress(cidr: string): string {
  const [address, bitsText] = cidr.split("/");
  const bits = Number(bitsText);
  const value = address.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
  // Arithmetic, not bitwise operators: those work on signed 32-bit values.
  const blockSize = 2 ** (32 - bits);
  const network = value - (value % blockSize);
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256);
  return `${octets.join(".")}/${bits}`;
}

/**
 * Checks a CIDR for a security group rule. The API rejects one with host bits set, so that is
 * caught here, with the corrected value as the fix. Values only known at apply time pass.
 */
export function checkIpv4Cidr(v: Violations, field: string, cidr: string): void {
  if (hasToken(cidr)) return;
  if (typeof cidr !== "string" || !isIpv4Cidr(cidr)) {
    v.add(field, cidr, 'is not an IPv4 CIDR such as "0.0.0.0/0" or "203.0.113.0/24"', "fix the CIDR");
    return;
  }
  const network = ipv4NetworkAddress(cidr);
  v.check(network === cidr, field, cidr, "has host bits set; security group rules take the network address", `use "${network}"`);
}
