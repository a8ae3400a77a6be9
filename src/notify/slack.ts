// Slack incoming webhook messages for incidents: a `text` fallback (notifications, screen readers)
// and Block Kit blocks. Alert and commit text is untrusted: it is escaped so it can neither ping a
// channel (`<!channel>`, `@here`, `<@U123>`) nor forge a link.
import { defuseMentions, truncate } from "../core/text/markdown.js";
import type { PostOptions, PostResult } from "./http.js";
import { postJson } from "./http.js";
import type { Channel, IncidentNotice } from "./types.js";

// Bidi overrides and other invisible controls can make text read differently than it is.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g;

/** Slack's limits: header text 150 characters, a section field 2000, a section 3000. */
const HEADER_MAX = 150;
const FIELD_MAX = 200;
const SUSPECTS_SHOWN = 3;

export interface SlackText {
  type: "plain_text" | "mrkdwn";
  text: string;
  emoji?: boolean;
  verbatim?: boolean;
}

export interface SlackBlock {
  type: "header" | "section" | "context";
  text?: SlackText;
  fields?: SlackText[];
  elements?: SlackText[];
}

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/**
 * Untrusted text made inert for Slack: `&`, `<` and `>` become entities (so no `<!here>`,
 * `<@U…>` or `<url|label>` can be formed), `@` gets a zero-width joiner (a bare `@here` does not
 * notify), controls are dropped, newlines become spaces and the length is bounded.
 */
export function escapeSlack(text: unknown, maxLength = FIELD_MAX): string {
  const plain = truncate(
    String(text ?? "")
      .replace(CONTROL, "")
      .replace(/\s+/g, " ")
      .trim(),
    maxLength,
  );
  return defuseMentions(plain.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"));
}

/** `<url|label>` for an http(s) URL, or just the label; the URL cannot close the link early. */
export function slackLink(url: unknown, label: string): string {
  if (typeof url !== "string") return label;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return label;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return label;
  const href = parsed.href.replace(/[<>|\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `<${href}|${label}>`;
}

/** What happened, in a few words, for the header and the fallback. */
function headline(notice: IncidentNotice): string {
  const { record } = notice.event;
  switch (notice.kind) {
    case "opened":
      return `${record.severity} incident: ${record.name}`;
    case "severity":
      return `${notice.previous} → ${record.severity}: ${record.name}`;
    case "resolved":
      return `Resolved: ${record.name}`;
  }
}

const EMOJI: Record<IncidentNotice["kind"], string> = {
  opened: ":rotating_light:",
  severity: ":arrow_up_down:",
  resolved: ":white_check_mark:",
};

function mrkdwn(text: string): SlackText {
  // verbatim: Slack would otherwise auto-parse some mentions and channel names in the text.
  return { type: "mrkdwn", text, verbatim: true };
}

/** The message for one incident notice. */
export function slackMessage(notice: IncidentNotice): SlackMessage {
  const { repo, number, url, record } = notice.event;
  const issueRef = escapeSlack(`${repo.owner}/${repo.repo}#${number}`);
  const issueLink = slackLink(url, issueRef);
  const title = escapeSlack(headline(notice), HEADER_MAX - EMOJI[notice.kind].length - 1);

  const fields = [
    mrkdwn(`*Severity*\n${escapeSlack(record.severity)}`),
    mrkdwn(`*Service*\n${escapeSlack(record.service) || "—"}`),
    mrkdwn(`*Environment*\n${escapeSlack(record.environment) || "—"}`),
    mrkdwn(`*Issue*\n${issueLink}`),
  ];
  const blocks: SlackBlock[] = [
    { type: "header", text: { type: "plain_text", text: `${EMOJI[notice.kind]} ${title}`, emoji: true } },
    { type: "section", fields },
  ];

  const suspects = record.suspects.slice(0, SUSPECTS_SHOWN);
  if (notice.kind !== "resolved" && suspects.length > 0) {
    const lines = suspects.map((s) => {
      const pr = slackLink(s.url, `#${s.number} ${escapeSlack(s.title, 120)}`);
      return `• ${pr} by ${escapeSlack(s.author, 60)} (score ${s.score.toFixed(2)})`;
    });
    blocks.push({ type: "section", text: mrkdwn(`*Top suspects*\n${lines.join("\n")}`) });
  }

  const context = [`${escapeSlack(record.source)} · opened ${escapeSlack(record.openedAt)}`];
  const alertmanager = slackLink(record.externalURL, "Alertmanager");
  if (alertmanager !== "Alertmanager") context.push(alertmanager);
  blocks.push({ type: "context", elements: [mrkdwn(context.join(" · "))] });

  return {
    text: `${title} (${escapeSlack(record.service)}, ${escapeSlack(record.environment)}): ${issueLink}`,
    blocks,
  };
}

/** Posts the notice to a Slack incoming webhook. Never throws; the result never holds the URL. */
export async function sendSlack(
  webhookUrl: string,
  notice: IncidentNotice,
  options: Omit<PostOptions, "target"> = {},
): Promise<PostResult> {
  return postJson(webhookUrl, slackMessage(notice), { ...options, target: "Slack webhook" });
}

/** Slack, for repositories that name a webhook URL variable (`notifications.slack.webhookUrlEnv`). */
export const slackChannel: Channel = {
  name: "slack",
  secretEnv: (config) => config.slack?.webhookUrlEnv,
  send: (webhookUrl, notice, http) => sendSlack(webhookUrl, notice, http),
};
