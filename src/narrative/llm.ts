// A drafted narrative for a post-mortem (executive summary and contributing factors) from an
// OpenAI-compatible chat-completions endpoint. Optional and never in the way: any failure, timeout or
// unusable answer gives null and one warning, and the post-mortem is written without a draft. The
// model sees a compact JSON of the incident only: no author names, @mentions, URLs or secrets; the
// API key goes in one header and never into a log line.
import type { IncidentRecord } from "../core/incident/incident-record.js";
import { actorRole, scrubMentions, type ResponseMetrics } from "../core/incident/response-metrics.js";
import { readResponseState } from "../core/incident/response-state.js";

export interface NarrativeSettings {
  /** Base URL; the request goes to `<url>/chat/completions` (e.g. https://api.openai.com/v1). */
  url: string;
  model: string;
  apiKey?: string;
  /** Default 15 000. */
  timeoutMs?: number;
}

export interface Narrative {
  summary: string;
  factors: string[];
  drafted: true;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export const DEFAULT_NARRATIVE_TIMEOUT_MS = 15_000;
const MAX_SUMMARY = 3000;
const MAX_FACTORS = 8;
const MAX_FACTOR = 400;

export const SYSTEM_PROMPT = [
  "You write blameless incident post-mortems for software teams.",
  "From the incident data in the user message ONLY, write a short executive summary (3 to 5 sentences:",
  "what happened, the impact, how it was detected and mitigated) and the contributing factors.",
  "Do not invent facts, numbers, causes or people; if something is unknown, say it is unknown.",
  "Blameless: name systems, changes and pull requests by number, never people.",
  'Answer with a JSON object only: {"summary": string, "factors": [string, ...]}.',
].join(" ");

/**
 * Settings from LLM_API_URL, LLM_MODEL and LLM_API_KEY (and LLM_TIMEOUT_MS); null when the URL or
 * model is not set, which means "no drafting".
 */
export function narrativeSettingsFromEnv(env: NodeJS.ProcessEnv): NarrativeSettings | null {
  const url = env.LLM_API_URL?.trim();
  const model = env.LLM_MODEL?.trim();
  if (!url || !model) return null;
  const settings: NarrativeSettings = { url, model };
  if (env.LLM_API_KEY) settings.apiKey = env.LLM_API_KEY;
  const timeout = Number(env.LLM_TIMEOUT_MS);
  if (env.LLM_TIMEOUT_MS && Number.isFinite(timeout) && timeout > 0) settings.timeoutMs = timeout;
  return settings;
}

/** What the model is told: the incident without people, links or secrets, bounded. */
export function compactIncident(record: IncidentRecord, metrics?: ResponseMetrics): Record<string, unknown> {
  const response = readResponseState(record);
  const t = (s: string | undefined, max = 300) =>
    s === undefined ? undefined : scrubMentions(s).slice(0, max);
  return {
    name: t(record.name, 200),
    severity: record.severity,
    service: t(record.service, 100),
    environment: t(record.environment, 100),
    source: record.source,
    status: record.status,
    openedAt: record.openedAt,
    alerts: Object.values(record.fingerprints)
      .slice(0, 20)
      .map((a) => ({
        alertname: t(a.alertname, 100),
        status: a.status,
        summary: t(a.summary),
        startsAt: a.startsAt,
        endsAt: a.endsAt,
      })),
    deploys: record.deploys.slice(0, 10).map((d) => ({
      id: d.id,
      sha: d.sha.slice(0, 12),
      environment: d.environment,
      createdAt: d.createdAt,
      status: d.status,
    })),
    suspects: record.suspects.slice(0, 5).map((s) => ({
      pr: s.number,
      title: t(s.title, 200),
      score: s.score,
      reasons: s.reasons.slice(0, 8).map((r) => t(r, 200)),
    })),
    timeline: record.timeline.slice(-40).map((e) => ({
      at: e.at,
      by: actorRole(e.actor),
      kind: e.kind,
      text: t(e.text, 200),
    })),
    response: {
      acknowledgedAt: response.acknowledgedAt,
      mitigatedAt: response.mitigatedAt,
      resolvedAt: response.resolvedAt,
      resolution: t(response.resolution, 500),
      rootCause: response.rootCause,
      rollbacks: response.rollbacks.map((r) => ({ pr: r.pr, state: r.state, at: r.at })),
      actionItems: response.actionItems.slice(0, 10).map((a) => t(a.text, 200)),
    },
    metrics: metrics ? { milestones: metrics.milestones, durations: metrics.formatted } : undefined,
  };
}

/**
 * A drafted summary and contributing factors, or null on any failure (logged once through `warn`,
 * without the key). `drafted: true` marks it for review in the post-mortem.
 */
export async function draftNarrative(
  input: { record: IncidentRecord; metrics?: ResponseMetrics },
  settings: NarrativeSettings,
  fetchImpl: FetchLike = fetch,
  warn: (message: string) => void = (m) => console.warn(m),
): Promise<Narrative | null> {
  const fail = (why: string): null => {
    const message = `aftershock: no drafted narrative (${why}); the post-mortem is written without one`;
    warn(settings.apiKey ? message.split(settings.apiKey).join("***") : message);
    return null;
  };
  let endpoint: string;
  try {
    endpoint = new URL(`${settings.url.replace(/\/+$/, "")}/chat/completions`).href;
  } catch {
    return fail("LLM_API_URL is not a URL");
  }
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;
  const body = JSON.stringify({
    model: settings.model,
    temperature: 0.2,
    response_format: { type: "json_object" },
    messages: [
      { role: "system", content: SYSTEM_PROMPT },
      { role: "user", content: JSON.stringify(compactIncident(input.record, input.metrics)) },
    ],
  });
  const timeoutMs = settings.timeoutMs ?? DEFAULT_NARRATIVE_TIMEOUT_MS;
  let res: Response;
  let text: string;
  try {
    res = await fetchImpl(endpoint, {
      method: "POST",
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await res.text();
  } catch (err) {
    const e = err as Error & { cause?: { code?: unknown } };
    if (e.name === "TimeoutError" || e.name === "AbortError") return fail(`no answer within ${timeoutMs} ms`);
    // Only the error's name and code: fetch's messages can repeat the URL, and a URL can hold a
    // password or a key in its query (LLM_API_URL=https://user:key@host/v1).
    const code = typeof e.cause?.code === "string" ? ` (${e.cause.code})` : "";
    return fail(`request failed: ${e.name}${code}`);
  }
  if (!res.ok) return fail(`the endpoint answered HTTP ${res.status}`);
  const parsed = parseNarrative(text);
  return parsed ?? fail("the answer was not the JSON asked for");
}

/** The narrative in a chat-completions response body, or null when it is not usable. */
export function parseNarrative(responseBody: string): Narrative | null {
  let content: unknown;
  try {
    const json = JSON.parse(responseBody) as { choices?: Array<{ message?: { content?: unknown } }> };
    content = json.choices?.[0]?.message?.content;
  } catch {
    return null;
  }
  if (typeof content !== "string") return null;
  // Some models wrap JSON in a code fence despite response_format.
  const unfenced = content
    .trim()
    .replace(/^```(?:json)?\s*/i, "")
    .replace(/\s*```$/, "");
  let answer: unknown;
  try {
    answer = JSON.parse(unfenced);
  } catch {
    return null;
  }
  if (typeof answer !== "object" || answer === null) return null;
  const { summary, factors } = answer as { summary?: unknown; factors?: unknown };
  if (typeof summary !== "string" || summary.trim() === "") return null;
  const list = Array.isArray(factors)
    ? factors
        .filter((f): f is string => typeof f === "string" && f.trim() !== "")
        .slice(0, MAX_FACTORS)
        .map((f) => f.trim().slice(0, MAX_FACTOR))
    : [];
  return { summary: summary.trim().slice(0, MAX_SUMMARY), factors: list, drafted: true };
}
