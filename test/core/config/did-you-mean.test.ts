import { describe, expect, it } from "vitest";
import { closest, editDistance } from "../../../src/core/config/did-you-mean.js";

describe("editDistance", () => {
  it.each([
    ["window", "window", 0],
    ["windw", "window", 1],
    ["widnow", "window", 1], // a swap of neighbours is one edit
    ["", "abc", 3],
    ["kitten", "sitting", 3],
  ])("%j to %j is %d", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe("closest", () => {
  const keys = ["absolute-limit", "relative-limit", "z-threshold", "window", "step", "name"];

  it("finds the name a typo was meant to be", () => {
    expect(closest("absolut-limit", keys)).toBe("absolute-limit");
    expect(closest("relative_limit", keys)).toBe("relative-limit");
    expect(closest("WINDOW", keys)).toBe("window");
    expect(closest("threshold", keys)).toBe("z-threshold");
  });

  it("suggests nothing for a word that is no near miss", () => {
    expect(closest("colour", keys)).toBeUndefined();
    // Two edits in a four-letter word is a different word, not a typo.
    expect(closest("stop", ["step", "name"])).toBe("step");
    expect(closest("slap", ["step", "name"])).toBeUndefined();
  });
});
