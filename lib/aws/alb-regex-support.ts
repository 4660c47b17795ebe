/**
 * ALB regex path conditions (`regex_values`) exist from AWS provider 6.19, i.e. @cdktf/provider-aws
 * 21.x; the pinned 20.1.0 binding silently drops the field. We detect support by feature, not by
 * version: the binding's own converter must emit `regex_values` for a condition that sets it.
 * It lives beside the bindings (lib/aws); the pure nginx importer (lib/routing/nginx-import.ts)
 * takes the answer as an option, so routing never loads the provider.
 */

/** The binding's converter for a path-pattern condition block, or undefined if it cannot be loaded. */
export type PathPatternConverter = (struct: Record<string, unknown>) => unknown;

function installedConverter(): PathPatternConverter | undefined {
  try {
    // Loaded lazily: the bindings load only when someone asks this question.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const resources = require("./resources") as { lbListenerRuleConditionPathPatternToTerraform?: PathPatternConverter };
    return resources.lbListenerRuleConditionPathPatternToTerraform;
  } catch {
    return undefined;
  }
}

/** Whether the installed @cdktf/provider-aws can express ALB regex path conditions. */
export function albRegexConditionsSupported(converter: PathPatternConverter | undefined = installedConverter()): boolean {
  if (!converter) return false;
  try {
    const out = converter({ values: [], regexValues: ["^/probe"] }) as Record<string, unknown> | undefined;
    return Array.isArray(out?.regex_values);
  } catch {
    return false;
  }
}
