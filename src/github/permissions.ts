// A commenter's access to a repository, for the slash commands: changing an incident needs write.
// GitHub answers `permission` in the old four levels (admin, write, read, none) and `role_name` in
// the new ones (admin, maintain, write, triage, read) or a custom role's name; either may grant write.
import { statusOf, type GitHubClient, type RepoRef } from "./incidents/client.js";

export type AccessLevel = "admin" | "maintain" | "write" | "triage" | "read" | "none";

const WRITE_LEVELS: ReadonlySet<string> = new Set(["admin", "maintain", "write"]);
const KNOWN: ReadonlySet<string> = new Set(["admin", "maintain", "write", "triage", "read", "none"]);

/** Whether a level lets its holder run changing commands. */
export function canWrite(level: AccessLevel): boolean {
  return WRITE_LEVELS.has(level);
}

/** Whether a level lets its holder run reading commands (a public repository gives everyone read). */
export function canRead(level: AccessLevel): boolean {
  return level !== "none";
}

/**
 * The user's level on the repository. A user GitHub does not know as a collaborator (404) has none;
 * other failures are thrown, since refusing a responder because GitHub hiccupped would be wrong.
 */
export async function getAccessLevel(
  octokit: GitHubClient,
  repo: RepoRef,
  username: string,
): Promise<AccessLevel> {
  let data: { permission?: string; role_name?: string };
  try {
    ({ data } = (await octokit.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
      ...repo,
      username,
    })) as { data: { permission?: string; role_name?: string } });
  } catch (err) {
    if (statusOf(err) === 404) return "none";
    throw err;
  }
  const role = (data.role_name ?? "").toLowerCase();
  const permission = (data.permission ?? "").toLowerCase();
  // A custom role keeps its base level in `permission`; the higher of the two is the user's.
  const levels = [role, permission].filter((l): l is AccessLevel => KNOWN.has(l));
  const order: AccessLevel[] = ["admin", "maintain", "write", "triage", "read", "none"];
  return order.find((l) => levels.includes(l)) ?? "none";
}

/** Bots, GitHub Apps (this one included: it comments as `<slug>[bot]`) and Actions. */
export function isBot(user: { login: string; type?: string }): boolean {
  return user.type === "Bot" || user.login.toLowerCase().endsWith("[bot]");
}
