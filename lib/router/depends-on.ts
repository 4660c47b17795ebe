/**
 * Adds `depends_on` entries to a resource after it was created, which cdktf only offers
 * through its constructor config.
 */
import { IResolveContext, ITerraformDependable, TerraformResource, Token } from "cdktf";

/**
 * A `depends_on` entry rendered the way cdktf renders constructor `dependsOn`: a bare
 * address (`aws_x.y`), since Terraform rejects an interpolation (`${aws_x.y}`) there.
 */
export function dependsOnEntry(dependable: ITerraformDependable): string {
  return Token.asString({
    creationStack: [],
    resolve: (context: IResolveContext) => {
      context.suppressBraces = true;
      return dependable.fqn;
    },
    toString: () => `depends_on(${dependable.fqn})`,
  });
}

/** Makes `resource` wait for each of `dependables`. */
export function addDependsOn(resource: TerraformResource, dependables: readonly ITerraformDependable[]): void {
  resource.dependsOn = [...(resource.dependsOn ?? []), ...dependables.map(dependsOnEntry)];
}
