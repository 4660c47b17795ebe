/**
 * Property tests over the layouts' configuration files: edits a user could make to the
 * example configurations. Valid edits build the stack; each broken edit fails with a
 * ConfigError whose message names the file and the field.
 */
import { Testing } from "cdktf";
import fc from "fast-check";
import { ConfigError } from "../../lib/core/errors";
import { parseLayoutConfig } from "../../stacks/config/load-config";
import { BlueGreenConfig, layoutConfigSchema, TwoVersionConfig } from "../../stacks/config/layout-config";
import { BlueGreenStack } from "../../stacks/layouts/blue-green-stack";
import { TwoVersionStack } from "../../stacks/layouts/two-version-stack";
import { exampleJson } from "../support/layouts";
import { synthJson, TerraformJson } from "../support/synth";
import { pathText, renameKey, setAt, settingKeys, stringPlaces, type Path } from "./config-schema-walk";
import { PURE_RUNS, RunCounter, SYNTH_SAMPLE } from "./property-runs";

const counter = new RunCounter();
afterAll(() => {
  // eslint-disable-next-line no-console
  console.log(counter.summary("layout-config"));
});

const TWO_VERSION = "two-version.staging.json";
const BLUE_GREEN = "blue-green.production.json";

/** Builds the stack a raw configuration describes; throws what the user would see. */
function build(raw: any, file: string = raw.layout === "two-version" ? TWO_VERSION : BLUE_GREEN): TerraformJson {
  const config = parseLayoutConfig(raw, file);
  const app = Testing.app();
  const stack =
    config.layout === "two-version"
      ? new TwoVersionStack(app, "t", config as TwoVersionConfig, file)
      : new BlueGreenStack(app, "b", config as BlueGreenConfig, file);
  return synthJson(stack);
}

const capacity = fc
  .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 10 }))
  .map(([min, extraDesired, extraMax]) => ({ min, desired: min + extraDesired, max: min + extraDesired + extraMax }));

const weights = fc
  .tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 999 }))
  .filter(([a, b]) => a + b > 0)
  .map(([a, b]) => [
    { fleet: "rails3", weight: a },
    { fleet: "rails4", weight: b },
  ]);

const stage = fc.oneof(
  fc.constantFrom("blue", "green"),
  fc
    .tuple(fc.constantFrom("blue", "green"), fc.constantFrom("canary", "split"), fc.integer({ min: 1, max: 99 }))
    .map(([c, k, p]) => `${c}-${k}-${p}`),
);

/** A valid edit: new capacities, weights for the 9:1 route, a maintenance switch, or a Blue/Green stage. */
const validEdit = fc.oneof(
  fc.record({ rails3: capacity, rails4: capacity, split: weights, maintenance: fc.boolean() }).map((e) => {
    const raw = exampleJson(TWO_VERSION);
    // A fixed desired count: the examples' fleets scale, which refuses capacity.desired.
    for (const fleet of ["rails3", "rails4"]) delete raw.fleets[fleet].scaling;
    raw.fleets.rails3.capacity = e.rails3;
    raw.fleets.rails4.capacity = e.rails4;
    raw.routing.routes[0].to.weights = e.split;
    raw.routing.maintenance.enabled = e.maintenance;
    return raw;
  }),
  fc.record({ blue: capacity, green: capacity, stage, maintenance: fc.boolean() }).map((e) => {
    const raw = exampleJson(BLUE_GREEN);
    for (const fleet of ["blue", "green"]) delete raw.fleets[fleet].scaling;
    raw.fleets.blue.capacity = e.blue;
    raw.fleets.green.capacity = e.green;
    raw.traffic.stage = e.stage;
    raw.maintenance.enabled = e.maintenance;
    return raw;
  }),
);

/** A broken edit of the two-version example, with the field its message must name. */
const brokenEdit: fc.Arbitrary<{ kind: string; raw: any; field: RegExp }> = fc.oneof(
  fc.constantFrom("instancetype", "imageID", "capcity", "healthcheck").map((key) => {
    const raw = exampleJson(TWO_VERSION);
    raw.fleets.rails4[key] = 1;
    return { kind: "unknown key", raw, field: new RegExp(`fleets\\.rails4\\.${key}`) };
  }),
  fc.integer({ min: 1, max: 5 }).map((n) => {
    const raw = exampleJson(TWO_VERSION);
    delete raw.fleets.rails3.scaling;
    raw.fleets.rails3.capacity = { min: n + 1, desired: n, max: n + 2 };
    return { kind: "capacities inverted", raw, field: /rails3.*capacity\.min/ };
  }),
  fc.oneof(fc.integer({ min: 1000, max: 100000 }), fc.integer({ min: -1000, max: -1 })).map((w) => {
    const raw = exampleJson(TWO_VERSION);
    raw.routing.routes[0].to.weights[0].weight = w;
    return { kind: "weight out of range", raw, field: /routes\[0\]|hoge-fuga/ };
  }),
  fc.constant(0).map(() => {
    const raw = exampleJson(TWO_VERSION);
    raw.routing.routes[0].to.weights = [
      { fleet: "rails3", weight: 0 },
      { fleet: "rails4", weight: 0 },
    ];
    return { kind: "all weights zero", raw, field: /routes\[0\]|hoge-fuga/ };
  }),
  fc
    .stringMatching(/^[a-z][a-z0-9]{2,8}$/)
    .filter((n) => n !== "rails3" && n !== "rails4")
    .map((name) => {
      const raw = exampleJson(TWO_VERSION);
      raw.routing.default = name;
      return { kind: "unknown fleet", raw, field: /routing\.default/ };
    }),
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 33, max: 99 })).map(([octet, bits]) => {
    const raw = exampleJson(TWO_VERSION);
    raw.loadBalancer.ingressCidrs = [`10.${octet}.0.0/${bits}`];
    return { kind: "malformed CIDR", raw, field: /loadBalancer\.ingressCidrs\[0\]/ };
  }),
  fc.constant(0).map(() => {
    const raw = exampleJson(TWO_VERSION);
    raw.network.privateSubnetIds = [];
    return { kind: "empty subnet list", raw, field: /network\.privateSubnetIds/ };
  }),
  fc.constant(0).map(() => {
    const raw = exampleJson(TWO_VERSION);
    raw.routing.routes.push({ ...raw.routing.routes[0] });
    return { kind: "duplicate route", raw, field: /hoge-fuga/ };
  }),
  fc
    .stringMatching(/^[a-z0-9-]{1,12}$/)
    .filter((s) => !/^(blue|green)(-(canary|split)-([1-9]|[1-9][0-9]))?$/.test(s))
    .map((bad) => {
      const raw = exampleJson(BLUE_GREEN);
      raw.traffic.stage = bad;
      return { kind: "bad stage", raw, field: /traffic\.stage/ };
    }),
  fc.constantFrom("a".repeat(40), "Rails_4", "-x").map((name) => {
    const raw = exampleJson(TWO_VERSION);
    raw.fleets[name] = raw.fleets.rails4;
    return { kind: "bad fleet name", raw, field: /name/ };
  }),
);

test("valid edits of the example configurations build their stacks", () => {
  fc.assert(
    fc.property(validEdit, (raw) => {
      counter.hit("valid edit builds");
      build(raw);
    }),
    { numRuns: SYNTH_SAMPLE },
  );
});

test("every broken edit fails with a ConfigError naming the file and the field", () => {
  fc.assert(
    fc.property(brokenEdit, ({ kind, raw, field }) => {
      counter.hit(`broken: ${kind}`);
      let error: unknown;
      try {
        build(raw);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toMatch(field);
      expect(message).toMatch(/\.json|AppServerGroup|TrafficRouter/);
    }),
    { numRuns: PURE_RUNS },
  );
});

// ---- every key, every string ----

const EXAMPLES = [TWO_VERSION, BLUE_GREEN] as const;

/** A typo of a key: a letter dropped, doubled, swapped with the next, or its case flipped; never another key. */
const typoOf = (key: string, siblings: readonly string[]): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom("drop", "double", "swap", "case", "underscore"), fc.nat({ max: Math.max(0, key.length - 1) }))
    .map(([kind, i]) => {
      const at = Math.min(i, key.length - 1);
      switch (kind) {
        case "drop":
          return key.length > 1 ? key.slice(0, at) + key.slice(at + 1) : `${key}x`;
        case "double":
          return key.slice(0, at + 1) + key.slice(at);
        case "swap":
          return at + 1 < key.length ? key.slice(0, at) + key[at + 1] + key[at] + key.slice(at + 2) : `${key}s`;
        case "case": {
          const c = key[at];
          const flipped = c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
          return flipped === c ? `${key}_` : key.slice(0, at) + flipped + key.slice(at + 1);
        }
        default:
          return `${key.slice(0, at)}_${key.slice(at)}`;
      }
    })
    .filter((typo) => typo !== key && !siblings.includes(typo));

test("a misspelt key is refused naming the misspelt key, for every key of every example at every depth", () => {
  for (const file of EXAMPLES) {
    const keys = settingKeys(layoutConfigSchema, exampleJson(file));
    expect(keys.length).toBeGreaterThan(40);
    for (const { path, siblings } of keys) {
      const key = String(path[path.length - 1]);
      for (const typo of fc.sample(typoOf(key, siblings), { numRuns: 2, seed: Number(process.env.PROPERTY_SEED ?? 42) })) {
        counter.hit("misspelt key refused");
        const raw = exampleJson(file);
        renameKey(raw, path, typo);
        const misspelt: Path = [...path.slice(0, -1), typo];
        let error: unknown;
        try {
          parseLayoutConfig(raw, file);
        } catch (e) {
          error = e;
        }
        expect({ key: pathText(path), typo, error }).toEqual({ key: pathText(path), typo, error: expect.any(ConfigError) });
        const fields = (error as ConfigError).violations.map((v) => v.field);
        expect({ key: pathText(path), fields }).toEqual({
          key: pathText(path),
          fields: expect.arrayContaining([`${file}: ${pathText(misspelt)}`]),
        });
      }
    }
  }
});

/** Probe `id`: a Terraform expression (an interpolation or a directive) that names itself. */
const expression = (id: string) =>
  fc.oneof(
    fc.constantFrom(`\${file("/etc/${id}")}`, `%{ if true }${id}%{ endif }`, `\${path.cwd}${id}`, `a \${upper("${id}")} c`),
    fc.stringMatching(/^[a-z]{1,8}$/).map((w) => `\${${w}("${id}")}`),
  );

/** Interpolations and directives Terraform would evaluate in a string (an escaped `$${`/`%%{` is literal text). */
function evaluatedParts(text: string): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith("$${", i) || text.startsWith("%%{", i)) {
      i += 2;
    } else if (text.startsWith("${", i) || text.startsWith("%{", i)) {
      const end = text.indexOf("}", i);
      parts.push(text.slice(i, end < 0 ? undefined : end + 1));
    }
  }
  return parts;
}

function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => allStrings(v, out));
  else if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) (out.push(k), allStrings(v, out));
  return out;
}

test("every string of every example set to a Terraform expression is refused naming it, or reaches Terraform escaped", () => {
  const seed = Number(process.env.PROPERTY_SEED ?? 7);
  for (const file of EXAMPLES) {
    const base = exampleJson(file);
    // Maintenance on, so its page, redirect and bypass header reach listener rules.
    (file === TWO_VERSION ? base.routing : base).maintenance.enabled = true;
    const places = stringPlaces(layoutConfigSchema, base);
    expect(places.length).toBeGreaterThan(25);
    const accepted: { path: Path; isKey: boolean; probe: string }[] = [];
    places.forEach(({ path, isKey }, i) => {
      const [probe] = fc.sample(expression(`PROBE${i}X`), { numRuns: 1, seed: seed + i });
      const raw = JSON.parse(JSON.stringify(base));
      if (isKey) renameKey(raw, path, probe);
      else setAt(raw, path, probe);
      const edited: Path = isKey ? [...path.slice(0, -1), probe] : path;
      try {
        parseLayoutConfig(raw, file);
        accepted.push({ path, isKey, probe });
      } catch (error) {
        counter.hit("expression refused");
        expect({ field: pathText(edited), error }).toEqual({ field: pathText(edited), error: expect.any(ConfigError) });
        const fields = (error as ConfigError).violations.map((v) => v.field);
        expect({ field: pathText(edited), named: fields.includes(`${file}: ${pathText(edited)}`) }).toEqual({
          field: pathText(edited),
          named: true,
        });
      }
    });
    // Every accepted expression at once, each naming itself: one synth shows which one, if any, is evaluated.
    const raw = JSON.parse(JSON.stringify(base));
    for (const { path, isKey, probe } of accepted) if (!isKey) setAt(raw, path, probe);
    for (const { path, isKey, probe } of [...accepted].sort((a, b) => b.path.length - a.path.length))
      if (isKey) renameKey(raw, path, probe);
    const evaluated = allStrings(build(raw, file))
      .flatMap(evaluatedParts)
      .flatMap((part) => accepted.filter((a) => part.includes(a.probe.match(/PROBE\d+X/)![0])).map((a) => `${pathText(a.path)}: ${part}`));
    accepted.forEach(() => counter.hit("expression escaped"));
    expect({ file, evaluated }).toEqual({ file, evaluated: [] });
    expect(accepted.length).toBeGreaterThan(4);
  }
});

/** Every path of a JSON value. */
function allPaths(value: unknown, path: Path = []): Path[] {
  const out: Path[] = [path];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...allPaths(v, [...path, i])));
  else if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) out.push(...allPaths(v, [...path, k]));
  return out;
}

test("no edit of an example crashes: it builds, or fails with a ConfigError naming the file", () => {
  const oddValue = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom("__proto__", "constructor", "", "${x}", "%{x}", -1, 0, 0.5, 1e308, null, [], {}),
  );
  fc.assert(
    fc.property(fc.constantFrom(...EXAMPLES), fc.nat(), oddValue, fc.constantFrom("replace", "delete", "add"), (file, n, value, op) => {
      const raw = exampleJson(file);
      const paths = allPaths(raw).filter((p) => p.length > 0);
      const path = paths[n % paths.length];
      let parent: any = raw;
      for (const part of path.slice(0, -1)) parent = parent[part];
      const last = path[path.length - 1];
      if (op === "replace") parent[last] = value;
      else if (op === "delete") Array.isArray(parent) ? parent.splice(last as number, 1) : delete parent[last];
      else if (typeof parent[last] === "object" && parent[last] !== null && !Array.isArray(parent[last])) {
        Object.defineProperty(parent[last], typeof value === "string" && value !== "" ? value : "extra", {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else parent[last] = value;
      try {
        // Constructing is enough: every check runs before any resource exists (synth is covered above).
        const config = parseLayoutConfig(raw, file);
        if (config.layout === "two-version") new TwoVersionStack(Testing.app(), "t", config, file);
        else new BlueGreenStack(Testing.app(), "b", config, file);
        counter.hit("odd edit builds");
      } catch (e) {
        counter.hit("odd edit refused");
        expect(e).toBeInstanceOf(ConfigError);
        expect((e as Error).message).toContain(file);
        expect((e as Error).message.length).toBeLessThan(20_000);
      }
    }),
    { numRuns: PURE_RUNS },
  );
});
