// The app's settings from the environment, read once at load. Documented in .env.example.

export interface AppSettings {
  /** The bearer token Alertmanager sends; undefined when not configured. */
  alertmanagerToken: string | undefined;
  /** Accept deliveries without a token when none is configured (local testing only). */
  allowUnauthenticated: boolean;
  /** Deliveries above this many bytes are refused with 413. */
  maxBodyBytes: number;
  /** The alert label naming the repository ("owner/name") when the URL path does not. */
  repositoryLabel: string;
  /** The bearer token Prometheus must send to read /metrics; undefined: /metrics is open. */
  metricsToken?: string | undefined;
  /** The app's slug (APP_SLUG); its bot `<slug>[bot]` is who opens incidents. Read from GitHub when unset. */
  appSlug?: string | undefined;
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
  return {
    alertmanagerToken: token ? token : undefined,
    allowUnauthenticated: env.ALERTMANAGER_ALLOW_UNAUTHENTICATED?.trim().toLowerCase() === "true",
    maxBodyBytes,
    repositoryLabel: env.ALERTMANAGER_REPOSITORY_LABEL?.trim() || "repository",
    metricsToken: env.METRICS_TOKEN?.trim() || undefined,
    appSlug: env.APP_SLUG?.trim() || undefined,
    trustedAuthors: (env.AFTERSHOCK_TRUSTED_AUTHORS ?? "")
      .split(",")
      .map((l) => l.trim())
      .filter((l) => l !== ""),
  };
}
