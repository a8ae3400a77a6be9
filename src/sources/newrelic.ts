// MetricSource over New Relic: NRQL through NerdGraph (POST /graphql), with the user key in the
// API-Key header. The gate adds the time range and the buckets itself (SINCE … UNTIL … TIMESERIES
// <step> seconds), so the check's NRQL is a SELECT … FROM … [WHERE …] [FACET …] without them.

import type { MetricSource, RangeResult, Sample, Series } from "../core/gate/types.js";
import { MetricSourceError } from "./errors.js";
import {
  HttpClient,
  VendorError,
  isRecord,
  snippet,
  tryJson,
  type HttpAnswer,
  type RetryOptions,
} from "./http.js";
import { checkRange } from "./http-source.js";
import { enforceLimits, onStepGrid, resampleWarning } from "./step-grid.js";

export const NEW_RELIC_ENDPOINTS = {
  us: "https://api.newrelic.com/graphql",
  eu: "https://api.eu.newrelic.com/graphql",
} as const;

export interface NewRelicOptions extends RetryOptions {
  /** The account the NRQL runs in. */
  accountId?: string;
  /** A user key (NRAK-…), from NEW_RELIC_API_KEY. */
  apiKey?: string;
  /** us (default) or eu: where the account's data lives. */
  region?: string;
  /** Overrides the NerdGraph URL (a stand-in in tests). */
  endpoint?: string;
}

/** NRQL clauses the gate writes itself. */
const OWN_CLAUSES = /\b(SINCE|UNTIL|TIMESERIES|COMPARE\s+WITH)\b/i;
/** Keys of a TIMESERIES row that are not the value. */
const ROW_META = new Set(["beginTimeSeconds", "endTimeSeconds", "facet"]);
/** NRQL allows at most 366 buckets per query. */
const MAX_BUCKETS = 366;
/** errorClass values that describe a moment, not the query. */
const TRANSIENT_CLASSES = new Set(["TIMEOUT", "SERVER_ERROR", "TOO_MANY_REQUESTS", "INTERNAL_SERVER_ERROR"]);

export class NewRelicSource implements MetricSource {
  readonly name: string;
  private readonly url: URL;
  private readonly accountId: number;
  private readonly headers: Record<string, string>;
  private readonly http: HttpClient;

  constructor(options: NewRelicOptions) {
    const accountId = options.accountId?.trim() ?? "";
    if (!/^\d{1,12}$/.test(accountId)) {
      throw new MetricSourceError(
        `New Relic needs the numeric account id (newrelic-account-id), got "${accountId}"; it is in the URL of one.newrelic.com (?account=…).`,
      );
    }
    const apiKey = options.apiKey?.trim();
    if (!apiKey) {
      throw new MetricSourceError(
        "New Relic needs a user API key (NRAK-…): set NEW_RELIC_API_KEY (in the Action, the newrelic-api-key input from a secret).",
      );
    }
    const region = (options.region?.trim() || "us").toLowerCase();
    if (region !== "us" && region !== "eu") {
      throw new MetricSourceError(`New Relic region "${region}" must be us or eu.`);
    }
    this.url = new URL(options.endpoint?.trim() || NEW_RELIC_ENDPOINTS[region]);
    this.accountId = Number(accountId);
    this.name = `New Relic (account ${accountId}, ${region.toUpperCase()})`;
    this.headers = { "content-type": "application/json", accept: "application/json", "api-key": apiKey };
    this.http = new HttpClient({ ...options, vendor: "New Relic", secrets: [apiKey] });
  }

  async queryRange(query: string, start: number, end: number, step: number): Promise<RangeResult> {
    checkRange(start, end, step);
    const nrql = timeseriesNrql(query, start, end, step);
    // The NRQL goes in as a GraphQL variable: no quoting of user text into the document.
    const body = JSON.stringify({
      query:
        "query($accountId: Int!, $nrql: Nrql!) { actor { account(id: $accountId) { nrql(query: $nrql, timeout: 60) { results } } } }",
      variables: { accountId: this.accountId, nrql },
    });
    const rows = await this.http.send(
      { method: "POST", url: this.url, headers: this.headers, body },
      (answer) => this.parse(answer, nrql),
    );
    const bySeries = groupRows(rows);
    enforceLimits(
      "New Relic",
      bySeries.size,
      [...bySeries.values()].map((s) => s.points.length),
    );
    const series: Series[] = [];
    const warnings: string[] = [];
    for (const s of bySeries.values()) {
      const { samples, interval } = onStepGrid(s.points, {
        start,
        end,
        step,
        interval: s.interval,
        stampedAtStart: true,
      });
      const w = resampleWarning("New Relic", interval, step, "NRQL widens buckets over long ranges.");
      if (w && !warnings.includes(w)) warnings.push(w);
      if (samples.length > 0) series.push({ labels: s.labels, samples });
    }
    return { series, warnings };
  }

  private parse(answer: HttpAnswer, nrql: string): unknown[] {
    const json = tryJson(answer.body);
    const obj = isRecord(json) ? json : undefined;
    const errors = obj && Array.isArray(obj.errors) ? obj.errors.filter(isRecord) : [];
    const messages = errors.map((e) => String(e.message ?? "")).filter(Boolean);
    const classes = errors.map((e) => (isRecord(e.extensions) ? String(e.extensions.errorClass ?? "") : ""));
    if (answer.status === 401 || answer.status === 403 || messages.some((m) => /api[- ]key/i.test(m))) {
      throw new VendorError(
        `New Relic refused the key (HTTP ${answer.status}${messages.length ? `: ${messages.join("; ")}` : ""}): NEW_RELIC_API_KEY must be a user key (NRAK-…) with access to account ${this.accountId}, and the region (us/eu) must be the account's.`,
        answer.status,
        { retryable: false },
      );
    }
    if (answer.status < 200 || answer.status > 299 || !obj) {
      throw new VendorError(
        `New Relic answered HTTP ${answer.status}: ${messages.length ? messages.join("; ") : snippet(answer.body)}`,
        answer.status,
      );
    }
    if (messages.length > 0) {
      const transient = classes.some((c) => TRANSIENT_CLASSES.has(c));
      throw new VendorError(
        `New Relic rejected the NRQL: ${messages.join("; ")}\n  nrql: ${nrql}\n  ${transient ? "New Relic could not answer in time; try again or query less." : "fix the query (try it in the New Relic query builder)."}`,
        answer.status,
        { retryable: transient },
      );
    }
    const results = dig(obj, ["data", "actor", "account", "nrql", "results"]);
    if (results === null || results === undefined) {
      throw new VendorError(
        `New Relic answered without results for account ${this.accountId} (no access to it?): ${snippet(answer.body)}`,
        answer.status,
        { retryable: false },
      );
    }
    if (!Array.isArray(results))
      throw new VendorError("New Relic's nrql.results is not a list.", answer.status);
    return results;
  }
}

/** The check's NRQL with the gate's range and buckets; clauses the gate owns are refused. */
export function timeseriesNrql(query: string, start: number, end: number, step: number): string {
  const q = query.trim().replace(/;\s*$/, "");
  const own = OWN_CLAUSES.exec(q);
  if (own) {
    throw new MetricSourceError(
      `The NRQL has ${own[1]?.toUpperCase()}, which the gate sets itself (SINCE/UNTIL from the baseline and window, TIMESERIES from the step); remove it: ${q}`,
    );
  }
  // Ask for one bucket before `start`: stamped at their ends, it gives the first grid point a value.
  const since = start - step;
  const buckets = Math.ceil((end - since) / step);
  if (buckets > MAX_BUCKETS) {
    // NRQL refuses more than 366 buckets; let it choose (the answer is resampled onto the grid).
    return `${q} SINCE ${Math.floor(since * 1000)} UNTIL ${Math.ceil(end * 1000)} TIMESERIES MAX`;
  }
  return `${q} SINCE ${Math.floor(since * 1000)} UNTIL ${Math.ceil(end * 1000)} TIMESERIES ${step} seconds`;
}

interface RowSeries {
  labels: Record<string, string>;
  points: Sample[];
  interval?: number;
}

/** TIMESERIES rows, one per bucket (and per facet): {beginTimeSeconds, endTimeSeconds, facet?, <value>}. */
function groupRows(rows: unknown[]): Map<string, RowSeries> {
  const out = new Map<string, RowSeries>();
  for (const row of rows) {
    if (!isRecord(row)) continue;
    const begin = Number(row.beginTimeSeconds);
    const end = Number(row.endTimeSeconds);
    if (!Number.isFinite(begin)) continue;
    const valueKeys = Object.keys(row).filter((k) => !ROW_META.has(k) && !isFacetAttribute(k, row));
    if (valueKeys.length !== 1) {
      throw new MetricSourceError(
        `New Relic answered ${valueKeys.length} values per bucket (${valueKeys.join(", ")}); a check reads one: SELECT a single function.`,
      );
    }
    const value = numberIn(row[valueKeys[0] ?? ""]);
    const labels = facetLabels(row);
    const key = JSON.stringify(labels);
    let series = out.get(key);
    if (!series)
      out.set(key, (series = { labels, points: [], interval: end > begin ? end - begin : undefined }));
    if (value !== undefined) series.points.push({ t: begin, v: value });
  }
  return out;
}

/** With FACET, each row holds `facet` and also the faceted attributes by name: they are labels, not values. */
function isFacetAttribute(key: string, row: Record<string, unknown>): boolean {
  if (row.facet === undefined) return false;
  const facets = Array.isArray(row.facet) ? row.facet.map(String) : [String(row.facet)];
  return typeof row[key] === "string" && facets.includes(row[key]);
}

function facetLabels(row: Record<string, unknown>): Record<string, string> {
  if (row.facet === undefined) return {};
  const labels: Record<string, string> = {
    facet: Array.isArray(row.facet) ? row.facet.map(String).join(", ") : String(row.facet),
  };
  for (const [k, v] of Object.entries(row)) if (isFacetAttribute(k, row)) labels[k] = String(v);
  return labels;
}

/** A number, or the single number inside an object (percentile(x, 99) answers {"99": 0.2}). */
function numberIn(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (value === null) return undefined;
  if (isRecord(value)) {
    const nums = Object.values(value).filter((v): v is number => typeof v === "number");
    if (nums.length === 1) return nums[0];
  }
  return undefined;
}

function dig(obj: unknown, path: string[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (!isRecord(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}
