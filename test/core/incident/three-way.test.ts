import { describe, expect, it } from "vitest";
import { diffRegions, merge3, splitLines } from "../../../src/core/incident/three-way.js";

const lines = (...xs: string[]) => xs.map((x) => `${x}\n`).join("");

describe("splitLines", () => {
  it("keeps line terminators, so text round-trips byte for byte", () => {
    expect(splitLines("a\r\nb\nc")).toEqual(["a\r\n", "b\n", "c"]);
    expect(splitLines("")).toEqual([]);
    expect(splitLines("a\n")).toEqual(["a\n"]);
  });
});

function lcsLength(a: number[], b: number[]): number {
  let row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    const next = [0];
    for (let j = 0; j < b.length; j++) next.push(x === b[j] ? row[j]! + 1 : Math.max(row[j + 1]!, next[j]!));
    row = next;
  }
  return row[b.length]!;
}

describe("diffRegions", () => {
  it("finds a minimal set of changed regions", () => {
    // a b c d e → a x c e: c and a stay, b→x and d deleted.
    expect(diffRegions([1, 2, 3, 4, 5], [1, 9, 3, 5])).toEqual([
      { aStart: 1, aEnd: 2, bStart: 1, bEnd: 2 },
      { aStart: 3, aEnd: 4, bStart: 3, bEnd: 3 },
    ]);
  });

  it("reconstructs the target from the regions for random sequences", () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const a = Array.from({ length: rand(30) }, () => rand(5));
      const b = Array.from({ length: rand(30) }, () => rand(5));
      const regions = diffRegions(a, b);
      const rebuilt: number[] = [];
      let at = 0;
      for (const r of regions) {
        rebuilt.push(...a.slice(at, r.aStart), ...b.slice(r.bStart, r.bEnd));
        at = r.aEnd;
      }
      rebuilt.push(...a.slice(at));
      expect(rebuilt).toEqual(b);
      // Minimal: the lines kept are a longest common subsequence.
      const kept = a.length - regions.reduce((s, r) => s + r.aEnd - r.aStart, 0);
      expect(kept).toBe(lcsLength(a, b));
    }
  });
});

describe("merge3", () => {
  const base = lines("1", "2", "3", "4", "5", "6", "7", "8");

  it("applies non-overlapping edits from both sides", () => {
    const ours = lines("1", "TWO", "3", "4", "5", "6", "7", "8");
    const theirs = lines("1", "2", "3", "4", "5", "6", "SEVEN", "8");
    expect(merge3(base, ours, theirs)).toEqual({
      clean: true,
      text: lines("1", "TWO", "3", "4", "5", "6", "SEVEN", "8"),
    });
  });

  it("applies an identical edit made on both sides once", () => {
    const both = lines("1", "2", "THREE", "4", "5", "6", "7", "8");
    const theirs = lines("1", "2", "THREE", "4", "5", "6", "7", "EIGHT");
    expect(merge3(base, both, theirs)).toEqual({
      clean: true,
      text: lines("1", "2", "THREE", "4", "5", "6", "7", "EIGHT"),
    });
  });

  it("reports a conflict for different edits of the same lines", () => {
    const ours = lines("1", "2", "three", "4", "5", "6", "7", "8");
    const theirs = lines("1", "2", "III", "4", "5", "6", "7", "8");
    expect(merge3(base, ours, theirs)).toEqual({ clean: false, conflicts: 1 });
  });

  it("counts each conflicting region", () => {
    const ours = lines("one", "2", "3", "4", "5", "6", "7", "eight");
    const theirs = lines("I", "2", "3", "4", "5", "6", "7", "VIII");
    expect(merge3(base, ours, theirs)).toEqual({ clean: false, conflicts: 2 });
  });

  it("treats edits of adjacent lines as a conflict, like git", () => {
    const ours = lines("1", "2", "X", "4", "5", "6", "7", "8");
    const theirs = lines("1", "2", "3", "Y", "5", "6", "7", "8");
    expect(merge3(base, ours, theirs).clean).toBe(false);
  });

  it("merges additions at the end with an edit at the start", () => {
    const ours = base + lines("9", "10");
    const theirs = lines("ONE", "2", "3", "4", "5", "6", "7", "8");
    expect(merge3(base, ours, theirs)).toEqual({
      clean: true,
      text: lines("ONE", "2", "3", "4", "5", "6", "7", "8", "9", "10"),
    });
  });

  it("conflicts when both sides append different lines at the end", () => {
    expect(merge3(base, base + lines("x"), base + lines("y")).clean).toBe(false);
  });

  it("merges deletions with edits elsewhere", () => {
    const ours = lines("1", "2", "5", "6", "7", "8"); // 3 and 4 deleted
    const theirs = lines("1", "2", "3", "4", "5", "6", "7", "ACHT");
    expect(merge3(base, ours, theirs)).toEqual({ clean: true, text: lines("1", "2", "5", "6", "7", "ACHT") });
  });

  it("conflicts when one side deletes lines the other edits", () => {
    const ours = lines("1", "2", "5", "6", "7", "8");
    const theirs = lines("1", "2", "3", "FOUR", "5", "6", "7", "8");
    expect(merge3(base, ours, theirs).clean).toBe(false);
  });

  it("handles empty files", () => {
    expect(merge3("", "", "")).toEqual({ clean: true, text: "" });
    expect(merge3("", lines("a"), "")).toEqual({ clean: true, text: lines("a") });
    expect(merge3(lines("a"), lines("a"), "")).toEqual({ clean: true, text: "" });
    expect(merge3("", lines("a"), lines("b")).clean).toBe(false);
  });

  it("treats a missing final newline as a change of the last line", () => {
    const noEol = base.slice(0, -1); // "…7\n8"
    const ours = lines("ONE", "2", "3", "4", "5", "6", "7", "8");
    // theirs only drops the final newline; ours edits line 1: both apply.
    expect(merge3(base, ours, noEol)).toEqual({ clean: true, text: ours.slice(0, -1) });
    // Both touch the last line differently: conflict.
    expect(merge3(base, base.replace("8\n", "EIGHT\n"), noEol).clean).toBe(false);
  });

  it("preserves CRLF line endings", () => {
    const crlf = "a\r\nb\r\nc\r\nd\r\n";
    expect(merge3(crlf, "A\r\nb\r\nc\r\nd\r\n", "a\r\nb\r\nc\r\nD\r\n")).toEqual({
      clean: true,
      text: "A\r\nb\r\nc\r\nD\r\n",
    });
  });

  it("stays correct when the diff is too large for the fine-grained path", () => {
    const n = 5000;
    const big = Array.from({ length: n }, (_, i) => `line ${i}\n`).join("");
    // Ours rewrites every other line (far more edit steps than the cap); theirs edits only the end.
    const ours = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? `even ${i}\n` : `line ${i}\n`)).join("");
    const theirs = big + "appended\n";
    const result = merge3(big, ours, theirs);
    // The coarse hunk ends before the last (unchanged) line, so the append still merges cleanly.
    expect(result).toEqual({ clean: true, text: ours + "appended\n" });
  });
});
