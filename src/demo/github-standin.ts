// A stateful GitHub stand-in: a real HTTP server on 127.0.0.1 that Probot (and any Octokit) reaches
// through its `baseUrl`, the way it reaches GitHub Enterprise Server. Used by `aftershock demo` and
// by the app's end-to-end test (test/e2e/alertmanager.e2e.test.ts) and the load and storm benches,
// all under these names.
//
// Why a server and not interceptors: Alertmanager, the app and GitHub are then all real sockets on
// loopback, with nothing in the process rewriting HTTP; requests from concurrent deliveries really
// overlap (createDelayMs) and an outage is a time window rather than a queue of interceptors.
//
// It serves: the installation lookup and token; issues (list with labels/state filters and pages,
// get, create, update, comments, labels), comment reactions, collaborator permission, repository
// labels; GraphQL: fetchHistory's two queries from the simulated history (./repo-history.ts) and
// the revertPullRequest mutation; pulls, branches, contents and deployment statuses
// (./standin-git.ts). Anything else is a 404 that is also recorded in `unexpected`.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseRecord, type IncidentRecord } from "../core/incident/incident-record.js";
import { answerGraphql, type GraphqlBody, type SimRepo } from "./repo-history.js";
import {
  mergePull,
  newGitState,
  pullJson,
  revertMutation,
  routeGit,
  type Answer,
  type StandinPull,
} from "./standin-git.js";
import { errorMessage } from "../core/errors.js";

export type { StandinPull } from "./standin-git.js";

export const STANDIN_INSTALLATION_ID = 4242;
/** The installation token it hands out and expects: a made-up value, only meaningful to the stand-in. */
export const STANDIN_INSTALLATION_TOKEN = "ghs_standin_installation_token";

export interface StandinIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  assignees: string[];
  state: "open" | "closed";
  comments: string[];
}

export interface StandinRequest {
  method: string;
  path: string;
  status: number;
}

export interface GithubStandin {
  /** Base URL to give Probot (or Octokit) as `baseUrl`. */
  readonly url: string;
  readonly issues: StandinIssue[];
  /** PRs opened through the API (revert, post-mortem), in order. */
  readonly pulls: readonly StandinPull[];
  /** Every request answered, in order. */
  readonly requests: StandinRequest[];
  /** "METHOD path" of requests no route knows (a test should expect none). */
  readonly unexpected: string[];
  /** Reactions added to comments, in order. */
  readonly reactions: Array<{ commentId: number; content: string }>;
  /** Milliseconds an issue create takes, to widen the window for racing deliveries. */
  createDelayMs: number;
  /** Milliseconds every request waits before it is handled, like a remote GitHub's round trip (benches). */
  latencyMs: number;
  /** Answers 502 to the requests `match` accepts (all but the app's own JWT calls by default) for `ms`. */
  outage(ms: number, match?: (method: string, path: string) => boolean): void;
  /** The hidden incident record of each issue (null when it has none). */
  records(): (IncidentRecord | null)[];
  /** A file on a branch, as the contents API would return it decoded; undefined when absent. */
  file(branch: string, path: string): string | undefined;
  /** Merges an open PR, as pressing "Merge" does; returns it as a webhook's `pull_request`. */
  merge(number: number): ReturnType<typeof pullJson> & { merged_at: string };
  close(): Promise<void>;
}

export interface GithubStandinOptions {
  owner: string;
  repo: string;
  /** The commit history GraphQL answers from. */
  history: SimRepo;
  /** Files on the default branch, e.g. `.github/aftershock.yml`; none by default. */
  files?: Record<string, string>;
  /** login → permission ("admin", "write", "read"); anyone else is not a collaborator (404). */
  collaborators?: Record<string, string>;
  /** The time of a merge; default now. */
  now?: () => Date;
  /** Initial `latencyMs`; default 0. */
  latencyMs?: number;
}

const notFound = (): Answer => ({ status: 404, body: { message: "Not Found" } });

export async function startGithubStandin(opts: GithubStandinOptions): Promise<GithubStandin> {
  const issues: StandinIssue[] = [];
  const requests: StandinRequest[] = [];
  const unexpected: string[] = [];
  const reactions: GithubStandin["reactions"] = [];
  /** Comments on pull requests (the author note), by PR number. */
  const pullComments = new Map<number, Array<{ id: number; body: string; created_at: string }>>();
  let outageUntil = 0;
  let outageMatch: (method: string, path: string) => boolean = () => true;
  // Issue numbers start high so a test cannot confuse them with counts, and above the history's PRs.
  let next = Math.max(301, ...[...opts.history.pulls.keys()].map((n) => n + 1));
  const git = newGitState(opts.history, opts.files ?? {}, () => next++);
  const repoPath = `/repos/${opts.owner}/${opts.repo}`;
  const htmlUrl = (n: number) => `https://github.com/${opts.owner}/${opts.repo}/issues/${n}`;
  const issueJson = (i: StandinIssue) => ({
    number: i.number,
    html_url: htmlUrl(i.number),
    title: i.title,
    body: i.body,
    state: i.state,
    labels: i.labels.map((name) => ({ name })),
    assignees: i.assignees.map((login) => ({ login })),
    // Incidents are trusted only when the app (a bot) opened them.
    user: { login: "aftershock-demo[bot]", type: "Bot" },
  });

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const standin: GithubStandin = {
    url: `http://127.0.0.1:${port}`,
    issues,
    pulls: git.pulls,
    requests,
    unexpected,
    reactions,
    createDelayMs: 0,
    latencyMs: opts.latencyMs ?? 0,
    outage(ms, match) {
      outageUntil = Date.now() + ms;
      outageMatch = match ?? ((_method, path) => !path.startsWith("/app/"));
    },
    records: () => issues.map((i) => parseRecord(i.body)),
    file: (branch, path) => git.files.get(branch)?.get(path)?.text,
    merge(number) {
      const pull = mergePull(git, number);
      return { ...pullJson(git, pull), merged_at: (opts.now?.() ?? new Date()).toISOString() };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return standin;

  async function route(method: string, url: URL, body: unknown, auth: string): Promise<Answer> {
    const path = url.pathname;
    if (Date.now() < outageUntil && outageMatch(method, path)) {
      return { status: 502, body: { message: "Server Error (injected outage)" } };
    }
    // App (JWT) calls and installation calls carry different credentials; a mix-up is a bug.
    const asApp = path === "/app" || path.startsWith("/app/") || path === `${repoPath}/installation`;
    if (asApp ? !/^bearer \S+\.\S+\.\S+$/i.test(auth) : auth !== `token ${STANDIN_INSTALLATION_TOKEN}`) {
      return { status: 401, body: { message: `Bad credentials for ${method} ${path}` } };
    }
    if (method === "GET" && /^\/repos\/[^/]+\/[^/]+\/installation$/.test(path)) {
      return path === `${repoPath}/installation`
        ? { status: 200, body: { id: STANDIN_INSTALLATION_ID } }
        : notFound();
    }
    // The app's own identity: its bot `aftershock-demo[bot]` opens the incidents it trusts.
    if (method === "GET" && path === "/app") {
      return { status: 200, body: { id: 1, slug: "aftershock-demo" } };
    }
    if (method === "POST" && path === `/app/installations/${STANDIN_INSTALLATION_ID}/access_tokens`) {
      return {
        status: 201,
        body: { token: STANDIN_INSTALLATION_TOKEN, expires_at: "2999-01-01T00:00:00Z", permissions: {} },
      };
    }
    if (method === "POST" && path === "/graphql") {
      const query = body as GraphqlBody;
      if (/\brevertPullRequest\s*\(/.test(query.query)) return revertMutation(git, query.variables ?? {});
      return answerGraphql(opts.history, query);
    }
    if (path !== repoPath && !path.startsWith(`${repoPath}/`)) return unknown();
    const rest = path.slice(repoPath.length);
    return routeIssues(method, rest, url, body) ?? routeGit(git, method, rest, url, body) ?? unknown();

    function unknown(): Answer {
      unexpected.push(`${method} ${path}`);
      return { status: 404, body: { message: `the GitHub stand-in has no route for ${method} ${path}` } };
    }
  }

  /** Issues, comments, reactions, labels and permissions; null for other paths. */
  function routeIssues(
    method: string,
    rest: string,
    url: URL,
    body: unknown,
  ): Answer | null | Promise<Answer> {
    const b = (body ?? {}) as Record<string, unknown>;
    if (rest === "/issues") {
      if (method === "GET") return listIssues(url);
      if (method === "POST") return createIssue(b as Partial<StandinIssue>);
    }
    let m = /^\/issues\/comments\/(\d+)\/reactions$/.exec(rest);
    if (m && method === "POST") {
      reactions.push({ commentId: Number(m[1]), content: String(b.content) });
      return { status: 201, body: { id: reactions.length, content: b.content } };
    }
    m = /^\/collaborators\/([^/]+)\/permission$/.exec(rest);
    if (m && method === "GET") {
      const login = decodeURIComponent(m[1]!);
      const permission = opts.collaborators?.[login];
      return permission
        ? { status: 200, body: { permission, role_name: permission, user: { login } } }
        : notFound();
    }
    if (method === "GET" && rest === "/labels") {
      const names = [...new Set([...issues, ...git.pulls].flatMap((i) => i.labels))].sort();
      return { status: 200, body: names.map((name) => ({ name })) };
    }
    m = /^\/issues\/(\d+)(\/comments|\/labels)?$/.exec(rest);
    if (!m) return null;
    const n = Number(m[1]);
    const issue = issues.find((i) => i.number === n);
    // PRs are issues too, for labels.
    const pull = git.pulls.find((p) => p.number === n);
    if (method === "POST" && m[2] === "/labels" && (issue ?? pull)) {
      const target = (issue ?? pull)!;
      const add = (Array.isArray(b.labels) ? b.labels : []).map(String);
      target.labels = [...new Set([...target.labels, ...add])];
      return { status: 200, body: target.labels.map((name) => ({ name })) };
    }
    if (!issue && (pull || git.history.pulls.has(n)) && m[2] === "/comments")
      return pullComment(n, method, b);
    if (!issue) return notFound();
    if (method === "GET" && m[2] === undefined) return { status: 200, body: issueJson(issue) };
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
      return {
        status: 200,
        body: issue.comments.map((text, k) => ({ id: issue.number * 1000 + k + 1, body: text })),
      };
    }
    return null;
  }

  /** Comments on a PR, all by the app (the only writer here): its author note. */
  function pullComment(n: number, method: string, b: Record<string, unknown>): Answer | null {
    const comments = pullComments.get(n) ?? [];
    pullComments.set(n, comments);
    const user = { login: "aftershock-demo[bot]", type: "Bot" };
    if (method === "GET") return { status: 200, body: comments.map((c) => ({ ...c, user })) };
    if (method !== "POST") return null;
    const comment = {
      id: n * 1000 + comments.length + 1,
      body: String(b.body),
      created_at: new Date().toISOString(),
    };
    comments.push(comment);
    return { status: 201, body: { ...comment, user } };
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
      const nextPage = new URL(url);
      nextPage.searchParams.set("page", String(page + 1));
      headers.link = `<${standin.url}${nextPage.pathname}${nextPage.search}>; rel="next"`;
    }
    return { status: 200, body: items.map(issueJson), headers };
  }

  async function createIssue(b: Partial<StandinIssue>): Promise<Answer> {
    if (typeof b.title !== "string" || b.title === "") {
      return { status: 422, body: { message: "Validation Failed: title is missing" } };
    }
    // The write lands after the delay, as GitHub's does: a second delivery listing meanwhile sees nothing.
    if (standin.createDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, standin.createDelayMs));
    const issue: StandinIssue = {
      number: next++,
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
    const url = new URL(req.url ?? "/", "http://github.standin");
    let answer: Answer;
    try {
      const text = await readText(req);
      if (standin.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, standin.latencyMs));
      answer = await route(method, url, text ? JSON.parse(text) : undefined, req.headers.authorization ?? "");
    } catch (err) {
      answer = { status: 500, body: { message: `the GitHub stand-in failed: ${errorMessage(err)}` } };
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
