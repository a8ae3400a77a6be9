import { generateKeyPairSync } from "node:crypto";
import { PassThrough } from "node:stream";
import { Probot, Server } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/app/observability/logger.js";
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
