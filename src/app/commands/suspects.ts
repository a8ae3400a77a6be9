// /suspects: ranks the suspects again with what is known now (deploy statuses that changed, the
// repository's current config) over the same window, updates the table and posts the top ones.
import type { AlertRef, DeploymentRef } from "../../core/suspects/correlation-types.js";
import type { IncidentRecord } from "../../core/incident/incident-record.js";
import { escapeMarkdown, link } from "../../core/text/markdown.js";
import type { CorrelationRequest } from "../pipeline/correlate.js";
import { correlate } from "../pipeline/correlate.js";
import type { CommandContext, CommandResult, IncidentState } from "./types.js";
import { withEntry } from "./types.js";

const SHOWN = 5;

/** The correlation request the incident was opened with, rebuilt from its record. */
export function correlationRequestOf(record: IncidentRecord): CorrelationRequest {
  const starts = Object.values(record.fingerprints)
    .map((a) => a.startsAt)
    .filter((s) => !Number.isNaN(Date.parse(s)))
    .sort((a, b) => Date.parse(a) - Date.parse(b));
  const startsAt = starts[0] ?? record.openedAt;
  const alert: AlertRef = {
    startsAt,
    labels: { alertname: record.name, service: record.service, environment: record.environment },
  };
  const request: CorrelationRequest = { alert, environment: record.environment, until: new Date(startsAt) };
  if (record.source === "deploy-check" && record.groupKey.startsWith("deploy:")) {
    const id = record.groupKey.slice("deploy:".length);
    const known = record.deploys.find((d) => String(d.id) === id);
    if (known) {
      const deployment: DeploymentRef = { ...known, checkFailed: true };
      request.deployment = deployment;
    }
  }
  return request;
}

/** Requests: those of fetchHistory (2 for most incidents). Emits `correlation`. */
export async function suspects(ctx: CommandContext, state: IncidentState): Promise<CommandResult> {
  const started = performance.now();
  const found = await correlate(ctx.octokit, ctx.repo, correlationRequestOf(state.record), ctx.config);
  ctx.events.emit("correlation", { seconds: (performance.now() - started) / 1000, requests: found.requests });
  if (found.warning) {
    // correlate() reports a failure as a warning; the table keeps what it had.
    return { outcome: "failed", reply: `⚠️ ${escapeMarkdown(found.warning, 400)}.` };
  }
  const ranked = withEntry(
    state,
    {
      kind: "suspects",
      text: found.suspects[0]
        ? `Suspects ranked again: top #${found.suspects[0].number} (${found.suspects[0].score.toFixed(2)})`
        : "Suspects ranked again: none",
    },
    ctx,
  );
  const next = { ...ranked, record: { ...ranked.record, suspects: found.suspects, deploys: found.deploys } };
  if (found.suspects.length === 0) {
    return {
      outcome: "done",
      state: next,
      reply: "No merged pull request was deployed to this environment in the lookback window.",
    };
  }
  const rows = found.suspects.slice(0, SHOWN).map((s, i) => {
    const reasons = s.reasons.map((r) => escapeMarkdown(r, 200)).join("; ");
    return `| ${i + 1} | ${link(`#${s.number} ${s.title}`, s.url, 120)} | ${s.score.toFixed(2)} | ${reasons} |`;
  });
  const reply = [
    `**Suspects, ranked again** (${found.suspects.length}):`,
    "",
    "| Rank | Pull request | Score | Why |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
    "`/rollback` reverts the top one; `/rollback #<n>` another.",
  ].join("\n");
  return { outcome: "done", state: next, reply };
}
