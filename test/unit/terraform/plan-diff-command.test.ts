import { parsePlanDiffArgs, runPlanDiffCommand } from "../../../bin/commands/plan-diff";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe("app-fleets plan-diff arguments", () => {
  test("takes a before and an after stack, with options anywhere", () => {
    expect(parsePlanDiffArgs(["--json", "a/cdk.tf.json", "b", "--fail-on=replace,delete"])).toEqual({
      before: "a/cdk.tf.json",
      after: "b",
      json: true,
      all: false,
      failOn: ["replace", "delete"],
      cache: true,
    });
  });

  test("--no-cache builds the baseline even when a converged one is cached", () => {
    expect(parsePlanDiffArgs(["a", "b", "--no-cache"])).toMatchObject({ before: "a", after: "b", cache: false });
  });

  test("rejects a wrong number of stacks, an unknown option and an unknown action", () => {
    expect(parsePlanDiffArgs(["only-one"])).toEqual({ error: "expected two stacks (before and after), got 1" });
    expect(parsePlanDiffArgs(["a", "b", "--colour"])).toEqual({ error: "unknown option --colour" });
    expect(parsePlanDiffArgs(["a", "b", "--fail-on", "destroy"])).toEqual({
      error: expect.stringMatching(
        /^--fail-on = "destroy": must list create, update, replace or delete.*Fix: e\.g\. --fail-on=replace,delete$/,
      ),
    });
  });

  test("bad arguments exit 2 with the usage, before any terraform runs", async () => {
    const { io, out, err } = capture();
    await expect(runPlanDiffCommand(["a"], io)).resolves.toBe(2);
    expect(out).toEqual([]);
    expect(err.join("\n")).toContain("usage: app-fleets plan-diff <before> <after>");
  });

  test("a missing stack file exits 1 naming the path, before any terraform runs", async () => {
    const { io, err } = capture();
    await expect(runPlanDiffCommand(["/nonexistent/before.tf.json", "/nonexistent/after.tf.json"], io)).resolves.toBe(1);
    expect(err.join("\n")).toMatch(/\/nonexistent\/before\.tf\.json/);
  });
});
