/** Reads and checks the environment part of a configuration file. */
import { Violations } from "../../lib/core/errors";
import { checkResourceName } from "../../lib/core/names";
import { checkIpv4Cidr } from "../../lib/core/ipv4";
import { checkArn } from "../../lib/fleet/app-server-group-props";
import { EnvironmentConfig, LoadBalancerConfig, NetworkConfig, StateBackendConfig } from "./environment-config";
import { JsonReader } from "./json-reader";

export const ENVIRONMENT_KEYS = ["environment", "region", "network", "loadBalancer", "state", "alarmTopicArn", "artifactBucket", "tags"] as const;

const REGION_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

export function readEnvironment(root: JsonReader): EnvironmentConfig {
  const v = root.violations;
  const environment = root.string("environment");
  if (environment !== undefined) checkResourceName(v, `${root.path}.environment`, environment, 10);
  const region = root.string("region");
  if (region !== undefined) {
    v.check(REGION_PATTERN.test(region), `${root.path}.region`, region, "is not an AWS region name", 'write e.g. "ap-northeast-1"');
  }

  const net = root.child("network").object(["vpcId", "publicSubnetIds", "privateSubnetIds"]);
  const network: NetworkConfig = {
    vpcId: net.string("vpcId") ?? "",
    publicSubnetIds: net.stringArray("publicSubnetIds") ?? [],
    privateSubnetIds: net.stringArray("privateSubnetIds") ?? [],
  };

  const lbReader = root
    .child("loadBalancer")
    .object(["certificateArn", "httpOnly", "ingressCidrs", "deletionProtection", "idleTimeoutSeconds", "accessLogExpirationDays", "maxRules"]);
  const loadBalancer: LoadBalancerConfig = {
    certificateArn: lbReader.string("certificateArn", true),
    httpOnly: lbReader.boolean("httpOnly", true),
    ingressCidrs: lbReader.stringArray("ingressCidrs", true),
    deletionProtection: lbReader.boolean("deletionProtection", true),
    idleTimeoutSeconds: lbReader.number("idleTimeoutSeconds", true),
    accessLogExpirationDays: lbReader.number("accessLogExpirationDays", true),
    maxRules: lbReader.number("maxRules", true),
  };
  (loadBalancer.ingressCidrs ?? []).forEach((cidr, i) => checkIpv4Cidr(v, `${lbReader.path}.ingressCidrs[${i}]`, cidr));

  const state = root.has("state") ? readState(root.child("state"), v) : undefined;
  const alarmTopicArn = root.string("alarmTopicArn", true);
  if (alarmTopicArn !== undefined) checkArn(v, `${root.path}.alarmTopicArn`, alarmTopicArn, "sns");
  return {
    environment: environment ?? "",
    region: region ?? "",
    network,
    loadBalancer,
    state,
    alarmTopicArn,
    artifactBucket: root.string("artifactBucket", true),
    tags: root.stringMap("tags"),
  };
}

function readState(r: JsonReader, v: Violations): StateBackendConfig | undefined {
  const backend = r.string("backend");
  if (backend === "local") {
    r.object(["backend", "path"]);
    return { backend, path: r.string("path", true) };
  }
  if (backend === "s3") {
    r.object(["backend", "bucket", "key", "region", "kmsKeyId"]);
    return {
      backend,
      bucket: r.string("bucket") ?? "",
      key: r.string("key") ?? "",
      region: r.string("region", true),
      kmsKeyId: r.string("kmsKeyId", true),
    };
  }
  if (backend !== undefined) v.add(`${r.path}.backend`, backend, 'must be "local" or "s3"', 'use "s3" for a team, "local" for one person');
  return undefined;
}
