// Finding 1 of issue 11: content too large for GitHub. The fake GitHub refuses (422) any body or
// comment above 65 536 characters, as GitHub does. Huge groups, keys, fingerprints and configs must
// still give a bounded incident, an answer Alertmanager does not retry forever, and no comment spam.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseRecord } from "../../src/core/incident/incident-record.js";
import { fetchHistory } from "../../src/github/history.js";
import { FakeGitHub, GITHUB_TEXT_LIMIT, firingPayload, loadApp, post, serve } from "./helpers.js";

vi.mock("../../src/github/history.js", () => ({ fetchHistory: vi.fn() }));

let github: FakeGitHub;
let server: { url: string; close: () => Promise<void> };

beforeEach(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  vi.mocked(fetchHistory).mockReset().mockResolvedValue({ deployments: [], pulls: [], requests: 1 });
  github = new FakeGitHub();
});

afterEach(async () => {
  await server?.close();
  nock.cleanAll();
});

async function start(): Promise<string> {
  github.install();
  const { handler } = await loadApp();
  server = await serve(handler);
  return `${server.url}/alertmanager`;
}

/** A group of `count` firing alerts, `from` numbering their fingerprints, each with a long summary. */
function group(count: number, from = 0, groupKey?: string) {
  const p = firingPayload();
  const template = p.alerts[0]!;
  p.alerts = Array.from({ length: count }, (_, i) => ({
    ...template,
    labels: { ...template.labels, instance: `checkout-${from + i}:8080` },
    annotations: { ...template.annotations, summary: `checkout pod ${from + i} is failing `.repeat(8) },
    fingerprint: (from + i).toString(16).padStart(16, "0"),
  }));
  if (groupKey !== undefined) p["groupKey"] = groupKey;
  return p;
}

function withinLimit(issue: { body: string; comments: string[] }) {
  expect(issue.body.length).toBeLessThanOrEqual(GITHUB_TEXT_LIMIT);
  for (const c of issue.comments) expect(c.length).toBeLessThanOrEqual(GITHUB_TEXT_LIMIT);
}

describe("content too large for GitHub", () => {
  it("400 alerts, then 500 more: one bounded comment, the body updated, redeliveries post nothing", async () => {
    const url = await start();
    const first = await post(url, group(400));
    expect(first.status).toBe(201);
    const more = group(900);
    const second = await post(url, more);
    expect(second.status).toBe(200);
    expect(second.json["outcome"]).toBe("updated");
    const issue = github.issues[0]!;
    withinLimit(issue);
    expect(issue.comments).toHaveLength(1);
    expect(issue.comments[0]).toMatch(/700 more alerts .*700 firing.* beyond the 200 listed/);
    // The body was rewritten with the new alerts, before the comment (a failed write cannot spam).
    const writes = github.calls.filter((c) => c.startsWith("PATCH") || c.endsWith("/comments"));
    expect(writes).toEqual(["PATCH /repos/acme/shop/issues", "POST /repos/acme/shop/comments"]);
    expect(issue.body).toMatch(/…and \d+ more alerts/);
    const record = parseRecord(issue.body)!;
    expect(Object.keys(record.fingerprints).length + (record.unlisted?.count ?? 0)).toBe(900);
    for (let i = 0; i < 3; i++) {
      const again = await post(url, more);
      expect(again.status).toBe(200);
      expect(again.json["outcome"]).toBe("unchanged");
    }
    expect(issue.comments).toHaveLength(1);
  });

  it("a new group of 800 alerts opens one incident that fits", async () => {
    const url = await start();
    const res = await post(url, group(800));
    expect(res.status).toBe(201);
    withinLimit(github.issues[0]!);
    const record = parseRecord(github.issues[0]!.body)!;
    expect(Object.keys(record.fingerprints).length + (record.unlisted?.count ?? 0)).toBe(800);
  });

  it("a 60 000-character groupKey is kept bounded, and its redelivery meets the same incident", async () => {
    const url = await start();
    const key = `{}:{alertname="${"x".repeat(60_000)}"}`;
    expect((await post(url, group(1, 0, key))).status).toBe(201);
    const again = await post(url, group(1, 0, key));
    expect(again.json["outcome"]).toBe("unchanged");
    expect(github.issues).toHaveLength(1);
    withinLimit(github.issues[0]!);
    const other = await post(url, group(1, 0, `{}:{alertname="${"x".repeat(59_999)}y"}`));
    expect(other.status).toBe(201);
    expect(github.issues).toHaveLength(2);
  });

  it("a 200 kB fingerprint is hashed, and its redelivery changes nothing", async () => {
    const url = await start();
    const p = group(1);
    p.alerts[0]!["fingerprint"] = "f".repeat(200_000);
    expect((await post(url, p)).status).toBe(201);
    withinLimit(github.issues[0]!);
    expect((await post(url, p)).json["outcome"]).toBe("unchanged");
    expect(github.issues[0]!.comments).toEqual([]);
  });

  it("a __proto__ fingerprint: identical redeliveries post nothing (finding 7)", async () => {
    const url = await start();
    const p = group(2);
    p.alerts[0]!["fingerprint"] = "__proto__";
    expect((await post(url, p)).status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await post(url, p)).json["outcome"]).toBe("unchanged");
    expect(github.issues[0]!.comments).toEqual([]);
  });

  it("a config with 400 unknown keys: the warnings are bounded and the incident opens", async () => {
    github.config = Array.from({ length: 400 }, (_, i) => `unknown_key_${i}_${"z".repeat(100)}: 1`).join(
      "\n",
    );
    const url = await start();
    const res = await post(url, group(1));
    expect(res.status).toBe(201);
    withinLimit(github.issues[0]!);
    expect(github.issues[0]!.body).toMatch(/… and \d+ more warnings/);
  });

  it("a 422 from GitHub is permanent: answered 4xx with the reason, not 503", async () => {
    const url = await start();
    github.failNext("POST /repos/acme/shop/issues", 422);
    const res = await post(url, group(1));
    expect(res.status).toBe(422);
    expect(res.json["error"]).toMatch(/GitHub refused/);
  });
});
