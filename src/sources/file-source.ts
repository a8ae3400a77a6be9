// MetricSource over a file, for offline runs, demos, backtests and tests. It reads, once, one of:
//
//  (a) a saved Prometheus query_range (or query) JSON response: it answers any query with its series;
//  (b) text exposition with timestamps, OpenMetrics or Prometheus: queries must be plain selectors
//      (`name`, `name{a="b", c=~"x|y"}`, `{__name__="name"}`), matched against the series' names and labels;
//      any other query is answered by the file's only series, or is an error when it holds several.
//      Timestamps: OpenMetrics (the file ends with `# EOF`) uses seconds, possibly fractional. Without
//      `# EOF`, timestamps of 1e11 or more are taken as milliseconds (the Prometheus text format;
//      1e11 s is the year 5138) and smaller ones as seconds;
//  (c) `{"series": {"<query or name>": <query_range response | [[t, "v"], ...]>, ...}}`: several named
//      answers in one file, looked up by the exact query (whitespace outside quotes ignored); a file
//      with a single entry answers any query.
//
// Like Prometheus, queryRange evaluates at start, start+step, ... <= end, taking at each point the
// latest sample in the 5 minutes before it (the left end excluded, as in Prometheus 3); points with
// no such sample are left out, and series with no points at all are dropped.

import { readFileSync } from "node:fs";
import type { MetricSource, RangeResult, Sample, Series } from "../core/gate/types.js";
import { FileSourceError } from "./errors.js";
import { checkRange, parsePair, parseResultData, parseSampleValue } from "./http-source.js";
import { errorMessage } from "../core/errors.js";

export interface FileSourceOptions {
  /** Path of the file to read (read once, when the source is created). */
  path?: string;
  /** The file's content, instead of a path. */
  content?: string;
  /** Shown in the source's name and in messages; defaults to the path. */
  name?: string;
}

export const LOOKBACK_SECONDS = 300;
/** Timestamps at or above this in a Prometheus text file are milliseconds. */
const MS_THRESHOLD = 1e11;

type Data =
  | { kind: "response"; series: Series[]; warnings: string[] }
  | { kind: "map"; entries: Map<string, Series[]> }
  | { kind: "exposition"; series: Series[] };

export class FileSource implements MetricSource {
  readonly name: string;
  private readonly label: string;
  private readonly data: Data;

  constructor(options: FileSourceOptions) {
    if ((options.path === undefined) === (options.content === undefined)) {
      throw new FileSourceError("FileSource needs either a path or a content, and not both.");
    }
    this.label = options.name ?? options.path ?? "inline metrics";
    this.name = `file ${this.label}`;
    let content = options.content;
    if (options.path !== undefined) {
      try {
        content = readFileSync(options.path, "utf8");
      } catch (err) {
        throw new FileSourceError(`Cannot read the metrics file ${options.path}: ${errorMessage(err)}`, {
          cause: err,
        });
      }
    }
    this.data = parseContent(content ?? "", this.label);
  }

  async queryRange(query: string, start: number, end: number, step: number): Promise<RangeResult> {
    checkRange(start, end, step);
    const { series, warnings } = this.select(query);
    const out: Series[] = [];
    for (const s of series) {
      const samples = resample(s.samples, start, end, step);
      if (samples.length > 0) out.push({ labels: { ...s.labels }, samples });
    }
    return { series: out, warnings: [...warnings] };
  }

  private select(query: string): { series: Series[]; warnings: string[] } {
    const data = this.data;
    if (data.kind === "response") return data;
    if (data.kind === "map") {
      const key = normalizeQuery(query);
      for (const [name, series] of data.entries) {
        if (name === query || normalizeQuery(name) === key) return { series, warnings: [] };
      }
      const [only] = data.entries.values();
      if (data.entries.size === 1 && only) return { series: only, warnings: [] };
      throw new FileSourceError(
        `The metrics file ${this.label} has no entry for the query ${query}; its entries are: ` +
          `${listSome([...data.entries.keys()])}. Add the query, exactly as the check sends it, under "series".`,
      );
    }
    const matchers = parseSelector(query);
    if (!matchers) {
      const [only] = data.series;
      if (data.series.length === 1 && only) return { series: [only], warnings: [] };
      throw new FileSourceError(
        `The metrics file ${this.label} can only answer plain selectors like name{label="value"}, not ${query}. ` +
          `Use a selector over its metrics (${listSome(metricNames(data.series))}), ` +
          `or save the query's answer from Prometheus as a query_range JSON file.`,
      );
    }
    const series = data.series.filter((s) => matchers.every((m) => matches(m, s.labels)));
    const warnings =
      series.length > 0
        ? []
        : [`No series in ${this.label} match ${query}; it holds ${listSome(metricNames(data.series))}.`];
    return { series, warnings };
  }
}

/** Evaluates sorted samples on the step grid with Prometheus' lookback. */
export function resample(samples: Sample[], start: number, end: number, step: number): Sample[] {
  const out: Sample[] = [];
  const points = Math.floor((end - start) / step + 1e-9) + 1;
  let next = 0; // index of the first sample after the current grid point
  for (let i = 0; i < points; i++) {
    const t = start + i * step;
    while (next < samples.length && (samples[next]?.t ?? Infinity) <= t) next++;
    const last = samples[next - 1];
    if (last && last.t > t - LOOKBACK_SECONDS) out.push({ t, v: last.v });
  }
  return out;
}

// ---- parsing the file ----

function parseContent(content: string, label: string): Data {
  const text = content.replace(/^\uFEFF/, "");
  if (text.trim() === "") throw new FileSourceError(`The metrics file ${label} is empty.`);
  const data = text.trimStart().startsWith("{") ? parseJson(text, label) : parseExposition(text, label);
  // Sort once so resampling can walk forward; of duplicates the last written wins.
  const all = data.kind === "map" ? [...data.entries.values()].flat() : data.series;
  for (const s of all) s.samples = sortDedupe(s.samples);
  return data;
}

function parseJson(text: string, label: string): Data {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new FileSourceError(`The metrics file ${label} is not valid JSON: ${errorMessage(err)}`);
  }
  if (isRecord(json) && isRecord(json.series)) {
    const entries = new Map<string, Series[]>();
    for (const [key, value] of Object.entries(json.series)) {
      entries.set(key, parseEntry(value, `${label}, series "${key}"`).series);
    }
    if (entries.size === 0)
      throw new FileSourceError(`The metrics file ${label} has an empty "series" object.`);
    return { kind: "map", entries };
  }
  if (isRecord(json) && (json.status !== undefined || json.resultType !== undefined)) {
    return { kind: "response", ...parseEntry(json, label) };
  }
  throw new FileSourceError(
    `The metrics file ${label} is JSON but neither a Prometheus query_range response ` +
      `({"status":"success","data":{...}}) nor {"series": {"<query>": ...}}.`,
  );
}

/** One answer: a full API response, its `data` object, or a bare list of [t, "v"] pairs. */
function parseEntry(value: unknown, where: string): { series: Series[]; warnings: string[] } {
  try {
    if (Array.isArray(value))
      return { series: [{ labels: {}, samples: value.map(parsePair) }], warnings: [] };
    if (isRecord(value) && value.status === "error") {
      throw new Error(`it holds a Prometheus error (${String(value.errorType)}): ${String(value.error)}`);
    }
    if (isRecord(value) && value.status === "success") {
      const warnings = Array.isArray(value.warnings) ? value.warnings.map(String) : [];
      return { series: parseResultData(value.data), warnings };
    }
    if (isRecord(value) && value.resultType !== undefined)
      return { series: parseResultData(value), warnings: [] };
    throw new Error('expected a query_range response or a list of [timestamp, "value"] pairs');
  } catch (err) {
    if (err instanceof FileSourceError) throw err;
    throw new FileSourceError(`The metrics file ${where}: ${errorMessage(err)}`);
  }
}

function parseExposition(text: string, label: string): Data {
  const lines = text.split(/\r?\n/);
  const openMetrics = lines.some((l) => l.trim() === "# EOF");
  const byKey = new Map<string, Series>();
  let maxAbsTs = 0;
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "# EOF") break;
    if (line === "" || line.startsWith("#")) continue; // # TYPE, # HELP, # UNIT, comments
    let parsed: { labels: Record<string, string>; value: number; ts: number };
    try {
      parsed = parseSampleLine(line);
    } catch (err) {
      throw new FileSourceError(`The metrics file ${label}, line ${i + 1}: ${errorMessage(err)}\n  ${line}`);
    }
    maxAbsTs = Math.max(maxAbsTs, Math.abs(parsed.ts));
    const key = seriesKey(parsed.labels);
    let series = byKey.get(key);
    if (!series) byKey.set(key, (series = { labels: parsed.labels, samples: [] }));
    series.samples.push({ t: parsed.ts, v: parsed.value });
  }
  if (byKey.size === 0) throw new FileSourceError(`The metrics file ${label} holds no samples.`);
  if (!openMetrics && maxAbsTs >= MS_THRESHOLD) {
    for (const s of byKey.values()) for (const p of s.samples) p.t /= 1000;
  }
  return { kind: "exposition", series: [...byKey.values()] };
}

/** `name{a="b"} value timestamp [# exemplar]`; the name goes into the `__name__` label, as in Prometheus. */
function parseSampleLine(line: string): { labels: Record<string, string>; value: number; ts: number } {
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
  if (!name) throw new Error("expected a metric name at the start of the line");
  const labels: Record<string, string> = { __name__: name };
  let pos = name.length;
  if (line[pos] === "{") {
    const parsed = parseBraces(line, pos, false);
    for (const m of parsed.matchers) labels[m.name] = m.value;
    pos = parsed.end;
  }
  const rest = line.slice(pos).split("#")[0] ?? ""; // drop an OpenMetrics exemplar
  const fields = rest.trim().split(/\s+/).filter(Boolean);
  if (fields.length === 0) throw new Error("expected a value after the metric");
  if (fields.length === 1) {
    throw new Error(
      "the sample has no timestamp; the file source needs `metric{labels} value timestamp` lines",
    );
  }
  if (fields.length > 2) throw new Error(`unexpected text after the timestamp: ${fields.slice(2).join(" ")}`);
  const value = parseSampleValue(fields[0] ?? "");
  const ts = Number(fields[1]);
  if (!Number.isFinite(ts)) throw new Error(`"${fields[1]}" is not a timestamp`);
  return { labels, value, ts };
}

// ---- selectors ----

type Op = "=" | "!=" | "=~" | "!~";
interface Matcher {
  name: string;
  op: Op;
  value: string;
  re?: RegExp;
}

/** Parses a plain selector into matchers (the metric name as `__name__`), or null for anything else. */
export function parseSelector(query: string): Matcher[] | null {
  const q = query.trim();
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(q)?.[0] ?? "";
  let pos = name.length;
  const matchers: Matcher[] = name ? [{ name: "__name__", op: "=", value: name }] : [];
  if (q.slice(pos).trimStart().startsWith("{")) {
    pos = q.indexOf("{", pos);
    let parsed: { matchers: Matcher[]; end: number };
    try {
      parsed = parseBraces(q, pos, true);
    } catch {
      return null;
    }
    matchers.push(...parsed.matchers);
    pos = parsed.end;
  }
  if (matchers.length === 0 || q.slice(pos).trim() !== "") return null;
  for (const m of matchers) {
    if (m.op === "=~" || m.op === "!~") {
      try {
        m.re = new RegExp(`^(?:${m.value})$`); // PromQL regexes are fully anchored
      } catch (err) {
        throw new FileSourceError(
          `Invalid regular expression in ${m.name}${m.op}"${m.value}": ${errorMessage(err)}`,
        );
      }
    }
  }
  return matchers;
}

function matches(m: Matcher, labels: Record<string, string>): boolean {
  const value = labels[m.name] ?? ""; // as in Prometheus, a missing label equals ""
  switch (m.op) {
    case "=":
      return value === m.value;
    case "!=":
      return value !== m.value;
    case "=~":
      return m.re?.test(value) ?? false;
    case "!~":
      return !(m.re?.test(value) ?? false);
  }
}

/** Parses `{a="b", c=~'x'}` from `start` (at the brace); exposition lines allow only `=` and double quotes. */
function parseBraces(text: string, start: number, selector: boolean): { matchers: Matcher[]; end: number } {
  const matchers: Matcher[] = [];
  let pos = start + 1;
  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos] ?? "")) pos++;
  };
  for (;;) {
    skipSpace();
    if (text[pos] === "}") return { matchers, end: pos + 1 };
    const name = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(pos))?.[0];
    if (!name) throw new Error(`expected a label name at column ${pos + 1}`);
    pos += name.length;
    skipSpace();
    const op = (selector ? /^(=~|!~|!=|=)/ : /^=/).exec(text.slice(pos))?.[0] as Op | undefined;
    if (!op) throw new Error(`expected ${selector ? "=, !=, =~ or !~" : "="} after the label ${name}`);
    pos += op.length;
    skipSpace();
    const str = readString(text, pos, selector);
    matchers.push({ name, op, value: str.value });
    pos = str.end;
    skipSpace();
    if (text[pos] === ",") pos++;
    else if (text[pos] !== "}") throw new Error(`expected , or } after the label ${name}`);
  }
}

function readString(text: string, start: number, selector: boolean): { value: string; end: number } {
  const quote = text[start];
  const quotes = selector ? ['"', "'", "`"] : ['"'];
  if (quote === undefined || !quotes.includes(quote))
    throw new Error(`expected a quoted label value at column ${start + 1}`);
  let value = "";
  for (let pos = start + 1; pos < text.length; pos++) {
    const c = text[pos];
    if (c === quote) return { value, end: pos + 1 };
    if (c === "\\" && quote !== "`") {
      const e = text[++pos];
      value += e === "n" ? "\n" : e === "t" ? "\t" : (e ?? "");
    } else {
      value += c;
    }
  }
  throw new Error("unterminated label value");
}

// ---- helpers ----

/** PromQL ignores whitespace outside strings, so `a{b="c"}` and `a{ b = "c" }` are one query. */
function normalizeQuery(query: string): string {
  let out = "";
  let quote: string | null = null;
  for (let i = 0; i < query.length; i++) {
    const c = query[i] ?? "";
    if (quote) {
      out += c;
      if (c === "\\" && quote !== "`") out += query[++i] ?? "";
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === "`") {
      quote = c;
      out += c;
    } else if (!/\s/.test(c)) {
      out += c;
    }
  }
  return out;
}

function sortDedupe(samples: Sample[]): Sample[] {
  const sorted = samples.map((s, i) => ({ s, i })).sort((a, b) => a.s.t - b.s.t || a.i - b.i);
  const out: Sample[] = [];
  for (const { s } of sorted) {
    if (out.length > 0 && out[out.length - 1]?.t === s.t) out[out.length - 1] = s;
    else out.push(s);
  }
  return out;
}

function seriesKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function metricNames(series: Series[]): string[] {
  return [...new Set(series.map((s) => s.labels.__name__ ?? "(unnamed)"))];
}

function listSome(items: string[], max = 10): string {
  const shown = items.slice(0, max).join(", ");
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
