/** A small argv parser, enough for our subcommands: no dependency for a handful of options. */

export interface OptionSpec {
  /** Long name without dashes, e.g. "table". */
  readonly name: string;
  /** Short letter, e.g. "X" for -X. */
  readonly short?: string;
  /** Whether the option takes a value (`--table FILE` or `--table=FILE`). @default false */
  readonly value?: boolean;
  /** Whether it may be given more than once. @default false */
  readonly repeat?: boolean;
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  /** Option name to its values (flags get one empty string per occurrence). */
  readonly options: ReadonlyMap<string, readonly string[]>;
}

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs | { readonly error: string } {
  const positionals: string[] = [];
  const options = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
      spec = specs.find((s) => s.name === name);
    } else if (arg.startsWith("-") && arg.length > 1) {
      spec = specs.find((s) => s.short === arg[1]);
      if (arg.length > 2) inline = arg.slice(2).replace(/^=/, "");
    } else {
      positionals.push(arg);
      continue;
    }
    if (!spec) return { error: `unknown option ${arg}` };
    let value = "";
    if (spec.value) {
      if (inline !== undefined) value = inline;
      else if (i + 1 < argv.length) value = argv[++i];
      else return { error: `option --${spec.name} needs a value` };
    } else if (inline !== undefined) {
      return { error: `option --${spec.name} takes no value` };
    }
    const seen = options.get(spec.name) ?? [];
    if (seen.length > 0 && !spec.repeat) return { error: `option --${spec.name} given twice` };
    options.set(spec.name, [...seen, value]);
  }
  return { positionals, options };
}
