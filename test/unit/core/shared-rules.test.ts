/** The small shared rules of lib/core: chunking, weights as percentages, deploy-time placeholders. */
import { chunk } from "../../../lib/core/chunk";
import { formatPercent, roundPercent, weightsToPercents } from "../../../lib/core/percent";
import { CDKTF_STRING_TOKEN_MARKER_PATTERN, DEPLOY_TIME_PLACEHOLDER, hasToken } from "../../../lib/core/terraform-literal";

describe("chunk", () => {
  test("splits in order into pieces of at most the size, the last one shorter", () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk(["a", "b"], 5)).toEqual([["a", "b"]]);
    expect(chunk([], 5)).toEqual([]);
  });

  test.each([[0], [-1], [1.5], [Number.NaN]])("refuses a size of %s instead of looping forever", (size) => {
    expect(() => chunk([1], size)).toThrow(/chunk size/);
  });
});

describe("weights to percentages", () => {
  test("each weight's share of the total, exact; nothing is sent when every weight is 0", () => {
    expect(weightsToPercents([9, 1])).toEqual([90, 10]);
    expect(weightsToPercents([1, 1, 1])).toEqual([100 / 3, 100 / 3, 100 / 3]);
    expect(weightsToPercents([0, 0])).toEqual([0, 0]);
    expect(weightsToPercents([5])).toEqual([100]);
  });

  test("every view rounds the same way: one decimal, whole numbers without one", () => {
    expect(roundPercent(100 / 3)).toBe(33.3);
    expect(roundPercent(200 / 3)).toBe(66.7);
    expect(formatPercent(50)).toBe("50%");
    expect(formatPercent(100 / 3)).toBe("33.3%");
  });
});

describe("deploy-time values", () => {
  test("the placeholder for a value known only at deploy time is a token to every check", () => {
    expect(hasToken(DEPLOY_TIME_PLACEHOLDER)).toBe(true);
  });

  test("the JSON Schema pattern matches the token marker and nothing shorter", () => {
    const pattern = new RegExp(CDKTF_STRING_TOKEN_MARKER_PATTERN);
    expect(pattern.test("x ${TfToken[TOKEN.1]}")).toBe(true);
    expect(pattern.test("${TfToken")).toBe(false);
    expect(pattern.test("${var.x}")).toBe(false);
  });
});
