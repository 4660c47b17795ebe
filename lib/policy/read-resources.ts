/**
 * Turns cdktf resources and data sources into `PolicyResource`s: the attributes they will
 * synthesize, with `addOverride` escape hatches merged in and references resolved to
 * "${type.name.attr}" strings, exactly as they will appear in cdk.tf.json.
 */
import { DefaultTokenResolver, StringConcat, TerraformElement, TerraformStack, Tokenization } from "cdktf";
import { IConstruct } from "constructs";
import { PolicyResource } from "./types";

/** True for resources and data sources (anything with a Terraform type). */
export function isTerraformBlock(node: IConstruct): node is TerraformElement & { terraformResourceType: string } {
  return (
    TerraformElement.isTerraformElement(node) && typeof (node as { terraformResourceType?: unknown }).terraformResourceType === "string"
  );
}

// The resolver cdktf itself uses when it writes cdk.tf.json.
const RESOLVER = new DefaultTokenResolver(new StringConcat());

/** The resource as Terraform will see it, or undefined for a resource that was moved away. */
export function readResource(stack: TerraformStack, element: TerraformElement): PolicyResource | undefined {
  const synthesized = Tokenization.resolve(element.toTerraform(), { scope: stack, preparing: false, resolver: RESOLVER }) as {
    resource?: Record<string, Record<string, Record<string, unknown>>>;
    data?: Record<string, Record<string, Record<string, unknown>>>;
  };
  for (const mode of ["resource", "data"] as const) {
    const byType = synthesized[mode];
    if (!byType) continue;
    for (const [type, byName] of Object.entries(byType)) {
      for (const [name, attrs] of Object.entries(byName ?? {})) {
        const { "//": _comment, ...attributes } = attrs ?? {};
        const address = mode === "data" ? `data.${type}.${name}` : `${type}.${name}`;
        return { mode: mode === "data" ? "data" : "managed", type, name, address, path: element.node.path, attributes };
      }
    }
  }
  return undefined;
}

/** Every resource and data source of the stack. */
export function readStack(stack: TerraformStack): Map<IConstruct, PolicyResource> {
  const read = new Map<IConstruct, PolicyResource>();
  for (const node of stack.node.findAll()) {
    if (!isTerraformBlock(node) || TerraformStack.of(node) !== stack) continue;
    const resource = readResource(stack, node);
    if (resource) read.set(node, resource);
  }
  return read;
}

/** The stack's locals as Terraform will see them, by name. */
export function readLocals(stack: TerraformStack): Record<string, unknown> {
  const locals: Record<string, unknown> = {};
  for (const node of stack.node.findAll()) {
    // A TerraformLocal, recognised by shape: `instanceof` fails across two copies of cdktf.
    if (!TerraformElement.isTerraformElement(node) || !("asStringMap" in node) || TerraformStack.of(node) !== stack) continue;
    const synthesized = Tokenization.resolve(node.toTerraform(), { scope: stack, preparing: false, resolver: RESOLVER }) as {
      locals?: Record<string, unknown>;
    };
    Object.assign(locals, synthesized.locals ?? {});
  }
  return locals;
}
