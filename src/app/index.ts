// The aftershock GitHub App (Probot 14). Everything is registered here; handlers stay thin over the
// stages in ./alertmanager and ./pipeline. Bundled to dist/app.js: `probot run ./dist/app.js`.
import type { ApplicationFunction, ApplicationFunctionOptions, Probot } from "probot";
import { createAlertmanagerHandler } from "./alertmanager/handler.js";
import { onDeploymentStatus } from "./deployment-status.js";
import { AppEvents } from "./events.js";
import type { KeyLock } from "./lock.js";
import { InProcessKeyLock } from "./lock.js";
import type { AppSettings } from "./settings.js";
import { readSettings } from "./settings.js";

export interface AppOptions {
  /** Defaults to the environment (readSettings) at load time. */
  settings?: AppSettings;
  /** Defaults to an in-process lock; pass a shared (Redis) one for several replicas. */
  lock?: KeyLock;
  now?: () => Date;
  /** Listeners for metrics, traces and notifications; a fresh bus by default. */
  events?: AppEvents;
}

/** The app function with its dependencies chosen; the default export uses the environment. */
export function createApp(options: AppOptions = {}): ApplicationFunction {
  return (app: Probot, { addHandler }: ApplicationFunctionOptions): void => {
    const settings = options.settings ?? readSettings();
    const lock = options.lock ?? new InProcessKeyLock();
    const now = options.now ?? (() => new Date());
    const events = options.events ?? new AppEvents();
    events.setErrorHandler((err, name) => app.log.warn({ err, event: name }, "an event listener failed"));
    if (!settings.alertmanagerToken && !settings.allowUnauthenticated) {
      app.log.warn("ALERTMANAGER_TOKEN is not set: /alertmanager refuses deliveries (403) until it is");
    }

    app.on("deployment_status", async (context) => {
      await onDeploymentStatus(context, { lock, now, events });
    });
    addHandler(createAlertmanagerHandler({ app, settings, lock, now, events }));
  };
}

const aftershock: (app: Probot, options: ApplicationFunctionOptions) => void = createApp();
export default aftershock;
