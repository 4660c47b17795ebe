/**
 * How many instances CodeDeploy updates at once during an in-place deployment.
 * An enum-like class, so `DeploymentConfig.` lists every choice.
 */
export class DeploymentConfig {
  /** One instance at a time: the slowest and safest (CodeDeployDefault.OneAtATime). */
  static oneAtATime(): DeploymentConfig {
    return new DeploymentConfig("CodeDeployDefault.OneAtATime");
  }

  /** Half of the instances at a time (CodeDeployDefault.HalfAtATime). */
  static halfAtATime(): DeploymentConfig {
    return new DeploymentConfig("CodeDeployDefault.HalfAtATime");
  }

  /** Every instance at once: for staging, or when a short outage is acceptable (CodeDeployDefault.AllAtOnce). */
  static allAtOnce(): DeploymentConfig {
    return new DeploymentConfig("CodeDeployDefault.AllAtOnce");
  }

  /** Keeps at least `percent` % of the fleet healthy; creates a custom deployment config. */
  static minimumHealthyPercent(percent: number): DeploymentConfig {
    return new DeploymentConfig(undefined, percent);
  }

  private constructor(
    /** A predefined config name, when this is one. */
    readonly predefinedName: string | undefined,
    /** The minimum healthy share of the fleet, for a custom config. */
    readonly minimumHealthyPercent?: number,
  ) {}
}
