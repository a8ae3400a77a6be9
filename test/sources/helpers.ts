// Shared by the vendor source tests: a recorder for backoff sleeps and a helper that expects a failure.
import nock from "nock";
import { afterEach, beforeAll, expect } from "vitest";
import { MetricSourceError } from "../../src/sources/index.js";

/** Retry options that record the backoff instead of waiting. */
export function fastRetries() {
  const sleeps: number[] = [];
  return {
    sleeps,
    retry: {
      sleep: async (ms: number) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      backoffMs: 100,
    },
  };
}

/** The MetricSourceError a promise rejects with (fails the test if it resolves). */
export async function failure(promise: Promise<unknown>): Promise<MetricSourceError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MetricSourceError);
  return err as MetricSourceError;
}

/** No test may reach an outside host; every vendor is a nock scope. */
export function useNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    nock.abortPendingRequests();
    nock.cleanAll();
  });
}

/** A minute-aligned time, so vendor buckets line up with the grid in the expectations. */
export const T0 = 1_699_999_980;
