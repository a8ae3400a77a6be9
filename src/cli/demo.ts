// `aftershock demo`: the whole story offline, without credentials, through the real code: the deploy
// gate on the bundled scenarios, the alert that follows into the app (a Probot server on 127.0.0.1),
// correlation against a bundled repository history, the incident, the rollback PR and the
// post-mortem. GitHub is an in-process stand-in (src/demo/github-standin.ts). It prints the story
// and saves what the app wrote as markdown files.
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { renderSummary } from "../core/gate/render-summary.js";
import { renderText } from "../core/gate/render-text.js";
import { computeResponseMetrics } from "../core/incident/response-metrics.js";
import { readResponseState } from "../core/incident/response-state.js";
import { STORY_SCENARIO, gateScenarios, type ScenarioRun } from "../demo/gate-step.js";
import { runIncidentStory, type Narrator, type StoryResult } from "../demo/incident-story.js";
import { EXIT, explainParseError, type CliIo } from "./io.js";
import { errorMessage } from "../core/errors.js";

export const DEMO_HELP = `Usage: aftershock demo [--out DIR] [--quiet]

Runs the whole story offline in a few seconds, with no credentials and no network beyond 127.0.0.1:
the deploy gate on the bundled scenarios, the Alertmanager alert that follows, the app's
correlation against a bundled repository history, the incident issue, the rollback PR and the
post-mortem. GitHub is an in-process stand-in; everything else is aftershock's real code.

  --out DIR    where to save the markdown the run wrote (default ./aftershock-demo)
  --quiet      print only the files written
  -h, --help   this help
`;

/** examples/ next to src/ or dist/, whichever this file runs from. */
export function examplesDir(): string {
  return join(
    dirname(fileURLToPath(import.meta.url)),
    "..",
    ...(import.meta.url.includes("/src/") ? [".."] : []),
    "examples",
  );
}

export interface DemoFiles {
  gateSummary: string;
  incident: string;
  rollbackPr: string;
  postmortem: string;
}

export async function runDemo(argv: string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { out: { type: "string" }, quiet: { type: "boolean" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    const message = explainParseError(err as Error, ["out", "quiet", "help"]);
    io.stderr(`aftershock demo: ${message.replace(/ \(see --help\)$/, "")} (see aftershock demo --help)\n`);
    return EXIT.usage;
  }
  if (values.help) {
    io.stdout(DEMO_HELP);
    return EXIT.pass;
  }
  const out = resolve(values.out ?? "aftershock-demo");
  const print = values.quiet ? () => {} : io.stdout;
  const say: Narrator = {
    section: (title) => print(`\n━━ ${title} ${"━".repeat(Math.max(3, 72 - title.length))}\n`),
    line: (text = "") => print(`${text}\n`),
  };
  try {
    const started = performance.now();
    print(
      "aftershock demo: a deploy, the incident it causes and the response, through the real code.\n" +
        "GitHub is an in-process stand-in on 127.0.0.1; no credentials, no network.\n",
    );
    say.section("1 · The deploy gate (the Action's engine on the bundled scenarios, replayed)");
    const runs = await gateScenarios(join(examplesDir(), "scenarios"));
    for (const run of runs) say.line(scenarioLine(run));
    const story = runs.find((r) => r.name === STORY_SCENARIO);
    if (!story) throw new Error(`the bundled scenario ${STORY_SCENARIO}.json is missing`);
    say.line();
    say.line(`${story.name}: ${story.description}  →  exit ${EXIT[story.report.verdict]}`);
    say.line(renderText(story.report).trimEnd());
    say.line();

    const result = await runIncidentStory(story.report, say);
    const files = writeFiles(out, story.report, result);
    narrateEnd(say, result, files, out, performance.now() - started);
    if (values.quiet) for (const f of Object.values(files)) io.stdout(`${f}\n`);
    return EXIT.pass;
  } catch (err) {
    io.stderr(`aftershock demo failed: ${errorMessage(err)}\n`);
    return EXIT.usage;
  }
}

function scenarioLine(run: ScenarioRun): string {
  const r = run.report;
  const verdict = `${r.verdict.toUpperCase()}${r.severity ? ` (${r.severity})` : ""}`;
  const chart = r.checks[0] ? sparklineOf(r) : "";
  return `  ${run.name.padEnd(20)} ${verdict.padEnd(13)} exit ${EXIT[r.verdict]}  ${chart}`;
}

/** The chart line of renderText, for the one-line summary of a scenario. */
function sparklineOf(report: ScenarioRun["report"]): string {
  const line = renderText(report)
    .split("\n")
    .find((l) => l.includes("│"));
  return line ? line.trim() : "";
}

function writeFiles(out: string, gate: ScenarioRun["report"], r: StoryResult): DemoFiles {
  mkdirSync(out, { recursive: true });
  const write = (name: string, text: string) => {
    const path = join(out, name);
    writeFileSync(path, text.endsWith("\n") ? text : `${text}\n`);
    return path;
  };
  const pull = r.rollbackPr;
  return {
    gateSummary: write("gate-summary.md", renderSummary(gate)),
    incident: write(`incident-${r.incident.number}.md`, `# ${r.incident.title}\n\n${r.incident.body}`),
    rollbackPr: write(
      `rollback-pr-${pull.number}.md`,
      `# ${pull.title}\n\n<sub>#${pull.number} · ${pull.head} → ${pull.base}${pull.draft ? " · draft" : ""} · labels: ${pull.labels.join(", ")}</sub>\n\n${pull.body}`,
    ),
    postmortem: write(basename(r.postmortem.path), r.postmortem.markdown),
  };
}

function narrateEnd(say: Narrator, r: StoryResult, files: DemoFiles, out: string, ms: number): void {
  const metrics = computeResponseMetrics(r.final, readResponseState(r.final));
  const f = metrics.formatted;
  say.line(
    `Post-mortem PR #${r.postmortem.pr.number} "${r.postmortem.pr.title}" adds ${r.postmortem.path} on ${r.postmortem.pr.head}`,
  );
  say.line(
    `Time to detect ${f.detect ?? "–"} · acknowledge ${f.acknowledge ?? "–"} · mitigate ${f.mitigate ?? "–"} · resolve ${f.resolve ?? "–"}`,
  );

  say.section("6 · Files written");
  const rel = (p: string) => relative(process.cwd(), p) || p;
  say.line(`  ${rel(files.gateSummary)}  the Action's job summary for the deploy check`);
  say.line(`  ${rel(files.incident)}  incident #${r.incident.number}: the issue as the app left it`);
  say.line(`  ${rel(files.rollbackPr)}  the revert PR for #${r.opened.suspects[0]?.number}`);
  say.line(`  ${rel(files.postmortem)}  the post-mortem draft (${r.postmortem.path} in the PR)`);
  say.line();
  say.line(
    `Done in ${(ms / 1000).toFixed(1)} s; the GitHub stand-in answered ${r.githubRequests} requests. Output in ${rel(out)}/`,
  );
}
