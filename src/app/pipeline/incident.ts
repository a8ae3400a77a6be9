// The incident pipeline after routing, shared by the alert path and failed deploy checks:
// dedupe → (new group: correlate → similar incidents → render → create) | (known group: merge →
// comment + update).
import type { ProbotOctokit } from "probot";
import type { Delivery, IncidentRecord, IncidentSource } from "../../core/incident/incident-record.js";
import {
  RECORD_VERSION,
  boundAlerts,
  boundedWarnings,
  mergeDelivery,
} from "../../core/incident/incident-record.js";
import type { ParsedRepoConfig } from "../../core/config/repo-config.js";
import type { Severity } from "../../core/gate/types.js";
import type { IncidentStore, RepoRef } from "../../github/incidents/index.js";
import type { AppEvents } from "../events.js";
import type { KeyLock } from "../lock.js";
import type { CorrelateOptions, CorrelationRequest } from "./correlate.js";
import { correlate } from "./correlate.js";
import { dedupe } from "./dedupe.js";
import { lookupSimilar } from "./similar.js";
import { pastIncidentsOnce } from "./past-incidents.js";
import type { WriteOutcome } from "./write.js";
import { createIncident, updateIncident } from "./write.js";

/** What a delivery (an alert group, a failed deploy check) says, before it meets GitHub. */
export interface IncidentDraft {
  groupKey: string;
  source: IncidentSource;
  name: string;
  service: string;
  environment: string;
  severity: Severity;
  delivery: Delivery;
  externalURL?: string;
  /** Who the timeline names for this delivery ("alertmanager", a GitHub login). */
  actor: string;
  /** The first timeline entry when the incident opens. */
  openedText: string;
  /** Why this severity, and the runbook and dashboard to show: copied onto a new record as they are. */
  details?: Pick<IncidentRecord, "severityRule" | "runbook" | "dashboard">;
}

export interface IncidentContext {
  octokit: ProbotOctokit;
  /** The repository's incident issues (the same repository as `repo`). */
  store: IncidentStore;
  lock: KeyLock;
  repo: RepoRef;
  config: ParsedRepoConfig;
  now: Date;
  events: AppEvents;
  /** What correlation went on without (unread service hints); the app's logger when absent. */
  log?: CorrelateOptions["log"];
}

export async function openOrUpdateIncident(
  ctx: IncidentContext,
  draft: IncidentDraft,
  correlation: CorrelationRequest,
): Promise<WriteOutcome> {
  const { config } = ctx.config;
  const at = ctx.now.toISOString();
  const target = { label: config.labels.incident, groupKey: draft.groupKey };
  return dedupe(ctx, target, async (existing) => {
    if (existing) {
      const merged = mergeDelivery(existing.record, draft.delivery, at, draft.actor);
      const written = await updateIncident(ctx.store, existing, merged, config);
      const event = {
        repo: ctx.repo,
        number: existing.number,
        url: existing.url,
        record: merged.record,
        config,
      };
      ctx.events.emit("incident.updated", { ...event, changes: merged.changes.map((c) => c.kind) });
      if (merged.changes.some((c) => c.kind === "resolved")) ctx.events.emit("incident.resolved", event);
      return written;
    }
    if (draft.delivery.status === "resolved") {
      return { outcome: "ignored", reason: "the group resolved and has no open incident" };
    }
    return openIncident(ctx, draft, correlation, (_record, create) => create());
  });
}

/**
 * Correlates a new group and opens its incident. `decide` runs once its record (suspects ranked) is
 * known, and either calls `create` or takes the group elsewhere (grouping joins it to an incident
 * with the same cause); without grouping it just creates.
 */
export async function openIncident<T>(
  ctx: IncidentContext,
  draft: IncidentDraft,
  correlation: CorrelationRequest,
  decide: (record: IncidentRecord, create: () => Promise<WriteOutcome>) => Promise<T>,
): Promise<T> {
  const { config } = ctx.config;
  const at = ctx.now.toISOString();
  const started = performance.now();
  // Listed once, read by the service hints (inside correlate) and by the similar incidents.
  const pastIncidents = pastIncidentsOnce(ctx.octokit, ctx.repo, config, ctx.now);
  const found = await correlate(ctx.octokit, ctx.repo, correlation, config, {
    now: ctx.now,
    ...(ctx.log ? { log: ctx.log } : {}),
    pastIncidents,
  });
  const opened: IncidentRecord = {
    version: RECORD_VERSION,
    groupKey: draft.groupKey,
    ...boundAlerts(draft.delivery.alerts),
    status: draft.delivery.status,
    severity: draft.severity,
    name: draft.name,
    service: draft.service,
    environment: draft.environment,
    source: draft.source,
    deploys: found.deploys,
    suspects: found.suspects,
    timeline: [{ at, actor: draft.actor, kind: "opened", text: draft.openedText }],
    openedAt: at,
    warnings: [
      ...(ctx.config.error ? [ctx.config.error] : []),
      ...ctx.config.warnings,
      ...(found.warning ? [found.warning] : []),
    ],
    ...(draft.externalURL ? { externalURL: draft.externalURL } : {}),
    ...draft.details,
  };
  // Past incidents like this one: they need the suspects' files, so they come after correlation.
  const past = await lookupSimilar(
    ctx.octokit,
    ctx.repo,
    opened,
    correlation.alert,
    config,
    ctx.now,
    pastIncidents,
  );
  // One figure for finding suspects and similar incidents: both are the work of opening an incident.
  ctx.events.emit("correlation", {
    seconds: (performance.now() - started) / 1000,
    requests: found.requests + past.requests,
  });
  const record: IncidentRecord = {
    ...opened,
    suspects: past.suspects,
    warnings: boundedWarnings([...opened.warnings, ...(past.warning ? [past.warning] : [])]),
    ...(past.similar.length > 0 ? { similar: past.similar } : {}),
  };
  return decide(record, async () => {
    const written = await createIncident(ctx.store, record, config);
    if (written.outcome === "created") {
      const { number, url } = written;
      ctx.events.emit("incident.opened", {
        repo: ctx.repo,
        number,
        url,
        record,
        config,
        source: draft.source,
        // The auto-rollback listener uses it instead of authenticating again (2 requests).
        octokit: ctx.octokit,
      });
    }
    return written;
  });
}
