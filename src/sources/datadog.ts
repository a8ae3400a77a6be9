// MetricSource over Datadog's metrics query API (GET /api/v1/query?from&to&query). The keys go in
// the DD-API-KEY and DD-APPLICATION-KEY headers, never in the URL. Datadog picks its own rollup
// interval for the range (or the query's .rollup()), so the answer is resampled onto the step grid.

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

export const DATADOG_SITES = [
  "datadoghq.com",
  "datadoghq.eu",
  "us3.datadoghq.com",
  "us5.datadoghq.com",
  "ap1.datadoghq.com",
  "ddog-gov.com",
] as const;
export type DatadogSite = (typeof DATADOG_SITES)[number];

export interface DatadogOptions extends RetryOptions {
  /** Where the organisation lives. Default datadoghq.com. */
  site?: string;
  /** From DD_API_KEY. */
  apiKey?: string;
  /** From DD_APPLICATION_KEY. */
  applicationKey?: string;
  /** Overrides https://api.<site> (a proxy, or a stand-in in tests). */
  endpoint?: string;
}

/** How far before `start` to ask, so the first grid point has a complete bucket behind it. */
const LEAD_SECONDS = 600;

export class DatadogSource implements MetricSource {
  readonly name: string;
  private readonly base: URL;
  private readonly site: DatadogSite;
  private readonly headers: Record<string, string>;
  private readonly http: HttpClient;

  constructor(options: DatadogOptions) {
    const site = (options.site?.trim() || "datadoghq.com").replace(/^(https?:\/\/)?(app\.|api\.)?/, "");
    if (!(DATADOG_SITES as readonly string[]).includes(site)) {
      throw new MetricSourceError(
        `Datadog site "${site}" is not one of ${DATADOG_SITES.join(", ")}; use the site in your Datadog URL (app.datadoghq.eu → datadoghq.eu).`,
      );
    }
    this.site = site as DatadogSite;
    const apiKey = options.apiKey?.trim();
    const applicationKey = options.applicationKey?.trim();
    if (!apiKey || !applicationKey) {
      const missing = [!apiKey && "DD_API_KEY", !applicationKey && "DD_APPLICATION_KEY"].filter(Boolean);
      throw new MetricSourceError(
        `Datadog needs an API key and an application key: set ${missing.join(" and ")} (in the Action, the datadog-api-key and datadog-application-key inputs from secrets).`,
      );
    }
    this.base = new URL(options.endpoint?.trim() || `https://api.${this.site}`);
    this.name = `Datadog (${this.site})`;
    this.headers = { accept: "application/json", "dd-api-key": apiKey, "dd-application-key": applicationKey };
    this.http = new HttpClient({
      ...options,
      vendor: "Datadog",
      secrets: [apiKey, applicationKey],
      // Datadog's 429 says when the window resets in X-RateLimit-Reset (seconds), not Retry-After.
      retryAfterMs: (headers) => {
        const reset = Number(headers.get("x-ratelimit-reset") ?? NaN);
        return Number.isFinite(reset) && reset >= 0 ? reset * 1000 : undefined;
      },
    });
  }

  async queryRange(query: string, start: number, end: number, step: number): Promise<RangeResult> {
    checkRange(start, end, step);
    const url = new URL("/api/v1/query", this.base);
    url.searchParams.set("from", String(Math.floor(start - Math.max(2 * step, LEAD_SECONDS))));
    url.searchParams.set("to", String(Math.ceil(end)));
    url.searchParams.set("query", query);
    const raw = await this.http.send({ method: "GET", url, headers: this.headers }, (answer) =>
      this.parse(answer, query),
    );
    const series: Series[] = [];
    const warnings: string[] = [];
    for (const s of raw) {
      const { samples, interval } = onStepGrid(s.points, {
        start,
        end,
        step,
        interval: s.interval,
        stampedAtStart: true,
      });
      const warning = resampleWarning(
        "Datadog",
        interval,
        step,
        `Add .rollup(avg, ${step}) to the query for one point per step.`,
      );
      if (warning && !warnings.includes(warning)) warnings.push(warning);
      if (samples.length > 0) series.push({ labels: s.labels, samples });
    }
    return { series, warnings };
  }

  private parse(answer: HttpAnswer, query: string): RawSeries[] {
    const json = tryJson(answer.body);
    const obj = isRecord(json) ? json : undefined;
    if (answer.status === 401 || answer.status === 403) {
      throw new VendorError(
        `Datadog refused the keys (HTTP ${answer.status}${vendorErrors(obj)}): check that DD_API_KEY and DD_APPLICATION_KEY belong to the organisation on ${this.site} (the site must match) and that the application key may query timeseries (timeseries_query).`,
        answer.status,
      );
    }
    if (answer.status < 200 || answer.status > 299 || !obj) {
      const said = obj ? vendorErrors(obj).replace(/^, /, "") : snippet(answer.body);
      const fix =
        answer.status === 429
          ? "Datadog's rate limit for metric queries was reached; fewer checks or a larger step make fewer queries."
          : answer.status >= 500 || answer.status === 0
            ? "Datadog had a problem answering; try again later."
            : "fix the query (try it in Datadog's Metrics Explorer).";
      throw new VendorError(
        `Datadog answered HTTP ${answer.status}: ${said}\n  query: ${query}\n  ${fix}`,
        answer.status,
      );
    }
    // v1 can answer 200 with status "error" and the reason in `error`.
    if (obj.status === "error" || (typeof obj.error === "string" && obj.error !== "")) {
      throw new VendorError(
        `Datadog rejected the query: ${String(obj.error)}\n  query: ${query}\n  fix the query (try it in Datadog's Metrics Explorer).`,
        answer.status,
        { retryable: false },
      );
    }
    const list = Array.isArray(obj.series) ? obj.series : [];
    const out = list.map((item, i) => parseSeries(item, i));
    enforceLimits(
      "Datadog",
      out.length,
      out.map((s) => s.points.length),
    );
    return out;
  }
}

interface RawSeries {
  labels: Record<string, string>;
  points: Sample[];
  interval?: number;
}

/** One v1 series: pointlist of [ms, value|null], tag_set like ["host:a", "env:prod"]. */
function parseSeries(item: unknown, index: number): RawSeries {
  if (!isRecord(item)) throw new MetricSourceError(`Datadog's series #${index + 1} is not an object.`);
  const labels: Record<string, string> = {};
  if (typeof item.metric === "string") labels.__name__ = item.metric;
  const tags = Array.isArray(item.tag_set) ? item.tag_set : [];
  for (const tag of tags.map(String)) {
    const colon = tag.indexOf(":");
    if (colon > 0) labels[tag.slice(0, colon)] = tag.slice(colon + 1);
    else labels[tag] = "";
  }
  if (tags.length === 0 && typeof item.scope === "string" && item.scope !== "*") labels.scope = item.scope;
  const points: Sample[] = [];
  for (const pair of Array.isArray(item.pointlist) ? item.pointlist : []) {
    if (!Array.isArray(pair) || typeof pair[0] !== "number") continue;
    if (typeof pair[1] !== "number") continue; // null: no data in that bucket
    points.push({ t: pair[0] / 1000, v: pair[1] });
  }
  const interval = typeof item.interval === "number" && item.interval > 0 ? item.interval : undefined;
  return { labels, points, interval };
}

/** Datadog's `{"errors": ["..."]}`, verbatim. */
function vendorErrors(obj: Record<string, unknown> | undefined): string {
  if (!obj) return "";
  const errors = Array.isArray(obj.errors) ? obj.errors.map(String) : [];
  if (typeof obj.error === "string" && obj.error) errors.push(obj.error);
  return errors.length ? `, ${errors.join("; ")}` : "";
}
