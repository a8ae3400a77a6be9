// The learning report over a period: how many incidents, of what severity, on which services and
// with what cause; how fast they were acknowledged and resolved (and whether that is getting
// better, week by week); how many deploys the gate checked and stopped; which files keep turning up
// in culprit PRs; which action items are still open; which errors recur. Pure: the caller fetches.
import type { IncidentRecord } from "../incident/incident-record.js";
import { computeResponseMetrics } from "../incident/response-metrics.js";
import { readResponseState } from "../incident/response-state.js";
import { culpritsOf, type PastIncident } from "./similar.js";
import { recordSignatures } from "./signature.js";

export type ReportIncident = PastIncident;

/**
 * One deploy the gate looked at. From incidents with source deploy-check (each is a stopped deploy)
 * and, when fetched, from GitHub deployment statuses the Action wrote ("aftershock: pass …").
 */
export interface DeployCheck {
  /** The GitHub deployment id (or the id in the incident's deploy entry). */
  deploymentId: number | string;
  environment: string;
  service?: string;
  /** ISO 8601: when the check concluded. */
  at: string;
  verdict: "pass" | "fail" | "inconclusive";
  /** True when the gate stopped the rollout (a failed check). */
  stopped: boolean;
}

export interface ReportInput {
  incidents: readonly ReportIncident[];
  /** The period, ISO 8601 or Date; incidents opened outside it are left out. */
  since: string | Date;
  until: string | Date;
  /** Checks from deployment statuses; deploy-check incidents in the period are always counted too. */
  deployChecks?: readonly DeployCheck[];
  /** State of action-item issues by number; an item whose issue is not listed counts as open. */
  actionItemStates?: Readonly<Record<number, "open" | "closed">>;
  /** Ages of action items are measured to this time; default `until`. */
  now?: string | Date;
}

export interface Stat {
  /** Incidents the statistic is over (those that reached the milestone). */
  n: number;
  /** Milliseconds; null when n is 0. */
  median: number | null;
  mean: number | null;
}

export interface WeekBucket {
  /** ISO date the week starts (the period's start + 7 days × index). */
  start: string;
  incidents: number;
  mtta: Stat;
  mttr: Stat;
}

export type Cause = "confirmed" | "suspected" | "none";

export interface Hotspot {
  path: string;
  /** Incidents whose culprit PRs touched it. */
  incidents: number;
  numbers: number[];
}

export interface OpenActionItem {
  incident: number;
  text: string;
  issue?: number;
  at: string;
  ageMs: number;
}

export interface SignatureCount {
  signature: string;
  exceptionType?: string;
  incidents: number;
  numbers: number[];
}

export interface LearningReport {
  period: { since: string; until: string };
  totals: { incidents: number; open: number; closed: number };
  bySeverity: Record<"P1" | "P2" | "P3", number>;
  byService: Array<{ service: string; incidents: number }>;
  byCause: Record<Cause, number>;
  mtta: Stat;
  mttr: Stat;
  weeks: WeekBucket[];
  deploys: { checked: number; stopped: number; inconclusive: number };
  hotspots: { files: Hotspot[]; directories: Hotspot[] };
  openActionItems: OpenActionItem[];
  signatures: SignatureCount[];
  /** The incidents in the period, newest first, for the report's list. */
  incidents: Array<{
    number: number;
    url: string;
    state: "open" | "closed";
    name: string;
    service: string;
    severity: "P1" | "P2" | "P3";
    openedAt: string;
    cause: Cause;
    resolveMs: number | null;
  }>;
}

const WEEK_MS = 7 * 86_400_000;
/** Rows kept in the ranked lists. */
const TOP = 10;

export function computeReport(input: ReportInput): LearningReport {
  const since = toDate(input.since, "since");
  const until = toDate(input.until, "until");
  if (until.getTime() < since.getTime())
    throw new Error("the report period ends before it starts (until < since)");
  const now = input.now === undefined ? until : toDate(input.now, "now");
  const inPeriod = input.incidents
    .filter((i) => {
      const t = Date.parse(i.record.openedAt);
      return t >= since.getTime() && t <= until.getTime();
    })
    .sort((a, b) => Date.parse(b.record.openedAt) - Date.parse(a.record.openedAt) || b.number - a.number);

  const rows = inPeriod.map((i) => {
    const metrics = computeResponseMetrics(i.record, readResponseState(i.record));
    return { i, metrics, cause: causeOf(i.record) };
  });

  const bySeverity = { P1: 0, P2: 0, P3: 0 };
  const byCause: Record<Cause, number> = { confirmed: 0, suspected: 0, none: 0 };
  const services = new Map<string, number>();
  for (const { i, cause } of rows) {
    bySeverity[i.record.severity] += 1;
    byCause[cause] += 1;
    services.set(i.record.service, (services.get(i.record.service) ?? 0) + 1);
  }

  const weeks: WeekBucket[] = [];
  const weekCount = Math.max(1, Math.ceil((until.getTime() - since.getTime()) / WEEK_MS));
  for (let w = 0; w < weekCount; w++) {
    const from = since.getTime() + w * WEEK_MS;
    const inWeek = rows.filter(({ i }) => {
      const t = Date.parse(i.record.openedAt);
      // The last bucket also takes an incident opened exactly at `until`.
      return t >= from && (t < from + WEEK_MS || (w === weekCount - 1 && t <= until.getTime()));
    });
    weeks.push({
      start: new Date(from).toISOString().slice(0, 10),
      incidents: inWeek.length,
      mtta: stat(inWeek.map((r) => r.metrics.ms.acknowledge)),
      mttr: stat(inWeek.map((r) => r.metrics.ms.resolve)),
    });
  }

  return {
    period: { since: since.toISOString(), until: until.toISOString() },
    totals: {
      incidents: rows.length,
      open: rows.filter(({ i }) => i.state === "open").length,
      closed: rows.filter(({ i }) => i.state === "closed").length,
    },
    bySeverity,
    byService: [...services]
      .map(([service, incidents]) => ({ service, incidents }))
      .sort((a, b) => b.incidents - a.incidents || a.service.localeCompare(b.service)),
    byCause,
    mtta: stat(rows.map((r) => r.metrics.ms.acknowledge)),
    mttr: stat(rows.map((r) => r.metrics.ms.resolve)),
    weeks,
    deploys: deployTotals(
      mergeDeployChecks(deployChecksFromIncidents(inPeriod), input.deployChecks ?? []),
      since,
      until,
    ),
    hotspots: hotspots(inPeriod),
    openActionItems: openActionItems(inPeriod, input.actionItemStates ?? {}, now),
    signatures: signatureCounts(inPeriod),
    incidents: rows.map(({ i, metrics, cause }) => ({
      number: i.number,
      url: i.url,
      state: i.state,
      name: i.record.name,
      service: i.record.service,
      severity: i.record.severity,
      openedAt: i.record.openedAt,
      cause,
      resolveMs: metrics.ms.resolve ?? null,
    })),
  };
}

/** Confirmed: responders confirmed a root cause or merged a revert. Suspected: suspects, none confirmed. */
export function causeOf(record: IncidentRecord): Cause {
  if (culpritsOf(record).length > 0) return "confirmed";
  const response = readResponseState(record);
  return record.suspects.length > 0 || response.rootCause?.pr !== undefined ? "suspected" : "none";
}

/** Median and mean of the defined values. */
export function stat(values: ReadonlyArray<number | undefined>): Stat {
  const xs = values.filter((v): v is number => v !== undefined && Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return { n: 0, median: null, mean: null };
  const mid = Math.floor(xs.length / 2);
  const median = xs.length % 2 === 1 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
  return { n: xs.length, median, mean: xs.reduce((a, b) => a + b, 0) / xs.length };
}

/**
 * Each deploy-check incident is one deploy the gate stopped. Its group key is `deploy:<deployment id>`
 * (its `deploys` list the deployments before it, for suspects, so they are not counted).
 */
export function deployChecksFromIncidents(incidents: readonly ReportIncident[]): DeployCheck[] {
  const out: DeployCheck[] = [];
  for (const { number, record } of incidents) {
    if (record.source !== "deploy-check") continue;
    const id = /^deploy:(.+)$/.exec(record.groupKey)?.[1] ?? `incident-${number}`;
    out.push({
      deploymentId: /^\d+$/.test(id) ? Number(id) : id,
      environment: record.environment,
      service: record.service,
      at: record.openedAt,
      verdict: "fail",
      stopped: true,
    });
  }
  return out;
}

/**
 * Deploy checks from GitHub deployment statuses: those the Action wrote (description starting
 * "aftershock: pass|fail|inconclusive"); a deployment's latest such status wins.
 */
export function deployChecksFromStatuses(
  statuses: ReadonlyArray<{
    deploymentId: number | string;
    environment: string;
    state: string;
    description?: string | null;
    createdAt: string;
  }>,
): DeployCheck[] {
  const latest = new Map<string, DeployCheck>();
  for (const s of statuses) {
    const m = /^aftershock: (pass|fail|inconclusive)\b/.exec(s.description ?? "");
    if (!m) continue;
    const verdict = m[1] as DeployCheck["verdict"];
    const key = `${s.environment}\u0000${s.deploymentId}`;
    const before = latest.get(key);
    if (before && Date.parse(before.at) >= Date.parse(s.createdAt)) continue;
    latest.set(key, {
      deploymentId: s.deploymentId,
      environment: s.environment,
      at: s.createdAt,
      verdict,
      stopped: s.state === "failure" || s.state === "error",
    });
  }
  return [...latest.values()];
}

/** Both sources, one check per deployment: a status from the Action wins over an incident's copy. */
export function mergeDeployChecks(...lists: ReadonlyArray<readonly DeployCheck[]>): DeployCheck[] {
  const byKey = new Map<string, DeployCheck>();
  for (const list of lists)
    for (const c of list) {
      const key = `${c.environment}\u0000${c.deploymentId}`;
      byKey.set(key, { ...byKey.get(key), ...c });
    }
  return [...byKey.values()];
}

function deployTotals(checks: readonly DeployCheck[], since: Date, until: Date): LearningReport["deploys"] {
  const inPeriod = checks.filter((c) => {
    const t = Date.parse(c.at);
    return t >= since.getTime() && t <= until.getTime();
  });
  return {
    checked: inPeriod.length,
    stopped: inPeriod.filter((c) => c.stopped).length,
    inconclusive: inPeriod.filter((c) => c.verdict === "inconclusive").length,
  };
}

function hotspots(incidents: readonly ReportIncident[]): LearningReport["hotspots"] {
  const files = new Map<string, Set<number>>();
  const dirs = new Map<string, Set<number>>();
  const add = (map: Map<string, Set<number>>, key: string, n: number) => {
    if (!map.has(key)) map.set(key, new Set());
    map.get(key)!.add(n);
  };
  for (const { number, record } of incidents)
    for (const c of culpritsOf(record))
      for (const f of c.files) {
        add(files, f, number);
        const slash = f.lastIndexOf("/");
        add(dirs, slash > 0 ? f.slice(0, slash + 1) : "./", number);
      }
  const ranked = (map: Map<string, Set<number>>): Hotspot[] =>
    [...map]
      .map(([path, set]) => ({ path, incidents: set.size, numbers: [...set].sort((a, b) => a - b) }))
      .sort((a, b) => b.incidents - a.incidents || a.path.localeCompare(b.path))
      .slice(0, TOP);
  return { files: ranked(files), directories: ranked(dirs) };
}

function openActionItems(
  incidents: readonly ReportIncident[],
  states: Readonly<Record<number, "open" | "closed">>,
  now: Date,
): OpenActionItem[] {
  const out: OpenActionItem[] = [];
  for (const { number, record } of incidents)
    for (const item of readResponseState(record).actionItems) {
      if (item.issue !== undefined && states[item.issue] === "closed") continue;
      const at = Date.parse(item.at);
      const entry: OpenActionItem = {
        incident: number,
        text: item.text,
        at: item.at,
        ageMs: Number.isNaN(at) ? 0 : Math.max(0, now.getTime() - at),
      };
      if (item.issue !== undefined) entry.issue = item.issue;
      out.push(entry);
    }
  return out.sort((a, b) => b.ageMs - a.ageMs || a.incident - b.incident);
}

function signatureCounts(incidents: readonly ReportIncident[]): SignatureCount[] {
  const bySig = new Map<string, SignatureCount>();
  for (const { number, record } of incidents)
    for (const s of recordSignatures(record)) {
      const entry = bySig.get(s.signature) ?? { signature: s.signature, incidents: 0, numbers: [] };
      if (s.exceptionType && !entry.exceptionType) entry.exceptionType = s.exceptionType;
      if (!entry.numbers.includes(number)) {
        entry.numbers.push(number);
        entry.incidents += 1;
      }
      bySig.set(s.signature, entry);
    }
  return [...bySig.values()]
    .map((e) => ({ ...e, numbers: [...e.numbers].sort((a, b) => a - b) }))
    .sort((a, b) => b.incidents - a.incidents || a.signature.localeCompare(b.signature))
    .slice(0, TOP);
}

function toDate(value: string | Date, what: string): Date {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime()))
    throw new Error(`${what}: expected an ISO 8601 date, got "${String(value)}"`);
  return d;
}

/** A period where nothing happened: no incident, no deploy checked, no action item left open. */
export function isEmptyReport(report: LearningReport): boolean {
  return report.totals.incidents === 0 && report.deploys.checked === 0 && report.openActionItems.length === 0;
}
