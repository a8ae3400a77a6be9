// Action items of a merged post-mortem: the open task-list items of its "Action items" section, and
// the issue aftershock files for each one that does not link an issue yet. Pure.
import { escapeMarkdown, oneLine, safeUrl } from "../text/markdown.js";

export const ACTION_ITEM_LABEL = "action-item";

export interface ActionItem {
  /** The item as plain text: markdown escapes undone, the issue reference removed. */
  text: string;
  /** 1-based line in the post-mortem. */
  line: number;
  /** The issue it links, when it links one: a number (`#123`) or a full issue URL. */
  issue?: number | string;
  linked: boolean;
}

const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const TASK = /^\s*(?:[-*+]|\d+[.)])\s+\[([ xX])\]\s+(.*)$/;
const ISSUE_REF = /\s*\((?:#(\d+)|(https:\/\/github\.com\/[^/\s()]+\/[^/\s()]+\/issues\/\d+))\)\s*$/;
const ISSUE_URL = /https:\/\/github\.com\/[^/\s()]+\/[^/\s()]+\/issues\/\d+/;

/**
 * The unchecked `- [ ] ` items under the post-mortem's "Action items" heading (up to the next heading
 * of the same or a higher level), with the issue each one already links. Checked items are done and
 * left out; items in code blocks are not items.
 */
export function parseActionItems(markdown: string): ActionItem[] {
  const items: ActionItem[] = [];
  let level = 0; // heading level of the section while inside it
  let fence: string | null = null;
  markdown.split(/\r\n|\r|\n/).forEach((line, i) => {
    const fenceMatch = FENCE.exec(line);
    if (fence) {
      if (fenceMatch && fenceMatch[1]![0] === fence[0] && fenceMatch[1]!.length >= fence.length) fence = null;
      return;
    }
    if (fenceMatch) {
      fence = fenceMatch[1]!;
      return;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const depth = heading[1]!.length;
      if (/^action items?$/i.test(heading[2]!.replace(/[*_`]/g, "").trim())) level = depth;
      else if (level > 0 && depth <= level) level = 0;
      return;
    }
    if (level === 0) return;
    const task = TASK.exec(line);
    if (!task || task[1] !== " ") return;
    const item = parseItem(task[2]!, i + 1);
    if (item) items.push(item);
  });
  return items;
}

function parseItem(body: string, line: number): ActionItem | null {
  const ref = ISSUE_REF.exec(body);
  let issue: number | string | undefined;
  let rest = body;
  if (ref) {
    issue = ref[1] !== undefined ? Number(ref[1]) : ref[2]!;
    rest = body.slice(0, ref.index);
  } else {
    const url = ISSUE_URL.exec(body);
    if (url) issue = url[0];
  }
  const text = unescapeMarkdown(rest).trim();
  if (text === "") return null;
  return issue === undefined ? { text, line, linked: false } : { text, line, issue, linked: true };
}

/** Undoes what `escapeMarkdown` did to plain text, so an item's issue title reads as written. */
export function unescapeMarkdown(text: string): string {
  return text
    .replace(/\u200D/g, "")
    .replace(/<br>/g, " ")
    .replace(/\\([\\`*_{}[\]()#+\-!|~.>])/g, "$1")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** A stable key for an item's text (case and spacing ignored), to file each item once. */
export function actionItemKey(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ").trim();
}

export interface ActionItemIncident {
  number: number;
  title: string;
  /** The post-mortem file or PR, when known. */
  postmortemUrl?: string;
}

export interface ActionItemIssue {
  title: string;
  body: string;
  labels: string[];
}

/**
 * The issue for one action item. `#<incident>` in the body links it to the incident (GitHub shows the
 * cross-reference there); the hidden marker lets a retry find the issue it already filed.
 */
export function renderActionItemIssue(
  text: string,
  incident: ActionItemIncident,
  label = ACTION_ITEM_LABEL,
): ActionItemIssue {
  const postmortem = safeUrl(incident.postmortemUrl);
  const body = [
    `Action item from the post-mortem of incident #${incident.number} (${escapeMarkdown(incident.title, 200)}).`,
    "",
    `> ${escapeMarkdown(text, 1000)}`,
    ...(postmortem ? ["", `Post-mortem: [${escapeMarkdown(incident.title, 120)}](${postmortem})`] : []),
    "",
    actionItemMarker(incident.number, text),
  ].join("\n");
  return {
    title: oneLine(text, 200) || `Action item from incident #${incident.number}`,
    body,
    labels: [label],
  };
}

/** The hidden marker of an action-item issue: incident number and item key, base64 so no `-->` can end it. */
export function actionItemMarker(incidentNumber: number, text: string): string {
  const key = Buffer.from(actionItemKey(text), "utf8").toString("base64");
  return `<!-- aftershock:action-item ${incidentNumber} ${key} -->`;
}
