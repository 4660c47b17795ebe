/**
 * A small AWS API client for the emulated AWS (moto) on loopback: Signature Version 4 over plain
 * HTTP, the Query protocol (EC2, Auto Scaling) and the JSON protocol (ACM). Enough for the deploy
 * harness to create the network and certificate a stack needs and to read live state back, with
 * no SDK dependency. It only ever talks to the endpoint it is given (a 127.0.0.1 URL).
 *
 * SigV4 as documented in "Create a signed AWS API request"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html). moto does not
 * check signatures by default, but it reads the service and region from the credential scope,
 * so the Authorization header must be well formed.
 */
import { createHash, createHmac } from "node:crypto";
import { request } from "node:http";
import { parseXml, XmlNode } from "./xml";

export interface AwsEndpoint {
  /** e.g. "http://127.0.0.1:40123"; must be loopback. */
  readonly url: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

const sha256 = (data: string) => createHash("sha256").update(data, "utf8").digest("hex");
const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data, "utf8").digest();

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function assertLoopback(url: URL): void {
  if (url.hostname !== "127.0.0.1" && url.hostname !== "localhost" && url.hostname !== "[::1]") {
    throw new Error(`refusing to send a request to ${url.host}: the emulated AWS must be on loopback`);
  }
}

/** Signs and sends one POST request; `service` is the signing name (ec2, autoscaling, acm...). */
export function signedPost(endpoint: AwsEndpoint, service: string, headers: Record<string, string>, body: string): Promise<HttpResponse> {
  const url = new URL(endpoint.url);
  assertLoopback(url);
  const amzDate = new Date()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  const date = amzDate.slice(0, 8);
  const allHeaders: Record<string, string> = { ...headers, host: url.host, "x-amz-date": amzDate };
  const names = Object.keys(allHeaders)
    .map((h) => h.toLowerCase())
    .sort();
  const lower = Object.fromEntries(Object.entries(allHeaders).map(([k, v]) => [k.toLowerCase(), v.trim()]));
  const signedHeaders = names.join(";");
  const canonical = ["POST", "/", "", ...names.map((n) => `${n}:${lower[n]}`), "", signedHeaders, sha256(body)].join("\n");
  const scope = `${date}/${endpoint.region}/${service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonical)].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${endpoint.secretAccessKey}`, date), endpoint.region), service), "aws4_request");
  const signature = createHmac("sha256", key).update(toSign, "utf8").digest("hex");
  const authorization = `AWS4-HMAC-SHA256 Credential=${endpoint.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: "POST",
        path: "/",
        headers: { ...allHeaders, authorization, "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** A Query-protocol call (EC2, Auto Scaling, ELBv2, IAM): form parameters in, XML out. */
export async function queryCall(
  endpoint: AwsEndpoint,
  service: string,
  version: string,
  action: string,
  params: Record<string, string | number | boolean> = {},
): Promise<XmlNode> {
  const form = Object.entries({ Action: action, Version: version, ...params })
    .map(([k, v]) => `${uriEncode(k)}=${uriEncode(String(v))}`)
    .join("&");
  const response = await signedPost(endpoint, service, { "content-type": "application/x-www-form-urlencoded; charset=utf-8" }, form);
  if (response.status >= 300) throw new Error(`${service} ${action} failed (HTTP ${response.status}): ${response.body.slice(0, 2000)}`);
  return parseXml(response.body);
}

/** A JSON-protocol call (ACM, CodeDeploy): `X-Amz-Target: <prefix>.<action>`, JSON in and out. */
export async function jsonCall(endpoint: AwsEndpoint, service: string, target: string, payload: object): Promise<any> {
  const response = await signedPost(
    endpoint,
    service,
    { "content-type": "application/x-amz-json-1.1", "x-amz-target": target },
    JSON.stringify(payload),
  );
  if (response.status >= 300) throw new Error(`${service} ${target} failed (HTTP ${response.status}): ${response.body.slice(0, 2000)}`);
  return response.body ? JSON.parse(response.body) : {};
}
