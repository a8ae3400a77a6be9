// The "Update from Alertmanager" comment a later delivery (or a batch of them) posts: one line per
// change, bounded, whatever kind of change it lists. Everything from alerts goes through markdown.ts.
import { escapeMarkdown } from "../text/markdown.js";

/** A delivery of hundreds of new alerts is one comment of bounded length, never hundreds of lines. */
const MAX_COMMENT_LINES = 20;

/** One line of the comment: its icon, what changed and the alert's summary when it has one. */
export interface UpdateLine {
  icon: string;
  text: string;
  summary?: string | undefined;
}

/** The comment listing `changes`, each as `line` describes it; past MAX_COMMENT_LINES, how many more. */
export function renderUpdateLines<T>(changes: readonly T[], line: (change: T) => UpdateLine): string {
  const listed = changes.slice(0, MAX_COMMENT_LINES);
  const lines = listed.map((change) => {
    const { icon, text, summary } = line(change);
    const detail = summary ? `: ${escapeMarkdown(summary, 300)}` : "";
    return `- ${icon} ${escapeMarkdown(text, 300)}${detail}`;
  });
  return [
    `**Update from Alertmanager** (${changes.length} change${changes.length === 1 ? "" : "s"})`,
    "",
    ...lines,
    ...(changes.length > listed.length ? [`- … and ${changes.length - listed.length} more`] : []),
  ].join("\n");
}
