import { generateKeyPairSync } from "node:crypto";
import { PassThrough } from "node:stream";
import { Probot, Server } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger, logFormat } from "../../src/app/observability/logger.js";
import { FakeGitHub, TOKEN, firingPayload, loadApp, post, serve } from "./helpers.js";
import nock from "nock";

function capture() {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on("data", (chunk: Buffer) => lines.push(...chunk.toString().split("\n").filter(Boolean)));
  return { stream, lines };
}

describe("createLogger", () => {
  it("writes JSON at LOG_LEVEL and redacts secrets in our own fields", async () => {
    const { stream, lines } = capture();
    const log = createLogger({ LOG_LEVEL: "debug" }, stream);
    log.debug({ notify: { webhookUrl: "https://hooks.slack.example/T/B/secret" }, repo: "o/r" }, "notify");
    log.trace("not at debug");
    await new Promise((r) => setImmediate(r));
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({
      level: 20,
      msg: "notify",
      repo: "o/r",
      notify: { webhookUrl: "[redacted]" },
    });
    expect(lines[0]).not.toContain("secret");
  });
});

describe("LOG_FORMAT", () => {
  it("json writes one JSON object per line; pretty writes a line for a person", async () => {
    const json = capture();
    createLogger({ LOG_FORMAT: "json" }, json.stream).info({ repo: "o/r" }, "hello");
    const pretty = capture();
    createLogger({ LOG_FORMAT: "pretty" }, pretty.stream).info({ repo: "o/r" }, "hello");
    await new Promise((r) => setTimeout(r, 20));
    expect(JSON.parse(json.lines[0]!)).toMatchObject({ msg: "hello", repo: "o/r" });
    expect(pretty.lines[0]).toMatch(/INFO.*hello/);
    expect(() => JSON.parse(pretty.lines[0]!)).toThrow();
    expect(pretty.lines.join("\n")).toContain('repo: "o/r"');
  });

  it("defaults to pretty at a terminal and JSON elsewhere, and refuses anything else", () => {
    expect(logFormat({}, true)).toBe("pretty");
    expect(logFormat({}, false)).toBe("json");
    expect(logFormat({ LOG_FORMAT: "JSON" } as unknown as NodeJS.ProcessEnv, true)).toBe("json");
    expect(() => logFormat({ LOG_FORMAT: "logfmt" } as unknown as NodeJS.ProcessEnv, false)).toThrow(
      /json or pretty/,
    );
  });

  it("writes one name per line, the innermost logger's", async () => {
    const { stream, lines } = capture();
    const root = createLogger({ LOG_FORMAT: "json" }, stream);
    root.info("root");
    root.child({ name: "probot" }).child({ name: "alertmanager", delivery: "d" }).info("nested");
    root.child({ id: 1 }).child({ name: "http" }).info("named below an unnamed child");
    await new Promise((r) => setImmediate(r));
    const names = lines.map((l) => [...l.matchAll(/"name":"([^"]*)"/g)].map((m) => m[1]));
    expect(names).toEqual([["aftershock"], ["alertmanager"], ["http"]]);
    expect(JSON.parse(lines[1]!)).toMatchObject({ delivery: "d", msg: "nested" });
  });
});

describe("Probot's HTTP request log", () => {
  let server: Server | undefined;
  afterEach(async () => {
    await server?.stop();
  });

  it("never contains the Alertmanager bearer token", async () => {
    const { stream, lines } = capture();
    const log = createLogger({ LOG_LEVEL: "info" }, stream);
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    server = new Server({
      host: "127.0.0.1",
      port: 0,
      log,
      Probot: Probot.defaults({ appId: 1, privateKey, secret: "s", log }),
    });
    await server.load((_app, { addHandler }) => {
      addHandler((req, res) => {
        res.writeHead(204).end();
        return true;
      });
    });
    const http = await server.start();
    const { port } = http.address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}/alertmanager`, {
      method: "POST",
      headers: { authorization: "Bearer super-secret-token", "x-hub-signature-256": "sha256=abc" },
      body: "{}",
    });
    expect(res.status).toBe(204);
    await new Promise((r) => setTimeout(r, 50));
    const requestLines = lines.filter((l) => l.includes("/alertmanager"));
    expect(requestLines.length).toBeGreaterThan(0);
    expect(lines.join("\n")).not.toContain("super-secret-token");
    expect(requestLines.join("\n")).toContain("[redacted]");
  });
});

describe("the Alertmanager receiver's logs", () => {
  it("carry one delivery id, the repository, the group key and the incident, and never the token", async () => {
    const { stream, lines } = capture();
    const github = new FakeGitHub();
    github.install();
    const { handler } = await loadApp({}, {}, createLogger({ LOG_LEVEL: "info" }, stream));
    const server = await serve(handler);
    try {
      const res = await post(`${server.url}/alertmanager`, firingPayload());
      expect(res.status).toBe(201);
    } finally {
      await server.close();
      nock.cleanAll();
    }
    await new Promise((r) => setImmediate(r));
    const handled = lines.map((l) => JSON.parse(l)).find((l) => l.msg === "alert group handled");
    expect(handled).toMatchObject({
      name: "alertmanager",
      repository: "acme/shop",
      groupKey: firingPayload().groupKey,
      outcome: "created",
      incident: 101,
    });
    expect(handled.delivery).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines.join("\n")).not.toContain(TOKEN);
  });
});
