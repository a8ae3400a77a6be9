// URLs in messages and logs.

/** The URL without user:password, so it can go into messages and logs. */
export function redactUrl(url: string | URL): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    return u.toString();
  } catch {
    // Not a URL: drop anything that looks like userinfo.
    return String(url).replace(/\/\/[^/@]*@/, "//");
  }
}
