// Test harness for the incident response: the app loaded in a Probot with a generated key and no
// retries/throttling, webhook payloads from @octokit/webhooks-examples patched to an incident, and
// one nock interceptor per expected GitHub request (no persisted fakes), so `nock.isDone()` proves
// every request was made and disableNetConnect fails any request that was not expected.
import { generateKeyPairSync } from "node:crypto";
import { createRequire } from "node:module";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import nock from "nock";
import type { Logger } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { AppEvents, type AppEventMap, type AppEventName } from "../../../src/app/events.js";
import { createApp } from "../../../src/app/index.js";
import { InProcessKeyLock, type KeyLock } from "../../../src/app/lock.js";
import type { NarrativeSettings } from "../../../src/narrative/llm.js";
import type { IncidentRecord } from "../../../src/core/incident/incident-record.js";
import { parseRecord } from "../../../src/core/incident/incident-record.js";
import { incidentRecord as baseRecord } from "../../helpers/incident-record.js";
import {
  incidentLabels,
  incidentTitle,
  renderIncidentBody,
} from "../../../src/core/incident/render-incident.js";
import { DEFAULT_REPO_CONFIG } from "../../../src/core/config/repo-config.js";
import { readResponseState, type IncidentResponseState } from "../../../src/core/incident/response-state.js";
import { API, INSTALLATION_ID, OWNER, REPO } from "../helpers.js";

export { API, INSTALLATION_ID, OWNER, REPO };
export const REPO_PATH = `/repos/${OWNER}/${REPO}`;
export const ISSUE = 101;
export const COMMENT_ID = 5550001;
export const NOW = new Date("2024-05-01T12:30:00Z");
/** Who opens incident issues: the app itself (a bot account). */
export const APP_BOT = { login: "aftershock[bot]", type: "Bot" };

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  publicKeyEncoding: { type: "spki", format: "pem" },
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
});

// The package's main is a JSON file whose typings declare a default export; require reads it plainly.
const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as WebhookDefinition[];

export interface Loaded {
  probot: Probot;
  events: AppEvents;
  /** Every app event emitted, in order. */
  emitted: Array<{ name: AppEventName; event: unknown }>;
}

const RECORDED: AppEventName[] = [
  "command",
  "rollback",
  "incident.severity",
  "incident.resolved",
  "correlation",
];

/**
 * `narrative`: the post-mortem's LLM endpoint; none when the key is absent, whatever the environment
 * says; `{ narrative: undefined }` lets the app read LLM_* from the environment as in production.
 * `lock`: the app's lock (default: a fresh in-process one).
 */
export async function loadResponseApp(
  options: {
    narrative?: NarrativeSettings | null;
    log?: Logger;
    trustedAuthors?: string[];
    lock?: KeyLock;
  } = {},
): Promise<Loaded> {
  const probot = new Probot({
    appId: 1,
    privateKey,
    ...(options.log ? { log: options.log } : { logLevel: "fatal" as const }),
    Octokit: ProbotOctokit.defaults((o: object) => ({
      ...o,
      retry: { enabled: false },
      throttle: { enabled: false },
    })),
  });
  const events = new AppEvents();
  const emitted: Loaded["emitted"] = [];
  for (const name of RECORDED) events.on(name, (event) => void emitted.push({ name, event }));
  await probot.load(
    createApp({
      settings: {
        alertmanagerToken: "t",
        allowUnauthenticated: false,
        maxBodyBytes: 1024 * 1024,
        repositoryLabel: "repository",
        appSlug: "aftershock",
        trustedAuthors: options.trustedAuthors ?? [],
      },
      lock: options.lock ?? new InProcessKeyLock(),
      now: () => NOW,
      events,
      narrative: "narrative" in options ? options.narrative : null,
    }),
    { cwd: process.cwd(), addHandler: () => {} },
  );
  return { probot, events, emitted };
}

export function events<K extends AppEventName>(loaded: Loaded, name: K): AppEventMap[K][] {
  return loaded.emitted.filter((e) => e.name === name).map((e) => e.event as AppEventMap[K]);
}

export function incidentRecord(overrides: Partial<IncidentRecord> = {}): IncidentRecord {
  return baseRecord({
    fingerprints: {
      fp1: {
        status: "firing",
        alertname: "HighErrorRate",
        summary: "checkout fails",
        startsAt: "2024-05-01T12:03:00Z",
      },
    },
    deploys: [
      {
        id: 6,
        sha: "1111111111111111111111111111111111111111",
        environment: "production",
        createdAt: "2024-05-01T10:00:00Z",
        status: "inactive",
      },
      {
        id: 7,
        sha: "2222222222222222222222222222222222222222",
        environment: "production",
        createdAt: "2024-05-01T11:50:00Z",
        status: "success",
      },
    ],
    suspects: [
      {
        number: 42,
        title: "Add retries",
        author: "alice",
        url: "https://github.com/acme/shop/pull/42",
        deploymentId: 7,
        score: 0.81,
        reasons: [
          "deployed 13m before the alert (+0.32)",
          "touches risky paths: db/migrations/1.sql (+0.15)",
        ],
      },
    ],
    timeline: [{ at: "2024-05-01T12:04:00Z", actor: "alertmanager", kind: "opened", text: "Opened" }],
    openedAt: "2024-05-01T12:04:00Z",
    ...overrides,
  });
}

/** An incident issue on the fake GitHub: what GET returns, changed by PATCH. */
export class FakeIncident {
  number = ISSUE;
  body: string;
  title: string;
  labels: string[];
  state: "open" | "closed" = "open";
  /** The issue's author: the app unless a test says otherwise. */
  user: { login: string; type: string } = APP_BOT;
  patches: Array<Record<string, unknown>> = [];
  comments: string[] = [];

  constructor(record: IncidentRecord = incidentRecord()) {
    this.body = renderIncidentBody(record);
    this.title = incidentTitle(record);
    this.labels = incidentLabels(record, DEFAULT_REPO_CONFIG.labels);
  }

  get record(): IncidentRecord {
    const r = parseRecord(this.body);
    if (!r) throw new Error("the fake issue lost its incident block");
    return r;
  }

  get response(): IncidentResponseState {
    return readResponseState(this.record);
  }

  json() {
    return {
      number: this.number,
      html_url: `https://github.com/${OWNER}/${REPO}/issues/${this.number}`,
      title: this.title,
      body: this.body,
      state: this.state,
      labels: this.labels.map((name) => ({ name })),
      user: this.user,
    };
  }
}

/** Payload of an `issue_comment.created` delivery (a real example, patched). */
export function commentPayload(options: {
  body: string;
  issueBody: string;
  login?: string;
  userType?: string;
  commentId?: number;
  issueNumber?: number;
  /** The issue's author; default the app's bot. */
  issueAuthor?: { login: string; type: string };
  /** The GitHub App the comment was posted through, if any. */
  viaApp?: { id: number; slug: string };
}) {
  const definition = examples.find((e) => e.name === "issue_comment")!;
  const example = structuredClone(
    definition.examples.find((e) => "action" in e && e.action === "created" && "installation" in e)!,
  ) as unknown as Record<string, unknown> & {
    issue: { number: number; body: string | null; title: string; user: { login: string; type: string } };
    comment: {
      id: number;
      body: string;
      user: { login: string; type: string };
      performed_via_github_app?: unknown;
    };
    repository: { name: string; full_name: string; owner: { login: string } };
  };
  example.issue.number = options.issueNumber ?? ISSUE;
  example.issue.body = options.issueBody;
  example.issue.user = { ...example.issue.user, ...(options.issueAuthor ?? APP_BOT) };
  example.comment.id = options.commentId ?? COMMENT_ID;
  example.comment.body = options.body;
  example.comment.user.login = options.login ?? "oncall";
  example.comment.user.type = options.userType ?? "User";
  if (options.viaApp) example.comment.performed_via_github_app = options.viaApp;
  patchRepository(example);
  return example;
}

/** Payload of a `pull_request.closed` delivery with merged=true (a real example, patched). */
export function mergedPullPayload(options: {
  number: number;
  headRef: string;
  body: string;
  labels?: string[];
  mergeCommitSha?: string;
  /** The head branch is in a fork (another repository), or in none when the fork was deleted. */
  headRepo?: "fork" | "deleted";
}) {
  const definition = examples.find((e) => e.name === "pull_request")!;
  const example = structuredClone(
    definition.examples.find((e) => "action" in e && e.action === "closed")!,
  ) as unknown as Record<string, unknown> & {
    number: number;
    pull_request: Record<string, unknown> & {
      number: number;
      body: string | null;
      merged: boolean;
      merged_at: string | null;
      merge_commit_sha: string | null;
      html_url: string;
      head: { ref: string; repo: { id: number; full_name: string } | null };
      base: { repo: { id: number } };
      labels: Array<{ name: string }>;
    };
    repository: { name: string; full_name: string; owner: { login: string } };
  };
  example.number = options.number;
  const pr = example.pull_request;
  pr.number = options.number;
  pr.body = options.body;
  pr.merged = true;
  pr.merged_at = "2024-05-01T12:40:00Z";
  pr.merge_commit_sha = options.mergeCommitSha ?? "c4295bd74fb0f4fda03689c3df3f2803b658fd85";
  pr.html_url = `https://github.com/${OWNER}/${REPO}/pull/${options.number}`;
  pr.head.ref = options.headRef;
  if (options.headRepo === "fork")
    pr.head.repo = { ...pr.head.repo!, id: pr.base.repo.id + 1, full_name: `mallory/${REPO}` };
  if (options.headRepo === "deleted") pr.head.repo = null;
  pr.labels = (options.labels ?? []).map((name) => ({ name }));
  patchRepository(example);
  return example;
}

/**
 * Payload of a `deployment_status` delivery for a deployment /redeploy created (as the app, unless
 * `creator` says someone else made it with the same payload).
 */
export function redeployStatusPayload(
  state: string,
  incident = ISSUE,
  creator: { login: string; type: string } = APP_BOT,
) {
  const definition = examples.find((e) => e.name === "deployment_status")!;
  const example = structuredClone(
    definition.examples.find((e) => "deployment_status" in e)!,
  ) as unknown as Record<string, unknown> & {
    deployment: {
      id: number;
      payload: unknown;
      environment: string;
      creator: { login: string; type: string };
    };
    deployment_status: { state: string; created_at: string };
    repository: { name: string; full_name: string; owner: { login: string } };
  };
  example.deployment.id = 900;
  example.deployment.environment = "production";
  example.deployment.payload = { aftershock: { incident, reason: "rollback" } };
  example.deployment.creator = { ...example.deployment.creator, ...creator };
  example.deployment_status.state = state;
  example.deployment_status.created_at = "2024-05-01T12:45:00Z";
  patchRepository(example);
  return example;
}

function patchRepository(example: Record<string, unknown>): void {
  const repository = example.repository as { name: string; full_name: string; owner: { login: string } };
  repository.name = REPO;
  repository.full_name = `${OWNER}/${REPO}`;
  repository.owner.login = OWNER;
  example.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uOTk=" };
}

export async function deliver(
  loaded: Loaded,
  name: "issue_comment" | "pull_request" | "deployment_status",
  payload: unknown,
) {
  await loaded.probot.receive({ id: `delivery-${Math.random()}`, name, payload } as never);
  await loaded.events.idle();
}

// ---- expected GitHub requests, one interceptor each ----

export const github = () => nock(API);

/** The installation token: Probot asks once per app instance and caches it. */
export function mockToken(): void {
  github()
    .post(`/app/installations/${INSTALLATION_ID}/access_tokens`)
    .optionally()
    .times(10)
    .reply(201, { token: "ghs_test", expires_at: "2999-01-01T00:00:00Z", permissions: {} });
}

export function expectReaction(content: string, commentId = COMMENT_ID): nock.Scope {
  return github().post(`${REPO_PATH}/issues/comments/${commentId}/reactions`, { content }).reply(201, {});
}

export function expectPermission(login: string, permission: string, roleName = permission): nock.Scope {
  return github()
    .get(`${REPO_PATH}/collaborators/${login}/permission`)
    .reply(200, { permission, role_name: roleName, user: { login } });
}

export function expectConfig(yaml: string | null = null, optional = false): nock.Scope {
  return github()
    .get(/\/repos\/acme\/shop\/contents\/\.github(%2F|\/)aftershock\.yml/)
    .optionally(optional)
    .reply(() =>
      yaml === null
        ? [404, { message: "Not Found" }]
        : [200, { type: "file", encoding: "base64", content: Buffer.from(yaml).toString("base64") }],
    );
}

export function expectGetIssue(issue: FakeIncident): nock.Scope {
  return github()
    .get(`${REPO_PATH}/issues/${issue.number}`)
    .reply(() => [200, issue.json()]);
}

export function expectPatchIssue(issue: FakeIncident): nock.Scope {
  return github()
    .patch(`${REPO_PATH}/issues/${issue.number}`)
    .reply((_uri, body) => {
      const patch = body as Record<string, unknown>;
      issue.patches.push(patch);
      if (typeof patch.body === "string") issue.body = patch.body;
      if (typeof patch.title === "string") issue.title = patch.title;
      if (Array.isArray(patch.labels)) issue.labels = patch.labels as string[];
      if (patch.state === "open" || patch.state === "closed") issue.state = patch.state;
      return [200, issue.json()];
    });
}

export function expectComment(issue: FakeIncident): nock.Scope {
  return github()
    .post(`${REPO_PATH}/issues/${issue.number}/comments`)
    .reply((_uri, body) => {
      issue.comments.push((body as { body: string }).body);
      return [201, { id: 900 + issue.comments.length }];
    });
}

/**
 * The requests every command that runs makes: 👀, permission, config, re-read, write, reply, and the
 * closing reaction. Command-specific requests go between (set them up too).
 */
export function expectCommandRound(
  issue: FakeIncident,
  options: {
    login?: string;
    permission?: string;
    role?: string;
    write?: boolean;
    reply?: boolean;
    done?: boolean;
    commentId?: number;
  } = {},
): void {
  expectReaction("eyes", options.commentId);
  const permission = options.permission ?? "write";
  expectPermission(options.login ?? "oncall", permission, options.role);
  // The app caches the config for a minute: a later round in the same app may not read it again.
  expectConfig(null, true);
  // A reader's commands change nothing: they run on the payload's record, without re-reading it.
  const writes = ["admin", "maintain", "write"];
  if (writes.includes(permission) || writes.includes(options.role ?? "")) expectGetIssue(issue);
  if (options.write ?? true) expectPatchIssue(issue);
  if (options.reply ?? true) expectComment(issue);
  expectReaction(options.done === false ? "confused" : "rocket", options.commentId);
}

/** nock's pending interceptors, for a readable failure. */
export function pending(): string[] {
  return nock.pendingMocks();
}
