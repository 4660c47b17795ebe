import type { RouteTarget, RoutingTable } from "../../../lib/routing/types";

export const rails3: RouteTarget = { name: "rails3" };
export const rails4: RouteTarget = { name: "rails4" };

/** The parallel run's table: rails4 takes /hoge and /fuga 9:1, /hoge/legacy goes back to rails3. */
export function seedTable(extra: Partial<RoutingTable> = {}): RoutingTable {
  return {
    default: rails3,
    overrideHeader: { name: "X-Backend-Version", values: { "3": rails3, "4": rails4 } },
    hostPins: [
      { hosts: ["assets3.example.com"], fleet: rails3 },
      { hosts: ["assets4.example.com"], fleet: rails4 },
    ],
    routes: [
      {
        name: "hoge",
        match: { paths: ["/hoge/*", "/fuga/*"] },
        to: {
          weights: [
            { fleet: rails4, weight: 9 },
            { fleet: rails3, weight: 1 },
          ],
        },
      },
      { name: "hoge-legacy", match: { paths: ["/hoge/legacy/*"] }, to: rails3 },
      { name: "admin-piyo", match: { paths: ["/admin/piyo*"] }, to: rails4 },
    ],
    ...extra,
  };
}
