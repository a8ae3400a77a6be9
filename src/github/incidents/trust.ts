// Who may have opened an incident issue. A copied `<!-- aftershock:incident … -->` block in someone
// else's issue must not capture an alert group's updates or the app's commands.
export interface IssueAuthor {
  login: string;
  type?: string;
}

/** Whether an issue's author could have opened a real incident. */
export type AuthorRule = (author: IssueAuthor | null | undefined) => Promise<boolean>;

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
