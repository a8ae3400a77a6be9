// Who may have opened an incident issue. A copied `<!-- aftershock:incident … -->` block in someone
// else's issue must not capture an alert group's updates or the app's commands.
import { canWrite, getAccessLevel, isBot } from "../permissions.js";
import type { GitHubClient, RepoRef } from "./client.js";

export interface IssueAuthor {
  login: string;
  type?: string;
}

/** Whether an issue's author could have opened a real incident. */
export type AuthorRule = (author: IssueAuthor | null | undefined) => Promise<boolean>;

/**
 * Any bot account, or a person with write access (the Action run with a person's token). One request
 * per person, cached for the rule's life (one delivery or command). Kept for callers that know no
 * identity of their own; the app and the Action use `onlyAuthors`.
 */
export function botsAndWriters(client: GitHubClient, repo: RepoRef): AuthorRule {
  const cache = new Map<string, boolean>();
  return async (author) => {
    if (!author?.login) return false;
    if (isBot(author)) return true;
    const key = author.login.toLowerCase();
    let trusted = cache.get(key);
    if (trusted === undefined) {
      trusted = canWrite(await getAccessLevel(client, repo, author.login));
      cache.set(key, trusted);
    }
    return trusted;
  };
}

/**
 * Only these accounts (compared case-insensitively): the app's own bot, the Action's token identity,
 * and what an operator adds. Any other author, a `[bot]` included, is someone's copy of a block.
 */
export function onlyAuthors(logins: () => Promise<readonly string[]>): AuthorRule {
  return async (author) => {
    if (!author?.login) return false;
    const login = author.login.toLowerCase();
    return (await logins()).some((l) => l.toLowerCase() === login);
  };
}
