// Slack messages: the payload shape, and hostile alert text that must not ping anyone.
import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  escapeSlack,
  sendSlack,
  slackLink,
  slackMessage,
  type SlackMessage,
} from "../../src/notify/slack.js";
import { ISSUE_URL, SLACK_URL, incidentEvent, incidentRecord } from "./helpers.js";

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

/** Every mrkdwn/plain text string in a message, fallback included. */
function texts(message: SlackMessage): string[] {
  return [
    message.text,
    ...message.blocks.flatMap((b) => [b.text?.text, ...(b.fields ?? []).map((f) => f.text)]),
    ...message.blocks.flatMap((b) => (b.elements ?? []).map((e) => e.text)),
  ].filter((t): t is string => t !== undefined);
}

describe("escapeSlack", () => {
  it("turns the control characters of mrkdwn into entities and defuses @", () => {
    expect(escapeSlack("a & b <!channel> <@U123> @here")).toBe(
      "a &amp; b &lt;!channel&gt; &lt;@\u200DU123&gt; @\u200Dhere",
    );
  });

  it("drops controls, folds newlines and bounds the length", () => {
    expect(escapeSlack("one\ntwo\u202Ethree", 100)).toBe("one twothree");
    expect(Array.from(escapeSlack("x".repeat(50), 10))).toHaveLength(10);
  });
});

describe("slackLink", () => {
  it("links http(s) only, and a URL cannot close the link or change its label", () => {
    expect(slackLink("https://e.example/a|b>c", "x")).toBe("<https://e.example/a%7Cb%3Ec|x>");
    expect(slackLink("javascript:alert(1)", "x")).toBe("x");
    expect(slackLink(undefined, "x")).toBe("x");
  });
});

describe("slackMessage", () => {
  it("has a header, severity/service/environment fields, suspects and the issue link", () => {
    const message = slackMessage({ kind: "opened", event: incidentEvent() });
    expect(message.blocks.map((b) => b.type)).toEqual(["header", "section", "section", "context"]);
    const [header, fields, suspects] = message.blocks;
    expect(header!.text).toEqual({
      type: "plain_text",
      text: ":rotating_light: P1 incident: HighErrorRate",
      emoji: true,
    });
    expect(fields!.fields!.map((f) => f.text)).toEqual([
      "*Severity*\nP1",
      "*Service*\ncheckout",
      "*Environment*\nproduction",
      `*Issue*\n<${ISSUE_URL}|acme/shop#12>`,
    ]);
    expect(suspects!.text!.text).toBe(
      "*Top suspects*\n• <https://github.com/acme/shop/pull/42|#42 Cache the cart> by alice (score 0.81)",
    );
    expect(message.text).toBe(
      `P1 incident: HighErrorRate (checkout, production): <${ISSUE_URL}|acme/shop#12>`,
    );
    // Slack would otherwise parse mentions in mrkdwn on its own.
    for (const block of message.blocks)
      for (const t of [block.text, ...(block.fields ?? []), ...(block.elements ?? [])])
        if (t?.type === "mrkdwn") expect(t.verbatim).toBe(true);
  });

  it("says what changed for a severity change and a resolution", () => {
    const event = incidentEvent(incidentRecord({ severity: "P1" }));
    expect(slackMessage({ kind: "severity", event, previous: "P3" }).blocks[0]!.text!.text).toBe(
      ":arrow_up_down: P3 → P1: HighErrorRate",
    );
    const resolved = slackMessage({ kind: "resolved", event });
    expect(resolved.blocks[0]!.text!.text).toBe(":white_check_mark: Resolved: HighErrorRate");
    // No suspects section once it is over.
    expect(resolved.blocks.map((b) => b.type)).toEqual(["header", "section", "context"]);
  });

  it("hostile alert and PR text cannot ping a channel, mention a user or forge a link", () => {
    const hostile =
      "Checkout down <!channel> <!here|here> @here @channel <@U0123ABC> <https://evil.example|click> & more";
    const record = incidentRecord({
      name: hostile,
      service: "<!everyone>",
      environment: "prod @here",
      suspects: [
        {
          number: 7,
          title: "fix <!subteam^S123> & <@W999>",
          author: "mallory <!channel>",
          url: "https://github.com/acme/shop/pull/7",
          deploymentId: 1,
          score: 0.5,
          reasons: [],
        },
      ],
    });
    const message = slackMessage({ kind: "opened", event: incidentEvent(record) });
    const all = texts(message).join("\n");
    for (const bad of [
      "<!channel>",
      "<!here",
      "<!everyone>",
      "<!subteam",
      "<@U0123ABC>",
      "<@W999>",
      "<https://evil",
    ])
      expect(all).not.toContain(bad);
    expect(all).not.toMatch(/@(here|channel)/);
    expect(all).toContain("&lt;!channel&gt;");
    expect(all).toContain("fix &lt;!subteam^S123&gt; &amp; &lt;@\u200DW999&gt;");
    // The only angle-bracket tokens left are the links we made.
    const tokens = [...all.matchAll(/<([^>]*)>/g)].map((m) => m[1]!);
    expect(tokens.length).toBeGreaterThan(0);
    for (const token of tokens)
      expect(token).toMatch(/^https:\/\/(github\.com\/acme\/shop\/|alertmanager\.example\/)/);
  });
});

describe("sendSlack", () => {
  it("posts the message as JSON to the webhook URL", async () => {
    let body: unknown;
    const scope = nock("https://hooks.slack.com")
      .post("/services/T000/B000/sEcReTwEbHoOkPaTh", (b: unknown) => ((body = b), true))
      .matchHeader("content-type", "application/json")
      .reply(200, "ok");
    const notice = { kind: "opened" as const, event: incidentEvent() };
    const result = await sendSlack(SLACK_URL, notice);
    expect(result).toEqual({ ok: true, status: 200, attempts: 1 });
    expect(scope.isDone()).toBe(true);
    expect(body).toEqual(JSON.parse(JSON.stringify(slackMessage(notice))));
  });

  it("a 404 (a deleted webhook) fails at once, without the URL in the error", async () => {
    const scope = nock("https://hooks.slack.com").post(/.*/).reply(404, "no_service");
    const result = await sendSlack(SLACK_URL, { kind: "resolved", event: incidentEvent() });
    expect(result).toMatchObject({
      ok: false,
      status: 404,
      attempts: 1,
      error: "Slack webhook answered 404",
    });
    expect(scope.isDone()).toBe(true);
  });
});
