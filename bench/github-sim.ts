// The correlation bench's GitHub: the simulated repository of src/demo/repo-history.ts served on
// 127.0.0.1 with a fixed latency per request, and counted, for bench/correlate.ts.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  answerGraphql,
  answerRest,
  notFound,
  type GraphqlBody,
  type RestAnswer,
  type SimRepo,
} from "../src/demo/repo-history.js";

// ---- the server ----

/** The app's installation on the simulated repository (for bench/alert-to-issue.ts). */
export const SIM_INSTALLATION_ID = 77;

export interface GithubSim {
  url: string;
  /** Requests answered since the last reset, and by "METHOD route". */
  readonly requests: number;
  readonly byRoute: ReadonlyMap<string, number>;
  /** Issues opened (POST /repos/{owner}/{repo}/issues). */
  readonly issues: ReadonlyArray<{ number: number; title: string }>;
  reset(): void;
  close(): Promise<void>;
}

/** Serves `sim` on 127.0.0.1, answering every request after `latencyMs`. */
export async function startGithubSim(sim: SimRepo, latencyMs: number): Promise<GithubSim> {
  let requests = 0;
  const byRoute = new Map<string, number>();
  const issues: { number: number; title: string }[] = [];
  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => send(res, { status: 500, body: { message: String(err) } }));
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    requests++;
    const route = `${req.method} ${routeOf(req.url ?? "/")}`;
    byRoute.set(route, (byRoute.get(route) ?? 0) + 1);
    await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (req.method === "POST" && req.url === "/graphql") {
      return send(res, answerGraphql(sim, body as GraphqlBody));
    }
    // What the app asks before it correlates: its installation, a token, the config, open incidents.
    const path = new URL(req.url ?? "/", "http://sim").pathname;
    if (req.method === "GET" && path === `/repos/${sim.owner}/${sim.repo}/installation`) {
      return send(res, { status: 200, body: { id: SIM_INSTALLATION_ID } });
    }
    if (req.method === "POST" && path === `/app/installations/${SIM_INSTALLATION_ID}/access_tokens`) {
      return send(res, {
        status: 201,
        body: { token: "ghs_sim", expires_at: "2999-01-01T00:00:00Z", permissions: {} },
      });
    }
    if (req.method === "GET" && path === `/repos/${sim.owner}/${sim.repo}/issues`) {
      return send(res, { status: 200, body: [] });
    }
    if (req.method === "POST" && req.url === `/repos/${sim.owner}/${sim.repo}/issues`) {
      const issue = { number: issues.length + 1, title: String((body as { title?: unknown }).title) };
      issues.push(issue);
      const html_url = `https://github.com/${sim.owner}/${sim.repo}/issues/${issue.number}`;
      return send(res, { status: 201, body: { ...issue, html_url } });
    }
    send(res, answerRest(sim, req.method ?? "GET", req.url ?? "/") ?? notFound());
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    byRoute,
    issues,
    reset() {
      requests = 0;
      byRoute.clear();
      issues.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** "/repos/acme/shop/commits/abc/pulls" → "/repos/:o/:r/commits/:sha/pulls", to count by endpoint. */
function routeOf(url: string): string {
  return new URL(url, "http://sim").pathname
    .replace(/^\/repos\/[^/]+\/[^/]+/, "/repos/:o/:r")
    .replace(/\/[0-9a-f]{40}\.\.\.[0-9a-f]{40}/, "/:base...:head")
    .replace(/\/[0-9a-f]{40}/g, "/:sha")
    .replace(/\/\d+/g, "/:n");
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as unknown) : undefined;
}

function send(res: ServerResponse, answer: RestAnswer | { status: number; body: unknown }): void {
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...("headers" in answer ? answer.headers : {}),
  });
  res.end(text);
}
