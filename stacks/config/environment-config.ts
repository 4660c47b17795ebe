/**
 * Configuration shared by both layouts: one file per environment (staging, production)
 * holds everything that differs between them, so routine operations are edits in one place.
 */

/** Where Terraform keeps state. */
export type StateBackendConfig =
  | {
      readonly backend: "local";
      /** @default "terraform.<stack>.tfstate" in the stack's working directory */
      readonly path?: string;
    }
  | {
      /** S3 with Terraform's native lock file (Terraform >= 1.10) and server-side encryption. */
      readonly backend: "s3";
      readonly bucket: string;
      readonly key: string;
      /** @default - the stack's region */
      readonly region?: string;
      /** Customer-managed KMS key for the state object. @default - SSE-S3 */
      readonly kmsKeyId?: string;
    };

export interface NetworkConfig {
  readonly vpcId: string;
  /** Subnets of the load balancer (public for an internet-facing one), in two or more AZs. */
  readonly publicSubnetIds: readonly string[];
  /** Subnets of the instances, in two or more AZs. */
  readonly privateSubnetIds: readonly string[];
}

export interface LoadBalancerConfig {
  /** ACM certificate for HTTPS. Required unless `httpOnly`. */
  readonly certificateArn?: string;
  /** Demo mode without TLS; synth warns. @default false */
  readonly httpOnly?: boolean;
  /** @default ["0.0.0.0/0"] */
  readonly ingressCidrs?: readonly string[];
  /** @default true */
  readonly deletionProtection?: boolean;
  /** @default 60 */
  readonly idleTimeoutSeconds?: number;
  /** Days access logs are kept. @default 90 */
  readonly accessLogExpirationDays?: number;
  /** Raised "rules per load balancer" quota, if AWS raised yours. @default 100 */
  readonly maxRules?: number;
}

export interface EnvironmentConfig {
  /** Environment name; prefixes AWS names so environments can share an account. e.g. "staging". */
  readonly environment: string;
  readonly region: string;
  readonly network: NetworkConfig;
  readonly loadBalancer: LoadBalancerConfig;
  /** @default { backend: "local" } */
  readonly state?: StateBackendConfig;
  /** SNS topic for every alarm of every fleet. @default - no notification */
  readonly alarmTopicArn?: string;
  /** Bucket that holds CodeDeploy revisions; each fleet reads `<fleet>/` in it. @default - none */
  readonly artifactBucket?: string;
  /** Tags on every resource. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}
