// Bad input against the running receiver (a real HTTP server on 127.0.0.1), table-driven: every
// delivery that can never succeed gets a 4xx whose JSON says what is wrong (naming the field), and
// GitHub is not written. After all of them, and after clients that hang up mid-body, a good delivery
// still opens its incident: the process keeps serving. Cases already in alertmanager.test.ts (missing
// or wrong token, no token configured, startsAt, version "3", one non-JSON body, the small-limit
// 413, no repository at all, app not installed) are not repeated here.
import { generateKeyPairSync } from "node:crypto";
import { request } from "node:http";
import nock from "nock";
import { pino } from "pino";
import { Probot, ProbotOctokit, Server } from "probot";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app/index.js";
import { fetchHistory } from "../../src/github/history.js";
import { freePort } from "../e2e/harness/servers.js";
import { API, FakeGitHub, TOKEN, firingPayload, post } from "./helpers.js";

vi.mock("../../src/github/history.js", () => ({ fetchHistory: vi.fn() }));

type Payload = ReturnType<typeof firingPayload>;

interface Row {
  name: string;
  /** The body: a change to the good payload, or raw text. */
  body?: ((p: Payload) => unknown) | string;
  headers?: Record<string, string>;
  path?: string;
  method?: string;
  status: number;
  /** The field the answer names in `field`, and in its message unless `names` says otherwise. */
  field?: string;
  /** What the message must name instead of the JSON path: the label, for routing errors. */
  names?: string;
  error: RegExp;
}

const auth = { authorization: `Bearer ${TOKEN}` };
const MiB = 1024 * 1024;
const withoutRepository = (p: Payload) => {
  delete p.commonLabels["repository"];
  delete p.alerts[0]!.labels["repository"];
  return p;
};

const rows: Row[] = [
  // Wrong types.
  {
    name: "alerts is an object",
    body: (p) => ({ ...p, alerts: { 0: p.alerts[0] } }),
    status: 400,
    field: "alerts",
    error: /expected array/,
  },
  {
    name: "a label value is a number",
    body: (p) => (((p.alerts[0]!.labels as Record<string, unknown>)["severity"] = 3), p),
    status: 400,
    field: "alerts[0].labels.severity",
    error: /expected string/,
  },
  {
    name: "status is not firing/resolved",
    body: (p) => ({ ...p, status: "pending" }),
    status: 400,
    field: "status",
    error: /firing|resolved/,
  },
  {
    name: "an alert's status is unknown",
    body: (p) => ((p.alerts[0]!.status = "active"), p),
    status: 400,
    field: "alerts[0].status",
    error: /firing|resolved/,
  },
  {
    name: "endsAt is not a timestamp",
    body: (p) => ((p.alerts[0]!.endsAt = "tomorrow"), p),
    status: 400,
    field: "alerts[0].endsAt",
    error: /RFC 3339/,
  },
  {
    name: "groupKey is a number",
    body: (p) => ({ ...p, groupKey: 42 }),
    status: 400,
    field: "groupKey",
    error: /expected string/,
  },
  {
    name: "commonLabels is null",
    body: (p) => ({ ...p, commonLabels: null }),
    status: 400,
    field: "commonLabels",
    error: /expected record/,
  },
  {
    name: "truncatedAlerts is a string",
    body: (p) => ({ ...p, truncatedAlerts: "0" }),
    status: 400,
    field: "truncatedAlerts",
    error: /expected number/,
  },
  {
    name: "truncatedAlerts is negative",
    body: (p) => ({ ...p, truncatedAlerts: -1 }),
    status: 400,
    field: "truncatedAlerts",
    error: />=0/,
  },
  {
    name: "version is the number 4",
    body: (p) => ({ ...p, version: 4 }),
    status: 400,
    field: "version",
    error: /must be "4"/,
  },

  // Missing fields.
  {
    name: "no receiver",
    body: ({ receiver: _, ...p }) => p,
    status: 400,
    field: "receiver",
    error: /is required/,
  },
  {
    name: "no groupKey",
    body: ({ groupKey: _, ...p }) => p,
    status: 400,
    field: "groupKey",
    error: /is required/,
  },
  {
    name: "no version",
    body: ({ version: _, ...p }) => p,
    status: 400,
    field: "version",
    error: /must be "4"/,
  },
  {
    name: "an alert without fingerprint",
    body: (p) => (delete p.alerts[0]!["fingerprint"], p),
    status: 400,
    field: "alerts[0].fingerprint",
    error: /is required/,
  },
  {
    name: "an empty fingerprint",
    body: (p) => ((p.alerts[0]!.fingerprint = ""), p),
    status: 400,
    field: "alerts[0].fingerprint",
    error: />=1 characters/,
  },
  {
    name: "no alerts",
    body: (p) => ({ ...p, alerts: [] }),
    status: 400,
    field: "alerts",
    error: />=1 items/,
  },

  // Not a payload at all.
  { name: "a JSON array", body: "[]", status: 400, error: /^body .*Alertmanager webhook payload/ },
  { name: "JSON null", body: "null", status: 400, error: /^body .*Alertmanager webhook payload/ },
  { name: "an empty body", body: "", status: 400, error: /not JSON/ },
  {
    name: "XML",
    body: "<alerts/>",
    headers: { "content-type": "application/xml" },
    status: 400,
    error: /not JSON/,
  },
  {
    name: "2 MiB with a content-length (default 1 MiB limit)",
    body: (p) => ((p.alerts[0]!.annotations["description"] = "x".repeat(2 * MiB)), p),
    status: 413,
    error: /larger than 1048576 bytes.*max_alerts.*ALERTMANAGER_MAX_BODY_BYTES/,
  },

  // Which repository.
  {
    name: "a repository label that is not owner/name",
    body: (p) => ((p.commonLabels["repository"] = "shop"), (p.alerts[0]!.labels["repository"] = "shop"), p),
    status: 400,
    field: "commonLabels.repository",
    names: 'repository="shop"',
    error: /must be "owner\/name"/,
  },
  {
    name: "alerts of one group naming different repositories",
    body: (p) => {
      delete p.commonLabels["repository"];
      p.alerts.push({
        ...p.alerts[0]!,
        labels: { ...p.alerts[0]!.labels, repository: "acme/web" },
        fingerprint: "ffff",
      });
      return p;
    },
    status: 400,
    field: "alerts[].labels.repository",
    names: '"repository"',
    error: /acme\/shop, acme\/web.*group_by/,
  },
  {
    name: "an unknown repository by label",
    body: (p) => (
      (p.commonLabels["repository"] = "acme/ghost"),
      (p.alerts[0]!.labels["repository"] = "acme/ghost"),
      p
    ),
    status: 404,
    error: /not installed on acme\/ghost: install the GitHub App/,
  },
  {
    name: "an unknown repository by path",
    body: withoutRepository,
    path: "/alertmanager/acme/ghost",
    status: 404,
    error: /not installed on acme\/ghost/,
  },
  {
    name: "a path that is not a repository, and no label",
    body: withoutRepository,
    path: "/alertmanager/-acme-/shop",
    status: 400,
    field: "commonLabels.repository",
    names: 'repository="owner/name"',
    error: /no repository: .*\/alertmanager\/<owner>\/<repo>/,
  },

  // Which repository a caller may reach (issue 11, finding 4).
  {
    name: "a repository label that disagrees with the path",
    body: (p) => (
      (p.commonLabels["repository"] = "evil/other"),
      (p.alerts[0]!.labels["repository"] = "evil/other"),
      p
    ),
    path: "/alertmanager/acme/shop",
    status: 400,
    field: "commonLabels.repository",
    names: 'repository="evil/other"',
    error: /disagrees with the path \/alertmanager\/acme\/shop/,
  },
  {
    name: "a token bound to another repository",
    headers: { authorization: "Bearer team-web-token" },
    status: 403,
    error: /this token may not open incidents in acme\/shop/,
  },

  // Credentials and method.
  {
    name: "a Basic authorization",
    headers: { authorization: `Basic ${Buffer.from(`am:${TOKEN}`).toString("base64")}` },
    status: 401,
    error: /missing bearer token/,
  },
  {
    name: "Bearer without a token",
    headers: { authorization: "Bearer " },
    status: 401,
    error: /missing bearer token/,
  },
  {
    name: "the token with something after it",
    headers: { authorization: `Bearer ${TOKEN} ${TOKEN}` },
    status: 401,
    error: /bearer token/,
  },
  { name: "PUT", method: "PUT", status: 405, error: /use POST/ },
];

let github: FakeGitHub;
let server: { url: string; close: () => Promise<void> };

/** The app as `probot run` serves it: a Probot Server with all of its handlers, on 127.0.0.1. */
async function startReceiver(): Promise<typeof server> {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  const port = await freePort();
  const probotServer = new Server({
    host: "127.0.0.1",
    port,
    log: pino({ level: "silent" }),
    Probot: Probot.defaults({
      appId: 1,
      privateKey,
      Octokit: ProbotOctokit.defaults((o: object) => ({
        ...o,
        retry: { enabled: false },
        throttle: { enabled: false },
      })),
    }),
  });
  await probotServer.load(
    createApp({
      settings: {
        alertmanagerToken: TOKEN,
        allowUnauthenticated: false,
        maxBodyBytes: MiB,
        repositoryLabel: "repository",
        appSlug: "aftershock",
        alertmanagerTokens: [{ token: "team-web-token", scope: ["acme/web"] }],
        bodyTimeoutMs: 500,
      },
    }),
  );
  await probotServer.start();
  return { url: `http://127.0.0.1:${port}`, close: () => probotServer.stop() };
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  vi.mocked(fetchHistory).mockResolvedValue({ deployments: [], pulls: [], requests: 1 });
  github = new FakeGitHub();
  github.install();
  // Installed on acme/shop only.
  nock(API).persist().get("/repos/acme/ghost/installation").reply(404, { message: "Not Found" });
  server = await startReceiver();
});

afterAll(async () => {
  await server?.close();
  nock.cleanAll();
});

async function send(row: Row) {
  const body = typeof row.body === "function" ? row.body(firingPayload()) : (row.body ?? firingPayload());
  const res = await fetch(`${server.url}${row.path ?? "/alertmanager"}`, {
    method: row.method ?? "POST",
    headers: { "content-type": "application/json", ...auth, ...row.headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return {
    status: res.status,
    headers: res.headers,
    json: (await res.json()) as { error?: string; field?: string },
  };
}

/** Streams `total` bytes without a content-length; resolves with the answer, or null if the server only hung up. */
function sendChunked(total: number, abortAfter?: number): Promise<{ status: number; text: string } | null> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}/alertmanager`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json", "transfer-encoding": "chunked" },
    });
    let answered = false;
    req.on("response", (res) => {
      answered = true;
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    // Writing on after the server refused may fail (EPIPE/ECONNRESET): only the answer matters.
    req.on("error", (err) => (answered ? undefined : abortAfter === undefined ? reject(err) : resolve(null)));
    const chunk = Buffer.alloc(64 * 1024, "x");
    let sent = 0;
    const pump = () => {
      while (!answered && sent < total) {
        if (abortAfter !== undefined && sent >= abortAfter) {
          req.destroy();
          setTimeout(() => resolve(null), 50);
          return;
        }
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    req.write('{"version":"4","receiver":"');
    pump();
  });
}

describe("bad input to POST /alertmanager", () => {
  it.each(rows)("$name → $status", async (row) => {
    const res = await send(row);
    expect(res.status).toBe(row.status);
    expect(res.json.error).toMatch(row.error);
    if (row.field !== undefined) {
      expect(res.json.field).toBe(row.field);
      expect(res.json.error).toContain(row.names ?? row.field);
    }
    if (row.status === 401) {
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="aftershock"/);
      // Nothing more is read from an unauthenticated caller: the connection is not kept for it.
      expect(res.headers.get("connection")).toBe("close");
    }
    if (row.status === 405) expect(res.headers.get("allow")).toBe("POST");
  });

  it("413 for a body streamed without a content-length, as soon as it passes the limit", async () => {
    const res = await sendChunked(3 * MiB);
    expect(res?.status).toBe(413);
    expect(JSON.parse(res!.text).error).toMatch(/larger than 1048576 bytes/);
  });

  it("408 and a closed connection for a body that trickles in too slowly (issue 11, finding 9)", async () => {
    const answer = await new Promise<{ status: number; closed: boolean }>((resolve, reject) => {
      const req = request(`${server.url}/alertmanager`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json", "content-length": "100000" },
      });
      req.on("response", (res) => {
        res.resume();
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, closed: res.headers.connection === "close" }),
        );
      });
      req.on("error", reject);
      req.write('{"version":"4"');
    });
    expect(answer).toEqual({ status: 408, closed: true });
  });

  it("survives clients that hang up in the middle of a body", async () => {
    expect(await sendChunked(MiB, 128 * 1024)).toBeNull();
    expect(await sendChunked(MiB, 0)).toBeNull();
  });

  it("wrote nothing to GitHub for any of them, and still opens the incident for a good delivery", async () => {
    expect(github.calls.filter((c) => !c.startsWith("GET /repos/acme/shop/installation"))).toEqual([]);
    expect(github.issues).toEqual([]);
    const good = await post(`${server.url}/alertmanager`, firingPayload());
    expect(good.status).toBe(201);
    expect(good.json).toMatchObject({ outcome: "created", repository: "acme/shop" });
    expect(github.issues).toHaveLength(1);
  });
});
