// `aftershock report`: the learning report over a period, from a file of incidents (offline) or from
// the repository's incident issues on GitHub, as markdown or JSON; `--publish` opens or updates the
// period's report issue. Thin: the numbers are src/core/learning/report.ts, the fetching
// src/github/incident-history.ts.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { ConfigError, errorMessage } from "../core/errors.js";
import type { Octokit } from "octokit";
import { parseDuration } from "../core/text/duration.js";
import { IncidentRecordSchema } from "../core/incident/incident-record.js";
import {
  computeReport,
  isEmptyReport,
  type DeployCheck,
  type LearningReport,
  type ReportIncident,
} from "../core/learning/report.js";
import { renderReport } from "../core/learning/render-report.js";
import { listActionItemStates, listDeployChecks, listIncidentHistory } from "../github/incident-history.js";
import { periodKey, upsertReportIssue } from "../github/report-issue.js";
import { cliOctokit, githubToken, reportFailure, type CliIo } from "./io.js";

const HELP = `Usage:
  aftershock report --repo owner/name [--since 30d] [--until ISO] [--format markdown|json]
                    [--label incident] [--deployments] [--publish [--publish-empty]] [--github-url URL]
  aftershock report --input incidents.json [--since 30d|ISO] [--until ISO] [--format markdown|json]

What the period's incidents teach: counts by severity, service and cause, time to acknowledge and to
resolve (median, mean, week by week), deploys the gate checked and stopped, files that keep turning up
in culprit PRs, open action items and recurring errors.

Options:
  --repo OWNER/NAME   read the incident issues from GitHub (needs GITHUB_TOKEN or GH_TOKEN in the environment)
  --input FILE        offline: { "incidents": [{ number, url, state, record }], "deployChecks"?: [...],
                      "actionItemStates"?: { "<issue>": "open"|"closed" } } (or just the array)
  --since D|ISO       start of the period: a duration back from --until (30d, 2w) or a date (default 30d)
  --until ISO         end of the period (default now)
  --format F          markdown (default) or json
  --label L           the incident label (default incident)
  --deployments       also count deploy checks recorded as deployment statuses (one more request per 100)
  --publish           open or update the period's report issue (with --repo; needs issues write)
  --publish-empty     with --publish, open the issue even when the period had no incident, no deploy
                      check and no open action item (skipped by default)
  --github-url URL    GitHub API URL, for GitHub Enterprise (default https://api.github.com)
  --help              show this help

Exit codes: 0 ok, 1 GitHub or runtime failure, 2 usage or input error.`;

const OPTIONS = {
  repo: { type: "string" },
  input: { type: "string" },
  since: { type: "string", default: "30d" },
  until: { type: "string" },
  format: { type: "string", default: "markdown" },
  label: { type: "string", default: "incident" },
  deployments: { type: "boolean", default: false },
  publish: { type: "boolean", default: false },
  "publish-empty": { type: "boolean", default: false },
  "github-url": { type: "string", default: "https://api.github.com" },
  help: { type: "boolean", default: false },
} as const;

interface Loaded {
  incidents: ReportIncident[];
  deployChecks?: DeployCheck[];
  actionItemStates?: Record<number, "open" | "closed">;
}

export async function runReport(
  argv: string[],
  io: CliIo,
  now: () => Date = () => new Date(),
): Promise<number> {
  try {
    const { values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: OPTIONS });
    if (values.help) {
      io.stdout(HELP + "\n");
      return 0;
    }
    const format = values.format;
    if (format !== "markdown" && format !== "json")
      throw new ConfigError(`--format must be markdown or json, got "${format}"`);
    const until = values.until === undefined ? now() : parseDate(values.until, "--until");
    const since = parseSince(values.since, until);
    if (values.input !== undefined && values.repo !== undefined)
      throw new ConfigError("use either --input or --repo, not both");
    if (values.publish && values.repo === undefined) throw new ConfigError("--publish needs --repo");

    let loaded: Loaded;
    let octokit: Octokit | undefined;
    let repoRef: { owner: string; repo: string } | undefined;
    if (values.input !== undefined) {
      loaded = await readInput(values.input);
    } else if (values.repo !== undefined) {
      repoRef = parseRepo(values.repo);
      octokit = cliOctokit(io.env, values["github-url"], "read the repository's issues");
      loaded = await fetchInput(octokit, repoRef, {
        since,
        label: values.label,
        deployments: values.deployments,
      });
    } else {
      throw new ConfigError("give --repo owner/name, or --input incidents.json (see --help)");
    }

    const report = computeReport({ ...loaded, since, until });
    const markdown = renderReport(report);
    io.stdout(format === "json" ? JSON.stringify(report, null, 2) + "\n" : markdown);

    if (values.publish && isEmptyReport(report) && !values["publish-empty"]) {
      io.stderr(
        "aftershock report: nothing to report in the period; no issue opened (--publish-empty to open one)\n",
      );
    } else if (values.publish && octokit && repoRef) {
      const result = await upsertReportIssue(
        octokit,
        { ...repoRef, period: periodKey(since, until) },
        { title: reportTitle(report), body: markdown },
      );
      io.stderr(`aftershock report: ${result.created ? "opened" : "updated"} ${result.url}\n`);
    }
    return 0;
  } catch (err) {
    return reportFailure("report", err, io, {
      secret: githubToken(io.env),
      argv,
      flags: Object.keys(OPTIONS),
    });
  }
}

export function reportTitle(report: LearningReport): string {
  return `Incident report ${report.period.since.slice(0, 10)} to ${report.period.until.slice(0, 10)}`;
}

function parseDate(text: string, what: string): Date {
  const d = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(d.getTime()))
    throw new ConfigError(`${what} must be an ISO 8601 date like 2024-05-01T00:00:00Z, got "${text}"`);
  return d;
}

/** A duration back from `until` (30d, 2w, 12h) or an ISO date. */
function parseSince(text: string, until: Date): Date {
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) return parseDate(text, "--since");
  let seconds: number;
  try {
    seconds = parseDuration(text, "--since");
  } catch (err) {
    throw new ConfigError(`${errorMessage(err)}, or an ISO 8601 date`);
  }
  return new Date(until.getTime() - seconds * 1000);
}

function parseRepo(text: string): { owner: string; repo: string } {
  const [owner, repo, ...rest] = text.split("/");
  if (!owner || !repo || rest.length > 0) throw new ConfigError(`--repo must be owner/name, got "${text}"`);
  return { owner, repo };
}

async function fetchInput(
  octokit: Octokit,
  ref: { owner: string; repo: string },
  opts: { since: Date; label: string | undefined; deployments: boolean },
): Promise<Loaded> {
  const history = await listIncidentHistory(octokit, { ...ref, since: opts.since, label: opts.label });
  const loaded: Loaded = { incidents: history.incidents };
  // Only worth a request when some action item has an issue whose state matters.
  const filed = history.incidents.some((i) =>
    i.record.response?.actionItems?.some((a) => a.issue !== undefined),
  );
  if (filed) loaded.actionItemStates = (await listActionItemStates(octokit, ref)).states;
  if (opts.deployments)
    loaded.deployChecks = (await listDeployChecks(octokit, { ...ref, since: opts.since })).checks;
  return loaded;
}

async function readInput(path: string): Promise<Loaded> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ConfigError(
      e.code ? `cannot read --input ${path}: ${e.code}` : `--input ${path} is not valid JSON: ${e.message}`,
    );
  }
  const root = (Array.isArray(json) ? { incidents: json } : json) as {
    incidents?: unknown;
    deployChecks?: unknown;
    actionItemStates?: unknown;
  };
  if (!Array.isArray(root?.incidents))
    throw new ConfigError(`${path}: expected { "incidents": [...] } or an array of incidents`);
  const incidents = root.incidents.map((raw, i) => readIncident(raw, `${path}: incidents[${i}]`));
  const loaded: Loaded = { incidents };
  if (Array.isArray(root.deployChecks)) loaded.deployChecks = root.deployChecks as DeployCheck[];
  if (root.actionItemStates && typeof root.actionItemStates === "object")
    loaded.actionItemStates = root.actionItemStates as Record<number, "open" | "closed">;
  return loaded;
}

function readIncident(raw: unknown, where: string): ReportIncident {
  const item = raw as { number?: unknown; url?: unknown; state?: unknown; record?: unknown } | null;
  if (typeof item?.number !== "number") throw new ConfigError(`${where}.number: expected the issue number`);
  const parsed = IncidentRecordSchema.safeParse(item.record);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ConfigError(
      `${where}.record.${first?.path.join(".") ?? ""}: ${first?.message ?? "not a record"}`,
    );
  }
  return {
    number: item.number,
    url: typeof item.url === "string" ? item.url : "",
    state: item.state === "closed" ? "closed" : "open",
    record: parsed.data,
  };
}
