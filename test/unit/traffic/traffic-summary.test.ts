/** The lines of the `traffic_summary` output and the values of the `fleets` output. */
import { compileRouting } from "../../../lib/routing/compile";
import { fleetSummaries, trafficSummary } from "../../../lib/traffic/traffic-summary";
import { rails4, seedTable } from "../routing/fixtures";

describe("traffic summary", () => {
  const compiled = compileRouting({
    ...seedTable(),
    overrideHeader: { name: "X-Backend-Version", values: { "4": rails4 }, sourceIps: ["203.0.113.0/24"] },
  });

  test("an override header rule names its header once: the kind, then the header with its value", () => {
    const line = trafficSummary(compiled).find((l) => l.includes("X-Backend-Version"))!;
    expect(line).toMatch(/^\[\d+\] override header: X-Backend-Version: 4 & from 203\.0\.113\.0\/24 -> rails4$/);
    expect(line.match(/X-Backend-Version/g)).toHaveLength(1);
  });

  test("routes by name with their conditions and shares, the default last", () => {
    const lines = trafficSummary(compiled);
    expect(lines).toContain(
      `[${compiled.rules.find((r) => r.source === "hoge")!.priority}] hoge: /hoge/* | /fuga/* -> rails4 90%, rails3 10%`,
    );
    expect(lines[lines.length - 1]).toBe("default: -> rails3");
  });

  test("fleet summaries: capacity, image, default share and the rules that reach each fleet; a scaling fleet's desired is 'scaling'", () => {
    const settings = (min: number, scaling?: object) => ({
      capacity: { min, desired: min, max: 4 },
      scaling,
      imageId: "ami-0123456789abcdef0",
    });
    const summaries = fleetSummaries(
      [
        { name: "rails3", settings: settings(2) },
        { name: "rails4", settings: settings(1, {}) },
        { name: "idle", settings: settings(1) },
      ],
      compiled,
    );
    expect(summaries.rails3).toEqual({
      min: 2,
      desired: 2,
      max: 4,
      image_id: "ami-0123456789abcdef0",
      default_percent: 100,
      rules: expect.objectContaining({ hoge: 10, "hoge-legacy": 100 }),
    });
    expect(summaries.rails4).toMatchObject({
      desired: "scaling",
      default_percent: 0,
      rules: expect.objectContaining({ hoge: 90, "admin-piyo": 100 }),
    });
    expect(summaries.idle).toMatchObject({ default_percent: 0, rules: {} });
    expect(Object.keys(summaries)).toEqual(["rails3", "rails4", "idle"]);
  });
});
