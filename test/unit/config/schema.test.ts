/** The schema toolkit: strict keys, exact types, limits, and messages a person can act on. */
import { FieldLocation, Violations } from "../../../lib/core/errors";
import { checkAgainst, LIMITS, s } from "../../../lib/config/schema";
import { closestKey } from "../../../lib/config/suggest";

const fleet = s.object({
  imageId: s.name({ maxChars: 64 }).example('"ami-0123456789abcdef0"'),
  capacity: s.object({ min: s.integer().optional(), max: s.integer().optional() }).optional(),
  userData: s.string({ maxChars: LIMITS.userDataChars }).optional(),
  tags: s.record(s.string(), { keyName: "tag key" }).optional(),
  paths: s.array(s.name({ maxChars: 128 })).optional(),
  enabled: s.boolean().optional(),
});

function problems(value: unknown): string[] {
  const v = new Violations();
  checkAgainst(fleet, value, FieldLocation.file("p.json", "fleets.web"), v);
  return v.all.map((x) => `${x.field}: ${x.limit}. Fix: ${x.fix}`);
}

describe("configuration schema", () => {
  test("a valid value passes and keeps its content", () => {
    const v = new Violations();
    const value = { imageId: "ami-1", capacity: { min: 1 }, tags: { a: "b" } };
    expect(checkAgainst(fleet, value, FieldLocation.file("p.json"), v)).toEqual(value);
    expect(v.all).toEqual([]);
  });

  test("unknown keys are errors at every depth, with a suggestion when one is close", () => {
    expect(problems({ imageId: "ami-1", imageID: "x", capacity: { minimum: 1, mx: 2 } })).toEqual([
      'p.json: fleets.web.imageID: is not a known setting. Fix: did you mean "imageId"? (known here: imageId, capacity, userData, tags, paths, enabled)',
      "p.json: fleets.web.capacity.minimum: is not a known setting. Fix: remove it, or use one of: min, max",
      'p.json: fleets.web.capacity.mx: is not a known setting. Fix: did you mean "max"? (known here: min, max)',
    ]);
  });

  test("reserved JavaScript names are refused as keys of objects and maps", () => {
    const value = JSON.parse('{"imageId": "ami-1", "constructor": 1, "tags": {"__proto__": "x", "prototype": "y"}}');
    expect(problems(value)).toEqual([
      "p.json: fleets.web.constructor: is a reserved JavaScript name (__proto__, constructor, prototype) and cannot be a setting. Fix: rename it",
      "p.json: fleets.web.tags.__proto__: is a reserved JavaScript name (__proto__, constructor, prototype) and cannot be a tag key. Fix: rename it",
      "p.json: fleets.web.tags.prototype: is a reserved JavaScript name (__proto__, constructor, prototype) and cannot be a tag key. Fix: rename it",
    ]);
  });

  test("types are exact, with a fix for the usual slips", () => {
    expect(problems({ imageId: 5, capacity: { min: "2", max: 1.5 }, enabled: "true", paths: "/x" })).toEqual([
      'p.json: fleets.web.imageId: must be a string, not a number. Fix: write it in double quotes: "5"',
      "p.json: fleets.web.capacity.min: must be a whole number, not a string. Fix: write it without quotes: 2",
      "p.json: fleets.web.capacity.max: must be a whole number. Fix: use 2",
      'p.json: fleets.web.paths: must be a list, not a string. Fix: put it in a list: ["/x"]',
      "p.json: fleets.web.enabled: must be true or false, not a string. Fix: write true without quotes",
    ]);
  });

  test("required keys are named with an example", () => {
    expect(problems({})).toEqual(['p.json: fleets.web.imageId: is required. Fix: add "imageId": "ami-0123456789abcdef0"']);
  });

  test(`strings are at most ${LIMITS.stringChars} characters, user data ${LIMITS.userDataChars}, lists ${LIMITS.listItems} items, maps ${LIMITS.mapEntries} entries`, () => {
    expect(problems({ imageId: "ami-1", tags: { a: "x".repeat(LIMITS.stringChars) }, userData: "x".repeat(LIMITS.userDataChars) })).toEqual(
      [],
    );
    expect(problems({ imageId: "ami-1", tags: { a: "x".repeat(LIMITS.stringChars + 1) } })).toEqual([
      `p.json: fleets.web.tags.a: is ${LIMITS.stringChars + 1} characters; at most ${LIMITS.stringChars} are allowed. Fix: shorten it`,
    ]);
    expect(problems({ imageId: "ami-1", userData: "x".repeat(LIMITS.userDataChars + 1) })).toHaveLength(1);
    expect(problems({ imageId: "ami-1", paths: Array.from({ length: LIMITS.listItems }, () => "/x") })).toEqual([]);
    expect(problems({ imageId: "ami-1", paths: Array.from({ length: LIMITS.listItems + 1 }, () => "/x") })).toEqual([
      `p.json: fleets.web.paths: is more than ${LIMITS.listItems} items. Fix: list at most ${LIMITS.listItems}`,
    ]);
    const tags = Object.fromEntries(Array.from({ length: LIMITS.mapEntries + 1 }, (_, i) => [`t${i}`, "x"]));
    expect(problems({ imageId: "ami-1", tags })).toEqual([
      `p.json: fleets.web.tags: is more than ${LIMITS.mapEntries} entries. Fix: keep at most ${LIMITS.mapEntries}`,
    ]);
  });

  test("names may not hold Terraform expressions; free text may (it is escaped where it reaches Terraform)", () => {
    expect(problems({ imageId: "${var.ami}", tags: { a: "${var.ami}" } })).toEqual([
      'p.json: fleets.web.imageId: contains "${" or "%{", which Terraform would evaluate as an expression; an ID, ARN, name or path never contains them. Fix: write the literal value',
    ]);
  });

  test("value rules run once the shape is right, even when another part is wrong", () => {
    const cidr = s.object({
      a: s.name().rule((value, at) => at.v.check(value === "ok", at.field, value, "is not ok", "write ok")),
      b: s.integer(),
    });
    const v = new Violations();
    expect(checkAgainst(cidr, { a: "bad", b: "1" }, FieldLocation.file("p.json"), v)).toBeUndefined();
    expect(v.all.map((x) => x.field)).toEqual(["p.json: b", "p.json: a"]);
  });

  test("did-you-mean finds case, separator and small spelling slips, and stays quiet otherwise", () => {
    const keys = ["instanceType", "healthCheck", "capacity", "drainCommand", "protocol", "bypass"];
    expect(closestKey("instance_type", keys)).toBe("instanceType");
    expect(closestKey("HealthCheck", keys)).toBe("healthCheck");
    expect(closestKey("capcity", keys)).toBe("capacity");
    expect(closestKey("drainCommnd", keys)).toBe("drainCommand");
    expect(closestKey("protocl", keys)).toBe("protocol");
    expect(closestKey("bypas", keys)).toBe("bypass");
    expect(closestKey("color", keys)).toBeUndefined();
  });
});
