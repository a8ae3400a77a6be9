// Service hints for the ranker: what is read (tree, CODEOWNERS, past culprits of the service), when
// (only without configured paths), the cache, and failures that leave the rest usable. GitHub via nock.
import nock from "nock";
import { Octokit } from "octokit";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  ServiceHintsReader,
  hintsForCase,
  hintsRef,
  messageOf,
  needsHints,
} from "../../src/app/pipeline/service-hints.js";
import type { IncidentRecord } from "../../src/core/incident/incident-record.js";
import { incidentRecord } from "../helpers/incident-record.js";
import { pastCulpritFiles } from "../../src/core/learning/culprit-files.js";
import { renderIncidentBody } from "../../src/core/incident/render-incident.js";
import { DEFAULT_REPO_CONFIG, parseRepoConfig } from "../../src/core/config/repo-config.js";

const API = "https://api.github.com";
const repo = { owner: "acme", repo: "shop" };
const SHA = "c".repeat(40);
const NOW = new Date("2024-05-01T12:05:00Z");

function client() {
  return new Octokit({ auth: "test-token", retry: { enabled: false }, throttle: { enabled: false } });
}

/** A past incident of `service` whose culprit #pr changed `files` (confirmed, or its revert merged). */
function past(
  number: number,
  service: string,
  pr: number,
  files: string[],
  how: "confirmed" | "rolled back" | "suspected",
  openedAt = "2024-04-10T09:01:00Z",
) {
  const record: IncidentRecord = incidentRecord({
    groupKey: `g${number}`,
    status: "resolved",
    service,
    suspects: [
      { number: pr, title: `PR ${pr}`, author: "carol", deploymentId: 3, score: 0.8, reasons: [], files },
    ],
    openedAt,
    response: {
      ...(how === "confirmed" ? { rootCause: { pr, confirmed: true } } : {}),
      actionItems: [],
      rollbacks: how === "rolled back" ? [{ pr, state: "merged", at: openedAt }] : [],
      handled: [],
    },
  });
  return { number, url: `https://github.com/acme/shop/issues/${number}`, state: "closed" as const, record };
}

function issueOf(p: ReturnType<typeof past>) {
  return {
    number: p.number,
    html_url: p.url,
    state: "closed",
    created_at: p.record.openedAt,
    body: renderIncidentBody(p.record),
  };
}

function expectTree(sha = SHA, tree = [{ path: "services/checkout", type: "tree" }]) {
  return nock(API)
    .get(`/repos/acme/shop/git/trees/${sha}`)
    .query({ recursive: "1" })
    .reply(200, {
      truncated: false,
      tree: [...tree, { path: ".github/CODEOWNERS", type: "blob" }],
    });
}

function expectCodeowners(sha = SHA, text = "/services/checkout/ @acme/payments\n") {
  return nock(API)
    .get("/repos/acme/shop/contents/.github%2FCODEOWNERS")
    .query({ ref: sha })
    .reply(200, { type: "file", encoding: "base64", content: Buffer.from(text).toString("base64") });
}

function expectHistory(incidents: ReturnType<typeof past>[]) {
  return nock(API)
    .get("/repos/acme/shop/issues")
    .query((q) => q.state === "all" && q.labels === "incident")
    .reply(200, incidents.map(issueOf));
}

const request = (over: Partial<Parameters<ServiceHintsReader["read"]>[1]> = {}) => ({
  repo,
  ref: SHA,
  service: "checkout",
  config: DEFAULT_REPO_CONFIG,
  now: NOW,
  ...over,
});

beforeAll(() => {
  nock.disableNetConnect();
});

beforeEach(() => {
  nock.cleanAll();
});

afterEach(() => {
  nock.cleanAll();
});

describe("ServiceHintsReader", () => {
  it("reads the tree, CODEOWNERS and the past culprits of the service, then answers from its cache", async () => {
    let clock = 0;
    const reader = new ServiceHintsReader({ now: () => clock, treeTtlMs: 60_000, culpritTtlMs: 30_000 });
    const scopes = [
      expectTree(),
      expectCodeowners(),
      expectHistory([
        past(50, "checkout", 12, ["services/checkout/pay.ts"], "confirmed", "2024-04-20T09:00:00Z"),
        past(51, "Checkout", 13, ["services/checkout/cart.ts", "lib/db.ts"], "rolled back"),
        past(52, "payments", 14, ["services/payments/x.ts"], "confirmed"),
        past(53, "checkout", 15, ["docs/unrelated.md"], "suspected"),
      ]),
    ];
    const first = await reader.read(client(), request());
    for (const s of scopes) expect(s.isDone()).toBe(true);
    expect(first).toEqual({
      hints: {
        paths: ["services/checkout", ".github/CODEOWNERS"],
        codeowners: "/services/checkout/ @acme/payments\n",
        // Only culprits (confirmed or reverted) of this service, newest incident first.
        pastCulpritFiles: ["services/checkout/pay.ts", "services/checkout/cart.ts", "lib/db.ts"],
      },
      truncated: false,
      errors: [],
      requests: 3,
    });

    // The same repository and ref: no request at all (disableNetConnect would fail one).
    clock = 20_000;
    const again = await reader.read(client(), { ...request(), repo: { owner: "ACME", repo: "Shop" } });
    expect(again.hints).toEqual(first.hints);
    expect(again.requests).toBe(0);

    // Past culprits expire sooner than a ref's tree.
    clock = 40_000;
    expectHistory([]);
    const later = await reader.read(client(), request());
    expect(later.requests).toBe(1);
    expect(later.hints.pastCulpritFiles).toBeUndefined();
    expect(later.hints.paths).toEqual(first.hints.paths);

    // Another ref is another tree.
    const other = "d".repeat(40);
    expectTree(other, [{ path: "cmd/checkout", type: "tree" }]);
    expectCodeowners(other);
    const moved = await reader.read(client(), request({ ref: other }));
    expect(moved.hints.paths).toEqual(["cmd/checkout", ".github/CODEOWNERS"]);
    expect(moved.requests).toBe(2);
  });

  it("keeps what it could read when a part fails, says why without credentials, and tries again next time", async () => {
    const reader = new ServiceHintsReader();
    nock(API).get(`/repos/acme/shop/git/trees/${SHA}`).query(true).reply(500, { message: "boom" });
    expectHistory([past(50, "checkout", 12, ["services/checkout/pay.ts"], "confirmed")]);
    const read = await reader.read(client(), request());
    expect(read.hints).toEqual({ pastCulpritFiles: ["services/checkout/pay.ts"] });
    expect(read.errors).toEqual([`repository tree at ${SHA.slice(0, 12)}: GitHub answered 500`]);

    // A failed read is not cached.
    const tree = expectTree();
    expectCodeowners();
    const retried = await reader.read(client(), request());
    expect(tree.isDone()).toBe(true);
    expect(retried.hints.paths).toEqual(["services/checkout", ".github/CODEOWNERS"]);
    expect(retried.errors).toEqual([]);
  });

  it("reads no past incidents when the repository turns history off", async () => {
    const reader = new ServiceHintsReader();
    expectTree();
    expectCodeowners();
    const config = parseRepoConfig("history:\n  enabled: false\n").config;
    // No issues interceptor: a listing would fail the read and show in `errors`.
    const read = await reader.read(client(), request({ config }));
    expect(read.errors).toEqual([]);
    expect(read.hints.pastCulpritFiles).toBeUndefined();
    expect(read.requests).toBe(2);
  });

  it("reads no CODEOWNERS when the tree has none", async () => {
    const reader = new ServiceHintsReader();
    nock(API)
      .get(`/repos/acme/shop/git/trees/${SHA}`)
      .query(true)
      .reply(200, { truncated: true, tree: [{ path: "src", type: "tree" }] });
    expectHistory([]);
    const read = await reader.read(client(), request());
    expect(read).toMatchObject({ hints: { paths: ["src"] }, truncated: true, requests: 2 });
    expect(read.hints.codeowners).toBeUndefined();
  });
});

describe("when hints are read", () => {
  it("only for a service the config names no paths for", () => {
    const config = parseRepoConfig('services:\n  checkout: ["services/checkout/**"]\n  empty: []\n').config;
    expect(needsHints(config, "checkout")).toBe(false);
    expect(needsHints(config, "payments")).toBe(true);
    expect(needsHints(config, "empty")).toBe(true);
    expect(needsHints(config, undefined)).toBe(false);
    expect(needsHints(config, " ")).toBe(false);
  });

  it("at the newest deployment's commit", () => {
    const d = (id: number, createdAt: string, sha: string) => ({
      id,
      sha,
      environment: "production",
      createdAt,
      status: "success",
    });
    expect(hintsRef([d(1, "2024-05-01T10:00:00Z", "a"), d(2, "2024-05-01T11:00:00Z", "b")])).toBe("b");
    expect(hintsRef([d(2, "2024-05-01T11:00:00Z", "b"), d(1, "2024-05-01T10:00:00Z", "a")])).toBe("b");
    expect(hintsRef([])).toBeUndefined();
  });
});

describe("pastCulpritFiles", () => {
  it("is bounded", () => {
    const many = Array.from({ length: 20 }, (_, i) => `f${i}.ts`);
    expect(pastCulpritFiles([past(1, "checkout", 9, many, "confirmed")], "checkout", 5)).toEqual(
      many.slice(0, 5),
    );
  });
});

describe("messageOf", () => {
  it("never repeats a credential a client put into its message", () => {
    const err = new Error('No match for request {\n "authorization": "token ghs_secret123"');
    expect(messageOf(err)).not.toContain("ghs_secret123");
    expect(messageOf(new Error("auth failed: Bearer abc.def.ghi"))).toBe("auth failed: Bearer [redacted]");
    expect(messageOf(Object.assign(new Error("Not Found"), { status: 404 }))).toBe("GitHub answered 404");
  });
});

describe("hintsForCase", () => {
  const deployments = [
    { id: 1, sha: SHA, environment: "production", createdAt: "2024-05-01T11:00:00Z", status: "in_progress" },
  ];
  const pulls = [
    {
      number: 5,
      title: "PR 5",
      author: "dev",
      mergedAt: "2024-05-01T10:55:00Z",
      deploymentId: 1,
      additions: 1,
      deletions: 1,
      files: [],
    },
  ];
  const caseOf = (over: Partial<Parameters<typeof hintsForCase>[2]> = {}) => ({
    service: "checkout",
    deployments,
    pulls,
    config: DEFAULT_REPO_CONFIG,
    now: NOW,
    ...over,
  });
  const logs = () => {
    const lines: Array<{ level: string; fields: object; message: string }> = [];
    return {
      lines,
      warn: (fields: object, message: string) => void lines.push({ level: "warn", fields, message }),
      info: (fields: object, message: string) => void lines.push({ level: "info", fields, message }),
    };
  };

  it("does not wait past its budget: the case is ranked without hints, and the read still fills the cache", async () => {
    let finish!: () => void;
    const slow = new ServiceHintsReader();
    const read = slow.read.bind(slow);
    slow.read = async (...args) => {
      await new Promise<void>((resolve) => (finish = resolve));
      return read(...args);
    };
    const log = logs();
    const started = Date.now();
    const got = await hintsForCase(client(), repo, caseOf(), { hints: slow, log, hintsBudgetMs: 50 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(got).toEqual({ requests: 0 });
    expect(log.lines).toEqual([
      expect.objectContaining({ level: "warn", message: "service hints too slow; ranking without them" }),
    ]);
    // The read goes on; once done, the next alert finds the hints cached.
    const tree = expectTree();
    expectCodeowners();
    expectHistory([]);
    finish();
    await vi.waitFor(() => expect(tree.isDone()).toBe(true));
    slow.read = read;
    await vi.waitFor(async () =>
      expect((await hintsForCase(client(), repo, caseOf(), { hints: slow, log })).hints?.paths).toEqual([
        "services/checkout",
        ".github/CODEOWNERS",
      ]),
    );
  });

  it("reads nothing without PRs to rank, without a deployment, or with the service's paths configured", async () => {
    const reader = new ServiceHintsReader();
    const log = logs();
    const configured = parseRepoConfig('services:\n  checkout: ["services/checkout/**"]\n').config;
    // No interceptors: any request would fail and be logged.
    for (const c of [
      caseOf({ pulls: [] }),
      caseOf({ deployments: [] }),
      caseOf({ config: configured }),
      caseOf({ service: undefined }),
    ])
      expect(await hintsForCase(client(), repo, c, { hints: reader, log })).toEqual({ requests: 0 });
    expect(log.lines).toEqual([]);
  });

  it("logs what it could not read and gives the rest", async () => {
    const log = logs();
    nock(API)
      .get(`/repos/acme/shop/git/trees/${SHA}`)
      .query(true)
      .reply(403, { message: "Resource not accessible" });
    expectHistory([past(50, "checkout", 12, ["services/checkout/pay.ts"], "confirmed")]);
    const got = await hintsForCase(client(), repo, caseOf(), { hints: new ServiceHintsReader(), log });
    expect(got).toEqual({ hints: { pastCulpritFiles: ["services/checkout/pay.ts"] }, requests: 2 });
    expect(log.lines).toEqual([
      {
        level: "warn",
        fields: expect.objectContaining({
          errors: [`repository tree at ${SHA.slice(0, 12)}: GitHub answered 403`],
        }),
        message: "service hints partly unread; ranking without those",
      },
    ]);
  });
});
