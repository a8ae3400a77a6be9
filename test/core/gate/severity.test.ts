import { describe, expect, it } from "vitest";
import {
  DEFAULT_SEVERITY_BANDS,
  parseSeverityBands,
  severityFor,
  worstSeverity,
} from "../../../src/core/gate/severity.js";

describe("severityFor with the runbook's default bands", () => {
  it.each([
    [0.5, "P1"],
    [0.0501, "P1"],
    [0.05, "P2"], // exactly 5 % is P2: P1 is *above* 5 %
    [0.03, "P2"],
    [0.01, "P2"], // exactly 1 % is P2
    [0.0099, "P3"],
    [0.001, "P3"],
    [0, "P3"],
  ] as const)("an error ratio of %d is %s", (value, severity) => {
    expect(severityFor(value)).toBe(severity);
    expect(severityFor(value, DEFAULT_SEVERITY_BANDS)).toBe(severity);
  });

  it("gives the lowest band to a value below every band", () => {
    expect(severityFor(-0.1)).toBe("P3");
  });
});

describe("parseSeverityBands", () => {
  it('parses "P1:>10%,P2:2%,P3:0"', () => {
    expect(parseSeverityBands("P1:>10%,P2:2%,P3:0")).toEqual([
      { severity: "P1", min: 0.1, exclusive: true },
      { severity: "P2", min: 0.02, exclusive: false },
      { severity: "P3", min: 0, exclusive: false },
    ]);
  });

  it("accepts fractions, spaces and any order", () => {
    expect(parseSeverityBands(" P3 : 0 , P1 : > 0.05 ,P2:0.01")).toEqual([
      { severity: "P3", min: 0, exclusive: false },
      { severity: "P1", min: 0.05, exclusive: true },
      { severity: "P2", min: 0.01, exclusive: false },
    ]);
  });

  it("parsed custom bands decide severities", () => {
    const bands = parseSeverityBands("P1:>10%,P2:2%,P3:0");
    expect(severityFor(0.11, bands)).toBe("P1");
    expect(severityFor(0.1, bands)).toBe("P2");
    expect(severityFor(0.02, bands)).toBe("P2");
    expect(severityFor(0.019, bands)).toBe("P3");
  });

  it("the same text as the defaults gives the same severities", () => {
    const bands = parseSeverityBands("P1:>5%,P2:1%,P3:0%");
    for (const v of [0, 0.005, 0.01, 0.03, 0.05, 0.06]) expect(severityFor(v, bands)).toBe(severityFor(v));
  });

  it("tries an exclusive band before an inclusive one at the same bound, whatever the order given", () => {
    const bands = parseSeverityBands("P2:5%,P1:>5%,P3:0");
    expect(severityFor(0.06, bands)).toBe("P1");
    expect(severityFor(0.05, bands)).toBe("P2");
  });

  it.each(["P4:1%", "P1", "P1:", "P1:abc", "P1>5%", "1%", "P1:>=5%", "P1:5%%", "", "P1:>5%,"])(
    "rejects %j and shows the expected form",
    (text) => {
      expect(() => parseSeverityBands(text)).toThrow(
        /^severity band ".*" must look like P1:>0\.05, P2:0\.01 or P2:1%$/,
      );
    },
  );

  it("names the bad band, not the whole text", () => {
    expect(() => parseSeverityBands("P1:>5%,P9:1%")).toThrow('severity band "P9:1%" must look like');
  });

  it.each(["P1:-1%", "P2:-0.5", "P1:1.2.3", "P1:e", "P2:+-1"])("rejects %j as not a number >= 0", (text) => {
    expect(() => parseSeverityBands(text)).toThrow(`severity band "${text}" needs a number >= 0`);
  });
});

describe("worstSeverity", () => {
  it.each([
    [["P3", "P1", "P2"], "P1"],
    [["P3", "P2"], "P2"],
    [["P3"], "P3"],
    [[null, "P2", null], "P2"],
    [[null, null], null],
    [[], null],
  ] as const)("worst of %j is %s", (severities, worst) => {
    expect(worstSeverity(severities)).toBe(worst);
  });
});
