/**
 * Settings that point the real AWS provider (and the AWS SDKs) at an emulated AWS on loopback,
 * such as moto's `moto_server`: every service endpoint, test credentials, no instance metadata.
 * Pure: no process is started here (the deploy tests' harness starts the emulator).
 */

/** Credentials the emulator accepts; they authorize nothing anywhere else. */
export const EMULATED_AWS_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" } as const;

/**
 * Provider `endpoints` keys of the services this library's stacks use, and of those it may use
 * next (SNS and KMS for alarm topics, logs, SSM, SQS, EventBridge, Lambda). Every service not listed
 * still reaches the emulator through AWS_ENDPOINT_URL (see `emulatedAwsEnvironment`), which the
 * provider's SDK honours for any service without an explicit endpoint.
 * Keys as the provider documents them: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/guides/custom-service-endpoints
 */
export const EMULATED_SERVICE_ENDPOINTS = [
  "acm",
  "autoscaling",
  "cloudwatch",
  "codedeploy",
  "ec2",
  "elbv2",
  "events",
  "iam",
  "kms",
  "lambda",
  "logs",
  "s3",
  "sns",
  "sqs",
  "ssm",
  "sts",
] as const;

/**
 * Retries for a failed AWS call. The provider retries HTTP 500 answers for minutes by default,
 * and an emulator answers an action it does not implement with HTTP 500: fail within seconds.
 */
export const EMULATED_MAX_RETRIES = 2;

/** Throws unless `endpointUrl` is an http(s) URL on the loopback interface: nothing may leave the machine. */
export function assertLoopbackEndpoint(endpointUrl: string): URL {
  let url: URL;
  try {
    url = new URL(endpointUrl);
  } catch {
    throw new Error(`emulated AWS endpoint ${JSON.stringify(endpointUrl)} is not a URL; give e.g. http://127.0.0.1:5000`);
  }
  if (!["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) {
    throw new Error(`emulated AWS endpoint ${endpointUrl} is not on loopback; give e.g. http://127.0.0.1:5000`);
  }
  return url;
}

/**
 * Settings for every `aws` provider block (merged over the offline ones of OfflineWorkspace).
 * `skip_requesting_account_id` is false: the emulator's STS answers, and without an account ID
 * the ARNs the provider builds itself (e.g. an ASG's) would differ from what the API returns.
 */
export function emulatedAwsProviderSettings(endpointUrl: string): Record<string, unknown> {
  const url = assertLoopbackEndpoint(endpointUrl).origin;
  return {
    access_key: EMULATED_AWS_CREDENTIALS.accessKeyId,
    secret_key: EMULATED_AWS_CREDENTIALS.secretAccessKey,
    skip_credentials_validation: false,
    skip_requesting_account_id: false,
    skip_metadata_api_check: true,
    skip_region_validation: true,
    max_retries: EMULATED_MAX_RETRIES,
    // Path-style bucket URLs: a virtual-hosted bucket name would need DNS for <bucket>.127.0.0.1.
    s3_use_path_style: true,
    endpoints: [Object.fromEntries(EMULATED_SERVICE_ENDPOINTS.map((service) => [service, url]))],
  };
}

/**
 * Environment for terraform, the cdktf CLI and the AWS SDK for JavaScript talking to the emulator:
 * one endpoint for every service, test credentials, and no instance metadata lookup (the SDKs'
 * default credential chain would otherwise ask 169.254.169.254).
 */
export function emulatedAwsEnvironment(endpointUrl: string, region: string): NodeJS.ProcessEnv {
  const url = assertLoopbackEndpoint(endpointUrl).origin;
  return {
    AWS_ENDPOINT_URL: url,
    AWS_ACCESS_KEY_ID: EMULATED_AWS_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATED_AWS_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_MAX_ATTEMPTS: String(EMULATED_MAX_RETRIES + 1),
    CHECKPOINT_DISABLE: "1",
  };
}
