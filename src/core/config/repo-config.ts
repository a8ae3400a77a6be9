// The schema of a repository's `.github/aftershock.yml` for the app. Pure: parsing text, no I/O.
// A bad file must never cost an incident, so parsing never throws: it returns the defaults and says why.
import { LineCounter, isMap, isNode, isScalar, isSeq, parseDocument } from "yaml";
import type { Document } from "yaml";
import { z } from "zod";
import { parseDuration } from "../text/duration.js";
import { isHttpUrl } from "../text/urls.js";
import { DEFAULT_SEVERITY_BANDS, parseSeverityBands } from "../gate/severity.js";
import type { SeverityBand } from "../gate/types.js";
import { errorMessage } from "../errors.js";

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

/**
 * The variables a repository's notifications use unless it names others: the app's one Slack
 * channel and PagerDuty service (the only ones any repository may use without AFTERSHOCK_NOTIFY_SCOPES).
 */
export const DEFAULT_SLACK_WEBHOOK_ENV = "SLACK_WEBHOOK_URL";
export const DEFAULT_PAGERDUTY_ROUTING_KEY_ENV = "PAGERDUTY_ROUTING_KEY";

const NotificationsSchema = z.strictObject({
  /** Slack incoming webhook: the app's environment variable holding the webhook URL. */
  slack: z
    .strictObject({
      webhookUrlEnv: secretEnvName("SLACK").default(DEFAULT_SLACK_WEBHOOK_ENV),
      webhookUrl: noInlineSecret("webhookUrlEnv"),
    })
    .transform(({ webhookUrlEnv }) => ({ webhookUrlEnv }))
    .optional(),
  /** PagerDuty Events API v2: the app's environment variable holding the integration's routing key. */
  pagerduty: z
    .strictObject({
      routingKeyEnv: secretEnvName("PAGERDUTY").default(DEFAULT_PAGERDUTY_ROUTING_KEY_ENV),
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

const HistorySchema = z.object({
  /** Look for similar past incidents when an incident opens. */
  enabled: z.boolean().default(true),
  /** How far back past incidents are read, as a duration ("90d"). */
  lookback: z
    .string()
    .default("90d")
    .refine((text) => isDuration(text), { message: 'must be a duration like "90d" or "12w"' }),
});

const AuthorNoteSchema = z.object({
  /** Comment on the top suspect's PR when an incident opens (or a deploy check fails). */
  enabled: z.boolean().default(true),
  /** Only when the top suspect's calibrated confidence is at least this (0..1). */
  minConfidence: z.number().min(0).max(1).default(0.5),
});

const GroupingSchema = z.object({
  /** Alert groups blaming the same deploy join one incident instead of opening their own. */
  enabled: z.boolean().default(true),
  /** A group joins an incident opened at most this many minutes before it fired. */
  windowMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
});

const httpUrl = z
  .string()
  .trim()
  .refine((text) => isHttpUrl(text), { message: "must be an http(s) URL" });

/** `P1:>5%,P2:1%,P3:0` or the same as a list; each entry's error names its index. */
const SeverityBandsSchema = z
  .union([z.string(), z.array(z.string()).min(1)])
  .transform((value, ctx): SeverityBand[] => {
    const parts = Array.isArray(value) ? value : [value];
    const bands: SeverityBand[] = [];
    for (const [i, part] of parts.entries()) {
      try {
        bands.push(...parseSeverityBands(part));
      } catch (err) {
        ctx.addIssue({
          code: "custom",
          path: Array.isArray(value) ? [i] : [],
          message: `must be bands like "P1:>5%,P2:1%,P3:0" (${errorMessage(err)})`,
        });
      }
    }
    return bands;
  });

// {{service}}, {{environment}}, {{alertname}} or any alert label, filled URL-encoded by the app.
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** A dashboard URL template: an http(s) URL once its placeholders are filled. */
const DashboardTemplateSchema = z
  .string()
  .trim()
  .refine((text) => isHttpUrl(text.replace(PLACEHOLDER, "x")), {
    message:
      'must be an http(s) URL, with placeholders like "https://grafana.example/d/x?var-service={{service}}&var-env={{environment}}"',
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
  /** Error-ratio bands for an alert without a severity label (read from its error_ratio/value annotation). */
  severityBands: SeverityBandsSchema.default([...DEFAULT_SEVERITY_BANDS]),
  /** Runbook URLs by alert name, and `default` for the rest; an alert's runbook_url annotation wins. */
  runbooks: z.record(z.string(), httpUrl).default({}),
  /** Dashboard URL template, used when the alert has no generatorURL. */
  dashboard: DashboardTemplateSchema.optional(),
  /** Similar past incidents, shown when an incident opens. */
  history: HistorySchema.default(HistorySchema.parse({})),
  /** A short note to the author of the top suspect, once per incident. */
  authorNote: AuthorNoteSchema.default(AuthorNoteSchema.parse({})),
  /** One incident per cause: see core/related-groups.ts. */
  grouping: GroupingSchema.default(GroupingSchema.parse({})),
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

/** How far back similar past incidents are read, in seconds. */
export function historyLookbackSeconds(config: RepoConfig): number {
  return parseDuration(config.history.lookback, "history.lookback");
}

/** Parses the YAML text of `.github/aftershock.yml`; an empty file means the defaults. */
/** A larger file is refused before parsing: YAML parsing and its warnings grow with it. */
export const MAX_CONFIG_BYTES = 64 * 1024;
/** Unknown settings named one by one; the rest are counted. */
const MAX_UNKNOWN_WARNINGS = 10;
export const MAX_GLOB_LENGTH = 200;
// picomatch's extglobs (`*(a)`, `@(a|b)`, `+(…)`, `?(…)`, `!(…)`) compile to regexes that can
// backtrack for seconds on one path; they are refused here and disabled where globs are compiled.
const EXTGLOB = /[*@+?!]\(/;

/** Why a glob is refused, or null when it is safe to compile. */
export function globProblem(glob: string): string | null {
  if (glob.length > MAX_GLOB_LENGTH) return `longer than ${MAX_GLOB_LENGTH} characters`;
  if (EXTGLOB.test(glob)) return "extglob patterns like *( ) and @( ) are not supported";
  return null;
}

function shown(glob: string): string {
  return glob.length > 60 ? `${glob.slice(0, 59)}…` : glob;
}

/** The safe globs of a list, and a warning per refused one naming it. */
function safeGlobs(where: string, globs: readonly string[], warnings: string[]): string[] {
  return globs.filter((glob) => {
    const problem = globProblem(glob);
    if (problem) warnings.push(`${CONFIG_PATH}: ${where}: glob "${shown(glob)}" was ignored: ${problem}`);
    return problem === null;
  });
}

export function parseRepoConfig(text: string): ParsedRepoConfig {
  if (Buffer.byteLength(text, "utf8") > MAX_CONFIG_BYTES) {
    return defaultsBecause(`${CONFIG_PATH} is larger than ${MAX_CONFIG_BYTES} bytes`);
  }
  // A document (not plain values) keeps source positions, so an error can name its line.
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  let raw: unknown;
  try {
    if (doc.errors[0]) throw doc.errors[0];
    raw = doc.toJS();
  } catch (err) {
    const first = errorMessage(err).split("\n")[0]!.replace(/:$/, "");
    return defaultsBecause(`${CONFIG_PATH} is not valid YAML: ${first}`);
  }
  if (raw === null || raw === undefined) return { config: DEFAULT_REPO_CONFIG, error: null, warnings: [] };
  if (typeof raw !== "object" || Array.isArray(raw)) {
    return defaultsBecause(`${CONFIG_PATH} must be a mapping of settings (labels, assignees, services, ...)`);
  }
  const result = RepoConfigSchema.safeParse(raw);
  if (!result.success) {
    const { issues } = result.error;
    // In the order of the file, the way a person fixes them; settings the file lacks come last.
    const problems = issues
      .map((issue) => describeIssue(issue, raw, doc, lines))
      .sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
    const rest = problems.length - 3;
    const more = rest > 0 ? ` (and ${rest} more problem${rest === 1 ? "" : "s"})` : "";
    return defaultsBecause(
      `${CONFIG_PATH}: ${problems
        .slice(0, 3)
        .map((p) => p.text)
        .join("; ")}${more}`,
    );
  }
  const known = new Set(Object.keys(RepoConfigSchema.shape));
  const unknown = Object.keys(raw).filter((key) => !known.has(key));
  // One pass over the top-level keys for their lines (looking each up was quadratic).
  const topLines = topLevelLines(doc, lines);
  const warnings = unknown
    .slice(0, MAX_UNKNOWN_WARNINGS)
    .map(
      (key) =>
        `${CONFIG_PATH}: unknown setting "${key.slice(0, 60)}" (line ${topLines.get(key)}) was ignored (known: ${[...known].join(", ")})`,
    );
  const rest = unknown.length - MAX_UNKNOWN_WARNINGS;
  if (rest > 0) warnings.push(`${CONFIG_PATH}: and ${rest} more unknown settings were ignored`);
  const config = result.data;
  const services = Object.fromEntries(
    Object.entries(config.services).map(([name, globs]) => [
      name,
      safeGlobs(`services.${name.slice(0, 60)}`, globs, warnings),
    ]),
  );
  const riskyPaths = config.riskyPaths && safeGlobs("riskyPaths", config.riskyPaths, warnings);
  return {
    config: { ...config, services, ...(riskyPaths ? { riskyPaths } : {}) },
    error: null,
    warnings,
  };
}

function topLevelLines(doc: Document, lines: LineCounter): Map<string, number> {
  const found = new Map<string, number>();
  if (!isMap(doc.contents)) return found;
  for (const pair of doc.contents.items) {
    const key = pair.key;
    if (isScalar(key) && key.range) found.set(String(key.value), lines.linePos(key.range[0]).line);
  }
  return found;
}

/** ["services", "checkout", 0] → "services.checkout[0]" */
function yamlPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`))
    .join("");
}

const NOUNS: Record<string, string> = {
  string: "a string",
  number: "a number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping",
  record: "a mapping",
};

function kindOf(value: unknown): string {
  if (value === null) return "nothing (null)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "boolean") return "true or false";
  return `a ${typeof value}`;
}

function valueAt(raw: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = raw;
  for (const part of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

/** `services.checkout[0] must be a string, not a number (line 4)`: the setting, the problem, the line. */
function describeIssue(
  issue: z.core.$ZodIssue,
  raw: unknown,
  doc: Document,
  lines: LineCounter,
): { text: string; line: number | undefined } {
  const where = issue.path.length ? yamlPath(issue.path) : "(top level)";
  let problem: string;
  if (issue.code === "invalid_type") {
    const found = valueAt(raw, issue.path);
    problem =
      found === undefined
        ? "is required"
        : `must be ${NOUNS[issue.expected] ?? issue.expected}, not ${kindOf(found)}`;
  } else if (issue.message.startsWith("must")) {
    problem = issue.message;
  } else {
    problem = `is invalid: ${issue.message.replace(/^Invalid input: /, "")}`;
  }
  const line = lineOf(doc, lines, issue.path);
  return { text: `${where} ${problem}${line === undefined ? "" : ` (line ${line})`}`, line };
}

/**
 * The line of the deepest part of `path` present in the file: the key of a mapping entry, the item of
 * a list. Undefined when the file says nothing about it (a setting left to its default).
 */
function lineOf(doc: Document, lines: LineCounter, path: ReadonlyArray<PropertyKey>): number | undefined {
  for (let n = path.length; n > 0; n--) {
    const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1) as unknown[], true);
    const last = path[n - 1]!;
    let node: unknown;
    if (isMap(parent)) {
      node = parent.items.find(
        (pair) => String(isScalar(pair.key) ? pair.key.value : pair.key) === String(last),
      )?.key;
    } else if (isSeq(parent) && typeof last === "number") {
      node = parent.items[last];
    }
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

function defaultsBecause(error: string): ParsedRepoConfig {
  return { config: DEFAULT_REPO_CONFIG, error: `${error}; the defaults were used`, warnings: [] };
}
