/** "Open to the internet" is measured on the union of the blocks a rule set admits, however it is split. */
import { parseCidrNetwork as parseBlock } from "../../../lib/core/cidr";
import { INTERNET_SHARE_THRESHOLD, internetCoverage, internetShare } from "../../../lib/policy/cidr-coverage";

const blocks = (...texts: string[]) => texts.map((t) => parseBlock(t)!);

describe("internetShare", () => {
  test("0.0.0.0/0 and its two halves cover the whole public IPv4 space", () => {
    expect(internetShare(blocks("0.0.0.0/0"), 4)).toBe(1);
    expect(internetShare(blocks("0.0.0.0/1", "128.0.0.0/1"), 4)).toBe(1);
    expect(internetShare(blocks("0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"), 4)).toBe(1);
  });

  test("private, loopback and multicast blocks are no part of the internet", () => {
    expect(internetShare(blocks("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "224.0.0.0/4"), 4)).toBe(0);
  });

  test("overlapping blocks are counted once", () => {
    expect(internetShare(blocks("0.0.0.0/1", "0.0.0.0/2", "1.0.0.0/8"), 4)).toBe(internetShare(blocks("0.0.0.0/1"), 4));
  });

  test("IPv6 is measured on global unicast (2000::/3): ::/0, its lower half and 2000::/3 all cover it", () => {
    expect(internetShare(blocks("::/0"), 6)).toBe(1);
    expect(internetShare(blocks("::/1"), 6)).toBe(1);
    expect(internetShare(blocks("2000::/3"), 6)).toBe(1);
    expect(internetShare(blocks("8000::/1", "fc00::/7"), 6)).toBe(0);
    expect(internetShare(blocks("2000::/4"), 6)).toBe(0.5);
  });

  test("families are measured apart", () => {
    expect(internetShare(blocks("::/0"), 4)).toBe(0);
  });
});

describe("internetCoverage", () => {
  test(`reports a family once the union reaches ${INTERNET_SHARE_THRESHOLD * 100}% of it`, () => {
    expect(internetCoverage(blocks("0.0.0.0/1")).map((c) => c.family)).toEqual([4]);
    expect(internetCoverage(blocks("0.0.0.0/2"))).toEqual([]);
    expect(internetCoverage(blocks("203.0.113.0/24", "198.51.100.0/24"))).toEqual([]);
    expect(internetCoverage(blocks("0.0.0.0/1", "2000::/3")).map((c) => c.family)).toEqual([4, 6]);
  });

  test("host bits do not hide a block", () => {
    expect(parseBlock("128.1.2.3/1")).toEqual(parseBlock("128.0.0.0/1"));
    expect(parseBlock("not-a-cidr")).toBeUndefined();
  });
});
