// Stage: deduplicate. Under a per-group lock, find the group's open incident (by listing open issues
// with the incident label), so concurrent and repeated deliveries of one group meet one incident.
import type { IncidentStore, StoredIncident } from "../../github/incidents/index.js";
import type { KeyLock } from "../lock.js";

export async function dedupe<T>(
  deps: { lock: KeyLock; store: IncidentStore },
  target: { label: string; groupKey: string },
  fn: (existing: StoredIncident | null) => Promise<T>,
): Promise<T> {
  return deps.lock.withLock(deps.store.lockKey(target.groupKey), async () =>
    fn(await deps.store.find(target.label, target.groupKey)),
  );
}
