// The app's own identity on GitHub, which is what makes an issue an incident: only issues its bot
// account (`<slug>[bot]`) opened are trusted, plus accounts the operator names (AFTERSHOCK_TRUSTED_AUTHORS,
// e.g. `github-actions[bot]` when the Action's open-incident runs beside the app). The slug is
// APP_SLUG, else read once from GitHub (GET /app, as the app) and kept.
import type { Probot } from "probot";
import type { GitHubClient, RepoRef } from "../github/incidents/index.js";
import { IncidentStore, onlyAuthors } from "../github/incidents/index.js";
import type { AppSettings } from "./settings.js";

/** The incident store of one repository, reached through one installation's client. */
export type IncidentStores = (client: GitHubClient, repo: RepoRef) => IncidentStore;

/** This app's slug, from APP_SLUG or asked of GitHub once (GET /app as the app) and kept. */
export function appSlugOf(
  app: Pick<Probot, "auth">,
  settings: Pick<AppSettings, "appSlug">,
): () => Promise<string> {
  let slug: Promise<string> | null = settings.appSlug ? Promise.resolve(settings.appSlug) : null;
  return () => {
    slug ??= (async () => {
      const octokit = await app.auth();
      const { data } = await octokit.request("GET /app");
      const found = (data as { slug?: string } | null)?.slug;
      if (!found) throw new Error("GET /app gave no slug");
      return found;
    })().catch((err: unknown) => {
      // Not cached: the next delivery asks again (this one fails with 503 and is retried).
      slug = null;
      throw err;
    });
    return slug;
  };
}

export function appIncidentStores(
  appSlug: () => Promise<string>,
  settings: Pick<AppSettings, "trustedAuthors">,
): IncidentStores {
  const rule = onlyAuthors(async () => [`${await appSlug()}[bot]`, ...(settings.trustedAuthors ?? [])]);
  return (client, repo) => new IncidentStore(client, repo, rule);
}
