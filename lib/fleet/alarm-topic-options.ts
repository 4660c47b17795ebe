/**
 * Who hears about a fleet's alarms, as data: an SNS topic the stack creates (encrypted with its
 * own KMS key, with subscriptions), or an existing topic's ARN. A layout needs one or the other;
 * a topic without subscriptions is an explicit choice that states its reason. Pure: no cdktf import.
 */
import { Violations } from "../core/errors";
import { isArn } from "../core/aws-ids";

/** SNS subscription protocols an alarm reaches a person (or their tooling) through. */
export const ALARM_SUBSCRIPTION_PROTOCOLS = ["email", "email-json", "https", "sms", "sqs", "lambda"] as const;
export type AlarmSubscriptionProtocol = (typeof ALARM_SUBSCRIPTION_PROTOCOLS)[number];

export interface AlarmSubscription {
  readonly protocol: AlarmSubscriptionProtocol;
  /** An email address, an https URL (e.g. an on-call tool's webhook), an E.164 phone number, or an SQS queue / Lambda function ARN. */
  readonly endpoint: string;
}

export interface AlarmTopicOptions {
  /** Where the topic delivers. Email and https endpoints confirm their subscription from the first message AWS sends. @default - none */
  readonly subscriptions?: readonly AlarmSubscription[];
  /**
   * The explicit opt-out: create the topic without subscriptions, saying why (at least 20
   * characters), e.g. "AWS Chatbot subscribes to this topic from the ops account".
   * @default - subscriptions are required
   */
  readonly noSubscriptionBecause?: string;
}

/** A reason must say something: the same floor as a policy suppression's. */
export const OPT_OUT_REASON_MIN_CHARS = 20;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HTTPS_URL = /^https:\/\/[^\s/$.?#][^\s]*$/;
const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Checks that alarms reach someone: exactly one of `alarmTopicArn` (an existing topic) and
 * `alarmTopic` (a topic created here), and a created topic with subscriptions or a stated opt-out.
 * @param field names a field of the configuration, e.g. `(f) => "staging.json: " + f`
 */
export function checkAlarmNotifications(
  v: Violations,
  field: (relative: string) => string,
  input: { readonly alarmTopicArn?: string; readonly alarmTopic?: AlarmTopicOptions },
): void {
  const { alarmTopicArn, alarmTopic } = input;
  if (alarmTopicArn === undefined && alarmTopic === undefined) {
    v.add(
      field("alarmTopic"),
      undefined,
      "is missing, and so is alarmTopicArn: every alarm needs someone to tell, or it changes state and nobody hears of it",
      'add "alarmTopic": { "subscriptions": [{ "protocol": "email", "endpoint": "oncall@example.com" }] }, or give alarmTopicArn of an existing topic, or opt out with "alarmTopic": { "noSubscriptionBecause": "<why>" }',
    );
    return;
  }
  if (alarmTopicArn !== undefined && alarmTopic !== undefined) {
    v.add(
      field("alarmTopic"),
      alarmTopic,
      "cannot be combined with alarmTopicArn: alarms notify one topic",
      "keep alarmTopic to have the stack create the topic, or alarmTopicArn to use yours",
    );
    return;
  }
  if (alarmTopic === undefined) return;
  const subscriptions = alarmTopic.subscriptions ?? [];
  const reason = alarmTopic.noSubscriptionBecause;
  if (reason !== undefined) {
    v.check(
      subscriptions.length === 0,
      field("alarmTopic.noSubscriptionBecause"),
      reason,
      "opts out of subscriptions while alarmTopic.subscriptions lists some",
      "remove noSubscriptionBecause, or the subscriptions",
    );
    v.check(
      reason.trim().length >= OPT_OUT_REASON_MIN_CHARS,
      field("alarmTopic.noSubscriptionBecause"),
      reason,
      `must give a reason of at least ${OPT_OUT_REASON_MIN_CHARS} characters`,
      'say who hears the alarms instead, e.g. "AWS Chatbot subscribes to this topic from the ops account"',
    );
  } else {
    v.check(
      subscriptions.length > 0,
      field("alarmTopic.subscriptions"),
      subscriptions,
      "lists nobody: alarms would reach a topic nobody reads",
      'add e.g. { "protocol": "email", "endpoint": "oncall@example.com" }, or opt out with noSubscriptionBecause and the reason',
    );
  }
  const seen = new Set<string>();
  subscriptions.forEach((s, i) => {
    const at = field(`alarmTopic.subscriptions[${i}].endpoint`);
    const key = `${s.protocol} ${s.endpoint}`;
    v.check(!seen.has(key), at, s.endpoint, `is listed twice for ${s.protocol}`, "list each endpoint once");
    seen.add(key);
    const endpoint = s.endpoint;
    switch (s.protocol) {
      case "email":
      case "email-json":
        v.check(EMAIL.test(endpoint), at, endpoint, "is not an email address", 'write e.g. "oncall@example.com"');
        break;
      case "https":
        v.check(HTTPS_URL.test(endpoint), at, endpoint, "is not an https:// URL", "give the webhook URL of your on-call tool");
        break;
      case "sms":
        v.check(E164.test(endpoint), at, endpoint, "is not a phone number in E.164 form", 'write e.g. "+819012345678"');
        break;
      case "sqs":
      case "lambda":
        v.check(
          isArn(endpoint) && endpoint.split(":")[2] === s.protocol,
          at,
          endpoint,
          `is not an ${s.protocol} ARN`,
          `give the ${s.protocol === "sqs" ? "queue" : "function"}'s ARN`,
        );
        break;
      default:
        v.add(
          field(`alarmTopic.subscriptions[${i}].protocol`),
          s.protocol,
          `must be one of ${ALARM_SUBSCRIPTION_PROTOCOLS.join(", ")}`,
          'use "email"',
        );
    }
  });
}
