// The repository's past incidents, listed once per incident being opened. Two stages read them: the
// service hints (the files of the service's earlier culprits, when the config names no paths for it)
// and the similar incidents. Both ask for the same listing (the incident label, the history lookback,
// the newest HISTORY_MAX_PAGES pages), so the second reuses the first's instead of listing again.
import type { RepoConfig } from "../../core/config/repo-config.js";
import { historyLookbackSeconds } from "../../core/config/repo-config.js";
import {
  listIncidentHistory,
  type IncidentHistory,
  type IssuesOctokit,
} from "../../github/incident-history.js";
import type { RepoRef } from "../../github/incidents/index.js";

/** Pages of 100 issues read on the alert path: the newest 300 incidents are plenty, and fast. */
export const HISTORY_MAX_PAGES = 3;

/** The past incidents of one incident's opening; `requests` counts only the listing this call made. */
export type PastIncidents = () => Promise<IncidentHistory>;

/**
 * One listing for whoever asks first; later callers get the same incidents with `requests: 0` (the
 * requests are counted once). A failed listing is not kept: the next caller lists again.
 */
export function pastIncidentsOnce(
  octokit: IssuesOctokit,
  repo: RepoRef,
  config: RepoConfig,
  now: Date,
): PastIncidents {
  let listing: Promise<IncidentHistory> | undefined;
  return async () => {
    const pending = listing;
    if (pending) {
      try {
        return { ...(await pending), requests: 0 };
      } catch {
        // Whoever listed reports the failure; this caller tries again.
      }
    }
    const mine = listIncidentHistory(octokit, {
      ...repo,
      since: new Date(now.getTime() - historyLookbackSeconds(config) * 1000),
      label: config.labels.incident,
      maxPages: HISTORY_MAX_PAGES,
    });
    listing = mine;
    try {
      return await mine;
    } catch (err) {
      if (listing === mine) listing = undefined;
      throw err;
    }
  };
}
