// PagerDuty Events API v2: trigger/resolve on one dedup_key, severity mapping, and the deploy change event.
import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  alertEvent,
  dedupKey,
  pagerDutySeverity,
  sendDeployChangeEvent,
  sendPagerDutyAlert,
  type PagerDutyAlertEvent,
  type PagerDutyChangeEvent,
} from "../../src/notify/pagerduty.js";
import { ISSUE_URL, ROUTING_KEY, incidentEvent, incidentRecord } from "./helpers.js";

const PD = "https://events.pagerduty.com";

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe("alert events", () => {
  it("maps P1→critical, P2→error, P3→warning", () => {
    expect(pagerDutySeverity("P1")).toBe("critical");
    expect(pagerDutySeverity("P2")).toBe("error");
    expect(pagerDutySeverity("P3")).toBe("warning");
    const p3 = alertEvent(
      { kind: "opened", event: incidentEvent(incidentRecord({ severity: "P3" })) },
      ROUTING_KEY,
    );
    expect(p3.payload?.severity).toBe("warning");
  });

  it("triggers with the group key, a summary, source, details and links", () => {
    const record = incidentRecord();
    const event = alertEvent({ kind: "opened", event: incidentEvent(record) }, ROUTING_KEY);
    expect(event).toMatchObject({
      routing_key: ROUTING_KEY,
      event_action: "trigger",
      dedup_key: record.groupKey,
      client: "aftershock",
      client_url: ISSUE_URL,
      payload: {
        summary: "[P1] HighErrorRate on checkout (production)",
        source: "checkout",
        severity: "critical",
        timestamp: record.openedAt,
        component: "checkout",
        group: "production",
        class: "HighErrorRate",
        custom_details: {
          repository: "acme/shop",
          issue: ISSUE_URL,
          severity: "P1",
          suspects: ["#42 Cache the cart by alice"],
          deploys: ["0123456789ab to production (success)"],
        },
      },
    });
    expect(event.links).toEqual([
      { href: ISSUE_URL, text: "Incident acme/shop#12" },
      { href: "https://github.com/acme/shop/pull/42", text: "Suspect #42: Cache the cart" },
      { href: "https://alertmanager.example/#/alerts", text: "Alertmanager" },
    ]);
  });

  it("bounds the summary at 1024 characters and hashes an over-long group key stably", () => {
    const long = incidentRecord({ name: "x".repeat(5000), groupKey: "k".repeat(300) });
    const event = alertEvent({ kind: "opened", event: incidentEvent(long) }, ROUTING_KEY);
    expect(Array.from(event.payload!.summary)).toHaveLength(1024);
    expect(event.dedup_key).toMatch(/^aftershock:[0-9a-f]{64}$/);
    expect(dedupKey("k".repeat(300))).toBe(event.dedup_key);
    expect(dedupKey("k".repeat(301))).not.toBe(event.dedup_key);
  });

  it("sends trigger, severity re-trigger and resolve on the same dedup_key", async () => {
    const bodies: PagerDutyAlertEvent[] = [];
    const scope = nock(PD)
      .post("/v2/enqueue", (b: PagerDutyAlertEvent) => (bodies.push(b), true))
      .times(3)
      .reply(202, { status: "success", message: "Event processed" });
    const opened = incidentEvent(incidentRecord({ severity: "P3" }));
    const escalated = incidentEvent(incidentRecord({ severity: "P1" }));
    expect((await sendPagerDutyAlert(ROUTING_KEY, { kind: "opened", event: opened })).ok).toBe(true);
    await sendPagerDutyAlert(ROUTING_KEY, { kind: "severity", event: escalated, previous: "P3" });
    await sendPagerDutyAlert(ROUTING_KEY, { kind: "resolved", event: escalated });
    expect(scope.isDone()).toBe(true);
    expect(bodies.map((b) => [b.event_action, b.payload?.severity])).toEqual([
      ["trigger", "warning"],
      ["trigger", "critical"],
      ["resolve", undefined],
    ]);
    const key = incidentRecord().groupKey;
    expect(bodies.map((b) => b.dedup_key)).toEqual([key, key, key]);
    expect(bodies[1]!.payload!.custom_details).toMatchObject({ previous_severity: "P3", severity: "P1" });
    expect(bodies[2]).toEqual({ routing_key: ROUTING_KEY, event_action: "resolve", dedup_key: key });
  });
});

describe("deploy change events (what the Action sends after its verdict)", () => {
  const change = {
    sha: "0123456789abcdef0123456789abcdef01234567",
    environment: "production",
    verdict: "fail" as const,
    reason: "errors: 3 consecutive samples breached",
    service: "checkout",
    repository: "acme/shop",
    runUrl: "https://github.com/acme/shop/actions/runs/42",
    timestamp: new Date("2024-05-01T12:10:00Z"),
  };

  it("posts 'deploy <sha> to <env>: <verdict>' with a timestamp and a link to the run", async () => {
    let body: PagerDutyChangeEvent | undefined;
    const scope = nock(PD)
      .post("/v2/change/enqueue", (b: PagerDutyChangeEvent) => ((body = b), true))
      .reply(202, { status: "success" });
    const warnings: string[] = [];
    const result = await sendDeployChangeEvent(ROUTING_KEY, change, { warn: (m) => warnings.push(m) });
    expect(result.ok).toBe(true);
    expect(scope.isDone()).toBe(true);
    expect(warnings).toEqual([]);
    expect(body).toEqual({
      routing_key: ROUTING_KEY,
      payload: {
        summary: "deploy 0123456789ab to production: fail",
        timestamp: "2024-05-01T12:10:00.000Z",
        source: "aftershock (acme/shop)",
        custom_details: {
          sha: change.sha,
          environment: "production",
          verdict: "fail",
          service: "checkout",
          repository: "acme/shop",
          reason: change.reason,
        },
      },
      links: [{ href: change.runUrl, text: "aftershock deploy check run" }],
    });
  });

  it("a failed send is a warning without the key, never an exception", async () => {
    const scope = nock(PD).post("/v2/change/enqueue").times(2).reply(500);
    const warnings: string[] = [];
    const result = await sendDeployChangeEvent(ROUTING_KEY, change, {
      warn: (m) => warnings.push(m),
      backoffMs: 10,
    });
    expect(scope.isDone()).toBe(true);
    expect(result).toMatchObject({ ok: false, attempts: 2 });
    expect(warnings).toEqual([
      "aftershock: could not send the PagerDuty change event: PagerDuty Change Events API answered 500",
    ]);
    expect(warnings.join("")).not.toContain(ROUTING_KEY);
  });
});
