/**
 * What `explain --live` and `drift` share: which load balancer to read, and the table compiled from
 * the configuration to compare it with. A layout configuration file (`--config`, what `cdktf deploy`
 * deploys) gives both the table and the load balancer's name and region; a routing table file
 * (`--table`) gives the table only, with `--load-balancer` naming the load balancer.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import type { LiveTarget } from "../../lib/live/read-live";
import type { CompiledRouting, RouteTarget } from "../../lib/routing/types";
import type { FleetEnvironmentStack } from "../../stacks/layouts/fleet-environment";
import type { OptionSpec, ParsedArgs } from "./args";
import { loadCompiledTable } from "./load-table";

export const LIVE_OPTIONS: readonly OptionSpec[] = [
  { name: "config", value: true },
  { name: "load-balancer", value: true },
  { name: "region", value: true },
  { name: "port", value: true },
];

export const LIVE_OPTIONS_USAGE = [
  "  --config FILE      layout configuration (what cdktf deploys): the compiled table, the load balancer's",
  "                     name and region come from it",
  "  --load-balancer N  load balancer name (default: from --config; needed with --table)",
  "  --region REGION    AWS region (default: from --config, else AWS_REGION)",
  "  --port N           listener that carries traffic (default 443, or 80 for an HTTP-only router)",
  "  AWS credentials and endpoint come from the environment (AWS_PROFILE, AWS_ACCESS_KEY_ID, AWS_ENDPOINT_URL ...).",
].join("\n");

/** The load balancer to read and, when known, the table it should carry. */
export interface LiveComparison {
  readonly target: LiveTarget;
  /** The compiled table of the configuration, or undefined when none was given. */
  readonly expected?: CompiledRouting<RouteTarget>;
  /** Where the expected table came from, for messages. */
  readonly expectedSource?: string;
}

/**
 * The compiled routing, load balancer name, region and traffic port of a layout configuration file.
 * Built as `cdktf synth` builds it (stacks/build-app.ts), with the configuration's stack lock read but
 * never written: this command only reads, so the priorities are the ones the last synth recorded.
 */
export async function expectedFromConfig(file: string): Promise<{ compiled: CompiledRouting<RouteTarget>; target: LiveTarget }> {
  // Loaded only here: building a stack needs cdktf and the provider bindings, which no other command pays for.
  const [{ App }, { addLayoutStack, loadConfigs, lockFileOf }, { InMemoryStackLock }] = await Promise.all([
    import("cdktf"),
    import("../../stacks/build-app"),
    import("../../lib/lock/stack-lock-store"),
  ]);
  const path = resolve(file);
  const [{ config }] = loadConfigs([path]);
  const lockPath = lockFileOf(path);
  const lock = new InMemoryStackLock(existsSync(lockPath) ? readFileSync(lockPath, "utf8") : undefined, {
    location: lockPath,
    mode: "write",
  });
  const outdir = mkdtempSync(join(tmpdir(), "app-fleets-live-"));
  try {
    const stack = addLayoutStack(new App({ outdir, skipValidation: true }), config, basename(path), {
      lockFile: lock,
    }) as FleetEnvironmentStack;
    const router = stack.router;
    return {
      compiled: router.compiled,
      target: {
        loadBalancerName: router.settings.loadBalancerName,
        region: stack.environment.region,
        port: router.settings.httpOnly ? 80 : 443,
      },
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Resolves the options into what to read and what to compare it with.
 * @param tableRequired whether a table or configuration must be given (drift) or may be absent (explain --live)
 */
export async function resolveLiveComparison(args: ParsedArgs, tableRequired: boolean): Promise<LiveComparison | { error: string }> {
  const config = args.options.get("config")?.[0];
  const table = args.options.get("table")?.[0];
  const loadBalancerName = args.options.get("load-balancer")?.[0];
  const region = args.options.get("region")?.[0];
  const portText = args.options.get("port")?.[0];
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) {
    return { error: `--port = ${JSON.stringify(portText)}: must be a port number (1-65535). Fix: e.g. --port 443` };
  }
  if (config && table)
    return { error: "--config and --table both given: the configuration already holds the routing table. Fix: pass one" };
  if (config) {
    const fromConfig = await expectedFromConfig(config);
    return {
      target: {
        ...fromConfig.target,
        ...(loadBalancerName ? { loadBalancerName } : {}),
        ...(region ? { region } : {}),
        ...(port ? { port } : {}),
      },
      expected: fromConfig.compiled,
      expectedSource: basename(config),
    };
  }
  if (!loadBalancerName) {
    return { error: "no load balancer to read. Fix: pass --config FILE (a layout configuration) or --load-balancer NAME" };
  }
  if (!table && !tableRequired) return { target: { loadBalancerName, region, port } };
  return {
    target: { loadBalancerName, region, port },
    expected: loadCompiledTable(table),
    expectedSource: basename(resolve(table ?? "routing.json")),
  };
}
