// Structured JSON logs through pino (Probot's own logger), with every place a secret can appear
// redacted: request headers logged by Probot's HTTP logger, and our own fields.
import { pino, type Logger, type LoggerOptions } from "pino";

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

export function createLogger(
  env: NodeJS.ProcessEnv = process.env,
  destination?: NodeJS.WritableStream,
  extra: LoggerOptions = {},
): Logger {
  const options: LoggerOptions = {
    name: "aftershock",
    level: env.LOG_LEVEL || "info",
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    ...extra,
  };
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}
