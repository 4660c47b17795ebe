/**
 * The routing table: where each request goes, written as data.
 * Plain TypeScript with no cdktf import, so it is compiled, explained and tested without synthesizing.
 *
 * Fleets are referenced as objects (an `AppServerGroup` satisfies `RouteTarget`), never as
 * strings: deleting a fleet that a route still names is a compile error, not a broken deploy.
 */

import type { ListenerLock } from "../lock/stack-lock-data";

/** Anything a route can send traffic to. `AppServerGroup` satisfies it. */
export interface RouteTarget {
  /** The fleet's name, e.g. "rails4". Unique within one router. */
  readonly name: string;
  /**
   * Target groups a forward action to this fleet lists (2 while it runs a canary behind its own
   * target group); counts toward ALB's 5 target groups per forward. @default 1
   */
  readonly targetGroupCount?: number;
}

/** One fleet and its share of a weighted split. */
export interface WeightedFleet<F extends RouteTarget = RouteTarget> {
  readonly fleet: F;
  /** Relative weight, 0-999. */
  readonly weight: number;
}

/** A split of traffic across up to 5 fleets. */
export interface WeightedSplit<F extends RouteTarget = RouteTarget> {
  readonly weights: readonly WeightedFleet<F>[];
  /**
   * Keep one client on the fleet it first reached (target group stickiness on the rule),
   * in seconds (1-604800), so a user does not flip between versions during a split.
   * @default - no group stickiness
   */
  readonly groupStickinessSeconds?: number;
}

/** Where matching requests go: one fleet, or a weighted split. */
export type RouteDestination<F extends RouteTarget = RouteTarget> = F | WeightedSplit<F>;

/** Conditions of a route. All given kinds must match (AND); values within a kind are alternatives (OR). */
export interface RouteMatch {
  /** Path patterns with ALB wildcards `*` and `?`, case-sensitive, e.g. "/hoge/*". */
  readonly paths?: readonly string[];
  /** Host patterns, case-insensitive, e.g. "assets4.example.com". */
  readonly hosts?: readonly string[];
  /**
   * HTTP header conditions; the name is case-insensitive, values are case-insensitive patterns.
   * Each entry is its own ALB condition, so entries are ANDed; the values of one entry are ORed.
   */
  readonly headers?: readonly { readonly name: string; readonly values: readonly string[] }[];
  /** Query string conditions; `key` omitted matches any key. Case-insensitive patterns. */
  readonly queryStrings?: readonly { readonly key?: string; readonly value: string }[];
  /** HTTP methods, e.g. ["GET", "HEAD"]; case-sensitive upper case. */
  readonly methods?: readonly string[];
  /** Client source CIDRs. */
  readonly sourceIps?: readonly string[];
}

/** A named rule of the routing table. */
export interface Route<F extends RouteTarget = RouteTarget> {
  /**
   * Stable identity of the route: its listener rules' keys (Terraform addresses and lock entries)
   * derive from it, so renaming a route replaces its rules. Where traffic goes never depends on it.
   * Lowercase letters, digits and hyphens.
   */
  readonly name: string;
  readonly match: RouteMatch;
  readonly to: RouteDestination<F>;
  /**
   * Pin the priority of the route's first listener rule (its further rules take the next numbers).
   * Must lie in the routes band, 5000-50000, agree with the specificity order (a narrower route
   * always comes first) and not be a number the lock file records for another rule. Needed only to
   * say which of two partly overlapping routes with different destinations wins: set it on both.
   * @default - allocated from the stack lock file (see PRIORITIES.md)
   */
  readonly priority?: number;
}

/**
 * A header that forces a fleet, for debugging: e.g. `X-Backend-Version: 4` goes to rails4, from
 * staff source addresses only. From any other address the header is ignored and the request is
 * routed as if it had none: a header alone must never let a stranger pick the idle color, an
 * unreleased version, or the old version after a security fix shipped to the new one.
 */
export interface OverrideHeader<F extends RouteTarget = RouteTarget> {
  /** Header name, e.g. "X-Backend-Version". */
  readonly name: string;
  /** Header value to fleet, e.g. { "3": rails3, "4": rails4 }. */
  readonly values: Readonly<Record<string, F>>;
  /**
   * Staff source CIDRs (IPv4 or IPv6) the header is honoured from, e.g. ["203.0.113.0/24"]: each
   * override rule gets them as a `source-ip` condition. Required in configuration files. In code,
   * leaving it out opens the header to every address: the router warns at synth, and the policy
   * pack's APF-LISTENER-HEADER-OVERRIDE fails synthesis unless suppressed with a reason.
   * @default - any source address (not recommended)
   */
  readonly sourceIps?: readonly string[];
}

/** Host headers served by one fleet only, e.g. asset hosts per version. */
export interface HostPin<F extends RouteTarget = RouteTarget> {
  readonly hosts: readonly string[];
  readonly fleet: F;
}

/** What maintenance mode answers. */
export type MaintenanceResponse =
  | {
      readonly type: "fixed-response";
      /** 2XX, 4XX or 5XX. @default 503 */
      readonly statusCode?: number;
      /** @default "text/html" */
      readonly contentType?: "text/plain" | "text/css" | "text/html" | "application/javascript" | "application/json";
      /** At most 1024 bytes. */
      readonly body: string;
    }
  | {
      readonly type: "redirect";
      /** e.g. "https://status.example.com/". */
      readonly url: string;
      /** @default 302 */
      readonly statusCode?: 301 | 302;
      /**
       * Append the client's query string to the redirect (`/hoge?token=...` keeps `?token=...`).
       * Off by default: a maintenance page has no use for it, and it may carry tokens.
       * @default false
       */
      readonly keepQueryString?: boolean;
    };

/** Maintenance mode: decided in one place for every server, evaluated before every other rule. */
export interface Maintenance {
  /** Switch it on or off without deleting the settings. */
  readonly enabled: boolean;
  readonly response: MaintenanceResponse;
  /** Staff who still reach the app while maintenance is on. @default - nobody bypasses */
  readonly bypass?: {
    readonly sourceIps?: readonly string[];
    readonly header?: { readonly name: string; readonly value: string };
  };
}

/**
 * The whole routing table of one load balancer. Precedence, highest first:
 * maintenance > override header > host pins > routes > default.
 */
export interface RoutingTable<F extends RouteTarget = RouteTarget> {
  readonly routes?: readonly Route<F>[];
  /** Where requests that match no rule go. */
  readonly default: RouteDestination<F>;
  readonly overrideHeader?: OverrideHeader<F>;
  readonly hostPins?: readonly HostPin<F>[];
  readonly maintenance?: Maintenance;
}

/** ALB quotas the compiler enforces. */
export interface RoutingLimits {
  /** Rules per load balancer, excluding defaults. @default 100 (raise it if AWS raised your quota) */
  readonly maxRulesPerLoadBalancer?: number;
}

/** Inputs of `compileRouting` besides the table. */
export interface CompileOptions {
  /**
   * The traffic listener's section of the stack lock file from the previous synthesis: rules keep
   * their numbers, new rules take fresh ones. See PRIORITIES.md.
   * @default - an empty lock: every rule gets a fresh number (fine for a first deploy and for tests)
   */
  readonly lock?: ListenerLock;
  /** @default - ALB's default quotas */
  readonly limits?: RoutingLimits;
  /**
   * Rules on the same load balancer that the table does not produce (the router's anchor rules,
   * one per fleet), counted against `limits.maxRulesPerLoadBalancer`.
   * @default 0
   */
  readonly extraRules?: number;
  /** What `extraRules` are, for the quota message. @default "other rules" */
  readonly extraRulesLabel?: string;
}

// ---- compiler output: what the TrafficRouter construct turns into listener rules ----

export type CompiledCondition =
  | { readonly type: "path-pattern"; readonly values: readonly string[] }
  | { readonly type: "host-header"; readonly values: readonly string[] }
  | { readonly type: "http-header"; readonly name: string; readonly values: readonly string[] }
  | { readonly type: "query-string"; readonly values: readonly { readonly key?: string; readonly value: string }[] }
  | { readonly type: "http-request-method"; readonly values: readonly string[] }
  | { readonly type: "source-ip"; readonly values: readonly string[] };

/** The forward case of a compiled action. */
export type ForwardAction<F extends RouteTarget = RouteTarget> = Extract<CompiledAction<F>, { type: "forward" }>;

export type CompiledAction<F extends RouteTarget = RouteTarget> =
  | {
      readonly type: "forward";
      /** One entry per fleet; a single fleet is weight 1. */
      readonly targets: readonly WeightedFleet<F>[];
      readonly groupStickinessSeconds?: number;
    }
  | {
      readonly type: "fixed-response";
      readonly statusCode: number;
      readonly contentType: string;
      readonly body: string;
    }
  | { readonly type: "redirect"; readonly url: string; readonly statusCode: 301 | 302; readonly keepQueryString?: boolean };

/** Which part of the table a rule came from; also its precedence band. */
export type RuleKind = "maintenance" | "override-header" | "host-pin" | "route";

/** One ALB listener rule. */
export interface CompiledRule<F extends RouteTarget = RouteTarget> {
  /**
   * Stable key, unique within the router: used as the construct ID, so the Terraform address
   * of a rule depends only on the route it came from, never on its position in the table.
   */
  readonly key: string;
  /** 1-50000; lower wins. Stable: unrelated edits to the table never change it. */
  readonly priority: number;
  readonly kind: RuleKind;
  /** The route (or table section) this rule came from, for messages. */
  readonly source: string;
  /** ANDed; at most 5 condition values per rule in total. */
  readonly conditions: readonly CompiledCondition[];
  readonly action: CompiledAction<F>;
  /** Fleets this rule sends traffic to with weight > 0. */
  readonly receivingFleets: readonly F[];
}

export interface CompiledRouting<F extends RouteTarget = RouteTarget> {
  /** Sorted by priority. */
  readonly rules: readonly CompiledRule<F>[];
  /** The traffic listener's new lock section (set by `compileRouting`; see CompileResult). */
  readonly lock?: ListenerLock;
  /** Rule counts against the quota (set by `compileRouting`; see CompileResult). */
  readonly ruleCounts?: RuleCounts;
  /** The listener's default action. */
  readonly defaultAction: Extract<CompiledAction<F>, { type: "forward" }>;
  /** Every fleet the table names, in first-mention order. */
  readonly fleets: readonly F[];
}

/** How many listener rules the table needs, and with maintenance switched on. */
export interface RuleCounts {
  /** Rules without maintenance (override header, host pins, routes). */
  readonly normal: number;
  /** Rules maintenance adds when switched on (bypass copies and the maintenance responses); 0 without maintenance settings. */
  readonly maintenance: number;
  /** `normal + maintenance + extra`: what the load balancer holds while maintenance is on. */
  readonly withMaintenance: number;
  /** Rules outside the table counted against the quota (anchor rules). */
  readonly extra: number;
  /** The quota they are checked against. */
  readonly quota: number;
}

/** What `compileRouting` returns: the rules, and what to keep for the next synthesis. */
export interface CompileResult<F extends RouteTarget = RouteTarget> extends CompiledRouting<F> {
  /** The traffic listener's new lock section: write it back to the stack lock file. */
  readonly lock: ListenerLock;
  /** Rule counts against the load balancer's quota, maintenance included whether it is on or not. */
  readonly ruleCounts: RuleCounts;
}
