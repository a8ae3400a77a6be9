// `npx tsx bench/correlate.ts` (bench:correlate): what correlating an alert costs against GitHub.
// For histories of 10, 100 and 1,000 commits across a few deployments, the real fetchHistory
// (two GraphQL queries, paged) + rankSuspects, side by side with the plain REST approach
// (deployments, their statuses, compare, one request per commit for its PRs, one per PR for its
// files) at 8 requests in flight. Both end with the issue create. GitHub is bench/github-sim.ts
// on 127.0.0.1 with a fixed latency per request.
//
//   npx tsx bench/correlate.ts -- [--sizes 10,100,1000] [--deployments 4] [--latency 100]
//                                 [--concurrency 8] [--app-runs 5] [--markdown]
//
// A second table times an Alertmanager delivery to its created issue through the app itself, with
// the Octokit and throttling `npm start` uses (bench/alert-to-issue.ts).
//
// Request counts are deterministic; times vary with the machine. The simulator answers a big
// GraphQL page as fast as a small REST call: real GitHub takes longer for it (and charges rate-limit
// points per node), so our times here are a lower bound.
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { Octokit } from "octokit";
import type {
  AlertRef,
  CorrelationConfig,
  DeploymentRef,
  PullRef,
} from "../src/core/suspects/correlation-types.js";
import { isShipped, rankSuspects } from "../src/core/suspects/scoring.js";
import { fetchHistory, type History, type HistoryOptions } from "../src/github/history.js";
import { generateRepo, type SimRepo } from "../src/demo/repo-history.js";
import { alertToIssueThroughApp, median } from "./alert-to-issue.js";
import { startGithubSim, type GithubSim } from "./github-sim.js";
import { markdownTable, plainTable } from "./table.js";

interface Options {
  sizes: number[];
  deployments: number;
  latency: number;
  concurrency: number;
  markdown: boolean;
  /** Deliveries through the app for the latency table; 0 skips it. */
  appRuns: number;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== "--"),
    options: {
      sizes: { type: "string", default: "10,100,1000" },
      deployments: { type: "string", default: "4" },
      latency: { type: "string", default: "100" },
      concurrency: { type: "string", default: "8" },
      markdown: { type: "boolean", default: false },
      "app-runs": { type: "string", default: "5" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(
      "usage: npx tsx bench/correlate.ts [--sizes 10,100,1000] [--deployments N] [--latency MS] [--concurrency N] [--markdown]",
    );
    process.exit(0);
  }
  const whole = (flag: string, raw: string, min: number): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`--${flag} needs a whole number ≥ ${min}, got "${raw}"`);
    return n;
  };
  return {
    sizes: values.sizes.split(",").map((s) => whole("sizes", s.trim(), 1)),
    deployments: whole("deployments", values.deployments, 1),
    latency: whole("latency", values.latency, 0),
    concurrency: whole("concurrency", values.concurrency, 1),
    markdown: values.markdown,
    appRuns: whole("app-runs", values["app-runs"], 0),
  };
}

/** What both approaches produce: the history, ranked, and the issue that names the top suspect. */
interface Outcome {
  ranking: number[];
  requests: number;
  ms: number;
}

const CONFIG: CorrelationConfig = {
  services: { checkout: ["services/checkout/**"] },
  lookbackSeconds: 24 * 3600,
};

async function alertToIssue(
  sim: GithubSim,
  octokit: Octokit,
  repo: SimRepo,
  alertAt: Date,
  history: (opts: HistoryOptions) => Promise<Pick<History, "deployments" | "pulls">>,
): Promise<Outcome> {
  sim.reset();
  const alert: AlertRef = {
    startsAt: alertAt.toISOString(),
    labels: { alertname: "HighErrorRate", service: "checkout", environment: "production" },
  };
  const started = performance.now();
  const { deployments, pulls } = await history({
    owner: repo.owner,
    repo: repo.repo,
    environment: "production",
    since: new Date(alertAt.getTime() - CONFIG.lookbackSeconds! * 1000),
    until: alertAt,
  });
  const ranked = rankSuspects({ alert, deployments, pulls, config: CONFIG });
  const top = ranked[0];
  await octokit.request("POST /repos/{owner}/{repo}/issues", {
    owner: repo.owner,
    repo: repo.repo,
    title: `HighErrorRate: checkout in production${top ? ` (suspect #${top.number})` : ""}`,
    body: ranked.map((s) => `- #${s.number} ${s.score.toFixed(2)}`).join("\n"),
  });
  return { ranking: ranked.map((s) => s.number), requests: sim.requests, ms: performance.now() - started };
}

// ---- the plain REST approach ----

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
async function mapPool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

interface RestDeployment {
  id: number;
  sha: string;
  environment: string;
  created_at: string;
}

/**
 * What a client without GraphQL does: list the environment's deployments (newest first) until one
 * before the window, read each one's latest status, compare each shipped deployment with the one
 * before it, then ask each commit for its PR and each PR for its files.
 */
async function restHistory(
  octokit: Octokit,
  opts: HistoryOptions,
  limit: number,
): Promise<Pick<History, "deployments" | "pulls">> {
  const repo = { owner: opts.owner, repo: opts.repo };
  const since = opts.since.getTime();
  const until = opts.until.getTime();

  const listed: RestDeployment[] = [];
  for (let page = 1; ; page++) {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/deployments", {
      ...repo,
      environment: opts.environment,
      per_page: 100,
      page,
    });
    listed.push(...(data as RestDeployment[]));
    if (data.length < 100 || listed.some((d) => Date.parse(d.created_at) < since)) break;
  }
  const status = async (d: RestDeployment): Promise<DeploymentRef> => {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses", {
      ...repo,
      deployment_id: d.id,
      per_page: 1,
    });
    const state = data[0]?.state ?? "pending";
    return {
      id: d.id,
      sha: d.sha,
      environment: d.environment,
      createdAt: d.created_at,
      status: state,
      checkFailed: state === "failure" || state === "error",
    };
  };
  const inRange = listed.filter((d) => {
    const t = Date.parse(d.created_at);
    return t >= since && t <= until;
  });
  const refs = await mapPool(inRange, limit, status);
  // The base: the newest shipped deployment before the window, looked up one at a time.
  let base: DeploymentRef | undefined;
  for (const d of listed.filter((x) => Date.parse(x.created_at) < since)) {
    const ref = await status(d);
    if (isShipped(ref)) {
      base = ref;
      break;
    }
  }
  const shipped = refs.filter(isShipped).sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));

  // Commits each shipped deployment added over the one before it (100 per page; first pages, then the rest).
  const pairs = shipped.map((d, i) => ({ deployment: d, base: i === 0 ? base : shipped[i - 1] }));
  interface Compared {
    commits: { sha: string }[];
    total_commits: number;
  }
  const compare = (head: string, baseSha: string, page: number) =>
    octokit
      .request("GET /repos/{owner}/{repo}/compare/{basehead}", {
        ...repo,
        basehead: `${baseSha}...${head}`,
        per_page: 100,
        page,
      })
      .then((r) => r.data as unknown as Compared);
  const withBase = pairs.filter((p) => p.base !== undefined);
  const first = await mapPool(withBase, limit, (p) => compare(p.deployment.sha, p.base!.sha, 1));
  const more = withBase.flatMap((p, i) =>
    Array.from({ length: Math.ceil(first[i]!.total_commits / 100) - 1 }, (_, k) => ({ p, i, page: k + 2 })),
  );
  const rest = await mapPool(more, limit, (m) => compare(m.p.deployment.sha, m.p.base!.sha, m.page));
  const commitsOf = withBase.map((p, i) => ({
    deployment: p.deployment,
    shas: [...first[i]!.commits, ...rest.filter((_, k) => more[k]!.i === i).flatMap((r) => r.commits)].map(
      (c) => c.sha,
    ),
  }));

  // One request per commit for its PRs.
  const commitJobs = commitsOf.flatMap((c) => c.shas.map((sha) => ({ sha, deployment: c.deployment })));
  interface RestPull {
    number: number;
    title: string;
    user: { login: string } | null;
    html_url: string;
    merged_at: string | null;
    merge_commit_sha: string | null;
  }
  const prsOf = await mapPool(commitJobs, limit, async (job) => {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", {
      ...repo,
      commit_sha: job.sha,
    });
    return data as RestPull[];
  });
  const found: { pr: RestPull; deploymentId: number | string }[] = [];
  const seen = new Set<number>();
  prsOf.forEach((prs, k) => {
    for (const pr of prs) {
      if (pr.merged_at === null || seen.has(pr.number)) continue;
      seen.add(pr.number);
      found.push({ pr, deploymentId: commitJobs[k]!.deployment.id });
    }
  });

  // One request per PR for its files (their sums are the PR's size).
  const pulls = await mapPool(found, limit, async ({ pr, deploymentId }): Promise<PullRef> => {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
      ...repo,
      pull_number: pr.number,
      per_page: 100,
    });
    const files = data.map((f) => ({ path: f.filename, additions: f.additions, deletions: f.deletions }));
    return {
      number: pr.number,
      title: pr.title,
      author: pr.user?.login ?? "ghost",
      mergedAt: pr.merged_at ?? "",
      deploymentId,
      additions: files.reduce((s, f) => s + f.additions, 0),
      deletions: files.reduce((s, f) => s + f.deletions, 0),
      files,
      url: pr.html_url,
      ...(pr.merge_commit_sha ? { mergeCommitSha: pr.merge_commit_sha } : {}),
    };
  });
  return { deployments: shipped, pulls };
}

// ---- the run ----

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const alertAt = new Date("2024-05-01T12:00:00Z");
  const header = [
    "commits",
    "PRs",
    "requests: ours",
    "requests: REST",
    "alert→issue: ours",
    "alert→issue: REST",
    "top suspect (ours / REST)",
    "same ranking",
  ];
  const rows: string[][] = [];
  let mismatch = false;
  for (const commits of opts.sizes) {
    const repo = generateRepo({ commits, deployments: opts.deployments, alertAt });
    const sim = await startGithubSim(repo, opts.latency);
    try {
      const octokit = new Octokit({
        baseUrl: sim.url,
        auth: "ghs_bench",
        retry: { enabled: false },
        throttle: { enabled: false },
      });
      const ours = await alertToIssue(sim, octokit, repo, alertAt, (o) => fetchHistory(octokit, o));
      const rest = await alertToIssue(sim, octokit, repo, alertAt, (o) =>
        restHistory(octokit, o, opts.concurrency),
      );
      const same = JSON.stringify(ours.ranking) === JSON.stringify(rest.ranking);
      const topOk = ours.ranking[0] === repo.culprit && rest.ranking[0] === repo.culprit;
      if (!same || !topOk) mismatch = true;
      rows.push([
        String(commits),
        String(repo.pulls.size),
        String(ours.requests),
        String(rest.requests),
        seconds(ours.ms),
        seconds(rest.ms),
        `#${ours.ranking[0] ?? "-"} / #${rest.ranking[0] ?? "-"}${topOk ? "" : ` (expected #${repo.culprit})`}`,
        same ? "yes" : "NO",
      ]);
    } finally {
      await sim.close();
    }
  }
  console.log(
    `Correlating one alert: ${opts.deployments} deployments in the 24 h window, ${opts.latency} ms per request, ` +
      `REST at ${opts.concurrency} in flight; requests and time include the issue create.\n`,
  );
  console.log(opts.markdown ? markdownTable(header, rows) : plainTable(header, rows));
  if (opts.appRuns > 0) await appLatency(opts, alertAt);
  if (mismatch) {
    console.error("\nthe two approaches disagree on the ranking, or missed the planted culprit");
    process.exitCode = 1;
  }
}

/** Alert → issue through the app with production throttling, per repository size: the p50 target is 1.5 s. */
async function appLatency(opts: Options, alertAt: Date): Promise<void> {
  const header = ["commits", "deliveries", "requests", "first", "p50", "max after the first"];
  const rows: string[][] = [];
  for (const commits of opts.sizes) {
    const repo = generateRepo({ commits, deployments: opts.deployments, alertAt });
    const sim = await startGithubSim(repo, opts.latency);
    try {
      const { ms, requests } = await alertToIssueThroughApp(sim, repo, alertAt, opts.appRuns);
      const later = ms.slice(1);
      rows.push([
        String(commits),
        String(ms.length),
        String(requests),
        seconds(ms[0]!),
        seconds(median(ms)),
        later.length ? seconds(Math.max(...later)) : "–",
      ]);
    } finally {
      await sim.close();
    }
  }
  console.log(
    `\nAlertmanager delivery → created issue through the app (Probot's throttling as npm start runs it), ` +
      `${opts.latency} ms per GitHub request; target p50 ≤ 1.5 s:\n`,
  );
  console.log(opts.markdown ? markdownTable(header, rows) : plainTable(header, rows));
}

await main();
