/**
 * Certificates the HTTPS listener serves besides its default one, chosen by the client's SNI
 * host name (`aws_lb_listener_certificate`, one per certificate): one load balancer for several
 * domains. ALB picks the certificate that matches the host name, and the default certificate for
 * clients without SNI or without a match ("SSL certificates for your Application Load Balancer").
 *
 * Each certificate's construct ID comes from its ARN, never from its place in the list: removing
 * one certificate then removes exactly its resource, and the others are not replaced (a replaced
 * listener certificate is detached first, and clients of that domain would fail their handshake
 * until it is back). Pure: no cdktf import.
 */
import { Violations } from "../core/errors";
import { checkArn } from "../core/aws-ids";
import { hasToken } from "../core/terraform-literal";

/** "Certificates per Application Load Balancer (not counting default certificates)": AWS's default quota. */
export const MAX_ADDITIONAL_CERTIFICATES = 25;

export function resolveListenerCertificates(
  v: Violations,
  field: string,
  arns: readonly string[] | undefined,
  context: { readonly httpOnly: boolean; readonly defaultCertificateArn?: string },
): readonly string[] {
  if (arns === undefined || arns.length === 0) return [];
  if (context.httpOnly) {
    v.add(
      field,
      arns,
      "is set together with httpOnly: true, which has no HTTPS listener to serve them",
      "remove httpOnly (and give certificateArn), or remove additionalCertificateArns",
    );
    return [];
  }
  v.check(
    arns.length <= MAX_ADDITIONAL_CERTIFICATES,
    field,
    `${arns.length} certificates`,
    `is more than ${MAX_ADDITIONAL_CERTIFICATES}, AWS's quota of certificates per Application Load Balancer besides the default one`,
    "cover several names with one certificate (subject alternative names, a wildcard), or ask AWS to raise the quota and add the rest through the escape hatch",
  );
  v.check(new Set(arns).size === arns.length, field, arns, "lists a certificate twice", "list each certificate once");
  arns.forEach((arn, i) => {
    const at = `${field}[${i}]`;
    if (hasToken(arn)) return;
    const service = arn.split(":")[2];
    // ACM certificates, or server certificates uploaded to IAM: the two kinds ALB serves.
    checkArn(v, at, arn, service === "iam" ? "iam" : "acm");
    v.check(
      arn !== context.defaultCertificateArn,
      at,
      arn,
      "is the listener's default certificate (certificateArn), which it serves already",
      "remove it from additionalCertificateArns",
    );
  });
  return [...arns];
}

/** A construct ID derived from the certificate's ARN: stable whatever the list's order. */
export function listenerCertificateId(arn: string): string {
  const resource = arn.split(":").slice(5).join(":") || arn;
  return `Certificate-${resource.replace(/[^A-Za-z0-9-]/g, "-")}`;
}
