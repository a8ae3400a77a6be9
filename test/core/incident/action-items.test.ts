import { describe, expect, it } from "vitest";
import {
  ACTION_ITEM_LABEL,
  actionItemKey,
  actionItemMarker,
  parseActionItems,
  renderActionItemIssue,
  unescapeMarkdown,
} from "../../../src/core/incident/action-items.js";
import { escapeMarkdown } from "../../../src/core/text/markdown.js";

const POSTMORTEM = [
  "# Post-mortem",
  "",
  "## What could improve",
  "",
  "- [ ] not an action item: wrong section",
  "",
  "## Action items",
  "",
  "- [ ] Add a canary for checkout",
  "- [x] Already done",
  "- [X] Also done",
  "- [ ] Linked by number (#123)",
  "* [ ] Linked by URL (https://github.com/acme/shop/issues/9)",
  "- [ ] Mentions https://github.com/acme/shop/issues/10 inline",
  "  - [ ] Nested item",
  "1. [ ] Numbered item",
  "- [ ]   ",
  "- plain bullet, not a task",
  "```",
  "- [ ] inside a code block",
  "```",
  "### Owners",
  "- [ ] sub-section still belongs to action items",
  "",
  "## Appendix",
  "- [ ] after the section",
].join("\r\n");

describe("parseActionItems", () => {
  it("returns only the unchecked items of the Action items section, with their lines", () => {
    const items = parseActionItems(POSTMORTEM);
    expect(items.map((i) => i.text)).toEqual([
      "Add a canary for checkout",
      "Linked by number",
      "Linked by URL",
      "Mentions https://github.com/acme/shop/issues/10 inline",
      "Nested item",
      "Numbered item",
      "sub-section still belongs to action items",
    ]);
    expect(items[0]!.line).toBe(9);
  });

  it("says which items already link an issue, by number or URL", () => {
    const byText = new Map(parseActionItems(POSTMORTEM).map((i) => [i.text, i]));
    expect(byText.get("Add a canary for checkout")).toMatchObject({ linked: false });
    expect(byText.get("Add a canary for checkout")).not.toHaveProperty("issue");
    expect(byText.get("Linked by number")).toMatchObject({ linked: true, issue: 123 });
    expect(byText.get("Linked by URL")).toMatchObject({
      linked: true,
      issue: "https://github.com/acme/shop/issues/9",
    });
    expect(byText.get("Mentions https://github.com/acme/shop/issues/10 inline")).toMatchObject({
      linked: true,
      issue: "https://github.com/acme/shop/issues/10",
    });
    expect(parseActionItems(POSTMORTEM).filter((i) => !i.linked)).toHaveLength(4);
  });

  it("finds nothing without an Action items heading, and accepts any heading level and case", () => {
    expect(parseActionItems("- [ ] loose task\n## Notes\n- [ ] x")).toEqual([]);
    expect(parseActionItems("### ACTION ITEMS ###\n- [ ] one").map((i) => i.text)).toEqual(["one"]);
    expect(parseActionItems("#### Action item\n- [ ] one").map((i) => i.text)).toEqual(["one"]);
  });

  it("undoes escapeMarkdown, so items read as they were written", () => {
    const original = "Fix a|b <cfg> for @team's `svc-api` (v2) #1 & more";
    const [item] = parseActionItems(`## Action items\n- [ ] ${escapeMarkdown(original)}`);
    expect(item?.text).toBe(original);
    expect(item?.linked).toBe(false);
    expect(unescapeMarkdown("line1<br>line2")).toBe("line1 line2");
  });
});

describe("renderActionItemIssue", () => {
  const incident = {
    number: 12,
    title: "[P2] HighErrorRate: checkout in production",
    postmortemUrl: "https://github.com/acme/shop/blob/main/docs/postmortems/2024-05-01-x-12.md",
  };

  it("titles the issue with the item, labels it and links the incident and post-mortem", () => {
    const issue = renderActionItemIssue("Add a canary for checkout", incident);
    expect(issue.title).toBe("Add a canary for checkout");
    expect(issue.labels).toEqual([ACTION_ITEM_LABEL]);
    expect(issue.body).toContain("incident #12 ");
    expect(issue.body).toContain(`(${incident.postmortemUrl})`);
    expect(issue.body).toContain(actionItemMarker(12, "Add a canary for checkout"));
    expect(renderActionItemIssue("x", incident, "follow-up").labels).toEqual(["follow-up"]);
  });

  it("escapes the text, defuses mentions and leaves out unsafe links", () => {
    const issue = renderActionItemIssue("Ask @alice <b>now</b>\nsecond line", {
      ...incident,
      postmortemUrl: "javascript:alert(1)",
    });
    expect(issue.title).not.toMatch(/@[a-z]/);
    expect(issue.title).not.toContain("\n");
    expect(issue.body).not.toMatch(/@[a-z]|<b>|javascript:/);
    expect(issue.body).toContain("&lt;b&gt;now&lt;/b&gt;");
  });

  it("keys items by text regardless of case and spacing, and the marker cannot be closed early", () => {
    expect(actionItemKey("  Add  a Canary ")).toBe(actionItemKey("add a canary"));
    expect(actionItemMarker(12, "Add a canary")).toBe(actionItemMarker(12, "add  a canary"));
    expect(actionItemMarker(12, "a")).not.toBe(actionItemMarker(13, "a"));
    expect(actionItemMarker(1, "evil --> <script>")).toMatch(
      /^<!-- aftershock:action-item 1 [A-Za-z0-9+/=]+ -->$/,
    );
  });
});
