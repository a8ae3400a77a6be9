// Reads the culprit dataset (shared/datasets/culprit-dev: real reverts, one file per repository)
// into the view a ranker may see, through the same parsing and validation as
// `aftershock suspects --input`, with the truth kept aside. Shared by fit-suspects and bench:culprit.

import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { CorrelationCase } from "../src/core/suspects/correlation-types.js";
import { parseCase } from "../src/cli/suspects.js";
import { firstFiles } from "../src/core/learning/culprit-files.js";
import { DEFAULT_REPO_CONFIG, historyLookbackSeconds } from "../src/core/config/repo-config.js";

export const DEFAULT_CASES_DIR = "../shared/datasets/culprit-dev";

export interface DatasetCase {
  id: string;
  repo: string;
  truth: number;
  /** What `score.mjs --export-inputs` gives a ranker: no truth, no revert, no meta. */
  input: {
    id: string;
    repo: string;
    alert: unknown;
    deployments: unknown[];
    candidates: unknown[];
    serviceMap?: unknown;
  };
}

export async function loadDataset(dir: string): Promise<DatasetCase[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((f) => /^[\w.-]+-cases\.json$/.test(f)).sort();
  } catch (err) {
    throw new Error(`cannot read --cases ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
      cause: err,
    });
  }
  if (names.length === 0) throw new Error(`--cases ${dir} holds no *-cases.json files (see its README)`);
  const out: DatasetCase[] = [];
  for (const name of names) {
    const cases = JSON.parse(await readFile(join(dir, name), "utf8")) as Record<string, unknown>[];
    if (!Array.isArray(cases)) throw new Error(`${name}: expected an array of cases`);
    for (const c of cases) {
      const { id, repo, alert, deployments, candidates, serviceMap, truth } = c as DatasetCase["input"] & {
        truth: number;
      };
      if (typeof id !== "string" || typeof repo !== "string" || typeof truth !== "number")
        throw new Error(`${name}: a case lacks id, repo or truth`);
      out.push({ id, repo, truth, input: { id, repo, alert, deployments, candidates, serviceMap } });
    }
  }
  return out;
}

/** The case as `aftershock suspects --input` reads it, optionally without its service map. */
export function toCorrelationCase(c: DatasetCase, opts: { serviceMap: boolean }): CorrelationCase {
  const { serviceMap, ...rest } = c.input;
  const view = opts.serviceMap ? { ...rest, serviceMap } : rest;
  return parseCase(JSON.stringify(view), c.id);
}

/**
 * What the app would hand the ranker as `hints.pastCulpritFiles` for case `index` when the config
 * names no paths for the alert's service (app/pipeline/service-hints.ts → pastCulpritFiles): the
 * files of the culprits of the same repository's earlier incidents with the same service label,
 * newest incident first, deduplicated, at most MAX_PAST_CULPRIT_FILES (firstFiles, as pastCulpritFiles). An earlier case counts once
 * its culprit was confirmed before this alert: the dataset puts an alert at most 10 minutes before
 * its revert, so one whose alert came 10 minutes or more before this one. Only earlier cases' truths
 * are read, never this case's. Like the app, only incidents within the history look-back (the
 * config's `history.lookback`, 90 days by default) count.
 */
export function pastCulpritFilesFor(
  dataset: readonly DatasetCase[],
  index: number,
  lookbackMs = DEFAULT_HISTORY_LOOKBACK_MS,
): string[] {
  const c = dataset[index]!;
  const at = alertTime(c);
  const service = serviceLabel(c);
  if (service === undefined) return [];
  const earlier = dataset
    .filter(
      (e) =>
        e.repo === c.repo &&
        serviceLabel(e) === service &&
        alertTime(e) + 600_000 <= at &&
        alertTime(e) >= at - lookbackMs,
    )
    .sort((a, b) => alertTime(b) - alertTime(a));
  return firstFiles(
    earlier.map((e) => {
      const culprit = (e.input.candidates as { number: number; files: { path: string }[] }[]).find(
        (p) => p.number === e.truth,
      );
      return (culprit?.files ?? []).map((f) => f.path);
    }),
  );
}

/** The app's default `history.lookback` (90 days), over which past incidents are listed. */
export const DEFAULT_HISTORY_LOOKBACK_MS = historyLookbackSeconds(DEFAULT_REPO_CONFIG) * 1000;

/** The case with the past culprits' files as hints (see pastCulpritFilesFor), when there are any. */
export function withPastCulprits(
  c: CorrelationCase,
  dataset: readonly DatasetCase[],
  index: number,
  lookbackMs = DEFAULT_HISTORY_LOOKBACK_MS,
): CorrelationCase {
  const files = pastCulpritFilesFor(dataset, index, lookbackMs);
  return files.length === 0 ? c : { ...c, hints: { ...c.hints, pastCulpritFiles: files } };
}

function alertTime(c: DatasetCase): number {
  return Date.parse((c.input.alert as { startsAt: string }).startsAt);
}

function serviceLabel(c: DatasetCase): string | undefined {
  const service = (c.input.alert as { labels?: { service?: unknown } }).labels?.service;
  return typeof service === "string" ? service.trim().toLowerCase() : undefined;
}
