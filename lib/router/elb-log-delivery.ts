/**
 * Who may write load balancer access logs into a bucket.
 *
 * AWS documents two bucket policies (Application Load Balancer guide, "Enable access logs",
 * step 2): the `logdelivery.elasticloadbalancing.amazonaws.com` service principal, required in
 * Regions opened since August 2022 and now recommended everywhere, and the legacy per-Region
 * Elastic Load Balancing account, which older Regions honoured first. The bucket policy grants
 * the service principal always and the legacy account where one exists, so delivery works in
 * every Region. The `aws_elb_service_account` data source is not used: it fails plan in Regions
 * it does not know (hashicorp/terraform-provider-aws#29402).
 *
 * Both grants are limited to the account's own key prefix (`<prefix>/AWSLogs/<account>/`): ELB
 * writes a load balancer's logs under its owner's account ID, so the prefix is what keeps other
 * accounts' load balancers out. AWS's documented policy puts no `aws:SourceAccount` condition on
 * the service principal, and one on a key the delivery service does not send would silently stop
 * the logs, so there is none.
 *
 * Pure TypeScript (no cdktf import).
 */

export const ELB_LOG_DELIVERY_SERVICE_PRINCIPAL = "logdelivery.elasticloadbalancing.amazonaws.com";

/** Legacy Elastic Load Balancing accounts of the Regions opened before August 2022. The list is closed: newer Regions have none. */
export const LEGACY_ELB_LOG_ACCOUNTS: Readonly<Record<string, string>> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "af-south-1": "098369216593",
  "ap-east-1": "754344448648",
  "ap-south-1": "718504428378",
  "ap-northeast-1": "582318560864",
  "ap-northeast-2": "600734575887",
  "ap-northeast-3": "383597477331",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-southeast-3": "589379963580",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-west-3": "009996457667",
  "eu-south-1": "635631232127",
  "eu-north-1": "897822967062",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
  "us-gov-west-1": "048591011584",
  "us-gov-east-1": "190560391635",
  "cn-north-1": "638102146993",
  "cn-northwest-1": "037604701340",
};
