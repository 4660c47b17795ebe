/**
 * What an apply did, in order, read from its log: `terraform apply -json` (Terraform's machine
 * readable UI, one message per line, https://developer.hashicorp.com/terraform/internals/machine-readable-ui)
 * or the human log `cdktf deploy` prints ("aws_x.y: Creating..." / "Creation complete after 1s").
 * The emulator reports every target healthy at once, so the order of these messages is where
 * the deploy tests see that traffic never moves before the fleet that receives it is ready.
 */
import type { TerraformJson } from "../synth";
import { ANCHOR_LISTENER_PORT } from "../../../lib/router/anchor-rules";

export interface ApplyEvent {
  readonly address: string;
  readonly phase: "start" | "complete" | "errored";
  /** create, update, delete, ... as the log names it. */
  readonly action: string;
}

/** Events of `terraform apply -json` for managed resources, in the order Terraform reported them. */
export function eventsFromJsonLog(stdout: string): ApplyEvent[] {
  const events: ApplyEvent[] = [];
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    let message: { type?: string; hook?: { resource?: { addr?: string }; action?: string } };
    try {
      message = JSON.parse(line);
    } catch {
      continue;
    }
    const phase =
      message.type === "apply_start"
        ? "start"
        : message.type === "apply_complete"
          ? "complete"
          : message.type === "apply_errored"
            ? "errored"
            : undefined;
    const address = message.hook?.resource?.addr;
    // Data sources are read, not changed: they are no part of what an apply did to the deployment.
    if (phase && address && !address.startsWith("data.")) events.push({ address, phase, action: message.hook?.action ?? "" });
  }
  return events;
}

const STARTS: Record<string, string> = { Creating: "create", Modifying: "update", Destroying: "delete" };
const COMPLETES: Record<string, string> = { Creation: "create", Modifications: "update", Destruction: "delete" };

/** Events of the human apply log (`cdktf deploy`, `terraform apply`), colours and stack prefixes removed. */
export function eventsFromTextLog(text: string): ApplyEvent[] {
  const events: ApplyEvent[] = [];
  // eslint-disable-next-line no-control-regex
  for (const raw of text.replace(/\x1b\[[0-9;]*m/g, "").split("\n")) {
    // cdktf adds the construct path after the address: "aws_x.y (Router/Rules/x): Creating...".
    const start = /(\S+)(?: \([^)]*\))?: (Creating|Modifying|Destroying)\.\.\./.exec(raw);
    if (start) {
      events.push({ address: start[1], phase: "start", action: STARTS[start[2]] });
      continue;
    }
    const complete = /(\S+)(?: \([^)]*\))?: (Creation|Modifications|Destruction) complete after/.exec(raw);
    if (complete) events.push({ address: complete[1], phase: "complete", action: COMPLETES[complete[2]] });
  }
  return events;
}

function refId(reference: unknown, type: string): string | undefined {
  return new RegExp(`^\\$\\{${type}\\.([^.}]+)\\.`).exec(String(reference))?.[1];
}

/** Target group IDs an action forwards to with a weight above 0. */
function receivingGroups(actions: any[] | undefined): string[] {
  return (actions ?? []).flatMap((a) =>
    (a.forward?.target_group ?? []).filter((g: any) => (g.weight ?? 1) > 0).map((g: any) => refId(g.arn, "aws_lb_target_group")!),
  );
}

export interface OrderCheck {
  /** "rule X after group Y" pairs whose order the log showed. */
  readonly checked: readonly string[];
  /** Pairs in the wrong order. */
  readonly violations: readonly string[];
}

/**
 * Checks two promises of the router against an apply log, for every resource the apply touched:
 * - a listener rule, or a listener's default action, that forwards traffic to a fleet starts only
 *   after the fleet's Auto Scaling groups (every group in that target group) completed;
 * - a fleet's Auto Scaling group starts only after the anchor rule that attaches its target group
 *   to the load balancer completed (otherwise its health wait could never end).
 * Pairs whose two sides were not both in this apply are not checked.
 */
export function checkTrafficOrder(json: TerraformJson, events: readonly ApplyEvent[]): OrderCheck {
  const firstStart = new Map<string, number>();
  const lastComplete = new Map<string, number>();
  events.forEach((e, i) => {
    if (e.phase === "start" && !firstStart.has(e.address)) firstStart.set(e.address, i);
    if (e.phase === "complete") lastComplete.set(e.address, i);
  });
  const groupsOfTarget = new Map<string, string[]>();
  for (const [id, asg] of Object.entries(json.resource?.aws_autoscaling_group ?? {})) {
    for (const ref of (asg as any).target_group_arns ?? []) {
      const tg = refId(ref, "aws_lb_target_group")!;
      groupsOfTarget.set(tg, [...(groupsOfTarget.get(tg) ?? []), `aws_autoscaling_group.${id}`]);
    }
  }
  const checked: string[] = [];
  const violations: string[] = [];
  const expectAfter = (later: string, earlier: string, why: string) => {
    const start = firstStart.get(later);
    const done = lastComplete.get(earlier);
    if (start === undefined || done === undefined) return;
    const pair = `${later} after ${earlier} (${why})`;
    checked.push(pair);
    if (start < done) violations.push(pair);
  };

  const listeners = json.resource?.aws_lb_listener ?? {};
  const anchorListener = Object.keys(listeners).find((id) => (listeners[id] as any).port === ANCHOR_LISTENER_PORT);
  for (const [id, rule] of Object.entries(json.resource?.aws_lb_listener_rule ?? {})) {
    const anchor = refId((rule as any).listener_arn, "aws_lb_listener") === anchorListener;
    for (const tg of receivingGroups((rule as any).action)) {
      for (const asg of groupsOfTarget.get(tg) ?? []) {
        if (anchor) expectAfter(asg, `aws_lb_listener_rule.${id}`, "a group waits for the anchor that attaches its target group");
        else expectAfter(`aws_lb_listener_rule.${id}`, asg, "a rule sends traffic only to a ready fleet");
      }
    }
  }
  for (const [id, listener] of Object.entries(listeners)) {
    for (const tg of receivingGroups((listener as any).default_action)) {
      for (const asg of groupsOfTarget.get(tg) ?? [])
        expectAfter(`aws_lb_listener.${id}`, asg, "the default action sends traffic only to a ready fleet");
    }
  }
  return { checked, violations };
}
