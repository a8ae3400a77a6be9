// URLs in messages and logs.
import { safeUrl } from "./markdown.js";

/**
 * The URL without user:password and without query values (`?api_key=…` is a common way to pass a
 * token), so it can go into messages, logs and job summaries. Parameter names stay, for debugging.
 */
export function redactUrl(url: string | URL): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    for (const key of [...new Set(u.searchParams.keys())]) u.searchParams.set(key, "redacted");
    return u.toString();
  } catch {
    // Not a URL: drop anything that looks like userinfo or a query.
    return String(url)
      .replace(/\/\/[^/@]*@/, "//")
      .replace(/\?.*$/, "?redacted");
  }
}

/** Whether `url` parses as an http: or https: URL. */
export function isHttpUrl(url: string): boolean {
  return safeUrl(url) !== null;
}
