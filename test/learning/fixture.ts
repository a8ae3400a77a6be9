// The fixture history (built by test/fixtures/incidents/build.ts) and raw-timestamp helpers, so tests
// derive expected numbers from the fixture itself rather than from typed constants.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { IncidentRecordSchema, type IncidentRecord } from "../../src/core/incident/incident-record.js";
import type { DeployCheck } from "../../src/core/learning/report.js";
import type { PastIncident } from "../../src/core/learning/similar.js";

export const HISTORY_PATH = fileURLToPath(new URL("../fixtures/incidents/history.json", import.meta.url));

export interface RawIncident {
  number: number;
  url: string;
  state: "open" | "closed";
  record: Omit<IncidentRecord, "suspects"> & {
    suspects: Array<IncidentRecord["suspects"][number] & { files: string[] }>;
  };
}

export interface RawHistory {
  period: { since: string; until: string };
  incidents: RawIncident[];
  deployChecks: DeployCheck[];
  actionItemStates: Record<string, "open" | "closed">;
}

export function loadHistory(): RawHistory {
  return JSON.parse(readFileSync(HISTORY_PATH, "utf8")) as RawHistory;
}

/** The fixture's incidents as the app would read them: validated records (suspect files included). */
export function pastIncidents(raw: RawHistory = loadHistory()): PastIncident[] {
  return raw.incidents.map((i) => ({
    number: i.number,
    url: i.url,
    state: i.state,
    record: IncidentRecordSchema.parse(i.record),
  }));
}

export const ms = (iso: string | undefined) => (iso === undefined ? NaN : new Date(iso).getTime());

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
