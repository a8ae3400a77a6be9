// Firing the burst like Alertmanager: a bounded number of deliveries in flight, each retried on a 5xx
// or a network error with Alertmanager's backoff (exponential from 500 ms, ×1.5, ±50 % jitter) while
// it holds its slot, as Alertmanager's per-group notification pipeline does. Bounded in attempts and
// by an overall deadline, so the bench always stops.
import { performance } from "node:perf_hooks";
import type { LoadDelivery } from "./load-payloads.js";
import { errorMessage } from "../src/core/errors.js";

export interface DeliveryResult {
  delivery: LoadDelivery;
  /** performance.now() of the first attempt and of the final answer. */
  sentAt: number;
  answeredAt: number;
  /** The last attempt's HTTP status; 0 when it never got an answer. */
  status: number;
  outcome: string | undefined;
  attempts: number;
  /** Why the last attempt failed without an HTTP answer. */
  error?: string;
}

export interface FireOptions {
  concurrency: number;
  /** Attempts per delivery, the first included. */
  maxAttempts: number;
  /** First retry delay; Alertmanager's is 500 ms. */
  backoffMs: number;
  /** Stop starting deliveries (and retries) after this performance.now(). */
  deadline: number;
  random: () => number;
  send: (body: string) => Promise<{ status: number; outcome: string | undefined }>;
}

export async function fire(
  deliveries: readonly LoadDelivery[],
  opts: FireOptions,
): Promise<DeliveryResult[]> {
  const results: DeliveryResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < deliveries.length && performance.now() < opts.deadline) {
      results.push(await deliverWithRetries(deliveries[next++]!, opts));
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, deliveries.length) }, worker));
  return results;
}

async function deliverWithRetries(delivery: LoadDelivery, opts: FireOptions): Promise<DeliveryResult> {
  const body = JSON.stringify(delivery.payload);
  const sentAt = performance.now();
  let interval = opts.backoffMs;
  for (let attempt = 1; ; attempt++) {
    let status = 0;
    let outcome: string | undefined;
    let error: string | undefined;
    try {
      ({ status, outcome } = await opts.send(body));
    } catch (err) {
      error = errorMessage(err);
    }
    const retryable = status === 0 || status >= 500;
    const wait = interval * (0.5 + opts.random());
    if (!retryable || attempt >= opts.maxAttempts || performance.now() + wait > opts.deadline) {
      return {
        delivery,
        sentAt,
        answeredAt: performance.now(),
        status,
        outcome,
        attempts: attempt,
        ...(error ? { error } : {}),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
    interval *= 1.5;
  }
}

/** Nearest-rank percentile of `values` (0 < p ≤ 100); NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Samples process.memoryUsage() every `everyMs` and keeps the peaks. */
export class MemorySampler {
  peakRss = 0;
  peakHeapUsed = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(everyMs = 50) {
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), everyMs);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#sample();
  }

  #sample(): void {
    const m = process.memoryUsage();
    this.peakRss = Math.max(this.peakRss, m.rss);
    this.peakHeapUsed = Math.max(this.peakHeapUsed, m.heapUsed);
  }
}
