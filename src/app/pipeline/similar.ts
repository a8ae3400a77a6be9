// Stage: similar incidents, when an incident opens. Lists the repository's past incidents (one issues
// listing, newest first, shared with the service hints: ./past-incidents.ts), matches them with findSimilar, and raises the suspects that touch files of an
// earlier culprit (recurrenceBoost). Like correlation, a failure must not cost the incident: it opens
// with a warning instead.
import { SpanStatusCode } from "@opentelemetry/api";
import type { ProbotOctokit } from "probot";
import type { AlertRef } from "../../core/suspects/correlation-types.js";
import type { IncidentRecord, SimilarEntry, SuspectEntry } from "../../core/incident/incident-record.js";
import type { IncidentDraft as MatchDraft, SimilarIncident } from "../../core/learning/similar.js";
import { findSimilar, recurrenceBoost } from "../../core/learning/similar.js";
import { errorSignature, recordSignatures } from "../../core/learning/signature.js";
import type { RepoConfig } from "../../core/config/repo-config.js";
import type { RepoRef } from "../../github/incidents/index.js";
import { pastIncidentsOnce, type PastIncidents } from "./past-incidents.js";
import { traced } from "../observability/tracing.js";
import { errorMessage } from "../../core/errors.js";

/** At most this many similar incidents are kept in the record and shown. */
export const MAX_SIMILAR = 5;
const MAX_WHY = 3;
const MAX_WHY_LENGTH = 300;

export interface SimilarLookup {
  similar: SimilarEntry[];
  /** The suspects, re-ranked when a recurrence raised some. */
  suspects: SuspectEntry[];
  warning?: string;
  /** GitHub requests made (issues listings). */
  requests: number;
}

/** lookupSimilar, in a span that records how many GitHub requests it took. */
export async function lookupSimilar(
  ...args: Parameters<typeof lookupSimilarUntraced>
): Promise<SimilarLookup> {
  return traced("aftershock similar incidents", async (span) => {
    const found = await lookupSimilarUntraced(...args);
    span.setAttribute("aftershock.github_requests", found.requests);
    span.setAttribute("aftershock.similar", found.similar.length);
    if (found.warning) span.setStatus({ code: SpanStatusCode.ERROR, message: found.warning });
    return found;
  });
}

async function lookupSimilarUntraced(
  octokit: ProbotOctokit,
  repo: RepoRef,
  record: IncidentRecord,
  alert: AlertRef | undefined,
  config: RepoConfig,
  now: Date,
  /** The listing the service hints may already have made for this incident; one of its own by default. */
  pastIncidents: PastIncidents = pastIncidentsOnce(octokit, repo, config, now),
): Promise<SimilarLookup> {
  const none = { similar: [], suspects: record.suspects, requests: 0 };
  if (!config.history.enabled) return none;
  let requests = 0;
  try {
    const history = await pastIncidents();
    requests = history.requests;
    const similar = findSimilar(matchDraft(record, alert), history.incidents, { limit: MAX_SIMILAR });
    return {
      similar: similar.map(compact),
      suspects: recurrenceBoost(record.suspects, similar),
      requests,
    };
  } catch (err) {
    return {
      ...none,
      requests,
      warning: `Similar past incidents could not be listed (${errorMessage(err)}); the incident was opened without them`,
    };
  }
}

/**
 * What matching reads from the new incident. Signatures come from the alert's full annotations when
 * it has them (an `error` or `exception` annotation is more specific than the summary the record
 * keeps), and from the record's summaries, which is what past records are matched on.
 */
export function matchDraft(record: IncidentRecord, alert: AlertRef | undefined): MatchDraft {
  const annotated = [alert?.annotations, ...Object.values(record.fingerprints).map((a) => a.annotations)];
  const signatures = [
    ...new Set([
      ...annotated.flatMap((a) => errorSignature(a)?.signature ?? []),
      ...recordSignatures(record).map((s) => s.signature),
    ]),
  ];
  return {
    name: record.name,
    service: record.service,
    environment: record.environment,
    source: record.source,
    alertnames: [...new Set(Object.values(record.fingerprints).map((a) => a.alertname))],
    suspects: record.suspects.map((s) => ({ number: s.number, ...(s.files ? { files: s.files } : {}) })),
    signatures,
    openedAt: record.openedAt,
    groupKey: record.groupKey,
  };
}

/** The part of a match the record keeps: bounded, raw text (the renderer escapes it). */
function compact(s: SimilarIncident): SimilarEntry {
  return {
    number: s.number,
    url: s.url,
    why: s.why.slice(0, MAX_WHY).map((w) => w.slice(0, MAX_WHY_LENGTH)),
    outcome: s.outcome,
  };
}
