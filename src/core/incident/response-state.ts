// The response to an incident (acknowledgement, rollbacks, action items, post-mortem, handled
// commands), stored in the incident record as `record.response`. Pure.
import { z } from "zod";

const ActionItemSchema = z.object({
  text: z.string(),
  /** When it was recorded (ISO 8601). */
  at: z.string(),
  /** The issue filed for it, once filed. */
  issue: z.number().int().positive().optional(),
});

const RollbackSchema = z.object({
  /** The suspect PR being reverted. */
  pr: z.number().int().positive(),
  /** The revert PR aftershock opened. */
  revertPr: z.number().int().positive().optional(),
  url: z.string().optional(),
  state: z.enum(["opened", "merged", "closed"]),
  at: z.string(),
});

export const IncidentResponseStateSchema = z.object({
  acknowledgedAt: z.string().optional(),
  mitigatedAt: z.string().optional(),
  resolvedAt: z.string().optional(),
  /** The /resolve summary. */
  resolution: z.string().optional(),
  /** The cause as responders know it; without it the post-mortem names the top suspect as suspected. */
  rootCause: z
    .object({ pr: z.number().int().positive().optional(), confirmed: z.boolean().default(false) })
    .optional(),
  actionItems: z.array(ActionItemSchema).default([]),
  rollbacks: z.array(RollbackSchema).default([]),
  postmortem: z
    .object({ path: z.string(), pr: z.number().int().positive().optional(), url: z.string().optional() })
    .optional(),
  /** `commandKey`s already run, newest last, bounded (see `markHandled`). */
  handled: z.array(z.string()).default([]),
});

export type IncidentResponseState = z.infer<typeof IncidentResponseStateSchema>;

/** Handled command keys kept: webhook redeliveries come within hours, not hundreds of commands later. */
export const MAX_HANDLED_KEYS = 200;

export function emptyResponseState(): IncidentResponseState {
  return { actionItems: [], rollbacks: [], handled: [] };
}

/**
 * The response state of a record (`record.response`), or an empty one when it has none or it is not
 * valid (an edited block should not stop the incident from being handled).
 */
export function readResponseState(record: { response?: unknown }): IncidentResponseState {
  const parsed = IncidentResponseStateSchema.safeParse(record.response ?? {});
  return parsed.success ? parsed.data : emptyResponseState();
}

export function isHandled(state: IncidentResponseState, key: string): boolean {
  return state.handled.includes(key);
}

/** The state with `key` recorded as handled, dropping the oldest keys beyond the bound. */
export function markHandled(
  state: IncidentResponseState,
  key: string,
  max = MAX_HANDLED_KEYS,
): IncidentResponseState {
  if (isHandled(state, key)) return state;
  return { ...state, handled: [...state.handled, key].slice(-max) };
}
