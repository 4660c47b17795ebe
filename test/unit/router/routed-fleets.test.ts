/** The router's own checks on a compiled table: no traffic to empty fleets, quota with anchors (unique names are the compiler's). */
import { compileRouting } from "../../../lib/routing/compile";
import { CompiledRouting } from "../../../lib/routing/types";
import { checkRoutedFleets, fleetsOf } from "../../../lib/router/routed-fleets";

type Fleet = { name: string; minCapacity: number; targetStickinessSeconds?: number };
const fleet = (name: string, minCapacity = 1, targetStickinessSeconds?: number): Fleet => ({ name, minCapacity, targetStickinessSeconds });

function compiled(rules: { source: string; targets: [Fleet, number][] }[], defaults: [Fleet, number][]): CompiledRouting<Fleet> {
  return {
    rules: rules.map((r, i) => ({
      key: `route-${r.source}`,
      priority: i + 1,
      kind: "route" as const,
      source: r.source,
      conditions: [{ type: "path-pattern" as const, values: [`/${r.source}`] }],
      action: { type: "forward" as const, targets: r.targets.map(([f, weight]) => ({ fleet: f, weight })) },
      receivingFleets: r.targets.filter(([, w]) => w > 0).map(([f]) => f),
    })),
    defaultAction: { type: "forward", targets: defaults.map(([f, weight]) => ({ fleet: f, weight })) },
    fleets: [],
  };
}

const check = (c: CompiledRouting<Fleet>, max = 100) =>
  checkRoutedFleets({ compiled: c, extraRules: fleetsOf(c).length, maxRulesPerLoadBalancer: max, where: 'TrafficRouter "web"' }).all;

describe("routed fleet checks", () => {
  test("fleetsOf lists weight-0 and default fleets too, once each", () => {
    const a = fleet("a");
    const b = fleet("b");
    expect(
      fleetsOf(
        compiled(
          [
            {
              source: "x",
              targets: [
                [a, 1],
                [b, 0],
              ],
            },
          ],
          [[a, 1]],
        ),
      ),
    ).toEqual([a, b]);
  });

  test("two distinct fleets with one name never reach the router: the compiler refuses them, even at weight 0", () => {
    const table = {
      routes: [
        {
          name: "x",
          match: { paths: ["/x"] },
          to: {
            weights: [
              { fleet: fleet("a"), weight: 1 },
              { fleet: fleet("a"), weight: 0 },
            ],
          },
        },
      ],
      default: fleet("b"),
    };
    expect(() => compileRouting(table)).toThrow(/two different fleets share this name/);
  });

  test("weight > 0 to a fleet with capacity.min 0 names the route and the fleet; weight 0 is fine", () => {
    const empty = fleet("empty", 0);
    const a = fleet("a");
    expect(
      check(
        compiled(
          [
            {
              source: "x",
              targets: [
                [a, 1],
                [empty, 0],
              ],
            },
          ],
          [[a, 1]],
        ),
      ),
    ).toEqual([]);
    const [violation] = check(compiled([{ source: "x", targets: [[empty, 5]] }], [[a, 1]]));
    expect(violation.field).toBe('TrafficRouter "web" routing table route "x"');
    expect(violation.value).toBe("empty");
  });

  test("a split over a fleet with target stickiness needs group stickiness, which ALB would otherwise reject at apply", () => {
    const sticky = fleet("sticky", 1, 3600);
    const plain = fleet("plain");
    const violations = check(
      compiled(
        [
          {
            source: "x",
            targets: [
              [sticky, 9],
              [plain, 1],
            ],
          },
        ],
        [[plain, 1]],
      ),
    );
    expect(violations).toEqual([
      expect.objectContaining({
        field: 'TrafficRouter "web" routing table route "x"',
        value: "sticky",
        fix: expect.stringMatching(/add groupStickinessSeconds to the split/),
      }),
    ]);
    const withGroupStickiness = compiled(
      [
        {
          source: "x",
          targets: [
            [sticky, 9],
            [plain, 1],
          ],
        },
      ],
      [[plain, 1]],
    );
    const action = withGroupStickiness.rules[0].action as { groupStickinessSeconds?: number };
    action.groupStickinessSeconds = 600;
    expect(check(withGroupStickiness)).toEqual([]);
    expect(check(compiled([{ source: "y", targets: [[sticky, 1]] }], [[plain, 1]]))).toEqual([]);
  });

  test("anchors count toward the rules quota", () => {
    const a = fleet("a");
    const c = compiled(
      [
        { source: "x", targets: [[a, 1]] },
        { source: "y", targets: [[a, 1]] },
      ],
      [[a, 1]],
    );
    expect(check(c, 3)).toEqual([]);
    expect(check(c, 2).map((v) => v.value)).toEqual([3]);
  });
});
