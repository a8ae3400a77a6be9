// The alert groups that joined an incident because they share its cause (see related-groups.ts), as
// the incident record stores them. Arrays, not records keyed by fingerprint: a `__proto__`
// fingerprint stays an ordinary value. Only zod here, so incident-record.ts can import it.
import { z } from "zod";

export const RelatedAlertSchema = z.object({
  fingerprint: z.string(),
  status: z.enum(["firing", "resolved"]),
  alertname: z.string(),
  summary: z.string().optional(),
});

export const RelatedGroupSchema = z.object({
  groupKey: z.string(),
  /** The group's alert name, as a title would show it. */
  name: z.string(),
  service: z.string(),
  severity: z.enum(["P1", "P2", "P3"]),
  status: z.enum(["firing", "resolved"]),
  joinedAt: z.string(),
  /** A bounded sample of the group's alerts (see MAX_RELATED_ALERTS); `count` says how many there are. */
  alerts: z.array(RelatedAlertSchema),
  count: z.number().int().min(0),
  firing: z.number().int().min(0),
  /** A digest of every alert's fingerprint and status: an identical redelivery changes nothing. */
  digest: z.string(),
});

export type RelatedAlert = z.infer<typeof RelatedAlertSchema>;
export type RelatedGroup = z.infer<typeof RelatedGroupSchema>;
