/** Synthesizes stacks in memory and reads resources back by type, with snake_case keys as Terraform sees them. */
import { App, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "../../lib/aws/resources";

export type TerraformJson = {
  resource?: Record<string, Record<string, Record<string, any>>>;
  data?: Record<string, Record<string, Record<string, any>>>;
  output?: Record<string, { value: unknown; description?: string }>;
  provider?: Record<string, unknown>;
  terraform?: Record<string, any>;
};

/** Synthesizes one stack, running validations like `cdktf synth` does. */
export function synthJson(stack: TerraformStack): TerraformJson {
  return JSON.parse(Testing.synth(stack, true)) as TerraformJson;
}

/** All resources of a type, keyed by logical ID. */
export function resourcesOf(json: TerraformJson, type: string): Record<string, Record<string, any>> {
  return json.resource?.[type] ?? {};
}

/** The single resource of a type; fails the test when there is not exactly one. */
export function onlyResource(json: TerraformJson, type: string): Record<string, any> {
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** A stack with an AWS provider, ready for constructs under test. */
export function newStack(id = "test", region = "ap-northeast-1"): { app: App; stack: TerraformStack } {
  const app = Testing.app();
  const stack = new TerraformStack(app, id);
  new AwsProvider(stack, "aws", { region });
  return { app, stack };
}

export function buildStack(build: (scope: Construct) => void, id = "test"): TerraformJson {
  const { stack } = newStack(id);
  build(stack);
  return synthJson(stack);
}
