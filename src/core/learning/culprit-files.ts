// The files earlier culprits of a service changed: where its code lives, as incidents proved it (a
// confirmed root cause, or a suspect whose revert was merged). One of the hints the ranker uses to
// infer a service's paths when the config names none. Pure.
import { culpritsOf, type PastIncident } from "./similar.js";

/** Enough to recognise a service's folders; bounded because it goes into every ranking of the service. */
export const MAX_PAST_CULPRIT_FILES = 500;

/** Files of culprits of past incidents of `service` (case-insensitive), newest incident first, deduplicated. */
export function pastCulpritFiles(
  incidents: readonly PastIncident[],
  service: string,
  max = MAX_PAST_CULPRIT_FILES,
): string[] {
  const wanted = service.trim().toLowerCase();
  const newestFirst = [...incidents].sort(
    (a, b) => (Date.parse(b.record.openedAt) || 0) - (Date.parse(a.record.openedAt) || 0),
  );
  return firstFiles(
    newestFirst
      .filter((incident) => incident.record.service.trim().toLowerCase() === wanted)
      .flatMap((incident) => culpritsOf(incident.record).map((culprit) => culprit.files)),
    max,
  );
}

/** The files of `lists` in order, each once, at most `max`. */
export function firstFiles(lists: Iterable<readonly string[]>, max = MAX_PAST_CULPRIT_FILES): string[] {
  const files = new Set<string>();
  for (const list of lists)
    for (const file of list) {
      if (files.size >= max) return [...files];
      files.add(file);
    }
  return [...files];
}
