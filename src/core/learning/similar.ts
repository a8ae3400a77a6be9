// Similar past incidents: the same alert on the same service, a suspect touching the files of an
// earlier confirmed culprit, the same deploy check failing again, or the same error signature. Each
// match says why, and how the earlier one ended, so a responder starts from what worked last time.
// A recurrence also raises the score of suspects touching an earlier culprit's files. Pure.
import type { IncidentRecord } from "../incident/incident-record.js";
import { between } from "../incident/response-metrics.js";
import { readResponseState } from "../incident/response-state.js";
import { recordSignatures } from "./signature.js";

export interface PastIncident {
  number: number;
  url: string;
  state: "open" | "closed";
  record: IncidentRecord;
}

/** The part of an incident that matching reads: a record, or a draft before the issue exists. */
export interface IncidentDraft {
  name: string;
  service: string;
  environment: string;
  source: "alert" | "deploy-check";
  /** Alert names of the group (the record's `name` counts too). */
  alertnames?: string[];
  /** Suspects with the files they changed; `files` may be missing (then no file match is made). */
  suspects?: ReadonlyArray<{ number: number; files?: readonly string[] }>;
  /** Normalized error signatures (see signature.ts). */
  signatures?: string[];
  /** When set, past incidents opened after it are ignored, and one with the same group key and time is itself. */
  openedAt?: string;
  groupKey?: string;
}

export type MatchKind = "alert" | "culprit-files" | "deploy-check" | "signature";
export type Outcome = "rolled back" | "fixed forward" | "flaky" | "open";

/** An earlier culprit PR and the files it changed, as far as the record knows them. */
export interface Culprit {
  pr: number;
  how: "confirmed" | "rolled back";
  files: string[];
}

export interface CulpritOverlap extends Culprit {
  /** The current suspect touching the culprit's files, and the files both touch. */
  suspect: number;
  sharedFiles: string[];
}

export interface SimilarIncident {
  number: number;
  url: string;
  state: "open" | "closed";
  name: string;
  service: string;
  environment: string;
  openedAt: string;
  matches: MatchKind[];
  /** One human-readable sentence per match (raw text: escape before rendering). */
  why: string[];
  outcome: Outcome;
  /** Earlier culprits whose files a current suspect touches. */
  overlaps: CulpritOverlap[];
}

export interface SimilarOptions {
  /** Resolved this fast with no rollback, root cause or action item: flaky. Default 30 minutes. */
  flakyMs?: number;
  /** At most this many results, best first. Default 5. */
  limit?: number;
}

export const DEFAULT_FLAKY_MS = 30 * 60_000;

/** Past incidents like `current`, most matches first, then newest. */
export function findSimilar(
  current: IncidentRecord | IncidentDraft,
  past: readonly PastIncident[],
  options: SimilarOptions = {},
): SimilarIncident[] {
  const draft = toDraft(current);
  const names = new Set([draft.name, ...(draft.alertnames ?? [])].map(norm));
  const signatures = new Set(draft.signatures ?? []);
  const openedAt = draft.openedAt === undefined ? NaN : Date.parse(draft.openedAt);
  const out: SimilarIncident[] = [];

  for (const p of past) {
    const r = p.record;
    const pastOpened = Date.parse(r.openedAt);
    if (!Number.isNaN(openedAt)) {
      if (pastOpened > openedAt) continue;
      if (r.groupKey === draft.groupKey && r.openedAt === draft.openedAt) continue;
    }
    const matches: MatchKind[] = [];
    const why: string[] = [];

    const sameService = norm(r.service) === norm(draft.service);
    const sharedName = alertnamesOf(r).find((n) => names.has(norm(n)));
    if (sameService && sharedName !== undefined) {
      matches.push("alert");
      why.push(`same alert ${sharedName} on service ${r.service}`);
    }

    const overlaps = culpritOverlaps(draft, r);
    if (overlaps.length > 0) {
      matches.push("culprit-files");
      for (const o of overlaps)
        why.push(
          `#${o.suspect} touches ${listSome(o.sharedFiles, 3)}, also changed by #${o.pr} (${o.how === "confirmed" ? "the confirmed culprit" : "rolled back"} in #${p.number})`,
        );
    }

    if (
      draft.source === "deploy-check" &&
      r.source === "deploy-check" &&
      sameService &&
      norm(r.environment) === norm(draft.environment)
    ) {
      matches.push("deploy-check");
      why.push(`the deploy check of ${r.service} in ${r.environment} failed before`);
    }

    const sharedSig = recordSignatures(r).find((s) => signatures.has(s.signature));
    if (sharedSig) {
      matches.push("signature");
      why.push(`same error: ${sharedSig.signature}`);
    }

    if (matches.length === 0) continue;
    out.push({
      number: p.number,
      url: p.url,
      state: p.state,
      name: r.name,
      service: r.service,
      environment: r.environment,
      openedAt: r.openedAt,
      matches,
      why,
      outcome: outcomeOf(p, options.flakyMs ?? DEFAULT_FLAKY_MS),
      overlaps,
    });
  }
  const time = (s: SimilarIncident) => Date.parse(s.openedAt) || 0;
  return out
    .sort((a, b) => b.matches.length - a.matches.length || time(b) - time(a) || b.number - a.number)
    .slice(0, options.limit ?? 5);
}

/**
 * The PRs known to have caused an incident: the root cause when responders confirmed it (the named
 * PR, else the top suspect, as the post-mortem reads it) and every suspect whose revert was merged.
 * Files come from the record's suspects (`files`, when the record keeps them).
 */
export function culpritsOf(record: IncidentRecord): Culprit[] {
  const response = readResponseState(record);
  const byPr = new Map<number, Culprit>();
  if (response.rootCause?.confirmed) {
    const pr = response.rootCause.pr ?? record.suspects[0]?.number;
    if (pr !== undefined) byPr.set(pr, { pr, how: "confirmed", files: suspectFiles(record, pr) });
  }
  for (const rb of response.rollbacks)
    if (rb.state === "merged" && !byPr.has(rb.pr))
      byPr.set(rb.pr, { pr: rb.pr, how: "rolled back", files: suspectFiles(record, rb.pr) });
  return [...byPr.values()].sort((a, b) => a.pr - b.pr);
}

/** How an incident ended. */
export function outcomeOf(p: PastIncident, flakyMs = DEFAULT_FLAKY_MS): Outcome {
  const r = p.record;
  const response = readResponseState(r);
  if (response.rollbacks.some((rb) => rb.state === "merged")) return "rolled back";
  const resolved = response.resolvedAt ?? lastOf(r, ["incident.resolved", "resolved"]);
  const done = p.state === "closed" || r.status === "resolved" || response.resolvedAt !== undefined;
  if (!done) return "open";
  const acted =
    response.rootCause?.pr !== undefined ||
    response.rootCause?.confirmed === true ||
    response.actionItems.length > 0 ||
    r.timeline.some((e) => e.kind === "redeploy.succeeded" || e.kind === "redeploy.requested");
  const took = between(r.openedAt, resolved);
  return !acted && took !== undefined && took <= flakyMs ? "flaky" : "fixed forward";
}

export interface BoostOptions {
  /** Added to a suspect's score once when it touches an earlier culprit's files. Default 0.15. */
  boost?: number;
}

export const DEFAULT_RECURRENCE_BOOST = 0.15;

/**
 * Suspects with a recurrence boost: a suspect touching files of an earlier culprit gains `boost`
 * (once, whatever the number of matches), capped at 1, with a reason naming the files and the
 * culprit, e.g. "touches files of an earlier culprit: src/db/pool.ts (#12, rolled back) (+0.15)".
 * Returned re-sorted by score (ties keep their order); the input is not changed.
 */
export function recurrenceBoost<
  T extends { number: number; score: number; reasons: string[]; files?: readonly string[] },
>(suspects: readonly T[], similar: readonly SimilarIncident[], options: BoostOptions = {}): T[] {
  const boost = options.boost ?? DEFAULT_RECURRENCE_BOOST;
  const culprits = new Map<number, Culprit>();
  for (const s of similar) for (const o of s.overlaps) if (!culprits.has(o.pr)) culprits.set(o.pr, o);
  const ordered = [...culprits.values()].sort((a, b) => a.pr - b.pr);
  const boosted = suspects.map((s, i) => {
    const files = new Set(s.files ?? []);
    // Per shared file, the earlier culprits that changed it: "src/db/pool.ts (#12, rolled back)".
    const byFile = new Map<string, string[]>();
    for (const c of ordered)
      for (const f of [...c.files].sort())
        if (files.has(f)) byFile.set(f, [...(byFile.get(f) ?? []), `#${c.pr}, ${c.how}`]);
    if (byFile.size === 0) return { s, i };
    const added = Math.min(1, s.score + boost) - s.score;
    const shown = [...byFile].sort(([a], [b]) => a.localeCompare(b));
    const detail =
      shown
        .slice(0, 3)
        .map(([f, who]) => `${f} (${listSome(who, 3, "; ")})`)
        .join(", ") + (shown.length > 3 ? ` and ${shown.length - 3} more` : "");
    const reason = `touches files of an earlier culprit: ${detail} (+${added.toFixed(2)})`;
    return { s: { ...s, score: round3(s.score + added), reasons: [...s.reasons, reason] }, i };
  });
  return boosted.sort((a, b) => b.s.score - a.s.score || a.i - b.i).map((x) => x.s);
}

// ---- helpers ----

function toDraft(current: IncidentRecord | IncidentDraft): IncidentDraft {
  if (!("fingerprints" in current)) return current;
  return {
    name: current.name,
    service: current.service,
    environment: current.environment,
    source: current.source,
    alertnames: alertnamesOf(current),
    suspects: current.suspects.map((s) => ({ number: s.number, files: suspectFiles(current, s.number) })),
    signatures: recordSignatures(current).map((s) => s.signature),
    openedAt: current.openedAt,
    groupKey: current.groupKey,
  };
}

function alertnamesOf(r: IncidentRecord): string[] {
  const names = [r.name, ...Object.values(r.fingerprints).map((a) => a.alertname)];
  return [...new Set(names.filter((n) => n !== ""))];
}

/** The files of suspect `pr` in a record; [] for a record written before suspects kept them. */
export function suspectFiles(record: IncidentRecord, pr: number): string[] {
  return [...(record.suspects.find((x) => x.number === pr)?.files ?? [])];
}

function culpritOverlaps(draft: IncidentDraft, past: IncidentRecord): CulpritOverlap[] {
  const out: CulpritOverlap[] = [];
  const culprits = culpritsOf(past).filter((c) => c.files.length > 0);
  for (const s of draft.suspects ?? []) {
    const files = new Set(s.files ?? []);
    for (const c of culprits) {
      const sharedFiles = c.files.filter((f) => files.has(f)).sort();
      if (sharedFiles.length > 0) out.push({ ...c, suspect: s.number, sharedFiles });
    }
  }
  return out;
}

function lastOf(r: IncidentRecord, kinds: string[]): string | undefined {
  const at = r.timeline.filter((e) => kinds.includes(e.kind)).map((e) => e.at);
  return at.sort().at(-1);
}

function norm(s: string): string {
  return s.trim().toLowerCase();
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function listSome(items: readonly string[], max: number, sep = ", "): string {
  const shown = items.slice(0, max).join(sep);
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}
