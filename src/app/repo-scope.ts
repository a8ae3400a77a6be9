// Which repositories an operator lets something reach: a list of `owner/name`, `owner/*` or `*`,
// matched case-insensitively (GitHub's names are). Used for Alertmanager tokens and for the
// environment variables that hold notification secrets.
import type { RepoRef } from "../github/incidents/index.js";

const ENTRY = /^(\*|[A-Za-z0-9][A-Za-z0-9-]{0,38}\/(\*|[A-Za-z0-9._-]{1,100}))$/;

export function inScope(scope: readonly string[], repo: RepoRef): boolean {
  const owner = repo.owner.toLowerCase();
  const full = `${owner}/${repo.repo.toLowerCase()}`;
  return scope.some((entry) => {
    const e = entry.toLowerCase();
    return e === "*" || e === full || e === `${owner}/*`;
  });
}

/** Throws naming `where` when an entry is not `owner/name`, `owner/*` or `*`. */
export function checkScope(scope: unknown, where: string): string[] {
  if (
    !Array.isArray(scope) ||
    scope.length === 0 ||
    !scope.every((s) => typeof s === "string" && ENTRY.test(s))
  )
    throw new Error(`${where} must be a non-empty list of "owner/name", "owner/*" or "*"`);
  return scope as string[];
}
