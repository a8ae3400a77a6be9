// Logs through pino (Probot's own logger), with every place a secret can appear redacted: request
// headers logged by Probot's HTTP logger, and our own fields. LOG_FORMAT picks JSON lines (for a
// log pipeline) or pino-pretty (for a person at a terminal).
import { pino, type Logger, type LoggerOptions } from "pino";
import { build as prettyStream } from "pino-pretty";

/** Paths pino censors wherever they appear in a log line. */
export const REDACTED_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-hub-signature"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers["proxy-authorization"]',
  "headers.authorization",
  "request.headers.authorization",
  "*.token",
  "*.privateKey",
  "*.secret",
  "*.password",
  "*.apiKey",
  "*.webhookUrl",
  "*.routingKey",
  "err.request.headers.authorization",
];

export type LogFormat = "json" | "pretty";

/** LOG_FORMAT, or without it: pretty at a terminal, JSON anywhere else (containers, CI, files). */
export function logFormat(env: NodeJS.ProcessEnv, isTTY: boolean): LogFormat {
  const value = env.LOG_FORMAT?.trim().toLowerCase();
  if (!value) return isTTY ? "pretty" : "json";
  if (value === "json" || value === "pretty") return value;
  throw new Error(`LOG_FORMAT "${env.LOG_FORMAT}" must be json or pretty`);
}

// A JSON name binding as pino writes it; `,"` never occurs inside a JSON string (quotes are escaped).
const NAME_BINDING = /,"name":"(?:[^"\\]|\\.)*"/g;
const chindings = pino.symbols.chindingsSym as unknown as string;

/**
 * Probot names its children (probot, http, octokit) and we name ours (alertmanager) under them;
 * pino would write every `name` of the chain into one line. Keep the innermost, the most specific.
 */
function keepInnermostName(child: Logger): void {
  const record = child as unknown as Record<string, string>;
  const names = record[chindings]?.match(NAME_BINDING);
  if (!names || names.length < 2) return;
  let seen = 0;
  record[chindings] = record[chindings]!.replace(NAME_BINDING, (m) => (++seen === names.length ? m : ""));
}

export function createLogger(
  env: NodeJS.ProcessEnv = process.env,
  destination?: NodeJS.WritableStream,
  extra: LoggerOptions = {},
): Logger {
  const options: LoggerOptions = {
    name: "aftershock",
    level: env.LOG_LEVEL || "info",
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    onChild: keepInnermostName,
    ...extra,
  };
  const isTTY = destination ? false : Boolean(process.stdout.isTTY);
  if (logFormat(env, isTTY) === "pretty") {
    const pretty = prettyStream({ colorize: isTTY, sync: true, destination: destination ?? 1 });
    return pino(options, pretty);
  }
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}
