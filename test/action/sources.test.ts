// The Action with a vendor source: keys from inputs are masked before anything is logged, and an
// auth failure fails the step as a configuration error without echoing them.
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi, type MockInstance } from "vitest";

vi.hoisted(() => {
  Object.assign(process.env, {
    GITHUB_REPOSITORY: "o/r",
    GITHUB_SHA: "abc123",
    GITHUB_RUN_ID: "42",
    GITHUB_SERVER_URL: "https://github.com",
  });
});

import { run } from "../../src/action/run.js";

const API_KEY = "action-dd-api-key-1111111111";
const APP_KEY = "action-dd-app-key-2222222222";
const DEPLOY = 1_764_000_000;
const before = { ...process.env };
let stdout = "";
let spy: MockInstance;

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  spy?.mockRestore();
  for (const key of Object.keys(process.env)) if (key.startsWith("INPUT_")) delete process.env[key];
  process.exitCode = undefined;
  nock.cleanAll();
});
afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in before)) delete process.env[key];
});

async function action(inputs: Record<string, string>): Promise<string> {
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
  stdout = "";
  spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  await run(() => DEPLOY + 3600);
  spy.mockRestore();
  return stdout;
}

describe("the Action with source: datadog", () => {
  it("masks both keys first, and a 403 that echoes a key fails the step as configuration, key not shown", async () => {
    nock("https://api.datadoghq.eu")
      .get("/api/v1/query")
      .query(true)
      .reply(403, { errors: [`Forbidden: key ${APP_KEY} is not valid for this org`] });
    const out = await action({
      source: "datadog",
      "datadog-site": "datadoghq.eu",
      "datadog-api-key": API_KEY,
      "datadog-application-key": APP_KEY,
      query: "avg:errors{*}",
      "deploy-time": String(DEPLOY),
      timeout: "5s",
    });
    const lines = out.split("\n");
    const masks = lines.filter((l) => l.startsWith("::add-mask::")).map((l) => l.slice(12));
    expect(masks).toEqual(expect.arrayContaining([API_KEY, APP_KEY]));
    const firstOther = lines.findIndex((l) => l !== "" && !l.startsWith("::add-mask::"));
    expect(lines.findLastIndex((l) => l.startsWith("::add-mask::"))).toBeLessThan(firstOther);
    const rest = lines.filter((l) => !l.startsWith("::add-mask::")).join("\n");
    expect(rest).not.toContain(API_KEY);
    expect(rest).not.toContain(APP_KEY);
    expect(rest).toMatch(/::error::aftershock: .*Datadog refused the keys.*configuration: fix the inputs/);
    expect(process.exitCode).toBe(1);
  });
});
