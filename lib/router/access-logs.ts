/**
 * Where the load balancer writes its access logs: a bucket this library creates and hardens,
 * or an existing bucket that already grants Elastic Load Balancing write access.
 * Pure TypeScript (no cdktf import).
 */

/** Options of the access-log bucket that `TrafficRouter` creates. */
export interface NewAccessLogBucketOptions {
  /** Days a log object is kept before it expires. @default 90 */
  readonly expirationDays?: number;
  /**
   * Let `terraform destroy` delete a bucket that still holds logs. Off by default so that
   * removing the router never silently discards the audit trail.
   * @default false
   */
  readonly forceDestroy?: boolean;
  /** Key prefix of the log objects, without leading or trailing "/". @default "alb" */
  readonly prefix?: string;
}

/** Options for logging into an existing bucket. */
export interface ExistingAccessLogBucketOptions {
  /** Key prefix of the log objects, without leading or trailing "/". @default - the router's qualified name */
  readonly prefix?: string;
}

/** The access-log destination with every default applied. */
export type ResolvedAccessLogs =
  | {
      readonly kind: "new-bucket";
      readonly expirationDays: number;
      readonly forceDestroy: boolean;
      readonly prefix: string;
    }
  | {
      readonly kind: "existing-bucket";
      readonly bucketName: string;
      readonly prefix?: string;
    };

/**
 * Access-log destination of a `TrafficRouter`.
 * `AccessLogs.newBucket()` is the default; `AccessLogs.existingBucket("name")` reuses a central log bucket.
 */
export class AccessLogs {
  /**
   * A new bucket owned by the router: SSE-S3, no public access, TLS-only policy, versioned,
   * objects expire after `expirationDays`.
   */
  static newBucket(options: NewAccessLogBucketOptions = {}): AccessLogs {
    return new AccessLogs({
      kind: "new-bucket",
      expirationDays: options.expirationDays ?? 90,
      forceDestroy: options.forceDestroy ?? false,
      prefix: options.prefix ?? "alb",
    });
  }

  /**
   * An existing bucket in the load balancer's region. Its policy must already let Elastic Load
   * Balancing write under the prefix, and it must use SSE-S3 (the only encryption ELB supports).
   */
  static existingBucket(bucketName: string, options: ExistingAccessLogBucketOptions = {}): AccessLogs {
    return new AccessLogs({ kind: "existing-bucket", bucketName, prefix: options.prefix });
  }

  private constructor(readonly settings: ResolvedAccessLogs) {}
}
