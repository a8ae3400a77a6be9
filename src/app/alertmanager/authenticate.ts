// Stage 1: is the caller our Alertmanager? `Authorization: Bearer <token>` against ALERTMANAGER_TOKEN,
// compared in constant time. No token configured is a deployment mistake: refuse, and say how to fix it.
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { HttpError } from "../http.js";
import type { AppSettings } from "../settings.js";

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/** Equal-length digests make the comparison constant-time whatever the token lengths. */
export function tokensMatch(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** Who delivered: the repositories their token may reach (null: every one the app is installed on). */
export interface Caller {
  scope: readonly string[] | null;
}

/** Throws an HttpError (401/403) unless the request may deliver alerts; else what it may reach. */
export function authenticate(
  req: IncomingMessage,
  settings: Pick<AppSettings, "alertmanagerToken" | "alertmanagerTokens" | "allowUnauthenticated">,
): Caller {
  const header = req.headers.authorization;
  // Nothing that logs the request after this point (error reports, our logs) may show the token.
  // Probot's own HTTP logger binds the headers before any handler runs: it needs a req serializer
  // (Server loggingOptions) to redact them, which `probot run` cannot set.
  if (header !== undefined) req.headers.authorization = "[redacted]";
  const tokens = [
    ...(settings.alertmanagerToken !== undefined ? [{ token: settings.alertmanagerToken, scope: null }] : []),
    ...(settings.alertmanagerTokens ?? []),
  ];
  if (tokens.length === 0) {
    if (settings.allowUnauthenticated) return { scope: null };
    throw new HttpError(
      403,
      "Alertmanager deliveries are refused because no token is configured: set ALERTMANAGER_TOKEN on the app " +
        "and the same value as http_config.authorization.credentials in Alertmanager's webhook receiver " +
        "(or ALERTMANAGER_ALLOW_UNAUTHENTICATED=true for local testing only)",
    );
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  if (!match) {
    throw new HttpError(
      401,
      "missing bearer token: send Authorization: Bearer <ALERTMANAGER_TOKEN> (Alertmanager: http_config.authorization)",
      undefined,
      { "www-authenticate": 'Bearer realm="aftershock"', connection: "close" },
    );
  }
  // Every token is compared (no early exit), so the time taken says nothing about which matched.
  let caller: Caller | null = null;
  for (const t of tokens) if (tokensMatch(match[1]!, t.token) && !caller) caller = { scope: t.scope };
  if (!caller) {
    throw new HttpError(401, "invalid bearer token", undefined, {
      "www-authenticate": 'Bearer realm="aftershock", error="invalid_token"',
      // Nothing more will be read from a caller that failed: free the socket at once.
      connection: "close",
    });
  }
  return caller;
}
