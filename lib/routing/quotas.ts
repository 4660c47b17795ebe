/**
 * ALB limits the routing compiler enforces, so a table that AWS would reject fails at synth time
 * with a message naming the route, instead of at apply time with an API error.
 * Sources: ELB user guide "Listener rules" and "Condition types for listener rules";
 * ELB API reference (PathPatternConditionConfig, HttpHeaderConditionConfig, TargetGroupTuple,
 * TargetGroupStickinessConfig); "Quotas for your Application Load Balancers".
 */
export const ALB_QUOTAS = {
  /** Rules per load balancer, not counting default rules (adjustable quota). */
  rulesPerLoadBalancer: 100,
  /** "You can specify up to three match evaluations per condition." */
  valuesPerCondition: 3,
  /** "You can specify up to five match evaluations per rule." */
  valuesPerRule: 5,
  /**
   * "Condition wildcards per rule: 5" (quotas page); the listener rules guide: "There is a limit of
   * five wildcard characters per rule", counted over every `*` and `?` of the rule's values.
   */
  wildcardsPerRule: 5,
  /** Target groups per forward action. */
  targetGroupsPerForward: 5,
  minWeight: 0,
  maxWeight: 999,
  /** Path, host, header value and query string patterns. */
  patternLength: 128,
  headerNameLength: 40,
  methodLength: 40,
  minPriority: 1,
  maxPriority: 50000,
  maxGroupStickinessSeconds: 604800,
  fixedResponseBodyBytes: 1024,
} as const;

/**
 * Characters ALB accepts in a path pattern: A-Z a-z 0-9 _ - . $ / ~ " ' @ : + & and the wildcards
 * (ELB user guide, "Path conditions"). A request path starts with "/", so a pattern must start with
 * "/" or a wildcard to match anything.
 */
export const PATH_PATTERN_CHARS = /^[A-Za-z0-9_\-.$/~"'@:+&*?]+$/;
export const PATH_PATTERN_START = /^[/*?]/;
/** Characters ALB accepts in a host pattern. */
export const HOST_PATTERN_CHARS = /^[A-Za-z0-9\-.*?]+$/;
/**
 * Query-string keys and values: "The allowed characters are specified by RFC 3986. Any character can
 * be percentage encoded" (QueryStringConditionConfig): unreserved, sub-delims, ":", "@", "/", "?",
 * "%XX", and "\" only to escape a literal `*` or `?`. No spaces: write "%20".
 */
export const QUERY_STRING_CHARS = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2}|\\[*?])*$/;
/**
 * Header values: ALB rules "apply only to visible ASCII characters; excluding control characters
 * (0x00 to 0x1f and 0x7f)" (ELB user guide, "Condition types for listener rules").
 */
export const HEADER_VALUE_CHARS = /^[\x20-\x7e]+$/;
/** RFC 7230 token characters, the only ones allowed in a header name. */
export const HEADER_NAME_CHARS = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
/** Methods are case-sensitive upper case with `-` and `_`. */
export const METHOD_CHARS = /^[A-Z_-]+$/;
/** Route names become listener-rule keys and construct IDs. */
export const ROUTE_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
export const ROUTE_NAME_MAX = 48;
