// What a repository offers to infer a service's paths when its config names none: the paths of its
// tree (one recursive git trees request) and its CODEOWNERS file (one contents request, only when the
// tree has one). Both bounded in size: a monorepo's tree can list 100,000 entries and GitHub returns
// them all; in time by the app's GitHub request timeout (replicas.ts).
import { statusOf, type GitHubClient } from "./incidents/client.js";
import type { RepoRef } from "./incidents/index.js";

/** Paths kept from the tree: enough for any service layout, bounded in memory per cached entry. */
export const MAX_TREE_PATHS = 20_000;
/** Longer paths are generated files, never a service's folder. */
const MAX_PATH_LENGTH = 400;
/** CODEOWNERS is a few KB in practice; GitHub itself ignores files over 3 MB. */
export const MAX_CODEOWNERS_BYTES = 64 * 1024;
/** Where GitHub looks for CODEOWNERS, in its order: the first one found is used. */
export const CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"] as const;

export interface RepoPaths {
  /** Folders first, then files, at most MAX_TREE_PATHS. */
  paths: string[];
  /** True when GitHub cut the tree or MAX_TREE_PATHS did. */
  truncated: boolean;
  /** The CODEOWNERS file GitHub would use, when the tree has one. */
  codeownersPath?: string;
}

interface TreeEntry {
  path?: unknown;
  type?: unknown;
}

/**
 * The repository's paths at `ref` (a commit SHA or branch name). Folders come first when the tree is
 * cut, since a service is recognised by its folder (services/checkout/, cmd/checkout/).
 */
export async function readRepoPaths(
  octokit: GitHubClient,
  repo: RepoRef,
  ref: string,
  maxPaths = MAX_TREE_PATHS,
): Promise<RepoPaths> {
  const { data } = (await octokit.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
    ...repo,
    tree_sha: ref,
    recursive: "1",
  })) as { data: { tree?: unknown; truncated?: unknown } };
  const entries: TreeEntry[] = Array.isArray(data.tree) ? (data.tree as TreeEntry[]) : [];
  const folders: string[] = [];
  const files: string[] = [];
  const present = new Set<string>();
  for (const e of entries) {
    if (typeof e.path !== "string" || e.path.length > MAX_PATH_LENGTH) continue;
    if (e.type === "tree") folders.push(e.path);
    else if (e.type === "blob") {
      files.push(e.path);
      if ((CODEOWNERS_PATHS as readonly string[]).includes(e.path)) present.add(e.path);
    }
  }
  const kept = [...folders, ...files];
  const out: RepoPaths = {
    paths: kept.slice(0, maxPaths),
    truncated: data.truncated === true || kept.length > maxPaths,
  };
  const codeowners = CODEOWNERS_PATHS.find((p) => present.has(p));
  if (codeowners) out.codeownersPath = codeowners;
  return out;
}

/**
 * The text of a CODEOWNERS file at `ref`, cut at the last whole line within `maxBytes`; undefined when
 * it is gone (404) or is not a file.
 */
export async function readCodeowners(
  octokit: GitHubClient,
  repo: RepoRef,
  path: string,
  ref: string,
  maxBytes = MAX_CODEOWNERS_BYTES,
): Promise<string | undefined> {
  let data: { type?: unknown; content?: unknown; encoding?: unknown; size?: unknown };
  try {
    ({ data } = (await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      ...repo,
      path,
      ref,
    })) as { data: typeof data });
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
  if (Array.isArray(data) || data.type !== "file" || typeof data.content !== "string") return undefined;
  const bytes =
    data.encoding === "base64" ? Buffer.from(data.content, "base64") : Buffer.from(data.content, "utf8");
  if (bytes.length <= maxBytes) return bytes.toString("utf8");
  const cut = bytes.subarray(0, maxBytes).toString("utf8");
  return cut.slice(0, cut.lastIndexOf("\n") + 1);
}
