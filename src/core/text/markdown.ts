// Escaping for text that comes from outside (alert labels and annotations, commit titles) before it
// goes into GitHub markdown: no @mentions (they would page people), no HTML, no markdown structure,
// no table breakage, bounded length. Pure.

const ZWJ = "\u200D";
const ELLIPSIS = "…";

// Bidi overrides and other invisible controls can make text read differently than it is.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g;
const NEWLINES = /\r\n|\r|\n/g;
// Characters that start or end markdown constructs anywhere in a line (and `|` for tables).
const MARKDOWN_SPECIALS = /[\\`*_{}[\]()#+\-!|~]/g;

/** Cuts `text` to at most `maxLength` characters (code points), ending in an ellipsis when cut. */
export function truncate(text: string, maxLength: number): string {
  const chars = Array.from(text);
  if (chars.length <= maxLength) return text;
  if (maxLength <= 0) return "";
  return chars.slice(0, maxLength - 1).join("") + ELLIPSIS;
}

/** Defuses @mentions (users and teams) with a zero-width joiner, so the text shows but nobody is pinged. */
export function defuseMentions(text: string): string {
  return text.replace(/@/g, `@${ZWJ}`);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Makes untrusted text safe to show as inline markdown, also inside a table cell: HTML and markdown
 * specials are escaped, newlines become `<br>`, mentions are defused and the length (counted before
 * escaping) is bounded with an ellipsis.
 */
export function escapeMarkdown(text: unknown, maxLength = 500): string {
  const plain = truncate(String(text ?? "").replace(CONTROL, ""), maxLength);
  const escaped = escapeHtml(plain).replace(MARKDOWN_SPECIALS, (c) => `\\${c}`);
  return defuseMentions(escaped).replace(NEWLINES, "<br>");
}

/**
 * An inline code span for untrusted text: nothing inside renders as markdown or HTML, and mentions in
 * code do not notify. Newlines become spaces; `table: true` escapes pipes, which GFM splits cells on
 * even inside code.
 */
export function code(text: unknown, maxLength = 200, options: { table?: boolean } = {}): string {
  // A zero-width joiner in "<!--": the span reads the same, but the raw markdown never opens an
  // HTML comment, so no untrusted text can carry a second incident block into an issue body.
  let body = truncate(String(text ?? "").replace(CONTROL, ""), maxLength)
    .replace(NEWLINES, " ")
    .replace(/<!--/g, `<!${ZWJ}--`);
  if (options.table) body = body.replace(/\|/g, "\\|");
  if (body === "") return "` `";
  // A fence one backtick longer than the longest run inside; pad when the text touches a backtick.
  const longest = Math.max(0, ...Array.from(body.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = body.startsWith("`") || body.endsWith("`") || /^ .* $/.test(body) ? " " : "";
  return `${fence}${pad}${body}${pad}${fence}`;
}

/**
 * Plain one-line text for places that are not markdown (issue titles, labels): controls removed,
 * whitespace collapsed, mentions defused, length bounded.
 */
export function oneLine(text: unknown, maxLength = 200): string {
  const collapsed = String(text ?? "")
    .replace(CONTROL, "")
    .replace(/\s+/g, " ")
    .trim();
  return defuseMentions(truncate(collapsed, maxLength));
}

/**
 * A URL that is safe as a markdown link target: http(s) only, with characters that would end the
 * link (spaces, parentheses, angle brackets) percent-encoded. Null for anything else.
 */
export function safeUrl(url: unknown): string | null {
  if (typeof url !== "string" || url === "") return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
  return parsed.href.replace(
    /[()<>\s"'`|]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
}

/** `[text](url)` with the text escaped, or just the escaped text when the URL is not safe. */
export function link(text: unknown, url: unknown, maxLength = 200): string {
  const label = escapeMarkdown(text, maxLength);
  const target = safeUrl(url);
  return target ? `[${label}](${target})` : label;
}
