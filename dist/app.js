import { createRequire as __aftershockCreateRequire } from 'node:module'; const require = __aftershockCreateRequire(import.meta.url);

// src/core/repo-config.ts
import { parse as parseYaml } from "yaml";
import { z } from "zod";

// src/core/duration.ts
var UNITS = { ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
function parseDuration(text, what = "duration") {
  const s = String(text).trim();
  if (/^\d+(\.\d+)?$/.test(s)) return positive(Number(s), what, text);
  if (/^-\d/.test(s)) throw new Error(`${what} "${text}" must be greater than zero`);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * UNITS[m[2]];
    matched = re.lastIndex;
  }
  if (s === "" || matched !== s.length) {
    throw new Error(
      `${what} "${text}" is not a duration: use a number with a unit, like 30s, 10m, 1h or 1h30m`
    );
  }
  return positive(total, what, text);
}
function positive(seconds, what, text) {
  if (!(seconds > 0)) throw new Error(`${what} "${text}" must be greater than zero`);
  return seconds;
}

// src/core/repo-config.ts
var labelName = z.string().trim().min(1).max(50);
var LabelsSchema = z.object({
  /** Marks an issue as an incident; also how open incidents are found again. */
  incident: labelName.default("incident"),
  /** Added when the alert group resolves. */
  resolved: labelName.default("resolved"),
  /** Added to every incident. */
  extra: z.array(labelName).default([])
});
var RepoConfigSchema = z.object({
  // `labels: [ops, team-a]` is shorthand for extra labels.
  labels: z.union([z.array(labelName).transform((extra) => LabelsSchema.parse({ extra })), LabelsSchema]).default(LabelsSchema.parse({})),
  /** On-call: assigned to every new incident. */
  assignees: z.array(z.string().trim().min(1)).default([]),
  /** Path globs that belong to each service, for scoring suspects. */
  services: z.record(z.string(), z.array(z.string())).default({}),
  /** Globs of risky paths; unset lets the scorer use its defaults. */
  riskyPaths: z.array(z.string()).optional(),
  /** How far before the alert deployments are considered, as a duration ("24h", "90m"). */
  lookback: z.string().default("24h").refine((text) => isDuration(text), { message: 'must be a duration like "24h", "90m" or "2d"' }),
  /** The alert label naming the repository ("owner/name"). */
  repositoryLabel: z.string().trim().min(1).default("repository"),
  /** Close the incident when its alert group resolves (it is always labelled resolved). */
  closeOnResolve: z.boolean().default(false),
  /** Deployment environments; the first is used when an alert names none. */
  environments: z.array(z.string().trim().min(1)).min(1).default(["production"])
});
var CONFIG_PATH = ".github/aftershock.yml";
var DEFAULT_REPO_CONFIG = RepoConfigSchema.parse({});
function isDuration(text) {
  try {
    parseDuration(text);
    return true;
  } catch {
    return false;
  }
}
function lookbackSeconds(config) {
  return parseDuration(config.lookback, "lookback");
}
function parseRepoConfig(text) {
  let raw;
  try {
    raw = parseYaml(text);
  } catch (err) {
    return defaultsBecause(`${CONFIG_PATH} is not valid YAML: ${err.message.split("\n")[0]}`);
  }
  if (raw === null || raw === void 0) return { config: DEFAULT_REPO_CONFIG, error: null, warnings: [] };
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
  const warnings2 = Object.keys(raw).filter((key) => !known.has(key)).map((key) => `${CONFIG_PATH}: unknown setting "${key}" was ignored (known: ${[...known].join(", ")})`);
  return { config: result.data, error: null, warnings: warnings2 };
}
function defaultsBecause(error) {
  return { config: DEFAULT_REPO_CONFIG, error: `${error}; the defaults were used`, warnings: [] };
}

// src/github/repo-config.ts
async function loadRepoConfig(octokit, repo) {
  let data;
  try {
    ({ data } = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      ...repo,
      path: CONFIG_PATH
    }));
  } catch (err) {
    if (err.status === 404) {
      return { config: DEFAULT_REPO_CONFIG, error: null, warnings: [] };
    }
    throw err;
  }
  const file = data;
  if (Array.isArray(data) || file.type !== "file" || typeof file.content !== "string") {
    return {
      config: DEFAULT_REPO_CONFIG,
      error: `${CONFIG_PATH} is not a file; the defaults were used`,
      warnings: []
    };
  }
  const text = file.encoding === "base64" ? Buffer.from(file.content, "base64").toString("utf8") : file.content;
  return parseRepoConfig(text);
}

// src/app/http.ts
var HttpError = class extends Error {
  constructor(status, message, field, headers = {}) {
    super(message);
    this.status = status;
    this.field = field;
    this.headers = headers;
    this.name = "HttpError";
  }
  status;
  field;
  headers;
};
function sendJson(res, status, body, headers = {}) {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers
  });
  res.end(text);
}

// src/core/incident-record.ts
import { z as z3 } from "zod";

// src/core/response-state.ts
import { z as z2 } from "zod";
var ActionItemSchema = z2.object({
  text: z2.string(),
  /** When it was recorded (ISO 8601). */
  at: z2.string(),
  /** The issue filed for it, once filed. */
  issue: z2.number().int().positive().optional()
});
var RollbackSchema = z2.object({
  /** The suspect PR being reverted. */
  pr: z2.number().int().positive(),
  /** The revert PR aftershock opened. */
  revertPr: z2.number().int().positive().optional(),
  url: z2.string().optional(),
  state: z2.enum(["opened", "merged", "closed"]),
  at: z2.string()
});
var IncidentResponseStateSchema = z2.object({
  acknowledgedAt: z2.string().optional(),
  mitigatedAt: z2.string().optional(),
  resolvedAt: z2.string().optional(),
  /** The /resolve summary. */
  resolution: z2.string().optional(),
  /** The cause as responders know it; without it the post-mortem names the top suspect as suspected. */
  rootCause: z2.object({ pr: z2.number().int().positive().optional(), confirmed: z2.boolean().default(false) }).optional(),
  actionItems: z2.array(ActionItemSchema).default([]),
  rollbacks: z2.array(RollbackSchema).default([]),
  postmortem: z2.object({ path: z2.string(), pr: z2.number().int().positive().optional(), url: z2.string().optional() }).optional(),
  /** `commandKey`s already run, newest last, bounded (see `markHandled`). */
  handled: z2.array(z2.string()).default([])
});

// src/core/incident-record.ts
var RECORD_VERSION = 1;
var MARKER = "aftershock:incident";
var BLOCK = /<!-- aftershock:incident ([A-Za-z0-9+/=]+) -->/;
var AlertStateSchema = z3.object({
  status: z3.enum(["firing", "resolved"]),
  alertname: z3.string(),
  summary: z3.string().optional(),
  startsAt: z3.string(),
  endsAt: z3.string().optional(),
  url: z3.string().optional()
});
var TimelineEntrySchema = z3.object({
  at: z3.string(),
  actor: z3.string(),
  kind: z3.string(),
  text: z3.string()
});
var DeploySchema = z3.object({
  id: z3.union([z3.number(), z3.string()]),
  sha: z3.string(),
  environment: z3.string(),
  createdAt: z3.string(),
  status: z3.string(),
  url: z3.string().optional()
});
var SuspectSchema = z3.object({
  number: z3.number(),
  title: z3.string(),
  author: z3.string(),
  url: z3.string().optional(),
  deploymentId: z3.union([z3.number(), z3.string()]),
  score: z3.number(),
  reasons: z3.array(z3.string())
});
var IncidentRecordSchema = z3.object({
  version: z3.literal(RECORD_VERSION),
  groupKey: z3.string(),
  /** Every alert seen in the group, by Alertmanager fingerprint (for deploy checks: `deploy:<id>`). */
  fingerprints: z3.record(z3.string(), AlertStateSchema),
  status: z3.enum(["firing", "resolved"]),
  severity: z3.enum(["P1", "P2", "P3"]),
  /** The alert name (or "Deploy check failed") shown in the title. */
  name: z3.string(),
  service: z3.string(),
  environment: z3.string(),
  source: z3.enum(["alert", "deploy-check"]),
  deploys: z3.array(DeploySchema),
  suspects: z3.array(SuspectSchema),
  timeline: z3.array(TimelineEntrySchema),
  openedAt: z3.string(),
  /** Problems worth showing in the issue (a bad config file, suspects that could not be ranked). */
  warnings: z3.array(z3.string()).default([]),
  externalURL: z3.string().optional(),
  /** What responders did: acknowledgement, rollbacks, action items, post-mortem, handled commands. */
  response: IncidentResponseStateSchema.optional()
});
function serializeRecord(record) {
  const json = JSON.stringify(record);
  return `<!-- ${MARKER} ${Buffer.from(json, "utf8").toString("base64")} -->`;
}
function parseRecord(body) {
  const match = BLOCK.exec(body ?? "");
  if (!match) return null;
  let json;
  try {
    json = JSON.parse(Buffer.from(match[1], "base64").toString("utf8"));
  } catch {
    return null;
  }
  const result = IncidentRecordSchema.safeParse(json);
  return result.success ? result.data : null;
}
function mergeDelivery(record, delivery, at, actor) {
  const changes = [];
  const fingerprints = { ...record.fingerprints };
  for (const [fingerprint, alert] of Object.entries(delivery.alerts)) {
    const before = fingerprints[fingerprint];
    if (!before) changes.push({ kind: "alert-added", fingerprint, alert });
    else if (before.status !== alert.status)
      changes.push({
        kind: alert.status === "resolved" ? "alert-resolved" : "alert-refired",
        fingerprint,
        alert
      });
    else if (before.endsAt === alert.endsAt && before.summary === alert.summary) continue;
    fingerprints[fingerprint] = { ...alert, startsAt: before?.startsAt ?? alert.startsAt };
  }
  if (delivery.status !== record.status)
    changes.push({ kind: delivery.status === "resolved" ? "resolved" : "refired" });
  const timeline = [...record.timeline, ...changes.map((change) => timelineEntry(change, at, actor))];
  return { record: { ...record, fingerprints, status: delivery.status, timeline }, changes };
}
function timelineEntry(change, at, actor) {
  return { at, actor, kind: change.kind, text: describeChange(change) };
}
function describeChange(change) {
  switch (change.kind) {
    case "alert-added":
      return `New alert ${change.alert.alertname} (${change.fingerprint}) is ${change.alert.status}`;
    case "alert-resolved":
      return `Alert ${change.alert.alertname} (${change.fingerprint}) resolved`;
    case "alert-refired":
      return `Alert ${change.alert.alertname} (${change.fingerprint}) fired again`;
    case "resolved":
      return "The alert group resolved";
    case "refired":
      return "The alert group fired again";
  }
}
function serializedSize(record) {
  return serializeRecord(record).length;
}
function compactRecord(record, budget = 3e4) {
  if (serializedSize(record) <= budget) return record;
  const steps = [
    { detailed: Infinity, summary: 200, timeline: 200, name: 200 },
    { detailed: 50, summary: 200, timeline: 100, name: 100 },
    { detailed: 10, summary: 100, timeline: 30, name: 60 },
    { detailed: 0, summary: 0, timeline: 10, name: 40 },
    // Last resort (hundreds of alerts): only fingerprint and status, which deduplication needs.
    { detailed: 0, summary: 0, timeline: 10, name: 0 }
  ];
  let compacted = record;
  for (const step of steps) {
    compacted = {
      ...record,
      fingerprints: Object.fromEntries(
        Object.entries(record.fingerprints).map(([fp, alert], i) => {
          const { summary: summary2, url, ...rest } = alert;
          const kept = { ...rest, alertname: alert.alertname.slice(0, step.name) };
          if (step.name === 0) kept.startsAt = "";
          if (i >= step.detailed) return [fp, kept];
          return [
            fp,
            {
              ...kept,
              ...summary2 ? { summary: summary2.slice(0, step.summary) } : {},
              ...url ? { url } : {}
            }
          ];
        })
      ),
      timeline: record.timeline.slice(-step.timeline)
    };
    if (serializedSize(compacted) <= budget) return compacted;
  }
  return compacted;
}

// src/core/scoring.ts
import picomatch from "picomatch";
import { z as z4 } from "zod";
var DEFAULT_WEIGHTS = Object.freeze({
  proximity: 0.35,
  servicePaths: 0.2,
  riskyPaths: 0.15,
  size: 0.1,
  checkFailed: 0.2
});
var DEFAULT_RISKY_PATHS = Object.freeze([
  "**/migrations/**",
  "**/migrate/**",
  "**/*.sql",
  "**/package.json",
  "**/package-lock.json",
  "**/yarn.lock",
  "**/pnpm-lock.yaml",
  "**/go.mod",
  "**/go.sum",
  "**/requirements*.txt",
  "**/Gemfile",
  "**/Gemfile.lock",
  "**/Cargo.toml",
  "**/Cargo.lock",
  "**/config/**/*.{yaml,yml}",
  "**/deploy/**/*.{yaml,yml}",
  "**/Dockerfile",
  "**/Dockerfile.*",
  "**/helm/**",
  "**/terraform/**"
]);
var DEFAULT_LOOKBACK_SECONDS = 24 * 60 * 60;
var DEFAULT_HALF_LIFE_MINUTES = 30;
var LARGE_CHANGE_LINES = 500;
var LARGE_CHANGE_FILES = 20;
var SHIPPED_STATUSES = /* @__PURE__ */ new Set(["success", "inactive"]);
function isShipped(d) {
  return SHIPPED_STATUSES.has(d.status.toLowerCase()) || d.checkFailed === true;
}
function rankSuspects(c, opts = {}) {
  const weights = { ...DEFAULT_WEIGHTS, ...opts.weights };
  const halfLife = opts.halfLifeMinutes ?? DEFAULT_HALF_LIFE_MINUTES;
  const alertAt = Date.parse(c.alert.startsAt);
  if (Number.isNaN(alertAt))
    throw new Error(`alert.startsAt: expected an ISO 8601 date, got "${c.alert.startsAt}"`);
  const nowMs = opts.now === void 0 ? Infinity : new Date(opts.now).getTime();
  const latest = Math.min(alertAt, nowMs);
  const lookbackMs = (c.config?.lookbackSeconds ?? DEFAULT_LOOKBACK_SECONDS) * 1e3;
  const environment = c.alert.labels.environment;
  const service = c.alert.labels.service;
  const deployments = /* @__PURE__ */ new Map();
  for (const d of c.deployments) {
    const at = Date.parse(d.createdAt);
    if (Number.isNaN(at) || at > latest || at < alertAt - lookbackMs) continue;
    if (environment !== void 0 && d.environment !== environment) continue;
    if (!isShipped(d)) continue;
    deployments.set(String(d.id), { d, at });
  }
  const serviceGlobs = service === void 0 ? [] : c.config?.services?.[service] ?? [];
  const serviceMatchers = serviceGlobs.map((g) => ({ glob: g, test: picomatch(g, { dot: true }) }));
  const isRisky = picomatch([...c.config?.riskyPaths ?? DEFAULT_RISKY_PATHS], { dot: true });
  const seen = /* @__PURE__ */ new Set();
  const scored = [];
  for (const p of c.pulls) {
    const dep = deployments.get(String(p.deploymentId));
    if (dep === void 0 || seen.has(p.number)) continue;
    seen.add(p.number);
    scored.push(
      scorePull(p, dep.d, alertAt - dep.at, { weights, halfLife, service, serviceMatchers, isRisky })
    );
  }
  const deployedAt = (s) => Date.parse(s.deployedAt);
  return scored.sort((a, b) => b.score - a.score || deployedAt(b) - deployedAt(a) || a.number - b.number);
}
function scorePull(p, d, ageMs, ctx) {
  const { weights } = ctx;
  const paths = p.files.map((f) => f.path);
  const reasons = [];
  const factors = { proximity: 0, servicePaths: 0, riskyPaths: 0, size: 0, checkFailed: 0 };
  factors.proximity = weights.proximity * Math.pow(0.5, ageMs / 6e4 / ctx.halfLife);
  reasons.push(`deployed ${formatAge(ageMs)} before the alert${signed(factors.proximity)}`);
  const matchedGlobs = ctx.serviceMatchers.filter((m) => paths.some((path) => m.test(path))).map((m) => m.glob);
  if (matchedGlobs.length > 0) {
    factors.servicePaths = weights.servicePaths;
    reasons.push(
      `touches paths of service ${ctx.service}: ${matchedGlobs.join(", ")}${signed(factors.servicePaths)}`
    );
  }
  const risky = paths.filter((path) => ctx.isRisky(path));
  if (risky.length > 0) {
    factors.riskyPaths = weights.riskyPaths;
    reasons.push(`touches risky paths: ${listSome(risky, 3)}${signed(factors.riskyPaths)}`);
  }
  const lines = p.additions + p.deletions;
  const sizeShare = Math.min(1, Math.max(lines / LARGE_CHANGE_LINES, p.files.length / LARGE_CHANGE_FILES));
  factors.size = weights.size * sizeShare;
  if (factors.size > 0) {
    const what = sizeShare >= 1 ? "large change" : "change size";
    const files = `${p.files.length} file${p.files.length === 1 ? "" : "s"}`;
    reasons.push(`${what}: ${lines} lines in ${files}${signed(factors.size)}`);
  }
  if (d.checkFailed === true) {
    factors.checkFailed = weights.checkFailed;
    reasons.push(`the deploy check failed for deploy ${d.id}${signed(factors.checkFailed)}`);
  }
  const total = factors.proximity + factors.servicePaths + factors.riskyPaths + factors.size + factors.checkFailed;
  const suspect = {
    number: p.number,
    title: p.title,
    author: p.author,
    deploymentId: d.id,
    deploymentSha: d.sha,
    deployedAt: d.createdAt,
    score: round3(Math.min(1, Math.max(0, total))),
    reasons,
    files: paths,
    factors: {
      proximity: round3(factors.proximity),
      servicePaths: round3(factors.servicePaths),
      riskyPaths: round3(factors.riskyPaths),
      size: round3(factors.size),
      checkFailed: round3(factors.checkFailed)
    }
  };
  if (p.url !== void 0) suspect.url = p.url;
  return suspect;
}
function round3(x) {
  return Math.round(x * 1e3) / 1e3;
}
function signed(x) {
  return ` (+${x.toFixed(2)})`;
}
function listSome(items, max) {
  const shown = items.slice(0, max).join(", ");
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}
function formatAge(ms) {
  const seconds = Math.max(0, Math.round(ms / 1e3));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}
var ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
var isoDate = z4.string({ error: "expected an ISO 8601 date" }).refine((s) => ISO_8601.test(s) && !Number.isNaN(Date.parse(s)), {
  message: "expected an ISO 8601 date (e.g. 2024-05-01T12:00:00Z)"
});
var count = z4.number({ error: "expected a number" }).int().nonnegative();
var id = z4.union([z4.number(), z4.string().min(1)], { error: "expected a number or a non-empty string" });
var stringRecord = z4.record(z4.string(), z4.string({ error: "expected a string" }));
var fileSchema = z4.object({
  path: z4.string().min(1),
  additions: count.default(0),
  deletions: count.default(0)
});
var caseSchema = z4.object({
  alert: z4.object({
    startsAt: isoDate,
    labels: stringRecord.default({}),
    annotations: stringRecord.optional()
  }),
  deployments: z4.array(
    z4.object({
      id,
      sha: z4.string().min(1),
      environment: z4.string(),
      createdAt: isoDate,
      // A case file usually lists only the deployments that went out.
      status: z4.string().default("success"),
      checkFailed: z4.boolean().optional(),
      url: z4.string().optional()
    })
  ),
  pulls: z4.array(
    z4.object({
      number: z4.number().int().positive(),
      title: z4.string().default(""),
      author: z4.string().default(""),
      mergedAt: isoDate,
      deploymentId: id,
      additions: count.optional(),
      deletions: count.optional(),
      files: z4.array(fileSchema).default([]),
      url: z4.string().optional(),
      mergeCommitSha: z4.string().optional()
    }).transform(({ additions, deletions, ...p }) => ({
      ...p,
      additions: additions ?? p.files.reduce((n, f) => n + f.additions, 0),
      deletions: deletions ?? p.files.reduce((n, f) => n + f.deletions, 0)
    }))
  ),
  config: z4.object({
    services: z4.record(z4.string(), z4.array(z4.string())).optional(),
    riskyPaths: z4.array(z4.string()).optional(),
    lookbackSeconds: z4.number().positive().optional()
  }).optional()
});

// src/github/request-counter.ts
function countRequests(octokit) {
  const calls = [];
  const hook = (options) => {
    calls.push(`${options.method ?? "GET"} ${options.url ?? ""}`);
  };
  octokit.hook.before("request", hook);
  return {
    get count() {
      return calls.length;
    },
    calls,
    stop() {
      octokit.hook.remove("request", hook);
    }
  };
}

// src/github/history.ts
var PAGE = 100;
var MAX_DEPLOYMENT_PAGES = 10;
var MAX_HISTORY_ROUNDS = 10;
var ALIASES_PER_QUERY = 20;
var DEPLOYMENTS_QUERY = `
query ($owner: String!, $repo: String!, $environment: String!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    deployments(environments: [$environment], first: ${PAGE}, after: $cursor, orderBy: {field: CREATED_AT, direction: DESC}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        databaseId
        createdAt
        commitOid
        commit { committedDate }
        latestStatus { state description logUrl environmentUrl }
      }
    }
  }
}`;
var PULL_FIELDS = `
fragment pullFields on PullRequest {
  number
  title
  url
  mergedAt
  additions
  deletions
  author { login }
  mergeCommit { oid }
  files(first: 100) { nodes { path additions deletions } }
}`;
async function fetchHistory(octokit, opts) {
  const counter = countRequests(octokit);
  try {
    const all = await fetchDeployments(octokit, opts);
    const shipped = all.filter((d) => isShipped(d.ref)).sort(byCreatedAt);
    const inRange = (d) => {
      const t = Date.parse(d.ref.createdAt);
      return t >= opts.since.getTime() && t <= opts.until.getTime();
    };
    const walks = [];
    shipped.forEach((d, i) => {
      if (inRange(d))
        walks.push({ deployment: d, base: shipped[i - 1], cursor: null, done: false, commits: [] });
    });
    await walkHistories(octokit, opts, walks);
    const pulls = [];
    const attributed = /* @__PURE__ */ new Set();
    for (const walk of walks) {
      for (const commit of walk.commits) {
        for (const pr of commit.associatedPullRequests?.nodes ?? []) {
          if (pr === null || pr.mergedAt === null || attributed.has(pr.number)) continue;
          attributed.add(pr.number);
          pulls.push(toPullRef(pr, walk.deployment.ref.id));
        }
      }
    }
    return { deployments: walks.map((w) => w.deployment.ref), pulls, requests: counter.count };
  } finally {
    counter.stop();
  }
}
async function fetchDeployments(octokit, opts) {
  const out = [];
  let cursor = null;
  for (let page = 0; page < MAX_DEPLOYMENT_PAGES; page++) {
    const res = await octokit.graphql(DEPLOYMENTS_QUERY, {
      owner: opts.owner,
      repo: opts.repo,
      environment: opts.environment,
      cursor
    });
    if (res.repository === null) {
      throw new Error(`repository ${opts.owner}/${opts.repo} not found, or the token cannot read it`);
    }
    const { nodes, pageInfo } = res.repository.deployments;
    for (const node of nodes) if (node !== null) out.push(toShipped(node, opts.environment));
    const reachedBase = out.some(
      (d) => isShipped(d.ref) && Date.parse(d.ref.createdAt) < opts.since.getTime()
    );
    if (!pageInfo.hasNextPage || reachedBase) break;
    cursor = pageInfo.endCursor;
  }
  return out;
}
function toShipped(node, environment) {
  const state = node.latestStatus?.state.toLowerCase() ?? "pending";
  const ref = {
    id: node.databaseId ?? node.id,
    sha: node.commitOid,
    environment,
    createdAt: node.createdAt,
    status: state,
    // aftershock's gate marks a deployment failure when its check fails; other tools may too, so any failure counts.
    checkFailed: state === "failure" || state === "error"
  };
  const url = node.latestStatus?.logUrl ?? node.latestStatus?.environmentUrl;
  if (url) ref.url = url;
  return { ref, committedDate: node.commit?.committedDate };
}
async function walkHistories(octokit, opts, walks) {
  for (let round = 0; round < MAX_HISTORY_ROUNDS; round++) {
    const open = walks.filter((w) => !w.done);
    if (open.length === 0) return;
    for (let start = 0; start < open.length; start += ALIASES_PER_QUERY) {
      const chunk = open.slice(start, start + ALIASES_PER_QUERY);
      const { query, variables } = historyQuery(chunk);
      const res = await octokit.graphql(query, {
        owner: opts.owner,
        repo: opts.repo,
        ...variables
      });
      chunk.forEach((walk, i) => {
        const history = res.repository?.[`d${i}`]?.history;
        if (history === void 0) {
          walk.done = true;
          return;
        }
        for (const commit of history.nodes) {
          if (commit === null) continue;
          if (commit.oid === walk.base?.ref.sha) {
            walk.done = true;
            return;
          }
          walk.commits.push(commit);
        }
        if (!history.pageInfo.hasNextPage || walk.base === void 0) walk.done = true;
        else walk.cursor = history.pageInfo.endCursor;
      });
    }
  }
}
function historyQuery(walks) {
  const params = ["$owner: String!", "$repo: String!"];
  const variables = {};
  const aliases = walks.map((walk, i) => {
    params.push(`$oid${i}: GitObjectID!`, `$since${i}: GitTimestamp`, `$after${i}: String`);
    variables[`oid${i}`] = walk.deployment.ref.sha;
    variables[`since${i}`] = walk.base?.committedDate ?? null;
    variables[`after${i}`] = walk.cursor;
    return `
    d${i}: object(oid: $oid${i}) {
      ... on Commit {
        history(first: ${PAGE}, since: $since${i}, after: $after${i}) {
          pageInfo { hasNextPage endCursor }
          nodes { oid associatedPullRequests(first: 1) { nodes { ...pullFields } } }
        }
      }
    }`;
  });
  const query = `query (${params.join(", ")}) {
  repository(owner: $owner, name: $repo) {${aliases.join("")}
  }
}
${PULL_FIELDS}`;
  return { query, variables };
}
function toPullRef(pr, deploymentId) {
  const ref = {
    number: pr.number,
    title: pr.title,
    author: pr.author?.login ?? "ghost",
    mergedAt: pr.mergedAt ?? "",
    deploymentId,
    additions: pr.additions,
    deletions: pr.deletions,
    files: (pr.files?.nodes ?? []).flatMap(
      (f) => f === null ? [] : [{ path: f.path, additions: f.additions, deletions: f.deletions }]
    ),
    url: pr.url
  };
  if (pr.mergeCommit) ref.mergeCommitSha = pr.mergeCommit.oid;
  return ref;
}
function byCreatedAt(a, b) {
  return Date.parse(a.ref.createdAt) - Date.parse(b.ref.createdAt);
}

// src/app/pipeline/correlate.ts
async function correlate(octokit, repo, request, config) {
  const lookback = lookbackSeconds(config);
  const end = request.until;
  const start = request.deployment ? new Date(request.deployment.createdAt) : end;
  const since = new Date(start.getTime() - lookback * 1e3);
  try {
    const history = await fetchHistory(octokit, {
      ...repo,
      environment: request.environment,
      since,
      until: end
    });
    const deployments = withFailedDeployment(history.deployments, request.deployment);
    let suspects = rankSuspects({
      alert: request.alert,
      deployments,
      pulls: history.pulls,
      config: { services: config.services, riskyPaths: config.riskyPaths, lookbackSeconds: lookback }
    });
    const target = request.deployment;
    if (target) suspects = suspects.filter((s) => String(s.deploymentId) === String(target.id));
    return {
      requests: history.requests,
      deploys: deployments.map((d) => ({
        id: d.id,
        sha: d.sha,
        environment: d.environment,
        createdAt: d.createdAt,
        status: d.status,
        ...d.url ? { url: d.url } : {}
      })),
      suspects: suspects.map((s) => ({
        number: s.number,
        title: s.title,
        author: s.author,
        ...s.url ? { url: s.url } : {},
        deploymentId: s.deploymentId,
        score: s.score,
        reasons: s.reasons
      }))
    };
  } catch (err) {
    return {
      requests: 0,
      deploys: [],
      suspects: [],
      warning: `Suspects could not be ranked (${err.message}); the incident was opened without them`
    };
  }
}
function withFailedDeployment(deployments, failed) {
  if (!failed) return deployments;
  const found = deployments.some((d) => String(d.id) === String(failed.id));
  const marked = deployments.map(
    (d) => String(d.id) === String(failed.id) ? { ...d, checkFailed: true } : d
  );
  return found ? marked : [...marked, { ...failed, checkFailed: true }];
}

// src/github/incidents.ts
function labelNames(labels2) {
  return labels2.map((l) => typeof l === "string" ? l : l.name ?? "").filter((l) => l !== "");
}
async function findOpenIncident(octokit, ref) {
  const issues = await octokit.paginate("GET /repos/{owner}/{repo}/issues", {
    owner: ref.owner,
    repo: ref.repo,
    state: "open",
    labels: ref.label,
    sort: "created",
    direction: "asc",
    per_page: 100
  });
  for (const issue of issues) {
    if (issue.pull_request) continue;
    const record = parseRecord(issue.body);
    if (record?.groupKey === ref.groupKey) {
      return { number: issue.number, url: issue.html_url, labels: labelNames(issue.labels), record };
    }
  }
  return null;
}
async function createIncidentIssue(octokit, ref, issue) {
  try {
    const { data } = await octokit.request("POST /repos/{owner}/{repo}/issues", { ...ref, ...issue });
    return { number: data.number, url: data.html_url };
  } catch (err) {
    if (err.status !== 422 || issue.assignees.length === 0) throw err;
    const { data } = await octokit.request("POST /repos/{owner}/{repo}/issues", {
      ...ref,
      ...issue,
      assignees: []
    });
    return {
      number: data.number,
      url: data.html_url,
      assigneeError: `GitHub refused the assignees ${issue.assignees.join(", ")} (they must be collaborators with access to the repository)`
    };
  }
}
async function updateIncidentIssue(octokit, ref, update) {
  await octokit.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
    owner: ref.owner,
    repo: ref.repo,
    issue_number: ref.number,
    ...update
  });
}
async function commentOnIncident(octokit, ref, body) {
  await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    owner: ref.owner,
    repo: ref.repo,
    issue_number: ref.number,
    body
  });
}

// src/app/pipeline/dedupe.ts
function lockKey(repo, groupKey) {
  return `${repo.owner.toLowerCase()}/${repo.repo.toLowerCase()}#${groupKey}`;
}
async function dedupe(deps, target, fn) {
  return deps.lock.withLock(lockKey(target.repo, target.groupKey), async () => {
    const existing = await findOpenIncident(deps.octokit, {
      ...target.repo,
      label: target.label,
      groupKey: target.groupKey
    });
    return fn(existing);
  });
}

// src/core/markdown.ts
var ZWJ = "\u200D";
var ELLIPSIS = "\u2026";
var CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g;
var NEWLINES = /\r\n|\r|\n/g;
var MARKDOWN_SPECIALS = /[\\`*_{}[\]()#+\-!|~]/g;
function truncate(text, maxLength) {
  const chars = Array.from(text);
  if (chars.length <= maxLength) return text;
  if (maxLength <= 0) return "";
  return chars.slice(0, maxLength - 1).join("") + ELLIPSIS;
}
function defuseMentions(text) {
  return text.replace(/@/g, `@${ZWJ}`);
}
function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
function escapeMarkdown(text, maxLength = 500) {
  const plain = truncate(String(text ?? "").replace(CONTROL, ""), maxLength);
  const escaped = escapeHtml(plain).replace(MARKDOWN_SPECIALS, (c) => `\\${c}`);
  return defuseMentions(escaped).replace(NEWLINES, "<br>");
}
function code(text, maxLength = 200, options = {}) {
  let body = truncate(String(text ?? "").replace(CONTROL, ""), maxLength).replace(NEWLINES, " ");
  if (options.table) body = body.replace(/\|/g, "\\|");
  if (body === "") return "` `";
  const longest = Math.max(0, ...Array.from(body.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = body.startsWith("`") || body.endsWith("`") || /^ .* $/.test(body) ? " " : "";
  return `${fence}${pad}${body}${pad}${fence}`;
}
function oneLine(text, maxLength = 200) {
  const collapsed = String(text ?? "").replace(CONTROL, "").replace(/\s+/g, " ").trim();
  return defuseMentions(truncate(collapsed, maxLength));
}
function safeUrl(url) {
  if (typeof url !== "string" || url === "") return null;
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
  return parsed.href.replace(
    /[()<>\s"'`|]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`
  );
}
function link(text, url, maxLength = 200) {
  const label = escapeMarkdown(text, maxLength);
  const target = safeUrl(url);
  return target ? `[${label}](${target})` : label;
}

// src/core/severity.ts
var DEFAULT_SEVERITY_BANDS = [
  { severity: "P1", min: 0.05, exclusive: true },
  { severity: "P2", min: 0.01 },
  { severity: "P3", min: 0 }
];
var RANK = { P1: 1, P2: 2, P3: 3 };
function severityFor(value, bands = DEFAULT_SEVERITY_BANDS) {
  const sorted = [...bands].sort((a, b) => b.min - a.min || Number(!!b.exclusive) - Number(!!a.exclusive));
  for (const band of sorted) if (band.exclusive ? value > band.min : value >= band.min) return band.severity;
  return sorted.at(-1)?.severity ?? "P3";
}
function worstSeverity(severities) {
  let worst = null;
  for (const s of severities) if (s && (!worst || RANK[s] < RANK[worst])) worst = s;
  return worst;
}

// src/core/render-incident.ts
var INCIDENT_COMMANDS = [
  { command: "/ack", help: "acknowledge: you are on it" },
  { command: "/severity P1|P2|P3", help: "change the severity" },
  { command: "/rollback [#PR]", help: "open a revert PR for the top suspect (or the one named)" },
  { command: "/resolve", help: "mark the incident resolved" },
  { command: "/postmortem", help: "draft the post-mortem" },
  { command: "/help", help: "list the commands" }
];
var MAX_BODY = 6e4;
var MAX_BLOCK = 3e4;
function severityFromLabel(value) {
  const v = (value ?? "").trim().toLowerCase();
  if (v === "p1" || v === "critical") return "P1";
  if (v === "p2" || v === "warning") return "P2";
  if (v === "p3" || v === "info") return "P3";
  return null;
}
function ratioFrom(text) {
  if (text === void 0) return null;
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*(%?)\s*$/i.exec(text);
  if (!m) return null;
  const n = Number(m[1]) / (m[2] ? 100 : 1);
  return Number.isFinite(n) ? n : null;
}
function alertSeverity(alert, bands = DEFAULT_SEVERITY_BANDS) {
  const fromLabel = severityFromLabel(alert.labels["severity"]);
  if (fromLabel) return fromLabel;
  const ratio = ratioFrom(alert.annotations?.["error_ratio"]) ?? ratioFrom(alert.annotations?.["value"]);
  return ratio === null ? null : severityFor(ratio, bands);
}
function groupSeverity(alerts, bands = DEFAULT_SEVERITY_BANDS) {
  return worstSeverity(alerts.map((a) => alertSeverity(a, bands))) ?? "P3";
}
function incidentTitle(record) {
  return oneLine(`[${record.severity}] ${record.name}: ${record.service} in ${record.environment}`, 240);
}
function incidentLabels(record, labels2) {
  const all = [
    labels2.incident,
    `severity:${record.severity}`,
    `service:${record.service}`,
    `env:${record.environment}`,
    ...labels2.extra,
    ...record.status === "resolved" ? [labels2.resolved] : []
  ];
  return [...new Set(all.map((l) => oneLine(l.replace(/,/g, " "), 50)))];
}
function renderIncidentBody(full) {
  const record = compactRecord(full, MAX_BLOCK);
  const generous = render(record, { alerts: 50, timeline: 100, deploys: 30, suspects: 10 });
  if (generous.length <= MAX_BODY) return generous;
  return render(record, { alerts: 10, timeline: 20, deploys: 10, suspects: 5 });
}
function render(record, limits) {
  return [
    summary(record),
    warnings(record),
    alertsTable(record, limits.alerts),
    suspectsSection(record, limits.suspects),
    deploysSection(record, limits.deploys),
    timelineSection(record, limits.timeline),
    footer(),
    serializeRecord(record)
  ].filter((part) => part !== "").join("\n\n");
}
function summary(record) {
  const source = record.source === "alert" ? "Alertmanager alert" : "failed deploy check";
  const status = record.status === "resolved" ? "\u2705 resolved" : "\u{1F525} firing";
  const external = link("Alertmanager", record.externalURL);
  return [
    `## ${escapeMarkdown(record.name, 120)}: ${escapeMarkdown(record.service, 80)} in ${escapeMarkdown(record.environment, 80)}`,
    "",
    `**Severity:** ${record.severity} \xB7 **Status:** ${status} \xB7 **Source:** ${source} \xB7 **Opened:** ${record.openedAt}`,
    `**Group:** ${code(record.groupKey, 200)}${record.externalURL ? ` \xB7 ${external}` : ""}`
  ].join("\n");
}
function warnings(record) {
  if (record.warnings.length === 0) return "";
  return ["> [!WARNING]", ...record.warnings.map((w) => `> ${escapeMarkdown(w, 400)}`)].join("\n");
}
function more(total, shown, what) {
  return total > shown ? `

\u2026and ${total - shown} more ${what}.` : "";
}
function alertsTable(record, limit) {
  const rows = Object.entries(record.fingerprints);
  const lines = rows.slice(0, limit).map(([fingerprint, a]) => {
    const name = link(a.alertname, a.url, 120);
    return `| ${a.status} | ${name} | ${escapeMarkdown(a.summary ?? "", 300)} | ${escapeMarkdown(a.startsAt, 40)} | ${code(fingerprint, 40, { table: true })} |`;
  });
  return [
    "### Alerts",
    "",
    "| Status | Alert | Summary | Started | Fingerprint |",
    "| --- | --- | --- | --- | --- |",
    ...lines
  ].join("\n") + more(rows.length, lines.length, "alerts");
}
function suspectsSection(record, limit) {
  if (record.suspects.length === 0) {
    return "### Suspects\n\nNo merged pull request was deployed in the lookback window.";
  }
  const lines = record.suspects.slice(0, limit).map((s, i) => {
    const pr = link(`#${s.number} ${s.title}`, s.url, 120);
    const reasons = s.reasons.map((r) => escapeMarkdown(r, 200)).join("; ");
    return `| ${i + 1} | ${pr} | ${s.score.toFixed(2)} | ${code(s.author, 40, { table: true })} | ${reasons} |`;
  });
  return [
    "### Suspects",
    "",
    "| Rank | Pull request | Score | Author | Why |",
    "| --- | --- | --- | --- | --- |",
    ...lines
  ].join("\n") + more(record.suspects.length, lines.length, "suspects");
}
function deploysSection(record, limit) {
  if (record.deploys.length === 0) return "### Deploys considered\n\nNone in the lookback window.";
  const lines = record.deploys.slice(0, limit).map((d) => {
    const id2 = link(String(d.id), d.url, 40);
    return `| ${id2} | ${code(d.sha.slice(0, 12), 12, { table: true })} | ${escapeMarkdown(d.environment, 60)} | ${escapeMarkdown(d.createdAt, 40)} | ${escapeMarkdown(d.status, 20)} |`;
  });
  return [
    "### Deploys considered",
    "",
    "| Deployment | SHA | Environment | Created | Status |",
    "| --- | --- | --- | --- | --- |",
    ...lines
  ].join("\n") + more(record.deploys.length, lines.length, "deploys");
}
function timelineSection(record, limit) {
  const entries = record.timeline.slice(-limit);
  const skipped = record.timeline.length - entries.length;
  const lines = entries.map(
    (e) => `- ${escapeMarkdown(e.at, 40)} \xB7 ${code(e.actor, 60)} \xB7 ${escapeMarkdown(e.text, 300)}`
  );
  return ["### Timeline", "", ...skipped > 0 ? [`- \u2026${skipped} earlier entries`] : [], ...lines].join("\n");
}
function footer() {
  const commands = INCIDENT_COMMANDS.map((c) => `\`${c.command}\` ${c.help}`).join(" \xB7 ");
  return `---
<sub>Comment on this issue to respond: ${commands}.</sub>`;
}
function renderUpdateComment(changes) {
  const lines = changes.map((change) => {
    const icon = change.kind === "resolved" || change.kind === "alert-resolved" ? "\u2705" : "\u{1F525}";
    const detail = "alert" in change && change.alert.summary ? `: ${escapeMarkdown(change.alert.summary, 300)}` : "";
    return `- ${icon} ${escapeMarkdown(describeChange(change), 300)}${detail}`;
  });
  return [
    `**Update from Alertmanager** (${changes.length} change${changes.length === 1 ? "" : "s"})`,
    "",
    ...lines
  ].join("\n");
}

// src/app/pipeline/write.ts
async function createIncident(octokit, repo, record, config) {
  const created = await createIncidentIssue(octokit, repo, {
    title: incidentTitle(record),
    body: renderIncidentBody(record),
    labels: incidentLabels(record, config.labels),
    assignees: config.assignees
  });
  if (created.assigneeError) {
    await commentOnIncident(octokit, { ...repo, number: created.number }, `\u26A0\uFE0F ${created.assigneeError}.`);
  }
  return { outcome: "created", number: created.number, url: created.url };
}
async function updateIncident(octokit, repo, existing, merged, config) {
  const ref = { ...repo, number: existing.number };
  if (merged.changes.length === 0)
    return { outcome: "unchanged", number: existing.number, url: existing.url };
  await commentOnIncident(octokit, ref, renderUpdateComment(merged.changes));
  const resolvedNow = merged.changes.some((c) => c.kind === "resolved");
  await updateIncidentIssue(octokit, ref, {
    body: renderIncidentBody(merged.record),
    labels: mergeLabels(
      existing.labels,
      incidentLabels(merged.record, config.labels),
      config.labels.resolved
    ),
    ...resolvedNow && config.closeOnResolve ? { state: "closed" } : {}
  });
  return { outcome: "updated", number: existing.number, url: existing.url };
}
function mergeLabels(current, wanted, resolvedLabel) {
  const kept = current.filter((l) => !l.startsWith("severity:") && l !== resolvedLabel);
  return [.../* @__PURE__ */ new Set([...kept, ...wanted])];
}

// src/app/pipeline/incident.ts
async function openOrUpdateIncident(ctx, draft, correlation) {
  const { config } = ctx.config;
  const at = ctx.now.toISOString();
  const target = { repo: ctx.repo, label: config.labels.incident, groupKey: draft.groupKey };
  return dedupe(ctx, target, async (existing) => {
    if (existing) {
      const merged = mergeDelivery(existing.record, draft.delivery, at, draft.actor);
      const written2 = await updateIncident(ctx.octokit, ctx.repo, existing, merged, config);
      const event = {
        repo: ctx.repo,
        number: existing.number,
        url: existing.url,
        record: merged.record,
        config
      };
      ctx.events.emit("incident.updated", { ...event, changes: merged.changes.map((c) => c.kind) });
      if (merged.changes.some((c) => c.kind === "resolved")) ctx.events.emit("incident.resolved", event);
      return written2;
    }
    if (draft.delivery.status === "resolved") {
      return { outcome: "ignored", reason: "the group resolved and has no open incident" };
    }
    const started = performance.now();
    const found = await correlate(ctx.octokit, ctx.repo, correlation, config);
    ctx.events.emit("correlation", {
      seconds: (performance.now() - started) / 1e3,
      requests: found.requests
    });
    const record = {
      version: RECORD_VERSION,
      groupKey: draft.groupKey,
      fingerprints: draft.delivery.alerts,
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
        ...ctx.config.error ? [ctx.config.error] : [],
        ...ctx.config.warnings,
        ...found.warning ? [found.warning] : []
      ],
      ...draft.externalURL ? { externalURL: draft.externalURL } : {}
    };
    const written = await createIncident(ctx.octokit, ctx.repo, record, config);
    if (written.outcome === "created") {
      const { number, url } = written;
      ctx.events.emit("incident.opened", {
        repo: ctx.repo,
        number,
        url,
        record,
        config,
        source: draft.source
      });
    }
    return written;
  });
}

// src/app/alertmanager/authenticate.ts
import { createHash, timingSafeEqual } from "node:crypto";
function digest(text) {
  return createHash("sha256").update(text, "utf8").digest();
}
function tokensMatch(given, expected) {
  return timingSafeEqual(digest(given), digest(expected));
}
function authenticate(req, settings) {
  const header = req.headers.authorization;
  if (header !== void 0) req.headers.authorization = "[redacted]";
  if (settings.alertmanagerToken === void 0) {
    if (settings.allowUnauthenticated) return;
    throw new HttpError(
      403,
      "Alertmanager deliveries are refused because no token is configured: set ALERTMANAGER_TOKEN on the app and the same value as http_config.authorization.credentials in Alertmanager's webhook receiver (or ALERTMANAGER_ALLOW_UNAUTHENTICATED=true for local testing only)"
    );
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  if (!match) {
    throw new HttpError(
      401,
      "missing bearer token: send Authorization: Bearer <ALERTMANAGER_TOKEN> (Alertmanager: http_config.authorization)",
      void 0,
      { "www-authenticate": 'Bearer realm="aftershock"' }
    );
  }
  if (!tokensMatch(match[1], settings.alertmanagerToken)) {
    throw new HttpError(401, "invalid bearer token", void 0, {
      "www-authenticate": 'Bearer realm="aftershock", error="invalid_token"'
    });
  }
}

// src/app/alertmanager/describe.ts
var SERVICE_LABELS = ["service", "app", "app_kubernetes_io_name", "job"];
var ENVIRONMENT_LABELS = ["environment", "env", "deployment_environment"];
var ZERO_TIME = /^0001-01-01T/;
function firstLabel(payload, names) {
  for (const name of names) {
    const value = payload.commonLabels[name] ?? payload.alerts.find((a) => a.labels[name])?.labels[name];
    if (value) return value;
  }
  return void 0;
}
function alertState(alert) {
  const summary2 = alert.annotations["summary"] ?? alert.annotations["description"];
  return {
    status: alert.status,
    alertname: alert.labels["alertname"] ?? "alert",
    ...summary2 ? { summary: summary2.slice(0, 500) } : {},
    startsAt: alert.startsAt,
    ...ZERO_TIME.test(alert.endsAt) ? {} : { endsAt: alert.endsAt },
    ...alert.generatorURL ? { url: alert.generatorURL } : {}
  };
}
function describeAlertGroup(payload, config) {
  const name = payload.commonLabels["alertname"] ?? payload.alerts[0]?.labels["alertname"] ?? "Alert";
  const service = firstLabel(payload, SERVICE_LABELS) ?? "unknown";
  const environment = firstLabel(payload, ENVIRONMENT_LABELS) ?? config.environments[0] ?? "production";
  const alerts = Object.fromEntries(payload.alerts.map((a) => [a.fingerprint, alertState(a)]));
  const firing = payload.alerts.filter((a) => a.status === "firing");
  const earliest = [...firing.length ? firing : payload.alerts].sort(
    (a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt)
  )[0];
  const truncated = payload.truncatedAlerts > 0 ? ` (${payload.truncatedAlerts} more were truncated)` : "";
  const draft = {
    groupKey: payload.groupKey,
    source: "alert",
    name,
    service,
    environment,
    severity: groupSeverity(firing.length ? firing : payload.alerts),
    delivery: { status: payload.status, alerts },
    ...payload.externalURL ? { externalURL: payload.externalURL } : {},
    actor: "alertmanager",
    openedText: `Opened from ${firing.length} firing alert(s) sent to receiver ${payload.receiver}${truncated}`
  };
  const correlation = {
    alert: {
      startsAt: earliest.startsAt,
      // The scorer reads service and environment from these labels: give it the resolved ones.
      labels: { ...payload.commonLabels, ...earliest.labels, service, environment },
      annotations: { ...payload.commonAnnotations, ...earliest.annotations }
    },
    environment,
    until: new Date(earliest.startsAt)
  };
  return { draft, correlation };
}

// src/app/alertmanager/read-body.ts
function tooLarge(maxBytes) {
  return new HttpError(
    413,
    `request body is larger than ${maxBytes} bytes: lower max_alerts in Alertmanager's webhook_config or raise ALERTMANAGER_MAX_BODY_BYTES`,
    void 0,
    { connection: "close" }
  );
}
async function readBody(req, maxBytes) {
  if (typeof req.body === "string" || req.body && typeof req.body === "object") {
    const text = typeof req.body === "string" ? req.body : JSON.stringify(req.body);
    if (Buffer.byteLength(text) > maxBytes) throw tooLarge(maxBytes);
    return text;
  }
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    const onData = (chunk) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        req.pause();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks).toString("utf8"));
    };
    const onError = (err) => {
      cleanup();
      reject(new HttpError(400, `could not read the request body: ${err.message}`));
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}

// src/app/alertmanager/route.ts
var OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
var NAME = /^[A-Za-z0-9._-]{1,100}$/;
function parseRepo(text) {
  const [owner, repo, ...rest] = text.trim().split("/");
  if (rest.length > 0 || !owner || !repo || !OWNER.test(owner) || !NAME.test(repo)) return null;
  return { owner, repo };
}
function resolveRepository(payload, fromPath, label) {
  const values = new Set(payload.alerts.map((a) => a.labels[label]).filter((v) => !!v));
  const common = payload.commonLabels[label];
  if (!common && values.size > 1) {
    throw new HttpError(
      400,
      `the alerts of one group name different repositories (${[...values].join(", ")}): add "${label}" to group_by in Alertmanager's route`,
      `alerts[].labels.${label}`
    );
  }
  const named = common ?? [...values][0];
  if (named !== void 0) {
    const repo = parseRepo(named);
    if (!repo) {
      throw new HttpError(400, `label ${label}="${named}" must be "owner/name"`, `commonLabels.${label}`);
    }
    return repo;
  }
  if (fromPath) return fromPath;
  throw new HttpError(
    400,
    `no repository: give the alerts a ${label}="owner/name" label or post to /alertmanager/<owner>/<repo>`,
    `commonLabels.${label}`
  );
}
async function installationOctokit(app, repo) {
  const appOctokit = await app.auth();
  let installationId;
  try {
    const { data } = await appOctokit.request("GET /repos/{owner}/{repo}/installation", { ...repo });
    installationId = data.id;
  } catch (err) {
    if (err.status === 404) {
      throw new HttpError(
        404,
        `aftershock is not installed on ${repo.owner}/${repo.repo}: install the GitHub App on that repository`
      );
    }
    throw err;
  }
  return app.auth(installationId);
}

// src/app/alertmanager/validate.ts
import { z as z5 } from "zod";
var labels = z5.record(z5.string(), z5.string());
var timestamp = z5.iso.datetime({ offset: true, error: "must be an RFC 3339 timestamp" });
var AlertSchema = z5.object({
  status: z5.enum(["firing", "resolved"]),
  labels,
  annotations: labels,
  startsAt: timestamp,
  endsAt: timestamp,
  generatorURL: z5.string(),
  fingerprint: z5.string().min(1)
});
var AlertmanagerPayloadSchema = z5.object({
  version: z5.literal("4", { error: 'must be "4" (the only webhook version Alertmanager sends)' }),
  receiver: z5.string(),
  status: z5.enum(["firing", "resolved"]),
  alerts: z5.array(AlertSchema).min(1),
  groupLabels: labels,
  commonLabels: labels,
  commonAnnotations: labels,
  externalURL: z5.string(),
  groupKey: z5.string().min(1),
  // Alertmanager before 0.22 did not send it.
  truncatedAlerts: z5.number().int().min(0).default(0)
});
function fieldPath(path) {
  return path.map((part, i) => typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`).join("");
}
function validatePayload(text) {
  let json;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, `the body is not JSON: ${err.message}`);
  }
  const result = AlertmanagerPayloadSchema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = fieldPath(issue.path);
  const message = issue.message.includes("received undefined") ? "is required" : issue.message;
  throw new HttpError(
    400,
    `${field || "body"} ${message}: the body must be an Alertmanager webhook payload (version 4)`,
    field || void 0
  );
}

// src/app/alertmanager/handler.ts
var PATH = /^\/alertmanager(?:\/([^/]+)\/([^/]+))?\/?$/;
function matchPath(url) {
  const pathname = new URL(url ?? "/", "http://localhost").pathname;
  const m = PATH.exec(pathname);
  if (!m) return { matched: false };
  if (m[1] === void 0 || m[2] === void 0) return { matched: true, repo: null };
  let owner, name;
  try {
    [owner, name] = [decodeURIComponent(m[1]), decodeURIComponent(m[2])];
  } catch {
    return { matched: true, repo: null };
  }
  const repo = parseRepo(`${owner}/${name}`);
  return { matched: true, repo };
}
function createAlertmanagerHandler(deps) {
  return async (req, res) => {
    const route = matchPath(req.url);
    if (!route.matched) return false;
    if (req.method !== "POST") {
      sendJson(res, 405, { error: "use POST: this is Alertmanager's webhook receiver" }, { allow: "POST" });
      return true;
    }
    const log = deps.app.log.child({ name: "alertmanager" });
    const started = performance.now();
    let alertStatus = "unknown";
    const answered = (outcome, httpStatus) => deps.events.emit("alert.delivery", {
      status: alertStatus,
      outcome,
      httpStatus,
      seconds: (performance.now() - started) / 1e3
    });
    try {
      authenticate(req, deps.settings);
      const payload = validatePayload(await readBody(req, deps.settings.maxBodyBytes));
      alertStatus = payload.status;
      const repo = resolveRepository(payload, route.repo, deps.settings.repositoryLabel);
      const octokit = await installationOctokit(deps.app, repo);
      const config = await loadRepoConfig(octokit, repo);
      const { draft, correlation } = describeAlertGroup(payload, config.config);
      const ctx = { octokit, lock: deps.lock, repo, config, now: deps.now(), events: deps.events };
      const written = await openOrUpdateIncident(ctx, draft, correlation);
      const repository = `${repo.owner}/${repo.repo}`;
      log.info({ repository, groupKey: payload.groupKey, ...written }, "alert group handled");
      if (written.outcome === "ignored") {
        sendJson(res, 200, { outcome: "ignored", reason: written.reason, repository });
        answered("ignored", 200);
      } else {
        const { outcome, number, url } = written;
        sendJson(res, outcome === "created" ? 201 : 200, { outcome, issue: number, url, repository });
        answered(outcome, outcome === "created" ? 201 : 200);
      }
    } catch (err) {
      if (err instanceof HttpError) {
        if (err.status >= 500) log.warn({ status: err.status }, err.message);
        sendJson(
          res,
          err.status,
          { error: err.message, ...err.field ? { field: err.field } : {} },
          err.headers
        );
        answered(err.status >= 500 ? "failed" : "rejected", err.status);
      } else {
        const status = err.status;
        log.error({ err }, "alert group not written; answering 503 so Alertmanager retries");
        sendJson(res, 503, {
          error: "the incident could not be written now; Alertmanager will retry",
          reason: err.message,
          ...typeof status === "number" ? { githubStatus: status } : {}
        });
        answered("failed", 503);
      }
    }
    return true;
  };
}

// src/app/deployment-status.ts
var FAILED_STATES = /* @__PURE__ */ new Set(["failure", "error"]);
function payloadField(payload, key) {
  if (!payload || typeof payload !== "object") return void 0;
  const value = payload[key];
  return typeof value === "string" && value.trim() ? value.trim() : void 0;
}
async function onDeploymentStatus(context, deps) {
  const { deployment, deployment_status: status, repository } = context.payload;
  if (!FAILED_STATES.has(status.state)) return null;
  const repo = { owner: repository.owner.login, repo: repository.name };
  let config;
  try {
    config = await loadRepoConfig(context.octokit, repo);
  } catch (err) {
    const error = `.github/aftershock.yml could not be read (${err.message}); the defaults were used`;
    config = { config: DEFAULT_REPO_CONFIG, error, warnings: [] };
  }
  const service = payloadField(deployment.payload, "service") ?? repository.name;
  const environment = deployment.environment;
  const fingerprint = `deploy:${deployment.id}`;
  const description = status.description ? `: ${status.description}` : "";
  const draft = {
    groupKey: `deploy:${deployment.id}`,
    source: "deploy-check",
    name: "Deploy check failed",
    service,
    environment,
    severity: severityFromLabel(payloadField(deployment.payload, "severity")) ?? "P2",
    delivery: {
      status: "firing",
      alerts: {
        [fingerprint]: {
          status: "firing",
          alertname: "Deploy check failed",
          summary: `Deployment ${deployment.id} (${deployment.sha.slice(0, 12)}) to ${environment} reported ${status.state}${description}`.slice(
            0,
            500
          ),
          startsAt: status.created_at,
          ...status.target_url || status.log_url ? { url: status.log_url ?? status.target_url } : {}
        }
      }
    },
    actor: status.creator?.login ?? context.payload.sender.login,
    openedText: `Deployment ${deployment.id} to ${environment} reported ${status.state}`
  };
  const failed = {
    id: deployment.id,
    sha: deployment.sha,
    environment,
    createdAt: deployment.created_at,
    status: status.state,
    checkFailed: true,
    ...deployment.url ? { url: deployment.url } : {}
  };
  const correlation = {
    alert: { startsAt: status.created_at, labels: { alertname: "DeployCheckFailed", service, environment } },
    environment,
    until: new Date(status.created_at),
    deployment: failed
  };
  const ctx = {
    octokit: context.octokit,
    lock: deps.lock,
    repo,
    config,
    now: deps.now(),
    events: deps.events
  };
  const written = await openOrUpdateIncident(ctx, draft, correlation);
  context.log.info({ deployment: deployment.id, ...written }, "failed deploy check handled");
  return written;
}

// src/app/events.ts
var AppEvents = class {
  #listeners = /* @__PURE__ */ new Map();
  #pending = /* @__PURE__ */ new Set();
  #onError = () => {
  };
  /** Where listener failures go (the app's logger). */
  setErrorHandler(onError) {
    this.#onError = onError;
  }
  on(name, listener) {
    const list = this.#listeners.get(name) ?? [];
    list.push(listener);
    this.#listeners.set(name, list);
  }
  /** Calls the listeners without waiting for them; a listener's failure is reported, never thrown. */
  emit(name, event) {
    for (const listener of this.#listeners.get(name) ?? []) {
      const run = (async () => listener(event))().catch((err) => this.#onError(err, name));
      this.#pending.add(run);
      void run.finally(() => this.#pending.delete(run));
    }
  }
  /** Resolves once every listener started so far has finished (tests, graceful shutdown). */
  async idle() {
    while (this.#pending.size) await Promise.all([...this.#pending]);
  }
};

// src/app/lock.ts
var InProcessKeyLock = class {
  #tails = /* @__PURE__ */ new Map();
  async withLock(key, fn) {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.then(
      () => void 0,
      () => void 0
    );
    this.#tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
  /** How many keys are held or waited on (for tests and metrics). */
  get size() {
    return this.#tails.size;
  }
};

// src/app/settings.ts
var DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
function readSettings(env = process.env) {
  const max = env.ALERTMANAGER_MAX_BODY_BYTES;
  const maxBodyBytes = max === void 0 || max.trim() === "" ? DEFAULT_MAX_BODY_BYTES : Number(max);
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw new Error(`ALERTMANAGER_MAX_BODY_BYTES must be a positive whole number of bytes, got "${max}"`);
  }
  const token = env.ALERTMANAGER_TOKEN?.trim();
  return {
    alertmanagerToken: token ? token : void 0,
    allowUnauthenticated: env.ALERTMANAGER_ALLOW_UNAUTHENTICATED?.trim().toLowerCase() === "true",
    maxBodyBytes,
    repositoryLabel: env.ALERTMANAGER_REPOSITORY_LABEL?.trim() || "repository"
  };
}

// src/app/index.ts
function createApp(options = {}) {
  return (app, { addHandler }) => {
    const deps = {
      settings: options.settings ?? readSettings(),
      lock: options.lock ?? new InProcessKeyLock(),
      now: options.now ?? (() => /* @__PURE__ */ new Date()),
      events: options.events ?? new AppEvents()
    };
    deps.events.setErrorHandler(
      (err, name) => app.log.warn({ err, event: name }, "an event listener failed")
    );
    if (!deps.settings.alertmanagerToken && !deps.settings.allowUnauthenticated) {
      app.log.warn("ALERTMANAGER_TOKEN is not set: /alertmanager refuses deliveries (403) until it is");
    }
    app.on("deployment_status", async (context) => {
      await onDeploymentStatus(context, deps);
    });
    addHandler(createAlertmanagerHandler({ app, ...deps }));
  };
}
var aftershock = createApp();
var index_default = aftershock;
export {
  createApp,
  index_default as default
};
