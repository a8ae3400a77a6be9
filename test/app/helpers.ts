// Test harness for the app: a Probot with a generated key and no retries/throttling, the app loaded
// with a captured addHandler, a real HTTP server on 127.0.0.1, and a small in-memory GitHub behind
// nock (persisted interceptors), so tests assert on the issues and comments that were written.
import type { Logger } from "pino";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { createApp, type AppOptions } from "../../src/app/index.js";
import { InProcessKeyLock } from "../../src/app/lock.js";
import type { AppSettings } from "../../src/app/settings.js";
import { parseRecord } from "../../src/core/incident/incident-record.js";

export const API = "https://api.github.com";
export const OWNER = "acme";
export const REPO = "shop";
export const INSTALLATION_ID = 99;
export const TOKEN = "s3cret-alertmanager-token";

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  publicKeyEncoding: { type: "spki", format: "pem" },
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
});

export function firingPayload(): Record<string, unknown> & {
  alerts: Array<
    Record<string, unknown> & { labels: Record<string, string>; annotations: Record<string, string> }
  >;
  commonLabels: Record<string, string>;
} {
  return JSON.parse(readFileSync(new URL("../fixtures/alertmanager/firing.json", import.meta.url), "utf8"));
}

export interface Handled {
  probot: Probot;
  handler: (req: IncomingMessage, res: ServerResponse) => boolean | void | Promise<boolean | void>;
}

export async function loadApp(
  settings: Partial<AppSettings> = {},
  options: AppOptions = {},
  log?: Logger,
): Promise<Handled> {
  const probot = new Probot({
    appId: 1,
    privateKey,
    ...(log ? { log } : { logLevel: "fatal" }),
    Octokit: ProbotOctokit.defaults((o: object) => ({
      ...o,
      retry: { enabled: false },
      throttle: { enabled: false },
    })),
  });
  const handlers: Handled["handler"][] = [];
  await probot.load(
    createApp({
      settings: {
        alertmanagerToken: TOKEN,
        allowUnauthenticated: false,
        maxBodyBytes: 1024 * 1024,
        repositoryLabel: "repository",
        appSlug: "aftershock",
        ...settings,
      },
      lock: new InProcessKeyLock(),
      now: () => new Date("2024-05-01T12:05:00Z"),
      ...options,
    }),
    { cwd: process.cwd(), addHandler: (h) => handlers.push(h) },
  );
  // Like Probot's Server: the first handler that claims the request answers it.
  const handler: Handled["handler"] = async (req, res) => {
    for (const h of handlers) if (await h(req, res)) return true;
    return false;
  };
  return { probot, handler };
}

/** A real server on 127.0.0.1 running the handler; unhandled paths get 404. */
export async function serve(
  handler: Handled["handler"],
): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    void Promise.resolve(handler(req, res)).then((handled) => {
      if (!handled && !res.headersSent) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` },
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : {} };
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  assignees: string[];
  state: "open" | "closed";
  comments: string[];
  /** ISO 8601; issues the app creates get the time of their creation. */
  createdAt?: string;
  /** Who opened it; the app's bot account by default. */
  user?: { login: string; type?: string };
}

/** A comment on a pull request (GitHub serves them through the issues API). */
export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type?: string };
  created_at: string;
}

/** GitHub refuses an issue body, title or comment longer than this (422 "is too long"). */
export const GITHUB_TEXT_LIMIT = 65_536;

function tooLong(body: unknown): [number, unknown] | null {
  const b = body as { body?: unknown; title?: unknown };
  for (const field of ["body", "title"] as const) {
    const value = b[field];
    if (typeof value === "string" && value.length > GITHUB_TEXT_LIMIT) {
      return [
        422,
        {
          message: "Validation Failed",
          errors: [{ field, code: "custom", message: `${field} is too long (maximum is 65536 characters)` }],
        },
      ];
    }
  }
  return null;
}

/** The part of GitHub the app uses, in memory. `calls` lists "METHOD path" of every request. */
export class FakeGitHub {
  issues: FakeIssue[] = [];
  calls: string[] = [];
  /** The query of every issues listing, in order. */
  listings: Array<Record<string, string>> = [];
  installed = true;
  /** The YAML of .github/aftershock.yml; null: no such file. */
  config: string | null = null;
  /** Status codes to answer instead, keyed "METHOD /path", consumed one per request. */
  readonly failures = new Map<string, number[]>();
  /** Answer GET /app (the app's identity); off for a test that answers it itself. */
  servesApp = true;
  /** Milliseconds the issue create takes (to let concurrent deliveries overlap). */
  createDelay = 0;
  /** The repository's tree, as the recursive git trees API lists it (service hints). */
  tree: Array<{ path: string; type: "tree" | "blob" }> = [];
  /** GitHub cut the tree listing. */
  treeTruncated = false;
  /** Files besides the config read through the contents API (CODEOWNERS), by path. */
  files = new Map<string, string>();
  /** Comments on pull requests by PR number; a PR absent here is not found. */
  pullComments = new Map<number, FakeComment[]>();
  /** The app's slug, served on GET /app (it comments as `<slug>[bot]`); null: "aftershock". */
  appSlug: string | null = null;
  /** Milliseconds an issue update (PATCH) takes (to let deliveries queue behind it). */
  updateDelay = 0;
  /** Issue numbers start high so a test can't confuse them with counts. */
  #next = 101;
  #commentId = 9000;

  failNext(key: string, ...statuses: number[]): void {
    this.failures.set(key, [...(this.failures.get(key) ?? []), ...statuses]);
  }

  records() {
    return this.issues.map((i) => parseRecord(i.body));
  }

  #fail(key: string): [number, unknown] | null {
    this.calls.push(key);
    const queue = this.failures.get(key);
    const status = queue?.shift();
    return status === undefined ? null : [status, { message: `injected ${status}` }];
  }

  install(): void {
    const repoPath = `/repos/${OWNER}/${REPO}`;
    const issueJson = (i: FakeIssue) => ({
      number: i.number,
      html_url: `https://github.com/${OWNER}/${REPO}/issues/${i.number}`,
      title: i.title,
      body: i.body,
      state: i.state,
      labels: i.labels.map((name) => ({ name })),
      created_at: i.createdAt ?? new Date().toISOString(),
      // Issues the app opens are authored by its bot account (incidents are trusted only then).
      user: i.user ?? { login: "aftershock[bot]", type: "Bot" },
    });
    const scope = nock(API).persist();
    scope.get(`${repoPath}/installation`).reply(() => {
      const failed = this.#fail(`GET ${repoPath}/installation`);
      if (failed) return failed;
      return this.installed ? [200, { id: INSTALLATION_ID }] : [404, { message: "Not Found" }];
    });
    // The app's identity (GET /app, as the app): incidents opened by aftershock[bot] are its own.
    if (this.servesApp) {
      scope.get("/app").reply(() => {
        this.calls.push("GET /app");
        return [200, { id: 1, slug: this.appSlug ?? "aftershock" }];
      });
    }
    scope.post(`/app/installations/${INSTALLATION_ID}/access_tokens`).reply(() => {
      this.calls.push("POST access_tokens");
      return [201, { token: "ghs_installation", expires_at: "2999-01-01T00:00:00Z", permissions: {} }];
    });
    scope.get(/\/repos\/acme\/shop\/contents\/\.github(%2F|\/)aftershock\.yml/).reply(() => {
      const failed = this.#fail(`GET ${repoPath}/contents`);
      if (failed) return failed;
      if (this.config === null) return [404, { message: "Not Found" }];
      return [
        200,
        { type: "file", encoding: "base64", content: Buffer.from(this.config).toString("base64") },
      ];
    });
    scope
      .get(`${repoPath}/issues`)
      .query(true)
      .reply((uri) => {
        const query = new URL(uri, API).searchParams;
        this.listings.push(Object.fromEntries(query));
        const state = query.get("state");
        // The history listing (state=all) has its own key, so a test can fail it alone.
        const failed = this.#fail(`GET ${repoPath}/issues${state === "all" ? "?state=all" : ""}`);
        if (failed) return failed;
        const label = query.get("labels");
        const listed = this.issues.filter(
          (i) => (state === "all" || i.state === state) && (!label || i.labels.includes(label)),
        );
        return [200, listed.map(issueJson)];
      });
    scope
      .post(`${repoPath}/issues`)
      .delay(this.createDelay)
      .reply((_uri, body) => {
        const failed = this.#fail(`POST ${repoPath}/issues`) ?? tooLong(body);
        if (failed) return failed;
        const b = body as { title: string; body: string; labels: string[]; assignees: string[] };
        const issue: FakeIssue = { ...b, number: this.#next++, state: "open", comments: [] };
        this.issues.push(issue);
        return [201, issueJson(issue)];
      });
    scope.get(/\/repos\/acme\/shop\/issues\/\d+$/).reply((uri) => {
      const failed = this.#fail(`GET ${repoPath}/issues/:n`);
      if (failed) return failed;
      const issue = this.#issue(uri);
      return issue ? [200, issueJson(issue)] : [404, { message: "Not Found" }];
    });
    scope.patch(/\/repos\/acme\/shop\/issues\/\d+$/).reply((uri, body, done) => {
      const answer = (): [number, unknown] => {
        const failed = this.#fail(`PATCH ${repoPath}/issues`) ?? tooLong(body);
        if (failed) return failed;
        const issue = this.#issue(uri);
        if (!issue) return [404, { message: "Not Found" }];
        Object.assign(issue, body as Partial<FakeIssue>);
        return [200, issueJson(issue)];
      };
      // The update lands when its answer is sent, after updateDelay (read per request).
      setTimeout(() => done(null, answer() as [number, Record<string, unknown>]), this.updateDelay);
    });
    scope.get(new RegExp(`^${repoPath}/git/trees/[^/?]+\\?recursive=1$`)).reply(() => {
      const failed = this.#fail(`GET ${repoPath}/git/trees`);
      if (failed) return failed;
      return [200, { sha: "tree", tree: this.tree, truncated: this.treeTruncated }];
    });
    scope.get(/\/repos\/acme\/shop\/contents\/((\.github|docs)(%2F|\/))?CODEOWNERS/).reply((uri) => {
      const failed = this.#fail(`GET ${repoPath}/contents/CODEOWNERS`);
      if (failed) return failed;
      const path = decodeURIComponent(new URL(uri, API).pathname).replace(`${repoPath}/contents/`, "");
      const text = this.files.get(path);
      if (text === undefined) return [404, { message: "Not Found" }];
      return [200, { type: "file", encoding: "base64", content: Buffer.from(text).toString("base64") }];
    });
    scope
      .get(/\/repos\/acme\/shop\/issues\/\d+\/comments/)
      .query(true)
      .reply((uri) => {
        const failed = this.#fail(`GET ${repoPath}/comments`);
        if (failed) return failed;
        const url = new URL(uri, API);
        const comments = this.pullComments.get(Number(/\/issues\/(\d+)/.exec(url.pathname)?.[1]));
        if (!comments) return [404, { message: "Not Found" }];
        const since = url.searchParams.get("since");
        const perPage = Number(url.searchParams.get("per_page") ?? 30);
        const page = Number(url.searchParams.get("page") ?? 1);
        const listed = comments.filter((c) => !since || c.created_at >= since);
        return [200, listed.slice((page - 1) * perPage, page * perPage)];
      });
    scope.post(/\/repos\/acme\/shop\/issues\/\d+\/comments$/).reply((uri, body) => {
      const failed = this.#fail(`POST ${repoPath}/comments`) ?? tooLong(body);
      if (failed) return failed;
      const pull = this.pullComments.get(Number(/\/issues\/(\d+)/.exec(uri)?.[1]));
      if (pull) {
        const comment: FakeComment = {
          id: this.#commentId++,
          body: (body as { body: string }).body,
          user: { login: `${this.appSlug ?? "aftershock"}[bot]`, type: "Bot" },
          created_at: new Date().toISOString(),
        };
        pull.push(comment);
        return [201, comment];
      }
      const issue = this.#issue(uri);
      if (!issue) return [404, { message: "Not Found" }];
      issue.comments.push((body as { body: string }).body);
      return [201, { id: issue.comments.length }];
    });
  }

  #issue(uri: string): FakeIssue | undefined {
    const n = Number(/\/issues\/(\d+)/.exec(uri)?.[1]);
    return this.issues.find((i) => i.number === n);
  }
}
