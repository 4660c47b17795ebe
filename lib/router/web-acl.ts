/**
 * A WAF web ACL in front of the load balancer: an existing AWS WAF (v2) web ACL, named by its
 * ARN, associated with the load balancer (`aws_wafv2_web_acl_association`). The web ACL and its
 * rules stay yours: this library only attaches it. Only a regional web ACL can protect an
 * Application Load Balancer, in the load balancer's own region; a CloudFront one (scope "global")
 * cannot ("Associating or disassociating a web ACL with an AWS resource", AWS WAF guide).
 * Pure: no cdktf import.
 */
import { Violations } from "../core/errors";
import { hasToken } from "../core/terraform-literal";

/** `arn:<partition>:wafv2:<region>:<account>:regional/webacl/<name>/<id>` */
const REGIONAL_WEB_ACL_ARN = /^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/[A-Za-z0-9_-]{1,128}\/[0-9a-f-]{36}$/;

export function resolveWebAcl(v: Violations, field: string, arn: string | undefined): string | undefined {
  if (arn === undefined || hasToken(arn)) return arn;
  if (/^arn:aws[a-z-]*:wafv2:[a-z0-9-]*:\d{12}:global\//.test(arn)) {
    v.add(
      field,
      arn,
      "is a CloudFront (global) web ACL; a load balancer takes a regional web ACL only",
      "create the web ACL with scope REGIONAL in the load balancer's region, and give its ARN",
    );
    return arn;
  }
  v.check(
    REGIONAL_WEB_ACL_ARN.test(arn),
    field,
    arn,
    "is not the ARN of a regional AWS WAF web ACL (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>)",
    "copy the ARN from the WAF console or `aws wafv2 list-web-acls --scope REGIONAL`",
  );
  return arn;
}
