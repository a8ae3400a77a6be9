// At most one comment per incident per interval from the alert path. A storm changes an incident
// every few seconds, and each comment is a notification and a content-creating request (GitHub
// allows about 80 a minute, Probot's throttling sends one every 3 s per installation): the body
// (record and timeline) takes every change at once; the comment says what changed since the last
// one, when the interval has passed or the incident as a whole resolved or fired again.
import type { GroupedChange } from "../../core/incident/related-groups.js";

/** Changes held back for the next comment at most (the comment lists 20 and counts the rest). */
const MAX_HELD = 200;
const MAX_INCIDENTS = 10_000;
const ALWAYS = new Set(["incident-resolved", "incident-refired", "severity-raised"]);

export const DEFAULT_COMMENT_INTERVAL_MS = 60_000;

/** The incident as a whole resolved or fired again (an incident of one group: that group did). */
function isAlways(c: GroupedChange): boolean {
  const kind = c.change.kind;
  return ALWAYS.has(kind) || (c.group === "" && (kind === "resolved" || kind === "refired"));
}

export class CommentPacer {
  readonly #incidents = new Map<string, { lastAt: number; held: GroupedChange[] }>();

  constructor(
    readonly intervalMs = DEFAULT_COMMENT_INTERVAL_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * The changes the batch's comment should list (held ones first), or null: no comment now, the
   * changes are held. Call `posted` once the comment is written, or `hold` with the changes if the
   * write failed, so they are listed next time.
   */
  take(incident: string, changes: readonly GroupedChange[]): GroupedChange[] | null {
    const state = this.#incidents.get(incident);
    const all = [...(state?.held ?? []), ...changes];
    const due = !state || this.clock() - state.lastAt >= this.intervalMs;
    if (due || changes.some(isAlways)) return all;
    this.#incidents.set(incident, { lastAt: state.lastAt, held: all.slice(-MAX_HELD) });
    return null;
  }

  /** The comment `take` gave was not posted (no write slot): its changes wait for the next one. */
  hold(incident: string, changes: readonly GroupedChange[]): void {
    const state = this.#incidents.get(incident);
    this.#incidents.set(incident, {
      lastAt: state?.lastAt ?? Number.NEGATIVE_INFINITY,
      held: changes.slice(-MAX_HELD),
    });
  }

  posted(incident: string): void {
    this.#incidents.delete(incident);
    this.#incidents.set(incident, { lastAt: this.clock(), held: [] });
    if (this.#incidents.size > MAX_INCIDENTS) this.#incidents.delete(this.#incidents.keys().next().value!);
  }
}
