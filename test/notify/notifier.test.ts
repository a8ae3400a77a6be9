// The notifier on the app's event bus: which channels a repository gets, counting outcomes, and
// never a secret in the logs.
import { generateKeyPairSync } from "node:crypto";
import nock from "nock";
import { Probot } from "probot";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppEvents, type AppEventMap } from "../../src/app/events.js";
import { createApp } from "../../src/app/index.js";
import { readSettings } from "../../src/app/settings.js";
import { DEFAULT_REPO_CONFIG } from "../../src/core/config/repo-config.js";
import type { PagerDutyAlertEvent } from "../../src/notify/pagerduty.js";
import { registerNotifications } from "../../src/app/notifications.js";
import type { NotificationChannel } from "../../src/notify/types.js";
import type { SlackMessage } from "../../src/notify/slack.js";
import {
  BOTH,
  ROUTING_KEY,
  SLACK_URL,
  capturedLogger,
  incidentEvent,
  incidentRecord,
  notificationsConfig,
} from "./helpers.js";

const SLACK_HOST = "https://hooks.slack.com";
const SLACK_PATH = "/services/T000/B000/sEcReTwEbHoOkPaTh";
const PD = "https://events.pagerduty.com";
const ENV = { SLACK_WEBHOOK_URL: SLACK_URL, PAGERDUTY_ROUTING_KEY: ROUTING_KEY };

let unmatched: string[];
const onNoMatch = (req: { method?: string; path?: string; host?: string }) =>
  unmatched.push(`${req.method} ${req.host ?? ""}${req.path ?? ""}`);

beforeAll(() => nock.disableNetConnect());
beforeEach(() => {
  unmatched = [];
  nock.emitter.on("no match", onNoMatch);
});
afterEach(() => {
  nock.emitter.removeListener("no match", onNoMatch);
  nock.cleanAll();
});

/** A bus with the notifier on it, recording results and `notification` events. */
function setup(env: NodeJS.ProcessEnv = ENV) {
  const events = new AppEvents();
  const { log, lines } = capturedLogger();
  const results: Array<[NotificationChannel, boolean]> = [];
  const emitted: Array<AppEventMap["notification"]> = [];
  const listenerErrors: unknown[] = [];
  events.setErrorHandler((err) => listenerErrors.push(err));
  events.on("notification", (e) => void emitted.push(e));
  registerNotifications(events, {
    log,
    env,
    onResult: (channel, ok) => results.push([channel, ok]),
    http: { backoffMs: 10, timeoutMs: 1_000 },
  });
  return { events, lines, results, emitted, listenerErrors };
}

function expectNoSecret(lines: string[]): void {
  const all = lines.join("\n");
  expect(all).not.toContain(SLACK_PATH);
  expect(all).not.toContain("sEcReT");
  expect(all).not.toContain(ROUTING_KEY);
}

describe("registerNotifications", () => {
  it("announces an opened incident to Slack and PagerDuty and counts both as sent", async () => {
    let slack: SlackMessage | undefined;
    let pd: PagerDutyAlertEvent | undefined;
    const scopes = [
      nock(SLACK_HOST)
        .post(SLACK_PATH, (b: SlackMessage) => ((slack = b), true))
        .reply(200, "ok"),
      nock(PD)
        .post("/v2/enqueue", (b: PagerDutyAlertEvent) => ((pd = b), true))
        .reply(202, { status: "success" }),
    ];
    const { events, results, emitted, lines, listenerErrors } = setup();
    events.emit("incident.opened", { ...incidentEvent(), source: "alert" });
    await events.idle();
    for (const scope of scopes) expect(scope.isDone()).toBe(true);
    expect(slack?.blocks[0]?.text?.text).toContain("P1 incident: HighErrorRate");
    expect(pd).toMatchObject({
      event_action: "trigger",
      routing_key: ROUTING_KEY,
      dedup_key: incidentRecord().groupKey,
    });
    expect(results.sort()).toEqual([
      ["pagerduty", true],
      ["slack", true],
    ]);
    expect(emitted.map((e) => `${e.channel}:${e.outcome}`).sort()).toEqual(["pagerduty:sent", "slack:sent"]);
    expect(listenerErrors).toEqual([]);
    expectNoSecret(lines);
  });

  it("resolves on PagerDuty and tells Slack when the group resolves; re-triggers on a severity change", async () => {
    const actions: string[] = [];
    nock(PD)
      .post(
        "/v2/enqueue",
        (b: PagerDutyAlertEvent) => (actions.push(`${b.event_action}:${b.payload?.severity ?? "-"}`), true),
      )
      .times(2)
      .reply(202, {});
    const headers: string[] = [];
    nock(SLACK_HOST)
      .post(SLACK_PATH, (b: SlackMessage) => (headers.push(b.blocks[0]!.text!.text), true))
      .times(2)
      .reply(200, "ok");
    const { events, results } = setup();
    const event = incidentEvent(incidentRecord({ severity: "P2" }));
    events.emit("incident.severity", { ...event, previous: "P3" });
    await events.idle();
    events.emit("incident.resolved", event);
    await events.idle();
    expect(actions).toEqual(["trigger:error", "resolve:-"]);
    expect(headers).toEqual([
      ":arrow_up_down: P3 → P2: HighErrorRate",
      ":white_check_mark: Resolved: HighErrorRate",
    ]);
    expect(results.filter(([, ok]) => ok)).toHaveLength(4);
  });

  it("sends nothing for a repository without notifications", async () => {
    const { events, results, emitted, lines } = setup();
    const event = incidentEvent(incidentRecord(), DEFAULT_REPO_CONFIG);
    events.emit("incident.opened", { ...event, source: "alert" });
    events.emit("incident.severity", { ...event, previous: "P3" });
    events.emit("incident.resolved", event);
    await events.idle();
    expect(unmatched).toEqual([]);
    expect(results).toEqual([]);
    expect(emitted).toEqual([]);
    expect(lines).toEqual([]);
  });

  it("only the configured channel is used", async () => {
    const scope = nock(PD).post("/v2/enqueue").reply(202, {});
    const { events, results } = setup();
    const config = notificationsConfig({ pagerduty: { routingKeyEnv: "PAGERDUTY_ROUTING_KEY" } });
    events.emit("incident.opened", { ...incidentEvent(incidentRecord(), config), source: "alert" });
    await events.idle();
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
    expect(results).toEqual([["pagerduty", true]]);
  });

  it("a 500 is retried once, then logged (without the URL or key) and counted as failed", async () => {
    const slack = nock(SLACK_HOST).post(SLACK_PATH).times(2).reply(500, "internal_error");
    const pd = nock(PD).post("/v2/enqueue").times(2).reply(500, {});
    const { events, results, emitted, lines, listenerErrors } = setup();
    events.emit("incident.opened", { ...incidentEvent(), source: "alert" });
    await events.idle();
    expect(slack.isDone()).toBe(true);
    expect(pd.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
    expect(results.sort()).toEqual([
      ["pagerduty", false],
      ["slack", false],
    ]);
    expect(emitted.map((e) => `${e.channel}:${e.outcome}`).sort()).toEqual([
      "pagerduty:failed",
      "slack:failed",
    ]);
    expect(listenerErrors).toEqual([]);
    const warnings = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.level === 40);
    expect(warnings).toHaveLength(2);
    expect(warnings.find((w) => w.channel === "slack")).toMatchObject({
      repo: "acme/shop",
      number: 12,
      attempts: 2,
      status: 500,
      reason: "Slack webhook answered 500",
    });
    expectNoSecret(lines);
  });

  it("a timeout is a counted failure too", async () => {
    nock(SLACK_HOST).post(SLACK_PATH).times(2).delay(3_000).reply(200, "ok");
    const events = new AppEvents();
    const { log, lines } = capturedLogger();
    const results: Array<[NotificationChannel, boolean]> = [];
    registerNotifications(events, {
      log,
      env: ENV,
      onResult: (channel, ok) => results.push([channel, ok]),
      http: { backoffMs: 10, timeoutMs: 100 },
    });
    const config = notificationsConfig({ slack: { webhookUrlEnv: "SLACK_WEBHOOK_URL" } });
    events.emit("incident.resolved", incidentEvent(incidentRecord(), config));
    await events.idle();
    expect(results).toEqual([["slack", false]]);
    expect(lines.join("\n")).toContain("timed out after 100 ms");
    expectNoSecret(lines);
  });

  it("a missing environment variable is logged by name, counted, and sends nothing", async () => {
    const { events, results, lines } = setup({ PAGERDUTY_ROUTING_KEY: ROUTING_KEY });
    nock(PD).post("/v2/enqueue").reply(202, {});
    events.emit("incident.opened", { ...incidentEvent(incidentRecord(), BOTH), source: "alert" });
    await events.idle();
    expect(unmatched).toEqual([]);
    expect(results.sort()).toEqual([
      ["pagerduty", true],
      ["slack", false],
    ]);
    expect(lines.join("\n")).toMatch(/SLACK_WEBHOOK_URL is not set in the app's environment/);
  });

  it("a secret in a malformed variable is not echoed either", async () => {
    const { events, results, lines } = setup({ SLACK_WEBHOOK_URL: "sEcReT-pasted-without-https" });
    const config = notificationsConfig({ slack: { webhookUrlEnv: "SLACK_WEBHOOK_URL" } });
    events.emit("incident.opened", { ...incidentEvent(incidentRecord(), config), source: "alert" });
    await events.idle();
    expect(results).toEqual([["slack", false]]);
    expect(lines.join("\n")).toContain("not a valid http(s) URL");
    expectNoSecret(lines);
  });

  it("a throwing counter hook cannot break the notifier", async () => {
    nock(PD).post("/v2/enqueue").reply(202, {});
    const events = new AppEvents();
    const listenerErrors: unknown[] = [];
    events.setErrorHandler((err) => listenerErrors.push(err));
    const { log, lines } = capturedLogger();
    registerNotifications(events, {
      log,
      env: ENV,
      onResult: () => {
        throw new Error("metrics broke");
      },
    });
    const config = notificationsConfig({ pagerduty: { routingKeyEnv: "PAGERDUTY_ROUTING_KEY" } });
    events.emit("incident.opened", { ...incidentEvent(incidentRecord(), config), source: "alert" });
    await events.idle();
    expect(listenerErrors).toEqual([]);
    expect(lines.join("\n")).toContain("a notification counter failed");
  });
});

describe("the app registers the notifier", () => {
  const saved = process.env.SLACK_WEBHOOK_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.SLACK_WEBHOOK_URL;
    else process.env.SLACK_WEBHOOK_URL = saved;
  });

  it("an incident.opened on the app's bus reaches Slack", async () => {
    process.env.SLACK_WEBHOOK_URL = SLACK_URL;
    const scope = nock(SLACK_HOST).post(SLACK_PATH).reply(200, "ok");
    const events = new AppEvents();
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
    });
    const probot = new Probot({ appId: 1, privateKey, logLevel: "fatal" });
    await probot.load(createApp({ settings: readSettings({}), events }), {
      cwd: process.cwd(),
      addHandler: () => {},
    });
    const config = notificationsConfig({ slack: { webhookUrlEnv: "SLACK_WEBHOOK_URL" } });
    events.emit("incident.opened", { ...incidentEvent(incidentRecord(), config), source: "alert" });
    await events.idle();
    expect(scope.isDone()).toBe(true);
  });
});

describe("which repositories may use which variable (issue 11, finding 5)", () => {
  it("a variable scoped to other repositories is not used, and says so without the secret", async () => {
    const events = new AppEvents();
    const { log, lines } = capturedLogger();
    const results: Array<[NotificationChannel, boolean]> = [];
    registerNotifications(events, {
      log,
      env: ENV,
      scopes: { SLACK_WEBHOOK_URL: ["team-b/*"], PAGERDUTY_ROUTING_KEY: ["acme/shop"] },
      onResult: (channel, ok) => results.push([channel, ok]),
      http: { backoffMs: 10, timeoutMs: 1_000 },
    });
    const pd = nock(PD).post("/v2/enqueue").reply(202, { status: "success" });
    events.emit("incident.opened", { ...incidentEvent(), source: "alert" });
    await events.idle();
    // acme/shop may use the routing key it is scoped to, not team B's Slack webhook.
    expect(pd.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
    expect(results.sort()).toEqual([
      ["pagerduty", true],
      ["slack", false],
    ]);
    expect(lines.join("\n")).toMatch(
      /SLACK_WEBHOOK_URL may not be used by acme\/shop.*AFTERSHOCK_NOTIFY_SCOPES/,
    );
    expectNoSecret(lines);
  });

  it("without scopes, only the default variables are used: another team's variable reaches nobody", async () => {
    const team = { SLACK_WEBHOOK_TEAM_B: SLACK_URL, PAGERDUTY_TEAM_B: ROUTING_KEY };
    const { events, results, lines } = setup({ ...ENV, ...team });
    const named = notificationsConfig({
      slack: { webhookUrlEnv: "SLACK_WEBHOOK_TEAM_B" },
      pagerduty: { routingKeyEnv: "PAGERDUTY_TEAM_B" },
    });
    events.emit("incident.opened", { ...incidentEvent(incidentRecord(), named), source: "alert" });
    await events.idle();
    expect(unmatched).toEqual([]);
    expect(results.sort()).toEqual([
      ["pagerduty", false],
      ["slack", false],
    ]);
    expect(lines.join("\n")).toMatch(/SLACK_WEBHOOK_TEAM_B may not be used by acme\/shop/);
    expect(lines.join("\n")).toMatch(/PAGERDUTY_TEAM_B may not be used by acme\/shop/);
    expectNoSecret(lines);
    // The defaults stay open to every repository, as before.
    const slack = nock(SLACK_HOST).post(SLACK_PATH).reply(200, "ok");
    const pd = nock(PD).post("/v2/enqueue").reply(202, { status: "success" });
    events.emit("incident.opened", { ...incidentEvent(), source: "alert" });
    await events.idle();
    expect(slack.isDone() && pd.isDone()).toBe(true);
  });

  it("when scopes are set, a variable they do not list is used by no repository", async () => {
    const events = new AppEvents();
    const { log } = capturedLogger();
    const results: Array<[NotificationChannel, boolean]> = [];
    registerNotifications(events, {
      log,
      env: ENV,
      scopes: { OTHER: ["*"] },
      onResult: (channel, ok) => results.push([channel, ok]),
    });
    events.emit("incident.opened", { ...incidentEvent(), source: "alert" });
    await events.idle();
    expect(unmatched).toEqual([]);
    expect(results.sort()).toEqual([
      ["pagerduty", false],
      ["slack", false],
    ]);
  });
});
