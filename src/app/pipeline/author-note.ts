// A word to the author: when an incident opens (from an alert or a failed deploy check) and the top
// suspect's calibrated confidence reaches authorNote.minConfidence, one short, blameless comment on
// that pull request (core/render-author-note.ts). At most one per PR per incident, also under
// redelivery and across replicas: under the incident's lock, the PR's comments are listed first and
// a note by this app's own bot carrying the incident's marker means it is done. A marker in
// anybody else's comment is not trusted (a person could paste one to silence the note).
//
// Permissions: listing and creating issue comments on a PR, which `issues: write` or
// `pull_requests: write` (both in app.yml) allow. No other.
import type { Probot, ProbotOctokit } from "probot";
import type { IncidentRecord } from "../../core/incident/incident-record.js";
import { hasAuthorNoteMarker, renderAuthorNote } from "../../core/incident/render-author-note.js";
import type { RepoConfig } from "../../core/config/repo-config.js";
import type { RepoRef } from "../../github/incidents/index.js";
import { octokitFor } from "../commands/auto-rollback.js";
import { withIncident } from "../commands/incident-io.js";
import type { AppEventMap } from "../events.js";
import type { IncidentStores } from "../identity.js";
import type { KeyLock } from "../lock.js";

/** Pages of 100 comments read on the PR (only those since the incident opened): bounded. */
export const MAX_COMMENT_PAGES = 5;
/** Clock skew between replicas: comments this long before the incident opened are read too. */
const SINCE_SLACK_MS = 10 * 60_000;

export type AuthorNoteOutcome = "posted" | "exists" | "skipped";

export interface AuthorNoteDeps {
  lock: KeyLock;
  /** The incident store of a repository (the app's trust rule for incident authors). */
  incidents: IncidentStores;
  /** This app's bot login (`<slug>[bot]`): only its comments count as an earlier note. */
  botLogin: () => Promise<string>;
}

interface CommentItem {
  body?: string | null;
  user?: { login?: string; type?: string } | null;
}

/** Why no note is due, or null when it is. Nothing is read from GitHub to decide. */
export function authorNoteSkip(record: Pick<IncidentRecord, "suspects">, config: RepoConfig): string | null {
  const { enabled, minConfidence } = config.authorNote;
  if (!enabled) return "author notes are off";
  const top = record.suspects[0];
  if (!top) return "there is no suspect";
  // The score is not a chance: without a calibrated confidence nobody is told anything.
  if (top.confidence === undefined || !Number.isFinite(top.confidence))
    return "the top suspect has no confidence";
  if (top.confidence < minConfidence)
    return `the top suspect's confidence ${top.confidence.toFixed(2)} < ${minConfidence}`;
  return null;
}

/**
 * Under the incident's lock: re-read it, then note its top suspect's PR unless this app already did.
 * Requests: 1 to re-read the incident, 1+ to list the PR's comments, 1 to comment.
 */
export async function noteTopSuspect(
  octokit: ProbotOctokit,
  deps: AuthorNoteDeps,
  event: { repo: RepoRef; number: number; url: string; record: IncidentRecord; config: RepoConfig },
): Promise<AuthorNoteOutcome> {
  if (authorNoteSkip(event.record, event.config)) return "skipped";
  const store = deps.incidents(octokit, event.repo);
  const outcome = await withIncident(
    { lock: deps.lock, store },
    event.number,
    async (fresh): Promise<AuthorNoteOutcome> => {
      const record = fresh.record;
      if (authorNoteSkip(record, event.config)) return "skipped";
      const top = record.suspects[0]!;
      const bot = (await deps.botLogin()).toLowerCase();
      const since = new Date(Date.parse(record.openedAt) - SINCE_SLACK_MS);
      if (await hasOwnNote(octokit, event.repo, top.number, event.number, bot, since)) return "exists";
      const body = renderAuthorNote({
        repo: event.repo,
        incident: { number: fresh.number, url: fresh.url, record },
        suspect: top,
      });
      await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        ...event.repo,
        issue_number: top.number,
        body,
      });
      return "posted";
    },
    event,
  );
  return outcome ?? "skipped";
}

/** Whether this app's bot already left the note of `incident` on PR `pr`. */
async function hasOwnNote(
  octokit: ProbotOctokit,
  repo: RepoRef,
  pr: number,
  incident: number,
  bot: string,
  since: Date,
): Promise<boolean> {
  for (let page = 1; page <= MAX_COMMENT_PAGES; page++) {
    const { data } = (await octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      ...repo,
      issue_number: pr,
      since: Number.isNaN(since.getTime()) ? undefined : since.toISOString(),
      per_page: 100,
      page,
    })) as { data: CommentItem[] };
    const mine = (c: CommentItem) =>
      c.user?.login?.toLowerCase() === bot && (c.user.type === undefined || c.user.type === "Bot");
    if (data.some((c) => mine(c) && hasAuthorNoteMarker(c.body, repo, incident))) return true;
    if (data.length < 100) return false;
  }
  // More comments than the bound since the incident opened: better silent than a second note.
  return true;
}

type OpenedEvent = AppEventMap["incident.opened"];

/** The incident.opened listener (registered in app/index.ts): a note on the top suspect's PR when due. */
export async function onIncidentOpenedAuthorNote(
  app: Probot,
  deps: AuthorNoteDeps,
  event: OpenedEvent,
): Promise<void> {
  const skip = authorNoteSkip(event.record, event.config);
  if (skip) {
    app.log.debug({ incident: event.number, reason: skip }, "no author note");
    return;
  }
  const octokit = await octokitFor(app, event);
  const outcome = await noteTopSuspect(
    octokit,
    { lock: deps.lock, incidents: deps.incidents, botLogin: deps.botLogin },
    event,
  );
  app.log.info(
    { incident: event.number, pr: event.record.suspects[0]?.number, outcome },
    "author note on the top suspect",
  );
}
