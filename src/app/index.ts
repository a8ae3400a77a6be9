// The aftershock GitHub App (Probot 14). Every webhook handler, event-bus listener and HTTP route is
// registered here, each a small module of its own (./commands, ./pipeline, ./alertmanager, ...).
// Started by main.ts (`npm start`, Probot's run()).
import type { ApplicationFunction, ApplicationFunctionOptions, Probot } from "probot";
import { createAlertmanagerHandler } from "./alertmanager/handler.js";
import { onDeploymentStatus } from "./deployment-status.js";
import { onIssueComment } from "./commands/dispatch.js";
import { onIncidentOpenedAutoRollback } from "./commands/auto-rollback.js";
import { onPullRequestClosed } from "./pull-request.js";
import { onRedeployStatus } from "./redeploy-status.js";
import { onIncidentOpenedAuthorNote } from "./pipeline/author-note.js";
import { AppEvents } from "./events.js";
import type { KeyLock } from "./lock.js";
import { InProcessKeyLock } from "./lock.js";
import { appIncidentStores, appSlugOf, type IncidentStores } from "./identity.js";
import { Cooldowns } from "./commands/cooldown.js";
import { cachedRepoConfigs, type RepoConfigs } from "./repo-configs.js";
import type { AppSettings } from "./settings.js";
import { readSettings } from "./settings.js";
import { registerNotifications } from "./notifications.js";
import type { PacingSettings } from "./pacing/settings.js";
import { readPacingSettings } from "./pacing/settings.js";
import { writeBudgetFor } from "./pacing/redis-budget.js";
import { registerHealth, type ReadinessCheck } from "./observability/health.js";
import { registerMetrics } from "./observability/metrics.js";
import type { NarrativeSettings } from "../narrative/llm.js";
import { narrativeSettingsFromEnv } from "../narrative/llm.js";

export interface AppOptions {
  /** Defaults to the environment (readSettings) at load time. */
  settings?: AppSettings;
  /** Defaults to an in-process lock; pass a shared (Redis) one for several replicas. */
  lock?: KeyLock;
  now?: () => Date;
  /** Listeners for metrics, traces and notifications; a fresh bus by default. */
  events?: AppEvents;
  /** Extra /readyz checks besides GitHub's (Redis when configured). */
  readinessChecks?: ReadinessCheck[];
  /** The post-mortem narrative's LLM endpoint; defaults to LLM_API_URL / LLM_MODEL / LLM_API_KEY. */
  narrative?: NarrativeSettings | null;
  /**
   * The write budget (alerts and failed deploy checks) and the alert path's wait; defaults to the
   * environment (readPacingSettings).
   */
  pacing?: Partial<PacingSettings>;
}

/** What every handler may use, chosen once per app. */
export interface AppDeps {
  settings: AppSettings;
  lock: KeyLock;
  now: () => Date;
  events: AppEvents;
  /** Drafts the post-mortem's summary when configured; null: post-mortems come from the data alone. */
  narrative: NarrativeSettings | null;
  /** The incident store of a repository, trusting only this app's own incident issues. */
  incidents: IncidentStores;
  /** This app's bot login (`<slug>[bot]`): the one identity whose comments and issues it trusts. */
  botLogin: () => Promise<string>;
  repoConfigs: RepoConfigs;
  cooldowns: Cooldowns;
}

/** The app function with its dependencies chosen; the default export uses the environment. */
export function createApp(options: AppOptions = {}): ApplicationFunction {
  return (app: Probot, { addHandler }: ApplicationFunctionOptions): void => {
    const settings = options.settings ?? readSettings();
    const appSlug = appSlugOf(app, settings);
    const deps: AppDeps = {
      settings,
      lock: options.lock ?? new InProcessKeyLock(),
      now: options.now ?? (() => new Date()),
      events: options.events ?? new AppEvents(),
      narrative: options.narrative === undefined ? narrativeSettingsFromEnv(process.env) : options.narrative,
      incidents: appIncidentStores(appSlug, settings),
      botLogin: async () => `${await appSlug()}[bot]`,
      repoConfigs: cachedRepoConfigs(),
      cooldowns: new Cooldowns(),
    };
    deps.events.setErrorHandler((err, name) =>
      app.log.warn({ err, event: name }, "an event listener failed"),
    );
    // Slack / PagerDuty, for repositories whose .github/aftershock.yml asks for them.
    registerNotifications(deps.events, { log: app.log, scopes: deps.settings.notifyScopes });
    const tokens = deps.settings.alertmanagerToken || deps.settings.alertmanagerTokens?.length;
    if (!tokens && !deps.settings.allowUnauthenticated) {
      app.log.warn("ALERTMANAGER_TOKEN is not set: /alertmanager refuses deliveries (403) until it is");
    }

    // One write budget per app (per installation inside), for every path that opens incidents.
    const pacing = options.pacing ?? readPacingSettings();
    const budget = writeBudgetFor(deps.lock, pacing.budget, pacing.clock);
    const writes = { budget, ...(pacing.clock ? { clock: pacing.clock } : {}) };

    // Webhook events.
    // A failed deploy check opens an incident; a /redeploy's deployment records the mitigation.
    app.on("deployment_status", async (context) => {
      await onDeploymentStatus(context, { ...deps, writes });
    });
    app.on("deployment_status", async (context) => {
      await onRedeployStatus(context, deps);
    });
    // Slash commands. Only `created`: an edited comment would run its commands again, which people
    // do not expect.
    app.on("issue_comment.created", async (context) => {
      const reports = await onIssueComment(context, deps);
      if (reports.length) context.log.info({ commands: reports }, "slash commands handled");
    });
    // A merged rollback or post-mortem PR is recorded in its incident.
    app.on("pull_request.closed", async (context) => {
      const outcome = await onPullRequestClosed(context, deps);
      if (outcome.kind !== "ignored") context.log.info({ ...outcome }, "merged PR recorded in the incident");
    });

    // Listeners of the app's own events (after Slack / PagerDuty above).
    // The optional automatic rollback (rollback.auto in .github/aftershock.yml).
    deps.events.on("incident.opened", (event) => onIncidentOpenedAutoRollback(app, deps, event));
    // A note on the top suspect's PR when the ranker is confident (authorNote in .github/aftershock.yml).
    deps.events.on("incident.opened", (event) => onIncidentOpenedAuthorNote(app, deps, event));

    // HTTP routes.
    addHandler(createAlertmanagerHandler({ app, ...deps, pacing, budget }));
    // Operations: GET /metrics (optional METRICS_TOKEN), GET /healthz and GET /readyz.
    registerMetrics(addHandler, deps);
    registerHealth(app, addHandler, { checks: options.readinessChecks ?? [] });
  };
}

const aftershock: (app: Probot, options: ApplicationFunctionOptions) => void = createApp();
export default aftershock;
