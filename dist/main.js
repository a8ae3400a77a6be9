import { createRequire as __aftershockCreateRequire } from 'node:module'; const require = __aftershockCreateRequire(import.meta.url);

// src/app/main.ts
import { run } from "probot";

// src/app/alertmanager/handler.ts
import { randomUUID as randomUUID2 } from "node:crypto";

// src/core/ttl-cache.ts
var TtlCache = class {
  constructor(ttlMs, now = Date.now, maxEntries = 1e3) {
    this.ttlMs = ttlMs;
    this.now = now;
    this.maxEntries = maxEntries;
  }
  ttlMs;
  now;
  maxEntries;
  #entries = /* @__PURE__ */ new Map();
  /** The cached value of `key`, or what `load` gives (a failed load is not kept). */
  get(key, load) {
    const hit = this.#entries.get(key);
    if (hit && hit.expires > this.now()) return hit.value;
    if (this.#entries.size >= this.maxEntries) this.#entries.delete(this.#entries.keys().next().value);
    const value = load();
    this.#entries.set(key, { value, expires: this.now() + this.ttlMs });
    value.catch(() => {
      if (this.#entries.get(key)?.value === value) this.#entries.delete(key);
    });
    return value;
  }
  delete(key) {
    this.#entries.delete(key);
  }
  clear() {
    this.#entries.clear();
  }
};

// src/github/incidents/client.ts
function statusOf(error) {
  const status = error?.status;
  return typeof status === "number" ? status : void 0;
}

// src/github/incidents/limits.ts
var GITHUB_TEXT_LIMIT = 65536;
var TEXT_BUDGET = 65e3;
var TITLE_LIMIT = 256;
var BLOCK = /<!-- aftershock:incident [A-Za-z0-9+/=]+ -->\s*$/;
function fitIssueBody(body, budget = TEXT_BUDGET) {
  if (body.length <= budget) return body;
  const block = BLOCK.exec(body)?.[0] ?? "";
  const visible = body.slice(0, body.length - block.length);
  return `${cutAtLine(visible, budget - block.length - 120)}

${block}`.slice(0, budget);
}
function fitComment(text2, budget = TEXT_BUDGET) {
  return text2.length <= budget ? text2 : cutAtLine(text2, budget - 120);
}
function fitTitle(title) {
  return title.length <= TITLE_LIMIT ? title : `${title.slice(0, TITLE_LIMIT - 1)}\u2026`;
}
function cutAtLine(text2, max) {
  const head = text2.slice(0, Math.max(0, max));
  const end = head.lastIndexOf("\n");
  const kept = end > 0 ? head.slice(0, end) : head;
  const dropped = text2.slice(kept.length).split("\n").filter((l) => l.trim() !== "").length;
  return `${kept}

\u2026 and ${dropped} more lines, cut to fit GitHub's ${GITHUB_TEXT_LIMIT}-character limit.`;
}

// src/github/incidents/labels.ts
function mergeLabels(current3, wanted, resolvedLabel) {
  const kept = current3.filter((l) => !l.startsWith("severity:") && l !== resolvedLabel);
  return [.../* @__PURE__ */ new Set([...kept, ...wanted])];
}
function sameLabels(a, b) {
  return a.length === b.length && a.every((x) => b.includes(x));
}
function labelNames(labels2) {
  return labels2.map((l) => typeof l === "string" ? l : l.name ?? "").filter((l) => l !== "");
}

// src/core/incident/incident-record.ts
import { createHash } from "node:crypto";
import { z as z3 } from "zod";

// src/core/incident/related-group-schema.ts
import { z } from "zod";
var RelatedAlertSchema = z.object({
  fingerprint: z.string(),
  status: z.enum(["firing", "resolved"]),
  alertname: z.string(),
  summary: z.string().optional()
});
var RelatedGroupSchema = z.object({
  groupKey: z.string(),
  /** The group's alert name, as a title would show it. */
  name: z.string(),
  service: z.string(),
  severity: z.enum(["P1", "P2", "P3"]),
  status: z.enum(["firing", "resolved"]),
  joinedAt: z.string(),
  /** A bounded sample of the group's alerts (see MAX_RELATED_ALERTS); `count` says how many there are. */
  alerts: z.array(RelatedAlertSchema),
  count: z.number().int().min(0),
  firing: z.number().int().min(0),
  /** A digest of every alert's fingerprint and status: an identical redelivery changes nothing. */
  digest: z.string()
});

// src/core/incident/response-state.ts
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
var MAX_HANDLED_KEYS = 200;
function emptyResponseState() {
  return { actionItems: [], rollbacks: [], handled: [] };
}
function readResponseState(record) {
  const parsed = IncidentResponseStateSchema.safeParse(record.response ?? {});
  return parsed.success ? parsed.data : emptyResponseState();
}
function isHandled(state, key) {
  return state.handled.includes(key);
}
function markHandled(state, key, max = MAX_HANDLED_KEYS) {
  if (isHandled(state, key)) return state;
  return { ...state, handled: [...state.handled, key].slice(-max) };
}

// src/core/incident/incident-record.ts
var RECORD_VERSION = 1;
var MARKER = "aftershock:incident";
var BLOCK2 = /<!-- aftershock:incident ([A-Za-z0-9+/=]+) -->/;
var AlertStateSchema = z3.object({
  status: z3.enum(["firing", "resolved"]),
  alertname: z3.string(),
  summary: z3.string().optional(),
  startsAt: z3.string(),
  endsAt: z3.string().optional(),
  url: z3.string().optional(),
  /** The alert's labels and annotations, bounded when described (at most 30 each, values cut to 300). */
  labels: z3.record(z3.string(), z3.string()).optional(),
  annotations: z3.record(z3.string(), z3.string()).optional()
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
  /** Calibrated chance (0..1) that this PR is the culprit, when the ranker gives one. */
  confidence: z3.number().optional(),
  reasons: z3.array(z3.string()),
  /** Paths the PR changed (bounded), so a later incident can match an earlier culprit's files. */
  files: z3.array(z3.string()).optional()
});
var SimilarSchema = z3.object({
  number: z3.number(),
  url: z3.string(),
  /** One sentence per match, raw (escaped when rendered). */
  why: z3.array(z3.string()),
  /** How it ended: "rolled back", "fixed forward", "flaky", "open" (a string, so new outcomes still parse). */
  outcome: z3.string()
});
var UnlistedSchema = z3.object({
  count: z3.number(),
  firing: z3.number(),
  digest: z3.string()
});
var MAX_FINGERPRINTS = 200;
var MAX_KEY_LENGTH = 200;
var MAX_WARNINGS = 10;
var MAX_WARNING_LENGTH = 500;
var MAX_TIMELINE_CHANGES = 10;
function boundedKey(key, max = MAX_KEY_LENGTH) {
  if (key.length <= max) return key;
  const digest2 = createHash("sha256").update(key, "utf8").digest("hex").slice(0, 32);
  return `${key.slice(0, max - 41)}\u2026sha256:${digest2}`;
}
function boundedWarnings(warnings2) {
  const cut = (w) => w.length > MAX_WARNING_LENGTH ? `${w.slice(0, MAX_WARNING_LENGTH - 1)}\u2026` : w;
  if (warnings2.length <= MAX_WARNINGS) return warnings2.map(cut);
  const rest = warnings2.length - (MAX_WARNINGS - 1);
  return [...warnings2.slice(0, MAX_WARNINGS - 1).map(cut), `\u2026 and ${rest} more warnings`];
}
var IncidentRecordSchema = z3.object({
  version: z3.literal(RECORD_VERSION),
  groupKey: z3.string(),
  /**
   * Alerts seen in the group, by Alertmanager fingerprint (for deploy checks: `deploy:<id>`), at most
   * MAX_FINGERPRINTS. A Map-free record: `__proto__` and other keys are own properties (see parseRecord).
   */
  fingerprints: z3.record(z3.string(), AlertStateSchema),
  /** The latest delivery's alerts that did not fit in `fingerprints`. */
  unlisted: UnlistedSchema.optional(),
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
  /** Why the severity is what it is, raw: `alert HighErrorRate: label severity="critical" → P1`. */
  severityRule: z3.string().optional(),
  /** Where responders look first: the alert's runbook/dashboard, else the repository config's. */
  runbook: z3.string().optional(),
  dashboard: z3.string().optional(),
  /** What responders did: acknowledgement, rollbacks, action items, post-mortem, handled commands. */
  response: IncidentResponseStateSchema.optional(),
  /** Similar past incidents, at most 5, best first. */
  similar: z3.array(SimilarSchema).optional(),
  /** Alert groups that joined this incident because they share its cause (see related-groups.ts). */
  related: z3.array(RelatedGroupSchema).optional(),
  /** The first group's own status once others joined: `status` is then the whole incident's. */
  groupStatus: z3.enum(["firing", "resolved"]).optional()
});
function serializeRecord(record) {
  const json = JSON.stringify(record);
  return `<!-- ${MARKER} ${Buffer.from(json, "utf8").toString("base64")} -->`;
}
function parseRecord(body) {
  const match = [...(body ?? "").matchAll(new RegExp(BLOCK2.source, "g"))].at(-1);
  if (!match) return null;
  let json;
  try {
    json = JSON.parse(Buffer.from(match[1], "base64").toString("utf8"));
  } catch {
    return null;
  }
  const result = IncidentRecordSchema.safeParse(json);
  if (!result.success) return null;
  const raw = json.fingerprints;
  const fingerprints = Object.fromEntries(
    Object.entries(raw).flatMap(([fp, alert]) => {
      const parsed = AlertStateSchema.safeParse(alert);
      return parsed.success ? [[fp, parsed.data]] : [];
    })
  );
  return { ...result.data, fingerprints };
}
function boundAlerts(alerts) {
  const entries = Object.entries(alerts);
  const fingerprints = Object.fromEntries(entries.slice(0, MAX_FINGERPRINTS));
  const unlisted = unlistedOf(entries.slice(MAX_FINGERPRINTS));
  return { fingerprints, ...unlisted ? { unlisted } : {} };
}
function unlistedOf(entries) {
  if (entries.length === 0) return void 0;
  return {
    count: entries.length,
    firing: entries.filter(([, a]) => a.status === "firing").length,
    digest: alertsDigest(entries)
  };
}
function alertsDigest(entries) {
  const lines = entries.map(([fp, a]) => `${fp} ${a.status}`).sort();
  return createHash("sha256").update(lines.join("\n"), "utf8").digest("hex").slice(0, 32);
}
function mergeDelivery(record, delivery, at, actor) {
  const changes = [];
  const kept = new Map(Object.entries(record.fingerprints));
  const beyond = [];
  for (const [fingerprint, alert] of Object.entries(delivery.alerts)) {
    const before = kept.get(fingerprint);
    if (!before && kept.size >= MAX_FINGERPRINTS) {
      beyond.push([fingerprint, alert]);
      continue;
    }
    if (!before) changes.push({ kind: "alert-added", fingerprint, alert });
    else if (before.status !== alert.status)
      changes.push({
        kind: alert.status === "resolved" ? "alert-resolved" : "alert-refired",
        fingerprint,
        alert
      });
    else if (before.endsAt === alert.endsAt && before.summary === alert.summary) continue;
    kept.set(fingerprint, { ...alert, startsAt: before?.startsAt ?? alert.startsAt });
  }
  const unlisted = unlistedOf(beyond);
  if (unlisted && unlisted.digest !== record.unlisted?.digest)
    changes.push({ kind: "alerts-unlisted", count: unlisted.count, firing: unlisted.firing });
  if (delivery.status !== record.status)
    changes.push({ kind: delivery.status === "resolved" ? "resolved" : "refired" });
  const { unlisted: _previous, ...rest } = record;
  const next = {
    ...rest,
    fingerprints: Object.fromEntries(kept),
    ...unlisted ? { unlisted } : {},
    status: delivery.status,
    timeline: [...record.timeline, ...timelineEntries(changes, at, actor)]
  };
  return { record: next, changes };
}
function timelineEntry(change, at, actor) {
  return { at, actor, kind: change.kind, text: describeChange(change) };
}
function timelineEntries(changes, at, actor) {
  return cappedTimeline(
    changes,
    (c) => "fingerprint" in c,
    (change) => timelineEntry(change, at, actor),
    at,
    actor
  );
}
function cappedTimeline(items, isAlertChange, entryOf, at, actor) {
  const perAlert = items.filter(isAlertChange);
  const listed = new Set(perAlert.slice(0, MAX_TIMELINE_CHANGES));
  const entries = items.filter((i) => !isAlertChange(i) || listed.has(i)).map(entryOf);
  const more2 = perAlert.length - listed.size;
  if (more2 > 0) entries.push({ at, actor, kind: "alerts-changed", text: `\u2026 and ${more2} more alert changes` });
  return entries;
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
    case "alerts-unlisted":
      return `${change.count} more alerts (${change.firing} firing) beyond the ${MAX_FINGERPRINTS} listed`;
  }
}
function serializedSize(record) {
  return serializeRecord(record).length;
}
function compactRecord(full, budget = 3e4) {
  if (serializedSize(full) <= budget) return full;
  const record = { ...full, warnings: boundedWarnings(full.warnings) };
  const withoutAnnotations = {
    ...record,
    fingerprints: Object.fromEntries(
      Object.entries(record.fingerprints).map(([fp, { annotations: _dropped, ...alert }]) => [fp, alert])
    )
  };
  if (serializedSize(withoutAnnotations) <= budget) return withoutAnnotations;
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
          const { summary: summary3, url, labels: labels2, annotations: _dropped, ...rest } = alert;
          const kept = { ...rest, alertname: alert.alertname.slice(0, step.name) };
          if (step.name === 0) kept.startsAt = "";
          if (i >= step.detailed) return [fp, kept];
          return [
            fp,
            {
              ...kept,
              ...summary3 ? { summary: summary3.slice(0, step.summary) } : {},
              ...url ? { url } : {},
              // Labels stay with the detailed alerts, cut like summaries, and go when summaries do.
              ...labels2 && step.summary > 0 ? { labels: cutValues(labels2, step.summary) } : {}
            }
          ];
        })
      ),
      timeline: record.timeline.slice(-step.timeline)
    };
    if (serializedSize(compacted) <= budget) return compacted;
  }
  return lastResort(compacted);
}
function lastResort(record) {
  const cut = (text2) => text2.slice(0, 100);
  return {
    ...record,
    name: cut(record.name),
    service: cut(record.service),
    environment: cut(record.environment),
    warnings: record.warnings.slice(0, 3).map(cut),
    deploys: record.deploys.slice(0, 5),
    suspects: record.suspects.slice(0, 5).map(({ files: _files, ...s }) => ({
      ...s,
      title: cut(s.title),
      reasons: s.reasons.slice(0, 3).map(cut)
    })),
    timeline: record.timeline.slice(-3).map((e) => ({ ...e, text: cut(e.text) })),
    ...record.similar ? { similar: record.similar.slice(0, 2) } : {}
  };
}
function cutValues(values, max) {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.slice(0, max)]));
}

// src/core/errors.ts
function errorMessage(err) {
  return err instanceof Error ? err.message : String(err);
}

// src/github/incidents/store.ts
var GitHubRefusedError = class extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
    this.name = "GitHubRefusedError";
  }
  status;
};
var MAX_PAGES = 10;
function incidentLockKey(repo, groupKey) {
  return `${repoKey(repo)}#${groupKey}`;
}
function causeLockKey(repo, environment, deployment) {
  return `cause:${repoKey(repo)}:${JSON.stringify([environment, deployment])}`;
}
var repoKey = (repo) => `${repo.owner.toLowerCase()}/${repo.repo.toLowerCase()}`;
var IncidentStore = class {
  constructor(client, repo, trusts) {
    this.client = client;
    this.repo = repo;
    this.trusts = trusts;
  }
  client;
  repo;
  trusts;
  /** The key that serializes every write to the incident of `groupKey` (deliveries and commands). */
  lockKey(groupKey) {
    return incidentLockKey(this.repo, groupKey);
  }
  /** The key that serializes "find or create" for one cause's incident (grouping). */
  causeLockKey(environment, deployment) {
    return causeLockKey(this.repo, environment, deployment);
  }
  /** The open incident of `groupKey`, or null. The oldest wins if there are several (it was first). */
  async find(label, groupKey) {
    for await (const issue of this.#openIssues(label, { sort: "created", direction: "asc" })) {
      const incident = await this.#incident(issue, (r) => r.groupKey === groupKey);
      if (incident) return incident;
    }
    return null;
  }
  /** Every open incident of the repository. */
  async list(label) {
    const found = [];
    for await (const issue of this.#openIssues(label, {})) {
      const incident = await this.#incident(issue);
      if (incident) found.push(incident);
    }
    return found;
  }
  /** Issue `number` when it is an incident (a valid block, a trusted author); else null. */
  async read(number) {
    let data;
    try {
      ({ data } = await this.client.request("GET /repos/{owner}/{repo}/issues/{issue_number}", {
        ...this.repo,
        issue_number: number
      }));
    } catch (err) {
      if (statusOf(err) === 404 || statusOf(err) === 410) return null;
      throw err;
    }
    return this.#incident(data);
  }
  /** Opens the issue. Assignees GitHub refuses (422) must not cost the incident: retry without them. */
  async create(issue) {
    const fitted = { ...issue, title: fitTitle(issue.title), body: fitIssueBody(issue.body) };
    const post = (assignees) => refusedFor(
      "open the incident issue",
      () => this.client.request("POST /repos/{owner}/{repo}/issues", { ...this.repo, ...fitted, assignees })
    );
    try {
      const { data } = await post(issue.assignees);
      return { number: data.number, url: data.html_url };
    } catch (err) {
      if (!(err instanceof GitHubRefusedError) || issue.assignees.length === 0) throw err;
      const { data } = await post([]);
      return {
        number: data.number,
        url: data.html_url,
        assigneeError: `GitHub refused the assignees ${issue.assignees.join(", ")} (they must be collaborators with access to the repository)`
      };
    }
  }
  /** Applies one write: the issue first (one request, skipped when only comments), then each comment. */
  async write(number, change) {
    const { comments = [], ...issue } = change;
    if (issue.body !== void 0) issue.body = fitIssueBody(issue.body);
    if (issue.title !== void 0) issue.title = fitTitle(issue.title);
    if (Object.keys(issue).length > 0) {
      await refusedFor(
        "update the incident issue",
        () => this.client.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
          ...this.repo,
          issue_number: number,
          ...issue
        })
      );
    }
    for (const comment of comments) await this.comment(number, comment);
  }
  async comment(number, text2) {
    await refusedFor(
      "comment on the incident issue",
      () => this.client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        ...this.repo,
        issue_number: number,
        body: fitComment(text2)
      })
    );
  }
  async *#openIssues(label, order) {
    for (let page = 1; page <= MAX_PAGES; page++) {
      const { data } = await this.client.request("GET /repos/{owner}/{repo}/issues", {
        ...this.repo,
        state: "open",
        labels: label,
        ...order,
        per_page: 100,
        ...page > 1 ? { page } : {}
      });
      const issues = data;
      yield* issues;
      if (issues.length < 100) return;
    }
  }
  async #incident(issue, wanted = () => true) {
    if (issue.pull_request) return null;
    const record = parseRecord(issue.body);
    if (!record || !wanted(record) || !await this.trusts(issue.user)) return null;
    return {
      number: issue.number,
      url: issue.html_url,
      title: issue.title ?? "",
      labels: labelNames(issue.labels),
      state: issue.state ?? "open",
      record
    };
  }
};
async function refusedFor(what, write) {
  try {
    return await write();
  } catch (err) {
    if (statusOf(err) !== 422) throw err;
    const detail = errorMessage(err).slice(0, 300);
    throw new GitHubRefusedError(422, `GitHub refused to ${what} (422): ${detail}`);
  }
}

// src/github/incidents/trust.ts
function onlyAuthors(logins) {
  return async (author) => {
    if (!author?.login) return false;
    const login = author.login.toLowerCase();
    return (await logins()).some((l) => l.toLowerCase() === login);
  };
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
  const text2 = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text2),
    ...headers
  });
  res.end(text2);
}

// src/core/gate/severity.ts
var DEFAULT_SEVERITY_BANDS = [
  { severity: "P1", min: 0.05, exclusive: true },
  { severity: "P2", min: 0.01 },
  { severity: "P3", min: 0 }
];
var SEVERITY_RANK = { P1: 1, P2: 2, P3: 3 };
function severityFor(value, bands = DEFAULT_SEVERITY_BANDS) {
  const sorted = [...bands].sort((a, b) => b.min - a.min || Number(!!b.exclusive) - Number(!!a.exclusive));
  for (const band of sorted) if (band.exclusive ? value > band.min : value >= band.min) return band.severity;
  return sorted.at(-1)?.severity ?? "P3";
}
function worstSeverity(severities) {
  let worst = null;
  for (const s of severities) if (s && (!worst || SEVERITY_RANK[s] < SEVERITY_RANK[worst])) worst = s;
  return worst;
}
function parseSeverityBands(text2) {
  const bands = text2.split(",").map((part) => {
    const m = /^\s*(P[123])\s*:\s*(>?)\s*([0-9.eE+-]+%?)\s*$/.exec(part);
    if (!m) throw new Error(`severity band "${part.trim()}" must look like P1:>0.05, P2:0.01 or P2:1%`);
    const raw = m[3];
    const min = raw.endsWith("%") ? Number(raw.slice(0, -1)) / 100 : Number(raw);
    if (!Number.isFinite(min) || min < 0)
      throw new Error(`severity band "${part.trim()}" needs a number >= 0`);
    return { severity: m[1], min, exclusive: m[2] === ">" };
  });
  return bands;
}

// src/core/incident/related-groups.ts
var MAX_RELATED_GROUPS = 20;
var MAX_RELATED_ALERTS = 10;
var RELATED_JSON_BUDGET = 16e3;
var MAX_SUMMARY = 120;
var MAX_FINGERPRINT = 64;
function topDeployment(record) {
  const top = record.suspects[0];
  return top ? String(top.deploymentId) : null;
}
function hasGroup(record, groupKey) {
  return record.groupKey === groupKey || (record.related ?? []).some((g) => g.groupKey === groupKey);
}
function canJoin(record, want) {
  const opened = Date.parse(record.openedAt);
  return record.environment === want.environment && topDeployment(record) === want.deployment && !record.response?.resolvedAt && (record.related?.length ?? 0) < MAX_RELATED_GROUPS && Number.isFinite(opened) && want.now.getTime() - opened <= want.windowMs && want.now.getTime() - opened >= -6e4;
}
function groupName(group) {
  return `${group.name} \xB7 ${group.service}`;
}
function mergeGroupDelivery(record, draft, at, actor) {
  const related = record.related ?? [];
  if (draft.groupKey === record.groupKey) {
    if (related.length === 0) {
      const merged = mergeDelivery(record, draft.delivery, at, actor);
      return { record: merged.record, changes: merged.changes.map((change) => ({ group: "", change })) };
    }
    const own = mergeDelivery({ ...record, status: firstGroupStatus(record) }, draft.delivery, at, actor);
    const next = { ...own.record, timeline: record.timeline, groupStatus: draft.delivery.status };
    const name2 = groupName(record);
    return finish(
      record,
      next,
      own.changes.map((change) => ({ group: name2, change })),
      at,
      actor
    );
  }
  const index = related.findIndex((g) => g.groupKey === draft.groupKey);
  if (index < 0) throw new Error(`group ${draft.groupKey} is not in this incident`);
  const group = related[index];
  const { next: updated, changes } = mergeRelated(group, draft.delivery);
  if (changes.length === 0) return { record, changes: [] };
  const nextRelated = related.map((g, i) => i === index ? updated : g);
  const name = groupName(group);
  return finish(
    record,
    { ...record, related: boundRelated(nextRelated) },
    changes.map((change) => ({ group: name, change })),
    at,
    actor
  );
}
function joinGroup(record, draft, deployment, at, actor) {
  const alerts = Object.entries(draft.delivery.alerts);
  const group = {
    groupKey: draft.groupKey,
    name: draft.name,
    service: draft.service,
    severity: draft.severity,
    status: draft.delivery.status,
    joinedAt: at,
    alerts: alerts.slice(0, MAX_RELATED_ALERTS).map(([fp, a]) => relatedAlert(fp, a)),
    count: alerts.length,
    firing: alerts.filter(([, a]) => a.status === "firing").length,
    digest: alertsDigest(alerts)
  };
  const severity2 = worstSeverity([record.severity, draft.severity]) ?? record.severity;
  const changes = [
    {
      group: groupName(group),
      change: { kind: "group-joined", deployment, count: group.count, firing: group.firing }
    }
  ];
  if (severity2 !== record.severity)
    changes.push({ group: "", change: { kind: "severity-raised", from: record.severity, to: severity2 } });
  const next = {
    ...record,
    severity: severity2,
    groupStatus: firstGroupStatus(record),
    related: boundRelated([...record.related ?? [], group])
  };
  return finish(record, next, changes, at, actor);
}
function splitOutRecord(record, index, from, at, actor) {
  const group = record.related?.[index - 1];
  if (!group) return null;
  const fingerprints = {};
  for (const a of group.alerts) {
    fingerprints[a.fingerprint] = {
      status: a.status,
      alertname: a.alertname,
      ...a.summary ? { summary: a.summary } : {},
      startsAt: group.joinedAt
    };
  }
  const opened = {
    version: RECORD_VERSION,
    groupKey: group.groupKey,
    fingerprints,
    status: group.status,
    severity: group.severity,
    name: group.name,
    service: group.service,
    environment: record.environment,
    source: "alert",
    deploys: record.deploys,
    suspects: record.suspects,
    timeline: [
      {
        at: group.joinedAt,
        actor: "alertmanager",
        kind: "opened",
        text: `Joined #${from.number} (same top suspect deploy)`
      },
      { at, actor, kind: "split", text: `Split out of #${from.number} into its own incident` }
    ],
    openedAt: group.joinedAt,
    warnings: [],
    ...record.externalURL ? { externalURL: record.externalURL } : {}
  };
  return { group, record: opened };
}
function withoutGroup(record, groupKey, to, at, actor) {
  const group = (record.related ?? []).find((g) => g.groupKey === groupKey);
  if (!group) return record;
  const related = (record.related ?? []).filter((g) => g.groupKey !== groupKey);
  const next = { ...record, related };
  const entry = {
    at,
    actor,
    kind: "split",
    text: `Alert group ${groupName(group)} split out into #${to.number}`
  };
  return finish(record, next, [], at, actor, [entry]).record;
}
function firstGroupStatus(record) {
  return record.groupStatus ?? record.status;
}
function finish(before, next, changes, at, actor, extra = []) {
  const groups = [firstGroupStatus(next), ...(next.related ?? []).map((g) => g.status)];
  const status = groups.includes("firing") ? "firing" : "resolved";
  const all = [...changes];
  if (status !== before.status)
    all.push({
      group: "",
      change: { kind: status === "resolved" ? "incident-resolved" : "incident-refired" }
    });
  return {
    record: {
      ...next,
      status,
      timeline: [...next.timeline, ...timelineEntries2(all, at, actor), ...extra]
    },
    changes: all
  };
}
function mergeRelated(group, delivery) {
  const alerts = Object.entries(delivery.alerts);
  const digest2 = alertsDigest(alerts);
  if (digest2 === group.digest && delivery.status === group.status) return { next: group, changes: [] };
  const listed = new Map(group.alerts.map((a) => [a.fingerprint, a]));
  const changes = [];
  for (const [fp, alert] of alerts) {
    const key = boundedKey(fp, MAX_FINGERPRINT);
    const before = listed.get(key);
    if (!before) {
      if (listed.size >= MAX_RELATED_ALERTS) continue;
      changes.push({ kind: "alert-added", fingerprint: fp, alert });
    } else if (before.status !== alert.status) {
      changes.push({
        kind: alert.status === "resolved" ? "alert-resolved" : "alert-refired",
        fingerprint: fp,
        alert
      });
    } else continue;
    listed.set(key, relatedAlert(fp, alert));
  }
  const firing = alerts.filter(([, a]) => a.status === "firing").length;
  if (changes.length === 0 && digest2 !== group.digest)
    changes.push({ kind: "alerts-changed", count: alerts.length, firing });
  if (delivery.status !== group.status)
    changes.push({ kind: delivery.status === "resolved" ? "resolved" : "refired" });
  return {
    next: {
      ...group,
      status: delivery.status,
      alerts: [...listed.values()],
      count: alerts.length,
      firing,
      digest: digest2
    },
    changes
  };
}
function relatedAlert(fingerprint, alert) {
  return {
    fingerprint: boundedKey(fingerprint, MAX_FINGERPRINT),
    status: alert.status,
    alertname: alert.alertname.slice(0, 100),
    ...alert.summary ? { summary: alert.summary.slice(0, MAX_SUMMARY) } : {}
  };
}
function boundRelated(groups) {
  const size = (g) => JSON.stringify(g).length;
  if (size(groups) <= RELATED_JSON_BUDGET) return groups;
  const bare = groups.map((g) => ({ ...g, alerts: g.alerts.map(({ summary: _s, ...a }) => a) }));
  if (size(bare) <= RELATED_JSON_BUDGET) return bare;
  return bare.map((g) => ({ ...g, alerts: g.alerts.slice(0, 3) }));
}
function describeGroupedChange({ group, change }) {
  switch (change.kind) {
    case "group-joined":
      return `Alert group ${group} joined: same environment and top suspect deploy ${change.deployment} (${change.firing} of ${change.count} alerts firing)`;
    case "alerts-changed":
      return `${group}: alerts changed (${change.firing} of ${change.count} firing)`;
    case "severity-raised":
      return `Severity raised from ${change.from} to ${change.to} by a related alert group`;
    case "incident-resolved":
      return "Every alert group of this incident has resolved";
    case "incident-refired":
      return "The incident fired again";
    case "resolved":
      return group ? `Alert group ${group} resolved` : describeChange(change);
    case "refired":
      return group ? `Alert group ${group} fired again` : describeChange(change);
    default:
      return group ? `${group}: ${describeChange(change)}` : describeChange(change);
  }
}
function timelineEntries2(changes, at, actor) {
  return cappedTimeline(
    changes,
    (c) => "fingerprint" in c.change,
    (c) => ({ at, actor, kind: c.change.kind, text: describeGroupedChange(c) }),
    at,
    actor
  );
}

// src/core/text/markdown.ts
var ZWJ = "\u200D";
var ELLIPSIS = "\u2026";
var CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g;
var NEWLINES = /\r\n|\r|\n/g;
var MARKDOWN_SPECIALS = /[\\`*_{}[\]()#+\-!|~]/g;
function truncate(text2, maxLength) {
  const chars = Array.from(text2);
  if (chars.length <= maxLength) return text2;
  if (maxLength <= 0) return "";
  return chars.slice(0, maxLength - 1).join("") + ELLIPSIS;
}
function defuseMentions(text2) {
  return text2.replace(/@/g, `@${ZWJ}`);
}
function escapeHtml(text2) {
  return text2.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
function escapeMarkdown(text2, maxLength = 500) {
  const plain = truncate(String(text2 ?? "").replace(CONTROL, ""), maxLength);
  const escaped = escapeHtml(plain).replace(MARKDOWN_SPECIALS, (c) => `\\${c}`);
  return defuseMentions(escaped).replace(NEWLINES, "<br>");
}
function code(text2, maxLength = 200, options = {}) {
  let body = truncate(String(text2 ?? "").replace(CONTROL, ""), maxLength).replace(NEWLINES, " ").replace(/<!--/g, `<!${ZWJ}--`);
  if (options.table) body = body.replace(/\|/g, "\\|");
  if (body === "") return "` `";
  const longest = Math.max(0, ...Array.from(body.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = body.startsWith("`") || body.endsWith("`") || /^ .* $/.test(body) ? " " : "";
  return `${fence}${pad}${body}${pad}${fence}`;
}
function oneLine(text2, maxLength = 200) {
  const collapsed = String(text2 ?? "").replace(CONTROL, "").replace(/\s+/g, " ").trim();
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
function link(text2, url, maxLength = 200) {
  const label = escapeMarkdown(text2, maxLength);
  const target = safeUrl(url);
  return target ? `[${label}](${target})` : label;
}

// src/core/incident/update-comment.ts
var MAX_COMMENT_LINES = 20;
function renderUpdateLines(changes, line) {
  const listed = changes.slice(0, MAX_COMMENT_LINES);
  const lines = listed.map((change) => {
    const { icon, text: text2, summary: summary3 } = line(change);
    const detail = summary3 ? `: ${escapeMarkdown(summary3, 300)}` : "";
    return `- ${icon} ${escapeMarkdown(text2, 300)}${detail}`;
  });
  return [
    `**Update from Alertmanager** (${changes.length} change${changes.length === 1 ? "" : "s"})`,
    "",
    ...lines,
    ...changes.length > listed.length ? [`- \u2026 and ${changes.length - listed.length} more`] : []
  ].join("\n");
}

// src/core/incident/render-related.ts
var MAX_ALERT_NAMES = 5;
function relatedSection(record) {
  const groups = record.related ?? [];
  if (groups.length === 0) return "";
  const rows = groups.map((g, i) => {
    const status = g.status === "resolved" ? "\u2705 resolved" : `\u{1F525} firing (${g.firing} of ${g.count})`;
    const names = [...new Set(g.alerts.map((a) => a.alertname))].slice(0, MAX_ALERT_NAMES);
    const alerts = names.map((n) => escapeMarkdown(n, 80)).join(", ");
    return `| ${i + 1} | ${escapeMarkdown(g.name, 120)} | ${escapeMarkdown(g.service, 80)} | ${g.severity} | ${status} | ${alerts} | ${escapeMarkdown(g.joinedAt, 40)} | ${code(g.groupKey, 60, { table: true })} |`;
  });
  return [
    "### Related alerts",
    "",
    "Alert groups that fired in the same environment, blaming the same deploy, joined this incident. It resolves when every group has resolved; `/split N` moves group N into its own incident.",
    "",
    "| # | Alert | Service | Severity | Status | Alerts | Joined | Group |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows
  ].join("\n");
}
function renderGroupedComment(changes) {
  return renderUpdateLines(changes, (c) => {
    const kind = c.change.kind;
    const resolved = kind === "resolved" || kind === "alert-resolved" || kind === "incident-resolved";
    return {
      icon: resolved ? "\u2705" : kind === "group-joined" ? "\u{1F517}" : "\u{1F525}",
      text: describeGroupedChange(c),
      summary: "alert" in c.change ? c.change.alert.summary : void 0
    };
  });
}

// src/core/incident/commands.ts
var COMMAND_SPECS = Object.freeze([
  { name: "ack", usage: "/ack", help: "acknowledge the incident: you are on it" },
  { name: "severity", usage: "/severity P1|P2|P3", help: "change the severity" },
  { name: "assign", usage: "/assign @user [@user2 \u2026]", help: "assign responders" },
  { name: "note", usage: "/note <text>", help: "add a note to the timeline" },
  {
    name: "rollback",
    usage: "/rollback [#PR]",
    help: "open a revert PR for the top suspect, or for the PR named"
  },
  {
    name: "redeploy",
    usage: "/redeploy [sha|previous]",
    help: "redeploy the previous good deploy (default) or a commit"
  },
  { name: "suspects", usage: "/suspects", help: "rank the suspect PRs again and post them" },
  { name: "resolve", usage: "/resolve [summary]", help: "mark the incident resolved" },
  { name: "postmortem", usage: "/postmortem", help: "open a PR with the blameless post-mortem draft" },
  { name: "action-item", usage: "/action-item <text>", help: "record a follow-up for the post-mortem" },
  { name: "split", usage: "/split N", help: "move related alert group N into its own incident" },
  { name: "help", usage: "/help", help: "list the commands" }
]);
var MAX_TEXT_LENGTH = 1e3;
var MAX_COMMANDS_PER_COMMENT = 20;
var MAX_ASSIGNEES = 10;
var SPEC_BY_NAME = new Map(COMMAND_SPECS.map((s) => [s.name, s]));
var COMMAND_LINE = /^ {0,3}\/([A-Za-z][A-Za-z-]*)(?=\s|$)(.*)$/;
var FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
var LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/;
var SHA = /^[0-9a-f]{7,40}$/i;
var HELP_TEXT = [
  "**aftershock commands** (one per line, at the start of the line):",
  "",
  "| Command | What it does |",
  "| --- | --- |",
  ...COMMAND_SPECS.map((s) => `| \`${s.usage.replace(/\|/g, "\\|")}\` | ${s.help} |`),
  "",
  "Commands inside code blocks and quotes are ignored. Changing commands need write access to the repository."
].join("\n");
function proseLines(body) {
  const visible = body.replace(/<!--[\s\S]*?(?:-->|$)/g, (span) => span.replace(/[^\r\n]/g, ""));
  const lines = visible.split(/\r\n|\r|\n/);
  const out = [];
  let fence = null;
  lines.forEach((text2, i) => {
    if (fence) {
      const close = FENCE_OPEN.exec(text2);
      if (close && close[1][0] === fence.char && close[1].length >= fence.length && close[2].trim() === "")
        fence = null;
      return;
    }
    const open = FENCE_OPEN.exec(text2);
    if (open && !(open[1][0] === "`" && open[2].includes("`"))) {
      fence = { char: open[1][0], length: open[1].length };
      return;
    }
    const trimmed = text2.trimStart();
    if (trimmed.startsWith(">") || /^( {4}|\t| {0,3}\t)/.test(text2)) return;
    out.push({ text: text2, line: i + 1 });
  });
  return out;
}
function parseCommands(body) {
  const results = [];
  for (const { text: text2, line } of proseLines(body)) {
    const match = COMMAND_LINE.exec(text2);
    if (!match) continue;
    const raw = text2.trim();
    const name = match[1].toLowerCase();
    if (results.length === MAX_COMMANDS_PER_COMMENT) {
      results.push({
        ok: false,
        name,
        line,
        raw,
        error: `Only the first ${MAX_COMMANDS_PER_COMMENT} commands of a comment run; post the rest in another comment.`
      });
      break;
    }
    results.push(parseOne(name, match[2].trim(), line, raw));
  }
  return results;
}
function parseOne(name, args, line, raw) {
  const spec = SPEC_BY_NAME.get(name);
  if (!spec) {
    const known = COMMAND_SPECS.map((s) => `/${s.name}`).join(", ");
    return { ok: false, name, line, raw, error: `Unknown command /${name}. Known commands: ${known}.` };
  }
  const result = parseArgs(spec.name, args);
  if ("error" in result) {
    return { ok: false, name, line, raw, error: `${result.error} Usage: \`${spec.usage}\`.` };
  }
  return { ok: true, command: result, line, raw };
}
function parseArgs(name, args) {
  const words = args === "" ? [] : args.split(/\s+/);
  switch (name) {
    case "ack":
    case "suspects":
    case "postmortem":
    case "help":
      if (words.length > 0)
        return { error: `/${name} takes no arguments (got "${clip(args)}"); use /note for a comment.` };
      return { name };
    case "severity": {
      const level = words[0]?.toUpperCase();
      if (words.length !== 1 || level !== "P1" && level !== "P2" && level !== "P3")
        return {
          error: `/severity needs one of P1, P2 or P3${words.length ? ` (got "${clip(args)}")` : ""}.`
        };
      return { name, severity: level };
    }
    case "assign":
      return parseAssign(args);
    case "note":
    case "action-item": {
      const error = checkText(`/${name}`, args, true);
      return error ? { error } : { name, text: args };
    }
    case "resolve": {
      const error = checkText("/resolve", args, false);
      if (error) return { error };
      return args === "" ? { name } : { name, summary: args };
    }
    case "rollback": {
      if (words.length === 0) return { name };
      const m = /^#?(\d{1,9})$/.exec(words[0]);
      if (words.length > 1 || !m || Number(m[1]) === 0)
        return { error: `/rollback takes one pull request number like #42 (got "${clip(args)}").` };
      return { name, pr: Number(m[1]) };
    }
    case "split": {
      const m = /^#?(\d{1,3})$/.exec(words[0] ?? "");
      if (words.length !== 1 || !m || Number(m[1]) === 0)
        return {
          error: `/split takes the number of a related alert group, as the "Related alerts" table shows it (got "${clip(args)}").`
        };
      return { name, group: Number(m[1]) };
    }
    case "redeploy": {
      if (words.length === 0 || words.length === 1 && words[0].toLowerCase() === "previous")
        return { name, target: { kind: "previous" } };
      if (words.length === 1 && SHA.test(words[0]))
        return { name, target: { kind: "sha", sha: words[0].toLowerCase() } };
      return {
        error: `/redeploy takes "previous" or a commit SHA of 7 to 40 hex characters (got "${clip(args)}").`
      };
    }
  }
}
function parseAssign(args) {
  const words = args.split(/[\s,]+/).filter((w) => w !== "");
  if (words.length === 0) return { error: "/assign needs at least one GitHub login." };
  const logins = [];
  for (const word of words) {
    const login = word.startsWith("@") ? word.slice(1) : word;
    if (login.includes("/"))
      return { error: `"${clip(word)}" is a team; /assign takes user logins (teams cannot be assigned).` };
    if (!LOGIN.test(login))
      return {
        error: `"${clip(word)}" is not a GitHub login (1 to 39 letters, digits or inner hyphens).`
      };
    if (!logins.some((l) => l.toLowerCase() === login.toLowerCase())) logins.push(login);
  }
  if (logins.length > MAX_ASSIGNEES)
    return { error: `/assign takes at most ${MAX_ASSIGNEES} logins (got ${logins.length}).` };
  return { name: "assign", logins };
}
function checkText(command, text2, required) {
  if (required && text2 === "") return `${command} needs text.`;
  const length = Array.from(text2).length;
  if (length > MAX_TEXT_LENGTH)
    return `${command} text is ${length} characters; the limit is ${MAX_TEXT_LENGTH}.`;
  return null;
}
function clip(text2) {
  const chars = Array.from(text2);
  return chars.length > 40 ? `${chars.slice(0, 39).join("")}\u2026` : text2;
}
function mutates(command) {
  return command.name !== "help" && command.name !== "suspects";
}
function requiredPermission(command) {
  if (command.name === "help") return "none";
  return mutates(command) ? "write" : "read";
}
function commandKey(commentId, line) {
  return `comment:${commentId}:line:${line}`;
}

// src/core/incident/response-metrics.ts
var TIMELINE_KINDS = Object.freeze({
  opened: "opened",
  alertAdded: "alert-added",
  alertResolved: "alert-resolved",
  alertRefired: "alert-refired",
  groupResolved: "resolved",
  groupRefired: "refired",
  deployCheckFailed: "deploy-check.failed",
  ack: "ack",
  severity: "severity",
  assign: "assign",
  note: "note",
  rollbackOpened: "rollback.opened",
  rollbackMerged: "rollback.merged",
  redeployRequested: "redeploy.requested",
  redeploySucceeded: "redeploy.succeeded",
  incidentResolved: "incident.resolved",
  actionItem: "action-item",
  postmortem: "postmortem"
});
var START_KINDS = /* @__PURE__ */ new Set([TIMELINE_KINDS.alertAdded, TIMELINE_KINDS.deployCheckFailed]);
var MITIGATION_KINDS = /* @__PURE__ */ new Set([
  TIMELINE_KINDS.rollbackMerged,
  TIMELINE_KINDS.redeploySucceeded,
  TIMELINE_KINDS.groupResolved
]);
function computeResponseMetrics(record, state = emptyResponseState()) {
  const timeline = record.timeline;
  const alertStarts = Object.values(record.fingerprints).map((a) => a.startsAt);
  const start = earliest([
    ...alertStarts,
    ...timeline.filter((e) => START_KINDS.has(e.kind)).map((e) => e.at),
    record.openedAt
  ]) ?? record.openedAt;
  const detected = record.openedAt;
  const acknowledged = state.acknowledgedAt ?? firstOf(timeline, /* @__PURE__ */ new Set([TIMELINE_KINDS.ack]));
  const resolved = state.resolvedAt ?? firstOf(timeline, /* @__PURE__ */ new Set([TIMELINE_KINDS.incidentResolved]));
  const mitigated = state.mitigatedAt ?? firstOf(timeline, MITIGATION_KINDS) ?? resolved;
  const milestones = { start, detected };
  if (acknowledged) milestones.acknowledged = acknowledged;
  if (mitigated) milestones.mitigated = mitigated;
  if (resolved) milestones.resolved = resolved;
  const ms = {};
  const set = (key, from, to) => {
    const d = between(from, to);
    if (d !== void 0) ms[key] = d;
  };
  set("detect", start, detected);
  set("acknowledge", detected, acknowledged);
  set("mitigate", start, mitigated);
  set("resolve", start, resolved);
  const formatted = {};
  for (const [key, value] of Object.entries(ms))
    formatted[key] = formatElapsed(value);
  return { milestones, ms, formatted };
}
function time(iso) {
  return iso === void 0 || iso === "" ? NaN : Date.parse(iso);
}
function earliest(isos) {
  let best;
  for (const iso of isos)
    if (!Number.isNaN(time(iso)) && (best === void 0 || time(iso) < time(best))) best = iso;
  return best;
}
function firstOf(timeline, kinds) {
  return earliest(timeline.filter((e) => kinds.has(e.kind)).map((e) => e.at));
}
function between(from, to) {
  const d = time(to) - time(from);
  return Number.isNaN(d) ? void 0 : Math.max(0, d);
}
function formatElapsed(ms) {
  let rest = Math.floor(Math.max(0, ms) / 1e3);
  const parts = [];
  for (const [unit, size] of [
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
    ["s", 1]
  ]) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || parts.length > 0) parts.push(`${n}${unit}`);
    if (parts.length === 2) break;
  }
  const shown2 = parts.filter((p, i) => i === 0 || !p.startsWith("0"));
  return shown2.length === 0 ? "0s" : shown2.join(" ");
}
function formatTime(iso) {
  const t = time(iso);
  if (Number.isNaN(t)) return escapeMarkdown(iso, 40);
  return `${new Date(t).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
var SYSTEM_ACTORS = /* @__PURE__ */ new Set(["alertmanager", "aftershock", "github-actions", "deploy-gate"]);
function actorRole(actor) {
  const a = actor.trim().toLowerCase();
  if (a.endsWith("[bot]")) return a.slice(0, -"[bot]".length);
  return SYSTEM_ACTORS.has(a) ? a : "responder";
}
function renderTimeline(entries, maxEntries = 200) {
  const sorted = entries.map((e, i) => ({ e, i })).sort((a, b) => (time(a.e.at) || 0) - (time(b.e.at) || 0) || a.i - b.i).map(({ e }) => e);
  const shown2 = sorted.slice(-maxEntries);
  const rows = shown2.map(
    (e) => `| ${formatTime(e.at)} | ${code(e.kind, 40, { table: true })} | ${escapeMarkdown(actorRole(e.actor), 40)} | ${escapeMarkdown(scrubMentions(e.text), 300)} |`
  );
  const skipped = sorted.length - shown2.length;
  return [
    "| Time | Event | By | What happened |",
    "| --- | --- | --- | --- |",
    ...skipped > 0 ? [`| | | | \u2026${skipped} earlier entries |`] : [],
    ...rows
  ].join("\n");
}
function scrubMentions(text2) {
  return text2.replace(/(?<![\w.+-])@[A-Za-z0-9](?:[A-Za-z0-9-]*)(?:\/[A-Za-z0-9_.-]+)?/g, "a responder");
}

// src/core/incident/render-incident.ts
var INCIDENT_COMMANDS = COMMAND_SPECS.map((s) => ({
  command: s.usage,
  help: s.help
}));
var MAX_BODY = 6e4;
var MAX_BLOCK = 3e4;
function severityFromLabel(value) {
  const v = (value ?? "").trim().toLowerCase();
  if (v === "p1" || v === "critical") return "P1";
  if (v === "p2" || v === "warning") return "P2";
  if (v === "p3" || v === "info") return "P3";
  return null;
}
function ratioFrom(text2) {
  if (text2 === void 0) return null;
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*(%?)\s*$/i.exec(text2);
  if (!m) return null;
  const n = Number(m[1]) / (m[2] ? 100 : 1);
  return Number.isFinite(n) ? n : null;
}
var RATIO_ANNOTATIONS = ["error_ratio", "value"];
function alertSeveritySource(alert, bands = DEFAULT_SEVERITY_BANDS) {
  const label = alert.labels["severity"];
  const fromLabel = severityFromLabel(label);
  if (fromLabel) return { severity: fromLabel, from: "label", label: label.trim() };
  for (const annotation of RATIO_ANNOTATIONS) {
    const ratio = ratioFrom(alert.annotations?.[annotation]);
    if (ratio !== null) return { severity: severityFor(ratio, bands), from: "ratio", annotation, ratio };
  }
  return null;
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
    responseSection(record),
    alertsTable(record, limits.alerts),
    relatedSection(record),
    suspectsSection(record, limits.suspects),
    renderSimilar(record),
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
  const rule = record.severityRule ? ` \u2014 set by ${escapeMarkdown(record.severityRule, 300)}` : "";
  return [
    `## ${escapeMarkdown(record.name, 120)}: ${escapeMarkdown(record.service, 80)} in ${escapeMarkdown(record.environment, 80)}`,
    "",
    `**Severity:** ${record.severity}${rule} \xB7 **Status:** ${status} \xB7 **Source:** ${source} \xB7 **Opened:** ${record.openedAt}`,
    `**Group:** ${code(record.groupKey, 200)}${record.externalURL ? ` \xB7 ${external}` : ""}`,
    ...record.source === "alert" || record.runbook || record.dashboard ? [whereToLook(record)] : []
  ].join("\n");
}
function whereToLook(record) {
  const runbook = safeUrl(record.runbook) ? link("open the runbook", record.runbook) : "none (add a `runbook_url` annotation to the alert, or `runbooks:` to .github/aftershock.yml)";
  const dashboard = safeUrl(record.dashboard) ? ` \xB7 **Dashboard:** ${link("open", record.dashboard)}` : "";
  return `**Runbook:** ${runbook}${dashboard}`;
}
function warnings(record) {
  if (record.warnings.length === 0) return "";
  return ["> [!WARNING]", ...record.warnings.map((w) => `> ${escapeMarkdown(w, 400)}`)].join("\n");
}
function responseSection(record) {
  if (!record.response) return "";
  const state = readResponseState(record);
  const f = computeResponseMetrics(record, state).formatted;
  const facts = [];
  if (state.acknowledgedAt)
    facts.push(
      `**Acknowledged:** ${formatTime(state.acknowledgedAt)}${f.acknowledge ? ` (after ${f.acknowledge})` : ""}`
    );
  if (state.mitigatedAt)
    facts.push(
      `**Mitigated:** ${formatTime(state.mitigatedAt)}${f.mitigate ? ` (after ${f.mitigate})` : ""}`
    );
  if (state.resolvedAt)
    facts.push(`**Resolved:** ${formatTime(state.resolvedAt)}${f.resolve ? ` (after ${f.resolve})` : ""}`);
  const lines = facts.length ? [facts.join(" \xB7 ")] : [];
  if (state.resolution) lines.push(`**Resolution:** ${escapeMarkdown(state.resolution, 500)}`);
  for (const r of state.rollbacks) {
    const revert = r.revertPr !== void 0 ? link(`#${r.revertPr}`, r.url, 40) : "by hand";
    lines.push(`**Rollback** of #${r.pr}: ${revert} (${r.state})`);
  }
  if (state.postmortem) {
    const pr = state.postmortem.pr !== void 0 ? `${link(`#${state.postmortem.pr}`, state.postmortem.url, 40)} \xB7 ` : "";
    lines.push(`**Post-mortem:** ${pr}${code(state.postmortem.path, 200)}`);
  }
  if (state.actionItems.length) {
    const items = state.actionItems.slice(0, 30).map((i) => `- ${escapeMarkdown(i.text, 200)}${i.issue !== void 0 ? ` (#${i.issue})` : ""}`);
    lines.push(["**Action items:**", "", ...items].join("\n"));
  }
  return lines.length ? ["### Response", ...lines].join("\n\n") : "";
}
function more(total, shown2, what) {
  return total > shown2 ? `

\u2026and ${total - shown2} more ${what}.` : "";
}
function alertsTable(record, limit) {
  const rows = Object.entries(record.fingerprints);
  const total = rows.length + (record.unlisted?.count ?? 0);
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
  ].join("\n") + more(total, lines.length, "alerts") + alertDetails(rows.slice(0, limit), limit > 10 ? 2e4 : 8e3);
}
function htmlText(text2, maxLength) {
  return oneLine(text2, maxLength).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
function pairsTable(heading, values) {
  const entries = Object.entries(values ?? {}).slice(0, 30);
  if (entries.length === 0) return [];
  const rows = entries.map(([k, v]) => `| ${escapeMarkdown(k, 100)} | ${escapeMarkdown(v, 300)} |`);
  return ["", `| ${heading} | Value |`, "| --- | --- |", ...rows];
}
function alertDetails(rows, budget) {
  const blocks = [];
  let used = 0;
  let omitted = 0;
  for (const [i, [, alert]] of rows.entries()) {
    const tables = [...pairsTable("Label", alert.labels), ...pairsTable("Annotation", alert.annotations)];
    if (tables.length === 0) continue;
    const block = [
      `<details><summary>${i + 1}. ${htmlText(alert.alertname, 120)}: labels and annotations</summary>`,
      ...tables,
      "",
      "</details>"
    ].join("\n");
    if (used + block.length > budget) {
      omitted++;
      continue;
    }
    used += block.length;
    blocks.push(block);
  }
  const note2 = omitted ? [
    `\u2026labels and annotations of ${omitted} more alert${omitted === 1 ? "" : "s"} were left out for length.`
  ] : [];
  const all = [...blocks, ...note2];
  return all.length ? `

${all.join("\n\n")}` : "";
}
function suspectsSection(record, limit) {
  if (record.suspects.length === 0) {
    return "### Suspects\n\nNo merged pull request was deployed in the lookback window.";
  }
  const lines = record.suspects.slice(0, limit).map((s, i) => {
    const pr = link(`#${s.number} ${s.title}`, s.url, 120) + (i === 0 ? likelihood(s.confidence) : "");
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
function likelihood(confidence) {
  if (confidence === void 0 || !Number.isFinite(confidence)) return "";
  return ` \xB7 **${percent(confidence)} likely**`;
}
function percent(confidence) {
  return `${Math.round(Math.min(1, Math.max(0, confidence)) * 100)} %`;
}
function renderSimilar(record) {
  const similar = record.similar ?? [];
  if (similar.length === 0) return "";
  const lines = similar.slice(0, 5).map((s) => {
    const why = s.why.map((w) => escapeMarkdown(w, 300)).join("; ");
    return `- ${link(`#${s.number}`, s.url, 40)} (${escapeMarkdown(s.outcome, 40)}): ${why}`;
  });
  return ["### Similar incidents", "", ...lines].join("\n");
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
  return renderUpdateLines(changes, (change) => ({
    icon: change.kind === "resolved" || change.kind === "alert-resolved" ? "\u2705" : "\u{1F525}",
    text: describeChange(change),
    summary: "alert" in change ? change.alert.summary : void 0
  }));
}

// src/app/pacing/deadline.ts
import { AsyncLocalStorage } from "node:async_hooks";
var current = new AsyncLocalStorage();
function withDeadline(at, fn) {
  return current.run(at, fn);
}
function withoutDeadline(fn) {
  return current.exit(fn);
}
function currentDeadline() {
  return current.getStore();
}
function busy(message, retryAfterMs) {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1e3));
  return new HttpError(503, message, void 0, { "retry-after": String(seconds) });
}
async function withLockBefore(lock, key, deadline, clock, fn) {
  let gaveUp = false;
  let timer;
  const expired = new Promise((_, reject) => {
    timer = setTimeout(
      () => {
        gaveUp = true;
        reject(busy("waited too long for this alert group's earlier delivery", 5e3));
      },
      Math.max(0, deadline - clock())
    );
  });
  const run2 = lock.withLock(key, async () => {
    clearTimeout(timer);
    if (gaveUp) return void 0;
    return fn();
  });
  run2.catch(() => void 0);
  try {
    return await Promise.race([run2, expired]);
  } finally {
    clearTimeout(timer);
  }
}

// src/app/pacing/write-budget.ts
var DEFAULT_WRITE_BUDGET = { perMinute: 60, perHour: 450 };
var PROBOT_THROTTLING_SPACING = { writeSpacingMs: 1e3, notifySpacingMs: 3e3 };
var MINUTE = 6e4;
var HOUR = 60 * MINUTE;
var MAX_KEYS = 1e4;
function isContentCreating(method, url) {
  const m = (method ?? "GET").toUpperCase();
  if (m === "GET" || m === "HEAD" || m === "OPTIONS") return false;
  const path = new URL(url ?? "/", "http://github.test").pathname;
  return path !== "/graphql" && !/^\/app\/installations\/[^/]+\/access_tokens$/.test(path);
}
function notifies(method, url) {
  if ((method ?? "").toUpperCase() !== "POST") return false;
  const path = new URL(url ?? "/", "http://github.test").pathname;
  return /^\/repos\/[^/]+\/[^/]+\/(issues|pulls)(\/[^/]+\/comments)?$/.test(path);
}
var WriteBudget = class {
  constructor(limits = DEFAULT_WRITE_BUDGET, now = Date.now) {
    this.limits = limits;
    this.now = now;
    if (!(limits.perMinute >= 1 && limits.perHour >= limits.perMinute))
      throw new Error(`a write budget needs 1 \u2264 perMinute \u2264 perHour, got ${JSON.stringify(limits)}`);
  }
  limits;
  now;
  /** Slot times (ms) taken per installation within the last hour, ascending. */
  #slots = /* @__PURE__ */ new Map();
  /** The last notifying slot per installation. */
  #notified = /* @__PURE__ */ new Map();
  /** When the next write for `key` could be sent (ms since the epoch); `notify`: one that notifies. */
  nextSlot(key, notify2 = false) {
    const now = this.now();
    const slots = this.#live(key, now);
    const { writeSpacingMs = 0, notifySpacingMs = 0 } = this.limits;
    const lastNotified = this.#notified.get(key);
    return Math.max(
      this.#windowSlot(slots, now),
      slots.length > 0 ? slots.at(-1) + writeSpacingMs : now,
      notify2 && lastNotified !== void 0 ? lastNotified + notifySpacingMs : now
    );
  }
  /** Resolves when `key`'s next write slot has come (takes nothing). */
  async untilFree(key) {
    const wait = this.nextSlot(key) - this.now();
    if (wait > 0) await new Promise((resolve2) => setTimeout(resolve2, wait));
  }
  /** Refuses (503) a delivery when the budget has no room before `deadline`; takes nothing. */
  admit(key, deadline) {
    const now = this.now();
    const slot = this.#windowSlot(this.#live(key, now), now);
    if (slot > deadline) throw this.#refusal(slot);
  }
  /**
   * When the minute and hour windows next have room, spacing aside. Slots are handed out in order,
   * so the windows only look back from the last ones.
   */
  #windowSlot(slots, now) {
    const { perMinute, perHour } = this.limits;
    return Math.max(
      now,
      slots.length >= perMinute ? slots[slots.length - perMinute] + MINUTE : now,
      slots.length >= perHour ? slots[slots.length - perHour] + HOUR : now
    );
  }
  /**
   * Takes the next slot and waits for it. Throws 503 (and takes nothing) when the slot comes after
   * `deadline`: the request is never sent.
   */
  async take(key, deadline, notify2 = false) {
    const slot = this.nextSlot(key, notify2);
    if (deadline !== void 0 && slot > deadline) throw this.#refusal(slot);
    const slots = this.#live(key, this.now());
    slots.push(slot);
    this.#slots.delete(key);
    this.#slots.set(key, slots);
    if (this.#slots.size > MAX_KEYS) this.#slots.delete(this.#slots.keys().next().value);
    if (notify2) {
      this.#notified.delete(key);
      this.#notified.set(key, slot);
      if (this.#notified.size > MAX_KEYS) this.#notified.delete(this.#notified.keys().next().value);
    }
    const wait = slot - this.now();
    if (wait > 0) await new Promise((resolve2) => setTimeout(resolve2, wait));
  }
  /** Writes taken in the last minute and hour (metrics, tests). */
  used(key) {
    const now = this.now();
    const slots = this.#live(key, now);
    return { minute: slots.filter((t) => t > now - MINUTE).length, hour: slots.length };
  }
  #live(key, now) {
    const slots = this.#slots.get(key) ?? [];
    const first = slots.findIndex((t) => t > now - HOUR);
    return first < 0 ? [] : first === 0 ? slots : slots.slice(first);
  }
  #refusal(slot) {
    return budgetRefusal(this.limits, slot - this.now());
  }
};
function budgetRefusal(limits, waitMs) {
  return new BudgetRefusal(
    `the GitHub write budget of this installation (${limits.perMinute}/min, ${limits.perHour}/h) has no slot for ${Math.ceil(waitMs / 1e3)} s; Alertmanager will retry`,
    waitMs
  );
}
var BudgetRefusal = class extends HttpError {
  constructor(message, retryAfterMs) {
    const refusal2 = busy(message, retryAfterMs);
    super(refusal2.status, refusal2.message, void 0, refusal2.headers);
    this.name = "BudgetRefusal";
  }
};
function paceWrites(octokit, budget, key, deadline) {
  octokit.hook.wrap("request", async (request, options) => {
    if (isContentCreating(options.method, options.url))
      await budget.take(key, deadline(), notifies(options.method, options.url));
    return request(options);
  });
  return octokit;
}

// src/app/pipeline/correlate.ts
import { SpanStatusCode as SpanStatusCode2 } from "@opentelemetry/api";

// src/core/config/repo-config.ts
import { LineCounter, isMap, isNode, isScalar, isSeq, parseDocument } from "yaml";
import { z as z4 } from "zod";

// src/core/text/duration.ts
var UNITS = { ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
function parseDuration(text2, what = "duration") {
  const s = String(text2).trim();
  if (/^\d+(\.\d+)?$/.test(s)) return positive(Number(s), what, text2);
  if (/^-\d/.test(s)) throw new Error(`${what} "${text2}" must be greater than zero`);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * UNITS[m[2]];
    matched = re.lastIndex;
  }
  if (s === "" || matched !== s.length) {
    throw new Error(
      `${what} "${text2}" is not a duration: use a number with a unit, like 30s, 10m, 1h or 1h30m`
    );
  }
  return positive(total, what, text2);
}
function positive(seconds, what, text2) {
  if (!(seconds > 0)) throw new Error(`${what} "${text2}" must be greater than zero`);
  return seconds;
}

// src/core/text/urls.ts
function redactUrl(url) {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    for (const key of [...new Set(u.searchParams.keys())]) u.searchParams.set(key, "redacted");
    return u.toString();
  } catch {
    return String(url).replace(/\/\/[^/@]*@/, "//").replace(/\?.*$/, "?redacted");
  }
}
function isHttpUrl(url) {
  return safeUrl(url) !== null;
}

// src/core/config/repo-config.ts
var labelName = z4.string().trim().min(1).max(50);
var LabelsSchema = z4.object({
  /** Marks an issue as an incident; also how open incidents are found again. */
  incident: labelName.default("incident"),
  /** Added when the alert group resolves. */
  resolved: labelName.default("resolved"),
  /** Added to every incident. */
  extra: z4.array(labelName).default([])
});
var secretEnvName = (prefix) => z4.string().trim().regex(new RegExp(`^(AFTERSHOCK_)?${prefix}_[A-Z0-9_]+$`), {
  message: `must name an environment variable of the app starting with ${prefix}_ or AFTERSHOCK_${prefix}_`
});
var noInlineSecret = (envKey) => z4.unknown().optional().refine((value) => value === void 0, {
  message: `must not be in the repository file (it is a secret): set it in the app's environment and name that variable with ${envKey}`
});
var DEFAULT_SLACK_WEBHOOK_ENV = "SLACK_WEBHOOK_URL";
var DEFAULT_PAGERDUTY_ROUTING_KEY_ENV = "PAGERDUTY_ROUTING_KEY";
var NotificationsSchema = z4.strictObject({
  /** Slack incoming webhook: the app's environment variable holding the webhook URL. */
  slack: z4.strictObject({
    webhookUrlEnv: secretEnvName("SLACK").default(DEFAULT_SLACK_WEBHOOK_ENV),
    webhookUrl: noInlineSecret("webhookUrlEnv")
  }).transform(({ webhookUrlEnv }) => ({ webhookUrlEnv })).optional(),
  /** PagerDuty Events API v2: the app's environment variable holding the integration's routing key. */
  pagerduty: z4.strictObject({
    routingKeyEnv: secretEnvName("PAGERDUTY").default(DEFAULT_PAGERDUTY_ROUTING_KEY_ENV),
    routingKey: noInlineSecret("routingKeyEnv")
  }).transform(({ routingKeyEnv }) => ({ routingKeyEnv })).optional()
});
var RollbackSchema2 = z4.object({
  /** Open revert PRs as drafts, so a person decides to merge. */
  draft: z4.boolean().default(true),
  /** Open the revert PR by itself when an incident opens; off unless a repository asks for it. */
  auto: z4.object({
    enabled: z4.boolean().default(false),
    /** The least severe level that triggers it: P1 only P1, P2 also P1. */
    severity: z4.enum(["P1", "P2", "P3"]).default("P1"),
    /** The top suspect's score must be at least this (0..1). */
    minScore: z4.number().min(0).max(1).default(0.6)
  }).default({ enabled: false, severity: "P1", minScore: 0.6 })
});
var PostmortemsSchema = z4.object({
  /** Where /postmortem writes the file, relative to the repository root. */
  folder: z4.string().trim().min(1).default("docs/postmortems")
});
var HistorySchema = z4.object({
  /** Look for similar past incidents when an incident opens. */
  enabled: z4.boolean().default(true),
  /** How far back past incidents are read, as a duration ("90d"). */
  lookback: z4.string().default("90d").refine((text2) => isDuration(text2), { message: 'must be a duration like "90d" or "12w"' })
});
var AuthorNoteSchema = z4.object({
  /** Comment on the top suspect's PR when an incident opens (or a deploy check fails). */
  enabled: z4.boolean().default(true),
  /** Only when the top suspect's calibrated confidence is at least this (0..1). */
  minConfidence: z4.number().min(0).max(1).default(0.5)
});
var GroupingSchema = z4.object({
  /** Alert groups blaming the same deploy join one incident instead of opening their own. */
  enabled: z4.boolean().default(true),
  /** A group joins an incident opened at most this many minutes before it fired. */
  windowMinutes: z4.number().int().min(1).max(24 * 60).default(30)
});
var httpUrl = z4.string().trim().refine((text2) => isHttpUrl(text2), { message: "must be an http(s) URL" });
var SeverityBandsSchema = z4.union([z4.string(), z4.array(z4.string()).min(1)]).transform((value, ctx) => {
  const parts = Array.isArray(value) ? value : [value];
  const bands = [];
  for (const [i, part] of parts.entries()) {
    try {
      bands.push(...parseSeverityBands(part));
    } catch (err) {
      ctx.addIssue({
        code: "custom",
        path: Array.isArray(value) ? [i] : [],
        message: `must be bands like "P1:>5%,P2:1%,P3:0" (${errorMessage(err)})`
      });
    }
  }
  return bands;
});
var PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
var DashboardTemplateSchema = z4.string().trim().refine((text2) => isHttpUrl(text2.replace(PLACEHOLDER, "x")), {
  message: 'must be an http(s) URL, with placeholders like "https://grafana.example/d/x?var-service={{service}}&var-env={{environment}}"'
});
var RepoConfigSchema = z4.object({
  // `labels: [ops, team-a]` is shorthand for extra labels.
  labels: z4.union([z4.array(labelName).transform((extra) => LabelsSchema.parse({ extra })), LabelsSchema]).default(LabelsSchema.parse({})),
  /** On-call: assigned to every new incident. */
  assignees: z4.array(z4.string().trim().min(1)).default([]),
  /** Path globs that belong to each service, for scoring suspects. */
  services: z4.record(z4.string(), z4.array(z4.string())).default({}),
  /** Globs of risky paths; unset lets the scorer use its defaults. */
  riskyPaths: z4.array(z4.string()).optional(),
  /** How far before the alert deployments are considered, as a duration ("24h", "90m"). */
  lookback: z4.string().default("24h").refine((text2) => isDuration(text2), { message: 'must be a duration like "24h", "90m" or "2d"' }),
  /** The alert label naming the repository ("owner/name"). */
  repositoryLabel: z4.string().trim().min(1).default("repository"),
  /** Close the incident when its alert group resolves (it is always labelled resolved). */
  closeOnResolve: z4.boolean().default(false),
  /** Deployment environments; the first is used when an alert names none. */
  environments: z4.array(z4.string().trim().min(1)).min(1).default(["production"]),
  /** Where incidents are announced; absent means nowhere. */
  notifications: NotificationsSchema.default({}),
  /** /rollback, and the optional automatic rollback when an incident opens. */
  rollback: RollbackSchema2.default(RollbackSchema2.parse({})),
  /** /postmortem. */
  postmortems: PostmortemsSchema.default(PostmortemsSchema.parse({})),
  /** Error-ratio bands for an alert without a severity label (read from its error_ratio/value annotation). */
  severityBands: SeverityBandsSchema.default([...DEFAULT_SEVERITY_BANDS]),
  /** Runbook URLs by alert name, and `default` for the rest; an alert's runbook_url annotation wins. */
  runbooks: z4.record(z4.string(), httpUrl).default({}),
  /** Dashboard URL template, used when the alert has no generatorURL. */
  dashboard: DashboardTemplateSchema.optional(),
  /** Similar past incidents, shown when an incident opens. */
  history: HistorySchema.default(HistorySchema.parse({})),
  /** A short note to the author of the top suspect, once per incident. */
  authorNote: AuthorNoteSchema.default(AuthorNoteSchema.parse({})),
  /** One incident per cause: see core/related-groups.ts. */
  grouping: GroupingSchema.default(GroupingSchema.parse({}))
});
var CONFIG_PATH = ".github/aftershock.yml";
var DEFAULT_REPO_CONFIG = RepoConfigSchema.parse({});
function isDuration(text2) {
  try {
    parseDuration(text2);
    return true;
  } catch {
    return false;
  }
}
function lookbackSeconds(config) {
  return parseDuration(config.lookback, "lookback");
}
function historyLookbackSeconds(config) {
  return parseDuration(config.history.lookback, "history.lookback");
}
var MAX_CONFIG_BYTES = 64 * 1024;
var MAX_UNKNOWN_WARNINGS = 10;
var MAX_GLOB_LENGTH = 200;
var EXTGLOB = /[*@+?!]\(/;
function globProblem(glob) {
  if (glob.length > MAX_GLOB_LENGTH) return `longer than ${MAX_GLOB_LENGTH} characters`;
  if (EXTGLOB.test(glob)) return "extglob patterns like *( ) and @( ) are not supported";
  return null;
}
function shown(glob) {
  return glob.length > 60 ? `${glob.slice(0, 59)}\u2026` : glob;
}
function safeGlobs(where, globs, warnings2) {
  return globs.filter((glob) => {
    const problem = globProblem(glob);
    if (problem) warnings2.push(`${CONFIG_PATH}: ${where}: glob "${shown(glob)}" was ignored: ${problem}`);
    return problem === null;
  });
}
function parseRepoConfig(text2) {
  if (Buffer.byteLength(text2, "utf8") > MAX_CONFIG_BYTES) {
    return defaultsBecause(`${CONFIG_PATH} is larger than ${MAX_CONFIG_BYTES} bytes`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text2, { lineCounter: lines });
  let raw;
  try {
    if (doc.errors[0]) throw doc.errors[0];
    raw = doc.toJS();
  } catch (err) {
    const first = errorMessage(err).split("\n")[0].replace(/:$/, "");
    return defaultsBecause(`${CONFIG_PATH} is not valid YAML: ${first}`);
  }
  if (raw === null || raw === void 0) return { config: DEFAULT_REPO_CONFIG, error: null, warnings: [] };
  if (typeof raw !== "object" || Array.isArray(raw)) {
    return defaultsBecause(`${CONFIG_PATH} must be a mapping of settings (labels, assignees, services, ...)`);
  }
  const result = RepoConfigSchema.safeParse(raw);
  if (!result.success) {
    const { issues } = result.error;
    const problems = issues.map((issue) => describeIssue(issue, raw, doc, lines)).sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
    const rest2 = problems.length - 3;
    const more2 = rest2 > 0 ? ` (and ${rest2} more problem${rest2 === 1 ? "" : "s"})` : "";
    return defaultsBecause(
      `${CONFIG_PATH}: ${problems.slice(0, 3).map((p) => p.text).join("; ")}${more2}`
    );
  }
  const known = new Set(Object.keys(RepoConfigSchema.shape));
  const unknown = Object.keys(raw).filter((key) => !known.has(key));
  const topLines = topLevelLines(doc, lines);
  const warnings2 = unknown.slice(0, MAX_UNKNOWN_WARNINGS).map(
    (key) => `${CONFIG_PATH}: unknown setting "${key.slice(0, 60)}" (line ${topLines.get(key)}) was ignored (known: ${[...known].join(", ")})`
  );
  const rest = unknown.length - MAX_UNKNOWN_WARNINGS;
  if (rest > 0) warnings2.push(`${CONFIG_PATH}: and ${rest} more unknown settings were ignored`);
  const config = result.data;
  const services = Object.fromEntries(
    Object.entries(config.services).map(([name, globs]) => [
      name,
      safeGlobs(`services.${name.slice(0, 60)}`, globs, warnings2)
    ])
  );
  const riskyPaths = config.riskyPaths && safeGlobs("riskyPaths", config.riskyPaths, warnings2);
  return {
    config: { ...config, services, ...riskyPaths ? { riskyPaths } : {} },
    error: null,
    warnings: warnings2
  };
}
function topLevelLines(doc, lines) {
  const found = /* @__PURE__ */ new Map();
  if (!isMap(doc.contents)) return found;
  for (const pair of doc.contents.items) {
    const key = pair.key;
    if (isScalar(key) && key.range) found.set(String(key.value), lines.linePos(key.range[0]).line);
  }
  return found;
}
function yamlPath(path) {
  return path.map((part, i) => typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`).join("");
}
var NOUNS = {
  string: "a string",
  number: "a number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping",
  record: "a mapping"
};
function kindOf(value) {
  if (value === null) return "nothing (null)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "boolean") return "true or false";
  return `a ${typeof value}`;
}
function valueAt(raw, path) {
  let value = raw;
  for (const part of path) {
    if (value === null || typeof value !== "object") return void 0;
    value = value[part];
  }
  return value;
}
function describeIssue(issue, raw, doc, lines) {
  const where = issue.path.length ? yamlPath(issue.path) : "(top level)";
  let problem;
  if (issue.code === "invalid_type") {
    const found = valueAt(raw, issue.path);
    problem = found === void 0 ? "is required" : `must be ${NOUNS[issue.expected] ?? issue.expected}, not ${kindOf(found)}`;
  } else if (issue.message.startsWith("must")) {
    problem = issue.message;
  } else {
    problem = `is invalid: ${issue.message.replace(/^Invalid input: /, "")}`;
  }
  const line = lineOf(doc, lines, issue.path);
  return { text: `${where} ${problem}${line === void 0 ? "" : ` (line ${line})`}`, line };
}
function lineOf(doc, lines, path) {
  for (let n = path.length; n > 0; n--) {
    const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
    const last = path[n - 1];
    let node;
    if (isMap(parent)) {
      node = parent.items.find(
        (pair) => String(isScalar(pair.key) ? pair.key.value : pair.key) === String(last)
      )?.key;
    } else if (isSeq(parent) && typeof last === "number") {
      node = parent.items[last];
    }
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return void 0;
}
function defaultsBecause(error) {
  return { config: DEFAULT_REPO_CONFIG, error: `${error}; the defaults were used`, warnings: [] };
}

// src/core/suspects/scoring.ts
import picomatch2 from "picomatch";
import { z as z6 } from "zod";

// src/core/suspects/evidence.ts
var MAX_ANNOTATION_CHARS = 16e3;
var MAX_FRAMES = 50;
var PATH_TOKEN = /(?:^|[\s("'`[=,])(\/?[\w.@~+-]*(?:\/[\w.@~+-]+)*\.[A-Za-z][A-Za-z0-9]{0,7})(?::(\d{1,7}))?/g;
var PYTHON_FRAME = /File "([^"\n]{1,300})", line (\d{1,7})/g;
var LIBRARY_PATH = /(^|\/)(node_modules|site-packages|dist-packages|vendor|\.venv|venv|gems|go\/pkg\/mod|usr\/lib|usr\/local\/lib)\//;
var NOT_SOURCE = /\.(com|org|net|io|dev|app|cloud|local|internal|svc|html?)$/i;
function parseEvidence(annotations) {
  if (annotations === void 0) return [];
  let budget = MAX_ANNOTATION_CHARS;
  const frames = [];
  const seen = /* @__PURE__ */ new Set();
  const push = (rawPath, line) => {
    const path = rawPath.replace(/^\.\//, "");
    if (path.length === 0 || path.length > 300 || NOT_SOURCE.test(path)) return;
    if (!path.includes("/") && line === void 0) return;
    if (LIBRARY_PATH.test(path) || seen.has(path) || frames.length >= MAX_FRAMES) return;
    seen.add(path);
    const frame = { path, text: line === void 0 ? path : `${path}:${line}` };
    if (line !== void 0) frame.line = Number(line);
    frames.push(frame);
  };
  for (const key of Object.keys(annotations).sort()) {
    if (budget <= 0) break;
    const text2 = String(annotations[key] ?? "").slice(0, budget);
    budget -= text2.length;
    for (const m of text2.matchAll(PYTHON_FRAME)) push(m[1] ?? "", m[2]);
    for (const m of text2.matchAll(PATH_TOKEN)) {
      push(m[1] ?? "", m[2]);
    }
  }
  return frames;
}
function frameFor(file, frames) {
  const rootFile = !file.includes("/");
  for (const f of frames) {
    if (f.path === file) return f;
    const shallow = f.path.replace(/^\//, "").split("/").length <= 2;
    if (f.path.endsWith(`/${file}`) && (!rootFile || shallow)) return f;
    if (file.endsWith(`/${f.path}`)) return f;
  }
  return void 0;
}

// src/core/suspects/paths.ts
import picomatch from "picomatch";
var GLOB_OPTIONS = Object.freeze({ dot: true, noextglob: true });
var MAX_PATTERN_LENGTH = 200;
function compileGlob(glob) {
  if (glob.length === 0 || glob.length > MAX_PATTERN_LENGTH) return void 0;
  try {
    return picomatch(glob, GLOB_OPTIONS);
  } catch {
    return void 0;
  }
}
var NON_PRODUCTION_DIRS = /* @__PURE__ */ new Set([
  "test",
  "tests",
  "__tests__",
  "__mocks__",
  "spec",
  "specs",
  "e2e",
  "cypress",
  "playwright",
  "fixtures",
  "testdata",
  "docs",
  "doc",
  "examples",
  "example",
  ".github",
  ".circleci",
  ".gitlab",
  ".vscode",
  ".devcontainer",
  ".changeset"
]);
var NON_PRODUCTION_FILE = /(^|[._-])(test|tests|spec)\.[a-z0-9]+$|_test\.go$|^test_.*\.py$|\.(md|mdx|rst|txt|adoc)$|^(license|licence|codeowners|changelog|authors|contributing)(\.[a-z]+)?$|^\.(gitignore|gitattributes|editorconfig|prettierrc|prettierignore|eslintrc|eslintignore|pre-commit-config\.yaml)/i;
var CI_FILE = /^(\.travis\.yml|\.gitlab-ci\.yml|jenkinsfile|azure-pipelines\.yml|\.pre-commit-config\.yaml)$/i;
function isNonProductionPath(path) {
  const segments = path.split("/");
  const name = segments[segments.length - 1] ?? "";
  for (let i = 0; i < segments.length - 1; i++) {
    if (NON_PRODUCTION_DIRS.has((segments[i] ?? "").toLowerCase())) return true;
  }
  if (/^requirements.*\.txt$/i.test(name)) return false;
  return NON_PRODUCTION_FILE.test(name) || CI_FILE.test(name);
}
var DEPENDENCY_FILE = /^(package\.json|package-lock\.json|yarn\.lock|pnpm-lock\.yaml|npm-shrinkwrap\.json|go\.mod|go\.sum|requirements.*\.(txt|in)|poetry\.lock|pyproject\.toml|pipfile(\.lock)?|uv\.lock|gemfile(\.lock)?|cargo\.(toml|lock)|composer\.(json|lock)|pom\.xml|build\.gradle(\.kts)?|gradle\.lockfile|mix\.(exs|lock)|\.nvmrc|\.node-version|\.tool-versions|\.ruby-version|\.python-version)$/i;
function isDependencyFile(path) {
  return DEPENDENCY_FILE.test(path.slice(path.lastIndexOf("/") + 1));
}
var COSMETIC_FILE = /\.(css|scss|sass|less|styl|svg|png|jpe?g|gif|webp|ico|woff2?|ttf|eot|otf|po|pot|mo|xliff)$/i;
var COSMETIC_DIRS = /* @__PURE__ */ new Set(["locale", "locales", "translations", "i18n", "lang"]);
function isCosmeticPath(path) {
  if (COSMETIC_FILE.test(path)) return true;
  const segments = path.split("/");
  for (let i = 0; i < segments.length - 1; i++)
    if (COSMETIC_DIRS.has((segments[i] ?? "").toLowerCase())) return true;
  return false;
}

// src/core/suspects/features.ts
var FEATURE_NAMES = [
  // 1 when a changed file belongs to the alert's service.
  "touchesService",
  // 1 when most of its files that belong to any service belong to the alert's.
  "mainService",
  // Share of its changed lines (files, when no lines changed) in the alert's service.
  "serviceShare",
  // log(1 + PRs touching the service that shipped after it): the newest change to a service is the usual culprit.
  "laterServiceChanges",
  // log(1 + PRs that shipped after it).
  "laterPulls",
  // log(1 + tens of minutes from its deploy to the alert).
  "timeSinceDeploy",
  // log(1 + files changed).
  "files",
  // 1 when it touches migrations, manifests, deploy configuration (riskyPaths).
  "riskyPaths",
  // 1 when it changes only tests, docs or CI.
  "nonProductionOnly",
  // 1 for a dependency bump: a bot author, a "bump X from A to B" title, or only manifests.
  "dependencyBump",
  // 1 when it changes only stylesheets, images, fonts or translations.
  "cosmeticOnly",
  "alertEvidence",
  "beingVerified",
  "checkFailed"
];
var VERIFYING_STATUSES = /* @__PURE__ */ new Set(["in_progress", "queued", "pending"]);
var BUMP_TITLE = /\b(bump|bumps|upgrade|update)\b.*\bfrom\b.*\bto\b|^(chore|build)\(deps(-dev)?\)/i;
var BOT_AUTHOR = /\b(dependabot|renovate|greenkeeper|snyk-bot)\b/i;
function isVerifying(d) {
  return VERIFYING_STATUSES.has(d.status.toLowerCase());
}
function extractFeatures(input, ctx) {
  const merged = new Map(input.map((c) => [c, Date.parse(c.pull.mergedAt)]));
  const candidates = [...input].sort(
    (a, b) => a.deployedAt - b.deployedAt || merged.get(a) - merged.get(b) || a.pull.number - b.pull.number
  );
  const deployTimes = [...new Set(candidates.map((c) => c.deployedAt))];
  const ownership = candidates.map((c) => serviceOwnership(c.pull, ctx.scope));
  const serviceFrom = new Array(candidates.length + 1).fill(0);
  for (let i = candidates.length - 1; i >= 0; i--)
    serviceFrom[i] = serviceFrom[i + 1] + (ownership[i].globs.length > 0 ? 1 : 0);
  return candidates.map((c, i) => {
    const own = ownership[i];
    const p = c.pull;
    const paths = p.files.map((f) => f.path);
    const lines = p.additions + p.deletions;
    const touches = own.globs.length > 0;
    const laterServicePulls = serviceFrom[i + 1];
    const deploysAfter = deployTimes.filter((t) => t > c.deployedAt).length;
    const laterPulls = candidates.length - 1 - i;
    const riskyFiles = paths.filter((path) => ctx.isRisky(path));
    const nonProduction = paths.length > 0 && paths.every(isNonProductionPath);
    const dependencyBump = BOT_AUTHOR.test(p.author) || BUMP_TITLE.test(p.title.slice(0, 300)) || paths.some(isDependencyFile) && paths.every((path) => isDependencyFile(path) || isNonProductionPath(path));
    let frame;
    if (ctx.frames.length > 0) {
      for (const file of paths) {
        const f = frameFor(file, ctx.frames);
        if (f) {
          frame = { file, frame: f };
          break;
        }
      }
    }
    const ageMs = Math.max(0, ctx.alertAt - c.deployedAt);
    const values = {
      touchesService: touches ? 1 : 0,
      mainService: touches && mainServiceOf(p, ctx.scope) === ctx.scope.service ? 1 : 0,
      serviceShare: touches ? own.share : 0,
      laterServiceChanges: touches ? Math.log1p(laterServicePulls) : 0,
      laterPulls: Math.log1p(laterPulls),
      timeSinceDeploy: Math.log1p(ageMs / 6e5),
      files: Math.log1p(p.files.length),
      riskyPaths: riskyFiles.length > 0 ? 1 : 0,
      nonProductionOnly: nonProduction ? 1 : 0,
      dependencyBump: dependencyBump ? 1 : 0,
      cosmeticOnly: paths.length > 0 && paths.every(isCosmeticPath) ? 1 : 0,
      alertEvidence: frame ? 1 : 0,
      beingVerified: isVerifying(c.deployment) ? 1 : 0,
      checkFailed: c.deployment.checkFailed === true ? 1 : 0
    };
    const facts = {
      serviceGlobs: own.globs,
      totalLines: lines,
      laterServicePulls,
      laterPulls,
      deploysAfter,
      ageMs,
      riskyFiles,
      status: c.deployment.status
    };
    if (frame) facts.frame = frame;
    if (ctx.scope.service !== void 0 && ctx.scope.paths.length > 0) facts.service = ctx.scope.service;
    return { candidate: c, values, facts };
  });
}
function mainServiceOf(p, scope) {
  const votes = /* @__PURE__ */ new Map();
  for (const f of p.files) {
    const s = scope.serviceOf(f.path);
    if (s === void 0) continue;
    const v = votes.get(s) ?? { files: 0, lines: 0 };
    v.files += 1;
    v.lines += f.additions + f.deletions;
    votes.set(s, v);
  }
  let best;
  for (const e of votes) {
    if (!best || e[1].files > best[1].files || e[1].files === best[1].files && e[1].lines > best[1].lines)
      best = e;
  }
  return best?.[0];
}
function serviceOwnership(p, scope) {
  const globs = [];
  let lines = 0;
  let files = 0;
  let total = 0;
  for (const f of p.files) {
    total += f.additions + f.deletions;
    const owner = scope.owner(f.path);
    if (!owner) continue;
    files += 1;
    lines += f.additions + f.deletions;
    if (!globs.some((g) => g.glob === owner.glob)) globs.push(owner);
  }
  const share = total > 0 ? lines / total : p.files.length > 0 ? files / p.files.length : 0;
  return { globs, share };
}

// src/core/suspects/model.ts
import { z as z5 } from "zod";

// src/core/suspects/model.json
var model_default = {
  version: 3,
  kind: "conditional-logit",
  features: [
    "touchesService",
    "mainService",
    "serviceShare",
    "laterServiceChanges",
    "laterPulls",
    "timeSinceDeploy",
    "files",
    "riskyPaths",
    "nonProductionOnly",
    "dependencyBump",
    "cosmeticOnly"
  ],
  coefficients: {
    touchesService: 1.351434,
    mainService: 2.18124,
    serviceShare: 0.69313,
    laterServiceChanges: -0.366079,
    laterPulls: -0.444168,
    timeSinceDeploy: -0.239499,
    files: 0.267572,
    riskyPaths: 0.195571,
    nonProductionOnly: -1.449262,
    dependencyBump: 0.279958,
    cosmeticOnly: -2.648426
  },
  temperature: 0.748583,
  priors: {
    alertEvidence: 3,
    beingVerified: 1,
    checkFailed: 1.5
  },
  outside: 3.47384,
  l2: 10,
  cases: 153,
  trainedOn: "culprit-dev (real reverts, 6 repositories)"
};

// src/core/suspects/format.ts
function formatAge(ms) {
  const seconds = Math.max(0, Math.round(ms / 1e3));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

// src/core/suspects/fit.ts
function softmax(logits) {
  const max = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - max));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
}

// src/core/suspects/infer-paths.ts
var MAX_INFERRED_PATHS = 16;
var MAX_PER_SOURCE = 8;
var MAX_HINT_PATHS = 5e4;
var MAX_CODEOWNERS_CHARS = 64 * 1024;
var MAX_CODEOWNERS_LINES = 2e3;
var SOURCE_FOLDER = "a folder named like the service";
var SOURCE_CODEOWNERS = "CODEOWNERS assigns it to the service's owners";
var SOURCE_PAST_CULPRIT = "an earlier incident's culprit for the service changed it";
function inferServicePaths(service, hints = {}, candidatePaths = []) {
  const tokens = tokenize(service);
  if (tokens.length === 0) return [];
  const out = [];
  const seen = /* @__PURE__ */ new Set();
  const add = (glob, source, budget) => {
    if (budget.left <= 0 || out.length >= MAX_INFERRED_PATHS || seen.has(glob)) return;
    if (compileGlob(glob) === void 0) return;
    seen.add(glob);
    out.push({ glob, source });
    budget.left -= 1;
  };
  const past = { left: MAX_PER_SOURCE };
  for (const glob of pastCulpritGlobs(hints.pastCulpritFiles ?? [])) add(glob, SOURCE_PAST_CULPRIT, past);
  const owners = { left: MAX_PER_SOURCE };
  for (const glob of codeownersGlobs(hints.codeowners ?? "", tokens)) add(glob, SOURCE_CODEOWNERS, owners);
  const folders = { left: MAX_PER_SOURCE };
  const all = [...hints.paths ?? [], ...candidatePaths].slice(0, MAX_HINT_PATHS);
  for (const folder of foldersNamedLike(tokens, all)) add(`${folder}/**`, SOURCE_FOLDER, folders);
  return out;
}
function tokenize(s) {
  return s.slice(0, MAX_PATTERN_LENGTH).replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase().split(/[^a-z0-9]+/).filter((t) => t.length > 0);
}
var ROLE_WORDS = /* @__PURE__ */ new Set([
  "api",
  "app",
  "apps",
  "web",
  "www",
  "ui",
  "core",
  "common",
  "lib",
  "libs",
  "main",
  "src",
  "server",
  "service",
  "services",
  "svc",
  "backend",
  "frontend",
  "client",
  "public",
  "graph",
  "v1",
  "v2",
  "v3",
  "prod",
  "config"
]);
function foldersNamedLike(tokens, paths) {
  const folders = /* @__PURE__ */ new Set();
  for (const p of paths) {
    if (p.length > 4 * MAX_PATTERN_LENGTH) continue;
    const segments = p.replace(/\/+$/, "").split("/");
    for (let i = 1; i <= segments.length; i++) folders.add(segments.slice(0, i).join("/"));
  }
  const candidates = [...folders].filter(
    (f) => !isNonProductionPath(`${f}/x`) && !/[*?[\]{}()!+@\\]/.test(f) && f.length < MAX_PATTERN_LENGTH - 3
  );
  const joined = tokens.join("");
  const withoutRole = ROLE_WORDS.has(tokens[tokens.length - 1] ?? "") ? tokens.slice(0, -1) : [];
  const prefixless = tokens.slice(1);
  const tiers = [
    (s) => squash(s[s.length - 1] ?? "") === joined,
    (s) => {
      const lastTokens = tokenize(s[s.length - 1] ?? "");
      if (tokens.length >= 2 && s.length >= tokens.length && s.slice(-tokens.length).map(squash).join() === tokens.join())
        return true;
      const lastHasRole = lastTokens.length >= 2 && ROLE_WORDS.has(lastTokens[lastTokens.length - 1] ?? "");
      if (lastHasRole && lastTokens.slice(0, -1).join("") === joined) return true;
      return withoutRole.length > 0 && lastTokens.join("") === withoutRole.join("");
    },
    (s) => prefixless.length > 0 && !prefixless.every((t) => ROLE_WORDS.has(t)) && squash(s[s.length - 1] ?? "") === prefixless.join("")
  ];
  for (const matches of tiers) {
    const found = candidates.filter((f) => matches(f.split("/")));
    if (found.length > 0) return found.sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : a > b ? 1 : 0));
  }
  return [];
}
function squash(segment) {
  return segment.toLowerCase().replace(/[^a-z0-9]+/g, "");
}
function depth(folder) {
  return folder.split("/").length;
}
function pastCulpritGlobs(files) {
  const globs = [];
  for (const f of files.slice(0, 200)) {
    if (f.length === 0 || f.length > MAX_PATTERN_LENGTH || /[*?[\]{}()!+@\\]/.test(f)) continue;
    if (isNonProductionPath(f)) continue;
    const slash = f.lastIndexOf("/");
    globs.push(slash > 0 ? `${f.slice(0, slash)}/**` : f);
  }
  const counts = /* @__PURE__ */ new Map();
  for (const g of globs) counts.set(g, (counts.get(g) ?? 0) + 1);
  return [...counts.keys()].sort((a, b) => counts.get(b) - counts.get(a) || (a < b ? -1 : 1));
}
function codeownersGlobs(text2, tokens) {
  const out = [];
  let section2 = [];
  const lines = text2.slice(0, MAX_CODEOWNERS_CHARS).split(/\r?\n/).slice(0, MAX_CODEOWNERS_LINES);
  for (const raw of lines) {
    const line = raw.trim();
    if (line === "") {
      section2 = [];
      continue;
    }
    const header2 = /^\^?\[([^\]]{1,100})\]/.exec(line);
    if (header2) {
      section2 = tokenize(header2[1] ?? "");
      continue;
    }
    if (line.startsWith("#")) {
      section2 = tokenize(line.slice(1));
      continue;
    }
    const [pattern, ...owners] = line.split(/\s+/);
    if (pattern === void 0 || pattern.startsWith("!") || /^\/?\*[^/]*$/.test(pattern)) continue;
    const named = containsRun(section2, tokens) || owners.some((o) => o.startsWith("@") && containsRun(tokenize(o), tokens));
    if (!named) continue;
    const glob = codeownersPatternToGlob(pattern);
    if (glob !== void 0) out.push(glob);
  }
  return out;
}
function containsRun(haystack, run2) {
  if (run2.length === 0 || haystack.length < run2.length) return false;
  for (let i = 0; i + run2.length <= haystack.length; i++) {
    if (run2.every((t, j) => haystack[i + j] === t)) return true;
  }
  return false;
}
function codeownersPatternToGlob(pattern) {
  if (pattern.length === 0 || pattern.length > MAX_PATTERN_LENGTH || pattern.includes("\\")) return void 0;
  if (pattern === "*" || pattern === "/*" || pattern === "/**" || pattern === "**") return void 0;
  const anchored = pattern.startsWith("/") || pattern.slice(0, -1).includes("/");
  let body = pattern.replace(/^\/+/, "");
  const folder = body.endsWith("/");
  body = body.replace(/\/+$/, "");
  if (body === "") return void 0;
  const base = anchored ? body : `**/${body}`;
  if (folder || body.endsWith("/**")) return body.endsWith("/**") ? base : `${base}/**`;
  return /\*|\.[A-Za-z0-9]+$/.test(body) ? base : `${base}{,/**}`;
}

// src/core/suspects/service-scope.ts
var SOURCE_CONFIG = "the alert's service";
function serviceScope(service, config, hints, candidatePaths) {
  const services = config?.services ?? {};
  const configuredGlobs = service === void 0 ? void 0 : services[service];
  if (service !== void 0 && configuredGlobs !== void 0 && configuredGlobs.length > 0) {
    const ordered = Object.entries(services).map(([name, globs]) => ({
      name,
      matchers: globs.flatMap((glob) => {
        const test = compileGlob(glob);
        return test ? [{ glob, test }] : [];
      })
    }));
    const paths2 = configuredGlobs.map((glob) => ({ glob, source: SOURCE_CONFIG }));
    const memo = /* @__PURE__ */ new Map();
    const serviceOf = (path) => {
      if (memo.has(path)) return memo.get(path);
      const name = ordered.find((s) => s.matchers.some((m) => m.test(path)))?.name;
      memo.set(path, name);
      return name;
    };
    return {
      service,
      configured: true,
      paths: paths2,
      owner: (path) => {
        const name = serviceOf(path);
        if (name !== service) return void 0;
        return {
          glob: ordered.find((s) => s.name === service).matchers.find((m) => m.test(path)).glob,
          source: SOURCE_CONFIG
        };
      },
      serviceOf
    };
  }
  const paths = service === void 0 ? [] : inferServicePaths(service, hints, candidatePaths);
  const matchers = paths.flatMap((p) => {
    const test = compileGlob(p.glob);
    return test ? [{ p, test }] : [];
  });
  return {
    service,
    configured: false,
    paths,
    owner: (path) => matchers.find((m) => m.test(path))?.p,
    serviceOf: (path) => matchers.some((m) => m.test(path)) ? service : void 0
  };
}

// src/core/suspects/model.ts
var FIXED_PRIORS = Object.freeze({
  alertEvidence: 3,
  beingVerified: 1,
  checkFailed: 1.5
});
var modelSchema = z5.object({
  version: z5.number().int().positive(),
  kind: z5.literal("conditional-logit"),
  features: z5.array(z5.enum(FEATURE_NAMES)),
  coefficients: z5.record(z5.string(), z5.number()),
  temperature: z5.number().positive(),
  priors: z5.record(z5.string(), z5.number()),
  outside: z5.number().optional()
});
function parseModel(json) {
  const r = modelSchema.safeParse(json);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new Error(
      `invalid suspect model: ${first?.path.join(".") || "(model)"}: ${first?.message}; rerun npm run fit:suspects`
    );
  }
  return { ...json, ...r.data };
}
var DEFAULT_MODEL = parseModel(model_default);
function weightOf(model, f) {
  return (model.coefficients[f] ?? 0) / model.temperature + (model.priors[f] ?? 0);
}
function logitsOf(model, features) {
  return features.map((c) => FEATURE_NAMES.reduce((s, f) => s + weightOf(model, f) * c.values[f], 0));
}
function confidences(model, logits) {
  if (logits.length === 0) return { chances: [], none: 1 };
  if (model.outside === void 0) return { chances: softmax(logits), none: 0 };
  const all = softmax([...logits, model.outside]);
  return { chances: all.slice(0, -1), none: all[all.length - 1] };
}
var FACTORS = {
  service: ["touchesService", "mainService", "serviceShare", "laterServiceChanges"],
  timing: ["laterPulls", "timeSinceDeploy"],
  size: ["files"],
  risky: ["riskyPaths"],
  kind: ["nonProductionOnly", "dependencyBump", "cosmeticOnly"],
  evidence: ["alertEvidence"],
  verifying: ["beingVerified"],
  checkFailed: ["checkFailed"]
};
var ALWAYS_SHOWN = /* @__PURE__ */ new Set([
  "timing",
  "risky",
  "evidence",
  "verifying",
  "checkFailed"
]);
var MAX_REASONS = 5;
function explainAll(model, all) {
  const means = Object.fromEntries(
    FEATURE_NAMES.map((f) => [f, all.reduce((s, c) => s + c.values[f], 0) / (all.length || 1)])
  );
  return all.map((me) => explainOne(model, me, means, all.length));
}
function explainOne(model, me, means, n) {
  const scored = Object.keys(FACTORS).map((factor) => {
    const logOdds = FACTORS[factor].reduce((s, f) => s + weightOf(model, f) * (me.values[f] - means[f]), 0);
    return { factor, logOdds, text: describe(factor, me, n) };
  });
  const shown2 = scored.filter((s) => s.text !== void 0).filter((s) => ALWAYS_SHOWN.has(s.factor) || Math.abs(s.logOdds) >= Math.log(1.1)).sort((a, b) => Math.abs(b.logOdds) - Math.abs(a.logOdds) || a.factor.localeCompare(b.factor)).slice(0, MAX_REASONS);
  return shown2.map((s) => `${s.text}: odds ${formatOdds(s.logOdds)}`);
}
function formatOdds(logOdds) {
  const x = Math.exp(logOdds);
  const digits = x >= 10 ? 0 : x >= 0.1 ? x >= 1 ? 1 : 2 : 3;
  return `\xD7${x.toFixed(digits)}`;
}
function describe(factor, c, n) {
  const { facts, values, candidate } = c;
  const d = candidate.deployment;
  switch (factor) {
    case "service": {
      if (values.touchesService === 0)
        return facts.service === void 0 ? void 0 : `touches none of the paths of ${facts.service} (the alert's service)`;
      const g = facts.serviceGlobs[0];
      const where = g.source === SOURCE_CONFIG ? `touches ${g.glob} (the alert's service)` : `matches ${g.glob} (${g.source})`;
      const more2 = facts.serviceGlobs.length > 1 ? ` and ${facts.serviceGlobs.length - 1} more` : "";
      const share = `${Math.round(values.serviceShare * 100)} % of its changes there`;
      const later = facts.laterServicePulls === 0 ? "the latest change to the service" : `${facts.laterServicePulls} later change${facts.laterServicePulls === 1 ? "" : "s"} to the service`;
      return `${where}${more2}, ${share}, ${later}`;
    }
    case "timing": {
      const order = facts.deploysAfter === 0 ? "the latest deploy" : `${facts.deploysAfter} deploy${facts.deploysAfter === 1 ? "" : "s"} since`;
      const after = n === 1 ? ", the only suspect" : facts.laterPulls === 0 ? ", the last PR shipped" : `, ${facts.laterPulls} PR${facts.laterPulls === 1 ? "" : "s"} shipped after it`;
      return `deployed ${formatAge(facts.ageMs)} before the alert in deploy ${d.id} (${order}${after})`;
    }
    case "size": {
      const files = `${candidate.pull.files.length} file${candidate.pull.files.length === 1 ? "" : "s"}`;
      return `change size: ${facts.totalLines} lines in ${files}`;
    }
    case "risky":
      return facts.riskyFiles.length > 0 ? `touches risky paths: ${listSome(facts.riskyFiles, 3)}` : void 0;
    case "kind": {
      const kinds = [
        values.nonProductionOnly && "changes only tests, docs or CI",
        values.dependencyBump && "a dependency bump",
        values.cosmeticOnly && "changes only styles, images, fonts or translations"
      ].filter((k) => typeof k === "string");
      return kinds.length > 0 ? kinds.join("; ") : void 0;
    }
    case "evidence":
      return facts.frame ? `the alert names ${facts.frame.frame.text}, and this PR changed ${facts.frame.file}` : void 0;
    case "verifying":
      return values.beingVerified ? `deployment ${d.id} is still ${facts.status} (the gate is verifying it)` : void 0;
    case "checkFailed":
      return values.checkFailed ? `the deploy check failed for deploy ${d.id}` : void 0;
  }
}
function listSome(items, max) {
  const shown2 = items.slice(0, max).join(", ");
  return items.length > max ? `${shown2} and ${items.length - max} more` : shown2;
}

// src/core/suspects/scoring.ts
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
var isDefaultRisky = picomatch2([...DEFAULT_RISKY_PATHS], GLOB_OPTIONS);
var DEFAULT_LOOKBACK_SECONDS = 24 * 60 * 60;
var SHIPPED_STATUSES = /* @__PURE__ */ new Set(["success", "inactive"]);
var NEVER_LIVE_STATUSES = /* @__PURE__ */ new Set(["failure", "error"]);
function isShipped(d) {
  return SHIPPED_STATUSES.has(d.status.toLowerCase()) || d.checkFailed === true;
}
function caseFeatures(c, opts = {}) {
  const alertAt = Date.parse(c.alert.startsAt);
  if (Number.isNaN(alertAt))
    throw new Error(`alert.startsAt: expected an ISO 8601 date, got "${c.alert.startsAt}"`);
  const nowMs = opts.now === void 0 ? Infinity : new Date(opts.now).getTime();
  const latest = Math.min(alertAt, nowMs);
  const lookbackMs = (c.config?.lookbackSeconds ?? DEFAULT_LOOKBACK_SECONDS) * 1e3;
  const environment = c.alert.labels.environment;
  const inWindow = [];
  for (const d of c.deployments) {
    const at = Date.parse(d.createdAt);
    if (Number.isNaN(at) || at > latest || at < alertAt - lookbackMs) continue;
    if (environment !== void 0 && d.environment !== environment) continue;
    inWindow.push({ d, at });
  }
  const newest = Math.max(-Infinity, ...inWindow.map((x) => x.at));
  const deployments = /* @__PURE__ */ new Map();
  for (const x of inWindow) {
    const neverLive = NEVER_LIVE_STATUSES.has(x.d.status.toLowerCase()) && x.d.checkFailed !== true;
    if (isShipped(x.d) || isVerifying(x.d) || x.at === newest && !neverLive)
      deployments.set(String(x.d.id), x);
  }
  const candidates = [];
  const seen = /* @__PURE__ */ new Set();
  for (const p of c.pulls) {
    const dep = deployments.get(String(p.deploymentId));
    if (dep === void 0 || seen.has(p.number)) continue;
    seen.add(p.number);
    candidates.push({ pull: p, deployment: dep.d, deployedAt: dep.at });
  }
  const candidatePaths = candidates.flatMap((x) => x.pull.files.map((f) => f.path));
  const scope = serviceScope(c.alert.labels.service, c.config, c.hints, candidatePaths);
  const isRisky = c.config?.riskyPaths ? picomatch2([...c.config.riskyPaths], GLOB_OPTIONS) : isDefaultRisky;
  return extractFeatures(candidates, { alertAt, scope, isRisky, frames: parseEvidence(c.alert.annotations) });
}
function rankSuspects(c, opts = {}) {
  const model = opts.model ?? DEFAULT_MODEL;
  const features = caseFeatures(c, opts);
  const logits = logitsOf(model, features);
  const { chances } = confidences(model, logits);
  const reasons = explainAll(model, features);
  const ranked = features.map((f, i) => ({
    f,
    logit: logits[i],
    chance: chances[i],
    reasons: reasons[i]
  }));
  ranked.sort(
    (a, b) => b.logit - a.logit || b.f.candidate.deployedAt - a.f.candidate.deployedAt || a.f.candidate.pull.number - b.f.candidate.pull.number
  );
  return ranked.map(({ f, chance, reasons: reasons2 }) => toSuspect(f, round3(chance), reasons2, model));
}
function toSuspect(f, confidence, reasons, model) {
  const { pull: p, deployment: d } = f.candidate;
  const factors2 = {};
  for (const name of FEATURE_NAMES) {
    const v = round3(weightOf(model, name) * f.values[name]);
    if (v !== 0) factors2[name] = v;
  }
  const suspect = {
    number: p.number,
    title: p.title,
    author: p.author,
    deploymentId: d.id,
    deploymentSha: d.sha,
    deployedAt: d.createdAt,
    score: confidence,
    confidence,
    reasons,
    files: p.files.map((x) => x.path),
    factors: factors2
  };
  if (p.url !== void 0) suspect.url = p.url;
  return suspect;
}
function round3(x) {
  return Math.round(x * 1e3) / 1e3;
}
var ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
var isoDate = z6.string({ error: "expected an ISO 8601 date" }).refine((s) => ISO_8601.test(s) && !Number.isNaN(Date.parse(s)), {
  message: "expected an ISO 8601 date (e.g. 2024-05-01T12:00:00Z)"
});
var count = z6.number({ error: "expected a number" }).int().nonnegative();
var id = z6.union([z6.number(), z6.string().min(1)], { error: "expected a number or a non-empty string" });
var stringRecord = z6.record(z6.string(), z6.string({ error: "expected a string" }));
var fileSchema = z6.object({
  path: z6.string().min(1),
  additions: count.default(0),
  deletions: count.default(0)
});
var caseSchema = z6.object({
  alert: z6.object({
    startsAt: isoDate,
    labels: stringRecord.default({}),
    annotations: stringRecord.optional()
  }),
  deployments: z6.array(
    z6.object({
      id,
      sha: z6.string().min(1),
      environment: z6.string(),
      createdAt: isoDate,
      // A case file usually lists only the deployments that went out.
      status: z6.string().default("success"),
      checkFailed: z6.boolean().optional(),
      url: z6.string().optional()
    })
  ),
  pulls: z6.array(
    z6.object({
      number: z6.number().int().positive(),
      title: z6.string().default(""),
      author: z6.string().default(""),
      mergedAt: isoDate,
      deploymentId: id,
      additions: count.optional(),
      deletions: count.optional(),
      files: z6.array(fileSchema).default([]),
      url: z6.string().optional(),
      mergeCommitSha: z6.string().optional()
    }).transform(({ additions, deletions, ...p }) => ({
      ...p,
      additions: additions ?? p.files.reduce((n, f) => n + f.additions, 0),
      deletions: deletions ?? p.files.reduce((n, f) => n + f.deletions, 0)
    }))
  ),
  config: z6.object({
    services: z6.record(z6.string(), z6.array(z6.string())).optional(),
    riskyPaths: z6.array(z6.string()).optional(),
    lookbackSeconds: z6.number().positive().optional()
  }).optional(),
  hints: z6.object({
    paths: z6.array(z6.string()).optional(),
    codeowners: z6.string().optional(),
    pastCulpritFiles: z6.array(z6.string()).optional()
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
    const inRange = (d) => {
      const t = Date.parse(d.ref.createdAt);
      return t >= opts.since.getTime() && t <= opts.until.getTime();
    };
    const sorted = [...all].sort(byCreatedAt);
    const newest = sorted.filter(inRange).at(-1);
    const walks = [];
    let base;
    for (const d of sorted) {
      if (inRange(d) && (isShipped(d.ref) || isVerifying(d.ref) || d === newest))
        walks.push({ deployment: d, base, cursor: null, done: false, commits: [] });
      if (isShipped(d.ref)) base = d;
    }
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

// src/app/observability/tracing.ts
import {
  SpanKind,
  SpanStatusCode,
  trace
} from "@opentelemetry/api";
var TRACER_NAME = "aftershock";
var COMMANDS = new Set(COMMAND_SPECS.map((s) => s.name));
function boundedCommand(name) {
  const normalized = name.trim().replace(/^\//, "").toLowerCase();
  return COMMANDS.has(normalized) ? normalized : "unknown";
}
function tracer() {
  return trace.getTracer(TRACER_NAME);
}
var failed = /* @__PURE__ */ new WeakSet();
function failSpan(span, err) {
  const error = err instanceof Error ? err : new Error(String(err));
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  failed.add(span);
}
function recordException(err) {
  const span = trace.getActiveSpan();
  if (span) failSpan(span, err);
}
async function traced(name, fn, options = {}) {
  return tracer().startActiveSpan(name, options, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      failSpan(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}
function traceRoute(name, matches, handler) {
  return async (req, res) => {
    if (!matches(req)) return handler(req, res);
    return traced(
      name,
      async (span) => {
        const handled = await handler(req, res);
        span.setAttribute("http.response.status_code", res.statusCode);
        if (res.statusCode >= 500 && !failed.has(span)) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: `answered ${res.statusCode}` });
        }
        return handled;
      },
      { kind: SpanKind.SERVER, attributes: { "http.request.method": req.method ?? "" } }
    );
  };
}
var SDK_PACKAGES = "@opentelemetry/sdk-trace-node @opentelemetry/exporter-trace-otlp-http @opentelemetry/resources";
async function startTracing(log2, env = process.env, load = (name) => import(name)) {
  const off = { enabled: false, shutdown: async () => {
  } };
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || env.OTEL_SDK_DISABLED === "true") return off;
  let sdk;
  let exporter;
  let resources;
  try {
    sdk = await load("@opentelemetry/sdk-trace-node");
    exporter = await load("@opentelemetry/exporter-trace-otlp-http");
    resources = await load("@opentelemetry/resources");
  } catch (err) {
    log2.warn(
      { err: { message: errorMessage(err) } },
      `OTEL_EXPORTER_OTLP_ENDPOINT is set but the OpenTelemetry SDK could not be loaded, so no traces are exported. Reinstall it with: npm install ${SDK_PACKAGES}`
    );
    return off;
  }
  const url = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || `${endpoint.replace(/\/+$/, "")}/v1/traces`;
  const provider = new sdk.NodeTracerProvider({
    resource: resources.resourceFromAttributes({ "service.name": env.OTEL_SERVICE_NAME || "aftershock" }),
    spanProcessors: [new sdk.BatchSpanProcessor(new exporter.OTLPTraceExporter({ url }))]
  });
  provider.register();
  log2.info({ endpoint: safeEndpoint(endpoint) }, "exporting traces over OTLP");
  return { enabled: true, shutdown: () => provider.shutdown() };
}
function safeEndpoint(endpoint) {
  try {
    const url = new URL(endpoint);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return "(unparsable URL)";
  }
}

// src/core/learning/signature.ts
var SIGNATURE_ANNOTATIONS = ["error", "exception", "message", "description", "summary"];
var MAX_SIGNATURE_LENGTH = 160;
var MAX_INPUT_LENGTH = 4e3;
var RULES = [
  // ISO 8601 and common log timestamps: 2024-05-01T12:00:00.123Z, 2024-05-01 12:00:00, 12:00:00.5
  [/\b\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?\b/gi, "<ts>"],
  [/\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, "<ts>"],
  // Quoted values: 'abc', "abc", `abc` (the value varies, the shape of the message does not).
  [/"[^"\n]{0,200}"|'[^'\n]{0,200}'|`[^`\n]{0,200}`/g, "<str>"],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>"],
  [/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, "<email>"],
  [/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, "<ip>"],
  [/\b0x[0-9a-f]+\b/gi, "<hex>"],
  // Hex runs of 8+ with at least one digit and one letter: commit SHAs, trace ids, object ids.
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, "<hex>"]
];
var ID_SEGMENT = /^(?=.*\d)[\w-]+$/;
var PATH = /(?:\/[^\s/?#"'`]*)+\/?/g;
var NUMBER = /\b\d+(?:\.\d+)?(?:e[-+]?\d+)?\b/gi;
function normalizeMessage(text2, maxLength = MAX_SIGNATURE_LENGTH) {
  let s = String(text2 ?? "").slice(0, MAX_INPUT_LENGTH);
  for (const [re, placeholder] of RULES) s = s.replace(re, placeholder);
  s = s.replace(
    PATH,
    (path) => path.split("/").map((seg) => ID_SEGMENT.test(seg) && !/^<\w+>$/.test(seg) ? "<id>" : seg).join("/")
  );
  s = s.replace(NUMBER, "<n>");
  s = s.toLowerCase().replace(/\s+/g, " ").trim();
  return Array.from(s).slice(0, maxLength).join("").trimEnd();
}
var EXCEPTION = /\b((?:[a-z_$][\w$]*\.)*[A-Z][\w$]*(?:Exception|Error|Fault))\b/;
var GO_PANIC = /\bpanic: (runtime error|[a-z][\w .]{0,40}?)(?::|$)/m;
function exceptionType(text2) {
  const s = String(text2 ?? "").slice(0, MAX_INPUT_LENGTH);
  const m = EXCEPTION.exec(s);
  if (m) return m[1];
  const p = GO_PANIC.exec(s);
  return p ? `panic: ${p[1].trim()}` : void 0;
}
function errorSignature(annotations) {
  if (!annotations) return null;
  const key = SIGNATURE_ANNOTATIONS.find((k) => (annotations[k] ?? "").trim() !== "");
  if (key === void 0) return null;
  const signature = normalizeMessage(annotations[key]);
  if (signature === "") return null;
  const out = { signature, annotation: key };
  for (const k of [key, ...SIGNATURE_ANNOTATIONS]) {
    const type = exceptionType(annotations[k] ?? "");
    if (type) {
      out.exceptionType = type;
      break;
    }
  }
  return out;
}
function recordSignatures(record) {
  const seen = /* @__PURE__ */ new Map();
  for (const fp of Object.keys(record.fingerprints).sort()) {
    const sig = errorSignature({ summary: record.fingerprints[fp]?.summary });
    if (sig && !seen.has(sig.signature)) seen.set(sig.signature, sig);
  }
  return [...seen.values()];
}

// src/core/learning/similar.ts
var DEFAULT_FLAKY_MS = 30 * 6e4;
function findSimilar(current3, past, options = {}) {
  const draft = toDraft(current3);
  const names = new Set([draft.name, ...draft.alertnames ?? []].map(norm));
  const signatures = new Set(draft.signatures ?? []);
  const openedAt = draft.openedAt === void 0 ? NaN : Date.parse(draft.openedAt);
  const out = [];
  for (const p of past) {
    const r = p.record;
    const pastOpened = Date.parse(r.openedAt);
    if (!Number.isNaN(openedAt)) {
      if (pastOpened > openedAt) continue;
      if (r.groupKey === draft.groupKey && r.openedAt === draft.openedAt) continue;
    }
    const matches = [];
    const why = [];
    const sameService = norm(r.service) === norm(draft.service);
    const sharedName = alertnamesOf(r).find((n) => names.has(norm(n)));
    if (sameService && sharedName !== void 0) {
      matches.push("alert");
      why.push(`same alert ${sharedName} on service ${r.service}`);
    }
    const overlaps = culpritOverlaps(draft, r);
    if (overlaps.length > 0) {
      matches.push("culprit-files");
      for (const o of overlaps)
        why.push(
          `#${o.suspect} touches ${listSome2(o.sharedFiles, 3)}, also changed by #${o.pr} (${o.how === "confirmed" ? "the confirmed culprit" : "rolled back"} in #${p.number})`
        );
    }
    if (draft.source === "deploy-check" && r.source === "deploy-check" && sameService && norm(r.environment) === norm(draft.environment)) {
      matches.push("deploy-check");
      why.push(`the deploy check of ${r.service} in ${r.environment} failed before`);
    }
    const sharedSig = recordSignatures(r).find((s) => signatures.has(s.signature));
    if (sharedSig) {
      matches.push("signature");
      why.push(`same error: ${sharedSig.signature}`);
    }
    if (matches.length === 0) continue;
    out.push({
      number: p.number,
      url: p.url,
      state: p.state,
      name: r.name,
      service: r.service,
      environment: r.environment,
      openedAt: r.openedAt,
      matches,
      why,
      outcome: outcomeOf(p, options.flakyMs ?? DEFAULT_FLAKY_MS),
      overlaps
    });
  }
  const time2 = (s) => Date.parse(s.openedAt) || 0;
  return out.sort((a, b) => b.matches.length - a.matches.length || time2(b) - time2(a) || b.number - a.number).slice(0, options.limit ?? 5);
}
function culpritsOf(record) {
  const response = readResponseState(record);
  const byPr = /* @__PURE__ */ new Map();
  if (response.rootCause?.confirmed) {
    const pr = response.rootCause.pr ?? record.suspects[0]?.number;
    if (pr !== void 0) byPr.set(pr, { pr, how: "confirmed", files: suspectFiles(record, pr) });
  }
  for (const rb of response.rollbacks)
    if (rb.state === "merged" && !byPr.has(rb.pr))
      byPr.set(rb.pr, { pr: rb.pr, how: "rolled back", files: suspectFiles(record, rb.pr) });
  return [...byPr.values()].sort((a, b) => a.pr - b.pr);
}
function outcomeOf(p, flakyMs = DEFAULT_FLAKY_MS) {
  const r = p.record;
  const response = readResponseState(r);
  if (response.rollbacks.some((rb) => rb.state === "merged")) return "rolled back";
  const resolved = response.resolvedAt ?? lastOf(r, ["incident.resolved", "resolved"]);
  const done = p.state === "closed" || r.status === "resolved" || response.resolvedAt !== void 0;
  if (!done) return "open";
  const acted = response.rootCause?.pr !== void 0 || response.rootCause?.confirmed === true || response.actionItems.length > 0 || r.timeline.some((e) => e.kind === "redeploy.succeeded" || e.kind === "redeploy.requested");
  const took = between(r.openedAt, resolved);
  return !acted && took !== void 0 && took <= flakyMs ? "flaky" : "fixed forward";
}
var DEFAULT_RECURRENCE_BOOST = 0.15;
function recurrenceBoost(suspects2, similar, options = {}) {
  const boost = options.boost ?? DEFAULT_RECURRENCE_BOOST;
  const culprits = /* @__PURE__ */ new Map();
  for (const s of similar) for (const o of s.overlaps) if (!culprits.has(o.pr)) culprits.set(o.pr, o);
  const ordered = [...culprits.values()].sort((a, b) => a.pr - b.pr);
  const boosted = suspects2.map((s, i) => {
    const files = new Set(s.files ?? []);
    const byFile = /* @__PURE__ */ new Map();
    for (const c of ordered)
      for (const f of [...c.files].sort())
        if (files.has(f)) byFile.set(f, [...byFile.get(f) ?? [], `#${c.pr}, ${c.how}`]);
    if (byFile.size === 0) return { s, i };
    const added = Math.min(1, s.score + boost) - s.score;
    const shown2 = [...byFile].sort(([a], [b]) => a.localeCompare(b));
    const detail = shown2.slice(0, 3).map(([f, who]) => `${f} (${listSome2(who, 3, "; ")})`).join(", ") + (shown2.length > 3 ? ` and ${shown2.length - 3} more` : "");
    const reason = `touches files of an earlier culprit: ${detail} (+${added.toFixed(2)})`;
    return { s: { ...s, score: round32(s.score + added), reasons: [...s.reasons, reason] }, i };
  });
  return boosted.sort((a, b) => b.s.score - a.s.score || a.i - b.i).map((x) => x.s);
}
function toDraft(current3) {
  if (!("fingerprints" in current3)) return current3;
  return {
    name: current3.name,
    service: current3.service,
    environment: current3.environment,
    source: current3.source,
    alertnames: alertnamesOf(current3),
    suspects: current3.suspects.map((s) => ({ number: s.number, files: suspectFiles(current3, s.number) })),
    signatures: recordSignatures(current3).map((s) => s.signature),
    openedAt: current3.openedAt,
    groupKey: current3.groupKey
  };
}
function alertnamesOf(r) {
  const names = [r.name, ...Object.values(r.fingerprints).map((a) => a.alertname)];
  return [...new Set(names.filter((n) => n !== ""))];
}
function suspectFiles(record, pr) {
  return [...record.suspects.find((x) => x.number === pr)?.files ?? []];
}
function culpritOverlaps(draft, past) {
  const out = [];
  const culprits = culpritsOf(past).filter((c) => c.files.length > 0);
  for (const s of draft.suspects ?? []) {
    const files = new Set(s.files ?? []);
    for (const c of culprits) {
      const sharedFiles = c.files.filter((f) => files.has(f)).sort();
      if (sharedFiles.length > 0) out.push({ ...c, suspect: s.number, sharedFiles });
    }
  }
  return out;
}
function lastOf(r, kinds) {
  const at = r.timeline.filter((e) => kinds.includes(e.kind)).map((e) => e.at);
  return at.sort().at(-1);
}
function norm(s) {
  return s.trim().toLowerCase();
}
function round32(x) {
  return Math.round(x * 1e3) / 1e3;
}
function listSome2(items, max, sep = ", ") {
  const shown2 = items.slice(0, max).join(sep);
  return items.length > max ? `${shown2} and ${items.length - max} more` : shown2;
}

// src/core/learning/culprit-files.ts
var MAX_PAST_CULPRIT_FILES = 500;
function pastCulpritFiles(incidents, service, max = MAX_PAST_CULPRIT_FILES) {
  const wanted = service.trim().toLowerCase();
  const newestFirst = [...incidents].sort(
    (a, b) => (Date.parse(b.record.openedAt) || 0) - (Date.parse(a.record.openedAt) || 0)
  );
  return firstFiles(
    newestFirst.filter((incident) => incident.record.service.trim().toLowerCase() === wanted).flatMap((incident) => culpritsOf(incident.record).map((culprit) => culprit.files)),
    max
  );
}
function firstFiles(lists, max = MAX_PAST_CULPRIT_FILES) {
  const files = /* @__PURE__ */ new Set();
  for (const list of lists)
    for (const file of list) {
      if (files.size >= max) return [...files];
      files.add(file);
    }
  return [...files];
}

// src/github/service-hints.ts
var MAX_TREE_PATHS = 2e4;
var MAX_PATH_LENGTH = 400;
var MAX_CODEOWNERS_BYTES = 64 * 1024;
var CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];
async function readRepoPaths(octokit, repo, ref, maxPaths = MAX_TREE_PATHS) {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
    ...repo,
    tree_sha: ref,
    recursive: "1"
  });
  const entries = Array.isArray(data.tree) ? data.tree : [];
  const folders = [];
  const files = [];
  const present = /* @__PURE__ */ new Set();
  for (const e of entries) {
    if (typeof e.path !== "string" || e.path.length > MAX_PATH_LENGTH) continue;
    if (e.type === "tree") folders.push(e.path);
    else if (e.type === "blob") {
      files.push(e.path);
      if (CODEOWNERS_PATHS.includes(e.path)) present.add(e.path);
    }
  }
  const kept = [...folders, ...files];
  const out = {
    paths: kept.slice(0, maxPaths),
    truncated: data.truncated === true || kept.length > maxPaths
  };
  const codeowners = CODEOWNERS_PATHS.find((p) => present.has(p));
  if (codeowners) out.codeownersPath = codeowners;
  return out;
}
async function readCodeowners(octokit, repo, path, ref, maxBytes = MAX_CODEOWNERS_BYTES) {
  let data;
  try {
    ({ data } = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      ...repo,
      path,
      ref
    }));
  } catch (err) {
    if (statusOf(err) === 404) return void 0;
    throw err;
  }
  if (Array.isArray(data) || data.type !== "file" || typeof data.content !== "string") return void 0;
  const bytes = data.encoding === "base64" ? Buffer.from(data.content, "base64") : Buffer.from(data.content, "utf8");
  if (bytes.length <= maxBytes) return bytes.toString("utf8");
  const cut = bytes.subarray(0, maxBytes).toString("utf8");
  return cut.slice(0, cut.lastIndexOf("\n") + 1);
}

// src/app/observability/logger.ts
import { pino } from "pino";
import { build as prettyStream } from "pino-pretty";
var REDACTED_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-hub-signature"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers["proxy-authorization"]',
  "headers.authorization",
  "request.headers.authorization",
  "*.token",
  "*.privateKey",
  "*.secret",
  "*.password",
  "*.apiKey",
  "*.webhookUrl",
  "*.routingKey",
  "err.request.headers.authorization"
];
function logFormat(env, isTTY) {
  const value = env.LOG_FORMAT?.trim().toLowerCase();
  if (!value) return isTTY ? "pretty" : "json";
  if (value === "json" || value === "pretty") return value;
  throw new Error(`LOG_FORMAT "${env.LOG_FORMAT}" must be json or pretty`);
}
var NAME_BINDING = /,"name":"(?:[^"\\]|\\.)*"/g;
var chindings = pino.symbols.chindingsSym;
function keepInnermostName(child) {
  const record = child;
  const names = record[chindings]?.match(NAME_BINDING);
  if (!names || names.length < 2) return;
  let seen = 0;
  record[chindings] = record[chindings].replace(NAME_BINDING, (m) => ++seen === names.length ? m : "");
}
function createLogger(env = process.env, destination, extra = {}) {
  const options = {
    name: "aftershock",
    level: env.LOG_LEVEL || "info",
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    onChild: keepInnermostName,
    ...extra
  };
  const isTTY = destination ? false : Boolean(process.stdout.isTTY);
  if (logFormat(env, isTTY) === "pretty") {
    const pretty = prettyStream({ colorize: isTTY, sync: true, destination: destination ?? 1 });
    return pino(options, pretty);
  }
  return destination ? pino(options, destination) : pino(options);
}

// src/core/learning/report.ts
var WEEK_MS = 7 * 864e5;

// src/github/incident-history.ts
async function listIncidentHistory(octokit, query) {
  const out = { incidents: [], skipped: 0, requests: 0, truncated: false };
  const maxPages = query.maxPages ?? 20;
  for (let page = 1; ; page++) {
    if (page > maxPages) {
      out.truncated = true;
      break;
    }
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/issues", {
      owner: query.owner,
      repo: query.repo,
      state: "all",
      labels: query.label ?? "incident",
      since: query.since.toISOString(),
      sort: "created",
      direction: "desc",
      per_page: 100,
      page
    });
    out.requests += 1;
    const issues = data;
    let reachedBack = false;
    for (const issue of issues) {
      if (issue.pull_request) continue;
      if (Date.parse(issue.created_at) < query.since.getTime()) {
        reachedBack = true;
        continue;
      }
      const record = parseRecord(issue.body);
      if (!record) {
        out.skipped += 1;
        continue;
      }
      out.incidents.push({
        number: issue.number,
        url: issue.html_url,
        state: issue.state === "closed" ? "closed" : "open",
        record
      });
    }
    if (reachedBack || issues.length < 100) break;
  }
  return out;
}

// src/app/pipeline/past-incidents.ts
var HISTORY_MAX_PAGES = 3;
function pastIncidentsOnce(octokit, repo, config, now) {
  let listing;
  return async () => {
    const pending = listing;
    if (pending) {
      try {
        return { ...await pending, requests: 0 };
      } catch {
      }
    }
    const mine = listIncidentHistory(octokit, {
      ...repo,
      since: new Date(now.getTime() - historyLookbackSeconds(config) * 1e3),
      label: config.labels.incident,
      maxPages: HISTORY_MAX_PAGES
    });
    listing = mine;
    try {
      return await mine;
    } catch (err) {
      if (listing === mine) listing = void 0;
      throw err;
    }
  };
}

// src/app/pipeline/service-hints.ts
function needsHints(config, service) {
  if (service === void 0 || service.trim() === "") return false;
  return (config.services[service] ?? []).length === 0;
}
function hintsRef(deployments) {
  let newest;
  for (const d of deployments)
    if (!newest || Date.parse(d.createdAt) > Date.parse(newest.createdAt)) newest = d;
  return newest?.sha;
}
var ServiceHintsReader = class {
  #trees;
  #culprits;
  constructor(options = {}) {
    const now = options.now ?? Date.now;
    this.#trees = new TtlCache(options.treeTtlMs ?? 10 * 6e4, now, options.maxTrees ?? 8);
    this.#culprits = new TtlCache(options.culpritTtlMs ?? 5 * 6e4, now, 200);
  }
  /** Forgets everything cached (tests; a repository whose history was rewritten). */
  clear() {
    this.#trees.clear();
    this.#culprits.clear();
  }
  async read(octokit, request) {
    const counter = countRequests(octokit);
    try {
      const repoKey2 = `${request.repo.owner}/${request.repo.repo}`.toLowerCase();
      const [files, culprits] = await Promise.allSettled([
        this.#trees.get(`${repoKey2}@${request.ref}`, () => readRepoFiles(octokit, request)),
        request.config.history.enabled ? this.#culprits.get(
          `${repoKey2}#${request.config.labels.incident}#${request.service.toLowerCase()}`,
          () => readCulpritFiles(octokit, request)
        ) : Promise.resolve([])
      ]);
      const hints = {};
      const errors = [];
      let truncated = false;
      if (files.status === "fulfilled") {
        hints.paths = files.value.paths;
        truncated = files.value.truncated;
        if (files.value.codeowners !== void 0) hints.codeowners = files.value.codeowners;
      } else {
        errors.push(`repository tree at ${request.ref.slice(0, 12)}: ${messageOf(files.reason)}`);
      }
      if (culprits.status === "fulfilled") {
        if (culprits.value.length > 0) hints.pastCulpritFiles = culprits.value;
      } else {
        errors.push(`past incidents: ${messageOf(culprits.reason)}`);
      }
      return { hints, truncated, errors, requests: counter.count };
    } finally {
      counter.stop();
    }
  }
};
var sharedHintsReader = new ServiceHintsReader();
async function readRepoFiles(octokit, request) {
  const paths = await readRepoPaths(octokit, request.repo, request.ref);
  if (!paths.codeownersPath) return paths;
  const codeowners = await readCodeowners(octokit, request.repo, paths.codeownersPath, request.ref);
  return codeowners === void 0 ? paths : { ...paths, codeowners };
}
async function readCulpritFiles(octokit, request) {
  const list = request.pastIncidents ?? pastIncidentsOnce(octokit, request.repo, request.config, request.now);
  const history = await list();
  return pastCulpritFiles(history.incidents, request.service);
}
function messageOf(err) {
  const status = statusOf(err);
  if (status !== void 0 && status >= 400) return `GitHub answered ${status}`;
  const first = errorMessage(err).split("\n")[0] ?? "";
  return first.replace(/\b(token|bearer|basic)\s+\S+/gi, "$1 [redacted]").slice(0, 200);
}
var HINTS_BUDGET_MS = 5e3;
var defaultLog;
async function hintsForCase(octokit, repo, c, options = {}) {
  const ref = hintsRef(c.deployments);
  if (c.service === void 0 || !needsHints(c.config, c.service) || ref === void 0 || c.pulls.length === 0)
    return { requests: 0 };
  const log2 = options.log ?? (defaultLog ??= createLogger());
  const where = { repository: `${repo.owner}/${repo.repo}`, service: c.service, ref };
  const budget = options.hintsBudgetMs ?? HINTS_BUDGET_MS;
  let timer;
  const late = new Promise((resolve2) => {
    timer = setTimeout(() => resolve2("late"), budget);
  });
  try {
    const read = (options.hints ?? sharedHintsReader).read(octokit, {
      repo,
      ref,
      service: c.service,
      config: c.config,
      now: c.now,
      ...options.pastIncidents ? { pastIncidents: options.pastIncidents } : {}
    });
    const first = await Promise.race([read, late]);
    if (first === "late") {
      read.catch(() => {
      });
      log2.warn({ ...where, budgetMs: budget }, "service hints too slow; ranking without them");
      return { requests: 0 };
    }
    if (first.errors.length > 0)
      log2.warn({ ...where, errors: first.errors }, "service hints partly unread; ranking without those");
    if (first.truncated)
      log2.info({ ...where, paths: first.hints.paths?.length ?? 0 }, "repository tree cut for service hints");
    return { hints: first.hints, requests: first.requests };
  } catch (err) {
    log2.warn({ ...where, err: { message: messageOf(err) } }, "service hints unread; ranking without them");
    return { requests: 0 };
  } finally {
    clearTimeout(timer);
  }
}

// src/app/pipeline/correlate.ts
async function correlate(...args) {
  return traced("aftershock correlate", async (span) => {
    const found = await correlateUntraced(...args);
    span.setAttribute("aftershock.github_requests", found.requests);
    if (found.warning) span.setStatus({ code: SpanStatusCode2.ERROR, message: found.warning });
    return found;
  });
}
async function correlateUntraced(octokit, repo, request, config, options = {}) {
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
    const hinted = await hintsForCase(
      octokit,
      repo,
      {
        service: request.alert.labels.service,
        deployments,
        pulls: history.pulls,
        config,
        now: options.now ?? request.until
      },
      options
    );
    let suspects2 = rankSuspects({
      alert: request.alert,
      deployments,
      pulls: history.pulls,
      config: { services: config.services, riskyPaths: config.riskyPaths, lookbackSeconds: lookback },
      ...hinted.hints ? { hints: hinted.hints } : {}
    });
    const target = request.deployment;
    if (target) suspects2 = suspects2.filter((s) => String(s.deploymentId) === String(target.id));
    return {
      requests: history.requests + hinted.requests,
      deploys: deployments.map((d) => ({
        id: d.id,
        sha: d.sha,
        environment: d.environment,
        createdAt: d.createdAt,
        status: d.status,
        ...d.url ? { url: d.url } : {}
      })),
      suspects: withBoundedFiles(
        suspects2.map((s) => ({
          number: s.number,
          title: s.title,
          author: s.author,
          ...s.url ? { url: s.url } : {},
          deploymentId: s.deploymentId,
          score: s.score,
          ...s.confidence !== void 0 ? { confidence: s.confidence } : {},
          reasons: s.reasons
        })),
        suspects2.map((s) => s.files)
      )
    };
  } catch (err) {
    return {
      requests: 0,
      deploys: [],
      suspects: [],
      warning: `Suspects could not be ranked (${errorMessage(err)}); the incident was opened without them`
    };
  }
}
var MAX_SUSPECT_FILES = 50;
var MAX_SUSPECT_FILE_CHARS = 8e3;
function withBoundedFiles(suspects2, files) {
  let budget = MAX_SUSPECT_FILE_CHARS;
  return suspects2.map((s, i) => {
    const kept = (files[i] ?? []).slice(0, MAX_SUSPECT_FILES);
    const size = kept.reduce((n, f) => n + f.length + 3, 0);
    if (kept.length === 0 || size > budget) return s;
    budget -= size;
    return { ...s, files: kept };
  });
}
function withFailedDeployment(deployments, failed2) {
  if (!failed2) return deployments;
  const found = deployments.some((d) => String(d.id) === String(failed2.id));
  const marked = deployments.map(
    (d) => String(d.id) === String(failed2.id) ? { ...d, checkFailed: true } : d
  );
  return found ? marked : [...marked, { ...failed2, checkFailed: true }];
}

// src/app/pipeline/dedupe.ts
async function dedupe(deps, target, fn) {
  return deps.lock.withLock(
    deps.store.lockKey(target.groupKey),
    async () => fn(await deps.store.find(target.label, target.groupKey))
  );
}

// src/app/pipeline/similar.ts
import { SpanStatusCode as SpanStatusCode3 } from "@opentelemetry/api";
var MAX_SIMILAR = 5;
var MAX_WHY = 3;
var MAX_WHY_LENGTH = 300;
async function lookupSimilar(...args) {
  return traced("aftershock similar incidents", async (span) => {
    const found = await lookupSimilarUntraced(...args);
    span.setAttribute("aftershock.github_requests", found.requests);
    span.setAttribute("aftershock.similar", found.similar.length);
    if (found.warning) span.setStatus({ code: SpanStatusCode3.ERROR, message: found.warning });
    return found;
  });
}
async function lookupSimilarUntraced(octokit, repo, record, alert, config, now, pastIncidents = pastIncidentsOnce(octokit, repo, config, now)) {
  const none = { similar: [], suspects: record.suspects, requests: 0 };
  if (!config.history.enabled) return none;
  let requests = 0;
  try {
    const history = await pastIncidents();
    requests = history.requests;
    const similar = findSimilar(matchDraft(record, alert), history.incidents, { limit: MAX_SIMILAR });
    return {
      similar: similar.map(compact),
      suspects: recurrenceBoost(record.suspects, similar),
      requests
    };
  } catch (err) {
    return {
      ...none,
      requests,
      warning: `Similar past incidents could not be listed (${errorMessage(err)}); the incident was opened without them`
    };
  }
}
function matchDraft(record, alert) {
  const annotated = [alert?.annotations, ...Object.values(record.fingerprints).map((a) => a.annotations)];
  const signatures = [
    .../* @__PURE__ */ new Set([
      ...annotated.flatMap((a) => errorSignature(a)?.signature ?? []),
      ...recordSignatures(record).map((s) => s.signature)
    ])
  ];
  return {
    name: record.name,
    service: record.service,
    environment: record.environment,
    source: record.source,
    alertnames: [...new Set(Object.values(record.fingerprints).map((a) => a.alertname))],
    suspects: record.suspects.map((s) => ({ number: s.number, ...s.files ? { files: s.files } : {} })),
    signatures,
    openedAt: record.openedAt,
    groupKey: record.groupKey
  };
}
function compact(s) {
  return {
    number: s.number,
    url: s.url,
    why: s.why.slice(0, MAX_WHY).map((w) => w.slice(0, MAX_WHY_LENGTH)),
    outcome: s.outcome
  };
}

// src/app/pipeline/write.ts
async function createIncident(store, record, config) {
  const created = await store.create({
    title: incidentTitle(record),
    body: renderIncidentBody(record),
    labels: incidentLabels(record, config.labels),
    assignees: config.assignees
  });
  if (created.assigneeError) {
    await store.comment(created.number, `\u26A0\uFE0F ${created.assigneeError}.`);
  }
  return { outcome: "created", number: created.number, url: created.url };
}
async function updateIncident(store, existing2, merged, config) {
  if (merged.changes.length === 0)
    return { outcome: "unchanged", number: existing2.number, url: existing2.url };
  const resolvedNow = merged.changes.some((c) => c.kind === "resolved");
  await store.write(existing2.number, {
    ...incidentWrite(existing2, merged.record, config.labels, {
      close: resolvedNow && config.closeOnResolve
    }),
    comments: [renderUpdateComment(merged.changes)]
  });
  return { outcome: "updated", number: existing2.number, url: existing2.url };
}
function incidentWrite(issue, record, labels2, options = {}) {
  const wanted = mergeLabels(issue.labels, incidentLabels(record, labels2), labels2.resolved);
  const title = incidentTitle(record);
  const retitled = options.retitleFrom !== void 0 && title !== options.retitleFrom;
  return {
    body: renderIncidentBody(record),
    ...retitled ? { title } : {},
    ...sameLabels(issue.labels, wanted) ? {} : { labels: wanted },
    ...options.close && issue.state !== "closed" ? { state: "closed" } : {}
  };
}

// src/app/pipeline/incident.ts
async function openOrUpdateIncident(ctx, draft, correlation) {
  const { config } = ctx.config;
  const at = ctx.now.toISOString();
  const target = { label: config.labels.incident, groupKey: draft.groupKey };
  return dedupe(ctx, target, async (existing2) => {
    if (existing2) {
      const merged = mergeDelivery(existing2.record, draft.delivery, at, draft.actor);
      const written = await updateIncident(ctx.store, existing2, merged, config);
      const event = {
        repo: ctx.repo,
        number: existing2.number,
        url: existing2.url,
        record: merged.record,
        config
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
async function openIncident(ctx, draft, correlation, decide) {
  const { config } = ctx.config;
  const at = ctx.now.toISOString();
  const started = performance.now();
  const pastIncidents = pastIncidentsOnce(ctx.octokit, ctx.repo, config, ctx.now);
  const found = await correlate(ctx.octokit, ctx.repo, correlation, config, {
    now: ctx.now,
    ...ctx.log ? { log: ctx.log } : {},
    pastIncidents
  });
  const opened = {
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
      ...ctx.config.error ? [ctx.config.error] : [],
      ...ctx.config.warnings,
      ...found.warning ? [found.warning] : []
    ],
    ...draft.externalURL ? { externalURL: draft.externalURL } : {},
    ...draft.details
  };
  const past = await lookupSimilar(
    ctx.octokit,
    ctx.repo,
    opened,
    correlation.alert,
    config,
    ctx.now,
    pastIncidents
  );
  ctx.events.emit("correlation", {
    seconds: (performance.now() - started) / 1e3,
    requests: found.requests + past.requests
  });
  const record = {
    ...opened,
    suspects: past.suspects,
    warnings: boundedWarnings([...opened.warnings, ...past.warning ? [past.warning] : []]),
    ...past.similar.length > 0 ? { similar: past.similar } : {}
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
        octokit: ctx.octokit
      });
    }
    return written;
  });
}

// src/app/grouping/comment-pacer.ts
var MAX_HELD = 200;
var MAX_INCIDENTS = 1e4;
var ALWAYS = /* @__PURE__ */ new Set(["incident-resolved", "incident-refired", "severity-raised"]);
var DEFAULT_COMMENT_INTERVAL_MS = 6e4;
function isAlways(c) {
  const kind = c.change.kind;
  return ALWAYS.has(kind) || c.group === "" && (kind === "resolved" || kind === "refired");
}
var CommentPacer = class {
  constructor(intervalMs = DEFAULT_COMMENT_INTERVAL_MS, clock = Date.now) {
    this.intervalMs = intervalMs;
    this.clock = clock;
  }
  intervalMs;
  clock;
  #incidents = /* @__PURE__ */ new Map();
  /**
   * The changes the batch's comment should list (held ones first), or null: no comment now, the
   * changes are held. Call `posted` once the comment is written, or `hold` with the changes if the
   * write failed, so they are listed next time.
   */
  take(incident, changes) {
    const state = this.#incidents.get(incident);
    const all = [...state?.held ?? [], ...changes];
    const due = !state || this.clock() - state.lastAt >= this.intervalMs;
    if (due || changes.some(isAlways)) return all;
    this.#incidents.set(incident, { lastAt: state.lastAt, held: all.slice(-MAX_HELD) });
    return null;
  }
  /** The comment `take` gave was not posted (no write slot): its changes wait for the next one. */
  hold(incident, changes) {
    const state = this.#incidents.get(incident);
    this.#incidents.set(incident, {
      lastAt: state?.lastAt ?? Number.NEGATIVE_INFINITY,
      held: changes.slice(-MAX_HELD)
    });
  }
  posted(incident) {
    this.#incidents.delete(incident);
    this.#incidents.set(incident, { lastAt: this.clock(), held: [] });
    if (this.#incidents.size > MAX_INCIDENTS) this.#incidents.delete(this.#incidents.keys().next().value);
  }
};

// src/app/grouping/group-commit.ts
var GroupCommit = class {
  constructor(lock, commit, options = {}) {
    this.lock = lock;
    this.commit = commit;
    this.#maxBatch = options.maxBatch ?? 200;
    this.#maxQueued = options.maxQueued ?? 1e3;
    this.#clock = options.clock ?? Date.now;
    this.#ready = options.ready;
  }
  lock;
  commit;
  #queues = /* @__PURE__ */ new Map();
  #maxBatch;
  #maxQueued;
  #clock;
  #ready;
  /** Queues `item` for `key`; resolves after the write that contains it. */
  submit(key, item, deadline) {
    let queue = this.#queues.get(key);
    const draining = queue !== void 0;
    queue ??= [];
    if (queue.length >= this.#maxQueued) {
      return Promise.reject(busy(`${queue.length} changes are already queued for this incident`, 5e3));
    }
    this.#queues.set(key, queue);
    const result = new Promise((resolve2, reject) => {
      const pending = {
        item,
        deadline,
        resolve: resolve2,
        reject,
        // Still queued at the deadline: nothing of it is written, so 503 loses nothing.
        timer: setTimeout(
          () => {
            const q = this.#queues.get(key);
            const at = q?.indexOf(pending) ?? -1;
            if (at < 0) return;
            q.splice(at, 1);
            reject(busy("this incident's earlier changes are still being written", 5e3));
          },
          Math.max(0, deadline - this.#clock())
        )
      };
      queue.push(pending);
    });
    if (!draining) void this.#drain(key);
    return result;
  }
  /** Items waiting for `key` (tests, metrics). */
  queued(key) {
    return this.#queues.get(key)?.length ?? 0;
  }
  async #drain(key) {
    const queue = this.#queues.get(key);
    while (queue.length > 0) {
      let batch = [];
      try {
        await this.lock.withLock(key, async () => {
          if (this.#ready && queue.length > 0) await this.#ready(key, queue[0].item);
          batch = queue.splice(0, this.#maxBatch);
          for (const p of batch) clearTimeout(p.timer);
          if (batch.length === 0) return;
          const deadline = Math.max(...batch.map((p) => p.deadline));
          const results = await withDeadline(
            deadline,
            () => this.commit(
              key,
              batch.map((p) => p.item)
            )
          );
          batch.forEach((p, i) => p.resolve(results[i]));
        });
      } catch (err) {
        const failed2 = batch.length > 0 ? batch : queue.splice(0, queue.length);
        for (const p of failed2) {
          clearTimeout(p.timer);
          p.reject(err);
        }
      }
    }
    this.#queues.delete(key);
  }
};

// src/app/redis-lock.ts
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

// src/app/lock.ts
var DEFAULT_MAX_WAITERS = 20;
var WEBHOOK_MAX_WAITERS = 100;
var LockQueueFull = class extends HttpError {
  constructor(waiting) {
    super(
      503,
      `${waiting} deliveries are already waiting for this alert group; Alertmanager will retry`,
      void 0,
      { "retry-after": "5" }
    );
    this.waiting = waiting;
    this.name = "LockQueueFull";
  }
  waiting;
};
var IncidentBusyError = class extends Error {
  constructor(waiting) {
    super(
      `the incident is busy: ${waiting} updates were already waiting for its lock, so this one was not applied; GitHub does not resend it, so send it again (redeliver the webhook, post the command again)`
    );
    this.waiting = waiting;
    this.name = "IncidentBusyError";
  }
  waiting;
};
async function withIncidentLock(lock, key, fn) {
  let started = false;
  try {
    return await lock.withLock(
      key,
      () => {
        started = true;
        return fn();
      },
      { maxWaiters: WEBHOOK_MAX_WAITERS }
    );
  } catch (err) {
    if (!started && err instanceof LockQueueFull) throw new IncidentBusyError(err.waiting);
    throw err;
  }
}
var InProcessKeyLock = class {
  #tails = /* @__PURE__ */ new Map();
  #waiting = /* @__PURE__ */ new Map();
  #maxWaiters;
  constructor(options = {}) {
    this.#maxWaiters = options.maxWaiters ?? DEFAULT_MAX_WAITERS;
  }
  async withLock(key, fn, options = {}) {
    const previous = this.#tails.get(key);
    const waiting = this.#waiting.get(key) ?? 0;
    if (previous && waiting >= (options.maxWaiters ?? this.#maxWaiters)) throw new LockQueueFull(waiting);
    if (previous) this.#waiting.set(key, waiting + 1);
    const started = previous ? previous.then(() => this.#leaveQueue(key)) : Promise.resolve();
    const run2 = started.then(fn);
    const tail = run2.then(
      () => void 0,
      () => void 0
    );
    this.#tails.set(key, tail);
    try {
      return await run2;
    } finally {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
  #leaveQueue(key) {
    const left = (this.#waiting.get(key) ?? 1) - 1;
    if (left > 0) this.#waiting.set(key, left);
    else this.#waiting.delete(key);
  }
  /** How many keys are held or waited on (for tests and metrics). */
  get size() {
    return this.#tails.size;
  }
};

// src/app/redis-lock.ts
var LOCK_PREFIX = "aftershock:lock:";
var RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
var EXTEND = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
var FAIL_FAST = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 2e3,
  commandTimeout: 2e3,
  // Keep reconnecting in the background (at most every 2 s) so the lock serves again once Redis is back.
  retryStrategy: (times) => Math.min(times * 100, 2e3)
};
function describeRedisUrl(url) {
  return redactUrl(url);
}
var RedisKeyLock = class _RedisKeyLock {
  #redis;
  #ttlMs;
  #waitMs;
  #maxHoldMs;
  #retryMinMs;
  #maxWaiters;
  #waiting = /* @__PURE__ */ new Map();
  #onError;
  #where;
  /** Uses `redis` as given; prefer `RedisKeyLock.connect`, which sets the fail-fast options. */
  constructor(redis, options = {}, where = "Redis") {
    this.#redis = redis;
    this.#ttlMs = options.ttlMs ?? 3e4;
    this.#waitMs = options.waitMs ?? 3e4;
    this.#maxHoldMs = options.maxHoldMs ?? 5 * 6e4;
    this.#retryMinMs = options.retryMinMs ?? 20;
    this.#maxWaiters = options.maxWaiters ?? DEFAULT_MAX_WAITERS;
    this.#onError = options.onError ?? (() => void 0);
    this.#where = where;
    if (!(this.#ttlMs >= 100)) throw new Error(`the lock TTL must be at least 100 ms, got ${this.#ttlMs}`);
  }
  /**
   * The lock's Redis connection, for state the replicas share beside it (the write budget), once a
   * connection attempt under way has had its outcome.
   */
  async connection() {
    await this.#connected();
    return this.#redis;
  }
  /** A lock on its own connection to `url` (redis:// or rediss://), with commands failing fast when Redis is down. */
  static connect(url, options = {}) {
    const redis = new Redis(url, FAIL_FAST);
    const lock = new _RedisKeyLock(redis, options, describeRedisUrl(url));
    redis.on("error", (err) => options.onError?.(err));
    return lock;
  }
  async withLock(key, fn, options = {}) {
    const redisKey = LOCK_PREFIX + key;
    const token = randomBytes(16).toString("hex");
    const waiting = this.#waiting.get(key) ?? 0;
    if (waiting >= (options.maxWaiters ?? this.#maxWaiters)) throw new LockQueueFull(waiting);
    this.#waiting.set(key, waiting + 1);
    try {
      await this.#acquire(redisKey, token, key);
    } finally {
      const left = (this.#waiting.get(key) ?? 1) - 1;
      if (left > 0) this.#waiting.set(key, left);
      else this.#waiting.delete(key);
    }
    const stop = this.#watchdog(redisKey, token, key);
    try {
      return await fn();
    } finally {
      stop();
      await this.#release(redisKey, token, key);
    }
  }
  /** Readiness: resolves when Redis answers PING, else rejects with why. */
  async ping() {
    try {
      await this.#connected();
      await this.#redis.ping();
    } catch (err) {
      throw this.#unreachable(err);
    }
  }
  /** Closes the connection (pending lock waits then fail). */
  async close() {
    try {
      await this.#redis.quit();
    } catch {
      this.#redis.disconnect();
    }
  }
  async #acquire(redisKey, token, key) {
    const deadline = Date.now() + this.#waitMs;
    let delay2 = this.#retryMinMs;
    for (; ; ) {
      let reply;
      try {
        await this.#connected();
        reply = await this.#redis.set(redisKey, token, "PX", this.#ttlMs, "NX");
      } catch (err) {
        throw this.#unreachable(err);
      }
      if (reply === "OK") return;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new HttpError(
          503,
          `another delivery of ${key} held the lock for over ${this.#waitMs} ms; try again later`,
          void 0,
          { "retry-after": String(Math.ceil(this.#ttlMs / 1e3)) }
        );
      }
      await sleep(Math.min(left, delay2 / 2 + Math.random() * delay2 / 2));
      delay2 = Math.min(delay2 * 2, 500);
    }
  }
  /** Renews the lease every ttl/3 until stopped, the lease is lost, or maxHoldMs has passed. */
  #watchdog(redisKey, token, key) {
    const started = Date.now();
    const timer = setInterval(
      () => {
        if (Date.now() - started > this.#maxHoldMs) {
          clearInterval(timer);
          this.#onError(
            new Error(`held ${key} for over ${this.#maxHoldMs} ms: no longer renewing the lease`),
            key
          );
          return;
        }
        this.#redis.eval(EXTEND, 1, redisKey, token, this.#ttlMs).then(
          (renewed) => {
            if (renewed !== 1) {
              clearInterval(timer);
              this.#onError(new Error(`lost the lock on ${key}: its lease expired while the work ran`), key);
            }
          },
          // The lease may still be alive: keep trying until it expires.
          (err) => this.#onError(err, key)
        );
      },
      Math.floor(this.#ttlMs / 3)
    );
    timer.unref();
    return () => clearInterval(timer);
  }
  /** The work is done either way: a failed release is reported, and the lease expires on its own. */
  async #release(redisKey, token, key) {
    try {
      await this.#redis.eval(RELEASE, 1, redisKey, token);
    } catch (err) {
      this.#onError(err, key);
    }
  }
  /** While a (re)connection attempt is under way, wait for its outcome (bounded by connectTimeout). */
  async #connected() {
    const redis = this.#redis;
    if (!["wait", "connecting", "connect"].includes(redis.status)) return;
    if (redis.status === "wait") void redis.connect().catch(() => void 0);
    await new Promise((resolve2) => {
      const done = () => {
        clearTimeout(timer);
        redis.off("ready", done).off("error", done).off("close", done);
        resolve2();
      };
      const timer = setTimeout(done, 3e3);
      redis.once("ready", done).once("error", done).once("close", done);
    });
  }
  #unreachable(err) {
    return new HttpError(
      503,
      `the shared lock in Redis (${this.#where}) is unreachable: ${errorMessage(err)}. Check that Redis is up and REDIS_URL is right; Alertmanager will retry`
    );
  }
};
function sleep(ms) {
  return new Promise((resolve2) => setTimeout(resolve2, ms));
}

// src/app/grouping/owed-groups.ts
var OWED_TTL_MS = 6 * 36e5;
var MAX_OWED = 1e4;
var OWED_PREFIX = "aftershock:owed:";
var InProcessOwedGroups = class {
  constructor(clock = Date.now, ttlMs = OWED_TTL_MS, max = MAX_OWED) {
    this.clock = clock;
    this.ttlMs = ttlMs;
    this.max = max;
  }
  clock;
  ttlMs;
  max;
  /** Key → when it stops being owed (ms), oldest first. */
  #until = /* @__PURE__ */ new Map();
  async add(key) {
    this.#until.delete(key);
    this.#until.set(key, this.clock() + this.ttlMs);
    while (this.#until.size > this.max) this.#until.delete(this.#until.keys().next().value);
  }
  async delete(key) {
    this.#until.delete(key);
  }
  async has(key) {
    const until = this.#until.get(key);
    if (until === void 0) return false;
    if (until > this.clock()) return true;
    this.#until.delete(key);
    return false;
  }
  get size() {
    return this.#until.size;
  }
};
var RedisOwedGroups = class {
  constructor(redis, ttlMs = OWED_TTL_MS, prefix = OWED_PREFIX) {
    this.redis = redis;
    this.ttlMs = ttlMs;
    this.prefix = prefix;
  }
  redis;
  ttlMs;
  prefix;
  async add(key) {
    await (await this.redis()).set(this.prefix + key, "1", "PX", this.ttlMs);
  }
  async delete(key) {
    await (await this.redis()).del(this.prefix + key);
  }
  async has(key) {
    return await (await this.redis()).exists(this.prefix + key) === 1;
  }
};
function owedGroupsFor(lock, clock = Date.now) {
  return lock instanceof RedisKeyLock ? new RedisOwedGroups(() => lock.connection()) : new InProcessOwedGroups(clock);
}

// src/app/grouping/deliver.ts
var MOVED = { outcome: "moved" };
var MAX_ROUNDS = 4;
var MAX_LOCATIONS = 1e4;
var COMMENT_MAX_WAIT_MS = 3e3;
var perLock = /* @__PURE__ */ new WeakMap();
function groupingFor(lock, budget, clock = Date.now) {
  let grouping = perLock.get(lock);
  if (!grouping) {
    grouping = new AlertGrouping(lock, {
      clock,
      ...budget ? { writeSlot: (ctx) => budget.untilFree(ctx.repo.owner.toLowerCase()) } : {},
      // Through the same Redis with the Redis lock, so any replica knows a group is owed.
      owed: owedGroupsFor(lock, clock)
    });
    perLock.set(lock, grouping);
  }
  return grouping;
}
var AlertGrouping = class {
  constructor(lock, options = {}) {
    this.lock = lock;
    this.#clock = options.clock ?? Date.now;
    this.#owed = options.owed ?? new InProcessOwedGroups(this.#clock);
    const comments = new CommentPacer(
      options.commentIntervalMs ?? DEFAULT_COMMENT_INTERVAL_MS,
      options.clock
    );
    const writeSlot = options.writeSlot;
    const clock = this.#clock;
    this.commits = new GroupCommit(lock, (_key, items) => commitChanges(items, comments, clock), {
      ...options,
      ...writeSlot ? { ready: (_key, first) => writeSlot(first.ctx) } : {}
    });
  }
  lock;
  commits;
  #locations = /* @__PURE__ */ new Map();
  /**
   * Groups (lock keys) whose firing delivery was answered 5xx and none of whose deliveries has been
   * written since: the app owes them their incident. If the group then resolves, its resolved
   * delivery opens the incident (resolved) instead of being ignored, or the storm loses it. Shared
   * through Redis with the Redis lock (owed-groups.ts), so the retry may land on any replica.
   */
  #owed;
  #clock;
  /** Applies one Alertmanager delivery; resolves after the write that holds its change. */
  async deliver(ctx, draft, correlation, deadline) {
    const groupLock = ctx.store.lockKey(draft.groupKey);
    const written = await this.#deliver(ctx, draft, correlation, deadline, groupLock);
    await this.#owed.delete(groupLock).catch(() => void 0);
    return written;
  }
  /**
   * A firing delivery of `groupKey` in `repo` was answered 5xx (busy, budget, GitHub failing): until
   * one of the group's deliveries is written, a resolved one opens the incident it never got.
   * Resolves once recorded (before the 5xx is sent, so the retry finds it on any replica).
   */
  async refused(repo, groupKey) {
    await this.#owed.add(incidentLockKey(repo, boundedKey(groupKey)));
  }
  async #deliver(ctx, draft, correlation, deadline, groupLock) {
    for (let round = 1; round <= MAX_ROUNDS; round++) {
      const known = round === 1 ? this.#locations.get(groupLock) : void 0;
      const next = known ? { kind: "held", ...known } : await withLockBefore(
        ctx.lock,
        groupLock,
        deadline,
        this.#clock,
        () => this.#findOrOpen(ctx, draft, correlation, deadline)
      );
      if (next.kind === "written") return next.outcome;
      const join = next.kind === "join" ? { deployment: next.deployment, windowMs: next.windowMs } : void 0;
      const change = { ctx, number: next.number, draft, ...join ? { join } : {} };
      const done = await this.commits.submit(ctx.store.lockKey(next.primary), change, deadline);
      if (done.outcome !== "moved") {
        this.#remember(groupLock, { number: next.number, primary: next.primary });
        return done;
      }
      this.#locations.delete(groupLock);
    }
    throw busy("the incident of this alert group kept moving (split or closed); try again", 5e3);
  }
  /**
   * Under the group's lock: the open incident that holds it; else (firing) correlate, then join an
   * incident with the same cause or open the group's own.
   */
  async #findOrOpen(ctx, draft, correlation, deadline) {
    const held = await this.#holder(ctx, draft.groupKey);
    if (held) return { kind: "held", ...held };
    const groupLock = ctx.store.lockKey(draft.groupKey);
    const resolved = draft.delivery.status === "resolved";
    if (resolved && !await this.#owed.has(groupLock)) {
      return {
        kind: "written",
        outcome: { outcome: "ignored", reason: "the group resolved and has no open incident" }
      };
    }
    const created = async (create) => {
      const outcome = await create();
      if (outcome.outcome === "created") {
        this.#remember(groupLock, { number: outcome.number, primary: draft.groupKey });
        if (resolved) await closeResolvedAtOpening(ctx, outcome);
      }
      return { kind: "written", outcome };
    };
    if (resolved) draft = resolvedBeforeOpening(draft);
    return openIncident(ctx, draft, correlation, async (record, create) => {
      const { grouping, labels: labels2 } = ctx.config.config;
      const deployment = topDeployment(record);
      if (!grouping.enabled || deployment === null) return created(create);
      const windowMs = grouping.windowMinutes * 6e4;
      const cause = ctx.store.causeLockKey(draft.environment, deployment);
      return withLockBefore(ctx.lock, cause, deadline, this.#clock, async () => {
        const criteria = { environment: draft.environment, deployment, now: ctx.now, windowMs };
        const target = oldest(
          (await ctx.store.list(labels2.incident)).filter((i) => canJoin(i.record, criteria))
        );
        if (!target) return created(create);
        return { kind: "join", number: target.number, primary: target.record.groupKey, deployment, windowMs };
      });
    });
  }
  /** The open incident holding `groupKey`, found by listing the open incidents. */
  async #holder(ctx, groupKey) {
    const key = ctx.store.lockKey(groupKey);
    const open = await ctx.store.list(ctx.config.config.labels.incident);
    const holder = oldest(open.filter((i) => hasGroup(i.record, groupKey)));
    if (!holder) {
      this.#locations.delete(key);
      return null;
    }
    const location = { number: holder.number, primary: holder.record.groupKey };
    this.#remember(key, location);
    return location;
  }
  #remember(key, location) {
    this.#locations.delete(key);
    this.#locations.set(key, location);
    if (this.#locations.size > MAX_LOCATIONS) this.#locations.delete(this.#locations.keys().next().value);
  }
};
function oldest(incidents) {
  return [...incidents].sort((a, b) => a.number - b.number)[0];
}
async function commitChanges(items, comments, clock) {
  const results = items.map(() => MOVED);
  const byIssue = /* @__PURE__ */ new Map();
  items.forEach((item, i) => byIssue.set(item.number, [...byIssue.get(item.number) ?? [], i]));
  for (const [number, indexes] of byIssue) {
    const ctx = items[indexes.at(-1)].ctx;
    const incident = await ctx.store.read(number);
    if (!incident || incident.state !== "open") continue;
    let record = incident.record;
    const changes = [];
    const applied = [];
    for (const index of indexes) {
      const merged = applyChange(record, items[index]);
      if (!merged) continue;
      record = merged.record;
      changes.push(...merged.changes);
      applied.push({ index, kinds: merged.changes.map((c) => c.change.kind) });
      const outcome = merged.changes.length > 0 ? "updated" : "unchanged";
      results[index] = { outcome, number, url: incident.url };
    }
    const resolvedNow = incident.record.status === "firing" && record.status === "resolved";
    if (changes.length > 0) {
      const key = `${ctx.repo.owner}/${ctx.repo.repo}#${number}`.toLowerCase();
      const comment = comments.take(key, changes);
      const posted = await writeBatch(ctx, incident, record, comment, resolvedNow, clock);
      if (posted) comments.posted(key);
      else if (comment) comments.hold(key, comment);
    }
    const event = { repo: ctx.repo, number, url: incident.url, record, config: ctx.config.config };
    for (const { kinds } of applied) ctx.events.emit("incident.updated", { ...event, changes: kinds });
    if (resolvedNow) ctx.events.emit("incident.resolved", event);
  }
  return results;
}
function applyChange(record, { ctx, draft, join }) {
  const at = ctx.now.toISOString();
  if (hasGroup(record, draft.groupKey)) return mergeGroupDelivery(record, draft, at, draft.actor);
  if (!join) return null;
  const criteria = {
    environment: draft.environment,
    deployment: join.deployment,
    now: ctx.now,
    windowMs: join.windowMs
  };
  return canJoin(record, criteria) ? joinGroup(record, draft, join.deployment, at, draft.actor) : null;
}
async function writeBatch(ctx, incident, record, comment, resolvedNow, clock) {
  const { config } = ctx.config;
  await ctx.store.write(
    incident.number,
    incidentWrite(incident, record, config.labels, {
      retitleFrom: incidentTitle(incident.record),
      close: resolvedNow && config.closeOnResolve
    })
  );
  if (!comment) return false;
  const soon = Math.min(currentDeadline() ?? Infinity, clock() + COMMENT_MAX_WAIT_MS);
  try {
    await withDeadline(soon, () => ctx.store.comment(incident.number, renderGroupedComment(comment)));
    return true;
  } catch (err) {
    if (err instanceof BudgetRefusal) return false;
    throw err;
  }
}
function resolvedBeforeOpening(draft) {
  return {
    ...draft,
    openedText: `${draft.openedText}; the group had fired and resolved before its incident could be opened (its firing notifications were refused while GitHub's write budget was full)`
  };
}
async function closeResolvedAtOpening(ctx, created) {
  if (created.outcome !== "created" || !ctx.config.config.closeOnResolve) return;
  try {
    await ctx.store.write(created.number, { state: "closed" });
  } catch (err) {
    if (!(err instanceof BudgetRefusal)) throw err;
  }
}

// src/app/pacing/settings.ts
var DEFAULT_WAIT_MS = 8e3;
function readPacingSettings(env = process.env, throttled = false) {
  const whole = (name, fallback, min) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`${name} must be a whole number \u2265 ${min}, got "${raw}"`);
    return n;
  };
  const perMinute = whole("AFTERSHOCK_WRITES_PER_MINUTE", DEFAULT_WRITE_BUDGET.perMinute, 1);
  const perHour = whole(
    "AFTERSHOCK_WRITES_PER_HOUR",
    Math.max(perMinute, DEFAULT_WRITE_BUDGET.perHour),
    perMinute
  );
  const waitSeconds = whole("ALERTMANAGER_WAIT_SECONDS", DEFAULT_WAIT_MS / 1e3, 1);
  const spacing = throttled ? PROBOT_THROTTLING_SPACING : {};
  return { budget: { perMinute, perHour, ...spacing }, waitMs: waitSeconds * 1e3 };
}

// src/app/pacing/redis-budget.ts
import { randomUUID } from "node:crypto";
var MINUTE2 = 6e4;
var HOUR2 = 60 * MINUTE2;
var SLOT = `
local now = tonumber(ARGV[1])
local perMinute = tonumber(ARGV[2])
local perHour = tonumber(ARGV[3])
local mode = ARGV[6]
local deadline = tonumber(ARGV[7])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ${HOUR2})
local n = redis.call('ZCARD', KEYS[1])
local slot = now
local function at(index)
  return tonumber(redis.call('ZRANGE', KEYS[1], index, index, 'WITHSCORES')[2])
end
if n >= perMinute then slot = math.max(slot, at(n - perMinute) + ${MINUTE2}) end
if n >= perHour then slot = math.max(slot, at(n - perHour) + ${HOUR2}) end
if mode ~= 'window' then
  if n > 0 then slot = math.max(slot, at(n - 1) + tonumber(ARGV[4])) end
  if mode == 'take-notify' then
    local last = redis.call('GET', KEYS[2])
    if last then slot = math.max(slot, tonumber(last) + tonumber(ARGV[5])) end
  end
end
if (mode == 'take' or mode == 'take-notify') and (deadline < 0 or slot <= deadline) then
  redis.call('ZADD', KEYS[1], slot, ARGV[8])
  redis.call('PEXPIRE', KEYS[1], slot - now + ${HOUR2})
  if mode == 'take-notify' then
    redis.call('SET', KEYS[2], slot, 'PX', slot - now + ${HOUR2})
  end
  return { slot, 1 }
end
return { slot, 0 }
`;
var RedisWriteBudget = class {
  constructor(redis, limits = DEFAULT_WRITE_BUDGET, now = Date.now, prefix = "aftershock:budget:") {
    this.redis = redis;
    this.limits = limits;
    this.now = now;
    this.prefix = prefix;
    if (!(limits.perMinute >= 1 && limits.perHour >= limits.perMinute))
      throw new Error(`a write budget needs 1 \u2264 perMinute \u2264 perHour, got ${JSON.stringify(limits)}`);
  }
  redis;
  limits;
  now;
  prefix;
  /** When the next write for `key` could be sent, across replicas (takes nothing). */
  async nextSlot(key) {
    return (await this.#slot(key, "peek")).slot;
  }
  async admit(key, deadline) {
    const { slot } = await this.#slot(key, "window");
    if (slot > deadline) throw budgetRefusal(this.limits, slot - this.now());
  }
  async untilFree(key) {
    await sleep2((await this.#slot(key, "peek")).slot - this.now());
  }
  async take(key, deadline, notify2 = false) {
    const { slot, taken } = await this.#slot(key, notify2 ? "take-notify" : "take", deadline);
    if (!taken) throw budgetRefusal(this.limits, slot - this.now());
    await sleep2(slot - this.now());
  }
  /** Writes taken in the last minute and hour by every replica (metrics, tests). */
  async used(key) {
    const now = this.now();
    const slots = `${this.prefix}${key}:slots`;
    const redis = await this.redis();
    const [minute, hour] = await Promise.all([
      redis.zcount(slots, `(${now - MINUTE2}`, "+inf"),
      redis.zcount(slots, `(${now - HOUR2}`, "+inf")
    ]);
    return { minute, hour };
  }
  async #slot(key, mode, deadline) {
    const { perMinute, perHour, writeSpacingMs = 0, notifySpacingMs = 0 } = this.limits;
    const redis = await this.redis();
    const reply = await redis.eval(
      SLOT,
      2,
      `${this.prefix}${key}:slots`,
      `${this.prefix}${key}:notified`,
      this.now(),
      perMinute,
      perHour,
      writeSpacingMs,
      notifySpacingMs,
      mode,
      deadline ?? -1,
      randomUUID()
    );
    return { slot: Number(reply[0]), taken: Number(reply[1]) === 1 };
  }
};
function writeBudgetFor(lock, limits = DEFAULT_WRITE_BUDGET, clock = Date.now) {
  return lock instanceof RedisKeyLock ? new RedisWriteBudget(() => lock.connection(), limits, clock) : new WriteBudget(limits, clock);
}
var sleep2 = (ms) => ms > 0 ? new Promise((resolve2) => setTimeout(resolve2, ms)) : Promise.resolve();

// src/app/alertmanager/authenticate.ts
import { createHash as createHash2, timingSafeEqual } from "node:crypto";
function digest(text2) {
  return createHash2("sha256").update(text2, "utf8").digest();
}
function tokensMatch(given, expected) {
  return timingSafeEqual(digest(given), digest(expected));
}
function authenticate(req, settings) {
  const header2 = req.headers.authorization;
  if (header2 !== void 0) req.headers.authorization = "[redacted]";
  const tokens = [
    ...settings.alertmanagerToken !== void 0 ? [{ token: settings.alertmanagerToken, scope: null }] : [],
    ...settings.alertmanagerTokens ?? []
  ];
  if (tokens.length === 0) {
    if (settings.allowUnauthenticated) return { scope: null };
    throw new HttpError(
      403,
      "Alertmanager deliveries are refused because no token is configured: set ALERTMANAGER_TOKEN on the app and the same value as http_config.authorization.credentials in Alertmanager's webhook receiver (or ALERTMANAGER_ALLOW_UNAUTHENTICATED=true for local testing only)"
    );
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header2 ?? "");
  if (!match) {
    throw new HttpError(
      401,
      "missing bearer token: send Authorization: Bearer <ALERTMANAGER_TOKEN> (Alertmanager: http_config.authorization)",
      void 0,
      { "www-authenticate": 'Bearer realm="aftershock"', connection: "close" }
    );
  }
  let caller = null;
  for (const t of tokens) if (tokensMatch(match[1], t.token) && !caller) caller = { scope: t.scope };
  if (!caller) {
    throw new HttpError(401, "invalid bearer token", void 0, {
      "www-authenticate": 'Bearer realm="aftershock", error="invalid_token"',
      // Nothing more will be read from a caller that failed: free the socket at once.
      connection: "close"
    });
  }
  return caller;
}

// src/app/repo-scope.ts
var ENTRY = /^(\*|[A-Za-z0-9][A-Za-z0-9-]{0,38}\/(\*|[A-Za-z0-9._-]{1,100}))$/;
function inScope(scope, repo) {
  const owner = repo.owner.toLowerCase();
  const full = `${owner}/${repo.repo.toLowerCase()}`;
  return scope.some((entry) => {
    const e = entry.toLowerCase();
    return e === "*" || e === full || e === `${owner}/*`;
  });
}
function checkScope(scope, where) {
  if (!Array.isArray(scope) || scope.length === 0 || !scope.every((s) => typeof s === "string" && ENTRY.test(s)))
    throw new Error(`${where} must be a non-empty list of "owner/name", "owner/*" or "*"`);
  return scope;
}

// src/app/alertmanager/describe.ts
var SERVICE_LABELS = ["service", "app", "app_kubernetes_io_name", "job"];
var ENVIRONMENT_LABELS = ["environment", "env", "deployment_environment"];
var ZERO_TIME = /^0001-01-01T/;
var RUNBOOK_ANNOTATIONS = ["runbook_url", "runbook"];
var MAX_ALERT_ENTRIES = 30;
var MAX_ALERT_VALUE = 300;
var MAX_URL = 2e3;
function firstLabel(payload, names) {
  for (const name of names) {
    const value = payload.commonLabels[name] ?? payload.alerts.find((a) => a.labels[name])?.labels[name];
    if (value) return value;
  }
  return void 0;
}
function bounded(values) {
  const entries = Object.entries(values).slice(0, MAX_ALERT_ENTRIES);
  if (entries.length === 0) return void 0;
  return Object.fromEntries(
    entries.map(([k, v]) => [k.slice(0, MAX_ALERT_VALUE), v.slice(0, MAX_ALERT_VALUE)])
  );
}
function alertState(alert) {
  const summary3 = alert.annotations["summary"] ?? alert.annotations["description"];
  const labels2 = bounded(alert.labels);
  const annotations = bounded(alert.annotations);
  return {
    status: alert.status,
    alertname: alert.labels["alertname"] ?? "alert",
    ...summary3 ? { summary: summary3.slice(0, 500) } : {},
    startsAt: alert.startsAt,
    ...ZERO_TIME.test(alert.endsAt) ? {} : { endsAt: alert.endsAt },
    ...alert.generatorURL ? { url: alert.generatorURL } : {},
    ...labels2 ? { labels: labels2 } : {},
    ...annotations ? { annotations } : {}
  };
}
function percent2(ratio) {
  return `${Number((ratio * 100).toPrecision(4))} %`;
}
function bandText(band) {
  return `${band.exclusive ? ">" : "\u2265"}${percent2(band.min)}`;
}
function alertSeverityRule(alert, bands) {
  const name = (alert.labels["alertname"] ?? "alert").slice(0, 100);
  const source = alertSeveritySource(alert, bands);
  if (!source) return null;
  const { severity: severity2 } = source;
  if (source.from === "label") {
    return { severity: severity2, rule: `alert ${name}: label severity="${source.label}" \u2192 ${severity2}` };
  }
  const { ratio, annotation } = source;
  const band = bands.find((b) => b.severity === severity2 && (b.exclusive ? ratio > b.min : ratio >= b.min));
  const why = band ? `band ${severity2} (${bandText(band)})` : `below every band, so ${severity2}`;
  return {
    severity: severity2,
    rule: `alert ${name}: error ratio ${Number(ratio.toPrecision(4))} in annotation ${annotation} \u2192 ${why}`
  };
}
function groupSeverityRule(alerts, bands) {
  const ruled = alerts.map((a) => alertSeverityRule(a, bands));
  const worst = worstSeverity(ruled.map((r) => r?.severity ?? null));
  const chosen = ruled.find((r) => r && r.severity === worst);
  return chosen ?? { severity: "P3", rule: "default P3 (no severity label or error ratio annotation)" };
}
var PLACEHOLDER2 = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
function fillUrlTemplate(template, vars) {
  return template.replace(PLACEHOLDER2, (_, name) => encodeURIComponent(vars[name] ?? ""));
}
function linkable(url) {
  return url && url.length <= MAX_URL && safeUrl(url) ? url : void 0;
}
function findRunbook(alerts, name, config) {
  for (const alert of alerts) {
    for (const key of RUNBOOK_ANNOTATIONS) {
      const url = linkable(alert.annotations[key]);
      if (url) return url;
    }
  }
  return linkable(config.runbooks[name] ?? config.runbooks["default"]);
}
function findDashboard(alerts, vars, config) {
  for (const alert of alerts) {
    const url = linkable(alert.generatorURL);
    if (url) return url;
  }
  return config.dashboard ? linkable(fillUrlTemplate(config.dashboard, vars)) : void 0;
}
function describeAlertGroup(payload, config) {
  const name = payload.commonLabels["alertname"] ?? payload.alerts[0]?.labels["alertname"] ?? "Alert";
  const service = firstLabel(payload, SERVICE_LABELS) ?? "unknown";
  const environment = firstLabel(payload, ENVIRONMENT_LABELS) ?? config.environments[0] ?? "production";
  const alerts = Object.fromEntries(payload.alerts.map((a) => [boundedKey(a.fingerprint), alertState(a)]));
  const firing = payload.alerts.filter((a) => a.status === "firing");
  const earliest2 = [...firing.length ? firing : payload.alerts].sort(
    (a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt)
  )[0];
  const deciding = [earliest2, ...(firing.length ? firing : payload.alerts).filter((a) => a !== earliest2)];
  const { severity: severity2, rule } = groupSeverityRule(deciding, config.severityBands);
  const vars = { ...payload.commonLabels, ...earliest2.labels, service, environment, alertname: name };
  const runbook = findRunbook([{ annotations: payload.commonAnnotations }, ...deciding], name, config);
  const dashboard = findDashboard(deciding, vars, config);
  const details = {
    severityRule: rule,
    ...runbook ? { runbook } : {},
    ...dashboard ? { dashboard } : {}
  };
  const truncated = payload.truncatedAlerts > 0 ? ` (${payload.truncatedAlerts} more were truncated)` : "";
  const draft = {
    groupKey: boundedKey(payload.groupKey),
    source: "alert",
    name,
    service,
    environment,
    severity: severity2,
    delivery: { status: payload.status, alerts },
    ...payload.externalURL ? { externalURL: payload.externalURL } : {},
    actor: "alertmanager",
    openedText: `Opened from ${firing.length} firing alert(s) sent to receiver ${payload.receiver}${truncated}`,
    details
  };
  const correlation = {
    alert: {
      startsAt: earliest2.startsAt,
      // The scorer reads service and environment from these labels: give it the resolved ones.
      labels: { ...payload.commonLabels, ...earliest2.labels, service, environment },
      annotations: { ...payload.commonAnnotations, ...earliest2.annotations }
    },
    environment,
    until: new Date(earliest2.startsAt)
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
var DEFAULT_BODY_TIMEOUT_MS = 1e4;
async function readBody(req, maxBytes, timeoutMs = DEFAULT_BODY_TIMEOUT_MS) {
  if (typeof req.body === "string" || req.body && typeof req.body === "object") {
    const text2 = typeof req.body === "string" ? req.body : JSON.stringify(req.body);
    if (Buffer.byteLength(text2) > maxBytes) throw tooLarge(maxBytes);
    return text2;
  }
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  return new Promise((resolve2, reject) => {
    const chunks = [];
    let size = 0;
    const timer = setTimeout(() => {
      cleanup();
      req.pause();
      reject(
        new HttpError(408, `the request body did not arrive within ${timeoutMs} ms`, void 0, {
          connection: "close"
        })
      );
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
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
      resolve2(Buffer.concat(chunks).toString("utf8"));
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

// src/app/installation.ts
async function installationOctokit(app, repo, installations) {
  const lookup = () => installationIdOf(app, repo);
  const id2 = installations ? await installations.get(`${repo.owner}/${repo.repo}`.toLowerCase(), lookup) : await lookup();
  return app.auth(id2);
}
async function installationIdOf(app, repo) {
  const appOctokit = await app.auth();
  try {
    const { data } = await appOctokit.request("GET /repos/{owner}/{repo}/installation", { ...repo });
    return data.id;
  } catch (err) {
    if (statusOf(err) === 404) {
      throw new HttpError(
        404,
        `aftershock is not installed on ${repo.owner}/${repo.repo}: install the GitHub App on that repository`
      );
    }
    throw err;
  }
}

// src/app/alertmanager/route.ts
var OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
var NAME = /^[A-Za-z0-9._-]{1,100}$/;
function parseRepo(text2) {
  const [owner, repo, ...rest] = text2.trim().split("/");
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
    if (fromPath && !sameRepo(repo, fromPath)) {
      throw new HttpError(
        400,
        `label ${label}="${named}" disagrees with the path /alertmanager/${fromPath.owner}/${fromPath.repo}: post to the path of the label's repository, or drop the label`,
        `commonLabels.${label}`
      );
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
function sameRepo(a, b) {
  return a.owner.toLowerCase() === b.owner.toLowerCase() && a.repo.toLowerCase() === b.repo.toLowerCase();
}

// src/app/alertmanager/validate.ts
import { z as z7 } from "zod";
var labels = z7.record(z7.string(), z7.string());
var timestamp = z7.iso.datetime({ offset: true, error: "must be an RFC 3339 timestamp" });
var AlertSchema = z7.object({
  status: z7.enum(["firing", "resolved"]),
  labels,
  annotations: labels,
  startsAt: timestamp,
  endsAt: timestamp,
  generatorURL: z7.string(),
  fingerprint: z7.string().min(1)
});
var AlertmanagerPayloadSchema = z7.object({
  version: z7.literal("4", { error: 'must be "4" (the only webhook version Alertmanager sends)' }),
  receiver: z7.string(),
  status: z7.enum(["firing", "resolved"]),
  alerts: z7.array(AlertSchema).min(1),
  groupLabels: labels,
  commonLabels: labels,
  commonAnnotations: labels,
  externalURL: z7.string(),
  groupKey: z7.string().min(1),
  // Alertmanager before 0.22 did not send it.
  truncatedAlerts: z7.number().int().min(0).default(0)
});
function fieldPath(path) {
  return path.map((part, i) => typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`).join("");
}
function validatePayload(text2) {
  let json;
  try {
    json = JSON.parse(text2);
  } catch (err) {
    throw new HttpError(400, `the body is not JSON: ${errorMessage(err)}`);
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

// src/github/repo-config.ts
async function loadRepoConfig(octokit, repo) {
  let data;
  try {
    ({ data } = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      ...repo,
      path: CONFIG_PATH
    }));
  } catch (err) {
    if (statusOf(err) === 404) {
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
  const text2 = file.encoding === "base64" ? Buffer.from(file.content, "base64").toString("utf8") : file.content;
  return parseRepoConfig(text2);
}

// src/app/repo-configs.ts
var CONFIG_TTL_MS = 6e4;
function cachedRepoConfigs(ttlMs = CONFIG_TTL_MS) {
  const cache = new TtlCache(ttlMs);
  return (client, repo) => cache.get(`${repo.owner}/${repo.repo}@default`.toLowerCase(), () => loadRepoConfig(client, repo));
}

// src/app/alertmanager/handler.ts
var PATH2 = /^\/alertmanager(?:\/([^/]+)\/([^/]+))?\/?$/;
function matchPath(url) {
  const pathname2 = new URL(url ?? "/", "http://localhost").pathname;
  const m = PATH2.exec(pathname2);
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
var INSTALLATION_TTL_MS = 10 * 6e4;
function createAlertmanagerHandler(deps) {
  const installations = new TtlCache(INSTALLATION_TTL_MS);
  const clock = deps.pacing?.clock ?? Date.now;
  const budget = deps.budget ?? writeBudgetFor(deps.lock, deps.pacing?.budget ?? DEFAULT_WRITE_BUDGET, clock);
  const grouping = groupingFor(deps.lock, budget, clock);
  const waitMs = deps.pacing?.waitMs ?? DEFAULT_WAIT_MS;
  const handle = async (req, res) => {
    const route = matchPath(req.url);
    if (!route.matched) return false;
    if (req.method !== "POST") {
      sendJson(res, 405, { error: "use POST: this is Alertmanager's webhook receiver" }, { allow: "POST" });
      return true;
    }
    const delivery = randomUUID2();
    let log2 = deps.app.log.child({ name: "alertmanager", delivery });
    res.setHeader("x-aftershock-delivery", delivery);
    const started = performance.now();
    const deadline = clock() + waitMs;
    let alertStatus = "unknown";
    let group;
    const owe = async () => {
      if (alertStatus !== "firing" || !group) return;
      await grouping.refused(group.repo, group.groupKey).catch((err) => {
        log2.warn({ err }, "could not record that this alert group is owed its incident");
      });
    };
    const answered = (outcome, httpStatus) => {
      deps.events.emit("alert.delivery", {
        status: alertStatus,
        outcome,
        httpStatus,
        seconds: (performance.now() - started) / 1e3
      });
    };
    try {
      const caller = authenticate(req, deps.settings);
      const payload = validatePayload(
        await readBody(req, deps.settings.maxBodyBytes, deps.settings.bodyTimeoutMs)
      );
      alertStatus = payload.status;
      const repo = resolveRepository(payload, route.repo, deps.settings.repositoryLabel);
      if (caller.scope && !inScope(caller.scope, repo)) {
        throw new HttpError(
          403,
          `this token may not open incidents in ${repo.owner}/${repo.repo}: use its own token, or widen the token's scope in ALERTMANAGER_TOKENS`
        );
      }
      log2 = log2.child({ repository: `${repo.owner}/${repo.repo}`, groupKey: payload.groupKey });
      group = { repo, groupKey: payload.groupKey };
      const account = repo.owner.toLowerCase();
      await budget.admit(account, deadline);
      const installed = await installationOctokit(deps.app, repo, installations);
      const octokit = paceWrites(installed, budget, account, currentDeadline);
      const config = await deps.repoConfigs(octokit, repo);
      const { draft, correlation } = describeAlertGroup(payload, config.config);
      const store = deps.incidents(octokit, repo);
      const ctx = { octokit, store, lock: deps.lock, repo, config, now: deps.now(), events: deps.events };
      const written = await withDeadline(deadline, () => grouping.deliver(ctx, draft, correlation, deadline));
      const repository = `${repo.owner}/${repo.repo}`;
      log2.info(
        { outcome: written.outcome, ...written.outcome !== "ignored" ? { incident: written.number } : {} },
        "alert group handled"
      );
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
        if (err.status >= 500) {
          log2.warn({ status: err.status }, err.message);
          await owe();
        }
        sendJson(
          res,
          err.status,
          { error: err.message, ...err.field ? { field: err.field } : {} },
          err.headers
        );
        answered(err.status >= 500 ? "failed" : "rejected", err.status);
      } else if (err instanceof GitHubRefusedError) {
        log2.warn({ status: err.status }, err.message);
        sendJson(res, 422, { error: err.message });
        answered("rejected", 422);
      } else {
        const status = statusOf(err);
        recordException(err);
        log2.error({ err }, "alert group not written; answering 503 so Alertmanager retries");
        await owe();
        sendJson(res, 503, {
          error: "the incident could not be written now; Alertmanager will retry",
          reason: errorMessage(err),
          ...status !== void 0 ? { githubStatus: status } : {}
        });
        answered("failed", 503);
      }
    }
    return true;
  };
  return traceRoute("alertmanager delivery", (req) => matchPath(req.url).matched, handle);
}

// src/app/deployment-status.ts
var FAILED_STATES = /* @__PURE__ */ new Set(["failure", "error"]);
var DEPLOY_CHECK_WAIT_MS = 6e4;
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
    config = await deps.repoConfigs(context.octokit, repo);
  } catch (err) {
    const error = `.github/aftershock.yml could not be read (${errorMessage(err)}); the defaults were used`;
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
    details: {
      severityRule: payloadField(deployment.payload, "severity") ? `deployment payload severity="${payloadField(deployment.payload, "severity")}"` : "default P2 for a failed deploy check"
    },
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
  const failed2 = {
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
    deployment: failed2
  };
  const clock = deps.writes?.clock ?? Date.now;
  const deadline = clock() + DEPLOY_CHECK_WAIT_MS;
  const account = repo.owner.toLowerCase();
  const budget = deps.writes?.budget;
  if (budget) await budget.admit(account, deadline);
  const octokit = budget ? paceWrites(context.octokit, budget, account, () => deadline) : context.octokit;
  const ctx = {
    octokit,
    store: deps.incidents(octokit, repo),
    lock: deps.lock,
    repo,
    config,
    now: deps.now(),
    events: deps.events,
    log: context.log
  };
  const written = await withDeadline(
    deadline,
    () => config.config.grouping.enabled ? groupingFor(deps.lock, deps.writes?.budget, deps.writes?.clock).deliver(
      ctx,
      draft,
      correlation,
      deadline
    ) : openOrUpdateIncident(ctx, draft, correlation)
  ).catch((err) => {
    throw err instanceof LockQueueFull ? new IncidentBusyError(err.waiting) : err;
  });
  context.log.info({ deployment: deployment.id, ...written }, "failed deploy check handled");
  return written;
}

// src/github/permissions.ts
var WRITE_LEVELS = /* @__PURE__ */ new Set(["admin", "maintain", "write"]);
var KNOWN = /* @__PURE__ */ new Set(["admin", "maintain", "write", "triage", "read", "none"]);
function canWrite(level) {
  return WRITE_LEVELS.has(level);
}
function canRead(level) {
  return level !== "none";
}
async function getAccessLevel(octokit, repo, username) {
  let data;
  try {
    ({ data } = await octokit.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
      ...repo,
      username
    }));
  } catch (err) {
    if (statusOf(err) === 404) return "none";
    throw err;
  }
  const role = (data.role_name ?? "").toLowerCase();
  const permission = (data.permission ?? "").toLowerCase();
  const levels = [role, permission].filter((l) => KNOWN.has(l));
  const order = ["admin", "maintain", "write", "triage", "read", "none"];
  return order.find((l) => levels.includes(l)) ?? "none";
}
function isBot(user) {
  return user.type === "Bot" || user.login.toLowerCase().endsWith("[bot]");
}

// src/app/commands/permission.ts
function refusal(command, level, login) {
  const needed = requiredPermission(command);
  if (needed === "none") return null;
  if (needed === "read" ? canRead(level) : canWrite(level)) return null;
  const what = needed === "write" ? "write access (write, maintain or admin)" : "read access";
  return `\`/${command.name}\` needs ${what} to this repository; \`${login}\` has ${level === "none" ? "no access" : `\`${level}\``}.`;
}

// src/app/commands/authorize.ts
async function authorize(octokit, who, out, cooldowns) {
  const { repo, actor, parsed } = who;
  const needsAccess = parsed.some((p) => p.ok && requiredPermission(p.command) !== "none");
  const level = needsAccess ? await getAccessLevel(octokit, repo, actor) : "none";
  const repeated = repeatedIn(parsed);
  const writer = canWrite(level);
  const answered = (p) => {
    if (repeated.has(p)) {
      out.report(p, "duplicate");
      return true;
    }
    if (!p.ok) {
      out.say(p, invalidReply(p));
      out.report(p, "invalid");
      return true;
    }
    if (p.command.name === "help") {
      out.say(p, HELP_TEXT);
      out.report(p, "done");
      return true;
    }
    const refused = refusal(p.command, level, actor);
    if (refused) {
      out.say(p, `\u{1F6AB} ${refused}`);
      out.report(p, "refused");
      return true;
    }
    const wait = !writer && p.command.name === "suspects" ? cooldowns.take(repo, actor) : 0;
    if (wait === 0) return false;
    out.say(p, `\u{1F552} ${code(p.raw, 60)} ran for you less than a minute ago; comment it again in ${wait} s.`);
    out.report(p, "refused");
    return true;
  };
  const runnable = parsed.some((p) => p.ok && p.command.name !== "help" && !refusal(p.command, level, actor));
  return { level, writer, runnable, answered };
}
function repeatedIn(parsed) {
  const seen = /* @__PURE__ */ new Set();
  return new Set(
    parsed.filter((p) => {
      const key = p.raw.replace(/\s+/g, " ").replace(/^\/\S+/, (name) => name.toLowerCase());
      if (seen.has(key)) return true;
      seen.add(key);
      return false;
    })
  );
}
function invalidReply(parsed) {
  return `\u26A0\uFE0F ${code(parsed.raw, 80)}: ${parsed.error} Comment \`/help\` for the list of commands.`;
}

// src/github/reactions.ts
async function reactToComment(octokit, ref, content) {
  await octokit.request("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
    owner: ref.owner,
    repo: ref.repo,
    comment_id: ref.commentId,
    content
  });
}

// src/app/commands/reply.ts
function commentReply(context, deps) {
  const { comment, issue } = context.payload;
  const reports = [];
  const replies = [];
  const post = async (body) => {
    await deps.store.comment(issue.number, body);
  };
  const react = async (content) => {
    await reactToComment(context.octokit, { ...deps.repo, commentId: comment.id }, content).catch(
      (err) => context.log.warn({ err, content }, "could not react to the comment")
    );
  };
  return {
    reports,
    report(p, outcome) {
      const name = p.ok ? p.command.name : p.name;
      reports.push({ name, line: p.line, outcome });
      deps.events.emit("command", { name, outcome });
    },
    say(p, text2) {
      if (text2) replies.push(deps.parsed.length > 1 ? `**${code(p.raw, 60)}**

${text2}` : text2);
    },
    react,
    post,
    async finish() {
      if (replies.length > 0) await post(replies.join("\n\n---\n\n"));
      const ok = reports.every((r) => r.outcome === "done" || r.outcome === "duplicate");
      await react(ok ? "rocket" : "confused");
    }
  };
}

// src/core/incident/action-items.ts
var ACTION_ITEM_LABEL = "action-item";
var HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
var FENCE = /^ {0,3}(`{3,}|~{3,})/;
var TASK = /^\s*(?:[-*+]|\d+[.)])\s+\[([ xX])\]\s+(.*)$/;
var ISSUE_REF = /\s*\((?:#(\d+)|(https:\/\/github\.com\/[^/\s()]+\/[^/\s()]+\/issues\/\d+))\)\s*$/;
var ISSUE_URL = /https:\/\/github\.com\/[^/\s()]+\/[^/\s()]+\/issues\/\d+/;
function parseActionItems(markdown) {
  const items = [];
  let level = 0;
  let fence = null;
  markdown.split(/\r\n|\r|\n/).forEach((line, i) => {
    const fenceMatch = FENCE.exec(line);
    if (fence) {
      if (fenceMatch && fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length) fence = null;
      return;
    }
    if (fenceMatch) {
      fence = fenceMatch[1];
      return;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const depth2 = heading[1].length;
      if (/^action items?$/i.test(heading[2].replace(/[*_`]/g, "").trim())) level = depth2;
      else if (level > 0 && depth2 <= level) level = 0;
      return;
    }
    if (level === 0) return;
    const task = TASK.exec(line);
    if (!task || task[1] !== " ") return;
    const item = parseItem(task[2], i + 1);
    if (item) items.push(item);
  });
  return items;
}
function parseItem(body, line) {
  const ref = ISSUE_REF.exec(body);
  let issue;
  let rest = body;
  if (ref) {
    issue = ref[1] !== void 0 ? Number(ref[1]) : ref[2];
    rest = body.slice(0, ref.index);
  } else {
    const url = ISSUE_URL.exec(body);
    if (url) issue = url[0];
  }
  const text2 = unescapeMarkdown(rest).trim();
  if (text2 === "") return null;
  return issue === void 0 ? { text: text2, line, linked: false } : { text: text2, line, issue, linked: true };
}
function unescapeMarkdown(text2) {
  return text2.replace(/\u200D/g, "").replace(/<br>/g, " ").replace(/\\([\\`*_{}[\]()#+\-!|~.>])/g, "$1").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}
function actionItemKey(text2) {
  return text2.toLowerCase().replace(/\s+/g, " ").trim();
}
function renderActionItemIssue(text2, incident, label = ACTION_ITEM_LABEL) {
  const postmortem2 = safeUrl(incident.postmortemUrl);
  const body = [
    `Action item from the post-mortem of incident #${incident.number} (${escapeMarkdown(incident.title, 200)}).`,
    "",
    `> ${escapeMarkdown(text2, 1e3)}`,
    ...postmortem2 ? ["", `Post-mortem: [${escapeMarkdown(incident.title, 120)}](${postmortem2})`] : [],
    "",
    actionItemMarker(incident.number, text2)
  ].join("\n");
  return {
    title: oneLine(text2, 200) || `Action item from incident #${incident.number}`,
    body,
    labels: [label]
  };
}
function actionItemMarker(incidentNumber, text2) {
  const key = Buffer.from(actionItemKey(text2), "utf8").toString("base64");
  return `<!-- aftershock:action-item ${incidentNumber} ${key} -->`;
}

// src/github/action-item-issues.ts
async function listActionItemIssues(octokit, repo, label = ACTION_ITEM_LABEL) {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/issues", {
    ...repo,
    labels: label,
    state: "all",
    per_page: 100
  });
  return data.filter((i) => !i.pull_request);
}
function findFiled(known, incidentNumber, text2) {
  const marker = actionItemMarker(incidentNumber, text2);
  return known.find((i) => (i.body ?? "").includes(marker));
}
async function fileActionItemIssue(octokit, repo, text2, incident, known, label = ACTION_ITEM_LABEL) {
  const found = findFiled(known, incident.number, text2);
  if (found) return { number: found.number, url: found.html_url, created: false };
  const issue = renderActionItemIssue(text2, incident, label);
  const { data } = await octokit.request("POST /repos/{owner}/{repo}/issues", { ...repo, ...issue });
  const created = data;
  return { number: created.number, url: created.html_url, created: true };
}

// src/app/commands/types.ts
function withEntry(state, entry, ctx) {
  const timeline = [...state.record.timeline, { at: ctx.now.toISOString(), actor: ctx.actor, ...entry }];
  return { ...state, record: { ...state.record, timeline } };
}

// src/app/commands/action-item.ts
async function actionItem(ctx, state, text2) {
  const known = await listActionItemIssues(ctx.octokit, ctx.repo);
  const filed = await fileActionItemIssue(
    ctx.octokit,
    ctx.repo,
    text2,
    {
      number: ctx.incident.number,
      title: ctx.incident.title,
      ...state.response.postmortem?.url ? { postmortemUrl: state.response.postmortem.url } : {}
    },
    known
  );
  const entry = withEntry(
    state,
    { kind: TIMELINE_KINDS.actionItem, text: `Action item #${filed.number}: ${text2}` },
    ctx
  );
  const key = actionItemKey(text2);
  const item = { text: text2, at: ctx.now.toISOString(), issue: filed.number };
  const actionItems2 = entry.response.actionItems.some((i) => actionItemKey(i.text) === key) ? entry.response.actionItems.map(
    (i) => actionItemKey(i.text) === key ? { ...i, issue: filed.number } : i
  ) : [...entry.response.actionItems, item];
  return {
    outcome: "done",
    state: { ...entry, response: { ...entry.response, actionItems: actionItems2 } },
    reply: filed.created ? `\u{1F4CC} Filed #${filed.number}.` : `\u{1F4CC} Already filed as #${filed.number}.`
  };
}

// src/app/commands/assign.ts
async function assign(ctx, state, logins) {
  const { data } = await ctx.octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/assignees", {
    ...ctx.repo,
    issue_number: ctx.incident.number,
    assignees: logins
  });
  const now = new Set((data.assignees ?? []).map((a) => a.login.toLowerCase()));
  const assigned = logins.filter((l) => now.has(l.toLowerCase()));
  const dropped = logins.filter((l) => !now.has(l.toLowerCase()));
  const refusal2 = dropped.length ? `GitHub did not assign ${dropped.map((l) => code(l, 40)).join(", ")}: only users with access to the repository can be assigned.` : void 0;
  if (assigned.length === 0)
    return { outcome: "failed", final: true, ...refusal2 ? { reply: refusal2 } : {} };
  const next = withEntry(
    state,
    { kind: TIMELINE_KINDS.assign, text: `Assigned ${assigned.join(", ")}` },
    ctx
  );
  return { outcome: "done", state: next, ...refusal2 ? { reply: refusal2 } : {} };
}

// src/app/commands/incident-state.ts
function ack(ctx, state) {
  if (state.response.acknowledgedAt) {
    const next2 = withEntry(state, { kind: TIMELINE_KINDS.ack, text: "Also acknowledged" }, ctx);
    return { outcome: "done", state: next2 };
  }
  const at = ctx.now.toISOString();
  const acked = withEntry(state, { kind: TIMELINE_KINDS.ack, text: "Acknowledged" }, ctx);
  const next = { ...acked, response: { ...acked.response, acknowledgedAt: at } };
  const took = computeResponseMetrics(next.record, next.response).formatted.acknowledge;
  const reply = took ? `\u{1F440} Acknowledged ${took} after the incident opened.` : "\u{1F440} Acknowledged.";
  return { outcome: "done", state: next, reply };
}
function severity(ctx, state, level) {
  const previous = state.record.severity;
  if (previous === level) return { outcome: "done", reply: `The severity is already ${level}.` };
  const changed = withEntry(
    state,
    { kind: TIMELINE_KINDS.severity, text: `Severity changed from ${previous} to ${level}` },
    ctx
  );
  return {
    outcome: "done",
    state: { ...changed, record: { ...changed.record, severity: level } },
    reply: `Severity changed from ${previous} to **${level}**.`
  };
}
function note(ctx, state, text2) {
  return { outcome: "done", state: withEntry(state, { kind: TIMELINE_KINDS.note, text: text2 }, ctx) };
}
function resolve(ctx, state, summary3) {
  if (state.response.resolvedAt) {
    return {
      outcome: "done",
      reply: `This incident was already resolved at ${formatTime(state.response.resolvedAt)}.`
    };
  }
  const at = ctx.now.toISOString();
  const text2 = summary3 ? `Resolved: ${summary3}` : "Resolved";
  const entry = withEntry(state, { kind: TIMELINE_KINDS.incidentResolved, text: text2 }, ctx);
  const next = {
    record: { ...entry.record, status: "resolved" },
    response: { ...entry.response, resolvedAt: at, ...summary3 ? { resolution: summary3 } : {} }
  };
  const f = computeResponseMetrics(next.record, next.response).formatted;
  const lines = [
    `\u2705 Resolved${summary3 ? `: ${escapeMarkdown(summary3, 300)}` : "."}`,
    "",
    `Time to acknowledge: ${f.acknowledge ?? "not recorded"} \xB7 to mitigate: ${f.mitigate ?? "not recorded"} \xB7 to resolve: ${f.resolve ?? "not recorded"}.`,
    ...next.response.postmortem ? [] : ["", "`/postmortem` drafts the blameless post-mortem."]
  ];
  return { outcome: "done", state: next, reply: lines.join("\n"), close: true };
}

// src/app/commands/incident-io.ts
function loaded(stored) {
  const { response, ...plain } = stored.record;
  return { ...stored, current: { record: plain, response: readResponseState({ response }) } };
}
async function readIncident(store, number) {
  const stored = await store.read(number);
  return stored ? loaded(stored) : null;
}
function joinState(state) {
  return { ...state.record, response: state.response };
}
async function withIncident(deps, number, fn, known) {
  const first = known ?? await readIncident(deps.store, number);
  if (!first) return null;
  return withIncidentLock(deps.lock, deps.store.lockKey(first.record.groupKey), async () => {
    const fresh = await readIncident(deps.store, number);
    return fresh ? fn(fresh) : null;
  });
}
async function writeIncidentBody(store, number, state) {
  await store.write(number, { body: renderIncidentBody(joinState(state)) });
}

// src/core/incident/postmortem.ts
var DEFAULT_POSTMORTEM_FOLDER = "docs/postmortems";
var MAX_SLUG = 60;
var LESSON_THRESHOLDS = Object.freeze({
  fastDetect: 5 * 6e4,
  slowDetect: 15 * 6e4,
  fastAck: 15 * 6e4,
  slowAck: 30 * 6e4,
  slowMitigate: 60 * 6e4
});
function renderPostmortem(input) {
  const { record, response } = input;
  const metrics = computeResponseMetrics(record, response);
  const cause = rootCause(record, response);
  const date = metrics.milestones.start.slice(0, 10);
  const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : input.now.toISOString().slice(0, 10);
  const path = `${postmortemFolder(input.folder)}/${day}-${slugify(`${record.name} ${record.service}`)}-${input.incidentNumber}.md`;
  const title = oneLine(
    scrubMentions(`Post-mortem: ${record.name}: ${record.service} in ${record.environment}`),
    200
  );
  const incidentUrl = `https://github.com/${encodeURIComponent(input.repo.owner)}/${encodeURIComponent(input.repo.repo)}/issues/${input.incidentNumber}`;
  const sections = [
    `# ${escapeMarkdown(title, 200)}`,
    header(input, incidentUrl, day),
    input.narrative ? "> [!NOTE]\n> Drafted for review: the summary and contributing factors below were drafted automatically from the incident data. Check them before merging." : "",
    section(
      "Summary",
      input.narrative ? text(input.narrative.summary, 3e3) : summary2(record, metrics, cause)
    ),
    section("Impact", impact(input, metrics)),
    section("Response metrics", metricsTable(metrics)),
    section("Timeline", renderTimeline(record.timeline)),
    section("Root cause", rootCauseSection(record, cause)),
    section(
      "Contributing factors",
      bullets(input.narrative ? input.narrative.factors.map((f) => text(f, 500)) : factors(record, cause))
    ),
    section("What went well", bullets(wentWell(record, response, metrics, cause))),
    section("What could improve", bullets(couldImprove(record, metrics, cause))),
    section("Action items", actionItems(response)),
    "---\n<sub>Written by aftershock from the incident record. Blameless: this document is about systems and changes, not people.</sub>"
  ];
  return { path, title, markdown: sections.filter((s) => s !== "").join("\n\n") + "\n" };
}
function postmortemFolder(folder) {
  const parts = (folder ?? DEFAULT_POSTMORTEM_FOLDER).split(/[\\/]+/).filter((p) => p !== "" && p !== ".");
  if (parts.length === 0) return DEFAULT_POSTMORTEM_FOLDER;
  if (parts.some((p) => p === ".." || !/^[A-Za-z0-9._-]+$/.test(p)))
    throw new Error(
      `postmortem folder "${folder}" is not a plain relative path: use letters, digits, ".", "_", "-" and "/" (e.g. docs/postmortems)`
    );
  return parts.join("/");
}
function slugify(input, maxLength = MAX_SLUG) {
  const slug = input.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/([a-z0-9])([A-Z])/g, "$1-$2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  const cut = slug.slice(0, maxLength).replace(/-+$/, "");
  return cut === "" ? "incident" : cut;
}
function rootCause(record, response) {
  const named = response.rootCause?.pr;
  const confirmed = response.rootCause?.confirmed ?? false;
  if (named === void 0) {
    const top = record.suspects[0];
    return top ? { suspect: top, confirmed } : { confirmed: false };
  }
  const suspect = record.suspects.find((s) => s.number === named);
  return suspect ? { suspect, confirmed } : { pr: named, confirmed };
}
function text(value, max = 300) {
  return escapeMarkdown(scrubMentions(value), max);
}
function section(heading, body) {
  return `## ${heading}

${body}`;
}
function bullets(items) {
  return items.length === 0 ? "_Nothing recorded._" : items.map((i) => `- ${i}`).join("\n");
}
function prLink(suspect) {
  return link(scrubMentions(`#${suspect.number} ${suspect.title}`), suspect.url, 140);
}
function causeLabel(cause) {
  if (cause.suspect) return prLink(cause.suspect);
  if (cause.pr !== void 0) return `#${cause.pr}`;
  return null;
}
function header(input, incidentUrl, day) {
  const status = input.response.resolvedAt || input.record.status === "resolved" ? "resolved" : "ongoing";
  return [
    `**Incident:** [#${input.incidentNumber}](${incidentUrl}) \xB7 **Date:** ${day} \xB7 **Severity:** ${input.record.severity} \xB7 **Incident status:** ${status}`,
    `**Post-mortem status:** draft, written ${formatTime(input.now.toISOString())}`,
    "",
    "_This post-mortem is blameless: it describes what the systems and changes did and how the response went, not who did what._"
  ].join("\n");
}
function alertNames(record) {
  return [...new Set(Object.values(record.fingerprints).map((a) => a.alertname))].filter((n) => n !== "");
}
function summary2(record, metrics, cause) {
  const { formatted, milestones } = metrics;
  const alerts = alertNames(record).length;
  const how = record.source === "deploy-check" ? "aftershock's deploy check" : `Alertmanager (${alerts} alert${alerts === 1 ? "" : "s"})`;
  const sentences = [
    `${text(record.name, 120)} (${record.severity}) affected ${text(record.service, 80)} in ${text(record.environment, 80)}, starting ${formatTime(milestones.start)}.`,
    `It was detected by ${how} ${formatted.detect === "0s" ? "as it started" : `${formatted.detect} after it started`}.`
  ];
  if (formatted.acknowledge !== void 0)
    sentences.push(`A responder acknowledged it ${formatted.acknowledge} after detection.`);
  if (formatted.mitigate !== void 0)
    sentences.push(`The impact was mitigated ${formatted.mitigate} after the start${mitigationHow(record)}.`);
  else sentences.push("No mitigation is recorded yet.");
  if (formatted.resolve !== void 0) sentences.push(`It was resolved after ${formatted.resolve}.`);
  const label = causeLabel(cause);
  if (label) sentences.push(cause.confirmed ? `The cause was ${label}.` : `The suspected cause is ${label}.`);
  return sentences.join(" ");
}
var MITIGATION_KINDS2 = /* @__PURE__ */ new Set([
  TIMELINE_KINDS.rollbackMerged,
  TIMELINE_KINDS.redeploySucceeded,
  TIMELINE_KINDS.groupResolved
]);
function mitigationHow(record) {
  const first = record.timeline.filter((e) => MITIGATION_KINDS2.has(e.kind)).sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0];
  if (!first) return "";
  if (first.kind === TIMELINE_KINDS.rollbackMerged) return " by merging a rollback";
  if (first.kind === TIMELINE_KINDS.redeploySucceeded) return " by a redeploy";
  return ", when the alerts stopped firing";
}
function impact(input, metrics) {
  const { record } = input;
  const m = metrics.milestones;
  const at = formatTime;
  const since = (iso, d) => iso ? `${at(iso)}${d ? ` (+${d} after start)` : ""}` : "not recorded";
  const end = m.resolved ?? m.mitigated;
  const duration = end ? formatElapsed(between(m.start, end) ?? 0) : `ongoing (${formatElapsed(between(m.start, input.now.toISOString()) ?? 0)} so far)`;
  const alerts = alertNames(record);
  const rows = [
    ["Started", at(m.start)],
    ["Detected", since(m.detected, metrics.formatted.detect)],
    [
      "Acknowledged",
      m.acknowledged ? `${at(m.acknowledged)} (+${metrics.formatted.acknowledge} after detection)` : "not recorded"
    ],
    ["Mitigated", since(m.mitigated, metrics.formatted.mitigate)],
    ["Resolved", since(m.resolved, metrics.formatted.resolve)],
    ["Duration of impact", duration],
    ["Severity", record.severity],
    ["Source", record.source === "deploy-check" ? "failed deploy check" : "Alertmanager alert"],
    [
      "Alerts",
      alerts.length ? `${alerts.map((a) => text(a, 80)).join(", ")} (${Object.keys(record.fingerprints).length} firing series)` : "none"
    ],
    ["Service", text(record.service, 80)],
    ["Environment", text(record.environment, 80)],
    ["Deploys considered", String(record.deploys.length)]
  ];
  const table = ["| | |", "| --- | --- |", ...rows.map(([k, v]) => `| ${k} | ${v} |`)];
  const resolution = input.response.resolution ? `

**Resolution:** ${text(input.response.resolution, 1e3)}` : "";
  return table.join("\n") + resolution;
}
function metricsTable(metrics) {
  const f = metrics.formatted;
  const na = "not recorded";
  return [
    "| Metric | Value | From \u2192 to |",
    "| --- | --- | --- |",
    `| Time to detect (MTTD) | ${f.detect ?? na} | start \u2192 incident opened |`,
    `| Time to acknowledge (MTTA) | ${f.acknowledge ?? na} | incident opened \u2192 acknowledged |`,
    `| Time to mitigate | ${f.mitigate ?? na} | start \u2192 mitigated |`,
    `| Time to resolve (MTTR) | ${f.resolve ?? na} | start \u2192 resolved |`
  ].join("\n");
}
function plainReason(reason) {
  return reason.replace(/\s*\(\+\d+(\.\d+)?\)\s*$/, "");
}
function rootCauseSection(record, cause) {
  if (!cause.suspect && cause.pr === void 0)
    return "The cause is not known yet: no merged pull request was deployed in the lookback window. Add what the investigation found.";
  if (!cause.suspect) {
    const verb = cause.confirmed ? "The confirmed cause is" : "Responders suspect";
    return `${verb} #${cause.pr}, which aftershock did not rank among the suspects.`;
  }
  const s = cause.suspect;
  const deploy = record.deploys.find((d) => String(d.id) === String(s.deploymentId));
  const shipped = deploy ? ` It shipped in deploy ${escapeMarkdown(String(deploy.id), 40)} (${code(deploy.sha.slice(0, 12), 12)}) to ${text(deploy.environment, 60)} at ${formatTime(deploy.createdAt)}.` : "";
  const lead = cause.confirmed ? `**Confirmed:** the incident was caused by ${prLink(s)}.` : `**Suspected (not confirmed):** ${prLink(s)}, aftershock's top-ranked suspect (score ${s.score.toFixed(2)}). Confirm or correct this before the post-mortem is merged.`;
  const reasons = s.reasons.map((r) => `- ${text(plainReason(r), 200)}`);
  return [lead + shipped, ...reasons.length ? ["", "Why it was suspected:", "", ...reasons] : []].join(
    "\n"
  );
}
function factors(record, cause) {
  const out = [];
  for (const reason of cause.suspect?.reasons ?? []) {
    const r = plainReason(reason);
    if (/^deployed .* before the alert$/.test(r)) continue;
    if (r.startsWith("touches risky paths"))
      out.push(
        `The change touched risky paths (migrations, configuration or dependencies): ${text(r.replace(/^touches risky paths:\s*/, ""), 200)}.`
      );
    else if (r.startsWith("large change") || r.startsWith("change size"))
      out.push(
        `Change size: ${text(r.replace(/^(large change|change size):\s*/, ""), 120)}; larger changes are harder to review and to reason about when they fail.`
      );
    else if (r.startsWith("the deploy check failed"))
      out.push(`${text(r.charAt(0).toUpperCase() + r.slice(1), 200)}, yet the change stayed live.`);
    else if (r.startsWith("touches paths of service"))
      out.push(
        `The change touched the alerting service's own paths (${text(r.replace(/^touches paths of service .*?:\s*/, ""), 200)}).`
      );
    else out.push(text(r, 200));
  }
  for (const warning of record.warnings) out.push(`aftershock reported a problem: ${text(warning, 300)}`);
  return out;
}
function wentWell(record, response, metrics, cause) {
  const { ms, formatted } = metrics;
  const out = [];
  if (record.source === "deploy-check")
    out.push("The deploy gate caught the regression right after the deploy, from the deploy's own metrics.");
  else if (cause.suspect?.reasons.some((r) => r.startsWith("the deploy check failed")))
    out.push("The deploy gate flagged the deploy that shipped the suspected change.");
  if (ms.detect !== void 0 && ms.detect <= LESSON_THRESHOLDS.fastDetect)
    out.push(`Fast detection: the incident opened ${formatted.detect} after the impact began.`);
  if (ms.acknowledge !== void 0 && ms.acknowledge <= LESSON_THRESHOLDS.fastAck)
    out.push(`A responder acknowledged within ${formatted.acknowledge}.`);
  if (record.suspects.length > 0)
    out.push("aftershock named suspect pull requests when the incident opened.");
  const merged = response.rollbacks.filter((r) => r.state === "merged");
  if (merged.length > 0)
    out.push(`A rollback was available and merged (reverting ${merged.map((r) => `#${r.pr}`).join(", ")}).`);
  return out;
}
function couldImprove(record, metrics, cause) {
  const { ms, formatted } = metrics;
  const out = [];
  if (ms.detect !== void 0 && ms.detect > LESSON_THRESHOLDS.slowDetect)
    out.push(
      `Detection took ${formatted.detect}: an alert or deploy-gate check closer to this symptom would catch it sooner.`
    );
  if (record.source === "alert" && cause.suspect && !cause.suspect.reasons.some((r) => r.startsWith("the deploy check failed")))
    out.push("The deploy gate did not flag the suspected deploy: consider a gate check for this signal.");
  if (ms.acknowledge === void 0) out.push("No acknowledgement was recorded (`/ack`).");
  else if (ms.acknowledge > LESSON_THRESHOLDS.slowAck)
    out.push(
      `Acknowledgement took ${formatted.acknowledge}: check paging and on-call routing for this service.`
    );
  if (ms.mitigate === void 0) out.push("No mitigation was recorded.");
  else if (ms.mitigate > LESSON_THRESHOLDS.slowMitigate)
    out.push(
      `Mitigation took ${formatted.mitigate}: a faster rollback path (\`/rollback\`, \`/redeploy\`) would shorten the impact.`
    );
  if (record.suspects.length === 0)
    out.push("No suspect pull request was found: check that deploys are recorded as GitHub deployments.");
  return out;
}
function actionItems(response) {
  if (response.actionItems.length === 0)
    return "_No action items recorded yet. Add them as task-list items in this section; aftershock files an issue for each one when this post-mortem is merged._";
  return response.actionItems.map((item) => `- [ ] ${text(item.text, 1e3)}${item.issue !== void 0 ? ` (#${item.issue})` : ""}`).join("\n");
}

// src/github/postmortem-pr.ts
var POSTMORTEM_BRANCH_PREFIX = "aftershock/postmortem-";
function postmortemBranchName(incidentNumber) {
  return `${POSTMORTEM_BRANCH_PREFIX}${incidentNumber}`;
}
async function findOpenPull(gh, repo, branch) {
  const { data } = await gh.request("GET /repos/{owner}/{repo}/pulls", {
    ...repo,
    head: `${repo.owner}:${branch}`,
    state: "open",
    per_page: 1
  });
  return data[0];
}
async function fileSha(gh, repo, path, branch) {
  try {
    const { data } = await gh.request("GET /repos/{owner}/{repo}/contents/{path}", {
      ...repo,
      path,
      ref: branch
    });
    const file = data;
    return !Array.isArray(data) && file.type === "file" && file.sha ? file.sha : null;
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}
async function openPostmortemPr(octokit, repo, req) {
  const branch = postmortemBranchName(req.incidentNumber);
  const open = await findOpenPull(octokit, repo, branch);
  if (open) return { kind: "existing", number: open.number, url: open.html_url, branch };
  const { data: info } = await octokit.request("GET /repos/{owner}/{repo}", { ...repo });
  const base = info.default_branch;
  const { data: head } = await octokit.request("GET /repos/{owner}/{repo}/git/ref/{ref}", {
    ...repo,
    ref: `heads/${base}`
  });
  const baseSha = head.object.sha;
  try {
    await octokit.request("POST /repos/{owner}/{repo}/git/refs", {
      ...repo,
      ref: `refs/heads/${branch}`,
      sha: baseSha
    });
  } catch (error) {
    if (statusOf(error) !== 422) throw error;
  }
  const sha = await fileSha(octokit, repo, req.path, branch);
  await octokit.request("PUT /repos/{owner}/{repo}/contents/{path}", {
    ...repo,
    path: req.path,
    branch,
    message: `Post-mortem draft for incident #${req.incidentNumber}`,
    content: Buffer.from(req.markdown, "utf8").toString("base64"),
    ...sha ? { sha } : {}
  });
  try {
    const { data } = await octokit.request("POST /repos/{owner}/{repo}/pulls", {
      ...repo,
      title: req.title,
      body: req.body,
      head: branch,
      base
    });
    const pull = data;
    return { kind: "opened", number: pull.number, url: pull.html_url, branch };
  } catch (error) {
    const raced = statusOf(error) === 422 ? await findOpenPull(octokit, repo, branch) : void 0;
    if (raced) return { kind: "existing", number: raced.number, url: raced.html_url, branch };
    throw error;
  }
}
async function readFileText(octokit, repo, path, ref) {
  try {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      ...repo,
      path,
      ref
    });
    const file = data;
    if (Array.isArray(data) || file.type !== "file" || typeof file.content !== "string") return null;
    return file.encoding === "base64" ? Buffer.from(file.content, "base64").toString("utf8") : file.content;
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

// src/narrative/llm.ts
var DEFAULT_NARRATIVE_TIMEOUT_MS = 15e3;
var MAX_SUMMARY2 = 3e3;
var MAX_FACTORS = 8;
var MAX_FACTOR = 400;
var SYSTEM_PROMPT = [
  "You write blameless incident post-mortems for software teams.",
  "From the incident data in the user message ONLY, write a short executive summary (3 to 5 sentences:",
  "what happened, the impact, how it was detected and mitigated) and the contributing factors.",
  "Do not invent facts, numbers, causes or people; if something is unknown, say it is unknown.",
  "Blameless: name systems, changes and pull requests by number, never people.",
  'Answer with a JSON object only: {"summary": string, "factors": [string, ...]}.'
].join(" ");
function narrativeSettingsFromEnv(env) {
  const url = env.LLM_API_URL?.trim();
  const model = env.LLM_MODEL?.trim();
  if (!url || !model) return null;
  const settings = { url, model };
  if (env.LLM_API_KEY) settings.apiKey = env.LLM_API_KEY;
  const timeout = Number(env.LLM_TIMEOUT_MS);
  if (env.LLM_TIMEOUT_MS && Number.isFinite(timeout) && timeout > 0) settings.timeoutMs = timeout;
  return settings;
}
function compactIncident(record, metrics) {
  const response = readResponseState(record);
  const t = (s, max = 300) => s === void 0 ? void 0 : scrubMentions(s).slice(0, max);
  return {
    name: t(record.name, 200),
    severity: record.severity,
    service: t(record.service, 100),
    environment: t(record.environment, 100),
    source: record.source,
    status: record.status,
    openedAt: record.openedAt,
    alerts: Object.values(record.fingerprints).slice(0, 20).map((a) => ({
      alertname: t(a.alertname, 100),
      status: a.status,
      summary: t(a.summary),
      startsAt: a.startsAt,
      endsAt: a.endsAt
    })),
    deploys: record.deploys.slice(0, 10).map((d) => ({
      id: d.id,
      sha: d.sha.slice(0, 12),
      environment: d.environment,
      createdAt: d.createdAt,
      status: d.status
    })),
    suspects: record.suspects.slice(0, 5).map((s) => ({
      pr: s.number,
      title: t(s.title, 200),
      score: s.score,
      reasons: s.reasons.slice(0, 8).map((r) => t(r, 200))
    })),
    timeline: record.timeline.slice(-40).map((e) => ({
      at: e.at,
      by: actorRole(e.actor),
      kind: e.kind,
      text: t(e.text, 200)
    })),
    response: {
      acknowledgedAt: response.acknowledgedAt,
      mitigatedAt: response.mitigatedAt,
      resolvedAt: response.resolvedAt,
      resolution: t(response.resolution, 500),
      rootCause: response.rootCause,
      rollbacks: response.rollbacks.map((r) => ({ pr: r.pr, state: r.state, at: r.at })),
      actionItems: response.actionItems.slice(0, 10).map((a) => t(a.text, 200))
    },
    metrics: metrics ? { milestones: metrics.milestones, durations: metrics.formatted } : void 0
  };
}
async function draftNarrative(input, settings, fetchImpl = fetch, warn = (m) => console.warn(m)) {
  const fail = (why) => {
    const message = `aftershock: no drafted narrative (${why}); the post-mortem is written without one`;
    warn(settings.apiKey ? message.split(settings.apiKey).join("***") : message);
    return null;
  };
  let endpoint;
  try {
    endpoint = new URL(`${settings.url.replace(/\/+$/, "")}/chat/completions`).href;
  } catch {
    return fail("LLM_API_URL is not a URL");
  }
  const headers = { "content-type": "application/json", accept: "application/json" };
  if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;
  const body = JSON.stringify({
    model: settings.model,
    temperature: 0.2,
    response_format: { type: "json_object" },
    messages: [
      { role: "system", content: SYSTEM_PROMPT },
      { role: "user", content: JSON.stringify(compactIncident(input.record, input.metrics)) }
    ]
  });
  const timeoutMs = settings.timeoutMs ?? DEFAULT_NARRATIVE_TIMEOUT_MS;
  let res;
  let text2;
  try {
    res = await fetchImpl(endpoint, {
      method: "POST",
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs)
    });
    text2 = await res.text();
  } catch (err) {
    const e = err;
    if (e.name === "TimeoutError" || e.name === "AbortError") return fail(`no answer within ${timeoutMs} ms`);
    const code2 = typeof e.cause?.code === "string" ? ` (${e.cause.code})` : "";
    return fail(`request failed: ${e.name}${code2}`);
  }
  if (!res.ok) return fail(`the endpoint answered HTTP ${res.status}`);
  const parsed = parseNarrative(text2);
  return parsed ?? fail("the answer was not the JSON asked for");
}
function parseNarrative(responseBody) {
  let content;
  try {
    const json = JSON.parse(responseBody);
    content = json.choices?.[0]?.message?.content;
  } catch {
    return null;
  }
  if (typeof content !== "string") return null;
  const unfenced = content.trim().replace(/^```(?:json)?\s*/i, "").replace(/\s*```$/, "");
  let answer;
  try {
    answer = JSON.parse(unfenced);
  } catch {
    return null;
  }
  if (typeof answer !== "object" || answer === null) return null;
  const { summary: summary3, factors: factors2 } = answer;
  if (typeof summary3 !== "string" || summary3.trim() === "") return null;
  const list = Array.isArray(factors2) ? factors2.filter((f) => typeof f === "string" && f.trim() !== "").slice(0, MAX_FACTORS).map((f) => f.trim().slice(0, MAX_FACTOR)) : [];
  return { summary: summary3.trim().slice(0, MAX_SUMMARY2), factors: list, drafted: true };
}

// src/app/commands/postmortem.ts
async function postmortem(ctx, state) {
  const narrative = await narrativeFor(ctx, state);
  const rendered = renderPostmortem({
    record: state.record,
    response: state.response,
    repo: ctx.repo,
    incidentNumber: ctx.incident.number,
    now: ctx.now,
    folder: ctx.config.postmortems.folder,
    ...narrative ? { narrative } : {}
  });
  const pr = await openPostmortemPr(ctx.octokit, ctx.repo, {
    incidentNumber: ctx.incident.number,
    path: rendered.path,
    title: rendered.title,
    markdown: rendered.markdown,
    body: [
      `The blameless post-mortem draft of incident #${ctx.incident.number}.`,
      "",
      "Review it, fill in what the data cannot know, and list follow-ups as `- [ ]` items under **Action items**: when this PR is merged, aftershock files an issue for each open item."
    ].join("\n")
  });
  const path = state.response.postmortem?.path ?? rendered.path;
  const reply = pr.kind === "opened" ? `\u{1F4DD} Post-mortem draft: #${pr.number} (\`${path}\`).` : `\u{1F4DD} The post-mortem draft is already open: #${pr.number}.`;
  if (state.response.postmortem?.pr === pr.number) return { outcome: "done", reply };
  const entry = withEntry(
    state,
    { kind: TIMELINE_KINDS.postmortem, text: `Post-mortem draft opened in #${pr.number}` },
    ctx
  );
  const next = {
    ...entry,
    response: { ...entry.response, postmortem: { path, pr: pr.number, url: pr.url } }
  };
  return { outcome: "done", state: next, reply };
}
async function narrativeFor(ctx, state) {
  if (!ctx.narrative || state.response.postmortem?.pr !== void 0) return void 0;
  const record = joinState(state);
  const drafted = await draftNarrative(
    { record, metrics: computeResponseMetrics(record, state.response) },
    ctx.narrative,
    fetch,
    ctx.warn ?? (() => {
    })
  );
  return drafted ?? void 0;
}

// src/github/deployments.ts
var GOOD_STATES = /* @__PURE__ */ new Set(["success", "inactive"]);
var MAX_STATUS_LOOKUPS = 10;
async function findPreviousGoodDeployment(octokit, repo, environment, bad) {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/deployments", {
    ...repo,
    environment,
    per_page: 100
  });
  const before = bad.createdAt ? Date.parse(bad.createdAt) : Infinity;
  const candidates = data.filter((d) => String(d.id) !== String(bad.id ?? "") && d.sha !== bad.sha).filter((d) => Date.parse(d.created_at) < before).sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at)).slice(0, MAX_STATUS_LOOKUPS);
  for (const d of candidates) {
    const statuses = await octokit.request("GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses", {
      ...repo,
      deployment_id: d.id,
      per_page: 1
    });
    const latest = statuses.data[0];
    if (latest && GOOD_STATES.has(latest.state)) {
      return { id: d.id, sha: d.sha, environment: d.environment, createdAt: d.created_at };
    }
  }
  return null;
}
async function createRedeployment(octokit, repo, req) {
  if (req.key) {
    const { data: recent } = await octokit.request("GET /repos/{owner}/{repo}/deployments", {
      ...repo,
      sha: req.ref,
      environment: req.environment,
      per_page: 30
    });
    const earlier = recent.find(
      (d) => d.payload?.aftershock?.key === req.key
    );
    if (earlier) return { id: earlier.id, sha: earlier.sha, ...earlier.url ? { url: earlier.url } : {} };
  }
  const { data } = await octokit.request("POST /repos/{owner}/{repo}/deployments", {
    ...repo,
    ref: req.ref,
    environment: req.environment,
    auto_merge: false,
    required_contexts: [],
    payload: {
      aftershock: { incident: req.incidentNumber, reason: "rollback", ...req.key ? { key: req.key } : {} }
    },
    description: req.description.slice(0, 140)
  });
  const created = data;
  if (typeof created.id !== "number") {
    throw new Error(
      `GitHub did not create the deployment: ${created.message ?? "no deployment id returned"}`
    );
  }
  return { id: created.id, sha: created.sha ?? req.ref, ...created.url ? { url: created.url } : {} };
}

// src/app/commands/redeploy.ts
function badDeployment(record) {
  const byId = (id2) => record.deploys.find((d) => String(d.id) === String(id2));
  const top = record.suspects[0];
  if (top) return byId(top.deploymentId) ?? { id: top.deploymentId };
  if (record.source === "deploy-check" && record.groupKey.startsWith("deploy:")) {
    const id2 = record.groupKey.slice("deploy:".length);
    return byId(id2) ?? { id: id2 };
  }
  const newest = [...record.deploys].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
  return newest ?? null;
}
function previousFromRecord(record, bad) {
  if (!bad.createdAt) return null;
  const before = Date.parse(bad.createdAt);
  return record.deploys.filter((d) => d.environment === record.environment && String(d.id) !== String(bad.id)).filter((d) => d.sha !== bad.sha && Date.parse(d.createdAt) < before).filter((d) => GOOD_STATES.has(d.status.toLowerCase())).sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0] ?? null;
}
async function redeploy(ctx, state, target) {
  const { record } = state;
  let sha;
  let why;
  if (target.kind === "sha") {
    sha = target.sha;
    why = `commit ${sha.slice(0, 12)}`;
  } else {
    const bad = badDeployment(record);
    if (!bad) {
      return {
        outcome: "failed",
        final: true,
        reply: `This incident knows no deployment of ${code(record.environment, 60)} to go back from. Name a commit: \`/redeploy <sha>\`.`
      };
    }
    const good = previousFromRecord(record, bad) ?? await findPreviousGoodDeployment(ctx.octokit, ctx.repo, record.environment, bad);
    if (!good) {
      return {
        outcome: "failed",
        final: true,
        reply: `No successful deployment of ${code(record.environment, 60)} before deployment ${code(String(bad.id ?? "?"), 40)} was found. Name a commit: \`/redeploy <sha>\`.`
      };
    }
    sha = good.sha;
    why = `the last good deployment (${good.id}) before deployment ${bad.id ?? "?"}`;
  }
  const created = await createRedeployment(ctx.octokit, ctx.repo, {
    ref: sha,
    environment: record.environment,
    incidentNumber: ctx.incident.number,
    description: `aftershock: redeploy for incident #${ctx.incident.number}`,
    ...ctx.commandKey ? { key: ctx.commandKey } : {}
  });
  const next = withEntry(
    state,
    {
      kind: TIMELINE_KINDS.redeployRequested,
      text: `Redeploy of ${sha.slice(0, 12)} to ${record.environment} requested (deployment ${created.id}, ${why})`
    },
    ctx
  );
  return {
    outcome: "done",
    state: next,
    reply: `\u{1F69A} Requested deployment ${created.id} of ${code(sha.slice(0, 12), 12)} to ${code(record.environment, 60)} (${why}). Your deploy workflow picks it up from the \`deployment\` event.`
  };
}

// src/core/incident/three-way.ts
var MAX_EDIT_STEPS = 2e3;
function splitLines(text2) {
  return text2 === "" ? [] : text2.split(/(?<=\n)/);
}
function diffRegions(a, b) {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf])
    suf++;
  const n = a.length - pre - suf;
  const m = b.length - pre - suf;
  if (n === 0 && m === 0) return [];
  const whole = [{ aStart: pre, aEnd: pre + n, bStart: pre, bEnd: pre + m }];
  if (n === 0 || m === 0) return whole;
  const max = Math.min(n + m, MAX_EDIT_STEPS);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace2 = [];
  const goesDown = (get2, k, d) => k === -d || k !== d && get2(k - 1) < get2(k + 1);
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace2.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x2 = goesDown((i) => v[offset + i], k, d) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y2 = x2 - k;
      while (x2 < n && y2 < m && a[pre + x2] === b[pre + y2]) {
        x2++;
        y2++;
      }
      v[offset + k] = x2;
      if (x2 >= n && y2 >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return whole;
  const matches = [];
  let x = n;
  let y = m;
  for (let d = found; d >= 0; d--) {
    const prev = trace2[d];
    const get2 = (k2) => prev[k2 + d + 1];
    const k = x - y;
    const prevK = goesDown(get2, k, d) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : get2(prevK);
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      matches.push([x, y]);
    }
    x = prevX;
    y = prevY;
  }
  matches.reverse();
  const regions = [];
  let ai = 0;
  let bi = 0;
  for (const [mx, my] of [...matches, [n, m]]) {
    if (mx > ai || my > bi)
      regions.push({ aStart: pre + ai, aEnd: pre + mx, bStart: pre + bi, bEnd: pre + my });
    ai = mx + 1;
    bi = my + 1;
  }
  return regions;
}
function diffLines(base, other, ids) {
  const id2 = (line) => {
    let value = ids.get(line);
    if (value === void 0) {
      value = ids.size;
      ids.set(line, value);
    }
    return value;
  };
  return diffRegions(base.map(id2), other.map(id2)).map((r) => ({
    start: r.aStart,
    end: r.aEnd,
    lines: other.slice(r.bStart, r.bEnd)
  }));
}
function applyHunks(base, start, end, hunks) {
  const out = [];
  let at = start;
  for (const h of hunks) {
    out.push(...base.slice(at, h.start), ...h.lines);
    at = h.end;
  }
  out.push(...base.slice(at, end));
  return out;
}
function merge3(base, ours, theirs) {
  if (ours === theirs) return { clean: true, text: ours };
  if (base === ours) return { clean: true, text: theirs };
  if (base === theirs) return { clean: true, text: ours };
  const b = splitLines(base);
  const ids = /* @__PURE__ */ new Map();
  const tagged = [
    ...diffLines(b, splitLines(ours), ids).map((h) => ({ ...h, side: 0 })),
    ...diffLines(b, splitLines(theirs), ids).map((h) => ({ ...h, side: 1 }))
  ].sort((x, y) => x.start - y.start || x.end - y.end);
  const out = [];
  let conflicts = 0;
  let at = 0;
  let i = 0;
  while (i < tagged.length) {
    const first = tagged[i];
    const cluster = [first];
    let end = first.end;
    i++;
    while (i < tagged.length && tagged[i].start <= end) {
      cluster.push(tagged[i]);
      end = Math.max(end, tagged[i].end);
      i++;
    }
    const start = first.start;
    out.push(...b.slice(at, start));
    const mine = cluster.filter((h) => h.side === 0);
    const yours = cluster.filter((h) => h.side === 1);
    const oursText = applyHunks(b, start, end, mine);
    if (yours.length === 0) out.push(...oursText);
    else if (mine.length === 0) out.push(...applyHunks(b, start, end, yours));
    else {
      const theirsText = applyHunks(b, start, end, yours);
      if (oursText.join("") === theirsText.join("")) out.push(...oursText);
      else conflicts++;
    }
    at = end;
  }
  out.push(...b.slice(at));
  return conflicts > 0 ? { clean: false, conflicts } : { clean: true, text: out.join("") };
}

// src/github/revert/git-data.ts
var SYMLINK = "120000";
var BINARY_SNIFF = 8e3;
async function get(gh, route, parameters) {
  return (await gh.request(route, parameters)).data;
}
async function readTree(gh, id2, treeish) {
  const data = await get(
    gh,
    "GET /repos/{owner}/{repo}/git/trees/{tree_sha}",
    { ...id2, tree_sha: treeish, recursive: "1" }
  );
  if (data.truncated) {
    throw new Error(
      `The tree of ${treeish} in ${id2.owner}/${id2.repo} is too large for GitHub's API (over 100,000 entries); revert this pull request by hand with git.`
    );
  }
  const files = /* @__PURE__ */ new Map();
  for (const e of data.tree)
    if (e.type !== "tree") files.set(e.path, { mode: e.mode, type: e.type, sha: e.sha });
  return { treeSha: data.sha, files };
}
var same = (a, b) => a === b || a !== void 0 && b !== void 0 && a.mode === b.mode && a.sha === b.sha;
function pick(base, ours, theirs) {
  if (ours === theirs || theirs === base) return ours;
  if (ours === base) return theirs;
  return null;
}
async function readText(gh, id2, sha) {
  const data = await get(
    gh,
    "GET /repos/{owner}/{repo}/git/blobs/{file_sha}",
    {
      ...id2,
      file_sha: sha
    }
  );
  const bytes = Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8");
  if (bytes.subarray(0, BINARY_SNIFF).includes(0)) return null;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}
async function planRevertTree(gh, id2, shas) {
  const [m, p, h] = await Promise.all([
    readTree(gh, id2, shas.merge),
    readTree(gh, id2, shas.parent),
    readTree(gh, id2, shas.head)
  ]);
  const changed = [.../* @__PURE__ */ new Set([...m.files.keys(), ...p.files.keys()])].filter((path) => !same(m.files.get(path), p.files.get(path))).sort();
  const entries = [];
  const conflicts = [];
  const toMerge = [];
  for (const path of changed) {
    const [base, ours, theirs] = [m.files.get(path), h.files.get(path), p.files.get(path)];
    if (same(ours, theirs)) continue;
    if (same(ours, base)) {
      if (theirs) entries.push({ path, mode: theirs.mode, type: entryType(theirs), sha: theirs.sha });
      else if (ours) entries.push({ path, mode: ours.mode, type: entryType(ours), sha: null });
      continue;
    }
    if (!base || !ours || !theirs || [base, ours, theirs].some((e) => e.type !== "blob")) {
      conflicts.push(path);
      continue;
    }
    const mode = pick(base.mode, ours.mode, theirs.mode);
    const sha = pick(base.sha, ours.sha, theirs.sha);
    if (mode === null) conflicts.push(path);
    else if (sha !== null) entries.push({ path, mode, type: "blob", sha });
    else if (mode === SYMLINK || [base, ours, theirs].some((e) => e.mode === SYMLINK)) conflicts.push(path);
    else toMerge.push({ path, mode, base, ours, theirs });
  }
  const texts = /* @__PURE__ */ new Map();
  const text2 = (sha) => {
    let t = texts.get(sha);
    if (!t) texts.set(sha, t = readText(gh, id2, sha));
    return t;
  };
  const merged = await Promise.all(
    toMerge.map(async (f) => {
      const [base, ours, theirs] = await Promise.all([
        text2(f.base.sha),
        text2(f.ours.sha),
        text2(f.theirs.sha)
      ]);
      if (base === null || ours === null || theirs === null) return null;
      const result = merge3(base, ours, theirs);
      return result.clean ? result.text : null;
    })
  );
  toMerge.forEach((f, i) => {
    const content = merged[i];
    if (content === null || content === void 0) conflicts.push(f.path);
    else entries.push({ path: f.path, mode: f.mode, type: "blob", content });
  });
  return { baseTree: h.treeSha, entries, conflicts: conflicts.sort() };
}
function entryType(e) {
  return e.type === "commit" ? "commit" : "blob";
}
async function buildRevertCommit(gh, id2, opts) {
  const [merge, ref] = await Promise.all([
    get(
      gh,
      "GET /repos/{owner}/{repo}/git/commits/{commit_sha}",
      {
        ...id2,
        commit_sha: opts.mergeCommitSha
      }
    ),
    get(gh, "GET /repos/{owner}/{repo}/git/ref/{ref}", {
      ...id2,
      ref: `heads/${opts.baseRef}`
    })
  ]);
  const parent = merge.parents[0]?.sha;
  if (!parent)
    throw new Error(`Commit ${opts.mergeCommitSha} has no parent, so there is nothing to revert it to.`);
  const parentCount = merge.parents.length;
  const head = ref.object.sha;
  const plan = await planRevertTree(gh, id2, { merge: merge.tree.sha, parent, head });
  if (plan.conflicts.length > 0) return { kind: "conflict", files: plan.conflicts, parentCount };
  if (plan.entries.length === 0) {
    throw new Error(
      `The changes of commit ${opts.mergeCommitSha} are already undone on ${opts.baseRef}; there is nothing left to roll back.`
    );
  }
  const tree = await get(gh, "POST /repos/{owner}/{repo}/git/trees", {
    ...id2,
    base_tree: plan.baseTree,
    tree: plan.entries
  });
  const commit = await get(gh, "POST /repos/{owner}/{repo}/git/commits", {
    ...id2,
    message: opts.message,
    tree: tree.sha,
    parents: [head]
  });
  return { kind: "commit", sha: commit.sha, parentCount };
}
async function pointBranch(gh, id2, branch, sha) {
  try {
    await gh.request("POST /repos/{owner}/{repo}/git/refs", { ...id2, ref: `refs/heads/${branch}`, sha });
  } catch (error) {
    if (statusOf(error) !== 422) throw error;
    await gh.request("PATCH /repos/{owner}/{repo}/git/refs/{ref}", {
      ...id2,
      ref: `heads/${branch}`,
      sha,
      force: true
    });
  }
}

// src/github/revert/text.ts
function revertTitle(s) {
  return `Revert "${oneLine(s.title, 200)}"`;
}
function revertCommitMessage(s) {
  return `${revertTitle(s)}

This reverts commit ${s.mergeCommitSha}.

Rollback for incident #${s.incidentNumber} (reverts #${s.pullNumber}).
`;
}
function revertBody(s) {
  return [
    `Rolls back #${s.pullNumber} for incident #${s.incidentNumber}.`,
    "",
    s.reason.trim(),
    "",
    "---",
    `This reverts commit ${s.mergeCommitSha}. Opened by aftershock (\`/rollback\`); merge it to undo the change, or close it to keep the change.`
  ].join("\n");
}
function shellWord(word) {
  return /^[A-Za-z0-9._/@%+=:,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
function conflictInstructions(s) {
  const mainline = s.parentCount > 1 ? "-m 1 " : "";
  const branch = shellWord(s.branch);
  const shown2 = s.files.slice(0, 50);
  const more2 = s.files.length - shown2.length;
  return [
    `Reverting #${s.pullNumber} automatically would conflict with later changes on ${code(s.baseRef)} in:`,
    "",
    ...shown2.map((f) => `- ${code(f, 300)}`),
    ...more2 > 0 ? [`- \u2026 and ${more2} more`] : [],
    "",
    "No branch or pull request was created. To revert by hand:",
    "",
    "~~~sh",
    `git fetch origin && git checkout -b ${branch} ${shellWord(`origin/${s.baseRef}`)} && git revert ${mainline}${s.mergeCommitSha}`,
    "# resolve the conflicts, then:",
    "git add -A && git revert --continue",
    `git push -u origin ${branch}`,
    "~~~",
    "",
    `Then open a pull request from ${code(s.branch)} into ${code(s.baseRef)} that mentions incident #${s.incidentNumber}.`
  ].join("\n");
}

// src/github/revert.ts
var REVERT_BRANCH_PREFIX = "aftershock/revert-";
var ROLLBACK_LABEL = "rollback";
var DEFAULT_LABELS = [ROLLBACK_LABEL];
function revertBranchName(pullNumber) {
  return `${REVERT_BRANCH_PREFIX}${pullNumber}`;
}
function githubRevertBranch(pullNumber, headRef) {
  return `revert-${pullNumber}-${headRef}`;
}
async function findOpenPull2(gh, id2, branch) {
  const { data } = await gh.request("GET /repos/{owner}/{repo}/pulls", {
    ...id2,
    head: `${id2.owner}:${branch}`,
    state: "open",
    per_page: 1
  });
  return data[0];
}
var existing = (pull) => ({
  kind: "existing",
  number: pull.number,
  url: pull.html_url,
  branch: pull.head.ref
});
var REVERT_MUTATION = `
mutation ($pullRequestId: ID!, $title: String!, $body: String!, $draft: Boolean!) {
  revertPullRequest(input: { pullRequestId: $pullRequestId, title: $title, body: $body, draft: $draft }) {
    revertPullRequest { number url headRefName }
  }
}`;
function worthFallback(error) {
  const status = statusOf(error);
  return status === void 0 || status < 500;
}
async function addLabels(gh, id2, number, labels2) {
  if (labels2.length === 0) return;
  await gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", {
    ...id2,
    issue_number: number,
    labels: labels2
  });
}
async function openRevertPr(octokit, req) {
  const id2 = { owner: req.owner, repo: req.repo };
  const branch = revertBranchName(req.pullNumber);
  const labels2 = req.labels ?? DEFAULT_LABELS;
  const ours = await findOpenPull2(octokit, id2, branch);
  if (ours) return existing(ours);
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
    ...id2,
    pull_number: req.pullNumber
  });
  const pull = data;
  if (!pull.merged || !pull.merge_commit_sha) {
    const state = pull.state === "open" ? "still open" : "closed without merging";
    return {
      kind: "not-merged",
      message: `#${req.pullNumber} is ${state}, so there is nothing to roll back.`
    };
  }
  const theirs = await findOpenPull2(octokit, id2, githubRevertBranch(req.pullNumber, pull.head.ref));
  if (theirs) return existing(theirs);
  const subject = {
    pullNumber: req.pullNumber,
    incidentNumber: req.incidentNumber,
    title: pull.title,
    mergeCommitSha: pull.merge_commit_sha,
    reason: req.reason
  };
  const title = revertTitle(subject);
  const body = revertBody(subject);
  try {
    const result = await octokit.graphql(REVERT_MUTATION, {
      pullRequestId: pull.node_id,
      title,
      body,
      draft: req.draft
    });
    const opened = result.revertPullRequest?.revertPullRequest;
    if (opened) {
      await addLabels(octokit, id2, opened.number, labels2);
      return {
        kind: "opened",
        number: opened.number,
        url: opened.url,
        branch: opened.headRefName,
        method: "graphql"
      };
    }
  } catch (error) {
    if (!worthFallback(error)) throw error;
  }
  const commit = await buildRevertCommit(octokit, id2, {
    mergeCommitSha: pull.merge_commit_sha,
    baseRef: pull.base.ref,
    message: revertCommitMessage(subject)
  });
  if (commit.kind === "conflict") {
    const instructions = conflictInstructions({
      ...subject,
      branch,
      baseRef: pull.base.ref,
      parentCount: commit.parentCount,
      files: commit.files
    });
    return { kind: "conflict", files: commit.files, instructions };
  }
  await pointBranch(octokit, id2, branch, commit.sha);
  let created;
  try {
    const response = await octokit.request("POST /repos/{owner}/{repo}/pulls", {
      ...id2,
      title,
      body,
      head: branch,
      base: pull.base.ref,
      draft: req.draft
    });
    created = response.data;
  } catch (error) {
    const raced = statusOf(error) === 422 ? await findOpenPull2(octokit, id2, branch) : void 0;
    if (raced) return existing(raced);
    throw error;
  }
  await addLabels(octokit, id2, created.number, labels2);
  return { kind: "opened", number: created.number, url: created.html_url, branch, method: "git-data" };
}

// src/app/commands/rollback.ts
function rollbackReason(pr, suspect, how) {
  if (!suspect)
    return `Requested with ${how}. #${pr} is not among the suspects aftershock ranked for this incident.`;
  return [
    `Requested with ${how}. #${pr} is a suspect with score **${suspect.score.toFixed(2)}** because:`,
    "",
    ...suspect.reasons.map((r) => `- ${escapeMarkdown(r, 300)}`)
  ].join("\n");
}
async function rollback(ctx, state, requested, how = requested === void 0 ? "`/rollback`" : `\`/rollback #${requested}\``) {
  const emit = (outcome2) => ctx.events.emit("rollback", { outcome: outcome2 });
  const pr = requested ?? state.record.suspects[0]?.number;
  if (pr === void 0) {
    return {
      outcome: "failed",
      final: true,
      reply: "There is no suspect to roll back: no merged PR was ranked for this incident. Name one: `/rollback #42`."
    };
  }
  const suspect = state.record.suspects.find((s) => s.number === pr);
  let outcome;
  try {
    outcome = await openRevertPr(ctx.octokit, {
      ...ctx.repo,
      pullNumber: pr,
      incidentNumber: ctx.incident.number,
      reason: rollbackReason(pr, suspect, how),
      draft: ctx.config.rollback.draft
    });
  } catch (err) {
    emit("failed");
    throw err;
  }
  emit(outcome.kind);
  switch (outcome.kind) {
    case "opened":
    case "existing": {
      const known = state.response.rollbacks.some((r) => r.revertPr === outcome.number);
      const draft = outcome.kind === "opened" && ctx.config.rollback.draft ? "draft " : "";
      const reply = outcome.kind === "opened" ? `\u21A9\uFE0F Opened ${draft}revert PR #${outcome.number} for #${pr}. Merge it to roll back.` : `\u21A9\uFE0F A revert PR for #${pr} is already open: #${outcome.number}.`;
      if (known) return { outcome: "done", reply };
      const entry = withEntry(
        state,
        { kind: TIMELINE_KINDS.rollbackOpened, text: `Revert PR #${outcome.number} for #${pr} is open` },
        ctx
      );
      const rollbacks = [
        ...entry.response.rollbacks,
        {
          pr,
          revertPr: outcome.number,
          url: outcome.url,
          state: "opened",
          at: ctx.now.toISOString()
        }
      ];
      return { outcome: "done", state: { ...entry, response: { ...entry.response, rollbacks } }, reply };
    }
    case "conflict": {
      const next = withEntry(
        state,
        {
          kind: "rollback.conflict",
          text: `Reverting #${pr} conflicts in ${outcome.files.length} file(s); revert by hand`
        },
        ctx
      );
      return { outcome: "failed", final: true, state: next, reply: outcome.instructions };
    }
    case "not-merged":
      return { outcome: "failed", final: true, reply: outcome.message };
  }
}

// src/app/commands/split.ts
async function split(ctx, state, index) {
  const at = ctx.now.toISOString();
  const out = splitOutRecord(state.record, index, ctx.incident, at, ctx.actor);
  if (!out) {
    const count2 = state.record.related?.length ?? 0;
    return {
      outcome: "failed",
      final: true,
      reply: count2 === 0 ? "This incident has no related alert groups to split out." : `There is no related alert group ${index}: the "Related alerts" table numbers them 1 to ${count2}.`
    };
  }
  if (!ctx.incidents) throw new Error("no incident store to open the split-out incident with");
  const label = ctx.config.labels.incident;
  const existing2 = await ctx.incidents.find(label, out.group.groupKey);
  let moved;
  if (existing2) moved = existing2;
  else {
    const created = await createIncident(ctx.incidents, out.record, ctx.config);
    if (created.outcome === "ignored") throw new Error(created.reason);
    moved = created;
    ctx.events.emit("incident.opened", {
      repo: ctx.repo,
      number: created.number,
      url: created.url,
      record: out.record,
      config: ctx.config,
      source: out.record.source,
      // Listeners (auto-rollback, the author note) reuse it instead of logging in again.
      octokit: ctx.octokit
    });
  }
  const record = withoutGroup(state.record, out.group.groupKey, moved, at, ctx.actor);
  const resolvedNow = state.record.status === "firing" && record.status === "resolved";
  return {
    outcome: "done",
    state: { ...state, record },
    reply: `Moved alert group ${escapeMarkdown(groupName(out.group), 200)} into #${moved.number}.`,
    ...resolvedNow && ctx.config.closeOnResolve ? { close: true } : {}
  };
}

// src/app/commands/suspects.ts
var SHOWN = 5;
function correlationRequestOf(record) {
  const starts = Object.values(record.fingerprints).map((a) => a.startsAt).filter((s) => !Number.isNaN(Date.parse(s))).sort((a, b) => Date.parse(a) - Date.parse(b));
  const startsAt = starts[0] ?? record.openedAt;
  const alert = {
    startsAt,
    labels: { alertname: record.name, service: record.service, environment: record.environment }
  };
  const request = { alert, environment: record.environment, until: new Date(startsAt) };
  if (record.source === "deploy-check" && record.groupKey.startsWith("deploy:")) {
    const id2 = record.groupKey.slice("deploy:".length);
    const known = record.deploys.find((d) => String(d.id) === id2);
    if (known) {
      const deployment = { ...known, checkFailed: true };
      request.deployment = deployment;
    }
  }
  return request;
}
async function suspects(ctx, state) {
  const started = performance.now();
  const found = await correlate(ctx.octokit, ctx.repo, correlationRequestOf(state.record), ctx.config);
  ctx.events.emit("correlation", { seconds: (performance.now() - started) / 1e3, requests: found.requests });
  if (found.warning) {
    return { outcome: "failed", reply: `\u26A0\uFE0F ${escapeMarkdown(found.warning, 400)}.` };
  }
  const ranked = withEntry(
    state,
    {
      kind: "suspects",
      text: found.suspects[0] ? `Suspects ranked again: top #${found.suspects[0].number} (${found.suspects[0].score.toFixed(2)})` : "Suspects ranked again: none"
    },
    ctx
  );
  const next = { ...ranked, record: { ...ranked.record, suspects: found.suspects, deploys: found.deploys } };
  if (found.suspects.length === 0) {
    return {
      outcome: "done",
      state: next,
      reply: "No merged pull request was deployed to this environment in the lookback window."
    };
  }
  const rows = found.suspects.slice(0, SHOWN).map((s, i) => {
    const reasons = s.reasons.map((r) => escapeMarkdown(r, 200)).join("; ");
    return `| ${i + 1} | ${link(`#${s.number} ${s.title}`, s.url, 120)} | ${s.score.toFixed(2)} | ${reasons} |`;
  });
  const reply = [
    `**Suspects, ranked again** (${found.suspects.length}):`,
    "",
    "| Rank | Pull request | Score | Why |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
    "`/rollback` reverts the top one; `/rollback #<n>` another."
  ].join("\n");
  return { outcome: "done", state: next, reply };
}

// src/app/commands/run.ts
async function runCommand(ctx, state, command) {
  switch (command.name) {
    case "ack":
      return ack(ctx, state);
    case "severity":
      return severity(ctx, state, command.severity);
    case "note":
      return note(ctx, state, command.text);
    case "resolve":
      return resolve(ctx, state, command.summary);
    case "assign":
      return assign(ctx, state, command.logins);
    case "rollback":
      return rollback(ctx, state, command.pr);
    case "redeploy":
      return redeploy(ctx, state, command.target);
    case "suspects":
      return suspects(ctx, state);
    case "postmortem":
      return postmortem(ctx, state);
    case "action-item":
      return actionItem(ctx, state, command.text);
    case "split":
      return split(ctx, state, command.group);
    case "help":
      return { outcome: "done", reply: HELP_TEXT };
  }
}
async function runEach(run2, ctx, initial) {
  const { context, parsed, auth, out } = run2;
  let state = initial;
  let changed = false;
  let close = false;
  for (const p of parsed) {
    if (auth.answered(p) || !p.ok) continue;
    const key = commandKey(context.payload.comment.id, p.line);
    if (isHandled(state.response, key)) {
      out.report(p, "duplicate");
      continue;
    }
    let result;
    try {
      result = await runCommand({ ...ctx, commandKey: key }, state, p.command);
    } catch (err) {
      context.log.warn({ err, command: p.command.name }, "a slash command failed");
      out.say(p, `\u274C ${code(p.raw, 80)} failed: ${escapeMarkdown(errorMessage(err), 300)}`);
      out.report(p, "failed");
      continue;
    }
    if (result.state && auth.writer) {
      state = result.state;
      changed = true;
    }
    if (auth.writer && (result.final ?? result.outcome === "done")) {
      state = { ...state, response: markHandled(state.response, key) };
      changed = true;
    }
    close ||= result.close === true;
    out.say(p, result.reply);
    out.report(p, result.outcome);
  }
  return { state, changed, close };
}
async function runAsReader(run2, seen) {
  const { issue } = run2.context.payload;
  const { response, ...plain } = seen;
  const incident = { number: issue.number, url: issue.html_url, title: issue.title };
  await runEach(run2, run2.contextFor(incident), { record: plain, response: readResponseState({ response }) });
}
async function runUnderLock(run2, deps) {
  const { store, config } = deps;
  const number = run2.context.payload.issue.number;
  return withIncidentLock(deps.lock, store.lockKey(deps.groupKey), async () => {
    const fresh = await readIncident(store, number);
    if (!fresh) {
      for (const p of run2.parsed) run2.out.report(p, "ignored");
      return null;
    }
    const incident = { number: fresh.number, url: fresh.url, title: fresh.title };
    const { state, changed, close } = await runEach(run2, run2.contextFor(incident), fresh.current);
    if (!changed) return null;
    const after = joinState(state);
    await store.write(
      fresh.number,
      incidentWrite(fresh, after, config.labels, { retitleFrom: fresh.title, close })
    );
    return { before: fresh.record, after, number: fresh.number, url: fresh.url };
  });
}

// src/app/commands/dispatch.ts
async function onIssueComment(context, deps) {
  const parsed = commandsOf(context.payload);
  if (!parsed) return [];
  const { issue, repository } = context.payload;
  const repo = { owner: repository.owner.login, repo: repository.name };
  const actor = context.payload.comment.user.login;
  const store = deps.incidents(context.octokit, repo);
  const out = commentReply(context, { events: deps.events, store, repo, parsed });
  const seen = await incidentOf(issue, store);
  if (!seen) {
    await answerOutsideIncident(context, { repo, actor, parsed }, out);
    return out.reports;
  }
  await out.react("eyes");
  const auth = await authorize(context.octokit, { repo, actor, parsed }, out, deps.cooldowns);
  if (!auth.runnable) {
    for (const p of parsed) auth.answered(p);
    await out.finish();
    return out.reports;
  }
  const config = await loadConfig(context, repo, deps);
  const contextFor = (incident) => ({
    octokit: context.octokit,
    repo,
    incident,
    config,
    actor,
    now: deps.now(),
    events: deps.events,
    narrative: deps.narrative ?? null,
    warn: (message) => context.log.warn(message),
    incidents: store
  });
  const run2 = { context, parsed, auth, out, contextFor };
  if (!auth.writer) {
    await runAsReader(run2, seen);
    await out.finish();
    return out.reports;
  }
  let written;
  try {
    written = await runUnderLock(run2, { lock: deps.lock, store, config, groupKey: seen.groupKey });
  } catch (err) {
    if (err instanceof IncidentBusyError) {
      context.log.warn({ err, waiting: err.waiting }, "slash commands not run: the incident is busy");
      for (const p of parsed) {
        if (auth.answered(p) || !p.ok) continue;
        const busy2 = `the incident is busy (${err.waiting} updates were waiting for it)`;
        out.say(p, `\u23F3 ${code(p.raw, 80)} was not run: ${busy2}; post the command again in a minute.`);
        out.report(p, "failed");
      }
      await out.finish();
      return out.reports;
    }
    await out.react("confused");
    throw err;
  }
  if (written) emitIncidentEvents(deps.events, repo, config, written);
  await out.finish();
  return out.reports;
}
function commandsOf(payload) {
  const { comment } = payload;
  const user = comment.user;
  const viaApp = comment.performed_via_github_app;
  if (!user || viaApp || isBot({ login: user.login, type: user.type })) return null;
  const parsed = parseCommands(comment.body ?? "");
  return parsed.length === 0 ? null : parsed;
}
async function incidentOf(issue, store) {
  const block = issue.pull_request ? null : parseRecord(issue.body);
  return block && await store.trusts(issue.user) ? block : null;
}
async function answerOutsideIncident(context, who, out) {
  const help = who.parsed.filter((p) => p.ok && p.command.name === "help");
  const answer = help.length > 0 && canWrite(await getAccessLevel(context.octokit, who.repo, who.actor));
  for (const p of who.parsed) out.report(p, answer && help.includes(p) ? "done" : "ignored");
  if (answer) {
    await out.react("eyes");
    await out.post(HELP_TEXT);
    await out.react("rocket");
  }
}
async function loadConfig(context, repo, deps) {
  try {
    return (await deps.repoConfigs(context.octokit, repo)).config;
  } catch (err) {
    context.log.warn({ err }, ".github/aftershock.yml could not be read; commands use the defaults");
    return DEFAULT_REPO_CONFIG;
  }
}
function emitIncidentEvents(events, repo, config, w) {
  const event = { repo, number: w.number, url: w.url, record: w.after, config };
  if (w.after.severity !== w.before.severity)
    events.emit("incident.severity", { ...event, previous: w.before.severity });
  if (w.after.response?.resolvedAt && !w.before.response?.resolvedAt) events.emit("incident.resolved", event);
}

// src/app/commands/auto-rollback.ts
var AUTO_ROLLBACK_ACTOR = "aftershock";
function autoRollbackSkip(event) {
  const auto = event.config.rollback.auto;
  if (!auto.enabled) return "automatic rollback is off";
  if (SEVERITY_RANK[event.record.severity] > SEVERITY_RANK[auto.severity])
    return `severity ${event.record.severity} is below ${auto.severity}`;
  const top = event.record.suspects[0];
  if (!top) return "there is no suspect";
  const { value, what } = topLikelihood(top);
  if (value < auto.minScore) return `the top suspect's ${what} is ${value.toFixed(2)} < ${auto.minScore}`;
  return null;
}
function topLikelihood(top) {
  return top.confidence !== void 0 && Number.isFinite(top.confidence) ? { value: top.confidence, what: "confidence" } : { value: top.score, what: "score" };
}
async function octokitFor(app, event) {
  if (event.octokit) return event.octokit;
  return installationOctokit(app, event.repo);
}
async function autoRollback(app, deps, event) {
  if (autoRollbackSkip(event)) return false;
  const octokit = await octokitFor(app, event);
  const auto = event.config.rollback.auto;
  const store = deps.incidents(octokit, event.repo);
  const done = await withIncident(
    { lock: deps.lock, store },
    event.number,
    async (fresh) => {
      if (fresh.current.response.rollbacks.length > 0) return false;
      const top = fresh.current.record.suspects[0];
      if (!top) return false;
      const ctx = {
        octokit,
        repo: event.repo,
        incident: { number: fresh.number, url: fresh.url, title: fresh.title },
        config: event.config,
        actor: AUTO_ROLLBACK_ACTOR,
        now: deps.now(),
        events: deps.events
      };
      const how = `aftershock's automatic rollback (rollback.auto: severity ${auto.severity} or worse, ${topLikelihood(top).what} at least ${auto.minScore})`;
      const result = await rollback(ctx, fresh.current, top.number, how);
      if (result.state) await writeIncidentBody(store, event.number, result.state);
      if (result.reply) await store.comment(event.number, `\u{1F916} Automatic rollback: ${result.reply}`);
      return result.outcome === "done";
    },
    event
  );
  return done === true;
}
async function onIncidentOpenedAutoRollback(app, deps, event) {
  const skip = autoRollbackSkip(event);
  if (skip) {
    app.log.debug({ incident: event.number, reason: skip }, "no automatic rollback");
    return;
  }
  await autoRollback(app, deps, event);
}

// src/app/pull-request.ts
var MAX_CANDIDATES = 5;
function fromSameRepository(pull) {
  const head = pull.head.repo?.id;
  return head !== void 0 && head === pull.base.repo?.id;
}
function isRollbackPull(pull) {
  return pull.head.ref.startsWith(REVERT_BRANCH_PREFIX) || pull.labels.some((l) => l.name === ROLLBACK_LABEL);
}
function postmortemIncident(headRef) {
  if (!headRef.startsWith(POSTMORTEM_BRANCH_PREFIX)) return null;
  const n = Number(headRef.slice(POSTMORTEM_BRANCH_PREFIX.length));
  return Number.isInteger(n) && n > 0 ? n : null;
}
function incidentCandidates(body) {
  const text2 = body ?? "";
  const named = [...text2.matchAll(/incident\s+#(\d+)/gi)].map((m) => Number(m[1]));
  const any = [...text2.matchAll(/(?<![\w/])#(\d+)\b/g)].map((m) => Number(m[1]));
  return [.../* @__PURE__ */ new Set([...named, ...any])].filter((n) => n > 0).slice(0, MAX_CANDIDATES);
}
function revertedPull(pull) {
  const body = pull.body ?? "";
  const match = /rolls back #(\d+)/i.exec(body) ?? /^Reverts [\w.-]+\/[\w.-]+#(\d+)/m.exec(body) ?? /^aftershock\/revert-(\d+)$/.exec(pull.head.ref) ?? /^revert-(\d+)-/.exec(pull.head.ref);
  const n = Number(match?.[1]);
  return Number.isInteger(n) && n > 0 ? n : void 0;
}
async function onPullRequestClosed(context, deps) {
  const pull = context.payload.pull_request;
  if (!pull.merged) return { kind: "ignored", reason: "closed without merging" };
  const repository = context.payload.repository;
  const repo = { owner: repository.owner.login, repo: repository.name };
  const actor = pull.merged_by?.login ?? context.payload.sender.login;
  if (!fromSameRepository(pull))
    return { kind: "ignored", reason: "the PR's branch is not in this repository" };
  const postmortemOf = postmortemIncident(pull.head.ref);
  if (postmortemOf !== null) return postmortemMerged(context, deps, repo, pull, postmortemOf, actor);
  if (isRollbackPull(pull)) return rollbackMerged(context, deps, repo, pull, actor);
  return { kind: "ignored", reason: "not a rollback or post-mortem PR" };
}
var mergeKey = (pull) => `pull:${pull.number}:merged`;
async function rollbackMerged(context, deps, repo, pull, actor) {
  const octokit = context.octokit;
  for (const number of incidentCandidates(pull.body)) {
    const incident = await readIncident(deps.incidents(octokit, repo), number);
    if (incident) return recordRollbackMerge(context, deps, repo, pull, actor, number, incident);
  }
  const config = await deps.repoConfigs(octokit, repo);
  const open = await deps.incidents(octokit, repo).list(config.config.labels.incident);
  const reverted = revertedPull(pull);
  const owner = open.find(
    (i) => readResponseState(i.record).rollbacks.some(
      (r) => r.revertPr === pull.number || reverted !== void 0 && r.pr === reverted
    )
  );
  if (owner) return recordRollbackMerge(context, deps, repo, pull, actor, owner.number);
  return { kind: "ignored", reason: "the rollback PR names no incident issue" };
}
async function recordRollbackMerge(context, deps, repo, pull, actor, number, known) {
  const store = deps.incidents(context.octokit, repo);
  const changed = await withIncident(
    { lock: deps.lock, store },
    number,
    async (fresh) => {
      if (isHandled(fresh.current.response, mergeKey(pull))) return false;
      const at = pull.merged_at ?? deps.now().toISOString();
      const reverted = revertedPull(pull);
      const ctx = { actor, now: new Date(at) };
      const text2 = `Revert PR #${pull.number}${reverted ? ` (rolls back #${reverted})` : ""} merged`;
      const entry = withEntry(fresh.current, { kind: TIMELINE_KINDS.rollbackMerged, text: text2 }, ctx);
      const known2 = entry.response.rollbacks.some((r) => r.revertPr === pull.number);
      const rollbacks = known2 ? entry.response.rollbacks.map(
        (r) => r.revertPr === pull.number ? { ...r, state: "merged" } : r
      ) : [
        ...entry.response.rollbacks,
        {
          pr: reverted ?? pull.number,
          revertPr: pull.number,
          url: pull.html_url,
          state: "merged",
          at
        }
      ];
      const next = {
        ...entry,
        response: markHandled(
          { ...entry.response, rollbacks, mitigatedAt: entry.response.mitigatedAt ?? at },
          mergeKey(pull)
        )
      };
      await writeIncidentBody(store, number, next);
      return true;
    },
    known
  );
  if (changed === null) return { kind: "ignored", reason: `#${number} is no longer an incident` };
  return { kind: "rollback", incident: number, changed };
}
async function postmortemMerged(context, deps, repo, pull, number, actor) {
  const octokit = context.octokit;
  const store = deps.incidents(octokit, repo);
  const result = await withIncident({ lock: deps.lock, store }, number, async (fresh) => {
    const state = fresh.current;
    if (isHandled(state.response, mergeKey(pull))) return { filed: [], changed: false };
    const ref = pull.merge_commit_sha ?? pull.base.ref;
    let path = state.response.postmortem?.path ?? null;
    let text2 = path ? await readFileText(octokit, repo, path, ref) : null;
    if (text2 === null) {
      path = await addedMarkdown(context, repo, pull.number);
      text2 = path ? await readFileText(octokit, repo, path, ref) : null;
    }
    const items = text2 ? parseActionItems(text2).filter((i) => !i.linked) : [];
    const filed = [];
    let actionItems2 = state.response.actionItems;
    if (items.length > 0) {
      const known = await listActionItemIssues(octokit, repo);
      const incident = { number, title: fresh.title, postmortemUrl: pull.html_url };
      for (const item of items) {
        const issue = await fileActionItemIssue(octokit, repo, item.text, incident, known);
        if (issue.created) filed.push(issue.number);
        const key = actionItemKey(item.text);
        actionItems2 = actionItems2.some((a) => actionItemKey(a.text) === key) ? actionItems2.map((a) => actionItemKey(a.text) === key ? { ...a, issue: issue.number } : a) : [...actionItems2, { text: item.text, at: deps.now().toISOString(), issue: issue.number }];
      }
    }
    const summary3 = filed.length ? `Post-mortem #${pull.number} merged; action items filed: ${filed.map((n) => `#${n}`).join(", ")}` : `Post-mortem #${pull.number} merged`;
    const entry = withEntry(
      state,
      { kind: TIMELINE_KINDS.postmortem, text: summary3 },
      { actor, now: deps.now() }
    );
    const postmortem2 = {
      ...state.response.postmortem ?? {},
      path: path ?? state.response.postmortem?.path ?? "",
      pr: pull.number,
      url: pull.html_url
    };
    const next = {
      ...entry,
      response: markHandled({ ...entry.response, actionItems: actionItems2, postmortem: postmortem2 }, mergeKey(pull))
    };
    await writeIncidentBody(store, number, next);
    return { filed, changed: true };
  });
  if (!result) return { kind: "ignored", reason: `#${number} is not an incident` };
  return { kind: "postmortem", incident: number, ...result };
}
async function addedMarkdown(context, repo, pullNumber) {
  const { data } = await context.octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
    ...repo,
    pull_number: pullNumber,
    per_page: 100
  });
  return data.find((f) => f.status === "added" && f.filename.endsWith(".md"))?.filename ?? null;
}

// src/app/redeploy-status.ts
var FINAL_STATES = /* @__PURE__ */ new Set(["success", "failure", "error"]);
function redeployIncident(payload) {
  if (!payload || typeof payload !== "object") return null;
  const ours = payload.aftershock;
  const n = ours?.incident;
  return typeof n === "number" && Number.isInteger(n) && n > 0 ? n : null;
}
async function onRedeployStatus(context, deps) {
  const { deployment, deployment_status: status, repository } = context.payload;
  const number = redeployIncident(deployment.payload);
  if (number === null || !FINAL_STATES.has(status.state)) return null;
  const creator = deployment.creator;
  if (!creator || !isBot({ login: creator.login, type: creator.type })) return null;
  const repo = { owner: repository.owner.login, repo: repository.name };
  const key = `deployment:${deployment.id}:${status.state}`;
  const store = deps.incidents(context.octokit, repo);
  if (!await store.trusts(creator)) return null;
  const changed = await withIncident({ lock: deps.lock, store }, number, async (fresh) => {
    if (isHandled(fresh.current.response, key)) return false;
    const ok = status.state === "success";
    const at = status.created_at;
    const text2 = `Redeploy ${deployment.id} of ${deployment.sha.slice(0, 12)} to ${deployment.environment} ${ok ? "succeeded" : `reported ${status.state}`}`;
    const entry = withEntry(
      fresh.current,
      { kind: ok ? TIMELINE_KINDS.redeploySucceeded : "redeploy.failed", text: text2 },
      { actor: status.creator?.login ?? context.payload.sender.login, now: new Date(at) }
    );
    const response = {
      ...entry.response,
      ...ok && !entry.response.mitigatedAt ? { mitigatedAt: at } : {}
    };
    await writeIncidentBody(store, number, {
      ...entry,
      response: markHandled(response, key)
    });
    return true;
  });
  return changed ?? false;
}

// src/core/incident/render-author-note.ts
var MAX_REASONS2 = 5;
var MAX_REASON_LENGTH = 200;
function safeName(name) {
  return name.replace(/[^A-Za-z0-9._-]/g, "").toLowerCase();
}
function authorNoteMarker(repo, incident) {
  return `<!-- aftershock:author-note incident=${safeName(repo.owner)}/${safeName(repo.repo)}#${incident} -->`;
}
function hasAuthorNoteMarker(body, repo, incident) {
  return (body ?? "").toLowerCase().includes(authorNoteMarker(repo, incident));
}
function renderAuthorNote(input) {
  const { incident, suspect } = input;
  const { severity: severity2, name, service, environment } = incident.record;
  const title = `#${incident.number} [${severity2}] ${name}: ${service} in ${environment}`;
  const chance = suspect.confidence === void 0 ? "" : ` (**${percent(suspect.confidence)} likely**)`;
  const reasons = suspect.reasons.slice(0, MAX_REASONS2).map((r) => `- ${escapeMarkdown(r, MAX_REASON_LENGTH)}`);
  return [
    authorNoteMarker(input.repo, incident.number),
    `\u{1F44B} An incident opened after this pull request was deployed: ${link(title, incident.url, 160)}.`,
    "",
    `aftershock ranks ${escapeMarkdown(`#${suspect.number} ${suspect.title}`, 120)} as its most likely cause${chance}, because:`,
    "",
    ...reasons.length > 0 ? reasons : ["- (the ranker gave no reasons)"],
    "",
    `This is an estimate from what was deployed and what it changed, not a verdict, and nobody is being blamed. You know this change best, so a look from you is the fastest way to confirm or rule it out: if it is the cause, \`/rollback #${suspect.number}\` in the incident opens a revert PR; if it is not, please say so there.`
  ].join("\n");
}

// src/app/pipeline/author-note.ts
var MAX_COMMENT_PAGES = 5;
var SINCE_SLACK_MS = 10 * 6e4;
function authorNoteSkip(record, config) {
  const { enabled, minConfidence } = config.authorNote;
  if (!enabled) return "author notes are off";
  const top = record.suspects[0];
  if (!top) return "there is no suspect";
  if (top.confidence === void 0 || !Number.isFinite(top.confidence))
    return "the top suspect has no confidence";
  if (top.confidence < minConfidence)
    return `the top suspect's confidence ${top.confidence.toFixed(2)} < ${minConfidence}`;
  return null;
}
async function noteTopSuspect(octokit, deps, event) {
  if (authorNoteSkip(event.record, event.config)) return "skipped";
  const store = deps.incidents(octokit, event.repo);
  const outcome = await withIncident(
    { lock: deps.lock, store },
    event.number,
    async (fresh) => {
      const record = fresh.record;
      if (authorNoteSkip(record, event.config)) return "skipped";
      const top = record.suspects[0];
      const bot = (await deps.botLogin()).toLowerCase();
      const since = new Date(Date.parse(record.openedAt) - SINCE_SLACK_MS);
      if (await hasOwnNote(octokit, event.repo, top.number, event.number, bot, since)) return "exists";
      const body = renderAuthorNote({
        repo: event.repo,
        incident: { number: fresh.number, url: fresh.url, record },
        suspect: top
      });
      await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        ...event.repo,
        issue_number: top.number,
        body
      });
      return "posted";
    },
    event
  );
  return outcome ?? "skipped";
}
async function hasOwnNote(octokit, repo, pr, incident, bot, since) {
  for (let page = 1; page <= MAX_COMMENT_PAGES; page++) {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      ...repo,
      issue_number: pr,
      since: Number.isNaN(since.getTime()) ? void 0 : since.toISOString(),
      per_page: 100,
      page
    });
    const mine = (c) => c.user?.login?.toLowerCase() === bot && (c.user.type === void 0 || c.user.type === "Bot");
    if (data.some((c) => mine(c) && hasAuthorNoteMarker(c.body, repo, incident))) return true;
    if (data.length < 100) return false;
  }
  return true;
}
async function onIncidentOpenedAuthorNote(app, deps, event) {
  const skip = authorNoteSkip(event.record, event.config);
  if (skip) {
    app.log.debug({ incident: event.number, reason: skip }, "no author note");
    return;
  }
  const octokit = await octokitFor(app, event);
  const outcome = await noteTopSuspect(
    octokit,
    { lock: deps.lock, incidents: deps.incidents, botLogin: deps.botLogin },
    event
  );
  app.log.info(
    { incident: event.number, pr: event.record.suspects[0]?.number, outcome },
    "author note on the top suspect"
  );
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
      const run2 = withoutDeadline(async () => listener(event)).catch(
        (err) => this.#onError(err, name)
      );
      this.#pending.add(run2);
      void run2.finally(() => this.#pending.delete(run2));
    }
  }
  /** Resolves once every listener started so far has finished (tests, graceful shutdown). */
  async idle() {
    while (this.#pending.size) await Promise.all([...this.#pending]);
  }
};

// src/app/identity.ts
function appSlugOf(app, settings) {
  let slug = settings.appSlug ? Promise.resolve(settings.appSlug) : null;
  return () => {
    slug ??= (async () => {
      const octokit = await app.auth();
      const { data } = await octokit.request("GET /app");
      const found = data?.slug;
      if (!found) throw new Error("GET /app gave no slug");
      return found;
    })().catch((err) => {
      slug = null;
      throw err;
    });
    return slug;
  };
}
function appIncidentStores(appSlug, settings) {
  const rule = onlyAuthors(async () => [`${await appSlug()}[bot]`, ...settings.trustedAuthors ?? []]);
  return (client, repo) => new IncidentStore(client, repo, rule);
}

// src/app/commands/cooldown.ts
var Cooldowns = class {
  constructor(periodMs = 6e4, now = Date.now, maxEntries = 1e4) {
    this.periodMs = periodMs;
    this.now = now;
    this.maxEntries = maxEntries;
  }
  periodMs;
  now;
  maxEntries;
  #until = /* @__PURE__ */ new Map();
  /** 0 and the period starts when `user` may run now; else the whole seconds left to wait. */
  take(repo, user) {
    const key = `${repo.owner}/${repo.repo}#${user}`.toLowerCase();
    const now = this.now();
    const until = this.#until.get(key) ?? 0;
    if (until > now) return Math.ceil((until - now) / 1e3);
    if (this.#until.size >= this.maxEntries) this.#until.delete(this.#until.keys().next().value);
    this.#until.delete(key);
    this.#until.set(key, now + this.periodMs);
    return 0;
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
  const tokens = parseJson(env, "ALERTMANAGER_TOKENS");
  if (tokens !== void 0 && !Array.isArray(tokens))
    throw new Error('ALERTMANAGER_TOKENS must be a JSON list of {"token": "\u2026", "scope": ["owner/name"]}');
  const alertmanagerTokens = (tokens ?? []).map((entry, i) => {
    const { token: value, scope } = entry ?? {};
    if (typeof value !== "string" || value.trim() === "")
      throw new Error(`ALERTMANAGER_TOKENS[${i}].token must be a non-empty string`);
    return { token: value.trim(), scope: checkScope(scope, `ALERTMANAGER_TOKENS[${i}].scope`) };
  });
  const scopes = parseJson(env, "AFTERSHOCK_NOTIFY_SCOPES");
  if (scopes !== void 0 && (scopes === null || typeof scopes !== "object" || Array.isArray(scopes)))
    throw new Error(
      'AFTERSHOCK_NOTIFY_SCOPES must be a JSON object like {"SLACK_WEBHOOK_TEAM_A": ["acme/*"]}'
    );
  const notifyScopes = scopes === void 0 ? void 0 : Object.fromEntries(
    Object.entries(scopes).map(([name, scope]) => [
      name,
      checkScope(scope, `AFTERSHOCK_NOTIFY_SCOPES.${name}`)
    ])
  );
  return {
    alertmanagerToken: token ? token : void 0,
    allowUnauthenticated: env.ALERTMANAGER_ALLOW_UNAUTHENTICATED?.trim().toLowerCase() === "true",
    maxBodyBytes,
    ...env.ALERTMANAGER_BODY_TIMEOUT_MS?.trim() ? { bodyTimeoutMs: positive2(env.ALERTMANAGER_BODY_TIMEOUT_MS, "ALERTMANAGER_BODY_TIMEOUT_MS") } : {},
    repositoryLabel: env.ALERTMANAGER_REPOSITORY_LABEL?.trim() || "repository",
    metricsToken: env.METRICS_TOKEN?.trim() || void 0,
    appSlug: env.APP_SLUG?.trim() || void 0,
    ...alertmanagerTokens.length ? { alertmanagerTokens } : {},
    ...notifyScopes ? { notifyScopes } : {},
    trustedAuthors: (env.AFTERSHOCK_TRUSTED_AUTHORS ?? "").split(",").map((l) => l.trim()).filter((l) => l !== "")
  };
}
function parseJson(env, name) {
  const text2 = env[name]?.trim();
  if (!text2) return void 0;
  try {
    return JSON.parse(text2);
  } catch {
    throw new Error(`${name} is not valid JSON`);
  }
}
function positive2(text2, name) {
  const value = Number(text2.trim());
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number`);
  return value;
}

// src/notify/pagerduty.ts
import { createHash as createHash3 } from "node:crypto";

// src/sources/http.ts
import { setTimeout as delay } from "node:timers/promises";

// src/sources/errors.ts
var MetricSourceError = class extends Error {
  /** True when the same request may succeed later (5xx, 429, network error, timeout). */
  retryable;
  /** How many requests were made before giving up (set by the retry loop). */
  attempts = 1;
  /** The server's Retry-After, in ms, when it sent one. */
  retryAfterMs;
  constructor(message, options = {}) {
    super(message, options.cause === void 0 ? void 0 : { cause: options.cause });
    this.name = new.target.name;
    this.retryable = options.retryable ?? false;
  }
};
function isPermanentNetworkCause(cause) {
  const codes = causeCodes(cause);
  return codes.includes("ENOTFOUND") || codes.includes("ERR_INVALID_URL") || codes.some(isTlsConfigCode);
}
function isTlsConfigCode(code2) {
  if (/ALERT_INTERNAL_ERROR|BAD_RECORD_MAC|DECRYPTION_FAILED/.test(code2)) return false;
  return /^(CERT_|UNABLE_TO_(GET|VERIFY|DECRYPT)_|ERR_SSL_)/.test(code2) || ["DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN"].includes(code2) || code2.startsWith("ERR_TLS_") && code2 !== "ERR_TLS_HANDSHAKE_TIMEOUT";
}
function causeCodes(cause) {
  const codes = [];
  let current3 = cause;
  for (let depth2 = 0; typeof current3 === "object" && current3 !== null && depth2 < 4; depth2++) {
    const { code: code2 } = current3;
    if (typeof code2 === "string") codes.push(code2);
    current3 = current3.cause;
  }
  return codes;
}
function isRetryableStatus(status) {
  return status === 429 || status >= 500;
}
function describeCause(cause) {
  const parts = [];
  let current3 = cause;
  for (let depth2 = 0; typeof current3 === "object" && current3 !== null && depth2 < 3; depth2++) {
    const { message, code: code2 } = current3;
    let text2 = typeof message === "string" ? message : "";
    if (typeof code2 === "string" && !text2.includes(code2)) text2 = text2 ? `${text2} (${code2})` : code2;
    if (text2 && !parts.includes(text2)) parts.push(text2);
    current3 = current3.cause;
  }
  return parts.length > 0 ? parts.join(": ") : String(cause);
}

// src/sources/http.ts
var MAX_BACKOFF_MS = 3e4;
var MAX_RETRY_AFTER_MS = 6e4;
var DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
var SourceTimeoutError = class extends MetricSourceError {
};
var SourceNetworkError = class extends MetricSourceError {
};
var VendorError = class extends MetricSourceError {
  constructor(message, status, options = {}) {
    super(message, { retryable: options.retryable ?? isRetryableStatus(status) });
    this.status = status;
  }
  status;
};
var HttpClient = class {
  constructor(options) {
    this.options = options;
    this.vendor = options.vendor;
    this.secrets = (options.secrets ?? []).filter((s) => s.length >= 4);
    this.timeoutMs = options.timeoutMs ?? 1e4;
    this.retries = options.retries ?? 3;
    this.backoffMs = options.backoffMs ?? 500;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    if (!(this.timeoutMs > 0)) throw new MetricSourceError(`timeoutMs must be > 0 (got ${this.timeoutMs}).`);
    if (!Number.isInteger(this.retries) || this.retries < 0) {
      throw new MetricSourceError(`retries must be a whole number >= 0 (got ${this.retries}).`);
    }
    if (!(this.backoffMs >= 0))
      throw new MetricSourceError(`backoffMs must be >= 0 (got ${this.backoffMs}).`);
    this.sleep = options.sleep ?? ((ms) => delay(ms));
    this.random = options.random ?? Math.random;
    this.maxBackoffMs = options.maxBackoffMs ?? MAX_BACKOFF_MS;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? MAX_RETRY_AFTER_MS;
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }
  options;
  vendor;
  secrets;
  timeoutMs;
  retries;
  backoffMs;
  maxBytes;
  sleep;
  random;
  maxBackoffMs;
  maxRetryAfterMs;
  fetch;
  /**
   * Sends the request and hands the answer to `parse`, which returns the result or throws a
   * MetricSourceError (retryable or not). Retries until `retries` is spent; the error that ends it
   * says how many attempts were made, with every secret scrubbed.
   */
  async send(request, parse) {
    for (let attempt = 1; ; attempt++) {
      try {
        const answer = await this.once(request);
        try {
          return parse(answer);
        } catch (err) {
          if (err instanceof MetricSourceError) err.retryAfterMs ??= this.retryAfter(answer.headers);
          throw err;
        }
      } catch (err) {
        const e = this.scrubbed(err);
        if (!(e instanceof MetricSourceError)) throw e;
        if (!e.retryable || attempt > this.retries) {
          e.attempts = attempt;
          if (attempt > 1) e.message += ` (gave up after ${attempt} attempts)`;
          throw e;
        }
        await this.sleep(this.backoff(attempt, e));
      }
    }
  }
  /** The message with every secret replaced, for errors built outside `send`. */
  scrub(text2) {
    let out = text2;
    for (const s of this.secrets) out = out.split(s).join("[redacted]");
    return out;
  }
  scrubbed(err) {
    if (err instanceof Error) err.message = this.scrub(err.message);
    return err;
  }
  retryAfter(headers) {
    const own = this.options.retryAfterMs?.(headers);
    if (own !== void 0) return own;
    const value = headers.get("retry-after");
    return value === null ? void 0 : parseRetryAfter(value);
  }
  /** Exponential backoff with "equal jitter", never shorter than what the server asked for. */
  backoff(attempt, err) {
    const exp = Math.min(this.backoffMs * 2 ** (attempt - 1), this.maxBackoffMs);
    const jittered = exp / 2 + this.random() * exp / 2;
    return Math.max(jittered, Math.min(err.retryAfterMs ?? 0, this.maxRetryAfterMs));
  }
  async once(request) {
    const shown2 = redactUrl(request.url);
    const signal = AbortSignal.timeout(this.timeoutMs);
    const signed = this.options.sign ? await this.options.sign(request) : {};
    try {
      const res = await this.fetch(request.url, {
        method: request.method,
        headers: { ...request.headers, ...signed },
        body: request.body,
        signal
      });
      let body = "";
      if (this.options.readBody === false) await res.arrayBuffer().catch(() => void 0);
      else body = await readBounded(res, this.maxBytes, () => this.tooLarge(shown2, res.status));
      return { status: res.status, headers: res.headers, body };
    } catch (err) {
      if (err instanceof MetricSourceError) throw err;
      const own = this.options.errors;
      if (signal.aborted || err instanceof Error && err.name === "TimeoutError") {
        if (own?.timeout) throw own.timeout(shown2, this.timeoutMs);
        throw new SourceTimeoutError(
          `${this.vendor} did not answer ${shown2} within ${this.timeoutMs} ms; raise the timeout or query a shorter range.`,
          { retryable: true }
        );
      }
      if (own?.network) throw own.network(shown2, err);
      const permanent = !this.options.retryUnreachable && isPermanentNetworkCause(err);
      throw new SourceNetworkError(
        `Could not reach ${this.vendor} at ${shown2}: ${describeCause(err)}; check the endpoint (site/region) and the network.`,
        { retryable: !permanent, cause: err }
      );
    }
  }
  tooLarge(shown2, status) {
    const own = this.options.errors?.tooLarge;
    if (own) return own(shown2, this.maxBytes, status);
    return new MetricSourceError(
      `${this.vendor} answered with more than ${Math.round(this.maxBytes / 1024 / 1024)} MB; narrow the query (fewer series, a larger step).`
    );
  }
};
async function readBounded(res, maxBytes, tooLarge2) {
  const declared = Number(res.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw tooLarge2();
  }
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks = [];
  let size = 0;
  for (; ; ) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge2();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
function parseRetryAfter(value) {
  const seconds = Number(value);
  if (value.trim() !== "" && Number.isFinite(seconds)) return Math.max(0, seconds * 1e3);
  const date = Date.parse(value);
  return Number.isNaN(date) ? 0 : Math.max(0, date - Date.now());
}

// src/notify/http.ts
var DEFAULT_TIMEOUT_MS = 5e3;
var DEFAULT_BACKOFF_MS = 500;
var DEFAULT_MAX_BACKOFF_MS = 5e3;
async function postJson(url, body, options) {
  const { target } = options;
  if (!isHttpUrl(url)) {
    return { ok: false, attempts: 0, error: `${target} URL is not a valid http(s) URL` };
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBackoffMs = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  let attempts = 0;
  try {
    const client = new HttpClient({
      vendor: target,
      timeoutMs,
      retries: options.retries ?? 1,
      backoffMs: options.backoffMs ?? DEFAULT_BACKOFF_MS,
      // The whole backoff, no jitter: one retry, soon, and never later than maxBackoffMs.
      random: () => 1,
      maxBackoffMs,
      maxRetryAfterMs: maxBackoffMs,
      // The body is only drained (so the connection is released), never used.
      readBody: false,
      // Every network error gets its one retry, as it always has (a DNS blip is not a wrong URL here).
      retryUnreachable: true,
      fetch: (input, init) => {
        attempts++;
        return doFetch(input, init);
      }
    });
    const request = {
      method: "POST",
      url: new URL(url),
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body)
    };
    const status = await client.send(request, (answer) => {
      if (answer.status >= 200 && answer.status < 300) return answer.status;
      throw new VendorError(`${target} answered ${answer.status}`, answer.status, {
        retryable: answer.status === 429 || answer.status >= 500
      });
    });
    return { ok: true, status, attempts };
  } catch (err) {
    if (err instanceof VendorError) {
      return { ok: false, status: err.status, attempts, error: `${target} answered ${err.status}` };
    }
    if (err instanceof SourceTimeoutError) {
      return { ok: false, attempts, error: `${target}: timed out after ${timeoutMs} ms` };
    }
    const cause = err instanceof SourceNetworkError ? err.cause : err;
    return { ok: false, attempts, error: `${target}: ${describeFetchError(cause)}` };
  }
}
function describeFetchError(err) {
  const e = err;
  const code2 = typeof e?.cause?.code === "string" ? e.cause.code : void 0;
  return code2 ? `network error (${code2})` : "network error";
}

// src/notify/pagerduty.ts
var PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";
var SUMMARY_MAX = 1024;
var DEDUP_KEY_MAX = 255;
var SEVERITY = { P1: "critical", P2: "error", P3: "warning" };
function pagerDutySeverity(severity2) {
  return SEVERITY[severity2];
}
function dedupKey(groupKey) {
  if (groupKey.length <= DEDUP_KEY_MAX) return groupKey;
  return `aftershock:${createHash3("sha256").update(groupKey).digest("hex")}`;
}
function httpLink(href, text2) {
  return href && isHttpUrl(href) ? [{ href, text: truncate(text2, 200) }] : [];
}
function alertEvent(notice, routingKey) {
  const { repo, number, url, record } = notice.event;
  const repoName = `${repo.owner}/${repo.repo}`;
  const base = { routing_key: routingKey, dedup_key: dedupKey(record.groupKey) };
  if (notice.kind === "resolved") return { ...base, event_action: "resolve" };
  const summary3 = truncate(
    `[${record.severity}] ${record.name} on ${record.service || repoName} (${record.environment})`,
    SUMMARY_MAX
  );
  const suspects2 = record.suspects.slice(0, 3);
  return {
    ...base,
    event_action: "trigger",
    client: "aftershock",
    client_url: url,
    payload: {
      summary: summary3,
      // PagerDuty wants the affected system here; the service is the closest thing an alert names.
      source: truncate(record.service || repoName, 255),
      severity: pagerDutySeverity(record.severity),
      timestamp: record.openedAt,
      component: record.service || void 0,
      group: record.environment || void 0,
      class: truncate(record.name, 255),
      custom_details: {
        repository: repoName,
        issue: url,
        severity: record.severity,
        ...notice.kind === "severity" ? { previous_severity: notice.previous } : {},
        source: record.source,
        deploys: record.deploys.map((d) => `${d.sha.slice(0, 12)} to ${d.environment} (${d.status})`),
        suspects: suspects2.map((s) => `#${s.number} ${truncate(s.title, 120)} by ${s.author}`)
      }
    },
    links: [
      ...httpLink(url, `Incident ${repoName}#${number}`),
      ...suspects2.flatMap((s) => httpLink(s.url, `Suspect #${s.number}: ${s.title}`)),
      ...httpLink(record.externalURL, "Alertmanager")
    ]
  };
}
async function sendPagerDutyAlert(routingKey, notice, options = {}) {
  const { url = PAGERDUTY_EVENTS_URL, ...rest } = options;
  return postJson(url, alertEvent(notice, routingKey), { ...rest, target: "PagerDuty Events API" });
}
function pagerDutyChannel(url) {
  return {
    name: "pagerduty",
    secretEnv: (config) => config.pagerduty?.routingKeyEnv,
    send: (routingKey, notice, http) => sendPagerDutyAlert(routingKey, notice, { ...http, ...url ? { url } : {} })
  };
}

// src/notify/slack.ts
var CONTROL2 = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g;
var HEADER_MAX = 150;
var FIELD_MAX = 200;
var SUSPECTS_SHOWN = 3;
function escapeSlack(text2, maxLength = FIELD_MAX) {
  const plain = truncate(
    String(text2 ?? "").replace(CONTROL2, "").replace(/\s+/g, " ").trim(),
    maxLength
  );
  return defuseMentions(plain.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"));
}
function slackLink(url, label) {
  if (typeof url !== "string") return label;
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return label;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return label;
  const href = parsed.href.replace(/[<>|\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `<${href}|${label}>`;
}
function headline(notice) {
  const { record } = notice.event;
  switch (notice.kind) {
    case "opened":
      return `${record.severity} incident: ${record.name}`;
    case "severity":
      return `${notice.previous} \u2192 ${record.severity}: ${record.name}`;
    case "resolved":
      return `Resolved: ${record.name}`;
  }
}
var EMOJI = {
  opened: ":rotating_light:",
  severity: ":arrow_up_down:",
  resolved: ":white_check_mark:"
};
function mrkdwn(text2) {
  return { type: "mrkdwn", text: text2, verbatim: true };
}
function slackMessage(notice) {
  const { repo, number, url, record } = notice.event;
  const issueRef = escapeSlack(`${repo.owner}/${repo.repo}#${number}`);
  const issueLink = slackLink(url, issueRef);
  const title = escapeSlack(headline(notice), HEADER_MAX - EMOJI[notice.kind].length - 1);
  const fields = [
    mrkdwn(`*Severity*
${escapeSlack(record.severity)}`),
    mrkdwn(`*Service*
${escapeSlack(record.service) || "\u2014"}`),
    mrkdwn(`*Environment*
${escapeSlack(record.environment) || "\u2014"}`),
    mrkdwn(`*Issue*
${issueLink}`)
  ];
  const blocks = [
    { type: "header", text: { type: "plain_text", text: `${EMOJI[notice.kind]} ${title}`, emoji: true } },
    { type: "section", fields }
  ];
  const suspects2 = record.suspects.slice(0, SUSPECTS_SHOWN);
  if (notice.kind !== "resolved" && suspects2.length > 0) {
    const lines = suspects2.map((s) => {
      const pr = slackLink(s.url, `#${s.number} ${escapeSlack(s.title, 120)}`);
      return `\u2022 ${pr} by ${escapeSlack(s.author, 60)} (score ${s.score.toFixed(2)})`;
    });
    blocks.push({ type: "section", text: mrkdwn(`*Top suspects*
${lines.join("\n")}`) });
  }
  const context = [`${escapeSlack(record.source)} \xB7 opened ${escapeSlack(record.openedAt)}`];
  const alertmanager = slackLink(record.externalURL, "Alertmanager");
  if (alertmanager !== "Alertmanager") context.push(alertmanager);
  blocks.push({ type: "context", elements: [mrkdwn(context.join(" \xB7 "))] });
  return {
    text: `${title} (${escapeSlack(record.service)}, ${escapeSlack(record.environment)}): ${issueLink}`,
    blocks
  };
}
async function sendSlack(webhookUrl, notice, options = {}) {
  return postJson(webhookUrl, slackMessage(notice), { ...options, target: "Slack webhook" });
}
var slackChannel = {
  name: "slack",
  secretEnv: (config) => config.slack?.webhookUrlEnv,
  send: (webhookUrl, notice, http) => sendSlack(webhookUrl, notice, http)
};

// src/notify/notifier.ts
function channels(options = {}) {
  return [slackChannel, pagerDutyChannel(options.pagerDutyUrl)];
}
async function notify(notice, options) {
  const { notifications } = notice.event.config;
  const targets = channels(options).flatMap((channel) => {
    const envName = channel.secretEnv(notifications);
    return envName === void 0 ? [] : [{ channel, envName }];
  });
  await Promise.all(targets.map(({ channel, envName }) => deliver(channel, envName, notice, options)));
}
async function deliver(channel, envName, notice, options) {
  const { repo, number } = notice.event;
  const name = channel.name;
  const fields = { channel: name, repo: `${repo.owner}/${repo.repo}`, number, notice: notice.kind };
  let ok = false;
  try {
    const secret = (options.env ?? process.env)[envName]?.trim();
    if (options.mayUse && !options.mayUse(envName, repo)) {
      options.log.warn(
        fields,
        `${envName} may not be used by ${repo.owner}/${repo.repo}, so ${name} was not notified: the operator's AFTERSHOCK_NOTIFY_SCOPES does not allow it`
      );
    } else if (!secret) {
      options.log.warn(
        fields,
        `${envName} is not set in the app's environment, so ${name} was not notified: set it, or remove notifications.${name} from .github/aftershock.yml`
      );
    } else {
      const result = await channel.send(secret, notice, options.http);
      ok = result.ok;
      if (ok) options.log.info({ ...fields, attempts: result.attempts }, `notified ${name}`);
      else
        options.log.warn(
          { ...fields, attempts: result.attempts, status: result.status, reason: result.error },
          `could not notify ${name} (${envName} may be wrong or the service is down)`
        );
    }
  } catch (err) {
    options.log.warn({ ...fields, errorName: err?.name }, `could not notify ${name}`);
  }
  try {
    options.onResult?.(name, ok);
  } catch (err) {
    options.log.warn({ channel: name, errorName: err?.name }, "a notification counter failed");
  }
}

// src/app/notifications.ts
var UNSCOPED_VARIABLES = /* @__PURE__ */ new Set([
  DEFAULT_SLACK_WEBHOOK_ENV,
  DEFAULT_PAGERDUTY_ROUTING_KEY_ENV
]);
function registerNotifications(events, options) {
  const { scopes, onResult, ...rest } = options;
  const notifier = {
    ...rest,
    mayUse: scopes ? (envName, repo) => inScope(Object.hasOwn(scopes, envName) ? scopes[envName] : [], repo) : (envName) => UNSCOPED_VARIABLES.has(envName),
    onResult: (channel, ok) => {
      onResult?.(channel, ok);
      events.emit("notification", { channel, outcome: ok ? "sent" : "failed" });
    }
  };
  const send = (notice) => notify(notice, notifier);
  events.on("incident.opened", (event) => send({ kind: "opened", event }));
  events.on("incident.severity", (event) => send({ kind: "severity", event, previous: event.previous }));
  events.on("incident.resolved", (event) => send({ kind: "resolved", event }));
}

// src/app/observability/health.ts
function githubCheck(app) {
  return {
    name: "github",
    check: async () => {
      const octokit = await app.auth();
      await octokit.request("GET /app", { request: { retries: 0 } });
    }
  };
}
var MAX_ERROR_LENGTH = 300;
async function runCheck(check, timeoutMs) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1e3} s`)), timeoutMs);
    timer.unref();
  });
  try {
    await Promise.race([check.check(), timeout]);
    return { name: check.name, ok: true };
  } catch (err) {
    const status = err.response?.status;
    const message = errorMessage(err);
    const text2 = typeof status === "number" ? `answered ${status}: ${message}` : message;
    return { name: check.name, ok: false, error: text2.slice(0, MAX_ERROR_LENGTH) };
  } finally {
    clearTimeout(timer);
  }
}
function createReadiness(checks, options = {}) {
  const now = options.now ?? Date.now;
  const okMs = (options.cacheSeconds ?? 15) * 1e3;
  const failedMs = (options.failureCacheSeconds ?? 5) * 1e3;
  const timeoutMs = (options.timeoutSeconds ?? 5) * 1e3;
  let cached;
  const evaluate = async () => {
    const results = await Promise.all(checks.map((c) => runCheck(c, timeoutMs)));
    const failed2 = results.filter((r) => !r.ok);
    if (failed2.length) options.log?.warn({ checks: failed2 }, "not ready: a dependency check failed");
    return { ready: failed2.length === 0, checks: results };
  };
  return async () => {
    if (cached) {
      const age = now() - cached.at;
      const result = await cached.result;
      if (age < (result.ready ? okMs : failedMs)) return result;
    }
    const fresh = { at: now(), result: evaluate() };
    cached = fresh;
    return fresh.result;
  };
}
function pathname(url) {
  return new URL(url ?? "/", "http://localhost").pathname;
}
function createHealthHandler(readiness) {
  return async (req, res) => {
    const path = pathname(req.url);
    if (path !== "/healthz" && path !== "/readyz") return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendJson(res, 405, { error: `use GET: ${path} is a health probe` }, { allow: "GET, HEAD" });
      return true;
    }
    if (path === "/healthz") {
      sendJson(res, 200, { status: "ok" });
      return true;
    }
    const result = await readiness();
    if (result.ready) {
      sendJson(res, 200, { status: "ready", checks: result.checks });
      return true;
    }
    const failed2 = result.checks.filter((c) => !c.ok).map((c) => c.name);
    sendJson(res, 503, { status: "unavailable", failed: failed2, checks: result.checks });
    return true;
  };
}
function registerHealth(app, addHandler, options = {}) {
  const readiness = createReadiness([githubCheck(app), ...options.checks ?? []], {
    // Probot sets its logger up asynchronously: look it up when there is something to report.
    log: { warn: (obj, msg) => app.log?.warn({ name: "health", ...obj }, msg) },
    ...options
  });
  addHandler(createHealthHandler(readiness));
  return readiness;
}

// src/app/observability/metrics.ts
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

// src/notify/types.ts
var NOTIFICATION_CHANNELS = ["slack", "pagerduty"];

// src/app/observability/github-instrumentation.ts
import { SpanKind as SpanKind2 } from "@opentelemetry/api";
import { ProbotOctokit } from "probot";
var current2;
function setGitHubObserver(observer) {
  current2 = observer;
}
function statusClass(status) {
  if (typeof status !== "number" || !Number.isInteger(status) || status < 100 || status > 599) {
    return "error";
  }
  return `${Math.floor(status / 100)}xx`;
}
function routeName(url) {
  if (!/^https?:\/\//i.test(url)) return url.split("?")[0] ?? url;
  return new URL(url).pathname.replace(/\/\d+(?=\/|$)/g, "/{id}");
}
function githubInstrumentation(observer = () => current2) {
  return (octokit) => {
    octokit.hook.wrap("request", async (request, options) => {
      const method = String(options.method ?? "GET").toUpperCase();
      const route = routeName(String(options.url ?? ""));
      const started = performance.now();
      return tracer().startActiveSpan(
        `github ${method} ${route}`,
        {
          kind: SpanKind2.CLIENT,
          attributes: {
            "http.request.method": method,
            "url.template": route,
            "server.address": host(options)
          }
        },
        async (span) => {
          let status;
          try {
            const response = await request(options);
            status = response.status;
            return response;
          } catch (err) {
            status = err.response?.status;
            failSpan(span, err);
            throw err;
          } finally {
            if (typeof status === "number") span.setAttribute("http.response.status_code", status);
            span.end();
            observer()?.request(statusClass(status), (performance.now() - started) / 1e3);
          }
        }
      );
    });
  };
}
function host(options) {
  try {
    return new URL(String(options.baseUrl)).host;
  } catch {
    return "";
  }
}
function rateLimitHandler(kind, observer = () => current2) {
  return (retryAfter, options, octokit, retryCount) => {
    const what = `${options.method ?? "GET"} ${options.url ?? ""}`;
    if (retryCount >= 1) {
      octokit.log.warn(`GitHub ${kind} rate limit hit again with "${what}"; not retrying`);
      return false;
    }
    observer()?.rateLimitWait(kind);
    octokit.log.warn(`GitHub ${kind} rate limit hit with "${what}", retrying in ${retryAfter} seconds`);
    return true;
  };
}
function instrumentedOctokit(Base = ProbotOctokit, observer = () => current2) {
  return Base.plugin(githubInstrumentation(observer)).defaults((options) => ({
    ...options,
    throttle: {
      ...options.throttle,
      onRateLimit: rateLimitHandler("primary", observer),
      onSecondaryRateLimit: rateLimitHandler("secondary", observer)
    }
  }));
}

// src/app/observability/metrics.ts
var DELIVERY_STATUSES = {
  firing: true,
  resolved: true,
  unknown: true
};
var DELIVERY_OUTCOMES = {
  created: true,
  updated: true,
  unchanged: true,
  ignored: true,
  rejected: true,
  failed: true
};
var SEVERITIES = { P1: true, P2: true, P3: true };
var SOURCES = { alert: true, "deploy-check": true };
var COMMAND_OUTCOMES = {
  done: true,
  refused: true,
  invalid: true,
  failed: true,
  duplicate: true,
  ignored: true
};
var ROLLBACK_OUTCOMES = {
  opened: true,
  existing: true,
  conflict: true,
  "not-merged": true,
  failed: true
};
var STATUS_CLASSES = {
  "1xx": true,
  "2xx": true,
  "3xx": true,
  "4xx": true,
  "5xx": true,
  error: true
};
var CHANNELS = Object.fromEntries(NOTIFICATION_CHANNELS.map((c) => [c, true]));
var NOTIFICATION_OUTCOMES = {
  sent: true,
  failed: true
};
function bounded2(value, allowed) {
  return Object.hasOwn(allowed, value) ? value : "unknown";
}
var DELIVERY_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120];
var GITHUB_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
var REQUEST_COUNT_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500];
function createMetrics(events, options = {}) {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const deliveries = new Counter({
    name: "aftershock_alert_deliveries_total",
    help: "Alertmanager deliveries answered, by alert group status and outcome",
    labelNames: ["status", "outcome"],
    registers
  });
  const alertToIssue = new Histogram({
    name: "aftershock_alert_to_issue_seconds",
    help: "Seconds from an Alertmanager delivery arriving to its incident issue written (created or updated)",
    buckets: DELIVERY_BUCKETS,
    registers
  });
  const opened = new Counter({
    name: "aftershock_incidents_opened_total",
    help: "Incident issues opened, by severity and source (alert or deploy-check)",
    labelNames: ["severity", "source"],
    registers
  });
  const deduplicated = new Counter({
    name: "aftershock_deliveries_deduplicated_total",
    help: "Deliveries that repeated a known alert group exactly and changed nothing",
    registers
  });
  const rollbacks = new Counter({
    name: "aftershock_rollback_prs_total",
    help: "Rollback (revert) pull requests requested, by outcome",
    labelNames: ["outcome"],
    registers
  });
  const commands = new Counter({
    name: "aftershock_commands_total",
    help: "Slash commands run in incident issues, by command and outcome",
    labelNames: ["command", "outcome"],
    registers
  });
  const correlationSeconds = new Histogram({
    name: "aftershock_correlation_seconds",
    help: "Seconds spent finding the deploys and ranking the suspect PRs of a new incident",
    buckets: DELIVERY_BUCKETS,
    registers
  });
  const correlationRequests = new Histogram({
    name: "aftershock_correlation_github_requests",
    help: "GitHub requests made to correlate one incident",
    buckets: REQUEST_COUNT_BUCKETS,
    registers
  });
  const notifications = new Counter({
    name: "aftershock_notifications_total",
    help: "Incident notifications attempted (after their retry), by channel and outcome",
    labelNames: ["channel", "outcome"],
    registers
  });
  const githubRequests = new Counter({
    name: "aftershock_github_requests_total",
    help: 'GitHub API requests, by status class ("error": no response)',
    labelNames: ["status"],
    registers
  });
  const githubSeconds = new Histogram({
    name: "aftershock_github_request_duration_seconds",
    help: "Seconds per GitHub API request (throttling waits and retries included), by status class",
    labelNames: ["status"],
    buckets: GITHUB_BUCKETS,
    registers
  });
  const rateLimitWaits = new Counter({
    name: "aftershock_github_rate_limit_waits_total",
    help: "Times a GitHub request hit a rate limit, by kind (primary or secondary)",
    labelNames: ["kind"],
    registers
  });
  events.on("alert.delivery", (e) => {
    deliveries.inc({
      status: bounded2(e.status, DELIVERY_STATUSES),
      outcome: bounded2(e.outcome, DELIVERY_OUTCOMES)
    });
    if (e.outcome === "created" || e.outcome === "updated") alertToIssue.observe(e.seconds);
  });
  events.on("incident.opened", (e) => {
    opened.inc({ severity: bounded2(e.record.severity, SEVERITIES), source: bounded2(e.source, SOURCES) });
  });
  events.on("incident.updated", (e) => {
    if (e.changes.length === 0) deduplicated.inc();
  });
  events.on("rollback", (e) => rollbacks.inc({ outcome: bounded2(e.outcome, ROLLBACK_OUTCOMES) }));
  events.on("command", (e) => {
    commands.inc({ command: boundedCommand(e.name), outcome: bounded2(e.outcome, COMMAND_OUTCOMES) });
  });
  events.on("correlation", (e) => {
    correlationSeconds.observe(e.seconds);
    correlationRequests.observe(e.requests);
  });
  events.on("notification", (e) => {
    notifications.inc({
      channel: bounded2(e.channel, CHANNELS),
      outcome: bounded2(e.outcome, NOTIFICATION_OUTCOMES)
    });
  });
  const github = {
    request(status, seconds) {
      const label = bounded2(status, STATUS_CLASSES);
      githubRequests.inc({ status: label });
      githubSeconds.observe({ status: label }, seconds);
    },
    rateLimitWait(kind) {
      rateLimitWaits.inc({ kind: kind === "secondary" ? "secondary" : "primary" });
    }
  };
  return { registry, github };
}
function createMetricsHandler(registry, token) {
  return async (req, res) => {
    if (new URL(req.url ?? "/", "http://localhost").pathname !== "/metrics") return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendJson(
        res,
        405,
        { error: "use GET: this is the Prometheus metrics endpoint" },
        { allow: "GET, HEAD" }
      );
      return true;
    }
    if (token !== void 0) {
      const header2 = req.headers.authorization;
      if (header2 !== void 0) req.headers.authorization = "[redacted]";
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header2 ?? "");
      if (!match || !tokensMatch(match[1], token)) {
        sendJson(
          res,
          401,
          {
            error: match ? "invalid bearer token for /metrics" : "missing bearer token: send Authorization: Bearer <METRICS_TOKEN> (Prometheus: authorization.credentials)"
          },
          { "www-authenticate": 'Bearer realm="aftershock-metrics"' }
        );
        return true;
      }
    }
    let text2;
    try {
      text2 = await registry.metrics();
    } catch (err) {
      sendJson(res, 500, { error: `metrics could not be collected: ${errorMessage(err)}` });
      return true;
    }
    res.writeHead(200, {
      "content-type": registry.contentType,
      "content-length": Buffer.byteLength(text2),
      "cache-control": "no-store"
    });
    res.end(req.method === "HEAD" ? void 0 : text2);
    return true;
  };
}
function registerMetrics(addHandler, deps, options = {}) {
  const metrics = createMetrics(deps.events, options);
  setGitHubObserver(metrics.github);
  addHandler(createMetricsHandler(metrics.registry, deps.settings.metricsToken));
  return metrics;
}

// src/app/index.ts
function createApp(options = {}) {
  return (app, { addHandler }) => {
    const settings = options.settings ?? readSettings();
    const appSlug = appSlugOf(app, settings);
    const deps = {
      settings,
      lock: options.lock ?? new InProcessKeyLock(),
      now: options.now ?? (() => /* @__PURE__ */ new Date()),
      events: options.events ?? new AppEvents(),
      narrative: options.narrative === void 0 ? narrativeSettingsFromEnv(process.env) : options.narrative,
      incidents: appIncidentStores(appSlug, settings),
      botLogin: async () => `${await appSlug()}[bot]`,
      repoConfigs: cachedRepoConfigs(),
      cooldowns: new Cooldowns()
    };
    deps.events.setErrorHandler(
      (err, name) => app.log.warn({ err, event: name }, "an event listener failed")
    );
    registerNotifications(deps.events, { log: app.log, scopes: deps.settings.notifyScopes });
    const tokens = deps.settings.alertmanagerToken || deps.settings.alertmanagerTokens?.length;
    if (!tokens && !deps.settings.allowUnauthenticated) {
      app.log.warn("ALERTMANAGER_TOKEN is not set: /alertmanager refuses deliveries (403) until it is");
    }
    const pacing = options.pacing ?? readPacingSettings();
    const budget = writeBudgetFor(deps.lock, pacing.budget, pacing.clock);
    const writes = { budget, ...pacing.clock ? { clock: pacing.clock } : {} };
    app.on("deployment_status", async (context) => {
      await onDeploymentStatus(context, { ...deps, writes });
    });
    app.on("deployment_status", async (context) => {
      await onRedeployStatus(context, deps);
    });
    app.on("issue_comment.created", async (context) => {
      const reports = await onIssueComment(context, deps);
      if (reports.length) context.log.info({ commands: reports }, "slash commands handled");
    });
    app.on("pull_request.closed", async (context) => {
      const outcome = await onPullRequestClosed(context, deps);
      if (outcome.kind !== "ignored") context.log.info({ ...outcome }, "merged PR recorded in the incident");
    });
    deps.events.on("incident.opened", (event) => onIncidentOpenedAutoRollback(app, deps, event));
    deps.events.on("incident.opened", (event) => onIncidentOpenedAuthorNote(app, deps, event));
    addHandler(createAlertmanagerHandler({ app, ...deps, pacing, budget }));
    registerMetrics(addHandler, deps);
    registerHealth(app, addHandler, { checks: options.readinessChecks ?? [] });
  };
}
var aftershock = createApp();

// src/app/replicas.ts
import Bottleneck from "bottleneck";
import { ProbotOctokit as ProbotOctokit2 } from "probot";
function replicaSetup(env = process.env, options = {}) {
  const url = env.REDIS_URL?.trim();
  if (!url) {
    return {
      lock: new InProcessKeyLock(),
      redisLock: null,
      redisConfig: void 0,
      where: "in-process",
      close: async () => void 0
    };
  }
  let protocol;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = "";
  }
  if (protocol !== "redis:" && protocol !== "rediss:") {
    throw new Error(
      `REDIS_URL must be a redis:// or rediss:// URL (e.g. redis://127.0.0.1:6379), got "${describeRedisUrl(url)}"`
    );
  }
  const redisLock = RedisKeyLock.connect(url, options);
  return {
    lock: redisLock,
    redisLock,
    redisConfig: url,
    where: describeRedisUrl(url),
    close: () => redisLock.close()
  };
}
var DEFAULT_GITHUB_POLICY = {
  requestTimeoutMs: 2e4,
  retryBaseMs: 1e3,
  maxSecondaryWaitSeconds: 10
};
function githubOctokit(policy = {}) {
  const p = { ...DEFAULT_GITHUB_POLICY, ...policy };
  let writes = null;
  return ProbotOctokit2.plugin(noBlindRetryOfCreates).defaults((o) => ({
    ...o,
    request: { ...o.request, fetch: timedFetch(p.requestTimeoutMs, o.request?.fetch) },
    retry: { retryAfterBaseValue: p.retryBaseMs, ...o.retry },
    throttle: {
      ...o.throttle,
      ...o.throttle?.connection ? { connection: recoverOnRedis7(o.throttle.connection) } : {},
      write: writes ??= readAwareWrites(o.throttle),
      retryLimiter: readMarkingRetryLimiter(),
      // A handler set before ours (Probot's, or the instrumentation's) still runs, within our cap;
      // when it has no opinion (Probot's only logs), a short wait is retried twice at most.
      onSecondaryRateLimit: (retryAfter, req, octokit, count2) => {
        if (retryAfter > p.maxSecondaryWaitSeconds) {
          octokit.log.warn(
            `GitHub's secondary rate limit on ${req.method} ${req.url}: not waiting ${retryAfter} s; the delivery fails (503) and is retried`
          );
          return false;
        }
        const inner = o.throttle?.onSecondaryRateLimit;
        const decided = inner?.(retryAfter, req, octokit, count2);
        if (typeof decided === "boolean") return decided;
        octokit.log.warn(
          `GitHub's secondary rate limit on ${req.method} ${req.url}: retrying in ${retryAfter} s`
        );
        return count2 < 2;
      }
    }
  }));
}
function recoverOnRedis7(connection) {
  const conn = connection;
  if (typeof conn.__scriptArgs__ !== "function" || conn.aftershockRecovers) return connection;
  if (conn.client?.options)
    Object.assign(conn.client.options, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const scriptArgs = conn.__scriptArgs__.bind(conn);
  conn.__scriptArgs__ = (name, id2, args, cb) => scriptArgs(name, id2, args, (err, replies) => {
    if (err && /^ERR (SETTINGS_KEY_NOT_FOUND|UNKNOWN_CLIENT)$/.test(err.message)) {
      err.message = err.message.slice("ERR ".length);
    }
    cb(err, replies);
  });
  conn.aftershockRecovers = true;
  return connection;
}
function timedFetch(ms, inner) {
  return async (input, init) => {
    const timeout = AbortSignal.timeout(ms);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      return await (inner ?? globalThis.fetch)(input, { ...init, signal });
    } catch (err) {
      if (timeout.aborted && !init?.signal?.aborted) {
        throw new Error(`GitHub did not answer within ${ms} ms`, { cause: err });
      }
      throw err;
    }
  };
}
var noBlindRetryOfCreates = (octokit) => {
  octokit.hook.wrap("request", (request, options) => {
    const req = options.request;
    if (options.method === "POST" && options.url !== "/graphql" && req?.retries == null) {
      options.request = { ...req, retries: 0 };
    }
    return request(options);
  });
};
var sendingGraphqlRead = false;
function isGraphqlRead(options) {
  const { url, query } = options ?? {};
  return url === "/graphql" && typeof query === "string" && !/^\s*mutation\b/.test(query.replace(/#[^\n]*/g, ""));
}
function readMarkingRetryLimiter() {
  const limiter = new Bottleneck();
  const schedule = limiter.schedule.bind(limiter);
  const marking = (fn, ...args) => schedule(
    (...jobArgs) => {
      sendingGraphqlRead = isGraphqlRead(jobArgs[2]);
      try {
        return fn(...jobArgs);
      } finally {
        sendingGraphqlRead = false;
      }
    },
    ...args
  );
  return Object.assign(limiter, { schedule: marking });
}
function readAwareWrites(throttle) {
  const Clustered = throttle?.Bottleneck;
  const inner = new (Clustered ?? Bottleneck).Group({
    id: "octokit-write",
    maxConcurrent: 1,
    minTime: 1e3,
    timeout: throttle?.timeout ?? 12e4,
    ...Clustered && throttle?.connection ? { connection: throttle.connection } : {}
  });
  return {
    key: (id2) => {
      const limiter = inner.key(id2);
      return {
        schedule: (options, fn, ...args) => sendingGraphqlRead ? fn(...args) : limiter.schedule(options, fn, ...args)
      };
    }
  };
}

// src/app/main.ts
var log = loggerOrExit();
var tracing = await startTracing(log);
if (tracing.enabled) {
  process.once("SIGTERM", () => {
    const flushed = Promise.race([tracing.shutdown(), new Promise((r) => setTimeout(r, 5e3).unref())]);
    void flushed.catch(() => {
    }).finally(() => process.kill(process.pid, "SIGTERM"));
  });
}
var aftershock2 = (probot, options) => {
  const shared = replicaSetup(process.env, {
    onError: (err, key) => probot.log.warn({ err: { message: err.message }, key }, "shared lock (Redis)")
  });
  probot.log.info({ lock: shared.where }, "per-group lock");
  const redis = shared.redisLock;
  const readinessChecks = redis ? [{ name: "redis", check: () => redis.ping() }] : [];
  const pacing = readPacingSettings(process.env, true);
  return createApp({ lock: shared.lock, readinessChecks, pacing })(probot, options);
};
await run(aftershock2, { log, Octokit: instrumentedOctokit(githubOctokit()) });
function loggerOrExit() {
  try {
    return createLogger();
  } catch (err) {
    console.error(`aftershock: ${errorMessage(err)}`);
    process.exit(2);
  }
}
