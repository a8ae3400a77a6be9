import { describe, expect, it } from "vitest";
import { renderDashboardUrl } from "../../../src/core/gate/dashboard-url.js";
import { formatValue, scaleFor, unitOf } from "../../../src/core/gate/units.js";

describe("units", () => {
  it("come from error-rate, then from the metric name's unit suffix", () => {
    expect(unitOf({ query: "x_seconds_bucket", errorRate: true })).toBe("ratio");
    expect(unitOf({ query: "histogram_quantile(0.99, rate(req_duration_seconds_bucket[1m]))" })).toBe(
      "seconds",
    );
    expect(unitOf({ query: "avg(latency_ms)" })).toBe("milliseconds");
    expect(unitOf({ query: "process_resident_memory_bytes" })).toBe("bytes");
    expect(unitOf({ query: "sum(rate(orders_total[5m]))" })).toBe("none");
  });

  it("format a value readably", () => {
    expect(formatValue(0.071, "ratio")).toBe("7.1 %");
    expect(formatValue(0.25, "seconds")).toBe("250 ms");
    expect(formatValue(2.5, "seconds")).toBe("2.5 s");
    expect(formatValue(1500, "milliseconds")).toBe("1.5 s");
    expect(formatValue(3 * 1024 ** 2, "bytes")).toBe("3 MiB");
    expect(formatValue(42, "none")).toBe("42");
    // One scale for a row: the limit in the same unit as the value.
    expect(formatValue(1.2, "seconds", scaleFor("seconds", 0.3))).toBe("1200 ms");
  });
});

describe("renderDashboardUrl", () => {
  const vars = { service: "check out", environment: "prod", from: 1_700_000_000, to: 1_700_000_600 };

  it("fills the template with URL-encoded values and the period in milliseconds", () => {
    expect(
      renderDashboardUrl("https://g.example/d/x?var-svc={{service}}&from={{from}}&to={{ to }}", vars),
    ).toBe("https://g.example/d/x?var-svc=check%20out&from=1700000000000&to=1700000600000");
    expect(renderDashboardUrl("https://g.example/?s={{service}}", { ...vars, service: "a&b=c" })).toBe(
      "https://g.example/?s=a%26b%3Dc",
    );
  });

  it("refuses an unknown placeholder, a missing value and a non-http URL", () => {
    expect(() => renderDashboardUrl("https://g.example/{{team}}", vars)).toThrow(/\{\{team\}\}/);
    expect(() => renderDashboardUrl("https://g.example/{{version}}", vars)).toThrow(/no version/);
    expect(() => renderDashboardUrl("javascript:alert(1)", vars)).toThrow(/http\(s\)/);
  });
});
