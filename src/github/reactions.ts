// Reactions on a comment: how the app acknowledges a command (👀 received, 🚀 done, 😕 failed)
// without a reply for every one. GitHub keeps one reaction per user and content, so repeating one
// on a redelivery changes nothing.
import type { RepoRef } from "./incidents/index.js";
import type { GitHubClient } from "./incidents/client.js";

export type ReactionContent = "eyes" | "rocket" | "confused" | "+1" | "-1" | "laugh" | "hooray" | "heart";

export async function reactToComment(
  octokit: GitHubClient,
  ref: RepoRef & { commentId: number },
  content: ReactionContent,
): Promise<void> {
  await octokit.request("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
    owner: ref.owner,
    repo: ref.repo,
    comment_id: ref.commentId,
    content,
  });
}
