// Each stage of the alert path on its own: authenticate, read body, validate, route; plus the lock
// and the settings.
import type { IncomingMessage } from "node:http";
import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { authenticate, tokensMatch } from "../../src/app/alertmanager/authenticate.js";
import { describeAlertGroup } from "../../src/app/alertmanager/describe.js";
import { matchPath } from "../../src/app/alertmanager/handler.js";
import { readBody } from "../../src/app/alertmanager/read-body.js";
import { parseRepo, resolveRepository } from "../../src/app/alertmanager/route.js";
import { fieldPath, validatePayload } from "../../src/app/alertmanager/validate.js";
import { HttpError } from "../../src/app/http.js";
import type { Redis } from "ioredis";
import {
  IncidentBusyError,
  InProcessKeyLock,
  LockQueueFull,
  WEBHOOK_MAX_WAITERS,
  withIncidentLock,
} from "../../src/app/lock.js";
import { RedisKeyLock } from "../../src/app/redis-lock.js";
import {
  MAX_SUSPECT_FILES,
  MAX_SUSPECT_FILE_CHARS,
  withBoundedFiles,
} from "../../src/app/pipeline/correlate.js";
import { renderSimilar } from "../../src/core/incident/render-incident.js";
import { DEFAULT_MAX_BODY_BYTES, readSettings } from "../../src/app/settings.js";
import { DEFAULT_REPO_CONFIG } from "../../src/core/config/repo-config.js";
import { firingPayload } from "./helpers.js";

function caught(fn: () => unknown): HttpError {
  try {
    fn();
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
  throw new Error("expected an HttpError");
}

const req = (headers: Record<string, string>) => ({ headers: { ...headers } }) as unknown as IncomingMessage;

describe("authenticate", () => {
  const settings = { alertmanagerToken: "tok", allowUnauthenticated: false };

  it("accepts the right bearer token and redacts it from the request headers", () => {
    const r = req({ authorization: "Bearer tok" });
    expect(() => authenticate(r, settings)).not.toThrow();
    expect(r.headers.authorization).toBe("[redacted]");
  });

  it("401 for a missing, malformed or wrong token", () => {
    expect(caught(() => authenticate(req({}), settings)).status).toBe(401);
    expect(caught(() => authenticate(req({ authorization: "Basic dG9r" }), settings)).status).toBe(401);
    expect(caught(() => authenticate(req({ authorization: "Bearer to" }), settings)).status).toBe(401);
    expect(caught(() => authenticate(req({ authorization: "Bearer tokk" }), settings)).status).toBe(401);
  });

  it("403 when no token is configured, unless unauthenticated delivery is allowed", () => {
    const err = caught(() =>
      authenticate(req({ authorization: "Bearer x" }), {
        allowUnauthenticated: false,
        alertmanagerToken: undefined,
      }),
    );
    expect(err.status).toBe(403);
    expect(err.message).toMatch(/ALERTMANAGER_TOKEN/);
    expect(() =>
      authenticate(req({}), { alertmanagerToken: undefined, allowUnauthenticated: true }),
    ).not.toThrow();
  });

  it("compares tokens of different lengths without throwing", () => {
    expect(tokensMatch("a", "a-much-longer-token")).toBe(false);
    expect(tokensMatch("same", "same")).toBe(true);
  });
});

describe("readBody", () => {
  const stream = (chunks: string[], headers: Record<string, string> = {}) =>
    Object.assign(Readable.from(chunks.map((c) => Buffer.from(c))), {
      headers,
    }) as unknown as IncomingMessage;

  it("reads a chunked body", async () => {
    expect(await readBody(stream(['{"a":', "1}"]), 100)).toBe('{"a":1}');
  });

  it("413 from the declared length, before reading", async () => {
    await expect(readBody(stream(["x"], { "content-length": "5000" }), 100)).rejects.toMatchObject({
      status: 413,
    });
  });

  it("413 when the streamed body passes the limit", async () => {
    await expect(readBody(stream(["x".repeat(60), "x".repeat(60)]), 100)).rejects.toMatchObject({
      status: 413,
    });
  });

  it("408 when the body does not arrive in time, and the request is let go (issue 11, finding 9)", async () => {
    const slow = Object.assign(new PassThrough(), { headers: {} }) as unknown as IncomingMessage &
      PassThrough;
    slow.write('{"a":');
    await expect(readBody(slow, 100, 50)).rejects.toMatchObject({
      status: 408,
      headers: { connection: "close" },
    });
  });

  it("uses a body a host already parsed", async () => {
    const r = Object.assign(stream([]), { body: { a: 1 } });
    expect(await readBody(r, 100)).toBe('{"a":1}');
  });
});

describe("validatePayload", () => {
  it("accepts Alertmanager's payload, nanosecond timestamps and zero endsAt included", () => {
    const p = validatePayload(JSON.stringify(firingPayload()));
    expect(p.alerts[0]!.fingerprint).toBe("5f1c2a8e9b3d4c70");
    expect(p.truncatedAlerts).toBe(0);
  });

  it.each([
    ["alerts[0].fingerprint", (p: ReturnType<typeof firingPayload>) => delete p.alerts[0]!["fingerprint"]],
    [
      "alerts[0].labels.severity",
      (p: ReturnType<typeof firingPayload>) =>
        ((p.alerts[0]!.labels as Record<string, unknown>)["severity"] = 2),
    ],
    ["groupKey", (p: ReturnType<typeof firingPayload>) => delete p["groupKey"]],
    ["status", (p: ReturnType<typeof firingPayload>) => (p["status"] = "pending")],
    ["alerts", (p: ReturnType<typeof firingPayload>) => (p.alerts.length = 0)],
    ["version", (p: ReturnType<typeof firingPayload>) => (p["version"] = 4)],
  ])("400 naming %s", (field, mutate) => {
    const p = firingPayload();
    mutate(p);
    const err = caught(() => validatePayload(JSON.stringify(p)));
    expect(err.status).toBe(400);
    expect(err.field).toBe(field);
  });

  it("formats paths", () => {
    expect(fieldPath(["alerts", 3, "labels", "x"])).toBe("alerts[3].labels.x");
  });
});

describe("route", () => {
  const payload = () => validatePayload(JSON.stringify(firingPayload()));

  it("takes the repository label or the path; a label that disagrees with the path is a 400", () => {
    expect(resolveRepository(payload(), null, "repository")).toEqual({ owner: "acme", repo: "shop" });
    expect(resolveRepository(payload(), { owner: "ACME", repo: "Shop" }, "repository")).toEqual({
      owner: "acme",
      repo: "shop",
    });
    const disagree = caught(() => resolveRepository(payload(), { owner: "o", repo: "r" }, "repository"));
    expect(disagree.status).toBe(400);
    expect(disagree.message).toMatch(/disagrees with the path \/alertmanager\/o\/r/);
    expect(resolveRepository(payload(), { owner: "o", repo: "r" }, "other")).toEqual({
      owner: "o",
      repo: "r",
    });
  });

  it("400 for a malformed label, alerts that disagree, or no repository at all", () => {
    const bad = payload();
    bad.commonLabels["repository"] = "not a repo";
    expect(caught(() => resolveRepository(bad, null, "repository")).status).toBe(400);

    const split = payload();
    delete split.commonLabels["repository"];
    split.alerts.push({ ...split.alerts[0]!, labels: { repository: "acme/other" }, fingerprint: "x" });
    expect(caught(() => resolveRepository(split, null, "repository")).message).toMatch(/group_by/);

    expect(caught(() => resolveRepository(payload(), null, "nope")).status).toBe(400);
  });

  it("matches only the receiver paths", () => {
    expect(matchPath("/alertmanager")).toEqual({ matched: true, repo: null });
    expect(matchPath("/alertmanager/acme/shop?x=1")).toEqual({
      matched: true,
      repo: { owner: "acme", repo: "shop" },
    });
    expect(matchPath("/alertmanager/acme")).toEqual({ matched: false });
    expect(matchPath("/api/github/webhooks")).toEqual({ matched: false });
    expect(parseRepo("a/b/c")).toBeNull();
  });
});

describe("describeAlertGroup", () => {
  it("takes service, environment and severity from labels, and fingerprints from the alerts", () => {
    const { draft, correlation } = describeAlertGroup(
      validatePayload(JSON.stringify(firingPayload())),
      DEFAULT_REPO_CONFIG,
    );
    expect(draft).toMatchObject({
      name: "HighErrorRate",
      service: "checkout",
      environment: "production",
      severity: "P2",
    });
    expect(draft.delivery.alerts["5f1c2a8e9b3d4c70"]).toMatchObject({
      status: "firing",
      summary: "checkout is failing requests",
    });
    expect(draft.delivery.alerts["5f1c2a8e9b3d4c70"]!.endsAt).toBeUndefined();
    expect(correlation.until.toISOString()).toBe("2024-05-01T12:03:00.123Z");
  });

  it("uses the error_ratio annotation without a severity label, and the first configured environment", () => {
    const p = firingPayload();
    for (const labels of [p.commonLabels, p.alerts[0]!.labels]) {
      delete labels["severity"];
      delete labels["environment"];
    }
    p.alerts[0]!.annotations["error_ratio"] = "0.2";
    const config = { ...DEFAULT_REPO_CONFIG, environments: ["prod-eu"] };
    const { draft } = describeAlertGroup(validatePayload(JSON.stringify(p)), config);
    expect(draft.severity).toBe("P1");
    expect(draft.environment).toBe("prod-eu");
  });
});

describe("InProcessKeyLock", () => {
  it("refuses waiters beyond its limit per key with a 503, so Alertmanager retries later (issue 11, finding 9)", async () => {
    const lock = new InProcessKeyLock({ maxWaiters: 2 });
    let release!: () => void;
    const held = lock.withLock("k", () => new Promise<string>((r) => (release = () => r("held"))));
    const waiting = [lock.withLock("k", async () => "w1"), lock.withLock("k", async () => "w2")];
    const refused = lock.withLock("k", async () => "w3");
    await expect(refused).rejects.toMatchObject({ status: 503, message: expect.stringMatching(/waiting/) });
    // Other keys are not affected, and the queue drains as before.
    expect(await lock.withLock("other", async () => "o")).toBe("o");
    release();
    expect(await Promise.all([held, ...waiting])).toEqual(["held", "w1", "w2"]);
    expect(await lock.withLock("k", async () => "again")).toBe("again");
    expect(lock.size).toBe(0);
  });

  it("lets a webhook or command wait where an alert delivery is refused, and fails it clearly past its own bound", async () => {
    const lock = new InProcessKeyLock({ maxWaiters: 2 });
    let release!: () => void;
    const held = lock.withLock("k", () => new Promise<void>((r) => (release = r)));
    const alerts = [lock.withLock("k", async () => "a1"), lock.withLock("k", async () => "a2")];
    await expect(lock.withLock("k", async () => "a3")).rejects.toBeInstanceOf(LockQueueFull);
    // The webhook queues behind the alert deliveries instead of getting their 503.
    const webhook = withIncidentLock(lock, "k", async () => "webhook");
    const more = Array.from({ length: WEBHOOK_MAX_WAITERS - 3 }, () =>
      withIncidentLock(lock, "k", async () => 1),
    );
    const refused = await withIncidentLock(lock, "k", async () => "never").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(IncidentBusyError);
    expect((refused as Error).message).toMatch(
      new RegExp(
        `^the incident is busy: ${WEBHOOK_MAX_WAITERS} updates .* not applied; GitHub does not resend it`,
      ),
    );
    release();
    await held;
    expect(await Promise.all([...alerts, webhook])).toEqual(["a1", "a2", "webhook"]);
    await Promise.all(more);
    expect(lock.size).toBe(0);
  });

  it("withIncidentLock leaves a refusal from a lock its work takes as it is", async () => {
    const lock = new InProcessKeyLock({ maxWaiters: 0 });
    let release!: () => void;
    const held = lock.withLock("inner", () => new Promise<void>((r) => (release = r)));
    const nested = withIncidentLock(lock, "outer", () => lock.withLock("inner", async () => "x"));
    await expect(nested).rejects.toBeInstanceOf(LockQueueFull);
    release();
    await held;
  });

  it("runs work on one key one at a time, in order, and other keys in parallel", async () => {
    const lock = new InProcessKeyLock();
    const events: string[] = [];
    const task = (name: string, ms: number) => async () => {
      events.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, ms));
      events.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([
      lock.withLock("k", task("a", 30)),
      lock.withLock("k", task("b", 1)),
      lock.withLock("other", task("c", 1)),
    ]);
    expect(results).toEqual(["a", "b", "c"]);
    expect(events.indexOf("start b")).toBeGreaterThan(events.indexOf("end a"));
    expect(events.indexOf("end c")).toBeLessThan(events.indexOf("end a"));
    expect(lock.size).toBe(0);
  });

  it("releases the key when the work throws", async () => {
    const lock = new InProcessKeyLock();
    await expect(lock.withLock("k", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await lock.withLock("k", async () => "next")).toBe("next");
  });
});

describe("readSettings", () => {
  it("reads the environment with defaults", () => {
    expect(readSettings({})).toEqual({
      alertmanagerToken: undefined,
      allowUnauthenticated: false,
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      repositoryLabel: "repository",
      trustedAuthors: [],
    });
    expect(
      readSettings({
        ALERTMANAGER_TOKEN: " t ",
        ALERTMANAGER_ALLOW_UNAUTHENTICATED: "TRUE",
        ALERTMANAGER_MAX_BODY_BYTES: "10",
      }),
    ).toMatchObject({ alertmanagerToken: "t", allowUnauthenticated: true, maxBodyBytes: 10 });
  });

  it("reads scoped tokens and notification scopes, and refuses malformed ones without echoing them", () => {
    const settings = readSettings({
      ALERTMANAGER_TOKENS: '[{"token": " t1 ", "scope": ["acme/*", "other/shop"]}]',
      AFTERSHOCK_NOTIFY_SCOPES: '{"SLACK_WEBHOOK_TEAM_A": ["acme/*"]}',
    });
    expect(settings.alertmanagerTokens).toEqual([{ token: "t1", scope: ["acme/*", "other/shop"] }]);
    expect(settings.notifyScopes).toEqual({ SLACK_WEBHOOK_TEAM_A: ["acme/*"] });
    expect(() => readSettings({ ALERTMANAGER_TOKENS: "{secret-ish" })).toThrow(
      /^ALERTMANAGER_TOKENS is not valid JSON$/,
    );
    expect(() => readSettings({ ALERTMANAGER_TOKENS: '[{"token": "t", "scope": ["acme"]}]' })).toThrow(
      /ALERTMANAGER_TOKENS\[0\]\.scope must be/,
    );
    expect(() => readSettings({ AFTERSHOCK_NOTIFY_SCOPES: '{"X": []}' })).toThrow(
      /AFTERSHOCK_NOTIFY_SCOPES\.X/,
    );
  });

  it("refuses a size limit that is not a positive number", () => {
    expect(() => readSettings({ ALERTMANAGER_MAX_BODY_BYTES: "1MB" })).toThrow(/ALERTMANAGER_MAX_BODY_BYTES/);
  });
});

describe("withBoundedFiles", () => {
  const suspect = (number: number) => ({
    number,
    title: `PR ${number}`,
    author: "dev",
    deploymentId: 1,
    score: 0.5,
    reasons: [],
  });

  it("keeps the first paths of each suspect, and none past the total budget, in rank order", () => {
    const many = Array.from({ length: MAX_SUSPECT_FILES + 10 }, (_, i) => `src/a/${i}.ts`);
    const long = Array.from({ length: MAX_SUSPECT_FILES }, (_, i) => `${"x".repeat(200)}/${i}.ts`);
    const out = withBoundedFiles(
      [suspect(1), suspect(2), suspect(3), suspect(4)],
      [many, [], long, ["b.ts"]],
    );
    expect(out[0]!.files).toEqual(many.slice(0, MAX_SUSPECT_FILES));
    expect(out[1]).not.toHaveProperty("files");
    // 50 paths of 200+ characters do not fit in what is left of the budget; a short one still does.
    expect(long.join("").length).toBeGreaterThan(MAX_SUSPECT_FILE_CHARS);
    expect(out[2]).not.toHaveProperty("files");
    expect(out[3]!.files).toEqual(["b.ts"]);
  });
});

describe("renderSimilar", () => {
  it("links each incident with its outcome and escapes why it matched; nothing without matches", () => {
    const md = renderSimilar({
      similar: [
        {
          number: 7,
          url: "https://github.com/acme/shop/issues/7",
          why: ["same error: <b>@team</b>"],
          outcome: "rolled back",
        },
      ],
    });
    expect(md).toBe(
      "### Similar incidents\n\n- [\\#7](https://github.com/acme/shop/issues/7) (rolled back): same error: &lt;b&gt;@\u200Dteam&lt;/b&gt;",
    );
    expect(renderSimilar({})).toBe("");
    expect(renderSimilar({ similar: [] })).toBe("");
  });
});

describe("RedisKeyLock waiters (issue 11, finding 9)", () => {
  it("refuses callers beyond maxWaiters for a key held elsewhere with a 503 at once", async () => {
    // A Redis where another replica holds every key: SET NX never succeeds.
    const redis = { status: "ready", set: async () => null, eval: async () => 0 } as unknown as Redis;
    const lock = new RedisKeyLock(redis, { maxWaiters: 2, waitMs: 300, retryMinMs: 5 });
    const waiting = [lock.withLock("k", async () => 1), lock.withLock("k", async () => 2)];
    await expect(lock.withLock("k", async () => 3)).rejects.toMatchObject({
      status: 503,
      message: expect.stringMatching(/2 deliveries are already waiting/),
    });
    // The two waiters time out as before (503, held elsewhere), and the key's count is freed.
    const settled = await Promise.allSettled(waiting);
    expect(settled.map((s) => s.status === "rejected" && (s.reason as HttpError).status)).toEqual([503, 503]);
    await expect(lock.withLock("k", async () => 4)).rejects.toMatchObject({
      message: expect.stringMatching(/held the lock/),
    });
  });
});
