// postJson: one retry on 5xx/429, none on 4xx, a timeout, and errors that never carry the URL.
import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { postJson } from "../../src/notify/http.js";

const HOST = "https://hooks.example";
const URL_WITH_SECRET = `${HOST}/hook/sEcReT`;
const fast = { target: "Test hook", backoffMs: 10 };

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe("postJson", () => {
  it("retries a 500 once, then reports the failure", async () => {
    const scope = nock(HOST).post("/hook/sEcReT").times(2).reply(500, "boom");
    const result = await postJson(URL_WITH_SECRET, { a: 1 }, fast);
    expect(result).toEqual({ ok: false, status: 500, attempts: 2, error: "Test hook answered 500" });
    expect(scope.isDone()).toBe(true);
  });

  it("succeeds when the retry after a 503 does", async () => {
    nock(HOST).post("/hook/sEcReT").reply(503).post("/hook/sEcReT").reply(202, {});
    expect(await postJson(URL_WITH_SECRET, {}, fast)).toEqual({ ok: true, status: 202, attempts: 2 });
  });

  it("retries a 429 after its Retry-After, capped by maxBackoffMs", async () => {
    nock(HOST).post("/hook/sEcReT").reply(429, "", { "retry-after": "30" }).post("/hook/sEcReT").reply(200);
    const started = Date.now();
    const result = await postJson(URL_WITH_SECRET, {}, { ...fast, maxBackoffMs: 50 });
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("does not retry a 400", async () => {
    const scope = nock(HOST).post("/hook/sEcReT").reply(400, "invalid payload");
    const result = await postJson(URL_WITH_SECRET, {}, fast);
    expect(result).toMatchObject({ ok: false, status: 400, attempts: 1 });
    expect(scope.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("times out a slow answer, retries once, and says so", async () => {
    const scope = nock(HOST).post("/hook/sEcReT").times(2).delay(2_000).reply(200);
    const started = Date.now();
    const result = await postJson(URL_WITH_SECRET, {}, { ...fast, timeoutMs: 100 });
    expect(result).toEqual({ ok: false, attempts: 2, error: "Test hook: timed out after 100 ms" });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(scope.isDone()).toBe(true);
  });

  it("a network error names no URL", async () => {
    nock(HOST)
      .post("/hook/sEcReT")
      .times(2)
      .replyWithError({ code: "ECONNRESET", message: `reset ${URL_WITH_SECRET}` });
    const result = await postJson(URL_WITH_SECRET, {}, fast);
    expect(result.ok).toBe(false);
    expect(result.attempts).toBe(2);
    expect(result.error).toMatch(/^Test hook: network error/);
    expect(result.error).not.toContain("sEcReT");
  });

  it("retries a name that does not resolve once too, unlike the metric sources", async () => {
    const scope = nock(HOST).post("/hook/sEcReT").times(2).replyWithError({ code: "ENOTFOUND" });
    const result = await postJson(URL_WITH_SECRET, {}, fast);
    expect(result).toMatchObject({ ok: false, attempts: 2 });
    expect(result.error).toMatch(/^Test hook: network error/);
    expect(scope.isDone()).toBe(true);
  });

  it("refuses a value that is not an http(s) URL without repeating it", async () => {
    const result = await postJson("xoxb-sEcReT-not-a-url", {}, fast);
    expect(result).toEqual({ ok: false, attempts: 0, error: "Test hook URL is not a valid http(s) URL" });
  });
});
