// incidentWrite: the one write that brings an incident issue up to its record (commands, the
// single-incident update and the grouped batch all go through it).
import { describe, expect, it } from "vitest";
import { incidentWrite } from "../../src/app/pipeline/write.js";
import { DEFAULT_REPO_CONFIG } from "../../src/core/config/repo-config.js";
import {
  incidentLabels,
  incidentTitle,
  renderIncidentBody,
} from "../../src/core/incident/render-incident.js";
import { incidentRecord } from "../helpers/incident-record.js";

const labels = DEFAULT_REPO_CONFIG.labels;
const record = incidentRecord();
const current = incidentLabels(record, labels);

describe("incidentWrite", () => {
  it("writes the body only when the labels, title and state already follow the record", () => {
    const write = incidentWrite({ labels: current, state: "open" }, record, labels, {
      retitleFrom: incidentTitle(record),
    });
    expect(write).toEqual({ body: renderIncidentBody(record) });
  });

  it("keeps people's labels and replaces the managed ones when the record changed them", () => {
    const raised = { ...record, severity: "P1" as const, status: "resolved" as const };
    const write = incidentWrite({ labels: [...current, "team-a"], state: "open" }, raised, labels);
    expect(write.labels).toEqual(expect.arrayContaining(["team-a", "severity:P1", labels.resolved]));
    expect(write.labels).not.toContain("severity:P2");
  });

  it("retitles only when asked and the record's title differs", () => {
    const raised = { ...record, severity: "P1" as const };
    const issue = { labels: current, state: "open" };
    expect(incidentWrite(issue, raised, labels).title).toBeUndefined();
    expect(
      incidentWrite(issue, raised, labels, { retitleFrom: incidentTitle(raised) }).title,
    ).toBeUndefined();
    expect(incidentWrite(issue, raised, labels, { retitleFrom: "edited by a person" }).title).toBe(
      incidentTitle(raised),
    );
  });

  it("closes only an issue that is not closed yet", () => {
    expect(incidentWrite({ labels: current, state: "open" }, record, labels, { close: true }).state).toBe(
      "closed",
    );
    expect(
      incidentWrite({ labels: current, state: "closed" }, record, labels, { close: true }).state,
    ).toBeUndefined();
    expect(incidentWrite({ labels: current, state: "open" }, record, labels).state).toBeUndefined();
  });
});
