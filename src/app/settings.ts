// The app's settings from the environment, read once at load. Documented in .env.example.
import { checkScope } from "./repo-scope.js";

/** A bearer token Alertmanager may send, and the repositories it may open incidents in. */
export interface ScopedToken {
  token: string;
  scope: string[];
}

export interface AppSettings {
  /** The bearer token Alertmanager sends; undefined when not configured. */
  alertmanagerToken: string | undefined;
  /** Accept deliveries without a token when none is configured (local testing only). */
  allowUnauthenticated: boolean;
  /** Deliveries above this many bytes are refused with 413. */
  maxBodyBytes: number;
  /** A body that takes longer than this to arrive is refused with 408 (ALERTMANAGER_BODY_TIMEOUT_MS). */
  bodyTimeoutMs?: number;
  /** The alert label naming the repository ("owner/name") when the URL path does not. */
  repositoryLabel: string;
  /** The bearer token Prometheus must send to read /metrics; undefined: /metrics is open. */
  metricsToken?: string | undefined;
  /** The app's slug (APP_SLUG); its bot `<slug>[bot]` is who opens incidents. Read from GitHub when unset. */
  appSlug?: string | undefined;
  /**
   * More tokens, each bound to the repositories it may reach (ALERTMANAGER_TOKENS, JSON:
   * `[{"token": "…", "scope": ["acme/*", "other/shop"]}]`). ALERTMANAGER_TOKEN reaches every one.
   */
  alertmanagerTokens?: ScopedToken[];
  /**
   * Which repositories may use which notification variable (AFTERSHOCK_NOTIFY_SCOPES, JSON:
   * `{"SLACK_WEBHOOK_TEAM_A": ["acme/*"]}`). When set, a variable it does not list is used by none.
   */
  notifyScopes?: Record<string, string[]> | undefined;
  /** More accounts whose incident issues are trusted (AFTERSHOCK_TRUSTED_AUTHORS, comma-separated). */
  trustedAuthors?: string[];
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export function readSettings(env: NodeJS.ProcessEnv = process.env): AppSettings {
  const max = env.ALERTMANAGER_MAX_BODY_BYTES;
  const maxBodyBytes = max === undefined || max.trim() === "" ? DEFAULT_MAX_BODY_BYTES : Number(max);
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw new Error(`ALERTMANAGER_MAX_BODY_BYTES must be a positive whole number of bytes, got "${max}"`);
  }
  const token = env.ALERTMANAGER_TOKEN?.trim();
  const tokens = parseJson(env, "ALERTMANAGER_TOKENS");
  if (tokens !== undefined && !Array.isArray(tokens))
    throw new Error('ALERTMANAGER_TOKENS must be a JSON list of {"token": "…", "scope": ["owner/name"]}');
  const alertmanagerTokens = (tokens ?? []).map((entry: unknown, i: number) => {
    const { token: value, scope } = (entry ?? {}) as { token?: unknown; scope?: unknown };
    if (typeof value !== "string" || value.trim() === "")
      throw new Error(`ALERTMANAGER_TOKENS[${i}].token must be a non-empty string`);
    return { token: value.trim(), scope: checkScope(scope, `ALERTMANAGER_TOKENS[${i}].scope`) };
  });
  const scopes = parseJson(env, "AFTERSHOCK_NOTIFY_SCOPES");
  if (scopes !== undefined && (scopes === null || typeof scopes !== "object" || Array.isArray(scopes)))
    throw new Error(
      'AFTERSHOCK_NOTIFY_SCOPES must be a JSON object like {"SLACK_WEBHOOK_TEAM_A": ["acme/*"]}',
    );
  const notifyScopes =
    scopes === undefined
      ? undefined
      : Object.fromEntries(
          Object.entries(scopes as Record<string, unknown>).map(([name, scope]) => [
            name,
            checkScope(scope, `AFTERSHOCK_NOTIFY_SCOPES.${name}`),
          ]),
        );
  return {
    alertmanagerToken: token ? token : undefined,
    allowUnauthenticated: env.ALERTMANAGER_ALLOW_UNAUTHENTICATED?.trim().toLowerCase() === "true",
    maxBodyBytes,
    ...(env.ALERTMANAGER_BODY_TIMEOUT_MS?.trim()
      ? { bodyTimeoutMs: positive(env.ALERTMANAGER_BODY_TIMEOUT_MS, "ALERTMANAGER_BODY_TIMEOUT_MS") }
      : {}),
    repositoryLabel: env.ALERTMANAGER_REPOSITORY_LABEL?.trim() || "repository",
    metricsToken: env.METRICS_TOKEN?.trim() || undefined,
    appSlug: env.APP_SLUG?.trim() || undefined,
    ...(alertmanagerTokens.length ? { alertmanagerTokens } : {}),
    ...(notifyScopes ? { notifyScopes } : {}),
    trustedAuthors: (env.AFTERSHOCK_TRUSTED_AUTHORS ?? "")
      .split(",")
      .map((l) => l.trim())
      .filter((l) => l !== ""),
  };
}

/** The JSON in `name`, undefined when unset; a syntax error names the variable (never its value). */
function parseJson(env: NodeJS.ProcessEnv, name: string): unknown {
  const text = env[name]?.trim();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${name} is not valid JSON`);
  }
}

function positive(text: string, name: string): number {
  const value = Number(text.trim());
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number`);
  return value;
}
