// A repository's `.github/aftershock.yml`, read once a minute at most per repository (the default
// branch's: the only ref the app reads it from), shared by deliveries and commands, so a burst of
// comments or alerts does not re-read and re-parse it each time.
import type { ParsedRepoConfig } from "../core/config/repo-config.js";
import { TtlCache } from "../core/ttl-cache.js";
import type { GitHubClient, RepoRef } from "../github/incidents/index.js";
import { loadRepoConfig } from "../github/repo-config.js";

export const CONFIG_TTL_MS = 60_000;

export type RepoConfigs = (client: GitHubClient, repo: RepoRef) => Promise<ParsedRepoConfig>;

export function cachedRepoConfigs(ttlMs = CONFIG_TTL_MS): RepoConfigs {
  const cache = new TtlCache<ParsedRepoConfig>(ttlMs);
  return (client, repo) =>
    cache.get(`${repo.owner}/${repo.repo}@default`.toLowerCase(), () => loadRepoConfig(client, repo));
}
