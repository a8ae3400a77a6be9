// Reading and writing an incident issue for the response handlers (commands, merged PRs, redeploy
// statuses, automatic rollback): always under the incident's lock (the alert pipeline's per-group
// key, so a delivery and a command never overwrite each other), always re-read inside it. The issue
// itself is the incident store's (github/incidents); this adds the handlers' view of the record.
import type { IncidentRecord } from "../../core/incident/incident-record.js";
import { renderIncidentBody } from "../../core/incident/render-incident.js";
import { readResponseState } from "../../core/incident/response-state.js";
import type { IncidentStore, StoredIncident } from "../../github/incidents/index.js";
import { withIncidentLock, type KeyLock } from "../lock.js";
import type { IncidentState } from "./types.js";

export interface LoadedIncident extends StoredIncident {
  /** The record split for the handlers. */
  current: IncidentState;
}

function loaded(stored: StoredIncident): LoadedIncident {
  const { response, ...plain } = stored.record;
  return { ...stored, current: { record: plain, response: readResponseState({ response }) } };
}

/** The incident issue `number`, or null when it does not exist or is not an incident. One request. */
export async function readIncident(store: IncidentStore, number: number): Promise<LoadedIncident | null> {
  const stored = await store.read(number);
  return stored ? loaded(stored) : null;
}

/** The record to store: the handlers' state joined again. */
export function joinState(state: IncidentState): IncidentRecord {
  return { ...state.record, response: state.response };
}

/**
 * Runs `fn` on the incident under its lock, re-read inside; null when `number` is not an incident.
 * Waits behind a queue of alert deliveries; IncidentBusyError when even the webhooks' bound is full.
 */
export async function withIncident<T>(
  deps: { lock: KeyLock; store: IncidentStore },
  number: number,
  fn: (incident: LoadedIncident) => Promise<T>,
  /** What is already known of the incident (its group key names the lock), to save a read. */
  known?: { record: { groupKey: string } },
): Promise<T | null> {
  const first = known ?? (await readIncident(deps.store, number));
  if (!first) return null;
  return withIncidentLock(deps.lock, deps.store.lockKey(first.record.groupKey), async () => {
    const fresh = await readIncident(deps.store, number);
    return fresh ? fn(fresh) : null;
  });
}

/** Writes the body only (the response changed; severity, status and labels did not). One request. */
export async function writeIncidentBody(
  store: IncidentStore,
  number: number,
  state: IncidentState,
): Promise<void> {
  await store.write(number, { body: renderIncidentBody(joinState(state)) });
}
