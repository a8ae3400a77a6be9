// The repository side of the GitHub stand-in (./github-standin.ts): pull requests (the merged ones of
// the simulated history and the ones opened here), branches, file contents, deployment statuses and
// GitHub's revertPullRequest mutation. Just enough state for /rollback, /postmortem and the Action's
// deployment status to do what they do on GitHub, and nothing it does not need.
import { createHash } from "node:crypto";
import type { SimRepo } from "./repo-history.js";

/** The demo repository's id, the same in webhook payloads and in the stand-in's pull requests. */
export const STANDIN_REPO_ID = 1296269;

export interface StandinPull {
  number: number;
  title: string;
  body: string;
  /** Branch names. */
  head: string;
  base: string;
  state: "open" | "closed";
  merged: boolean;
  draft: boolean;
  labels: string[];
  mergeCommitSha: string | null;
  /** The PR this one reverts (opened by the revert mutation). */
  reverts?: number;
}

export interface StandinFile {
  text: string;
  sha: string;
}

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The shared state the routes read and change. */
export interface GitState {
  owner: string;
  repo: string;
  history: SimRepo;
  defaultBranch: string;
  /** Branch → head commit SHA. */
  branches: Map<string, string>;
  /** Branch → path → file. */
  files: Map<string, Map<string, StandinFile>>;
  /** PRs opened through the API (the history's merged PRs are read from `history`). */
  pulls: StandinPull[];
  /** Issues and PRs share one sequence of numbers, as on GitHub. */
  nextNumber(): number;
}

const notFound = (what: string): Answer => ({ status: 404, body: { message: `Not Found: ${what}` } });
const blobSha = (text: string) =>
  createHash("sha1")
    .update(`blob ${Buffer.byteLength(text)}\0${text}`)
    .digest("hex");
const nodeId = (n: number) => `PR_standin_${n}`;

export function newGitState(
  history: SimRepo,
  files: Record<string, string>,
  nextNumber: () => number,
): GitState {
  const head = history.commits.at(-1)?.sha ?? "0".repeat(40);
  const main = new Map<string, StandinFile>();
  for (const [path, text] of Object.entries(files)) main.set(path, { text, sha: blobSha(text) });
  return {
    owner: history.owner,
    repo: history.repo,
    history,
    defaultBranch: "main",
    branches: new Map([["main", head]]),
    files: new Map([["main", main]]),
    pulls: [],
    nextNumber,
  };
}

/** A PR by number: one opened here, or a merged one of the history. */
export function findPull(s: GitState, n: number): StandinPull | undefined {
  const opened = s.pulls.find((p) => p.number === n);
  if (opened) return opened;
  const sim = s.history.pulls.get(n);
  if (!sim) return undefined;
  return {
    number: sim.number,
    title: sim.title,
    body: "",
    head: `${sim.author}/change-${sim.number}`,
    base: s.defaultBranch,
    state: "closed",
    merged: true,
    draft: false,
    labels: [],
    mergeCommitSha: sim.mergeCommitSha,
  };
}

export function pullJson(s: GitState, p: StandinPull) {
  return {
    number: p.number,
    node_id: nodeId(p.number),
    html_url: `https://github.com/${s.owner}/${s.repo}/pull/${p.number}`,
    title: p.title,
    body: p.body,
    state: p.state,
    draft: p.draft,
    merged: p.merged,
    merge_commit_sha: p.mergeCommitSha,
    labels: p.labels.map((name) => ({ name })),
    // The same repository on both sides: branches of this repository, not a fork.
    head: { ref: p.head, label: `${s.owner}:${p.head}`, repo: { id: STANDIN_REPO_ID } },
    base: { ref: p.base, repo: { id: STANDIN_REPO_ID } },
  };
}

/** REST routes under /repos/{owner}/{repo}; null when `rest` (the path after it) is not one of them. */
export function routeGit(s: GitState, method: string, rest: string, url: URL, body: unknown): Answer | null {
  const b = (body ?? {}) as Record<string, unknown>;
  if (method === "GET" && rest === "") {
    return {
      status: 200,
      body: { name: s.repo, full_name: `${s.owner}/${s.repo}`, default_branch: s.defaultBranch },
    };
  }
  if (rest === "/pulls") {
    if (method === "GET") return listPulls(s, url);
    if (method === "POST") return createPull(s, b);
  }
  let m = /^\/pulls\/(\d+)$/.exec(rest);
  if (m && method === "GET") {
    const pull = findPull(s, Number(m[1]));
    return pull ? { status: 200, body: pullJson(s, pull) } : notFound(`pull ${m[1]}`);
  }
  m = /^\/git\/ref\/(.+)$/.exec(rest);
  if (m && method === "GET") {
    const ref = decodeURIComponent(m[1]!);
    const sha = ref.startsWith("heads/") ? s.branches.get(ref.slice(6)) : undefined;
    return sha
      ? { status: 200, body: { ref: `refs/${ref}`, object: { sha, type: "commit" } } }
      : notFound(ref);
  }
  if (method === "POST" && rest === "/git/refs") return createRef(s, String(b.ref), String(b.sha));
  if (method === "GET" && /^\/git\/trees\/[^/]+$/.test(rest) && url.searchParams.get("recursive"))
    return repoTree(s);
  m = /^\/contents\/(.+)$/.exec(rest);
  if (m) {
    const path = decodeURIComponent(m[1]!);
    if (method === "GET") return getContent(s, path, url.searchParams.get("ref") ?? s.defaultBranch);
    if (method === "PUT") return putContent(s, path, b);
  }
  if (method === "GET" && rest === "/deployments") return listDeployments(s, url);
  m = /^\/deployments\/(\d+)\/statuses$/.exec(rest);
  if (m && method === "POST") {
    const deployment = s.history.deployments.find((d) => d.id === Number(m![1]));
    if (!deployment) return notFound(`deployment ${m[1]}`);
    // The history's GraphQL reads this as the deployment's latest status.
    deployment.state = String(b.state);
    return { status: 201, body: { id: deployment.id * 10, state: deployment.state } };
  }
  return null;
}

/**
 * The recursive tree service hints read: every path the history's PRs touched and the default
 * branch's files, with their folders. The same at any commit (the stand-in keeps no trees).
 */
function repoTree(s: GitState): Answer {
  const files = new Set<string>();
  for (const p of s.history.pulls.values()) for (const f of p.files) files.add(f.path);
  for (const path of s.files.get(s.defaultBranch)?.keys() ?? []) files.add(path);
  const folders = new Set<string>();
  for (const f of files) {
    const parts = f.split("/");
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join("/"));
  }
  const tree = [
    ...[...folders].sort().map((path) => ({ path, type: "tree", mode: "040000" })),
    ...[...files].sort().map((path) => ({ path, type: "blob", mode: "100644" })),
  ];
  return { status: 200, body: { sha: "standin-tree", truncated: false, tree } };
}

function listPulls(s: GitState, url: URL): Answer {
  const q = url.searchParams;
  const state = q.get("state") ?? "open";
  const head = q.get("head");
  const branch = head?.includes(":") ? head.slice(head.indexOf(":") + 1) : head;
  const list = s.pulls
    .filter((p) => (state === "all" || p.state === state) && (branch === null || p.head === branch))
    .sort((a, b) => b.number - a.number)
    .slice(0, Math.min(100, Number(q.get("per_page") ?? 30)));
  return { status: 200, body: list.map((p) => pullJson(s, p)) };
}

function openPull(
  s: GitState,
  fields: Omit<StandinPull, "number" | "state" | "merged" | "labels" | "mergeCommitSha">,
): StandinPull {
  const pull: StandinPull = {
    ...fields,
    number: s.nextNumber(),
    state: "open",
    merged: false,
    labels: [],
    mergeCommitSha: null,
  };
  s.pulls.push(pull);
  return pull;
}

function createPull(s: GitState, b: Record<string, unknown>): Answer {
  const head = String(b.head ?? "");
  const base = String(b.base ?? s.defaultBranch);
  if (!s.branches.has(head))
    return { status: 422, body: { message: `Validation Failed: no branch ${head}` } };
  if (s.pulls.some((p) => p.state === "open" && p.head === head)) {
    return { status: 422, body: { message: `Validation Failed: A pull request already exists for ${head}` } };
  }
  const pull = openPull(s, {
    title: String(b.title ?? ""),
    body: String(b.body ?? ""),
    head,
    base,
    draft: b.draft === true,
  });
  return { status: 201, body: pullJson(s, pull) };
}

function createRef(s: GitState, ref: string, sha: string): Answer {
  if (!ref.startsWith("refs/heads/")) return { status: 422, body: { message: `Validation Failed: ${ref}` } };
  const branch = ref.slice("refs/heads/".length);
  if (s.branches.has(branch)) return { status: 422, body: { message: "Reference already exists" } };
  s.branches.set(branch, sha);
  // A branch made from the default branch starts with its files.
  const from =
    s.branches.get(s.defaultBranch) === sha
      ? s.defaultBranch
      : [...s.branches].find(([name, head]) => name !== branch && head === sha)?.[0];
  s.files.set(branch, new Map(from ? s.files.get(from) : []));
  return { status: 201, body: { ref, object: { sha, type: "commit" } } };
}

function getContent(s: GitState, path: string, ref: string): Answer {
  const file = s.files.get(ref)?.get(path);
  if (!file) return notFound(`${path} at ${ref}`);
  return {
    status: 200,
    body: {
      type: "file",
      path,
      sha: file.sha,
      encoding: "base64",
      content: Buffer.from(file.text, "utf8").toString("base64"),
    },
  };
}

function putContent(s: GitState, path: string, b: Record<string, unknown>): Answer {
  const branch = String(b.branch ?? s.defaultBranch);
  const files = s.files.get(branch);
  if (!files) return notFound(`branch ${branch}`);
  const existing = files.get(path);
  if (existing && b.sha !== existing.sha) {
    return { status: 409, body: { message: `${path} does not match ${String(b.sha)}` } };
  }
  const text = Buffer.from(String(b.content ?? ""), "base64").toString("utf8");
  const file = { text, sha: blobSha(text) };
  files.set(path, file);
  // A new commit on the branch: its head moves.
  const head = createHash("sha1")
    .update(`${s.branches.get(branch)}:${path}:${file.sha}`)
    .digest("hex");
  s.branches.set(branch, head);
  return { status: existing ? 200 : 201, body: { content: { path, sha: file.sha }, commit: { sha: head } } };
}

function listDeployments(s: GitState, url: URL): Answer {
  const q = url.searchParams;
  const list = s.history.deployments
    .filter(
      (d) =>
        (q.get("sha") === null || d.sha === q.get("sha")) &&
        (q.get("environment") === null || d.environment === q.get("environment")),
    )
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
    .slice(0, Math.min(100, Number(q.get("per_page") ?? 30)))
    .map((d) => ({ id: d.id, sha: d.sha, ref: "main", environment: d.environment, created_at: d.createdAt }));
  return { status: 200, body: list };
}

/**
 * GitHub's revertPullRequest mutation: a PR from `revert-<n>-<head branch>`, as GitHub names it. The
 * stand-in keeps no commits, so the branch points at the default branch head.
 */
export function revertMutation(s: GitState, vars: Record<string, unknown>): Answer {
  const id = String(vars.pullRequestId ?? "");
  const target = /^PR_standin_(\d+)$/.exec(id);
  const original = target ? findPull(s, Number(target[1])) : undefined;
  if (!original?.merged) {
    return {
      status: 200,
      body: { data: null, errors: [{ type: "NOT_FOUND", message: `no merged PR ${id}` }] },
    };
  }
  const head = `revert-${original.number}-${original.head}`;
  if (!s.branches.has(head)) createRef(s, `refs/heads/${head}`, s.branches.get(s.defaultBranch)!);
  const pull = openPull(s, {
    title: String(vars.title ?? `Revert #${original.number}`),
    body: String(vars.body ?? ""),
    head,
    base: original.base,
    draft: vars.draft === true,
  });
  pull.reverts = original.number;
  return {
    status: 200,
    body: {
      data: {
        revertPullRequest: {
          revertPullRequest: { number: pull.number, url: pullJson(s, pull).html_url, headRefName: head },
        },
      },
    },
  };
}

/** Marks an open PR merged (what pressing "Merge" does); returns its payload shape. */
export function mergePull(s: GitState, n: number): StandinPull {
  const pull = s.pulls.find((p) => p.number === n);
  if (!pull || pull.state !== "open") throw new Error(`the GitHub stand-in has no open PR #${n} to merge`);
  pull.state = "closed";
  pull.merged = true;
  pull.mergeCommitSha = createHash("sha1").update(`merge:${n}`).digest("hex");
  s.branches.set(pull.base, pull.mergeCommitSha);
  return pull;
}
