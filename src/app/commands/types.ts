// What a slash command handler is given and returns. Handlers are plain functions over the incident
// state: the dispatcher reads the issue (under the incident's lock), runs them in order, and writes
// the issue once at the end.
import type { ProbotOctokit } from "probot";
import type { IncidentRecord, TimelineEntry } from "../../core/incident/incident-record.js";
import type { RepoConfig } from "../../core/config/repo-config.js";
import type { IncidentResponseState } from "../../core/incident/response-state.js";
import type { IncidentStore, RepoRef } from "../../github/incidents/index.js";
import type { NarrativeSettings } from "../../narrative/llm.js";
import type { AppEvents } from "../events.js";

export interface CommandContext {
  octokit: ProbotOctokit;
  repo: RepoRef;
  incident: { number: number; url: string; title: string };
  config: RepoConfig;
  /** The commenter's login (the timeline names them as the actor). */
  actor: string;
  now: Date;
  events: AppEvents;
  /** Drafting of the post-mortem narrative; null or absent: it is written from the data alone. */
  narrative?: NarrativeSettings | null;
  /** Where a command's non-fatal problems go (the app's logger); never given a secret. */
  warn?: (message: string) => void;
  /** The repository's incident issues (/split opens one). */
  incidents?: IncidentStore;
  /** The running command's idempotency key (comment id and line), for side effects outside the issue. */
  commandKey?: string;
}

/** The incident as commands change it: the record (without `response`) and the response state. */
export interface IncidentState {
  record: IncidentRecord;
  response: IncidentResponseState;
}

export interface CommandResult {
  outcome: "done" | "failed";
  /** The changed state; absent when nothing changed. */
  state?: IncidentState;
  /** Markdown for the reply comment; absent when the reaction says enough. */
  reply?: string;
  /**
   * The command reached a definite answer (done, or a refusal such as a conflict that a retry would
   * repeat): its key is recorded so a redelivery does not run it again. Default: outcome is done.
   */
  final?: boolean;
  /** Close the issue (/resolve). */
  close?: boolean;
}

/** The state with one more timeline entry. */
export function withEntry(
  state: IncidentState,
  entry: Omit<TimelineEntry, "at" | "actor">,
  ctx: Pick<CommandContext, "actor" | "now">,
): IncidentState {
  const timeline = [...state.record.timeline, { at: ctx.now.toISOString(), actor: ctx.actor, ...entry }];
  return { ...state, record: { ...state.record, timeline } };
}
