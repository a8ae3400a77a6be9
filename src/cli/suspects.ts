// `aftershock suspects`: rank the merged PRs most likely to have caused an alert, from a case file
// (offline, replayable) or straight from GitHub. Thin: parsing and printing only; the ranking is
// src/core/suspects/scoring.ts and the fetching src/github/history.ts.

import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { ConfigError, errorMessage } from "../core/errors.js";
import type { CorrelationCase } from "../core/suspects/correlation-types.js";
import {
  CaseValidationError,
  DEFAULT_LOOKBACK_SECONDS,
  formatAge,
  rankSuspects,
  validateCase,
  type ScoredSuspect,
} from "../core/suspects/scoring.js";
import { fetchHistory } from "../github/history.js";
import { cliOctokit, githubToken, reportFailure } from "./io.js";

export interface SuspectsIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
}

const HELP = `Usage:
  aftershock suspects --input case.json [--format text|json]
  aftershock suspects --repo owner/name --environment E --at ISO [--service S] [--paths GLOB ...]
                      [--lookback-hours H] [--github-url URL] [--format text|json]

Ranks the merged PRs deployed before an alert, most likely culprit first, with the reasons for each.
The score is the chance (0..1) that the PR is the culprit (also given as confidence). The chances of
one alert sum to less than 1: the rest is "no listed PR caused it", so a lone suspect is not certain.

Options:
  --input FILE          a case file: { alert, deployments, pulls, config, hints } (offline); the
                        culprit dataset's { alert, deployments, candidates, serviceMap } works too
  --repo OWNER/NAME     fetch deployments and PRs from GitHub (needs GITHUB_TOKEN or GH_TOKEN in the environment)
  --environment E       the deployment environment the alert fired in
  --at ISO              when the alert started, e.g. 2024-05-01T12:00:00Z
  --service S           the alerting service (its paths are inferred when --paths is not given)
  --paths GLOB          a path glob of the service; repeat for more
  --lookback-hours H    how far before the alert to look for deployments (default 24)
  --github-url URL      GitHub API URL, for GitHub Enterprise (default https://api.github.com)
  --format text|json    output format (default text)
  --help                show this help

Exit codes: 0 ok, 1 GitHub or runtime failure, 2 usage or input error.`;

const OPTIONS = {
  input: { type: "string" },
  repo: { type: "string" },
  environment: { type: "string" },
  at: { type: "string" },
  service: { type: "string" },
  paths: { type: "string", multiple: true },
  "lookback-hours": { type: "string" },
  "github-url": { type: "string", default: "https://api.github.com" },
  format: { type: "string", default: "text" },
  help: { type: "boolean", default: false },
} as const;

export async function runSuspects(argv: string[], io: SuspectsIO): Promise<number> {
  try {
    const { values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: OPTIONS });
    if (values.help) {
      io.stdout(HELP + "\n");
      return 0;
    }
    const format = values.format;
    if (format !== "text" && format !== "json")
      throw new ConfigError(`--format must be text or json, got "${format}"`);

    let c: CorrelationCase;
    if (values.input !== undefined) {
      if (values.repo !== undefined) throw new ConfigError("use either --input or --repo, not both");
      c = await readCase(values.input);
    } else if (values.repo !== undefined) {
      c = await fetchCase(values, io.env);
    } else {
      throw new ConfigError(
        "give --input case.json, or --repo owner/name with --environment and --at (see --help)",
      );
    }

    const suspects = rankSuspects(c);
    io.stdout(format === "json" ? renderJson(suspects) : renderText(c, suspects));
    return 0;
  } catch (err) {
    return reportFailure("suspects", err, io, {
      secret: githubToken(io.env),
      argv,
      flags: Object.keys(OPTIONS),
    });
  }
}

async function readCase(path: string): Promise<CorrelationCase> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new ConfigError(
      `cannot read --input ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
  return parseCase(text, path);
}

/** A case file's text, parsed and validated; `source` names it in errors. The benchmark uses it too. */
export function parseCase(text: string, source: string): CorrelationCase {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`--input ${source} is not valid JSON: ${errorMessage(err)}`);
  }
  try {
    return validateCase(json);
  } catch (err) {
    if (err instanceof CaseValidationError) throw new ConfigError(`${source}: ${err.message}`);
    throw err;
  }
}

interface OnlineFlags {
  repo?: string;
  environment?: string;
  at?: string;
  service?: string;
  paths?: string[];
  "lookback-hours"?: string;
  "github-url"?: string;
}

async function fetchCase(values: OnlineFlags, env: NodeJS.ProcessEnv): Promise<CorrelationCase> {
  const [owner, repo, ...rest] = (values.repo ?? "").split("/");
  if (!owner || !repo || rest.length > 0)
    throw new ConfigError(`--repo must be owner/name, got "${values.repo}"`);
  if (!values.environment) throw new ConfigError("--environment is required with --repo");
  if (!values.at) throw new ConfigError("--at is required with --repo (when the alert started, ISO 8601)");
  const at = new Date(values.at);
  if (Number.isNaN(at.getTime())) throw new ConfigError(`--at must be an ISO 8601 date, got "${values.at}"`);
  const hours =
    values["lookback-hours"] === undefined
      ? DEFAULT_LOOKBACK_SECONDS / 3600
      : Number(values["lookback-hours"]);
  if (!Number.isFinite(hours) || hours <= 0) {
    throw new ConfigError(`--lookback-hours must be a positive number, got "${values["lookback-hours"]}"`);
  }
  if (values.paths?.length && !values.service)
    throw new ConfigError("--paths needs --service (the service they belong to)");
  const octokit = cliOctokit(env, values["github-url"], "read the repository");
  const lookbackSeconds = hours * 3600;
  const history = await fetchHistory(octokit, {
    owner,
    repo,
    environment: values.environment,
    since: new Date(at.getTime() - lookbackSeconds * 1000),
    until: at,
  });
  const labels: Record<string, string> = { environment: values.environment };
  if (values.service) labels.service = values.service;
  const config: CorrelationCase["config"] = { lookbackSeconds };
  if (values.service && values.paths?.length) config.services = { [values.service]: values.paths };
  return {
    alert: { startsAt: at.toISOString(), labels },
    deployments: history.deployments,
    pulls: history.pulls,
    config,
  };
}

function renderJson(suspects: ScoredSuspect[]): string {
  return JSON.stringify({ suspects }, null, 2) + "\n";
}

function renderText(c: CorrelationCase, suspects: ScoredSuspect[]): string {
  const labels = c.alert.labels;
  const where = [
    labels.service && `service ${labels.service}`,
    labels.environment && `environment ${labels.environment}`,
  ]
    .filter(Boolean)
    .join(", ");
  const head = `Suspects for ${labels.alertname ?? "the alert"}${where ? ` (${where})` : ""} starting ${c.alert.startsAt}`;
  if (suspects.length === 0) {
    const lookback = (c.config?.lookbackSeconds ?? DEFAULT_LOOKBACK_SECONDS) * 1000;
    return `${head}\nNo merged PRs were deployed in the ${formatAge(lookback)} before the alert.\n`;
  }
  const rows = suspects.map((s, i) => [
    String(i + 1),
    `#${s.number}`,
    s.score.toFixed(3),
    String(s.deploymentId),
    s.author,
    oneLine(s.title, 60),
  ]);
  const header = ["rank", "PR", "score", "deploy", "author", "title"];
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((r) => (r[col] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, col) => cell.padEnd(widths[col] ?? 0))
      .join("  ")
      .trimEnd();
  const out = [head, "", line(header)];
  suspects.forEach((s, i) => {
    out.push(line(rows[i] ?? []));
    for (const reason of s.reasons) out.push(`${" ".repeat(6)}- ${reason}`);
  });
  return out.join("\n") + "\n";
}

/** Titles come from PR authors: one line, bounded, no control characters. */
function oneLine(s: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
