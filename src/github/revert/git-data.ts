// The fallback revert, built with the Git Data API when GitHub's revertPullRequest mutation is not
// available: the exact inverse of the merge (or squash) commit M against its first parent P, applied
// on top of the base branch head H. Paths that later commits left alone take P's version directly;
// paths they touched get a line-based three-way merge (base M, ours H, theirs P), which is what
// `git revert` does. Any conflict means no commit at all: never a broken rollback PR.
//
// Requests: 2 to read M and the branch, 3 recursive trees, 1 per blob a merge needs, then 1 tree and
// 1 commit. Merged text goes inline into the tree request, so it needs no blob requests of its own.

import { merge3 } from "../../core/incident/three-way.js";
import { statusOf, type GitHubClient, type RepoRef } from "../incidents/client.js";

interface FileEntry {
  mode: string;
  type: string;
  sha: string;
}

/** An entry of `POST /git/trees`: `sha: null` deletes the path; `content` writes a new text blob. */
export interface NewTreeEntry {
  path: string;
  mode: string;
  type: "blob" | "commit";
  sha?: string | null;
  content?: string;
}

export type RevertCommit =
  | { kind: "commit"; sha: string; parentCount: number }
  | { kind: "conflict"; files: string[]; parentCount: number };

const SYMLINK = "120000";
/** git's own test for binary content: a NUL byte in the first 8000 bytes. */
const BINARY_SNIFF = 8000;

async function get<T>(gh: GitHubClient, route: string, parameters: Record<string, unknown>): Promise<T> {
  return (await gh.request(route, parameters)).data as T;
}

/** A whole tree, files only, keyed by path. `treeish` may be a tree or a commit SHA. */
async function readTree(gh: GitHubClient, id: RepoRef, treeish: string) {
  const data = await get<{ sha: string; truncated: boolean; tree: Array<FileEntry & { path: string }> }>(
    gh,
    "GET /repos/{owner}/{repo}/git/trees/{tree_sha}",
    { ...id, tree_sha: treeish, recursive: "1" },
  );
  if (data.truncated) {
    throw new Error(
      `The tree of ${treeish} in ${id.owner}/${id.repo} is too large for GitHub's API (over 100,000 entries); revert this pull request by hand with git.`,
    );
  }
  const files = new Map<string, FileEntry>();
  for (const e of data.tree)
    if (e.type !== "tree") files.set(e.path, { mode: e.mode, type: e.type, sha: e.sha });
  return { treeSha: data.sha, files };
}

const same = (a: FileEntry | undefined, b: FileEntry | undefined) =>
  a === b || (a !== undefined && b !== undefined && a.mode === b.mode && a.sha === b.sha);

/** Three-way choice of one value: take the side that changed; null when both changed differently. */
function pick<T>(base: T, ours: T, theirs: T): T | null {
  if (ours === theirs || theirs === base) return ours;
  if (ours === base) return theirs;
  return null;
}

/** Text of a blob, or null when it is binary (NUL byte or not UTF-8) and so cannot be merged by lines. */
async function readText(gh: GitHubClient, id: RepoRef, sha: string): Promise<string | null> {
  const data = await get<{ content: string; encoding: string }>(
    gh,
    "GET /repos/{owner}/{repo}/git/blobs/{file_sha}",
    {
      ...id,
      file_sha: sha,
    },
  );
  const bytes = Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8");
  if (bytes.subarray(0, BINARY_SNIFF).includes(0)) return null;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * The tree entries that revert M on top of H, or the paths that conflict. `merge` is M's tree, `parent`
 * and `head` are commit SHAs (the trees endpoint resolves them to their trees).
 */
export async function planRevertTree(
  gh: GitHubClient,
  id: RepoRef,
  shas: { merge: string; parent: string; head: string },
): Promise<{ baseTree: string; entries: NewTreeEntry[]; conflicts: string[] }> {
  const [m, p, h] = await Promise.all([
    readTree(gh, id, shas.merge),
    readTree(gh, id, shas.parent),
    readTree(gh, id, shas.head),
  ]);
  const changed = [...new Set([...m.files.keys(), ...p.files.keys()])]
    .filter((path) => !same(m.files.get(path), p.files.get(path)))
    .sort();

  const entries: NewTreeEntry[] = [];
  const conflicts: string[] = [];
  const toMerge: Array<{ path: string; mode: string; base: FileEntry; ours: FileEntry; theirs: FileEntry }> =
    [];
  for (const path of changed) {
    const [base, ours, theirs] = [m.files.get(path), h.files.get(path), p.files.get(path)];
    if (same(ours, theirs)) continue; // already as before M
    if (same(ours, base)) {
      // Untouched since M: take P's version, or delete what M added.
      if (theirs) entries.push({ path, mode: theirs.mode, type: entryType(theirs), sha: theirs.sha });
      else if (ours) entries.push({ path, mode: ours.mode, type: entryType(ours), sha: null });
      continue;
    }
    // Changed since M as well. Added on one side and deleted on another, or submodules: git conflicts too.
    if (!base || !ours || !theirs || [base, ours, theirs].some((e) => e.type !== "blob")) {
      conflicts.push(path);
      continue;
    }
    const mode = pick(base.mode, ours.mode, theirs.mode);
    const sha = pick(base.sha, ours.sha, theirs.sha);
    if (mode === null) conflicts.push(path);
    else if (sha !== null) entries.push({ path, mode, type: "blob", sha });
    else if (mode === SYMLINK || [base, ours, theirs].some((e) => e.mode === SYMLINK)) conflicts.push(path);
    else toMerge.push({ path, mode, base, ours, theirs });
  }

  // Content merges: only now fetch blobs, each distinct one once.
  const texts = new Map<string, Promise<string | null>>();
  const text = (sha: string) => {
    let t = texts.get(sha);
    if (!t) texts.set(sha, (t = readText(gh, id, sha)));
    return t;
  };
  const merged = await Promise.all(
    toMerge.map(async (f) => {
      const [base, ours, theirs] = await Promise.all([
        text(f.base.sha),
        text(f.ours.sha),
        text(f.theirs.sha),
      ]);
      if (base === null || ours === null || theirs === null) return null;
      const result = merge3(base, ours, theirs);
      return result.clean ? result.text : null;
    }),
  );
  toMerge.forEach((f, i) => {
    const content = merged[i];
    if (content === null || content === undefined) conflicts.push(f.path);
    else entries.push({ path: f.path, mode: f.mode, type: "blob", content });
  });
  return { baseTree: h.treeSha, entries, conflicts: conflicts.sort() };
}

function entryType(e: FileEntry): "blob" | "commit" {
  return e.type === "commit" ? "commit" : "blob";
}

/**
 * Builds the revert commit of `mergeCommitSha` on top of the current head of `baseRef`, without
 * touching any ref. Returns the conflicting paths instead when the revert does not apply cleanly.
 */
export async function buildRevertCommit(
  gh: GitHubClient,
  id: RepoRef,
  opts: { mergeCommitSha: string; baseRef: string; message: string },
): Promise<RevertCommit> {
  const [merge, ref] = await Promise.all([
    get<{ tree: { sha: string }; parents: Array<{ sha: string }> }>(
      gh,
      "GET /repos/{owner}/{repo}/git/commits/{commit_sha}",
      {
        ...id,
        commit_sha: opts.mergeCommitSha,
      },
    ),
    get<{ object: { sha: string } }>(gh, "GET /repos/{owner}/{repo}/git/ref/{ref}", {
      ...id,
      ref: `heads/${opts.baseRef}`,
    }),
  ]);
  const parent = merge.parents[0]?.sha;
  if (!parent)
    throw new Error(`Commit ${opts.mergeCommitSha} has no parent, so there is nothing to revert it to.`);
  const parentCount = merge.parents.length;
  const head = ref.object.sha;

  const plan = await planRevertTree(gh, id, { merge: merge.tree.sha, parent, head });
  if (plan.conflicts.length > 0) return { kind: "conflict", files: plan.conflicts, parentCount };
  if (plan.entries.length === 0) {
    throw new Error(
      `The changes of commit ${opts.mergeCommitSha} are already undone on ${opts.baseRef}; there is nothing left to roll back.`,
    );
  }

  const tree = await get<{ sha: string }>(gh, "POST /repos/{owner}/{repo}/git/trees", {
    ...id,
    base_tree: plan.baseTree,
    tree: plan.entries,
  });
  const commit = await get<{ sha: string }>(gh, "POST /repos/{owner}/{repo}/git/commits", {
    ...id,
    message: opts.message,
    tree: tree.sha,
    parents: [head],
  });
  return { kind: "commit", sha: commit.sha, parentCount };
}

/** Points `branch` at `sha`, creating it, or moving it (force) when a previous attempt left it behind. */
export async function pointBranch(gh: GitHubClient, id: RepoRef, branch: string, sha: string): Promise<void> {
  try {
    await gh.request("POST /repos/{owner}/{repo}/git/refs", { ...id, ref: `refs/heads/${branch}`, sha });
  } catch (error) {
    if (statusOf(error) !== 422) throw error;
    await gh.request("PATCH /repos/{owner}/{repo}/git/refs/{ref}", {
      ...id,
      ref: `heads/${branch}`,
      sha,
      force: true,
    });
  }
}
