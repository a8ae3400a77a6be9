// Reads the culprit dataset (shared/datasets/culprit-dev: real reverts, one file per repository)
// into the view a ranker may see, through the same parsing and validation as
// `aftershock suspects --input`, with the truth kept aside. Shared by fit-suspects and bench:culprit.

import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { CorrelationCase } from "../src/core/suspects/correlation-types.js";
import { parseCase } from "../src/cli/suspects.js";

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
