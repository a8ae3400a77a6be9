// Stage 3: the body must be an Alertmanager webhook payload, version 4, as Alertmanager sends it
// (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config). A 400 names the field.
import { z } from "zod";
import { HttpError } from "../http.js";
import { errorMessage } from "../../core/errors.js";

const labels = z.record(z.string(), z.string());
// Go's RFC 3339 with nanoseconds; a firing alert's endsAt is the zero time 0001-01-01T00:00:00Z.
const timestamp = z.iso.datetime({ offset: true, error: "must be an RFC 3339 timestamp" });

export const AlertSchema = z.object({
  status: z.enum(["firing", "resolved"]),
  labels,
  annotations: labels,
  startsAt: timestamp,
  endsAt: timestamp,
  generatorURL: z.string(),
  fingerprint: z.string().min(1),
});

export const AlertmanagerPayloadSchema = z.object({
  version: z.literal("4", { error: 'must be "4" (the only webhook version Alertmanager sends)' }),
  receiver: z.string(),
  status: z.enum(["firing", "resolved"]),
  alerts: z.array(AlertSchema).min(1),
  groupLabels: labels,
  commonLabels: labels,
  commonAnnotations: labels,
  externalURL: z.string(),
  groupKey: z.string().min(1),
  // Alertmanager before 0.22 did not send it.
  truncatedAlerts: z.number().int().min(0).default(0),
});

export type Alert = z.infer<typeof AlertSchema>;
export type AlertmanagerPayload = z.infer<typeof AlertmanagerPayloadSchema>;

/** ["alerts", 0, "startsAt"] → "alerts[0].startsAt" */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`))
    .join("");
}

/** Parses and validates the body; throws HttpError 400 naming the first bad field. */
export function validatePayload(text: string): AlertmanagerPayload {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, `the body is not JSON: ${errorMessage(err)}`);
  }
  const result = AlertmanagerPayloadSchema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = fieldPath(issue.path);
  const message = issue.message.includes("received undefined") ? "is required" : issue.message;
  throw new HttpError(
    400,
    `${field || "body"} ${message}: the body must be an Alertmanager webhook payload (version 4)`,
    field || undefined,
  );
}
