// Plain-text and markdown tables for bench output.

/** Columns padded to their widest cell; the first column left-aligned, the rest right-aligned. */
export function plainTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => width(r[c] ?? ""))));
  const line = (r: readonly string[]) =>
    r
      .map((cell, c) => (c === 0 ? padEnd(cell, widths[c]!) : padStart(cell, widths[c]!)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(header), rule, ...rows.map(line)].join("\n");
}

/** A GitHub-flavoured markdown table; `|` in a cell is escaped. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  const line = (r: readonly string[]) => `| ${r.map(esc).join(" | ")} |`;
  const align = header.map((_, c) => (c === 0 ? "---" : "---:"));
  return [line(header), line(align), ...rows.map(line)].join("\n");
}

// Code points, not UTF-16 units: "σ" and "≥" are one column.
const width = (s: string) => [...s].length;
const padEnd = (s: string, w: number) => s + " ".repeat(Math.max(0, w - width(s)));
const padStart = (s: string, w: number) => " ".repeat(Math.max(0, w - width(s))) + s;
