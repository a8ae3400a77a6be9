// A simulated GitHub repository history for correlation: a linear main branch of squash-merged PRs,
// the deployments that shipped it, and the API to read them two ways: the two GraphQL queries
// fetchHistory sends, and the plain REST endpoints (deployments, statuses, compare, commit → PRs,
// PR files). Pure data and answers, no server: the GitHub stand-in (./github-standin.ts) serves
// them to the demo and the app's end-to-end test, bench/github-sim.ts to the correlation bench.

export interface SimFile {
  path: string;
  additions: number;
  deletions: number;
}

export interface SimPull {
  number: number;
  title: string;
  author: string;
  mergedAt: string;
  additions: number;
  deletions: number;
  files: SimFile[];
  mergeCommitSha: string;
}

export interface SimCommit {
  sha: string;
  committedDate: string;
  /** The PR this commit squash-merged; none for a direct push. */
  pull?: number;
}

export interface SimDeployment {
  id: number;
  sha: string;
  environment: string;
  createdAt: string;
  /** GitHub's DeploymentStatusState, lower case: success, inactive, failure, pending, ... */
  state: string;
}

export interface SimRepo {
  owner: string;
  repo: string;
  /** The default branch, oldest first; every commit's parent is the one before it. */
  commits: SimCommit[];
  pulls: Map<number, SimPull>;
  deployments: SimDeployment[];
  /** The PR built to be the most suspicious (last of the last deployment, checkout, a migration, large). */
  culprit: number;
}

export interface RepoShape {
  /** Commits shipped in the window (by the deployments in it). */
  commits: number;
  /** Deployments in the window that shipped them. */
  deployments: number;
  /** The alert's start: the window's deployments are in the 18 hours before it. */
  alertAt: Date;
  environment?: string;
  owner?: string;
  repo?: string;
}

const SERVICES = ["checkout", "search", "billing", "web"];
const HOUR = 3600_000;

const sha = (n: number) => n.toString(16).padStart(8, "0").repeat(5);
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A deterministic repository: an old deployment and the base one (before the 24 h lookback), then
 * `deployments` in the window shipping `commits` between them, and one still pending after the
 * alert. Every 10th commit is a direct push (no PR). The culprit is the last PR of the last
 * deployment: it changes the alerting service (checkout) and a migration, and is large, so any
 * sensible ranker puts it first.
 */
export function generateRepo(shape: RepoShape): SimRepo {
  const environment = shape.environment ?? "production";
  const alertAt = shape.alertAt.getTime();
  const commits: SimCommit[] = [];
  const pulls = new Map<number, SimPull>();
  const deployments: SimDeployment[] = [];
  let nextId = 5000;
  const deploy = (at: number, state: string) =>
    deployments.push({
      id: nextId++,
      sha: commits.at(-1)!.sha,
      environment,
      createdAt: iso(at),
      state,
    });

  // History before the window: three commits, an old deployment, the base deployment.
  for (let i = 0; i < 3; i++)
    commits.push({ sha: sha(1 + i), committedDate: iso(alertAt - 50 * HOUR + i * HOUR) });
  deploy(alertAt - 40 * HOUR, "inactive");
  deploy(alertAt - 30 * HOUR, "inactive");

  const spacing = (18 * HOUR) / shape.deployments;
  const deployedAt = (k: number) => alertAt - 10 * 60_000 - (shape.deployments - 1 - k) * spacing;
  let culprit = 0;
  for (let k = 0; k < shape.deployments; k++) {
    const from = Math.floor((k * shape.commits) / shape.deployments);
    const to = Math.floor(((k + 1) * shape.commits) / shape.deployments);
    const start = k === 0 ? alertAt - 29 * HOUR : deployedAt(k - 1);
    for (let j = from; j < to; j++) {
      const at = start + ((j - from + 1) * (deployedAt(k) - start)) / (to - from + 1);
      const commit: SimCommit = { sha: sha(1000 + j), committedDate: iso(at) };
      if (j % 10 !== 9) {
        const isCulprit = k === shape.deployments - 1 && j === lastPull(from, to);
        const pull = makePull(j, commit, isCulprit);
        if (isCulprit) culprit = pull.number;
        pulls.set(pull.number, pull);
        commit.pull = pull.number;
      }
      commits.push(commit);
    }
    // The newest successful deployment stays "success"; GitHub marks the ones it superseded inactive.
    deploy(deployedAt(k), k === shape.deployments - 1 ? "success" : "inactive");
  }
  commits.push({ sha: sha(999_999), committedDate: iso(alertAt + 60_000) });
  deploy(alertAt + 2 * 60_000, "pending");
  return {
    owner: shape.owner ?? "acme",
    repo: shape.repo ?? "shop",
    commits,
    pulls,
    deployments,
    culprit,
  };
}

/** The index of the last commit in [from, to) that is a PR (every 10th commit is a direct push). */
function lastPull(from: number, to: number): number {
  for (let j = to - 1; j >= from; j--) if (j % 10 !== 9) return j;
  return -1;
}

function makePull(j: number, commit: SimCommit, culprit: boolean): SimPull {
  const service = culprit ? "checkout" : SERVICES[j % SERVICES.length]!;
  const files: SimFile[] = [];
  for (let f = 0; f <= j % 4; f++) {
    files.push({
      path: `services/${service}/src/module${j}_${f}.ts`,
      additions: 5 + ((j * 7 + f) % 40),
      deletions: (j * 3 + f) % 15,
    });
  }
  if (culprit) {
    files.push({ path: "services/checkout/migrations/0042_orders_index.sql", additions: 640, deletions: 12 });
  }
  return {
    number: 100 + j,
    title: culprit ? `Add an index to orders (${j})` : `Change ${service} module ${j}`,
    author: `dev${j % 7}`,
    mergedAt: commit.committedDate,
    additions: files.reduce((s, f) => s + f.additions, 0),
    deletions: files.reduce((s, f) => s + f.deletions, 0),
    files,
    mergeCommitSha: commit.sha,
  };
}

// ---- GraphQL: the two queries of src/github/history.ts ----

export interface GraphqlBody {
  query: string;
  variables?: Record<string, unknown>;
}

/** The answer to one of fetchHistory's queries; a 400 for any other query, so a new query is noticed. */
export function answerGraphql(sim: SimRepo, body: GraphqlBody): { status: number; body: unknown } {
  const vars = body.variables ?? {};
  if (vars.owner !== sim.owner || vars.repo !== sim.repo) {
    return { status: 200, body: { data: { repository: null } } };
  }
  if (/deployments\(environments:/.test(body.query)) {
    return { status: 200, body: { data: { repository: { deployments: deploymentsPage(sim, vars) } } } };
  }
  const aliases = [...body.query.matchAll(/\b(d(\d+)): object\(oid: \$oid\d+\)/g)];
  if (aliases.length > 0) {
    const repository: Record<string, unknown> = {};
    for (const [, alias, i] of aliases) {
      repository[alias!] = historyPage(sim, vars[`oid${i}`], vars[`since${i}`], vars[`after${i}`]);
    }
    return { status: 200, body: { data: { repository } } };
  }
  return {
    status: 400,
    body: { message: "the GitHub simulator does not know this query", query: body.query },
  };
}

function deploymentsPage(sim: SimRepo, vars: Record<string, unknown>) {
  const all = sim.deployments
    .filter((d) => d.environment === vars.environment)
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  const offset = typeof vars.cursor === "string" ? Number(vars.cursor) : 0;
  const page = all.slice(offset, offset + 100);
  return {
    pageInfo: { hasNextPage: offset + page.length < all.length, endCursor: String(offset + page.length) },
    nodes: page.map((d) => ({
      id: `DE_${d.id}`,
      databaseId: d.id,
      createdAt: d.createdAt,
      commitOid: d.sha,
      commit: { committedDate: commitBySha(sim, d.sha)?.committedDate ?? d.createdAt },
      latestStatus: {
        state: d.state.toUpperCase(),
        description: null,
        logUrl: `https://ci.example/deploys/${d.id}`,
        environmentUrl: null,
      },
    })),
  };
}

function historyPage(sim: SimRepo, oid: unknown, since: unknown, after: unknown) {
  const index = sim.commits.findIndex((c) => c.sha === oid);
  if (index < 0) return null;
  const sinceMs = typeof since === "string" ? Date.parse(since) : -Infinity;
  // Newest first from the commit, like `git log`; GitHub's `since` keeps commits at or after it.
  const reachable = sim.commits
    .slice(0, index + 1)
    .reverse()
    .filter((c) => Date.parse(c.committedDate) >= sinceMs);
  const offset = typeof after === "string" ? Number(after) : 0;
  const page = reachable.slice(offset, offset + 100);
  return {
    history: {
      pageInfo: {
        hasNextPage: offset + page.length < reachable.length,
        endCursor: String(offset + page.length),
      },
      nodes: page.map((c) => {
        const pull = c.pull === undefined ? undefined : sim.pulls.get(c.pull);
        return { oid: c.sha, associatedPullRequests: { nodes: pull ? [pullNode(sim, pull)] : [] } };
      }),
    },
  };
}

function pullNode(sim: SimRepo, p: SimPull) {
  return {
    number: p.number,
    title: p.title,
    url: pullUrl(sim, p.number),
    mergedAt: p.mergedAt,
    additions: p.additions,
    deletions: p.deletions,
    author: { login: p.author },
    mergeCommit: { oid: p.mergeCommitSha },
    files: { nodes: p.files.slice(0, 100) },
  };
}

const pullUrl = (sim: SimRepo, n: number) => `https://github.com/${sim.owner}/${sim.repo}/pull/${n}`;
const commitBySha = (sim: SimRepo, s: string) => sim.commits.find((c) => c.sha === s);

// ---- REST: what a client without GraphQL reads ----

export interface RestAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** GET endpoints for the plain REST approach; null when the path is not one of them. */
export function answerRest(sim: SimRepo, method: string, rawUrl: string): RestAnswer | null {
  if (method !== "GET") return null;
  const url = new URL(rawUrl, "http://sim");
  const prefix = `/repos/${sim.owner}/${sim.repo}`;
  if (!url.pathname.startsWith(`${prefix}/`)) return null;
  const path = url.pathname.slice(prefix.length);
  const perPage = Math.min(100, Number(url.searchParams.get("per_page") ?? 30));
  const page = Math.max(1, Number(url.searchParams.get("page") ?? 1));
  const paged = <T>(all: T[]): RestAnswer => {
    const items = all.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < all.length) {
      const next = new URL(url);
      next.searchParams.set("page", String(page + 1));
      headers.link = `<${next.pathname}${next.search}>; rel="next"`;
    }
    return { status: 200, body: items, headers };
  };

  if (path === "/deployments") {
    const env = url.searchParams.get("environment");
    const list = sim.deployments
      .filter((d) => env === null || d.environment === env)
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
      .map((d) => ({
        id: d.id,
        sha: d.sha,
        ref: "main",
        environment: d.environment,
        created_at: d.createdAt,
      }));
    return paged(list);
  }
  let m = /^\/deployments\/(\d+)\/statuses$/.exec(path);
  if (m) {
    const d = sim.deployments.find((x) => x.id === Number(m![1]));
    if (!d) return notFound();
    return paged([
      { state: d.state, created_at: d.createdAt, log_url: `https://ci.example/deploys/${d.id}` },
    ]);
  }
  m = /^\/compare\/([0-9a-f]+)\.\.\.([0-9a-f]+)$/.exec(path);
  if (m) {
    const base = sim.commits.findIndex((c) => c.sha === m![1]);
    const head = sim.commits.findIndex((c) => c.sha === m![2]);
    if (base < 0 || head < 0) return notFound();
    const between = sim.commits.slice(base + 1, head + 1);
    const commits = between
      .slice((page - 1) * perPage, page * perPage)
      .map((c) => ({ sha: c.sha, commit: { committer: { date: c.committedDate } } }));
    const status = head > base ? "ahead" : head === base ? "identical" : "behind";
    return {
      status: 200,
      body: { status, ahead_by: between.length, total_commits: between.length, commits, files: [] },
    };
  }
  m = /^\/commits\/([0-9a-f]+)\/pulls$/.exec(path);
  if (m) {
    const commit = commitBySha(sim, m[1]!);
    if (!commit) return notFound();
    const pull = commit.pull === undefined ? undefined : sim.pulls.get(commit.pull);
    return {
      status: 200,
      body: pull
        ? [
            {
              number: pull.number,
              title: pull.title,
              state: "closed",
              user: { login: pull.author },
              html_url: pullUrl(sim, pull.number),
              merged_at: pull.mergedAt,
              merge_commit_sha: pull.mergeCommitSha,
            },
          ]
        : [],
    };
  }
  m = /^\/pulls\/(\d+)\/files$/.exec(path);
  if (m) {
    const pull = sim.pulls.get(Number(m[1]));
    if (!pull) return notFound();
    return paged(
      pull.files.map((f) => ({
        filename: f.path,
        additions: f.additions,
        deletions: f.deletions,
        changes: f.additions + f.deletions,
        status: "modified",
      })),
    );
  }
  return null;
}

export const notFound = (): RestAnswer => ({ status: 404, body: { message: "Not Found" } });
