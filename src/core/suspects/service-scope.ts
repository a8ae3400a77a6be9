// Which changed files belong to the alert's service: the configured service map when it names the
// service, otherwise paths inferred from the repository (infer-paths.ts). Each match keeps its glob
// and source so the reason can say where it came from.

import type { CorrelationConfig, ServiceHints } from "./correlation-types.js";
import { inferServicePaths, type ServicePath } from "./infer-paths.js";
import { compileGlob, type PathTest } from "./paths.js";

export const SOURCE_CONFIG = "the alert's service";

export interface ServiceScope {
  service: string | undefined;
  /** True when the globs come from `services:`, false when inferred (or there are none). */
  configured: boolean;
  paths: ServicePath[];
  /** The service glob a path belongs to, or undefined. */
  owner(path: string): ServicePath | undefined;
  /** The service a path belongs to: any configured one, or the alert's when inferred. */
  serviceOf(path: string): string | undefined;
}

/**
 * A configured map is ordered: a path belongs to the first service with a glob that matches it, so
 * `backend/**` listed after `backend/worker/**` means "the rest of backend/".
 */
export function serviceScope(
  service: string | undefined,
  config: CorrelationConfig | undefined,
  hints: ServiceHints | undefined,
  candidatePaths: readonly string[],
): ServiceScope {
  const services = config?.services ?? {};
  const configuredGlobs = service === undefined ? undefined : services[service];
  if (service !== undefined && configuredGlobs !== undefined && configuredGlobs.length > 0) {
    const ordered = Object.entries(services).map(([name, globs]) => ({
      name,
      matchers: globs.flatMap((glob) => {
        const test = compileGlob(glob);
        return test ? [{ glob, test }] : [];
      }),
    }));
    const paths = configuredGlobs.map((glob) => ({ glob, source: SOURCE_CONFIG }));
    // Every file is asked about twice (ownership and main service): remember the answer per path.
    const memo = new Map<string, string | undefined>();
    const serviceOf = (path: string): string | undefined => {
      if (memo.has(path)) return memo.get(path);
      const name = ordered.find((s) => s.matchers.some((m) => m.test(path)))?.name;
      memo.set(path, name);
      return name;
    };
    return {
      service,
      configured: true,
      paths,
      owner: (path) => {
        const name = serviceOf(path);
        if (name !== service) return undefined;
        return {
          glob: ordered.find((s) => s.name === service)!.matchers.find((m) => m.test(path))!.glob,
          source: SOURCE_CONFIG,
        };
      },
      serviceOf,
    };
  }
  const paths = service === undefined ? [] : inferServicePaths(service, hints, candidatePaths);
  const matchers = paths.flatMap((p) => {
    const test: PathTest | undefined = compileGlob(p.glob);
    return test ? [{ p, test }] : [];
  });
  return {
    service,
    configured: false,
    paths,
    owner: (path) => matchers.find((m) => m.test(path))?.p,
    serviceOf: (path) => (matchers.some((m) => m.test(path)) ? service : undefined),
  };
}
