// A stateful GitHub stand-in for the app's end-to-end tests: a real HTTP server on 127.0.0.1 that
// Probot reaches through its `baseUrl` (the way it reaches GitHub Enterprise Server).
//
// Why a server and not nock interceptors: Alertmanager, the app and GitHub are then all real
// sockets on loopback, with nothing in the test process rewriting HTTP; requests from concurrent
// deliveries really overlap (createDelayMs) and an outage is a time window rather than a queue of
// interceptors; and nothing leaks between test files through nock's global state.
//
// It serves: the installation lookup and token, contents (404: no repository config), issues
// (list with labels/state filters and pages, create, update, comments, labels), and GraphQL through
// bench/github-sim.ts, so the real fetchHistory and scorer rank suspects. Anything else is a 404
// that is also recorded in `unexpected`.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { answerGraphql, type GraphqlBody, type SimRepo } from "../../../bench/github-sim.js";
import { parseRecord, type IncidentRecord } from "../../../src/core/incident-record.js";

export const FAKE_INSTALLATION_ID = 4242;
const INSTALLATION_TOKEN = "ghs_e2e_installation_token";

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  assignees: string[];
  state: "open" | "closed";
  comments: string[];
}

export interface FakeRequest {
  method: string;
  path: string;
  status: number;
}

export interface GithubFake {
  /** Base URL to give Probot as `baseUrl`. */
  readonly url: string;
  readonly issues: FakeIssue[];
  /** Every request answered, in order. */
  readonly requests: FakeRequest[];
  /** "METHOD path" of requests no route knows (a test should expect none). */
  readonly unexpected: string[];
  /** Milliseconds an issue create takes, to widen the window for racing deliveries. */
  createDelayMs: number;
  /** Answers 502 to the requests `match` accepts (all but the app's own JWT calls by default) for `ms`. */
  outage(ms: number, match?: (method: string, path: string) => boolean): void;
  /** The hidden incident record of each issue (null when it has none). */
  records(): (IncidentRecord | null)[];
  close(): Promise<void>;
}

export interface GithubFakeOptions {
  owner: string;
  repo: string;
  /** The commit history GraphQL answers from. */
  history: SimRepo;
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export async function startGithubFake(opts: GithubFakeOptions): Promise<GithubFake> {
  const issues: FakeIssue[] = [];
  const requests: FakeRequest[] = [];
  const unexpected: string[] = [];
  let outageUntil = 0;
  let outageMatch: (method: string, path: string) => boolean = () => true;
  // Issue numbers start high so a test cannot confuse them with counts.
  let nextNumber = 301;
  const repoPath = `/repos/${opts.owner}/${opts.repo}`;
  const htmlUrl = (n: number) => `https://github.com/${opts.owner}/${opts.repo}/issues/${n}`;
  const issueJson = (i: FakeIssue) => ({
    number: i.number,
    html_url: htmlUrl(i.number),
    title: i.title,
    body: i.body,
    state: i.state,
    labels: i.labels.map((name) => ({ name })),
    assignees: i.assignees.map((login) => ({ login })),
  });

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const fake: GithubFake = {
    url: `http://127.0.0.1:${port}`,
    issues,
    requests,
    unexpected,
    createDelayMs: 0,
    outage(ms, match) {
      outageUntil = Date.now() + ms;
      outageMatch = match ?? ((_method, path) => !path.startsWith("/app/"));
    },
    records: () => issues.map((i) => parseRecord(i.body)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;

  async function route(method: string, url: URL, body: unknown, auth: string): Promise<Answer> {
    const path = url.pathname;
    if (Date.now() < outageUntil && outageMatch(method, path)) {
      return { status: 502, body: { message: "Server Error (injected outage)" } };
    }
    // App (JWT) calls and installation calls carry different credentials; a mix-up is a bug.
    const asApp = path.startsWith("/app/") || path === `${repoPath}/installation`;
    if (asApp ? !/^bearer \S+\.\S+\.\S+$/i.test(auth) : auth !== `token ${INSTALLATION_TOKEN}`) {
      return { status: 401, body: { message: `Bad credentials for ${method} ${path}` } };
    }
    if (method === "GET" && /^\/repos\/[^/]+\/[^/]+\/installation$/.test(path)) {
      return path === `${repoPath}/installation`
        ? { status: 200, body: { id: FAKE_INSTALLATION_ID } }
        : { status: 404, body: { message: "Not Found" } };
    }
    if (method === "POST" && path === `/app/installations/${FAKE_INSTALLATION_ID}/access_tokens`) {
      return {
        status: 201,
        body: { token: INSTALLATION_TOKEN, expires_at: "2999-01-01T00:00:00Z", permissions: {} },
      };
    }
    if (method === "POST" && path === "/graphql") {
      return answerGraphql(opts.history, body as GraphqlBody);
    }
    if (method === "GET" && path.startsWith(`${repoPath}/contents/`)) {
      return { status: 404, body: { message: "Not Found" } };
    }
    if (path === `${repoPath}/issues`) {
      if (method === "GET") return listIssues(url);
      if (method === "POST") return createIssue(body as Partial<FakeIssue>);
    }
    const m = new RegExp(`^${repoPath}/issues/(\\d+)(/comments|/labels)?$`).exec(path);
    const issue = m ? issues.find((i) => i.number === Number(m[1])) : undefined;
    if (m && !issue) return { status: 404, body: { message: "Not Found" } };
    if (issue && m) {
      const b = (body ?? {}) as Record<string, unknown>;
      if (method === "PATCH" && m[2] === undefined) {
        if (typeof b.title === "string") issue.title = b.title;
        if (typeof b.body === "string") issue.body = b.body;
        if (Array.isArray(b.labels)) issue.labels = b.labels.map(String);
        if (b.state === "open" || b.state === "closed") issue.state = b.state;
        return { status: 200, body: issueJson(issue) };
      }
      if (method === "POST" && m[2] === "/comments") {
        issue.comments.push(String(b.body));
        return { status: 201, body: { id: issue.number * 1000 + issue.comments.length, body: b.body } };
      }
      if (method === "GET" && m[2] === "/comments") {
        return { status: 200, body: issue.comments.map((text, k) => ({ id: k + 1, body: text })) };
      }
      if (method === "POST" && m[2] === "/labels") {
        const add = (Array.isArray(b.labels) ? b.labels : []).map(String);
        issue.labels = [...new Set([...issue.labels, ...add])];
        return { status: 200, body: issue.labels.map((name) => ({ name })) };
      }
    }
    if (method === "GET" && path === `${repoPath}/labels`) {
      const names = [...new Set(issues.flatMap((i) => i.labels))].sort();
      return { status: 200, body: names.map((name) => ({ name })) };
    }
    unexpected.push(`${method} ${path}`);
    return { status: 404, body: { message: `the GitHub fake has no route for ${method} ${path}` } };
  }

  function listIssues(url: URL): Answer {
    const q = url.searchParams;
    const state = q.get("state") ?? "open";
    const wanted = (q.get("labels") ?? "").split(",").filter(Boolean);
    const perPage = Math.min(100, Number(q.get("per_page") ?? 30));
    const page = Math.max(1, Number(q.get("page") ?? 1));
    const matching = issues
      .filter((i) => (state === "all" || i.state === state) && wanted.every((l) => i.labels.includes(l)))
      .sort((a, b) => (q.get("direction") === "asc" ? a.number - b.number : b.number - a.number));
    const items = matching.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < matching.length) {
      const next = new URL(url);
      next.searchParams.set("page", String(page + 1));
      headers.link = `<${fake.url}${next.pathname}${next.search}>; rel="next"`;
    }
    return { status: 200, body: items.map(issueJson), headers };
  }

  async function createIssue(b: Partial<FakeIssue>): Promise<Answer> {
    if (typeof b.title !== "string" || b.title === "") {
      return { status: 422, body: { message: "Validation Failed: title is missing" } };
    }
    // The write lands after the delay, as GitHub's does: a second delivery listing meanwhile sees nothing.
    if (fake.createDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, fake.createDelayMs));
    const issue: FakeIssue = {
      number: nextNumber++,
      title: b.title,
      body: b.body ?? "",
      labels: (b.labels ?? []).map(String),
      assignees: (b.assignees ?? []).map(String),
      state: "open",
      comments: [],
    };
    issues.push(issue);
    return { status: 201, body: issueJson(issue) };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "http://github.fake");
    let answer: Answer;
    try {
      const text = await readText(req);
      answer = await route(method, url, text ? JSON.parse(text) : undefined, req.headers.authorization ?? "");
    } catch (err) {
      answer = { status: 500, body: { message: `the GitHub fake failed: ${(err as Error).message}` } };
    }
    requests.push({ method, path: url.pathname, status: answer.status });
    const text = JSON.stringify(answer.body ?? {});
    res.writeHead(answer.status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(text),
      ...answer.headers,
    });
    res.end(text);
  }
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
