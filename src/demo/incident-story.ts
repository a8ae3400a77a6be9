// The demo's second act, through the real code: the Action marks the checked deployment failed
// (findDeployment + markDeployment), Alertmanager's alert reaches the app's /alertmanager route, the
// app correlates against the bundled history (fetchHistory's GraphQL, rankSuspects) and opens the
// incident; a responder's `/ack` `/rollback` opens the revert PR; its merge and the resolved alert
// are recorded; `/resolve` `/postmortem` write the post-mortem. GitHub is the in-process stand-in.
// The app's clock is the story's, so the post-mortem's durations are those of the story.
import { Octokit } from "octokit";
import { AppEvents } from "../app/events.js";
import { parseRecord, type IncidentRecord } from "../core/incident/incident-record.js";
import type { GateReport } from "../core/gate/types.js";
import { deploymentState, findDeployment, markDeployment } from "../github/deployment-status.js";
import { startDemoApp, type DemoApp } from "./app-server.js";
import {
  STANDIN_INSTALLATION_TOKEN,
  startGithubStandin,
  type GithubStandin,
  type StandinIssue,
  type StandinPull,
} from "./github-standin.js";
import type { SimRepo } from "./repo-history.js";
import { alertmanagerPayload, issueCommentPayload, mergedPullPayload, type AlertSpec } from "./payloads.js";
import {
  STORY_DEPLOY_TIME,
  STORY_ENVIRONMENT,
  STORY_OWNER,
  STORY_REPO,
  STORY_REPO_CONFIG,
  STORY_SERVICE,
  checkedDeployment,
  storyRepo,
} from "./story-repo.js";

/** The responder: a collaborator with write access, as /rollback requires. */
export const RESPONDER = "maya-oncall";

/** Minutes after the deploy at which each step happens. */
const AT = {
  alertStarts: 2,
  alertDelivered: 3,
  ackAndRollback: 6,
  revertMerged: 14,
  alertResolved: 17,
  alertResolvedDelivered: 18,
  resolveAndPostmortem: 31,
} as const;

export interface Narrator {
  section(title: string): void;
  line(text?: string): void;
}

export interface StoryResult {
  deploymentId: number;
  incident: StandinIssue;
  /** The incident's record when it opened (suspects as ranked) and at the end. */
  opened: IncidentRecord;
  final: IncidentRecord;
  /** The body as the app opened the issue. */
  openedBody: string;
  rollbackPr: StandinPull;
  postmortem: { path: string; markdown: string; pr: StandinPull };
  /** The app's replies in the incident, in order. */
  replies: string[];
  /** Requests GitHub (the stand-in) answered. */
  githubRequests: number;
}

const at = (minutes: number) => new Date(Date.parse(STORY_DEPLOY_TIME) + minutes * 60_000);

export async function runIncidentStory(gate: GateReport, say: Narrator): Promise<StoryResult> {
  let clock = at(0);
  const now = () => clock;
  const history = storyRepo();
  const github = await startGithubStandin({
    owner: STORY_OWNER,
    repo: STORY_REPO,
    history,
    files: { ".github/aftershock.yml": STORY_REPO_CONFIG },
    collaborators: { [RESPONDER]: "write" },
    now,
  });
  let app: DemoApp | undefined;
  try {
    const deploymentId = await markCheckedDeployment(github, gate, history, say);
    app = await startDemoApp({ githubUrl: github.url, now, events: new AppEvents() });
    const repoIds = { owner: STORY_OWNER, repo: STORY_REPO };
    const alert: AlertSpec = {
      ...repoIds,
      alertname: "CheckoutErrorRate",
      service: STORY_SERVICE,
      environment: STORY_ENVIRONMENT,
      severity: "critical",
      summary: "checkout fails 7 % of requests (5xx ratio above 5 % for 2m)",
      startsAt: at(AT.alertStarts).toISOString(),
    };

    // ── The alert.
    say.section("2 · Alertmanager fires, the app opens the incident");
    clock = at(AT.alertDelivered);
    const delivery = await app.alert(alertmanagerPayload(alert));
    say.line(`${time(at(AT.alertStarts))}  ${alert.alertname} starts firing: ${alert.summary}`);
    say.line(
      `${time(clock)}  POST ${app.url}/alertmanager  →  HTTP ${delivery.status} ${JSON.stringify(delivery.json)}`,
    );
    const number = Number(delivery.json.issue);
    if (delivery.status !== 201 || !Number.isInteger(number)) {
      throw new Error(
        `the app did not open the incident: HTTP ${delivery.status} ${JSON.stringify(delivery.json)}\n${app.logs.join("")}`,
      );
    }
    const incident = issue(github, number);
    const openedBody = incident.body;
    const opened = record(incident);

    say.section("3 · Correlation: which change did it?");
    say.line(
      `The app read ${opened.deploys.length} deployment(s) of ${STORY_ENVIRONMENT} and the PRs they shipped (fetchHistory: GraphQL), and ranked them:`,
    );
    say.line();
    opened.suspects.forEach((s, i) => {
      say.line(`  ${i + 1}. #${s.number} ${s.title}  (by ${s.author}, score ${s.score.toFixed(2)})`);
      for (const r of s.reasons) say.line(`       · ${r}`);
    });
    say.line();
    say.line(`Incident #${incident.number}: ${incident.title}`);
    say.line(
      `  https://github.com/${STORY_OWNER}/${STORY_REPO}/issues/${incident.number}  [${incident.labels.join(", ")}]`,
    );

    // ── The response.
    say.section("4 · The response: /ack, /rollback, the revert merged, the alert resolves");
    clock = at(AT.ackAndRollback);
    await comment(app, github, incident, { id: 9_000_001, body: "/ack\n/rollback", at: clock });
    say.line(`${time(clock)}  @${RESPONDER} comments "/ack" and "/rollback"`);
    say.line(indent(incident.comments.at(-1) ?? "(no reply)"));
    const top = opened.suspects[0]?.number;
    const rollbackPr = github.pulls.find((p) => p.reverts === top);
    if (!rollbackPr)
      throw new Error(`no rollback PR was opened for #${top}: the app said ${incident.comments.at(-1)}`);
    say.line(
      `        revert PR #${rollbackPr.number} "${rollbackPr.title}" (${rollbackPr.head} → ${rollbackPr.base}, labels: ${rollbackPr.labels.join(", ")})`,
    );

    clock = at(AT.revertMerged);
    const merged = github.merge(rollbackPr.number);
    await app.webhook("pull_request", mergedPullPayload(repoIds, merged, RESPONDER));
    say.line(
      `${time(clock)}  @${RESPONDER} merges #${rollbackPr.number}; the redeploy ships the revert (pull_request.closed → mitigated)`,
    );

    clock = at(AT.alertResolvedDelivered);
    const resolved = await app.alert(
      alertmanagerPayload({ ...alert, endsAt: at(AT.alertResolved).toISOString() }),
    );
    say.line(
      `${time(at(AT.alertResolved))}  the error ratio is back under 5 %: Alertmanager sends "resolved" → HTTP ${resolved.status} (${String(resolved.json.outcome)})`,
    );

    say.section("5 · Resolve and write the post-mortem");
    clock = at(AT.resolveAndPostmortem);
    await comment(app, github, incident, {
      id: 9_000_002,
      body: `/resolve Rolled back #${top}; the orders index is being rebuilt offline\n/postmortem`,
      at: clock,
    });
    say.line(`${time(clock)}  @${RESPONDER} comments "/resolve …" and "/postmortem"`);
    say.line(indent(incident.comments.at(-1) ?? "(no reply)"));
    const final = record(incident);
    const path = final.response?.postmortem?.path;
    const pmPull = github.pulls.find((p) => p.number === final.response?.postmortem?.pr);
    const markdown = pmPull && path ? github.file(pmPull.head, path) : undefined;
    if (!path || !pmPull || markdown === undefined) {
      throw new Error(`the post-mortem PR was not opened: the app said ${incident.comments.at(-1)}`);
    }
    return {
      deploymentId,
      incident,
      opened,
      final,
      openedBody,
      rollbackPr,
      postmortem: { path, markdown, pr: pmPull },
      replies: [...incident.comments],
      githubRequests: github.requests.length,
    };
  } finally {
    await app?.stop();
    await github.close();
  }
}

/** What the Action does after its verdict: marks the deployment it checked (failure, here). */
async function markCheckedDeployment(
  github: GithubStandin,
  gate: GateReport,
  history: SimRepo,
  say: Narrator,
): Promise<number> {
  const octokit = new Octokit({
    auth: STANDIN_INSTALLATION_TOKEN,
    baseUrl: github.url,
    retry: { enabled: false },
    throttle: { enabled: false },
  });
  const target = checkedDeployment(history);
  const id = await findDeployment(octokit, {
    owner: STORY_OWNER,
    repo: STORY_REPO,
    sha: target.sha,
    environment: STORY_ENVIRONMENT,
  });
  if (id === null) throw new Error(`the stand-in has no deployment of ${target.sha}`);
  const state = deploymentState(gate.verdict, false) ?? "failure"; // the story's gate fails
  await markDeployment(
    octokit,
    { owner: STORY_OWNER, repo: STORY_REPO, deploymentId: id },
    {
      state,
      description: `aftershock: ${gate.verdict}${gate.severity ? ` (${gate.severity})` : ""}: ${gate.reason}`,
    },
  );
  say.line(
    `The Action marks deployment ${id} (${target.sha.slice(0, 7)}, ${STORY_ENVIRONMENT}) as "${state}".`,
  );
  return id;
}

async function comment(
  app: DemoApp,
  github: GithubStandin,
  incident: StandinIssue,
  comment: { id: number; body: string; at: Date },
) {
  const { id, body } = comment;
  await app.webhook(
    "issue_comment",
    issueCommentPayload(
      { owner: STORY_OWNER, repo: STORY_REPO },
      { number: incident.number, title: incident.title, body: incident.body },
      { id, body, login: RESPONDER, at: comment.at.toISOString() },
    ),
  );
  const reactions = github.reactions.filter((r) => r.commentId === id).map((r) => r.content);
  if (!reactions.includes("rocket")) {
    throw new Error(
      `the app did not finish "${body}" (reactions: ${reactions.join(", ") || "none"}): ${incident.comments.at(-1) ?? ""}`,
    );
  }
}

function issue(github: GithubStandin, number: number): StandinIssue {
  const found = github.issues.find((i) => i.number === number);
  if (!found) throw new Error(`the app answered issue #${number}, but GitHub has no such issue`);
  return found;
}

function record(issue: StandinIssue): IncidentRecord {
  const r = parseRecord(issue.body);
  if (!r) throw new Error(`issue #${issue.number} has no incident record`);
  return r;
}

const time = (d: Date) => d.toISOString().slice(11, 16);
const indent = (text: string) =>
  text
    .split("\n")
    .map((l) => `        │ ${l}`)
    .join("\n");
