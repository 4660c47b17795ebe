/**
 * Lifecycle hooks of one Auto Scaling group and the instance role's right to answer them.
 *
 * Each hook is declared twice, on purpose:
 * - inline (`initial_lifecycle_hook`), so it exists before the group's very first instance
 *   launches; the group ignores later changes to that block, because provider 5.x replaces
 *   the whole group when it changes (hashicorp/terraform-provider-aws#34178, #49226);
 * - as an `aws_autoscaling_lifecycle_hook` with the same name, which carries later changes
 *   (a new heartbeat, a hook added to or removed from an existing group) in place.
 * PutLifecycleHook creates or overwrites by name, so the two never conflict.
 */
import { Construct } from "constructs";
import { AutoscalingGroup, AutoscalingLifecycleHook, IamRole, IamRolePolicy } from "../aws/resources";
import { autoScalingGroupArnPattern, BOOTSTRAP_HOOK_NAME, LifecycleHookSpec, lifecycleActionsPolicy } from "./lifecycle-hooks";

export interface LifecycleActionsProps {
  /** The instance role of the group's instances. */
  readonly role: IamRole;
  readonly partition: string;
  readonly region: string;
  /** The group's deterministic name (not its resource attribute: see `autoScalingGroupArnPattern`). */
  readonly autoScalingGroupName: string;
  readonly hooks: readonly LifecycleHookSpec[];
  /**
   * Let the instances set their own scale-in protection: the drain handler of a stateful fleet
   * lifts it while the fleet retires. @default false
   */
  readonly setInstanceProtection?: boolean;
  /** Let the instances read their own lifecycle state (the bootstrap gate of a fleet with a warm pool). @default false */
  readonly readLifecycleState?: boolean;
}

export class LifecycleActions extends Construct {
  /** What the group must depend on: its instances answer hooks from their first boot. */
  readonly policy: IamRolePolicy;
  readonly hooks: readonly LifecycleHookSpec[];

  constructor(scope: Construct, id: string, props: LifecycleActionsProps) {
    super(scope, id);
    this.hooks = props.hooks;
    this.policy = new IamRolePolicy(this, "Policy", {
      name: `lifecycle-actions-${props.autoScalingGroupName}`,
      role: props.role.id,
      policy: lifecycleActionsPolicy([autoScalingGroupArnPattern(props.partition, props.region, props.autoScalingGroupName)], {
        setInstanceProtection: props.setInstanceProtection,
        readLifecycleState: props.readLifecycleState,
      }),
    });
  }

  /** The `initial_lifecycle_hook` blocks of the group. */
  get initialLifecycleHooks() {
    return this.hooks.map((hook) => ({ ...hook }));
  }

  /** Declares the hooks as their own resources, once the group exists. */
  manage(group: AutoscalingGroup): void {
    for (const hook of this.hooks) {
      new AutoscalingLifecycleHook(this, hook.name === BOOTSTRAP_HOOK_NAME ? "BootstrapHook" : "DrainHook", {
        ...hook,
        autoscalingGroupName: group.name,
      });
    }
  }
}
