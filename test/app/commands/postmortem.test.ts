// /postmortem (branch + file + PR through the REST contents API) and /action-item (an issue linked
// to the incident, listed in it).
import { PassThrough } from "node:stream";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLogger } from "../../../src/app/observability/logger.js";
import { actionItemMarker } from "../../../src/core/incident/action-items.js";
import {
  FakeIncident,
  REPO_PATH,
  commentPayload,
  deliver,
  expectCommandRound,
  github,
  loadResponseApp,
  mockToken,
  pending,
} from "./harness.js";

beforeEach(() => {
  nock.disableNetConnect();
  mockToken();
});

afterEach(() => {
  nock.cleanAll();
});

const PATH = "docs/postmortems/2024-05-01-high-error-rate-checkout-101.md";
const PATH_RE =
  /\/repos\/acme\/shop\/contents\/docs(%2F|\/)postmortems(%2F|\/)2024-05-01-high-error-rate-checkout-101\.md/;

/** The 7 requests of a new post-mortem PR (see openPostmortemPr); returns what was written. */
function expectPostmortemOpened() {
  const sent: { put?: { content: string; branch: string; sha?: string }; pr?: Record<string, unknown> } = {};
  github()
    .get(`${REPO_PATH}/pulls`)
    .query({ head: "acme:aftershock/postmortem-101", state: "open", per_page: 1 })
    .reply(200, []);
  github().get(REPO_PATH).reply(200, { default_branch: "trunk" });
  github()
    .get(/\/repos\/acme\/shop\/git\/ref\/heads(%2F|\/)trunk/)
    .reply(200, { object: { sha: "b".repeat(40) } });
  github().post(`${REPO_PATH}/git/refs`).reply(201, {});
  github().get(PATH_RE).query(true).reply(404, { message: "Not Found" });
  github()
    .put(PATH_RE, (body) => {
      sent.put = body;
      return true;
    })
    .reply(201, {});
  github()
    .post(`${REPO_PATH}/pulls`, (body) => {
      sent.pr = body;
      return true;
    })
    .reply(201, { number: 60, html_url: "https://github.com/acme/shop/pull/60" });
  return {
    markdown: () => Buffer.from(sent.put!.content, "base64").toString("utf8"),
    prBody: () => String(sent.pr?.body),
  };
}

const LLM = "https://llm.example";
const KEY = "sk-live-0123456789abcdef";
const NARRATIVE = { url: `${LLM}/v1`, model: "small-model", apiKey: KEY, timeoutMs: 2000 };

function captureLog() {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on("data", (chunk: Buffer) => lines.push(...chunk.toString().split("\n").filter(Boolean)));
  return { log: createLogger({ LOG_LEVEL: "debug" }, stream), lines };
}

describe("/postmortem with a drafted narrative", () => {
  it("puts the drafted summary and factors in, marked for review, and the key nowhere", async () => {
    const issue = new FakeIncident();
    const { log, lines } = captureLog();
    const loaded = await loadResponseApp({ narrative: NARRATIVE, log });
    const asked: { auth?: string; body?: { model: string; messages: Array<{ content: string }> } } = {};
    nock(LLM)
      .post("/v1/chat/completions", (body) => {
        asked.body = body;
        return true;
      })
      .reply(function () {
        asked.auth = String(this.req.headers.authorization);
        const answer = {
          summary: "Checkout errors rose right after PR 42 shipped its retry change",
          factors: ["Retries multiplied the load on the payment provider"],
        };
        return [200, { choices: [{ message: { content: JSON.stringify(answer) } }] }];
      });
    expectCommandRound(issue);
    const sent = expectPostmortemOpened();
    await deliver(loaded, "issue_comment", commentPayload({ body: "/postmortem", issueBody: issue.body }));
    expect(pending()).toEqual([]);
    expect(asked.auth).toBe(`Bearer ${KEY}`);
    expect(asked.body?.model).toBe("small-model");
    // The model is told about the incident, without its people.
    expect(asked.body?.messages[1]?.content).toContain("HighErrorRate");
    expect(asked.body?.messages[1]?.content).not.toContain("alice");

    const markdown = sent.markdown();
    expect(markdown).toContain("Drafted for review");
    expect(markdown).toMatch(
      /## Summary\n\nCheckout errors rose right after PR 42 shipped its retry change\n/,
    );
    expect(markdown).toContain("- Retries multiplied the load on the payment provider");
    // The data sections are still written from the record.
    expect(markdown).toContain("## Root cause");
    for (const text of [markdown, sent.prBody(), issue.body, ...issue.comments, ...lines])
      expect(text).not.toContain(KEY);
  });

  it("reads the endpoint from LLM_API_URL, LLM_MODEL and LLM_API_KEY when the app is not given one", async () => {
    vi.stubEnv("LLM_API_URL", `${LLM}/v1`);
    vi.stubEnv("LLM_MODEL", "env-model");
    vi.stubEnv("LLM_API_KEY", KEY);
    try {
      const issue = new FakeIncident();
      const loaded = await loadResponseApp({ narrative: undefined });
      let model: string | undefined;
      nock(LLM)
        .post("/v1/chat/completions", (body: { model: string }) => {
          model = body.model;
          return true;
        })
        .matchHeader("authorization", `Bearer ${KEY}`)
        .reply(200, {
          choices: [{ message: { content: '{"summary":"Drafted from the environment","factors":[]}' } }],
        });
      expectCommandRound(issue);
      const sent = expectPostmortemOpened();
      await deliver(loaded, "issue_comment", commentPayload({ body: "/postmortem", issueBody: issue.body }));
      expect(pending()).toEqual([]);
      expect(model).toBe("env-model");
      expect(sent.markdown()).toContain("Drafted from the environment");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("writes the post-mortem from the data alone when the endpoint fails, and logs why without the key", async () => {
    const issue = new FakeIncident();
    const { log, lines } = captureLog();
    const loaded = await loadResponseApp({ narrative: NARRATIVE, log });
    nock(LLM)
      .post("/v1/chat/completions")
      .reply(500, { error: `bad key ${KEY}` });
    expectCommandRound(issue);
    const sent = expectPostmortemOpened();
    await deliver(loaded, "issue_comment", commentPayload({ body: "/postmortem", issueBody: issue.body }));
    expect(pending()).toEqual([]);
    const markdown = sent.markdown();
    expect(markdown).not.toContain("Drafted for review");
    // The summary from the record: the suspected cause by number.
    expect(markdown).toMatch(/## Summary\n\nHighErrorRate \(P2\) affected checkout/);
    expect(issue.response.postmortem?.pr).toBe(60);
    expect(lines.some((l) => l.includes("no drafted narrative (the endpoint answered HTTP 500)"))).toBe(true);
    for (const text of [markdown, sent.prBody(), issue.body, ...issue.comments, ...lines])
      expect(text).not.toContain(KEY);
  });

  it("asks nothing when the incident already has a post-mortem PR (its file is not rewritten)", async () => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp({ narrative: NARRATIVE });
    let asked = 0;
    nock(LLM)
      .persist()
      .post("/v1/chat/completions")
      .reply(() => {
        asked += 1;
        return [503, {}];
      });
    expectCommandRound(issue);
    const sent = expectPostmortemOpened();
    await deliver(loaded, "issue_comment", commentPayload({ body: "/postmortem", issueBody: issue.body }));
    expect(asked).toBe(1);
    expect(sent.markdown()).not.toContain("Drafted for review");
    expect(issue.response.postmortem?.pr).toBe(60);

    expectCommandRound(issue, { commentId: 5550002 });
    github()
      .get(`${REPO_PATH}/pulls`)
      .query(true)
      .reply(200, [{ number: 60, html_url: "https://github.com/acme/shop/pull/60" }]);
    await deliver(
      loaded,
      "issue_comment",
      commentPayload({ body: "/postmortem", issueBody: issue.body, commentId: 5550002 }),
    );
    expect(pending()).toEqual([]);
    expect(asked).toBe(1);
    expect(issue.comments.at(-1)).toBe("📝 The post-mortem draft is already open: #60.");
  });
});

describe("/postmortem", () => {
  it("creates the branch, writes the file and opens the PR, linked from the incident", async () => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    const put: { body?: { content: string; branch: string; sha?: string } } = {};
    const pr: { body?: Record<string, unknown> } = {};
    expectCommandRound(issue);
    github()
      .get(`${REPO_PATH}/pulls`)
      .query({ head: "acme:aftershock/postmortem-101", state: "open", per_page: 1 })
      .reply(200, []);
    github().get(REPO_PATH).reply(200, { default_branch: "trunk" });
    github()
      .get(/\/repos\/acme\/shop\/git\/ref\/heads(%2F|\/)trunk/)
      .reply(200, { object: { sha: "b".repeat(40) } });
    github()
      .post(`${REPO_PATH}/git/refs`, { ref: "refs/heads/aftershock/postmortem-101", sha: "b".repeat(40) })
      .reply(201, {});
    github().get(PATH_RE).query({ ref: "aftershock/postmortem-101" }).reply(404, { message: "Not Found" });
    github()
      .put(PATH_RE, (body) => {
        put.body = body;
        return true;
      })
      .reply(201, {});
    github()
      .post(`${REPO_PATH}/pulls`, (body) => {
        pr.body = body;
        return true;
      })
      .reply(201, { number: 60, html_url: "https://github.com/acme/shop/pull/60" });
    await deliver(loaded, "issue_comment", commentPayload({ body: "/postmortem", issueBody: issue.body }));
    expect(pending()).toEqual([]);
    expect(put.body?.branch).toBe("aftershock/postmortem-101");
    expect(put.body).not.toHaveProperty("sha");
    const markdown = Buffer.from(put.body!.content, "base64").toString("utf8");
    expect(markdown).toContain("## Root cause");
    expect(markdown).toContain("[\\#42 Add retries]");
    expect(markdown).not.toContain("alice"); // blameless: no authors
    expect(pr.body).toMatchObject({ head: "aftershock/postmortem-101", base: "trunk" });
    expect(String(pr.body?.body)).toContain("incident #101");
    expect(issue.response.postmortem).toEqual({
      path: PATH,
      pr: 60,
      url: "https://github.com/acme/shop/pull/60",
    });
    expect(issue.body).toContain("**Post-mortem:** [\\#60](https://github.com/acme/shop/pull/60)");
    expect(issue.comments[0]).toContain("#60");
  });

  it("an open post-mortem PR is linked, and its file is left alone", async () => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    expectCommandRound(issue);
    github()
      .get(`${REPO_PATH}/pulls`)
      .query(true)
      .reply(200, [{ number: 60, html_url: "https://github.com/acme/shop/pull/60" }]);
    await deliver(loaded, "issue_comment", commentPayload({ body: "/postmortem", issueBody: issue.body }));
    expect(pending()).toEqual([]);
    expect(issue.comments[0]).toBe("📝 The post-mortem draft is already open: #60.");
    expect(issue.response.postmortem?.pr).toBe(60);
  });
});

describe("/action-item", () => {
  it("files an issue labelled action-item that links the incident, and lists it", async () => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    const filed: { body?: { title: string; body: string; labels: string[] } } = {};
    expectCommandRound(issue);
    github()
      .get(`${REPO_PATH}/issues`)
      .query({ labels: "action-item", state: "all", per_page: 100 })
      .reply(200, []);
    github()
      .post(`${REPO_PATH}/issues`, (body) => {
        filed.body = body;
        return true;
      })
      .reply(201, { number: 77, html_url: "https://github.com/acme/shop/issues/77" });
    const payload = commentPayload({ body: "/action-item Add a canary for checkout", issueBody: issue.body });
    await deliver(loaded, "issue_comment", payload);
    expect(pending()).toEqual([]);
    expect(filed.body?.title).toBe("Add a canary for checkout");
    expect(filed.body?.labels).toEqual(["action-item"]);
    expect(filed.body?.body).toContain("incident #101");
    expect(filed.body?.body).toContain(actionItemMarker(101, "Add a canary for checkout"));
    expect(issue.response.actionItems).toEqual([
      { text: "Add a canary for checkout", at: "2024-05-01T12:30:00.000Z", issue: 77 },
    ]);
    expect(issue.body).toContain("- Add a canary for checkout (#77)");
    expect(issue.comments[0]).toBe("📌 Filed #77.");

    // Redelivered: handled, so no second issue.
    expectCommandRound(issue, { write: false, reply: false });
    await deliver(loaded, "issue_comment", structuredClone(payload));
    expect(pending()).toEqual([]);
  });

  it("an issue already filed for the same item (a retry after a failed write) is reused", async () => {
    const issue = new FakeIncident();
    const loaded = await loadResponseApp();
    expectCommandRound(issue);
    github()
      .get(`${REPO_PATH}/issues`)
      .query(true)
      .reply(200, [
        {
          number: 77,
          html_url: "https://github.com/acme/shop/issues/77",
          body: actionItemMarker(101, "add a  CANARY"),
        },
      ]);
    await deliver(
      loaded,
      "issue_comment",
      commentPayload({ body: "/action-item Add a canary", issueBody: issue.body }),
    );
    expect(pending()).toEqual([]);
    expect(issue.response.actionItems[0]?.issue).toBe(77);
    expect(issue.comments[0]).toBe("📌 Already filed as #77.");
  });
});
