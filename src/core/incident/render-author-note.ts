// The note aftershock leaves on the top suspect's pull request when an incident opens: short and
// blameless, linking the incident and the evidence, naming /rollback. A hidden marker names the
// incident, so the app finds its own note again and never writes a second one. Pure.
import type { IncidentRecord, SuspectEntry } from "./incident-record.js";
import { escapeMarkdown, link } from "../text/markdown.js";
import { percent } from "./render-incident.js";

/** Reasons shown: the strongest few, as the ranker ordered them. */
const MAX_REASONS = 5;
const MAX_REASON_LENGTH = 200;

export interface AuthorNoteInput {
  repo: { owner: string; repo: string };
  incident: {
    number: number;
    url: string;
    record: Pick<IncidentRecord, "severity" | "name" | "service" | "environment">;
  };
  suspect: Pick<SuspectEntry, "number" | "title" | "reasons" | "confidence">;
}

/** Owner and repository names are [A-Za-z0-9._-]; anything else could not end up in the comment. */
function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, "").toLowerCase();
}

/** `<!-- aftershock:author-note incident=owner/repo#N -->`: one note per PR per incident. */
export function authorNoteMarker(repo: { owner: string; repo: string }, incident: number): string {
  return `<!-- aftershock:author-note incident=${safeName(repo.owner)}/${safeName(repo.repo)}#${incident} -->`;
}

/** Whether a comment body carries the marker of this incident's note (not another incident's). */
export function hasAuthorNoteMarker(
  body: string | null | undefined,
  repo: { owner: string; repo: string },
  incident: number,
): boolean {
  return (body ?? "").toLowerCase().includes(authorNoteMarker(repo, incident));
}

export function renderAuthorNote(input: AuthorNoteInput): string {
  const { incident, suspect } = input;
  const { severity, name, service, environment } = incident.record;
  const title = `#${incident.number} [${severity}] ${name}: ${service} in ${environment}`;
  const chance = suspect.confidence === undefined ? "" : ` (**${percent(suspect.confidence)} likely**)`;
  const reasons = suspect.reasons
    .slice(0, MAX_REASONS)
    .map((r) => `- ${escapeMarkdown(r, MAX_REASON_LENGTH)}`);
  return [
    authorNoteMarker(input.repo, incident.number),
    `👋 An incident opened after this pull request was deployed: ${link(title, incident.url, 160)}.`,
    "",
    `aftershock ranks ${escapeMarkdown(`#${suspect.number} ${suspect.title}`, 120)} as its most likely cause${chance}, because:`,
    "",
    ...(reasons.length > 0 ? reasons : ["- (the ranker gave no reasons)"]),
    "",
    "This is an estimate from what was deployed and what it changed, not a verdict, and nobody is being blamed. " +
      "You know this change best, so a look from you is the fastest way to confirm or rule it out: " +
      `if it is the cause, \`/rollback #${suspect.number}\` in the incident opens a revert PR; if it is not, please say so there.`,
  ].join("\n");
}
