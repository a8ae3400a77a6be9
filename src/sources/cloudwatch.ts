// MetricSource over Amazon CloudWatch GetMetricData (the JSON protocol: POST / with
// X-Amz-Target GraniteServiceVersion20100801.GetMetricData), signed with SigV4 (service
// `monitoring`). A check's query is a metric math expression, e.g.
//   SUM(SEARCH('{AWS/ApplicationELB,LoadBalancer} MetricName="HTTPCode_Target_5XX_Count"', 'Sum'))
// or a JSON list of MetricDataQuery objects for anything an expression cannot say alone.

import type { MetricSource, RangeResult, Sample, Series } from "../core/gate/types.js";
import { createSigner, resolveRegion, type CredentialProvider } from "./aws-sigv4.js";
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

export interface CloudWatchOptions extends RetryOptions {
  /** The input, else AWS_REGION / AWS_DEFAULT_REGION. */
  region?: string;
  /** Overrides https://monitoring.<region>.amazonaws.com (VPC endpoint, stand-in in tests). */
  endpoint?: string;
  /** Default: the SDK's Node credential chain. */
  credentials?: CredentialProvider;
  env?: Record<string, string | undefined>;
}

const TARGET = "GraniteServiceVersion20100801.GetMetricData";
/** Pages of NextToken followed before giving up: a gate's range fits in one or two. */
const MAX_PAGES = 10;
/** AWS error codes that describe a moment, not the request (they come as HTTP 400). */
const THROTTLING =
  /^(Throttling|ThrottlingException|RequestLimitExceeded|TooManyRequestsException|LimitExceeded|ServiceUnavailable|InternalFailure)$/;
const AUTH =
  /^(UnrecognizedClientException|InvalidClientTokenId|AccessDenied|AccessDeniedException|ExpiredToken|ExpiredTokenException|SignatureDoesNotMatch|InvalidSignatureException|IncompleteSignature|MissingAuthenticationToken)$/;

interface MetricDataResult {
  id: string;
  label: string;
  points: Sample[];
}

export class CloudWatchSource implements MetricSource {
  readonly name: string;
  private readonly url: URL;
  private readonly region: string;
  private readonly http: HttpClient;

  constructor(options: CloudWatchOptions) {
    this.region = resolveRegion(options.region, options.env ?? process.env, "CloudWatch");
    this.url = new URL(options.endpoint?.trim() || `https://monitoring.${this.region}.amazonaws.com/`);
    this.name = `CloudWatch (${this.region})`;
    const sign = createSigner({
      service: "monitoring",
      region: this.region,
      credentials: options.credentials,
    });
    this.http = new HttpClient({ ...options, vendor: "CloudWatch", sign });
  }

  async queryRange(query: string, start: number, end: number, step: number): Promise<RangeResult> {
    checkRange(start, end, step);
    const period = cloudWatchPeriod(step);
    const queries = metricDataQueries(query, period);
    const warnings: string[] = [];
    const byId = new Map<string, MetricDataResult>();
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const body = JSON.stringify({
        MetricDataQueries: queries,
        // One period before start, so the first grid point has a complete period behind it.
        StartTime: Math.floor((start - period) / period) * period,
        EndTime: Math.ceil(end),
        ScanBy: "TimestampAscending",
        ...(nextToken ? { NextToken: nextToken } : {}),
      });
      const answer = await this.http.send(
        {
          method: "POST",
          url: this.url,
          headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": TARGET },
          body,
        },
        (a) => this.parse(a, query),
      );
      for (const m of answer.messages) if (!warnings.includes(m)) warnings.push(m);
      for (const r of answer.results) {
        const known = byId.get(r.id);
        if (known) known.points.push(...r.points);
        else byId.set(r.id, r);
      }
      enforceLimits(
        "CloudWatch",
        byId.size,
        [...byId.values()].map((r) => r.points.length),
      );
      nextToken = answer.nextToken;
      if (!nextToken) break;
    }
    if (nextToken)
      warnings.push(`CloudWatch had more than ${MAX_PAGES} pages of data; the rest was not read.`);
    const series: Series[] = [];
    for (const r of byId.values()) {
      const { samples } = onStepGrid(r.points, { start, end, step, interval: period, stampedAtStart: true });
      if (samples.length > 0) series.push({ labels: { id: r.id, label: r.label }, samples });
    }
    const w = resampleWarning(
      "CloudWatch",
      period,
      step,
      "CloudWatch periods are 1, 5, 10, 30 s or multiples of 60 s: choose such a step.",
    );
    if (w) warnings.push(w);
    return { series, warnings };
  }

  private parse(answer: HttpAnswer, query: string) {
    const json = tryJson(answer.body);
    const obj = isRecord(json) ? json : undefined;
    if (answer.status < 200 || answer.status > 299 || !obj) {
      // JSON protocol errors: {"__type": "...#Code", "message": "..."}; the query protocol's header too.
      const rawType = String(obj?.__type ?? answer.headers.get("x-amzn-query-error")?.split(";")[0] ?? "");
      const code = rawType.split("#").pop() ?? "";
      const message = String(obj?.message ?? obj?.Message ?? (obj ? "" : snippet(answer.body)));
      const said = `${code ? `${code}: ` : ""}${message}`;
      if (AUTH.test(code) || answer.status === 401 || answer.status === 403) {
        throw new VendorError(
          `CloudWatch refused the request (HTTP ${answer.status}, ${said}): the AWS credentials must be valid for ${this.region} and allow cloudwatch:GetMetricData (check the role assumed, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_ROLE_ARN/AWS_WEB_IDENTITY_TOKEN_FILE).`,
          answer.status,
          { retryable: false },
        );
      }
      const transient = THROTTLING.test(code) || answer.status === 429 || answer.status >= 500;
      throw new VendorError(
        `CloudWatch answered HTTP ${answer.status}: ${said}\n  query: ${query}\n  ${transient ? "CloudWatch is throttling or unavailable; fewer checks or a larger step make fewer requests." : "fix the metric math expression (try it in CloudWatch's metrics console, Source tab)."}`,
        answer.status,
        { retryable: transient },
      );
    }
    const results: MetricDataResult[] = [];
    const messages: string[] = [];
    for (const m of Array.isArray(obj.Messages) ? obj.Messages.filter(isRecord) : []) {
      messages.push(`CloudWatch: ${String(m.Code ?? "")} ${String(m.Value ?? "")}`.trim());
    }
    for (const r of Array.isArray(obj.MetricDataResults) ? obj.MetricDataResults.filter(isRecord) : []) {
      const id = String(r.Id ?? "");
      if (r.StatusCode === "InternalError" || r.StatusCode === "Forbidden") {
        const why = Array.isArray(r.Messages)
          ? r.Messages.filter(isRecord)
              .map((m) => String(m.Value ?? ""))
              .join("; ")
          : "";
        throw new VendorError(
          `CloudWatch could not compute ${id} (${String(r.StatusCode)}${why ? `: ${why}` : ""})\n  query: ${query}`,
          answer.status,
          { retryable: r.StatusCode === "InternalError" },
        );
      }
      const times = Array.isArray(r.Timestamps) ? r.Timestamps : [];
      const values = Array.isArray(r.Values) ? r.Values : [];
      const points: Sample[] = [];
      for (let i = 0; i < Math.min(times.length, values.length); i++) {
        const t = toSeconds(times[i]);
        const v = values[i];
        if (t !== undefined && typeof v === "number") points.push({ t, v });
      }
      results.push({ id, label: String(r.Label ?? id), points });
    }
    const nextToken = typeof obj.NextToken === "string" && obj.NextToken ? obj.NextToken : undefined;
    return { results, messages, nextToken };
  }
}

/** The JSON protocol sends epoch seconds; ISO strings are accepted too. */
function toSeconds(value: unknown): number | undefined {
  if (typeof value === "number") return value > 1e11 ? value / 1000 : value;
  if (typeof value === "string") {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms / 1000;
  }
  return undefined;
}

/** CloudWatch periods are 1, 5, 10, 30 or a multiple of 60 seconds: the smallest valid one >= step. */
export function cloudWatchPeriod(step: number): number {
  for (const p of [1, 5, 10, 30]) if (step <= p) return p;
  return Math.ceil(step / 60) * 60;
}

/**
 * The check's query as MetricDataQueries: an expression (Id "q"), or the user's own JSON list, whose
 * entries without ReturnData: false become series. Periods left out are the step's.
 */
export function metricDataQueries(query: string, period: number): Record<string, unknown>[] {
  const q = query.trim();
  if (!q.startsWith("[")) return [{ Id: "q", Expression: q, Period: period, ReturnData: true }];
  const parsed = tryJson(q);
  if (!Array.isArray(parsed) || parsed.length === 0 || parsed.length > 500 || !parsed.every(isRecord)) {
    throw new MetricSourceError(
      "A CloudWatch query starting with [ must be a JSON list of MetricDataQuery objects (Id, Expression or MetricStat, ReturnData), at most 500.",
    );
  }
  return parsed.map((entry) => {
    if (typeof entry.Id !== "string" || !/^[a-z][a-zA-Z0-9_]*$/.test(entry.Id)) {
      throw new MetricSourceError(
        `Each MetricDataQuery needs an Id that starts with a lower-case letter (letters, digits, _), got ${JSON.stringify(entry.Id)}.`,
      );
    }
    const out: Record<string, unknown> = { ...entry };
    if (typeof out.Expression === "string" && out.Period === undefined) out.Period = period;
    if (isRecord(out.MetricStat) && out.MetricStat.Period === undefined)
      out.MetricStat = { ...out.MetricStat, Period: period };
    return out;
  });
}
