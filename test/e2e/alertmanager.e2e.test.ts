// The app end to end with a real Alertmanager: alerts go into Alertmanager's API v2, its webhook
// receiver posts the groups to the app (a Probot Server on 127.0.0.1, bearer token), and the app
// writes incidents to a GitHub stand-in (a local HTTP server, Probot's baseUrl). Correlation is
// real too: fetchHistory's GraphQL is answered from a small simulated history, so the planted
// culprit PR must come out as the top suspect.
//
// Two Alertmanagers with clustering off stand for an HA pair that cannot see each other: both
// notify, which is how the same group reaches the app twice at the same moment in production.
import { generateKeyPairSync } from "node:crypto";
import nock from "nock";
import { pino } from "pino";
import { Probot, ProbotOctokit, Server } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateRepo, type SimRepo } from "../../src/demo/repo-history.js";
import type { AppEventMap } from "../../src/app/events.js";
import { AppEvents } from "../../src/app/events.js";
import { createApp } from "../../src/app/index.js";
import { InProcessKeyLock } from "../../src/app/lock.js";
import { parseRecord } from "../../src/core/incident/incident-record.js";
import {
  requireAlertmanager,
  startAlertmanager,
  type AlertmanagerServer,
  type PostableAlert,
} from "./harness/alertmanager.js";
import { startGithubStandin, type GithubStandin, type StandinIssue } from "../../src/demo/github-standin.js";
import { assertAvailable, freePort } from "./harness/servers.js";

const need = requireAlertmanager("alertmanager e2e");
const OWNER = "acme";
const REPO = "shop";
const TOKEN = "e2e-alertmanager-token";
// The alerts started a minute ago; the simulated deployments are in the hours before that.
const ALERT_AT = new Date(Date.now() - 60_000);

type Delivery = AppEventMap["alert.delivery"];

describe.skipIf(need.skip)("the app with a real Alertmanager", () => {
  let history: SimRepo;
  let github: GithubStandin;
  let app: Server | undefined;
  let am1: AlertmanagerServer | undefined;
  let am2: AlertmanagerServer | undefined;
  const deliveries: Delivery[] = [];
  const appLog: string[] = [];

  beforeAll(async () => {
    assertAvailable(need);
    // Everything is on loopback; nothing may reach GitHub or anywhere else.
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
    history = generateRepo({ commits: 12, deployments: 2, alertAt: ALERT_AT, owner: OWNER, repo: REPO });
    // Each test here is one alert group's deduplication; grouping groups by cause (all of these share
    // the suspect deploy) and has its own e2e file (grouping.e2e.test.ts).
    const files = { ".github/aftershock.yml": "grouping: { enabled: false }\n" };
    github = await startGithubStandin({ owner: OWNER, repo: REPO, history, files });

    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
    });
    const events = new AppEvents();
    events.on("alert.delivery", (d) => {
      deliveries.push(d);
    });
    const appPort = await freePort();
    app = new Server({
      host: "127.0.0.1",
      port: appPort,
      // Kept in memory and shown when a test fails.
      log: pino({ level: "info" }, { write: (line: string) => void appLog.push(line) }),
      Probot: Probot.defaults({
        appId: 1,
        privateKey,
        baseUrl: github.url,
        // Alertmanager is the retrier: a GitHub failure must reach it as a 5xx, not be retried here.
        Octokit: ProbotOctokit.defaults((o: object) => ({
          ...o,
          retry: { enabled: false },
          throttle: { enabled: false },
        })),
      }),
    });
    await app.load(
      createApp({
        settings: {
          alertmanagerToken: TOKEN,
          allowUnauthenticated: false,
          maxBodyBytes: 1024 * 1024,
          repositoryLabel: "repository",
        },
        lock: new InProcessKeyLock(),
        events,
      }),
    );
    await app.start();

    const receiver = { webhookUrl: `http://127.0.0.1:${appPort}/alertmanager`, token: TOKEN };
    [am1, am2] = await Promise.all([startAlertmanager(need, receiver), startAlertmanager(need, receiver)]);
  });

  afterAll(async () => {
    await Promise.all([am1?.stop(), am2?.stop()]);
    await app?.stop();
    await github?.close();
  });

  const startsAt = ALERT_AT.toISOString();
  function alert(alertname: string, instance: string, endsAt?: string): PostableAlert {
    return {
      labels: {
        alertname,
        instance,
        repository: `${OWNER}/${REPO}`,
        service: "checkout",
        environment: "production",
        severity: "critical",
      },
      annotations: { summary: `${alertname} on ${instance}` },
      startsAt,
      ...(endsAt ? { endsAt } : {}),
      generatorURL: "http://prometheus.example:9090/graph",
    };
  }

  /** The issues of one alert group (grouped by alertname, so the name identifies it). */
  const issuesOf = (alertname: string): StandinIssue[] =>
    github.issues.filter((i) => parseRecord(i.body)?.name === alertname);

  /** Outcomes of the deliveries of one group the app answered 2xx, from its log ("alert group handled"). */
  const handled = (alertname: string): string[] =>
    appLog
      .map((line) => JSON.parse(line) as { msg?: string; groupKey?: string; outcome?: string })
      .filter((l) => l.msg === "alert group handled" && l.groupKey?.includes(`alertname="${alertname}"`))
      .map((l) => l.outcome ?? "");

  /** Polls until `check` returns a value; on timeout fails with what the servers said. */
  async function waitFor<T>(
    what: string,
    check: () => T | undefined | false,
    timeoutMs = 20_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) {
        const tail = (text: string) => text.split("\n").slice(-8).join("\n");
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${what}\n` +
            `deliveries: ${JSON.stringify(deliveries.map((d) => `${d.status}:${d.outcome}:${d.httpStatus}`))}\n` +
            `github: ${JSON.stringify(github.requests.slice(-10))}\n` +
            `app log:\n${appLog.slice(-5).join("")}\nalertmanager 1:\n${tail(am1?.output() ?? "")}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it("opens exactly one incident naming the suspect, and later notifications of the group update it", async () => {
    const name = "CheckoutErrors";
    await am1!.postAlerts([alert(name, "checkout-1")]);
    const [issue] = await waitFor("the incident issue", () => issuesOf(name).length === 1 && issuesOf(name));
    // The issue exists before the delivery is answered (and logged): wait for the answer too.
    await waitFor("the first delivery's answer", () => handled(name).length === 1);
    expect(handled(name)).toEqual(["created"]);
    expect(issue!.title).toContain(name);
    expect(issue!.labels).toEqual(expect.arrayContaining(["incident", "service:checkout", "env:production"]));
    const record = parseRecord(issue!.body)!;
    expect(record.groupKey).toContain(`alertname="${name}"`);
    expect(Object.keys(record.fingerprints)).toHaveLength(1);
    // The real fetchHistory and scorer ran against the simulated history.
    expect(record.suspects.length).toBeGreaterThan(1);
    expect(record.suspects[0]!.number).toBe(history.culprit);
    expect(issue!.body).toContain(`#${history.culprit}`);

    // The same alert again: Alertmanager has notified this group already, so neither it nor the app writes.
    await am1!.postAlerts([alert(name, "checkout-1")]);
    await sleep(2500); // two group intervals
    expect(handled(name)).toEqual(["created"]);
    expect(issuesOf(name)).toHaveLength(1);

    // A second alert joins the group: one update on the same issue, not a second issue.
    await am1!.postAlerts([alert(name, "checkout-1"), alert(name, "checkout-2")]);
    await waitFor("the update comment", () => issue!.comments.length === 1);
    // The comment is written before the body; the delivery is answered after both.
    await waitFor("the update delivery", () => handled(name).length === 2);
    expect(handled(name)).toEqual(["created", "updated"]);
    const added = Object.keys(parseRecord(issue!.body)!.fingerprints).filter(
      (f) => !(f in record.fingerprints),
    );
    expect(added).toHaveLength(1);
    expect(issue!.comments[0]).toContain(added[0]);

    // The other Alertmanager of the pair delivers the same group: a redelivery that changes nothing.
    await am2!.postAlerts([alert(name, "checkout-1"), alert(name, "checkout-2")]);
    await waitFor("the second Alertmanager's delivery", () => handled(name).length === 3);
    expect(handled(name)).toEqual(["created", "updated", "unchanged"]);
    expect(issuesOf(name)).toHaveLength(1);
    expect(issue!.comments).toHaveLength(1);
  }, 40_000);

  it("two Alertmanagers notifying the same group at once open one incident", async () => {
    const name = "PaymentsLatency";
    const mark = deliveries.length;
    // A slow create keeps the first delivery inside its write while the second one arrives.
    github.createDelayMs = 800;
    try {
      const alerts = [alert(name, "payments-1")];
      await Promise.all([am1!.postAlerts(alerts), am2!.postAlerts(alerts)]);
      await waitFor("both deliveries", () => handled(name).length >= 2);
    } finally {
      github.createDelayMs = 0;
    }
    await sleep(1500); // a third delivery would be a bug too
    expect(handled(name).sort()).toEqual(["created", "unchanged"]);
    // They raced: the second waited on the first's lock, so it took about as long as the slow create.
    const answered = deliveries.slice(mark).filter((d) => d.status === "firing");
    expect(
      answered.map((d) => d.seconds).every((t) => t > 0.5),
      `the deliveries did not overlap, so there was no race: ${JSON.stringify(answered)}`,
    ).toBe(true);
    expect(issuesOf(name)).toHaveLength(1);
    expect(issuesOf(name)[0]!.comments).toEqual([]);
  }, 30_000);

  it("a resolved group is marked resolved on its issue, once", async () => {
    const name = "CheckoutErrors";
    const [issue] = issuesOf(name);
    expect(issue, "the first test opens this incident").toBeDefined();
    const ended = new Date(Date.now() - 1000).toISOString();
    const resolved = [alert(name, "checkout-1", ended), alert(name, "checkout-2", ended)];
    await Promise.all([am1!.postAlerts(resolved), am2!.postAlerts(resolved)]);
    await waitFor("both resolved deliveries", () => handled(name).length >= 5);
    expect(handled(name).slice(3).sort()).toEqual(["unchanged", "updated"]);
    expect(issue!.labels).toContain("resolved");
    expect(issue!.state).toBe("open");
    const record = parseRecord(issue!.body)!;
    expect(record.status).toBe("resolved");
    expect(record.timeline.at(-1)?.kind).toBe("resolved");
    // One comment for the new alert (first test), one for the resolution; the duplicate wrote nothing.
    expect(issue!.comments).toHaveLength(2);
    expect(issue!.comments[1]).toContain("The alert group resolved");
    expect(issuesOf(name)).toHaveLength(1);
  }, 30_000);

  it("while GitHub answers 502 the app answers 5xx, Alertmanager retries, and the incident opens once", async () => {
    const name = "InventoryDown";
    const mark = deliveries.length;
    const failedBefore = await am1!.metric("alertmanager_notification_requests_failed_total", {
      integration: "webhook",
    });
    github.outage(4000);
    await am1!.postAlerts([alert(name, "inventory-1")]);
    const [issue] = await waitFor(
      "the incident after the outage",
      () => issuesOf(name).length > 0 && issuesOf(name),
      45_000,
    );
    const answered = deliveries.slice(mark);
    const failed = answered.filter((d) => d.outcome === "failed");
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((d) => d.httpStatus >= 500)).toBe(true);
    expect(answered.at(-1)).toMatchObject({ outcome: "created", httpStatus: 201 });
    expect(handled(name)).toEqual(["created"]);
    expect(github.requests.some((r) => r.status === 502)).toBe(true);
    // Alertmanager saw the failures and retried (it counts and logs them).
    const failedAfter = await am1!.metric("alertmanager_notification_requests_failed_total", {
      integration: "webhook",
    });
    expect(failedAfter - failedBefore).toBe(failed.length);
    expect(am1!.output()).toMatch(/Notify attempt failed/);
    expect(parseRecord(issue!.body)!.suspects[0]!.number).toBe(history.culprit);
    await sleep(1500); // a late retry would show up as a second issue
    expect(issuesOf(name)).toHaveLength(1);
  }, 60_000);

  it("asked GitHub for nothing the stand-in does not serve", () => {
    expect(github.unexpected).toEqual([]);
  });
});
