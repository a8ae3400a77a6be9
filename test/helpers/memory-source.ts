// The one in-memory MetricSource, for the engine tests and the benches: fixed series per query, an
// optional clock so a live gate only sees samples that already exist, injectable failures, a log of
// every query, and (for the benches' scenarios) answers on the step grid as Prometheus gives them.
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
  /** The source's name in reports and errors. Default "memory". */
  name?: string;
  /**
   * Answer like a Prometheus range query: one point per step from `start` to `end` (inclusive), each
   * the latest sample at or before it that is less than one step old (so an off-grid start still
   * finds the data, and nothing is invented past the end). Default: the samples in the range as held.
   */
  grid?: boolean;
  /** Only samples at or before now() are returned: a live Prometheus has no future data. */
  now?: () => number;
  /** Called before each query; return an error to make that query fail (after it is logged). */
  fail?: (call: QueryCall, index: number) => Error | undefined;
  /** Warnings returned with every answer to a query, by query. */
  warnings?: Record<string, string[]>;
}

export class MemorySource implements MetricSource {
  readonly name: string;
  readonly calls: QueryCall[] = [];
  private readonly data: Record<string, Series[]>;

  constructor(
    data: Record<string, Series[]>,
    private readonly opts: MemorySourceOptions = {},
  ) {
    this.name = opts.name ?? "memory";
    // The grid search needs each series in time order.
    this.data = opts.grid
      ? Object.fromEntries(
          Object.entries(data).map(([q, list]) => [
            q,
            list.map((s) => ({ labels: s.labels, samples: [...s.samples].sort((a, b) => a.t - b.t) })),
          ]),
        )
      : data;
  }

  async queryRange(query: string, start: number, end: number, step: number): Promise<RangeResult> {
    const call: QueryCall = { query, start, end, step };
    if (this.opts.now) call.at = this.opts.now();
    this.calls.push(call);
    const error = this.opts.fail?.(call, this.calls.length - 1);
    if (error) throw error;
    const series = Object.hasOwn(this.data, query) ? this.data[query] : undefined;
    if (series === undefined) {
      // A typo in a test must not look like "no data": fail loudly instead.
      const known = Object.keys(this.data).join(", ");
      throw Object.assign(
        new Error(
          `memory source "${this.name}" has no series for query ${JSON.stringify(query)}; known: ${known}`,
        ),
        { retryable: false },
      );
    }
    const until = this.opts.now ? Math.min(end, this.opts.now()) : end;
    if (this.opts.grid && !(step > 0)) throw new Error(`step must be greater than zero, got ${step}`);
    const result = series
      .map((s) => ({
        labels: s.labels,
        samples: this.opts.grid
          ? onGrid(s.samples, start, until, step)
          : s.samples.filter((x) => x.t >= start && x.t <= until),
      }))
      .filter((s) => s.samples.length > 0); // Prometheus drops series with no points in the range
    return { series: result, warnings: [...(this.opts.warnings?.[query] ?? [])] };
  }

  /** The queries made, in order, with `query` only (for compact assertions). */
  queries(): string[] {
    return this.calls.map((c) => c.query);
  }
}

/** One series per query, named by it, answered on the step grid: the benches' stand-in for Prometheus. */
export function gridSource(name: string, samples: Record<string, Sample[]>): MemorySource {
  const data = Object.fromEntries(
    Object.entries(samples).map(([query, list]) => [query, [series(list, { __name__: query })]]),
  );
  return new MemorySource(data, { name, grid: true });
}

function onGrid(samples: readonly Sample[], start: number, end: number, step: number): Sample[] {
  const points: Sample[] = [];
  for (let t = start; t <= end; t += step) {
    const s = latestAtOrBefore(samples, t);
    if (s && t - s.t < step) points.push({ t, v: s.v });
  }
  return points;
}

function latestAtOrBefore(samples: readonly Sample[], t: number): Sample | undefined {
  let lo = 0;
  let hi = samples.length - 1;
  let found: Sample | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = samples[mid]!;
    if (s.t <= t) {
      found = s;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
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
