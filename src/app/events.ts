// What happens in the app, as typed events: metrics, traces and notifications listen here instead
// of being threaded through every stage. Listeners run after the fact and can never fail or delay
// the incident write (their errors are logged).
import type { ProbotOctokit } from "probot";
import type { IncidentRecord, IncidentSource } from "../core/incident/incident-record.js";
import type { RepoConfig } from "../core/config/repo-config.js";
import type { Severity } from "../core/gate/types.js";
import type { NotificationChannel } from "../notify/types.js";
import type { RepoRef } from "../github/incidents/index.js";
import { withoutDeadline } from "./pacing/deadline.js";

export interface IncidentEvent {
  repo: RepoRef;
  number: number;
  url: string;
  record: IncidentRecord;
  config: RepoConfig;
  /** The installation Octokit that wrote the incident, when the emitter has one (listeners reuse it). */
  octokit?: ProbotOctokit;
}

export type DeliveryOutcome = "created" | "updated" | "unchanged" | "ignored" | "rejected" | "failed";
export type CommandOutcome = "done" | "refused" | "invalid" | "failed" | "duplicate" | "ignored";
export type RollbackOutcome = "opened" | "existing" | "conflict" | "not-merged" | "failed";

export interface AppEventMap {
  /** One Alertmanager delivery answered. */
  "alert.delivery": {
    status: "firing" | "resolved" | "unknown";
    outcome: DeliveryOutcome;
    httpStatus: number;
    seconds: number;
  };
  "incident.opened": IncidentEvent & { source: IncidentSource };
  /** A known group delivered again: `changes` is empty for an exact redelivery (deduplicated). */
  "incident.updated": IncidentEvent & { changes: string[] };
  "incident.severity": IncidentEvent & { previous: Severity };
  "incident.resolved": IncidentEvent;
  correlation: { seconds: number; requests: number };
  command: { name: string; outcome: CommandOutcome };
  rollback: { outcome: RollbackOutcome };
  /** One incident notification attempted (after its retry): for counters. */
  notification: { channel: NotificationChannel; outcome: "sent" | "failed" };
}

export type AppEventName = keyof AppEventMap;
type Listener<K extends AppEventName> = (event: AppEventMap[K]) => void | Promise<void>;

export class AppEvents {
  readonly #listeners = new Map<AppEventName, Listener<AppEventName>[]>();
  readonly #pending = new Set<Promise<void>>();

  #onError: (err: unknown, name: AppEventName) => void = () => {};

  /** Where listener failures go (the app's logger). */
  setErrorHandler(onError: (err: unknown, name: AppEventName) => void): void {
    this.#onError = onError;
  }

  on<K extends AppEventName>(name: K, listener: Listener<K>): void {
    const list = this.#listeners.get(name) ?? [];
    list.push(listener as Listener<AppEventName>);
    this.#listeners.set(name, list);
  }

  /** Calls the listeners without waiting for them; a listener's failure is reported, never thrown. */
  emit<K extends AppEventName>(name: K, event: AppEventMap[K]): void {
    for (const listener of this.#listeners.get(name) ?? []) {
      // Outside the emitter's delivery deadline: a listener runs after the delivery is answered.
      const run = withoutDeadline(async () => listener(event)).catch((err: unknown) =>
        this.#onError(err, name),
      );
      this.#pending.add(run);
      void run.finally(() => this.#pending.delete(run));
    }
  }

  /** Resolves once every listener started so far has finished (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.#pending.size) await Promise.all([...this.#pending]);
  }
}
