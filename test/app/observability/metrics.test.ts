// The app's metrics: they move as AppEvents are emitted, label values stay bounded, names follow
// Prometheus conventions, and GET /metrics serves them (behind METRICS_TOKEN when set).
import { afterEach, describe, expect, it } from "vitest";
import type { IncidentEvent } from "../../../src/app/events.js";
import { AppEvents } from "../../../src/app/events.js";
import {
  createMetrics,
  createMetricsHandler,
  registerMetrics,
} from "../../../src/app/observability/metrics.js";
import type { IncidentRecord } from "../../../src/core/incident/incident-record.js";
import { serve } from "../helpers.js";

/** The value of one series in the text format, or undefined when the series does not exist. */
async function sample(
  metrics: { registry: { getSingleMetricAsString(name: string): Promise<string> } },
  name: string,
  series: string,
): Promise<number | undefined> {
  const base = name.replace(/_(bucket|sum|count)$/, "");
  const text = await metrics.registry.getSingleMetricAsString(base);
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

function incident(severity: "P1" | "P2" | "P3"): IncidentEvent {
  return {
    repo: { owner: "acme", repo: "shop" },
    number: 101,
    url: "https://github.com/acme/shop/issues/101",
    record: { severity, name: "HighErrorRate" } as IncidentRecord,
    config: {} as IncidentEvent["config"],
  };
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe("metrics from app events", () => {
  it("counts deliveries by status and outcome, and times only the ones that wrote an issue", async () => {
    const events = new AppEvents();
    const metrics = createMetrics(events, { defaultMetrics: false });
    events.emit("alert.delivery", { status: "firing", outcome: "created", httpStatus: 201, seconds: 0.4 });
    events.emit("alert.delivery", { status: "firing", outcome: "created", httpStatus: 201, seconds: 3 });
    events.emit("alert.delivery", { status: "resolved", outcome: "updated", httpStatus: 200, seconds: 0.2 });
    events.emit("alert.delivery", {
      status: "unknown",
      outcome: "rejected",
      httpStatus: 401,
      seconds: 0.001,
    });
    await events.idle();

    const name = "aftershock_alert_deliveries_total";
    expect(await sample(metrics, name, `${name}{status="firing",outcome="created"}`)).toBe(2);
    expect(await sample(metrics, name, `${name}{status="resolved",outcome="updated"}`)).toBe(1);
    expect(await sample(metrics, name, `${name}{status="unknown",outcome="rejected"}`)).toBe(1);
    const h = "aftershock_alert_to_issue_seconds";
    expect(await sample(metrics, h, `${h}_count`)).toBe(3);
    expect(await sample(metrics, h, `${h}_sum`)).toBeCloseTo(3.6);
    expect(await sample(metrics, h, `${h}_bucket{le="0.5"}`)).toBe(2);
  });

  it("counts incidents opened by severity and source, and exact redeliveries as deduplicated", async () => {
    const events = new AppEvents();
    const metrics = createMetrics(events, { defaultMetrics: false });
    events.emit("incident.opened", { ...incident("P1"), source: "alert" });
    events.emit("incident.opened", { ...incident("P2"), source: "deploy-check" });
    events.emit("incident.updated", { ...incident("P1"), changes: [] });
    events.emit("incident.updated", { ...incident("P1"), changes: [] });
    events.emit("incident.updated", { ...incident("P1"), changes: ["alerts"] });
    await events.idle();

    const opened = "aftershock_incidents_opened_total";
    expect(await sample(metrics, opened, `${opened}{severity="P1",source="alert"}`)).toBe(1);
    expect(await sample(metrics, opened, `${opened}{severity="P2",source="deploy-check"}`)).toBe(1);
    const dedup = "aftershock_deliveries_deduplicated_total";
    expect(await sample(metrics, dedup, dedup)).toBe(2);
  });

  it("observes correlation time and GitHub requests per incident, and counts rollbacks", async () => {
    const events = new AppEvents();
    const metrics = createMetrics(events, { defaultMetrics: false });
    events.emit("correlation", { seconds: 1.5, requests: 7 });
    events.emit("correlation", { seconds: 0.2, requests: 1 });
    events.emit("rollback", { outcome: "opened" });
    events.emit("rollback", { outcome: "existing" });
    events.emit("rollback", { outcome: "existing" });
    await events.idle();

    const secs = "aftershock_correlation_seconds";
    expect(await sample(metrics, secs, `${secs}_count`)).toBe(2);
    expect(await sample(metrics, secs, `${secs}_sum`)).toBeCloseTo(1.7);
    const reqs = "aftershock_correlation_github_requests";
    expect(await sample(metrics, reqs, `${reqs}_sum`)).toBe(8);
    expect(await sample(metrics, reqs, `${reqs}_bucket{le="5"}`)).toBe(1);
    const rb = "aftershock_rollback_prs_total";
    expect(await sample(metrics, rb, `${rb}{outcome="existing"}`)).toBe(2);
    expect(await sample(metrics, rb, `${rb}{outcome="opened"}`)).toBe(1);
  });

  it('bounds label values: an unknown command or outcome becomes "unknown", never the raw text', async () => {
    const events = new AppEvents();
    const metrics = createMetrics(events, { defaultMetrics: false });
    events.emit("command", { name: "rollback", outcome: "done" });
    events.emit("command", { name: "/ACK", outcome: "done" });
    events.emit("command", { name: "deploy-to-prod-please", outcome: "invalid" });
    events.emit("command", { name: "alice's-typo", outcome: "invalid" });
    // A value outside the typed union (a future or buggy emitter) must not become a label either.
    events.emit("command", { name: "help", outcome: "weird" as "done" });
    await events.idle();

    const name = "aftershock_commands_total";
    const text = await metrics.registry.getSingleMetricAsString(name);
    expect(await sample(metrics, name, `${name}{command="rollback",outcome="done"}`)).toBe(1);
    expect(await sample(metrics, name, `${name}{command="ack",outcome="done"}`)).toBe(1);
    expect(await sample(metrics, name, `${name}{command="unknown",outcome="invalid"}`)).toBe(2);
    expect(await sample(metrics, name, `${name}{command="help",outcome="unknown"}`)).toBe(1);
    expect(text).not.toContain("deploy-to-prod");
    expect(text).not.toContain("alice");
  });

  it("keeps each app's registry separate", async () => {
    const a = new AppEvents();
    const b = new AppEvents();
    const ma = createMetrics(a, { defaultMetrics: false });
    const mb = createMetrics(b, { defaultMetrics: false });
    a.emit("rollback", { outcome: "failed" });
    await a.idle();
    const rb = "aftershock_rollback_prs_total";
    expect(await sample(ma, rb, `${rb}{outcome="failed"}`)).toBe(1);
    expect(await sample(mb, rb, `${rb}{outcome="failed"}`)).toBeUndefined();
  });
});

describe("metric names", () => {
  it("follow Prometheus conventions and include the process metrics under their standard names", async () => {
    const metrics = createMetrics(new AppEvents());
    const all = await metrics.registry.getMetricsAsJSON();
    const ours = all.filter((m) => m.name.startsWith("aftershock_"));
    expect(ours.map((m) => m.name).sort()).toEqual([
      "aftershock_alert_deliveries_total",
      "aftershock_alert_to_issue_seconds",
      "aftershock_commands_total",
      "aftershock_correlation_github_requests",
      "aftershock_correlation_seconds",
      "aftershock_deliveries_deduplicated_total",
      "aftershock_github_rate_limit_waits_total",
      "aftershock_github_request_duration_seconds",
      "aftershock_github_requests_total",
      "aftershock_incidents_opened_total",
      "aftershock_notifications_total",
      "aftershock_rollback_prs_total",
    ]);
    for (const m of ours) {
      expect(m.name).toMatch(/^[a-z][a-z0-9_]*$/);
      // Counters end in _total; only counters do.
      expect(m.name.endsWith("_total"), m.name).toBe(String(m.type) === "counter");
      // Durations are histograms in seconds; no other unit sneaks in.
      if (/second|duration|time/.test(m.name)) expect(m.name.endsWith("_seconds"), m.name).toBe(true);
      expect(m.name).not.toMatch(/_(ms|milliseconds|minutes)\b/);
      // Labels never name a user, repository, alert or issue (unbounded values).
      const labels = await metrics.registry.getSingleMetric(m.name);
      const labelNames = (labels as unknown as { labelNames: string[] }).labelNames;
      for (const label of labelNames) {
        expect(["status", "outcome", "severity", "source", "command", "kind", "channel"]).toContain(label);
      }
      expect(m.help.length).toBeGreaterThan(10);
    }
    const names = all.map((m) => m.name);
    expect(names).toContain("process_cpu_seconds_total");
    expect(names).toContain("process_resident_memory_bytes");
    expect(names).toContain("nodejs_eventloop_lag_seconds");
  });
});

describe("GET /metrics", () => {
  async function start(token: string | undefined) {
    const events = new AppEvents();
    const metrics = createMetrics(events, { defaultMetrics: false });
    events.emit("rollback", { outcome: "conflict" });
    await events.idle();
    const server = await serve(createMetricsHandler(metrics.registry, token));
    close = server.close;
    return server.url;
  }

  it("serves the Prometheus text format without a token when none is configured", async () => {
    const url = await start(undefined);
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain("# TYPE aftershock_rollback_prs_total counter");
    expect(text).toContain('aftershock_rollback_prs_total{outcome="conflict"} 1');
  });

  it("answers 401 without the token or with a wrong one, and 200 with it", async () => {
    const url = await start("metrics-s3cret");
    const none = await fetch(`${url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(((await none.json()) as { error: string }).error).toMatch(/METRICS_TOKEN/);
    const wrong = await fetch(`${url}/metrics`, { headers: { authorization: "Bearer metrics-s3cre" } });
    expect(wrong.status).toBe(401);
    const body = await wrong.text();
    expect(body).not.toContain("aftershock_");
    expect(body).not.toContain("metrics-s3cret");
    const basic = await fetch(`${url}/metrics`, { headers: { authorization: "Basic metrics-s3cret" } });
    expect(basic.status).toBe(401);
    const ok = await fetch(`${url}/metrics`, { headers: { authorization: "bearer metrics-s3cret" } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("aftershock_rollback_prs_total");
  });

  it("refuses other methods and leaves other paths to other handlers", async () => {
    const url = await start(undefined);
    const post = await fetch(`${url}/metrics`, { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toContain("GET");
    expect((await fetch(`${url}/metricsx`)).status).toBe(404);
    expect((await fetch(`${url}/`)).status).toBe(404);
  });

  it("registerMetrics adds the route with the token from the settings", async () => {
    const handlers: Parameters<typeof serve>[0][] = [];
    const events = new AppEvents();
    registerMetrics(
      (h) => handlers.push(h),
      { events, settings: { metricsToken: "t0ken" } },
      { defaultMetrics: false },
    );
    expect(handlers).toHaveLength(1);
    const server = await serve(handlers[0]!);
    close = server.close;
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: "Bearer t0ken" } });
    expect(res.status).toBe(200);
  });
});
