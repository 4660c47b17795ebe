/**
 * What a `DeploymentConfig` is: one of CodeDeploy's predefined configs, by name, or a custom
 * config that keeps a minimum share of the fleet healthy.
 */
export type DeploymentConfigChoice =
  { readonly kind: "predefined"; readonly name: string } | { readonly kind: "minimum-healthy-percent"; readonly percent: number };

/**
 * How many instances CodeDeploy updates at once during an in-place deployment.
 * An enum-like class, so `DeploymentConfig.` lists every choice.
 */
export class DeploymentConfig {
  /** One instance at a time: the slowest and safest (CodeDeployDefault.OneAtATime). */
  static oneAtATime(): DeploymentConfig {
    return new DeploymentConfig({ kind: "predefined", name: "CodeDeployDefault.OneAtATime" });
  }

  /** Half of the instances at a time (CodeDeployDefault.HalfAtATime). */
  static halfAtATime(): DeploymentConfig {
    return new DeploymentConfig({ kind: "predefined", name: "CodeDeployDefault.HalfAtATime" });
  }

  /** Every instance at once: for staging, or when a short outage is acceptable (CodeDeployDefault.AllAtOnce). */
  static allAtOnce(): DeploymentConfig {
    return new DeploymentConfig({ kind: "predefined", name: "CodeDeployDefault.AllAtOnce" });
  }

  /** Keeps at least `percent` % of the fleet healthy; creates a custom deployment config. */
  static minimumHealthyPercent(percent: number): DeploymentConfig {
    return new DeploymentConfig({ kind: "minimum-healthy-percent", percent });
  }

  private constructor(
    /** Which config this is. */
    readonly choice: DeploymentConfigChoice,
  ) {}
}
