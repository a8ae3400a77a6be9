// Counts the HTTP requests made through one Octokit. Every call, REST or GraphQL (octokit.graphql is
// built on octokit.request), passes the "request" hook, so one `before` hook sees them all. Used to
// report how many requests a fetch cost, and to keep that number honest in tests.

/** What is read of a request before it is sent. */
export interface RequestInfo {
  method?: string;
  url?: string;
}

/** The part of an Octokit (octokit, @octokit/core, Probot's context.octokit) the counter needs. */
export interface HookableOctokit {
  hook: {
    before(name: "request", fn: (options: RequestInfo) => void): void;
    remove(name: "request", fn: (options: RequestInfo) => void): void;
  };
}

export interface RequestCounter {
  /** Requests started since the counter was attached (retries count again). */
  readonly count: number;
  /** "METHOD url" of each request, in order; for debugging and tests. */
  readonly calls: readonly string[];
  /** Detach from the Octokit; the count stays readable. */
  stop(): void;
}

export function countRequests(octokit: HookableOctokit): RequestCounter {
  const calls: string[] = [];
  const hook = (options: RequestInfo) => {
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
    },
  };
}
