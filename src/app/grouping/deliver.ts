// The alert path with one incident per cause and group commit:
//
//   1. Find the open incident that holds the group (as its first group or a related one). Found: queue
//      the delivery's change for that incident; the queue's batch re-reads the issue under the
//      incident's lock (the lock key of its first group, as commands use) and writes once.
//   2. Not found: under the group's lock, correlate, then under a lock keyed by repository,
//      environment and top suspect deploy ("find or create"), either pick an open incident with the
//      same cause opened within the window (join: queued like any change) or open the group's own.
//
// A change whose incident moved meanwhile (/split, closed) comes back as "moved" and the delivery
// starts over. Locks are only ever taken group → cause or group → incident (by the batch), and the
// cause lock holder waits on no other lock, so concurrent deliveries and replicas cannot deadlock.
import type { IncidentRecord } from "../../core/incident/incident-record.js";
import type { GroupMerge } from "../../core/incident/related-groups.js";
import {
  canJoin,
  hasGroup,
  joinGroup,
  mergeGroupDelivery,
  topDeployment,
} from "../../core/incident/related-groups.js";
import { renderGroupedComment } from "../../core/incident/render-related.js";
import { incidentTitle } from "../../core/incident/render-incident.js";
import type { StoredIncident } from "../../github/incidents/index.js";
import { incidentLockKey } from "../../github/incidents/index.js";
import { boundedKey } from "../../core/incident/incident-record.js";
import type { KeyLock } from "../lock.js";
import { busy, currentDeadline, withDeadline, withLockBefore } from "../pacing/deadline.js";
import { BudgetRefusal, type WriteSlots } from "../pacing/write-budget.js";
import type { CorrelationRequest } from "../pipeline/correlate.js";
import type { IncidentContext, IncidentDraft } from "../pipeline/incident.js";
import { openIncident } from "../pipeline/incident.js";
import type { WriteOutcome } from "../pipeline/write.js";
import { incidentWrite } from "../pipeline/write.js";
import { CommentPacer, DEFAULT_COMMENT_INTERVAL_MS } from "./comment-pacer.js";
import type { GroupCommitOptions } from "./group-commit.js";
import { GroupCommit } from "./group-commit.js";
import type { OwedGroups } from "./owed-groups.js";
import { InProcessOwedGroups, owedGroupsFor } from "./owed-groups.js";

/** One delivery's change to one incident, queued for its batch. */
export interface IncidentChange {
  ctx: IncidentContext;
  number: number;
  draft: IncidentDraft;
  /** Set when the group is new: join if the incident still has the same cause. */
  join?: { deployment: string; windowMs: number };
}

export type ChangeOutcome = WriteOutcome | { outcome: "moved" };

const MOVED: ChangeOutcome = { outcome: "moved" };
/** Rounds of find → apply before giving up with 503 (each round means the incident just moved). */
const MAX_ROUNDS = 4;
/** Groups whose incident is remembered (checked again by every batch, so a stale entry costs a round). */
const MAX_LOCATIONS = 10_000;
/**
 * Longest a batch's comment waits for its write slot: about one notifying write (Probot spaces them
 * 3 s apart). The comment only notifies; the body holds the change. Further out, the slot belongs
 * to writes that must happen (an incident being opened), and the comment waits for the next batch.
 */
export const COMMENT_MAX_WAIT_MS = 3_000;

/** What a delivery does next: write its change to an incident (held, join), or it is done. */
type Next =
  | ({ kind: "held" } & Location)
  | ({ kind: "join"; deployment: string; windowMs: number } & Location)
  | { kind: "written"; outcome: WriteOutcome };

interface Location {
  number: number;
  /** The incident's first group: its lock key is the incident's. */
  primary: string;
}

/** The per-app state of the grouped alert path: the batcher and where each group's incident is. */
const perLock = new WeakMap<KeyLock, AlertGrouping>();

/**
 * The one grouping state per lock (so per app), shared by the alert path and the deploy-check path:
 * one batch queue, one comment pacer and one record of owed groups per incident, whichever path
 * writes. `budget`: a batch waits for its write slot before it is taken, so what arrives meanwhile
 * joins it. The first caller's budget and clock are the ones kept (the app passes the same to both).
 */
export function groupingFor(
  lock: KeyLock,
  budget?: WriteSlots,
  clock: () => number = Date.now,
): AlertGrouping {
  let grouping = perLock.get(lock);
  if (!grouping) {
    grouping = new AlertGrouping(lock, {
      clock,
      ...(budget ? { writeSlot: (ctx) => budget.untilFree(ctx.repo.owner.toLowerCase()) } : {}),
      // Through the same Redis with the Redis lock, so any replica knows a group is owed.
      owed: owedGroupsFor(lock, clock),
    });
    perLock.set(lock, grouping);
  }
  return grouping;
}

export class AlertGrouping {
  readonly commits: GroupCommit<IncidentChange, ChangeOutcome>;
  readonly #locations = new Map<string, Location>();
  /**
   * Groups (lock keys) whose firing delivery was answered 5xx and none of whose deliveries has been
   * written since: the app owes them their incident. If the group then resolves, its resolved
   * delivery opens the incident (resolved) instead of being ignored, or the storm loses it. Shared
   * through Redis with the Redis lock (owed-groups.ts), so the retry may land on any replica.
   */
  readonly #owed: OwedGroups;
  readonly #clock: () => number;

  constructor(
    readonly lock: KeyLock,
    options: Omit<GroupCommitOptions<IncidentChange>, "ready"> & {
      commentIntervalMs?: number;
      /** Resolves when the incident's next write can go (the write budget); batches wait for it. */
      writeSlot?: (ctx: IncidentContext) => Promise<void>;
      /** The owed groups (default: in-process); owedGroupsFor picks the Redis one with the Redis lock. */
      owed?: OwedGroups;
    } = {},
  ) {
    this.#clock = options.clock ?? Date.now;
    this.#owed = options.owed ?? new InProcessOwedGroups(this.#clock);
    const comments = new CommentPacer(
      options.commentIntervalMs ?? DEFAULT_COMMENT_INTERVAL_MS,
      options.clock,
    );
    const writeSlot = options.writeSlot;
    const clock = this.#clock;
    this.commits = new GroupCommit(lock, (_key, items) => commitChanges(items, comments, clock), {
      ...options,
      ...(writeSlot ? { ready: (_key: string, first: IncidentChange) => writeSlot(first.ctx) } : {}),
    });
  }

  /** Applies one Alertmanager delivery; resolves after the write that holds its change. */
  async deliver(
    ctx: IncidentContext,
    draft: IncidentDraft,
    correlation: CorrelationRequest,
    deadline: number,
  ): Promise<WriteOutcome> {
    const groupLock = ctx.store.lockKey(draft.groupKey);
    const written = await this.#deliver(ctx, draft, correlation, deadline, groupLock);
    // Written: nothing is owed any more. A failure here only leaves the entry to expire.
    await this.#owed.delete(groupLock).catch(() => undefined);
    return written;
  }

  /**
   * A firing delivery of `groupKey` in `repo` was answered 5xx (busy, budget, GitHub failing): until
   * one of the group's deliveries is written, a resolved one opens the incident it never got.
   * Resolves once recorded (before the 5xx is sent, so the retry finds it on any replica).
   */
  async refused(repo: IncidentContext["repo"], groupKey: string): Promise<void> {
    await this.#owed.add(incidentLockKey(repo, boundedKey(groupKey)));
  }

  async #deliver(
    ctx: IncidentContext,
    draft: IncidentDraft,
    correlation: CorrelationRequest,
    deadline: number,
    groupLock: string,
  ): Promise<WriteOutcome> {
    for (let round = 1; round <= MAX_ROUNDS; round++) {
      // Where the group was last seen; else (and after a move) found or opened under its lock.
      const known = round === 1 ? this.#locations.get(groupLock) : undefined;
      const next: Next = known
        ? { kind: "held", ...known }
        : await withLockBefore(ctx.lock, groupLock, deadline, this.#clock, () =>
            this.#findOrOpen(ctx, draft, correlation, deadline),
          );
      if (next.kind === "written") return next.outcome;
      const join =
        next.kind === "join" ? { deployment: next.deployment, windowMs: next.windowMs } : undefined;
      const change: IncidentChange = { ctx, number: next.number, draft, ...(join ? { join } : {}) };
      const done = await this.commits.submit(ctx.store.lockKey(next.primary), change, deadline);
      if (done.outcome !== "moved") {
        this.#remember(groupLock, { number: next.number, primary: next.primary });
        return done;
      }
      this.#locations.delete(groupLock);
    }
    throw busy("the incident of this alert group kept moving (split or closed); try again", 5_000);
  }

  /**
   * Under the group's lock: the open incident that holds it; else (firing) correlate, then join an
   * incident with the same cause or open the group's own.
   */
  async #findOrOpen(
    ctx: IncidentContext,
    draft: IncidentDraft,
    correlation: CorrelationRequest,
    deadline: number,
  ): Promise<Next> {
    const held = await this.#holder(ctx, draft.groupKey);
    if (held) return { kind: "held", ...held };
    const groupLock = ctx.store.lockKey(draft.groupKey);
    const resolved = draft.delivery.status === "resolved";
    // A resolved group with no open incident is ignored, unless its firing was refused: then this is
    // the only record of it the app will get, and it opens the incident as resolved.
    if (resolved && !(await this.#owed.has(groupLock))) {
      return {
        kind: "written",
        outcome: { outcome: "ignored", reason: "the group resolved and has no open incident" },
      };
    }
    const created = async (create: () => Promise<WriteOutcome>): Promise<Next> => {
      const outcome = await create();
      if (outcome.outcome === "created") {
        this.#remember(groupLock, { number: outcome.number, primary: draft.groupKey });
        if (resolved) await closeResolvedAtOpening(ctx, outcome);
      }
      return { kind: "written", outcome };
    };
    if (resolved) draft = resolvedBeforeOpening(draft);
    return openIncident(ctx, draft, correlation, async (record, create) => {
      const { grouping, labels } = ctx.config.config;
      const deployment = topDeployment(record);
      if (!grouping.enabled || deployment === null) return created(create);
      const windowMs = grouping.windowMinutes * 60_000;
      // "Find or create" for one cause at a time: two groups firing together give one incident.
      const cause = ctx.store.causeLockKey(draft.environment, deployment);
      return withLockBefore(ctx.lock, cause, deadline, this.#clock, async (): Promise<Next> => {
        const criteria = { environment: draft.environment, deployment, now: ctx.now, windowMs };
        // Listed again here, not taken from #holder's listing: that one predates this lock, and the
        // incident another group of this cause opened while this one waited for it must be found.
        const target = oldest(
          (await ctx.store.list(labels.incident)).filter((i) => canJoin(i.record, criteria)),
        );
        if (!target) return created(create);
        // Joined through the incident's batch, after this lock is released (no lock waits on another).
        return { kind: "join", number: target.number, primary: target.record.groupKey, deployment, windowMs };
      });
    });
  }

  /** The open incident holding `groupKey`, found by listing the open incidents. */
  async #holder(ctx: IncidentContext, groupKey: string): Promise<Location | null> {
    const key = ctx.store.lockKey(groupKey);
    const open = await ctx.store.list(ctx.config.config.labels.incident);
    const holder = oldest(open.filter((i) => hasGroup(i.record, groupKey)));
    if (!holder) {
      this.#locations.delete(key);
      return null;
    }
    const location = { number: holder.number, primary: holder.record.groupKey };
    this.#remember(key, location);
    return location;
  }

  #remember(key: string, location: Location): void {
    this.#locations.delete(key);
    this.#locations.set(key, location);
    if (this.#locations.size > MAX_LOCATIONS) this.#locations.delete(this.#locations.keys().next().value!);
  }
}

function oldest(incidents: StoredIncident[]): StoredIncident | undefined {
  return [...incidents].sort((a, b) => a.number - b.number)[0];
}

/**
 * One batch under the incident's lock: per issue, one read, every change folded in order, then one
 * write (body, title, labels, state) and at most one comment for all of them (CommentPacer); nothing
 * when nothing changed.
 */
async function commitChanges(
  items: IncidentChange[],
  comments: CommentPacer,
  clock: () => number,
): Promise<ChangeOutcome[]> {
  const results: ChangeOutcome[] = items.map(() => MOVED);
  const byIssue = new Map<number, number[]>();
  items.forEach((item, i) => byIssue.set(item.number, [...(byIssue.get(item.number) ?? []), i]));
  for (const [number, indexes] of byIssue) {
    const ctx = items[indexes.at(-1)!]!.ctx;
    const incident = await ctx.store.read(number);
    if (!incident || incident.state !== "open") continue;
    let record = incident.record;
    const changes: GroupMerge["changes"] = [];
    const applied: Array<{ index: number; kinds: string[] }> = [];
    for (const index of indexes) {
      const merged = applyChange(record, items[index]!);
      if (!merged) continue;
      record = merged.record;
      changes.push(...merged.changes);
      applied.push({ index, kinds: merged.changes.map((c) => c.change.kind) });
      const outcome = merged.changes.length > 0 ? "updated" : "unchanged";
      results[index] = { outcome, number, url: incident.url };
    }
    const resolvedNow = incident.record.status === "firing" && record.status === "resolved";
    if (changes.length > 0) {
      const key = `${ctx.repo.owner}/${ctx.repo.repo}#${number}`.toLowerCase();
      const comment = comments.take(key, changes);
      const posted = await writeBatch(ctx, incident, record, comment, resolvedNow, clock);
      if (posted) comments.posted(key);
      else if (comment) comments.hold(key, comment);
    }
    // One event per delivery, as before batching: an empty change list counts a deduplicated one.
    const event = { repo: ctx.repo, number, url: incident.url, record, config: ctx.config.config };
    for (const { kinds } of applied) ctx.events.emit("incident.updated", { ...event, changes: kinds });
    if (resolvedNow) ctx.events.emit("incident.resolved", event);
  }
  return results;
}

/** One change folded into the record; null when the group is not (or can no longer be) in it. */
function applyChange(record: IncidentRecord, { ctx, draft, join }: IncidentChange): GroupMerge | null {
  const at = ctx.now.toISOString();
  if (hasGroup(record, draft.groupKey)) return mergeGroupDelivery(record, draft, at, draft.actor);
  // A resolved group only comes with `join` when its firing was refused (AlertGrouping.refused).
  if (!join) return null;
  const criteria = {
    environment: draft.environment,
    deployment: join.deployment,
    now: ctx.now,
    windowMs: join.windowMs,
  };
  return canJoin(record, criteria) ? joinGroup(record, draft, join.deployment, at, draft.actor) : null;
}

/**
 * Writes the batch: the body (with the record, so every change in it) first, then the comment. The
 * body answers the deliveries; when the write budget has no slot for the comment soon enough
 * (COMMENT_MAX_WAIT_MS), it is not sent and false is returned: the caller holds its changes for the
 * next comment. True when a comment was posted.
 */
async function writeBatch(
  ctx: IncidentContext,
  incident: StoredIncident,
  record: IncidentRecord,
  /** What the comment lists; null: no comment this time (CommentPacer). */
  comment: GroupMerge["changes"] | null,
  resolvedNow: boolean,
  clock: () => number,
): Promise<boolean> {
  const { config } = ctx.config;
  // The title follows the record only when the record changed it (a joined group raised the
  // severity): a title people edited stays otherwise.
  // The body first: if the comment then fails, the retried deliveries find their changes in the
  // record and post nothing, so a failure never repeats a comment (the timeline keeps them).
  await ctx.store.write(
    incident.number,
    incidentWrite(incident, record, config.labels, {
      retitleFrom: incidentTitle(incident.record),
      close: resolvedNow && config.closeOnResolve,
    }),
  );
  if (!comment) return false;
  const soon = Math.min(currentDeadline() ?? Infinity, clock() + COMMENT_MAX_WAIT_MS);
  try {
    await withDeadline(soon, () => ctx.store.comment(incident.number, renderGroupedComment(comment)));
    return true;
  } catch (err) {
    // Never sent (the budget refused it before the request): the next batch's comment says it.
    if (err instanceof BudgetRefusal) return false;
    throw err;
  }
}

/** The draft of a group that resolved before its incident could be opened, as its timeline says. */
function resolvedBeforeOpening(draft: IncidentDraft): IncidentDraft {
  return {
    ...draft,
    openedText:
      `${draft.openedText}; the group had fired and resolved before its incident could be opened ` +
      "(its firing notifications were refused while GitHub's write budget was full)",
  };
}

/** An incident opened already resolved is closed at once when the repository closes on resolve. */
async function closeResolvedAtOpening(ctx: IncidentContext, created: WriteOutcome): Promise<void> {
  if (created.outcome !== "created" || !ctx.config.config.closeOnResolve) return;
  try {
    await ctx.store.write(created.number, { state: "closed" });
  } catch (err) {
    // The incident and its resolution are written (record, label); only the closing waits for room.
    if (!(err instanceof BudgetRefusal)) throw err;
  }
}
