import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../../../src/core/text/duration.js";

describe("parseDuration", () => {
  it.each([
    ["30s", 30],
    ["10m", 600],
    ["1h", 3600],
    ["1h30m", 5400],
    ["2d", 172_800],
    ["1w", 604_800],
    ["500ms", 0.5],
    ["1m30s500ms", 90.5],
    ["1.5h", 5400],
    [" 10m ", 600],
  ])("%j is %d seconds", (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  // The documented contract (other modules rely on it): a bare number is seconds.
  it.each([
    ["10", 10],
    ["90", 90],
    ["0.5", 0.5],
  ])("the bare number %j is %d seconds", (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(["", "   ", "ten", "5x", "10 m", "m", "1h30", "10M", "1e3s"])(
    "rejects %j with a message naming it and showing valid forms",
    (text) => {
      expect(() => parseDuration(text, "window")).toThrow(
        `window "${text}" is not a duration: use a number with a unit, like 30s, 10m, 1h or 1h30m`,
      );
    },
  );

  it.each(["0s", "0", "0m0s", "-5m", "-10"])("rejects %j as not greater than zero", (text) => {
    expect(() => parseDuration(text, "step")).toThrow(`step "${text}" must be greater than zero`);
  });

  it("names the value as 'duration' when no name is given", () => {
    expect(() => parseDuration("5x")).toThrow(/^duration "5x" is not a duration/);
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0s"],
    [0.4, "0s"],
    [30, "30s"],
    [60, "1m"],
    [90, "1m30s"],
    [600, "10m"],
    [3600, "1h"],
    [5400, "1h30m"],
    [3661, "1h1m1s"],
    [86_400, "24h"],
    [-90, "-1m30s"],
    [89.6, "1m30s"],
  ])("%d seconds is %j", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it.each([1, 59, 61, 3599, 7322, 86_399])("parseDuration reads back formatDuration(%d)", (seconds) => {
    expect(parseDuration(formatDuration(seconds))).toBe(seconds);
  });
});
