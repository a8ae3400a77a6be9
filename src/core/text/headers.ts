// HTTP headers given as `Name: value` lines (metric source credentials): parsed without ever echoing
// a bad line, and masked in logs when they look like secrets.
import { ConfigError } from "../errors.js";

/**
 * Parses `Name: value` header lines. A malformed line is reported by its position, never by its
 * content: it may well be a token with the colon missing.
 */
export function parseHeaderLines(
  lines: readonly string[],
  where: (n: number) => string,
): Record<string, string> {
  const headers: Record<string, string> = {};
  lines.forEach((line, index) => {
    const i = line.indexOf(":");
    if (i <= 0)
      throw new ConfigError(
        `${where(index + 1)} has no "Name: value" colon (its content is not shown: it may hold a secret)`,
      );
    headers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  });
  return headers;
}

/** Whether a header value should be masked in logs: credentials by name, or anything long enough to be one. */
export function looksSecret(name: string, value: string): boolean {
  return /auth|token|key|secret|cookie|password|session/i.test(name) || value.length >= 16;
}
