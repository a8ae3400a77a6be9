import { describe, expect, it } from "vitest";
import {
  authorNoteMarker,
  hasAuthorNoteMarker,
  renderAuthorNote,
} from "../../../src/core/incident/render-author-note.js";

const repo = { owner: "Acme", repo: "shop" };
const input = {
  repo,
  incident: {
    number: 101,
    url: "https://github.com/acme/shop/issues/101",
    record: {
      severity: "P1" as const,
      name: "HighErrorRate",
      service: "checkout",
      environment: "production",
    },
  },
  suspect: { number: 42, title: "Retry payment calls", reasons: ["r1", "r2"], confidence: 0.784 },
};

describe("author note marker", () => {
  it("names the repository (case-insensitively) and the incident", () => {
    expect(authorNoteMarker(repo, 101)).toBe("<!-- aftershock:author-note incident=acme/shop#101 -->");
    expect(hasAuthorNoteMarker("x\n<!-- aftershock:author-note incident=acme/shop#101 -->", repo, 101)).toBe(
      true,
    );
    // Another incident, or another repository, is another note.
    expect(hasAuthorNoteMarker(authorNoteMarker(repo, 10), repo, 101)).toBe(false);
    expect(hasAuthorNoteMarker(authorNoteMarker(repo, 1011), repo, 101)).toBe(false);
    expect(hasAuthorNoteMarker(authorNoteMarker({ owner: "acme", repo: "web" }, 101), repo, 101)).toBe(false);
    expect(hasAuthorNoteMarker(null, repo, 101)).toBe(false);
  });

  it("cannot be broken out of by a strange repository name", () => {
    expect(authorNoteMarker({ owner: "a-->b", repo: "<x>" }, 1)).toBe(
      "<!-- aftershock:author-note incident=a--b/x#1 -->",
    );
  });
});

describe("renderAuthorNote", () => {
  it("links the incident, gives the chance and at most five reasons, and names /rollback", () => {
    const many = { ...input, suspect: { ...input.suspect, reasons: ["a", "b", "c", "d", "e", "f"] } };
    const body = renderAuthorNote(many);
    expect(body.split("\n")[0]).toBe(authorNoteMarker(repo, 101));
    expect(body).toContain(
      "[\\#101 \\[P1\\] HighErrorRate: checkout in production](https://github.com/acme/shop/issues/101)",
    );
    expect(body).toContain("(**78 % likely**)");
    expect(body).toContain("- e");
    expect(body).not.toContain("- f");
    expect(body).toContain("`/rollback #42`");
  });
});
