/**
 * Checks what `explain` is asked about before it answers: a request it cannot read as the user
 * meant would be explained as another request, and the answer would look right. `example.com/hoge`
 * (no scheme) would be taken for a path with no host; `10.0.0.300` matches no CIDR, so every
 * source-ip rule would silently not apply.
 */
import { formatViolation } from "../../lib/core/errors";
import { parseIp } from "../../lib/core/cidr";

/** The message for a URL or source address `explain` refuses, or undefined when both are fine. */
export function checkExplainRequest(url: string, sourceIp: string | undefined): string | undefined {
  const problems: string[] = [];
  const urlProblem = checkUrl(url);
  if (urlProblem) problems.push(urlProblem);
  if (sourceIp !== undefined && parseIp(sourceIp) === undefined) {
    problems.push(
      formatViolation({
        field: "--source-ip",
        value: sourceIp,
        limit: "is not an IPv4 or IPv6 address (each IPv4 part is 0-255, no CIDR suffix)",
        fix: "write the client's address as the load balancer sees it, e.g. --source-ip 203.0.113.10",
      }),
    );
  }
  return problems.length === 0 ? undefined : problems.join("\n");
}

function checkUrl(url: string): string | undefined {
  // A path: the host comes from -H 'Host: ...', if any.
  if (url.startsWith("/")) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed && (parsed.protocol === "https:" || parsed.protocol === "http:") && parsed.hostname !== "") return undefined;
  const looksLikeHost = /^[A-Za-z0-9.-]+(:\d+)?(\/|\?|$)/.test(url);
  return formatViolation({
    field: "<url>",
    value: url,
    limit:
      parsed && !looksLikeHost
        ? `has the scheme "${parsed.protocol}"; a load balancer's listener receives http and https`
        : "is neither an absolute http(s) URL nor a path starting with /",
    fix: looksLikeHost
      ? `write "https://${url}", or the path alone with the host as a header: ${pathOf(url)} -H 'Host: ${url.replace(/[/?].*$/, "")}'`
      : 'write an absolute URL such as "https://www.example.com/hoge", or a path such as "/hoge"',
  });
}

function pathOf(url: string): string {
  const at = url.search(/[/?]/);
  return at < 0 ? "/" : url[at] === "?" ? `/${url.slice(at)}` : url.slice(at);
}
