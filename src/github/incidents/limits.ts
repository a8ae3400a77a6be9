// GitHub's size limits on incident issues, enforced where every write passes (the store), so no
// renderer's oversight can turn into a 422 that Alertmanager would retry forever.

/** GitHub refuses an issue body, title or comment longer than this many characters. */
export const GITHUB_TEXT_LIMIT = 65_536;
/** Kept below the limit: GitHub counts some characters differently than JavaScript does. */
export const TEXT_BUDGET = 65_000;
export const TITLE_LIMIT = 256;

const BLOCK = /<!-- aftershock:incident [A-Za-z0-9+/=]+ -->\s*$/;

/**
 * The body as is when it fits; else its visible part cut at a line, with a note, and the hidden
 * record block (always last) kept whole, since deduplication reads it.
 */
export function fitIssueBody(body: string, budget = TEXT_BUDGET): string {
  if (body.length <= budget) return body;
  const block = BLOCK.exec(body)?.[0] ?? "";
  const visible = body.slice(0, body.length - block.length);
  return `${cutAtLine(visible, budget - block.length - 120)}\n\n${block}`.slice(0, budget);
}

/** The comment as is when it fits; else cut at a line with "… and N more lines". */
export function fitComment(text: string, budget = TEXT_BUDGET): string {
  return text.length <= budget ? text : cutAtLine(text, budget - 120);
}

export function fitTitle(title: string): string {
  return title.length <= TITLE_LIMIT ? title : `${title.slice(0, TITLE_LIMIT - 1)}…`;
}

function cutAtLine(text: string, max: number): string {
  const head = text.slice(0, Math.max(0, max));
  const end = head.lastIndexOf("\n");
  const kept = end > 0 ? head.slice(0, end) : head;
  const dropped = text
    .slice(kept.length)
    .split("\n")
    .filter((l) => l.trim() !== "").length;
  return `${kept}\n\n… and ${dropped} more lines, cut to fit GitHub's ${GITHUB_TEXT_LIMIT}-character limit.`;
}
