/**
 * Checks a routing table against ALB's rules before anything is compiled, collecting every
 * violation with the route, the value, the quota and the fix.
 */
import { Violations } from "../core/errors";
import { parseCidr } from "../core/cidr";
import { PRIORITY_BANDS } from "./priorities";
import {
  ALB_QUOTAS,
  HEADER_NAME_CHARS,
  HOST_PATTERN_CHARS,
  HEADER_VALUE_CHARS,
  METHOD_CHARS,
  PATH_PATTERN_CHARS,
  PATH_PATTERN_START,
  QUERY_STRING_CHARS,
  ROUTE_NAME_MAX,
  ROUTE_NAME_PATTERN,
} from "./quotas";
import type { Maintenance, RouteDestination, RouteMatch, RouteTarget, RoutingTable, WeightedSplit } from "./types";

export function isWeightedSplit<F extends RouteTarget>(d: RouteDestination<F>): d is WeightedSplit<F> {
  return typeof d === "object" && d !== null && Array.isArray((d as WeightedSplit<F>).weights);
}

/** Every fleet object a table names, in the order: routes, default, override header, host pins. */
export function fleetsOf<F extends RouteTarget>(table: RoutingTable<F>): F[] {
  const out: F[] = [];
  const add = (f: F | undefined) => {
    if (f && !out.includes(f)) out.push(f);
  };
  const addDest = (d: RouteDestination<F> | undefined) => {
    if (!d) return;
    if (isWeightedSplit(d)) d.weights.forEach((w) => add(w.fleet));
    else add(d);
  };
  table.routes?.forEach((r) => addDest(r.to));
  addDest(table.default);
  Object.values(table.overrideHeader?.values ?? {}).forEach(add);
  table.hostPins?.forEach((p) => add(p.fleet));
  return out;
}

function checkPattern(v: Violations, field: string, value: unknown, kind: "path" | "host" | "header value" | "query string"): void {
  if (typeof value !== "string" || value.length === 0) {
    v.add(field, value, `must be a non-empty ${kind} pattern`, 'write a pattern such as "/hoge/*"');
    return;
  }
  v.check(
    value.length <= ALB_QUOTAS.patternLength,
    field,
    value,
    `is ${value.length} characters; ALB allows at most ${ALB_QUOTAS.patternLength} per ${kind} pattern`,
    "shorten it, e.g. end it earlier with `*`",
  );
  if (kind === "path") {
    v.check(
      PATH_PATTERN_CHARS.test(value),
      field,
      value,
      "contains characters ALB does not accept in a path pattern (allowed: A-Z a-z 0-9 _ - . $ / ~ \" ' @ : + & * ?)",
      "replace the other characters by `?` (one character) or `*`",
    );
    v.check(
      PATH_PATTERN_START.test(value),
      field,
      value,
      'must start with "/" (or a wildcard `*` or `?`): ALB compares it with the request path, which always starts with "/", so this pattern could never match',
      `write ${JSON.stringify(`/${value}`)}`,
    );
  }
  if (kind === "query string") {
    v.check(
      QUERY_STRING_CHARS.test(value),
      field,
      value,
      "contains characters ALB does not accept in a query-string condition (RFC 3986 query characters: letters, digits, - . _ ~ ! $ & ' ( ) * + , ; = : @ / ?, %XX escapes, and \\ only before * or ?)",
      `percent-encode the other characters, e.g. ${JSON.stringify(value.replace(/ /g, "%20"))} for a space`,
    );
  }
  if (kind === "header value") {
    v.check(
      HEADER_VALUE_CHARS.test(value),
      field,
      value,
      "contains characters ALB does not match in a header condition (it compares visible ASCII characters and spaces only, no control characters)",
      "use printable ASCII, or `?` for a character outside it",
    );
  }
  if (kind === "host") {
    v.check(
      HOST_PATTERN_CHARS.test(value),
      field,
      value,
      "contains characters ALB does not accept in a host pattern (allowed: A-Z a-z 0-9 - . * ?)",
      'write a host name such as "assets4.example.com" or "*.example.com"',
    );
    v.check(
      /\.[A-Za-z*?]+$/.test(value),
      field,
      value,
      'must contain a "." followed only by letters (or wildcards), as ALB host conditions require',
      'write the full host name, e.g. "assets4.example.com"',
    );
  }
}

function checkHeaderName(v: Violations, field: string, name: unknown): void {
  if (typeof name !== "string" || name.length === 0) {
    v.add(field, name, "must be a non-empty header name", 'write a header name such as "X-Backend-Version"');
    return;
  }
  v.check(
    name.length <= ALB_QUOTAS.headerNameLength,
    field,
    name,
    `is ${name.length} characters; ALB allows at most ${ALB_QUOTAS.headerNameLength} in a header name`,
    "use a shorter header name",
  );
  v.check(
    HEADER_NAME_CHARS.test(name),
    field,
    name,
    "is not an HTTP token (RFC 7230); ALB header names allow no spaces, colons or wildcards",
    'use letters, digits and hyphens, e.g. "X-Backend-Version"',
  );
}

function checkCidrs(v: Violations, field: string, values: readonly unknown[]): void {
  values.forEach((c, i) => {
    if (typeof c !== "string") {
      v.add(`${field}[${i}]`, c, "must be a CIDR block string", 'write e.g. "203.0.113.0/24"');
      return;
    }
    const parsed = parseCidr(c);
    if ("error" in parsed)
      v.add(`${field}[${i}]`, c, parsed.error, 'write an IPv4 or IPv6 CIDR block such as "203.0.113.0/24" or "203.0.113.7/32"');
  });
}

function checkList(v: Violations, field: string, values: unknown): values is readonly unknown[] {
  if (values === undefined) return false;
  if (!Array.isArray(values) || values.length === 0) {
    v.add(field, values, "must be a non-empty list when given", "remove the key or list at least one value");
    return false;
  }
  return true;
}

export function checkMatch(v: Violations, where: string, match: RouteMatch | undefined): void {
  if (!match || typeof match !== "object") {
    v.add(`${where}.match`, match, "is required", 'add e.g. { paths: ["/hoge/*"] }');
    return;
  }
  const kinds = (["paths", "hosts", "headers", "queryStrings", "methods", "sourceIps"] as const).filter((k) => match[k] !== undefined);
  v.check(
    kinds.length > 0,
    `${where}.match`,
    match,
    "has no condition; a route must match something narrower than every request",
    "add paths, hosts, headers, queryStrings, methods or sourceIps, or make it the table's `default`",
  );
  if (checkList(v, `${where}.match.paths`, match.paths))
    match.paths.forEach((p, i) => checkPattern(v, `${where}.match.paths[${i}]`, p, "path"));
  if (checkList(v, `${where}.match.hosts`, match.hosts))
    match.hosts.forEach((p, i) => checkPattern(v, `${where}.match.hosts[${i}]`, p, "host"));
  if (checkList(v, `${where}.match.headers`, match.headers)) {
    match.headers.forEach((h, i) => {
      checkHeaderName(v, `${where}.match.headers[${i}].name`, h?.name);
      if (checkList(v, `${where}.match.headers[${i}].values`, h?.values))
        h.values.forEach((p, j) => checkPattern(v, `${where}.match.headers[${i}].values[${j}]`, p, "header value"));
    });
  }
  if (checkList(v, `${where}.match.queryStrings`, match.queryStrings)) {
    match.queryStrings.forEach((q, i) => {
      if (q?.key !== undefined) checkPattern(v, `${where}.match.queryStrings[${i}].key`, q.key, "query string");
      checkPattern(v, `${where}.match.queryStrings[${i}].value`, q?.value, "query string");
    });
  }
  if (checkList(v, `${where}.match.methods`, match.methods)) {
    match.methods.forEach((m, i) =>
      v.check(
        typeof m === "string" && m.length <= ALB_QUOTAS.methodLength && METHOD_CHARS.test(m),
        `${where}.match.methods[${i}]`,
        m,
        `must be an upper-case HTTP method of at most ${ALB_QUOTAS.methodLength} characters (A-Z, - and _); ALB compares methods case-sensitively`,
        'write e.g. "GET" or "POST"',
      ),
    );
  }
  if (checkList(v, `${where}.match.sourceIps`, match.sourceIps)) checkCidrs(v, `${where}.match.sourceIps`, match.sourceIps);
  checkRepeats(v, `${where}.match.paths`, match.paths, (p) => p);
  checkRepeats(v, `${where}.match.hosts`, match.hosts, (h) => h.toLowerCase());
  match.headers?.forEach((h, i) => checkRepeats(v, `${where}.match.headers[${i}].values`, h?.values, (x) => x.toLowerCase()));
  checkRepeats(
    v,
    `${where}.match.queryStrings`,
    match.queryStrings,
    (q) => `${q?.key?.toLowerCase() ?? ""}\u0000${q?.value?.toLowerCase()}`,
  );
  checkRepeats(v, `${where}.match.methods`, match.methods, (m) => m);
  checkRepeats(v, `${where}.match.sourceIps`, match.sourceIps, (c) => c);
}

/** A value listed twice in one condition adds nothing but a rule slot: refuse it, so tables stay minimal. */
function checkRepeats<T>(v: Violations, field: string, values: readonly T[] | undefined, key: (value: T) => string): void {
  if (!Array.isArray(values)) return;
  const seen = new Map<string, number>();
  values.forEach((value, i) => {
    let k: string;
    try {
      k = key(value);
    } catch {
      return;
    }
    const first = seen.get(k);
    if (first !== undefined)
      v.add(
        `${field}[${i}]`,
        value,
        `repeats ${field.split(".").pop()}[${first}] (ALB compares it the same way)`,
        "delete the repeated value",
      );
    else seen.set(k, i);
  });
}

export function checkDestination<F extends RouteTarget>(v: Violations, field: string, d: RouteDestination<F> | undefined): void {
  if (!d || typeof d !== "object") {
    v.add(field, d, "must be a fleet or a weighted split", "pass an AppServerGroup, or { weights: [{ fleet, weight }] }");
    return;
  }
  if (!isWeightedSplit(d)) {
    v.check(
      typeof d.name === "string" && d.name.length > 0,
      `${field}.name`,
      d.name,
      "a fleet needs a non-empty name",
      "give the fleet a name",
    );
    return;
  }
  const n = d.weights.length;
  // A fleet with a canary lists its own target group and the canary's (RouteTarget.targetGroupCount).
  const groups = d.weights.reduce((sum, w) => sum + (w?.fleet?.targetGroupCount ?? 1), 0);
  v.check(
    n >= 1 && n <= ALB_QUOTAS.targetGroupsPerForward,
    `${field}.weights`,
    n,
    `lists ${n} fleets; an ALB forward action takes 1-${ALB_QUOTAS.targetGroupsPerForward} target groups`,
    n === 0 ? "list at least one fleet" : `split the route, or drop fleets to ${ALB_QUOTAS.targetGroupsPerForward}`,
  );
  if (n <= ALB_QUOTAS.targetGroupsPerForward && groups > ALB_QUOTAS.targetGroupsPerForward) {
    const canaries = d.weights.filter((w) => (w?.fleet?.targetGroupCount ?? 1) > 1).map((w) => w.fleet.name);
    v.add(
      `${field}.weights`,
      d.weights.map((w) => w?.fleet?.name),
      `forward to ${groups} target groups: ${n} fleets, and a canary target group each for ${canaries.join(", ")}; an ALB forward action takes ${ALB_QUOTAS.targetGroupsPerForward}`,
      `drop fleets from this split, or promote or abort a canary of ${canaries.join(", ")} first`,
    );
  }
  d.weights.forEach((w, i) => {
    v.check(
      Number.isInteger(w.weight) && w.weight >= ALB_QUOTAS.minWeight && w.weight <= ALB_QUOTAS.maxWeight,
      `${field}.weights[${i}].weight`,
      w.weight,
      `must be an integer ${ALB_QUOTAS.minWeight}-${ALB_QUOTAS.maxWeight} (ALB target group weight)`,
      "scale the weights into 0-999, e.g. 90 and 10 instead of 0.9 and 0.1",
    );
    checkDestination(v, `${field}.weights[${i}].fleet`, w.fleet);
  });
  if (n > 0 && d.weights.every((w) => w.weight === 0)) {
    v.add(
      `${field}.weights`,
      d.weights.map((w) => `${w.fleet?.name}=${w.weight}`),
      "are all 0; ALB needs at least one weight above 0 or it has nowhere to send requests",
      "give at least one fleet a weight above 0",
    );
  }
  const names = d.weights.map((w) => w.fleet?.name);
  const dup = names.find((name, i) => names.indexOf(name) !== i);
  if (dup !== undefined)
    v.add(
      `${field}.weights`,
      names,
      `names fleet "${dup}" twice; a target group may appear once per forward action`,
      "merge the entries into one weight",
    );
  if (d.groupStickinessSeconds !== undefined) {
    v.check(
      Number.isInteger(d.groupStickinessSeconds) &&
        d.groupStickinessSeconds >= 1 &&
        d.groupStickinessSeconds <= ALB_QUOTAS.maxGroupStickinessSeconds,
      `${field}.groupStickinessSeconds`,
      d.groupStickinessSeconds,
      `must be an integer 1-${ALB_QUOTAS.maxGroupStickinessSeconds} seconds (7 days)`,
      "use e.g. 3600, or omit it to disable stickiness",
    );
  }
}

/** ALB redirect actions take host, path and query of at most 128 characters each (RedirectActionConfig). */
function checkRedirectUrl(v: Violations, url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    v.add("maintenance.response.url", url, "is not a valid URL", 'write e.g. "https://status.example.com/"');
    return;
  }
  const parts: [string, string][] = [
    ["host", parsed.hostname],
    ["path", parsed.pathname],
    ["query", parsed.search.replace(/^\?/, "")],
  ];
  for (const [part, value] of parts) {
    v.check(
      value.length <= 128,
      "maintenance.response.url",
      url,
      `has a ${part} of ${value.length} characters; an ALB redirect allows at most 128`,
      `shorten the ${part}`,
    );
  }
  v.check(
    parsed.hash === "",
    "maintenance.response.url",
    url,
    "has a #fragment, which an ALB redirect cannot carry",
    'remove the part from "#"',
  );
}

function checkMaintenance(v: Violations, m: Maintenance): void {
  const r = m.response;
  if (r?.type === "fixed-response") {
    const code = r.statusCode ?? 503;
    v.check(
      Number.isInteger(code) && code >= 200 && code <= 599 && Math.floor(code / 100) !== 3,
      "maintenance.response.statusCode",
      code,
      "must be a 2XX, 4XX or 5XX code (ALB fixed-response)",
      "use 503 for maintenance",
    );
    const bytes = Buffer.byteLength(r.body ?? "", "utf8");
    v.check(
      bytes <= ALB_QUOTAS.fixedResponseBodyBytes,
      "maintenance.response.body",
      `${bytes} bytes`,
      `must be at most ${ALB_QUOTAS.fixedResponseBodyBytes} bytes (ALB fixed-response)`,
      "shorten the page, or use a redirect to a status page",
    );
  } else if (r?.type === "redirect") {
    v.check(
      typeof r.url === "string" && /^https?:\/\/[^/\s]+/.test(r.url),
      "maintenance.response.url",
      r.url,
      "must be an absolute http(s) URL",
      'write e.g. "https://status.example.com/"',
    );
    if (typeof r.url === "string" && /^https?:\/\/[^/\s]+/.test(r.url)) checkRedirectUrl(v, r.url);
    if (r.keepQueryString !== undefined)
      v.check(
        typeof r.keepQueryString === "boolean",
        "maintenance.response.keepQueryString",
        r.keepQueryString,
        "must be true or false",
        "omit it to drop the client's query string (the default), or set true to keep it",
      );
    if (r.statusCode !== undefined)
      v.check(
        r.statusCode === 301 || r.statusCode === 302,
        "maintenance.response.statusCode",
        r.statusCode,
        "must be 301 or 302",
        "use 302: a maintenance redirect is temporary",
      );
  } else {
    v.add(
      "maintenance.response.type",
      (r as { type?: unknown } | undefined)?.type,
      'must be "fixed-response" or "redirect"',
      'set response: { type: "fixed-response", body: "..." }',
    );
  }
  if (m.bypass?.sourceIps !== undefined) checkCidrs(v, "maintenance.bypass.sourceIps", m.bypass.sourceIps);
  if (m.bypass?.header) {
    checkHeaderName(v, "maintenance.bypass.header.name", m.bypass.header.name);
    checkPattern(v, "maintenance.bypass.header.value", m.bypass.header.value, "header value");
  }
}

/** Every check that needs no compilation: names, patterns, destinations, fleets, maintenance. */
export function validateRoutingTable<F extends RouteTarget>(table: RoutingTable<F>, v: Violations = new Violations()): Violations {
  checkDestination(v, "default", table.default);

  const names = new Map<string, number>();
  (table.routes ?? []).forEach((route, i) => {
    const where = `routes[${i}] "${route?.name}"`;
    if (typeof route?.name !== "string" || !ROUTE_NAME_PATTERN.test(route.name) || route.name.length > ROUTE_NAME_MAX) {
      v.add(
        `routes[${i}].name`,
        route?.name,
        `must be 1-${ROUTE_NAME_MAX} lowercase letters, digits and hyphens, starting and ending with a letter or digit (it becomes the rule's construct ID)`,
        'rename it, e.g. "hoge-legacy"',
      );
    } else if (names.has(route.name)) {
      v.add(
        `routes[${i}].name`,
        route.name,
        `is already used by routes[${names.get(route.name)}]; route names identify listener rules and must be unique`,
        "rename one of them",
      );
    } else {
      names.set(route.name, i);
    }
    checkMatch(v, where, route?.match);
    checkDestination(v, `${where}.to`, route?.to);
    if (route?.priority !== undefined) {
      const { first, last } = PRIORITY_BANDS.route;
      v.check(
        Number.isInteger(route.priority) && route.priority >= first && route.priority <= last,
        `${where}.priority`,
        route.priority,
        `must be an integer ${first}-${last}: lower numbers belong to maintenance, the override header and host pins, which always take precedence over routes; ALB allows ${ALB_QUOTAS.minPriority}-${ALB_QUOTAS.maxPriority}`,
        `pick a number in ${first}-${last}, or omit it`,
      );
    }
  });

  if (table.overrideHeader) {
    checkHeaderName(v, "overrideHeader.name", table.overrideHeader.name);
    const entries = Object.entries(table.overrideHeader.values ?? {});
    v.check(
      entries.length > 0,
      "overrideHeader.values",
      table.overrideHeader.values,
      "must map at least one header value to a fleet",
      'add e.g. { "4": rails4 }',
    );
    for (const [value, fleet] of entries) {
      checkPattern(v, `overrideHeader.values[${JSON.stringify(value)}]`, value, "header value");
      checkDestination(v, `overrideHeader.values[${JSON.stringify(value)}]`, fleet);
    }
    if (checkList(v, "overrideHeader.sourceIps", table.overrideHeader.sourceIps))
      checkCidrs(v, "overrideHeader.sourceIps", table.overrideHeader.sourceIps);
  }
  (table.hostPins ?? []).forEach((pin, i) => {
    if (checkList(v, `hostPins[${i}].hosts`, pin?.hosts))
      pin.hosts.forEach((h, j) => checkPattern(v, `hostPins[${i}].hosts[${j}]`, h, "host"));
    else if (pin?.hosts === undefined) v.add(`hostPins[${i}].hosts`, undefined, "is required", "list the host names served by this fleet");
    checkDestination(v, `hostPins[${i}].fleet`, pin?.fleet);
  });
  if (table.maintenance) checkMaintenance(v, table.maintenance);

  // Fleets are told apart by name in target group names and messages: two objects with one name is a mix-up.
  const byName = new Map<string, F>();
  for (const fleet of fleetsOf(table)) {
    if (!fleet || typeof fleet.name !== "string") continue;
    const seen = byName.get(fleet.name);
    if (seen && seen !== fleet) {
      v.add(
        "fleets",
        fleet.name,
        "two different fleets share this name; fleets referenced by one routing table must have unique names",
        "rename one fleet, or reference the same fleet object",
      );
    }
    byName.set(fleet.name, fleet);
  }
  return v;
}
