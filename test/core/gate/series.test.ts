import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/core/errors.js";
import { alignSeries, labelText } from "../../../src/core/gate/series.js";
import type { Series } from "../../../src/core/gate/types.js";

const pod = (name: string, points: [number, number][]): Series => ({
  labels: { __name__: "errors", pod: name },
  samples: points.map(([t, v]) => ({ t, v })),
});

describe("alignSeries", () => {
  it("returns no samples for an empty result", () => {
    expect(alignSeries([], undefined, "errors")).toEqual([]);
    expect(alignSeries([], "sum", "errors")).toEqual([]);
  });

  it("returns a single series as it is, with or without an aggregate", () => {
    const one = pod("a", [
      [10, 1],
      [20, 2],
    ]);
    expect(alignSeries([one], undefined, "errors")).toEqual(one.samples);
    expect(alignSeries([one], "max", "errors")).toEqual(one.samples);
  });

  it("rejects several series without an aggregate, naming the check and their labels", () => {
    const result = [pod("a", [[10, 1]]), pod("b", [[10, 2]])];
    expect(() => alignSeries(result, undefined, "error-rate")).toThrow(ConfigError);
    expect(() => alignSeries(result, undefined, "error-rate")).toThrow(
      'check "error-rate": the query returned 2 series ({__name__="errors", pod="a"}, {__name__="errors", pod="b"}); aggregate them in PromQL (e.g. sum(...)) or set aggregate: sum|avg|max|min on the check',
    );
  });

  it("shows the labels of the first three series and counts the rest", () => {
    const result = ["a", "b", "c", "d", "e"].map((p) => pod(p, [[10, 1]]));
    let message = "";
    try {
      alignSeries(result, undefined, "c");
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(
      'returned 5 series ({__name__="errors", pod="a"}, {__name__="errors", pod="b"}, {__name__="errors", pod="c"} and 2 more)',
    );
    expect(message).not.toContain('pod="d"');
  });

  describe("aggregation by timestamp", () => {
    // Series a has no point at t=30, b has none at t=10: each timestamp folds the values it has.
    const a = pod("a", [
      [10, 1],
      [20, 4],
      [30, 6],
    ]);
    const b = pod("b", [
      [20, 2],
      [10, 3], // out of order on purpose
    ]);

    it.each([
      ["sum", [4, 6, 6]],
      ["avg", [2, 3, 6]],
      ["max", [3, 4, 6]],
      ["min", [1, 2, 6]],
    ] as const)("%s", (how, values) => {
      expect(alignSeries([b, a], how, "c")).toEqual([
        { t: 10, v: values[0] },
        { t: 20, v: values[1] },
        { t: 30, v: values[2] },
      ]);
    });
  });

  describe("NaN (0/0 from an idle series)", () => {
    const idle = pod("idle", [
      [10, NaN],
      [20, NaN],
    ]);
    const busy = pod("busy", [
      [10, 0.2],
      [20, NaN],
    ]);

    it("propagates through sum and avg, as in PromQL", () => {
      expect(alignSeries([idle, busy], "sum", "c").map((s) => s.v)).toEqual([NaN, NaN]);
      expect(alignSeries([idle, busy], "avg", "c").map((s) => s.v)).toEqual([NaN, NaN]);
    });

    it("is skipped by max and min unless every value is NaN, as in PromQL", () => {
      expect(alignSeries([idle, busy], "max", "c").map((s) => s.v)).toEqual([0.2, NaN]);
      expect(alignSeries([idle, busy], "min", "c").map((s) => s.v)).toEqual([0.2, NaN]);
    });
  });
});

describe("labelText", () => {
  it("writes labels like a PromQL selector", () => {
    expect(labelText({ job: "api", code: "500" })).toBe('{job="api", code="500"}');
    expect(labelText({})).toBe("{}");
  });
});
