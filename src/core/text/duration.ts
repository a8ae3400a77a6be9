const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/**
 * Parses a Prometheus-style duration ("30s", "10m", "1h30m", "2d") into seconds.
 * A bare number is seconds. Throws a message that names the bad value and shows valid ones.
 */
export function parseDuration(text: string, what = "duration"): number {
  const s = String(text).trim();
  if (/^\d+(\.\d+)?$/.test(s)) return positive(Number(s), what, text);
  // "-5m" is a duration with the wrong sign, not an unknown format: say so.
  if (/^-\d/.test(s)) throw new Error(`${what} "${text}" must be greater than zero`);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    matched = re.lastIndex;
  }
  if (s === "" || matched !== s.length) {
    throw new Error(
      `${what} "${text}" is not a duration: use a number with a unit, like 30s, 10m, 1h or 1h30m`,
    );
  }
  return positive(total, what, text);
}

function positive(seconds: number, what: string, text: string): number {
  if (!(seconds > 0)) throw new Error(`${what} "${text}" must be greater than zero`);
  return seconds;
}

/** 90 → "1m30s", for progress lines and summaries. */
export function formatDuration(seconds: number): string {
  const sign = seconds < 0 ? "-" : "";
  let rest = Math.round(Math.abs(seconds));
  if (rest === 0) return "0s";
  const parts: string[] = [];
  for (const [unit, size] of [
    ["h", 3600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return sign + parts.join("");
}

/** "7d" for whole days, else as formatDuration: history spans and seasonal offsets read best in days. */
export function formatDays(seconds: number): string {
  return seconds % 86_400 === 0 ? `${seconds / 86_400}d` : formatDuration(seconds);
}
