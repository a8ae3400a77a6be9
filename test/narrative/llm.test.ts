import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { IncidentRecordSchema } from "../../src/core/incident/incident-record.js";
import { computeResponseMetrics, readResponseState } from "../../src/core/incident/response-metrics.js";
import {
  SYSTEM_PROMPT,
  draftNarrative,
  narrativeSettingsFromEnv,
  parseNarrative,
} from "../../src/narrative/llm.js";
import { loadHistory } from "../learning/fixture.js";

const BASE = "http://127.0.0.1:4011/v1";
const KEY = "sk-test-SECRET-0123456789";
const raw = loadHistory().incidents.find((i) => i.number === 101)!;
const record = IncidentRecordSchema.parse(raw.record);
const metrics = computeResponseMetrics(record, readResponseState(record));
const settings = { url: BASE, model: "small-model", apiKey: KEY, timeoutMs: 300 };

function completion(content: unknown) {
  return { id: "c1", choices: [{ index: 0, message: { role: "assistant", content } }] };
}

interface ChatBody {
  model: string;
  response_format: { type: string };
  messages: Array<{ role: string; content: string }>;
}

let logs: string[] = [];
const warn = (m: string) => logs.push(m);

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
  // The key never reaches a log line, whatever happened.
  for (const line of logs) expect(line).not.toContain(KEY);
  logs = [];
});

describe("draftNarrative", () => {
  it("posts a blameless prompt with the incident JSON and returns the drafted narrative", async () => {
    let sent: ChatBody | undefined;
    let auth: string | undefined;
    nock("http://127.0.0.1:4011")
      .post("/v1/chat/completions")
      .reply(200, function (_uri, body) {
        sent = body as ChatBody;
        auth = this.req.headers.authorization as string;
        return completion(
          JSON.stringify({
            summary: "Checkout errors rose after a deploy.",
            factors: ["A pool change", 3, ""],
          }),
        );
      });
    const out = await draftNarrative({ record, metrics }, settings, fetch, warn);
    expect(out).toEqual({
      summary: "Checkout errors rose after a deploy.",
      factors: ["A pool change"],
      drafted: true,
    });
    expect(auth).toBe(`Bearer ${KEY}`);
    expect(sent!.model).toBe("small-model");
    expect(sent!.response_format).toEqual({ type: "json_object" });
    expect(sent!.messages[0]).toEqual({ role: "system", content: SYSTEM_PROMPT });
    expect(SYSTEM_PROMPT).toMatch(/blameless/i);
    const user = sent!.messages[1]!.content;
    const incident = JSON.parse(user) as { suspects: Array<{ pr: number }>; metrics: unknown };
    expect(incident.suspects.map((s) => s.pr)).toEqual(record.suspects.map((s) => s.number));
    expect(incident.metrics).toBeDefined();
    // No people: authors, actors and @mentions stay out.
    for (const name of ["carol", "alice", "bob"]) expect(user).not.toContain(name);
    expect(user).not.toContain(KEY);
    expect(logs).toEqual([]);
  });

  it("returns null and warns when the endpoint is too slow", async () => {
    nock("http://127.0.0.1:4011")
      .post("/v1/chat/completions")
      .delay(2000)
      .reply(200, completion('{"summary":"late"}'));
    const started = Date.now();
    expect(await draftNarrative({ record }, settings, fetch, warn)).toBeNull();
    expect(Date.now() - started).toBeLessThan(1500);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/no answer within 300 ms/);
  });

  it("returns null on a 500, and the key in the error body does not reach the log", async () => {
    nock("http://127.0.0.1:4011").post("/v1/chat/completions").reply(500, `upstream failed for key ${KEY}`);
    expect(await draftNarrative({ record }, settings, fetch, warn)).toBeNull();
    expect(logs).toEqual([expect.stringMatching(/HTTP 500/)]);
  });

  it.each([
    ["a body that is not JSON", "<html>bad gateway</html>"],
    ["content that is not JSON", JSON.stringify(completion("Here is your summary: it broke."))],
    ["JSON without a summary", JSON.stringify(completion('{"factors":["x"]}'))],
    ["no choices", JSON.stringify({ choices: [] })],
  ])("returns null on %s", async (_what, body) => {
    nock("http://127.0.0.1:4011").post("/v1/chat/completions").reply(200, body);
    expect(await draftNarrative({ record }, settings, fetch, warn)).toBeNull();
    expect(logs).toEqual([expect.stringMatching(/not the JSON asked for/)]);
  });

  it("returns null when the connection fails, without the error's text, which may echo the key", async () => {
    const refused = Object.assign(new TypeError(`fetch failed (Authorization: Bearer ${KEY})`), {
      cause: { code: "ECONNREFUSED" },
    });
    const failing = () => Promise.reject(refused);
    expect(await draftNarrative({ record }, settings, failing, warn)).toBeNull();
    expect(logs).toEqual([expect.stringContaining("request failed: TypeError (ECONNREFUSED)")]);
  });

  it("a URL holding credentials never reaches the log, though fetch's own error repeats it", async () => {
    const url = "http://user:pw-SECRET-42@127.0.0.1:4011/v1";
    expect(await draftNarrative({ record }, { ...settings, url }, fetch, warn)).toBeNull();
    expect(logs).toHaveLength(1);
    expect(logs[0]).not.toContain("pw-SECRET-42");
  });
});

describe("settings and parsing", () => {
  it("reads LLM_API_URL, LLM_MODEL and LLM_API_KEY; nothing set means no drafting", () => {
    expect(narrativeSettingsFromEnv({})).toBeNull();
    expect(narrativeSettingsFromEnv({ LLM_API_URL: BASE })).toBeNull();
    expect(
      narrativeSettingsFromEnv({
        LLM_API_URL: BASE,
        LLM_MODEL: "m",
        LLM_API_KEY: "k",
        LLM_TIMEOUT_MS: "500",
      }),
    ).toEqual({
      url: BASE,
      model: "m",
      apiKey: "k",
      timeoutMs: 500,
    });
  });

  it("accepts JSON wrapped in a code fence", () => {
    const body = JSON.stringify(completion('```json\n{"summary":" S ","factors":["a"]}\n```'));
    expect(parseNarrative(body)).toEqual({ summary: "S", factors: ["a"], drafted: true });
  });
});
