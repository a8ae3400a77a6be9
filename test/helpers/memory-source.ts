// An in-memory MetricSource for engine tests: fixed series per query, an optional clock so a
// live gate only sees samples that already exist, injectable failures, and a log of every query.
import type { MetricSource, RangeResult, Sample, Series } from "../../src/core/gate/types.js";

export interface QueryCall {
  query: string;
  start: number;
  end: number;
  step: number;
  /** The clock when the query was made (only with a `now` option). */
  at?: number;
}

export interface MemorySourceOptions {
  /** Only samples at or before now() are returned: a live Prometheus has no future data. */
  now?: () => number;
  /** Called before each query; return an error to make that query fail (after it is logged). */
  fail?: (call: QueryCall, index: number) => Error | undefined;
  /** Warnings returned with every answer to a query, by query. */
  warnings?: Record<string, string[]>;
}

export class MemorySource implements MetricSource {
  readonly name = "memory";
  readonly calls: QueryCall[] = [];

  constructor(
    private readonly data: Record<string, Series[]>,
    private readonly opts: MemorySourceOptions = {},
  ) {}

  async queryRange(query: string, start: number, end: number, step: number): Promise<RangeResult> {
    const call: QueryCall = { query, start, end, step };
    if (this.opts.now) call.at = this.opts.now();
    this.calls.push(call);
    const error = this.opts.fail?.(call, this.calls.length - 1);
    if (error) throw error;
    const series = this.data[query];
    if (series === undefined) {
      // A typo in a test must not look like "no data": fail loudly instead.
      throw Object.assign(new Error(`memory source has no data for query ${JSON.stringify(query)}`), {
        retryable: false,
      });
    }
    const until = this.opts.now ? Math.min(end, this.opts.now()) : end;
    const result = series
      .map((s) => ({ labels: s.labels, samples: s.samples.filter((x) => x.t >= start && x.t <= until) }))
      .filter((s) => s.samples.length > 0); // Prometheus drops series with no points in the range
    return { series: result, warnings: [...(this.opts.warnings?.[query] ?? [])] };
  }

  /** The queries made, in order, with `query` only (for compact assertions). */
  queries(): string[] {
    return this.calls.map((c) => c.query);
  }
}

/** Samples every `step` seconds from `start` to `end` (inclusive), valued by `f(t)`. */
export function samplesFrom(start: number, end: number, step: number, f: (t: number) => number): Sample[] {
  const out: Sample[] = [];
  for (let t = start; t <= end; t += step) out.push({ t, v: f(t) });
  return out;
}

export function series(samples: Sample[], labels: Record<string, string> = {}): Series {
  return { labels, samples };
}
