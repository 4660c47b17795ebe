/**
 * How the load balancer talks to a fleet's instances: the target protocol (HTTP or HTTPS), the
 * protocol version (HTTP/1.1, HTTP/2, gRPC), the health check's protocol and codes, and the
 * algorithm that picks a target. Each limit comes from the Application Load Balancer guide
 * ("Target groups for your Application Load Balancers", "Edit target group attributes"):
 * - HTTP/2 and gRPC target groups serve HTTPS listeners only, and an HTTP/1.1 request to them
 *   fails (checked by the router, which knows its listeners: routed-fleets.ts);
 * - gRPC health checks call a method `/package.service/method` and match gRPC status codes 0-99
 *   (AWS's defaults: `/AWS.ALB/healthcheck`, code 12, which any gRPC server answers);
 * - least outstanding requests and weighted random cannot be used with slow start mode, weighted
 *   random not with (target group) sticky sessions, and anomaly mitigation needs weighted random.
 * Pure: no cdktf import.
 */
import { Violations } from "../core/errors";

export const TARGET_PROTOCOLS = ["HTTP", "HTTPS"] as const;
export type TargetProtocol = (typeof TARGET_PROTOCOLS)[number];

/** The provider's `protocol_version` values: HTTP1 (HTTP/1.1), HTTP2, GRPC. */
export const TARGET_PROTOCOL_VERSIONS = ["HTTP1", "HTTP2", "GRPC"] as const;
export type TargetProtocolVersion = (typeof TARGET_PROTOCOL_VERSIONS)[number];

export const LOAD_BALANCING_ALGORITHMS = ["round_robin", "least_outstanding_requests", "weighted_random"] as const;
export type LoadBalancingAlgorithm = (typeof LOAD_BALANCING_ALGORITHMS)[number];

/** AWS's gRPC health check defaults: a method no server implements, answered with 12 (UNIMPLEMENTED) by any live one. */
export const GRPC_HEALTH_CHECK_DEFAULTS = { path: "/AWS.ALB/healthcheck", matcher: "12" } as const;
export const HTTP_HEALTH_CHECK_DEFAULTS = { path: "/health", matcher: "200" } as const;

/** The target group options of `AppServerGroupProps`. */
export interface TargetGroupOptions {
  /**
   * Protocol from the load balancer to the instances. "HTTPS" re-encrypts traffic to the app
   * port (the instance serves any certificate: ALB does not verify target certificates).
   * @default "HTTP"
   */
  readonly targetProtocol?: TargetProtocol;
  /**
   * "HTTP1" (HTTP/1.1), "HTTP2" (end-to-end HTTP/2) or "GRPC". HTTP2 and GRPC need an HTTPS
   * listener with HTTP/2 on (not an httpOnly router), and HTTP/1.1 clients get errors from them.
   * @default "HTTP1"
   */
  readonly targetProtocolVersion?: TargetProtocolVersion;
  /**
   * How a target is picked: "round_robin", "least_outstanding_requests" (requests of uneven
   * cost), or "weighted_random" (with `anomalyMitigation`). Neither of the last two works with
   * slow start; weighted random not with `stickinessSeconds`.
   * @default "round_robin"
   */
  readonly loadBalancingAlgorithm?: LoadBalancingAlgorithm;
  /** Automatic target weights: route less to targets that answer worse. Only with "weighted_random". @default false */
  readonly anomalyMitigation?: boolean;
}

export interface ResolvedTargetGroupOptions {
  readonly protocol: TargetProtocol;
  readonly protocolVersion: TargetProtocolVersion;
  readonly loadBalancingAlgorithm: LoadBalancingAlgorithm;
  readonly anomalyMitigation: boolean;
}

export interface TargetGroupContext {
  readonly slowStartSeconds: number;
  readonly stickinessSeconds?: number;
}

function oneOf<T extends string>(v: Violations, field: string, value: string, allowed: readonly T[], fix: string): value is T {
  const ok = (allowed as readonly string[]).includes(value);
  v.check(ok, field, value, `must be ${allowed.map((a) => `"${a}"`).join(", ")}`, fix);
  return ok;
}

export function resolveTargetGroupOptions(
  v: Violations,
  f: (field: string) => string,
  options: TargetGroupOptions,
  context: TargetGroupContext,
): ResolvedTargetGroupOptions {
  const protocol = options.targetProtocol ?? "HTTP";
  oneOf(v, f("targetProtocol"), protocol, TARGET_PROTOCOLS, 'use "HTTP" (the default) or "HTTPS"');
  const protocolVersion = options.targetProtocolVersion ?? "HTTP1";
  oneOf(v, f("targetProtocolVersion"), protocolVersion, TARGET_PROTOCOL_VERSIONS, 'use "HTTP1" (the default), "HTTP2" or "GRPC"');
  const algorithm = options.loadBalancingAlgorithm ?? "round_robin";
  oneOf(
    v,
    f("loadBalancingAlgorithm"),
    algorithm,
    LOAD_BALANCING_ALGORITHMS,
    'use "round_robin" (the default), "least_outstanding_requests" or "weighted_random"',
  );
  if (algorithm !== "round_robin") {
    v.check(
      context.slowStartSeconds === 0,
      f("slowStartSeconds"),
      context.slowStartSeconds,
      `cannot be combined with loadBalancingAlgorithm "${algorithm}": ALB allows slow start mode with round robin only`,
      'set slowStartSeconds to 0, or use loadBalancingAlgorithm "round_robin"',
    );
  }
  if (algorithm === "weighted_random") {
    v.check(
      context.stickinessSeconds === undefined,
      f("stickinessSeconds"),
      context.stickinessSeconds,
      'cannot be combined with loadBalancingAlgorithm "weighted_random": ALB does not offer sticky sessions with it',
      'remove stickinessSeconds, or use "round_robin" or "least_outstanding_requests"',
    );
  }
  const anomalyMitigation = options.anomalyMitigation ?? false;
  if (anomalyMitigation) {
    v.check(
      algorithm === "weighted_random",
      f("anomalyMitigation"),
      true,
      `needs loadBalancingAlgorithm "weighted_random" (it is "${algorithm}"): automatic target weights exist with that algorithm only`,
      'set loadBalancingAlgorithm to "weighted_random", or remove anomalyMitigation',
    );
  }
  return { protocol, protocolVersion, loadBalancingAlgorithm: algorithm, anomalyMitigation };
}

/** The health check defaults for a protocol version. */
export function healthCheckDefaults(protocolVersion: TargetProtocolVersion): { readonly path: string; readonly matcher: string } {
  return protocolVersion === "GRPC" ? GRPC_HEALTH_CHECK_DEFAULTS : HTTP_HEALTH_CHECK_DEFAULTS;
}

/** gRPC status codes 0-99: "12", "0,1", "0-5". */
export function isGrpcMatcher(matcher: string): boolean {
  if (!/^\d{1,2}([-,]\d{1,2})*$/.test(matcher)) return false;
  return matcher.split(/[-,]/).every((code) => Number(code) <= 99);
}

/** A gRPC health check path: `/package.service/method`. */
export function isGrpcHealthCheckPath(path: string): boolean {
  return /^\/[A-Za-z0-9_.]+\/[A-Za-z0-9_]+$/.test(path);
}

/** The listener a fleet's traffic arrives on, as far as its protocol version is concerned. */
export interface ServingListener {
  /** False for an httpOnly router. */
  readonly https: boolean;
  /** The load balancer's HTTP/2 switch (`http2Enabled`). */
  readonly http2Enabled: boolean;
}

/**
 * HTTP/2 and gRPC target groups are served from HTTPS listeners only, and an HTTP/1.1 request to
 * them is an error ("Considerations for the gRPC / HTTP/2 protocol version", ALB guide, target
 * groups): such a fleet needs an HTTPS listener and HTTP/2 on. One home for the rule: the router
 * checks its routed fleets with it, and a configuration file each of its fleets.
 */
export function checkListenerServesVersion(
  v: Violations,
  field: string,
  value: unknown,
  fleet: { readonly name: string; readonly targetProtocolVersion?: string },
  listener: ServingListener,
): void {
  const version = fleet.targetProtocolVersion ?? "HTTP1";
  if (version === "HTTP1") return;
  if (!listener.https) {
    v.add(
      field,
      value,
      `is a ${version} fleet (targetProtocolVersion "${version}"), which ALB serves from HTTPS listeners only; this router is httpOnly`,
      `give the router a certificate instead of httpOnly, or set fleet "${fleet.name}"'s targetProtocolVersion to "HTTP1"`,
    );
  } else if (!listener.http2Enabled) {
    v.add(
      field,
      value,
      `is a ${version} fleet (targetProtocolVersion "${version}"), but the load balancer has HTTP/2 off (http2Enabled: false), so every request reaches it as HTTP/1.1 and fails`,
      `turn http2Enabled back on, or set fleet "${fleet.name}"'s targetProtocolVersion to "HTTP1"`,
    );
  }
}
