/**
 * The policy pack's entry point, modelled on cdk-nag: an Aspect visits every resource of the
 * scope (ours and the user's); an unsuppressed finding fails synth with the rule id and the fix.
 *
 *   AppFleetsPolicy.applyTo(app);   // after the stacks are defined
 *   synthAtomically(app);
 */
import { App, Aspects, IAspect, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { PolicyCheck, PolicyCheckOptions } from "./policy-check";
import { isTerraformBlock } from "./read-resources";
import { APP_FLEETS_RULES } from "./rules";
import { PolicyRule } from "./types";

export type AppFleetsPolicyOptions = PolicyCheckOptions;

export class AppFleetsPolicy implements IAspect {
  /** Every built-in rule with its metadata (id, checks, mirrored scanner ids, fix). */
  static readonly rules: readonly PolicyRule[] = APP_FLEETS_RULES;

  /**
   * Applies the pack to an app (every stack it holds now), a stack, or any construct in a stack.
   * Aspects on an App never reach its stacks in cdktf, so for an app the aspect goes on each
   * stack, and an app validation fails synth for a stack added afterwards.
   */
  static applyTo(scope: IConstruct, options: AppFleetsPolicyOptions = {}): AppFleetsPolicy {
    const policy = new AppFleetsPolicy(options);
    if (App.isApp(scope)) {
      const stacks = scope.node.findAll().filter(TerraformStack.isStack);
      for (const stack of stacks) policy.install(stack);
      scope.node.addValidation({
        validate: () =>
          scope.node
            .findAll()
            .filter(TerraformStack.isStack)
            .filter((s) => !stacks.includes(s) && !(s.node.tryFindChild("AppFleetsPolicy") instanceof PolicyCheck))
            .map(
              (s) =>
                `stack "${s.node.path}" was created after AppFleetsPolicy.applyTo(app), so the policy pack did not check it. ` +
                "Fix: call AppFleetsPolicy.applyTo(app) after defining every stack",
            ),
      });
    } else {
      policy.install(scope);
    }
    return policy;
  }

  private constructor(private readonly options: AppFleetsPolicyOptions) {}

  private install(scope: IConstruct): void {
    PolicyCheck.of(TerraformStack.of(scope), this.options);
    Aspects.of(scope).add(this);
  }

  visit(node: IConstruct): void {
    if (isTerraformBlock(node)) PolicyCheck.of(TerraformStack.of(node), this.options).record(node);
  }
}
