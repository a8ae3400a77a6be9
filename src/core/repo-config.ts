// The schema of a repository's `.github/aftershock.yml` for the app. Pure: parsing text, no I/O.
// A bad file must never cost an incident, so parsing never throws: it returns the defaults and says why.
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { parseDuration } from "./duration.js";

const labelName = z.string().trim().min(1).max(50);

const LabelsSchema = z.object({
  /** Marks an issue as an incident; also how open incidents are found again. */
  incident: labelName.default("incident"),
  /** Added when the alert group resolves. */
  resolved: labelName.default("resolved"),
  /** Added to every incident. */
  extra: z.array(labelName).default([]),
});

/**
 * Names of the app's environment variables that hold notification secrets. The repository file only
 * names them: it is often public, and a webhook URL or routing key written there would leak. The
 * prefix keeps a repository from naming an unrelated secret of the app (PRIVATE_KEY, WEBHOOK_SECRET).
 */
const secretEnvName = (prefix: string) =>
  z
    .string()
    .trim()
    .regex(new RegExp(`^(AFTERSHOCK_)?${prefix}_[A-Z0-9_]+$`), {
      message: `must name an environment variable of the app starting with ${prefix}_ or AFTERSHOCK_${prefix}_`,
    });

/**
 * A secret written into the file itself is refused (without repeating it) and never used; unknown
 * keys are refused too (strict objects), so a misspelt `webhookURL` is not silently kept in the file.
 */
const noInlineSecret = (envKey: string) =>
  z
    .unknown()
    .optional()
    .refine((value) => value === undefined, {
      message: `must not be in the repository file (it is a secret): set it in the app's environment and name that variable with ${envKey}`,
    });

const NotificationsSchema = z.strictObject({
  /** Slack incoming webhook: the app's environment variable holding the webhook URL. */
  slack: z
    .strictObject({
      webhookUrlEnv: secretEnvName("SLACK").default("SLACK_WEBHOOK_URL"),
      webhookUrl: noInlineSecret("webhookUrlEnv"),
    })
    .transform(({ webhookUrlEnv }) => ({ webhookUrlEnv }))
    .optional(),
  /** PagerDuty Events API v2: the app's environment variable holding the integration's routing key. */
  pagerduty: z
    .strictObject({
      routingKeyEnv: secretEnvName("PAGERDUTY").default("PAGERDUTY_ROUTING_KEY"),
      routingKey: noInlineSecret("routingKeyEnv"),
    })
    .transform(({ routingKeyEnv }) => ({ routingKeyEnv }))
    .optional(),
});

export type NotificationsConfig = z.infer<typeof NotificationsSchema>;

const RollbackSchema = z.object({
  /** Open revert PRs as drafts, so a person decides to merge. */
  draft: z.boolean().default(true),
  /** Open the revert PR by itself when an incident opens; off unless a repository asks for it. */
  auto: z
    .object({
      enabled: z.boolean().default(false),
      /** The least severe level that triggers it: P1 only P1, P2 also P1. */
      severity: z.enum(["P1", "P2", "P3"]).default("P1"),
      /** The top suspect's score must be at least this (0..1). */
      minScore: z.number().min(0).max(1).default(0.6),
    })
    .default({ enabled: false, severity: "P1", minScore: 0.6 }),
});

const PostmortemsSchema = z.object({
  /** Where /postmortem writes the file, relative to the repository root. */
  folder: z.string().trim().min(1).default("docs/postmortems"),
});

export const RepoConfigSchema = z.object({
  // `labels: [ops, team-a]` is shorthand for extra labels.
  labels: z
    .union([z.array(labelName).transform((extra) => LabelsSchema.parse({ extra })), LabelsSchema])
    .default(LabelsSchema.parse({})),
  /** On-call: assigned to every new incident. */
  assignees: z.array(z.string().trim().min(1)).default([]),
  /** Path globs that belong to each service, for scoring suspects. */
  services: z.record(z.string(), z.array(z.string())).default({}),
  /** Globs of risky paths; unset lets the scorer use its defaults. */
  riskyPaths: z.array(z.string()).optional(),
  /** How far before the alert deployments are considered, as a duration ("24h", "90m"). */
  lookback: z
    .string()
    .default("24h")
    .refine((text) => isDuration(text), { message: 'must be a duration like "24h", "90m" or "2d"' }),
  /** The alert label naming the repository ("owner/name"). */
  repositoryLabel: z.string().trim().min(1).default("repository"),
  /** Close the incident when its alert group resolves (it is always labelled resolved). */
  closeOnResolve: z.boolean().default(false),
  /** Deployment environments; the first is used when an alert names none. */
  environments: z.array(z.string().trim().min(1)).min(1).default(["production"]),
  /** Where incidents are announced; absent means nowhere. */
  notifications: NotificationsSchema.default({}),
  /** /rollback, and the optional automatic rollback when an incident opens. */
  rollback: RollbackSchema.default(RollbackSchema.parse({})),
  /** /postmortem. */
  postmortems: PostmortemsSchema.default(PostmortemsSchema.parse({})),
});

export type RepoConfig = z.infer<typeof RepoConfigSchema>;

export const CONFIG_PATH = ".github/aftershock.yml";

export const DEFAULT_REPO_CONFIG: RepoConfig = RepoConfigSchema.parse({});

export interface ParsedRepoConfig {
  config: RepoConfig;
  /** Why the file was not used (the defaults were), or null when it was. */
  error: string | null;
  /** Things that did not stop the file from being used, such as unknown keys. */
  warnings: string[];
}

function isDuration(text: string): boolean {
  try {
    parseDuration(text);
    return true;
  } catch {
    return false;
  }
}

/** The lookback of a config in seconds. */
export function lookbackSeconds(config: RepoConfig): number {
  return parseDuration(config.lookback, "lookback");
}

/** Parses the YAML text of `.github/aftershock.yml`; an empty file means the defaults. */
export function parseRepoConfig(text: string): ParsedRepoConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    return defaultsBecause(`${CONFIG_PATH} is not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  if (raw === null || raw === undefined) return { config: DEFAULT_REPO_CONFIG, error: null, warnings: [] };
  if (typeof raw !== "object" || Array.isArray(raw)) {
    return defaultsBecause(`${CONFIG_PATH} must be a mapping of settings (labels, assignees, services, ...)`);
  }
  const result = RepoConfigSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? issue.path.map(String).join(".") : "(top level)";
    return defaultsBecause(`${CONFIG_PATH}: ${where} ${issue?.message ?? "is invalid"}`);
  }
  const known = new Set(Object.keys(RepoConfigSchema.shape));
  const warnings = Object.keys(raw)
    .filter((key) => !known.has(key))
    .map((key) => `${CONFIG_PATH}: unknown setting "${key}" was ignored (known: ${[...known].join(", ")})`);
  return { config: result.data, error: null, warnings };
}

function defaultsBecause(error: string): ParsedRepoConfig {
  return { config: DEFAULT_REPO_CONFIG, error: `${error}; the defaults were used`, warnings: [] };
}
