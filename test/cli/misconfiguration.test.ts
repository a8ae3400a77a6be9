// Misconfiguration fails loudly: a Prometheus host that does not resolve or a TLS failure exits 2
// with a message that names the URL and what to check; an outage stays inconclusive.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCheck } from "../../src/cli/check.js";
import { EXIT } from "../../src/cli/io.js";
import { makeCheck, makeGate } from "../../src/core/gate/defaults.js";
import { ConfigError } from "../../src/core/errors.js";
import { runGate } from "../../src/core/gate/gate.js";
import { PrometheusHttpSource } from "../../src/sources/index.js";

const CLEAN = fileURLToPath(new URL("../../examples/scenarios/clean-deploy.json", import.meta.url));
const DEPLOY_ISO = "2026-11-26T14:00:00Z";
const DEPLOY = Date.parse(DEPLOY_ISO) / 1000;
const now = () => DEPLOY + 3600;
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

async function check(url: string) {
  let stdout = "";
  let stderr = "";
  const io = { stdout: (s: string) => (stdout += s), stderr: (s: string) => (stderr += s), env: {} };
  const code = await runCheck(
    ["--prometheus-url", url, "--query", "up", "--deploy-time", DEPLOY_ISO],
    io,
    now,
  );
  return { code, stdout, stderr };
}

/** Answers every query with the clean scenario, like a Prometheus with that history. */
const answer = (_req: unknown, res: ServerResponse) => {
  res.setHeader("content-type", "application/json");
  res.end(readFileSync(CLEAN, "utf8"));
};

const listen = async (server: Server) => {
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return (server.address() as AddressInfo).port;
};

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});
afterEach(() => nock.cleanAll());
// Back to loopback only: other files in this worker must not reach an outside host either.
afterAll(() => nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/));

describe("a Prometheus host that does not resolve", () => {
  it("exits 2 at once, naming the URL (without credentials) and the hostname to check", async () => {
    const scope = nock("http://prometheus.typo.example:9090")
      .post("/api/v1/query_range")
      .replyWithError({ code: "ENOTFOUND", message: "getaddrinfo ENOTFOUND prometheus.typo.example" });
    const { code, stdout, stderr } = await check("http://bob:s3cret@prometheus.typo.example:9090");
    expect(code).toBe(EXIT.usage);
    expect(stdout).toBe("");
    expect(stderr).toContain("http://prometheus.typo.example:9090/api/v1/query_range does not resolve");
    expect(stderr).toContain("check the hostname in the Prometheus URL");
    expect(stderr).not.toMatch(/bob|s3cret/);
    expect(scope.isDone()).toBe(true); // one request: no retries
  });
});

describe("outages stay inconclusive", () => {
  // Seasonal references off: the outage is the subject, not the extra reads.
  const gate = makeGate({ checks: [makeCheck({ query: "up" })], deployTime: DEPLOY, seasonality: "off" });
  const source = () =>
    new PrometheusHttpSource({ url: "http://prom.test:9090", sleep: async () => {}, random: () => 0.5 });

  it.each([
    [
      "refuses connections",
      () =>
        nock("http://prom.test:9090")
          .post("/api/v1/query_range")
          .times(8)
          .replyWithError({ code: "ECONNREFUSED", message: "connect ECONNREFUSED" }),
      /Could not reach .*ECONNREFUSED/,
    ],
    [
      "answers 503",
      () => nock("http://prom.test:9090").post("/api/v1/query_range").times(8).reply(503, "busy"),
      /HTTP 503/,
    ],
  ])("when Prometheus %s", async (_what, mock, reason) => {
    mock();
    const report = await runGate(gate, source(), { now });
    expect(report.verdict).toBe("inconclusive");
    expect(report.reason).toMatch(reason);
  });

  it("but a host that does not resolve stops the gate with a configuration error", async () => {
    nock("http://prom.test:9090")
      .post("/api/v1/query_range")
      .replyWithError({ code: "ENOTFOUND", message: "getaddrinfo ENOTFOUND prom.test" });
    await expect(runGate(gate, source(), { now })).rejects.toThrow(ConfigError);
  });
});

// A real handshake against a local server with a certificate made for the test (needs openssl).
const openssl = await promisify(execFile)("openssl", ["version"]).then(
  () => true,
  () => false,
);

describe.skipIf(!openssl)("TLS failures against a local https server", () => {
  let dir: string;
  let https: Server;
  let plain: Server;
  let httpsPort: number;
  let plainPort: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "aftershock-tls-"));
    // Self-signed, for "localhost" only: untrusted by default, and the wrong name for 127.0.0.1.
    await promisify(execFile)("openssl", [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost",
    ]);
    https = createHttpsServer(
      { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) },
      answer,
    );
    plain = createHttpServer(answer);
    httpsPort = await listen(https);
    plainPort = await listen(plain);
  });

  afterAll(() => {
    https?.close();
    plain?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("exits 2 on an untrusted certificate, naming the URL and NODE_EXTRA_CA_CERTS", async () => {
    const { code, stderr } = await check(`https://127.0.0.1:${httpsPort}`);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toContain(`TLS failure talking to https://127.0.0.1:${httpsPort}/api/v1/query_range`);
    expect(stderr).toContain("DEPTH_ZERO_SELF_SIGNED_CERT");
    expect(stderr).toContain("NODE_EXTRA_CA_CERTS");
  });

  it("exits 2 on https to a plain-http port, pointing at the scheme", async () => {
    const { code, stderr } = await check(`https://127.0.0.1:${plainPort}`);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toContain(`https://127.0.0.1:${plainPort}/api/v1/query_range`);
    expect(stderr).toMatch(/check the scheme and port/);
  });

  // NODE_EXTRA_CA_CERTS is read when Node starts, so these run the CLI in a child process.
  it("passes once the CA is given as the message says, and then names a hostname mismatch", async () => {
    const cli = (url: string) =>
      promisify(execFile)(
        process.execPath,
        [
          "--import",
          "tsx",
          "src/cli/main.ts",
          "check",
          "--prometheus-url",
          url,
          "--query",
          "up",
          "--deploy-time",
          "2026-11-26T14:00:00Z",
          "--quiet",
        ],
        { cwd: ROOT, env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, "cert.pem") } },
      ).then(
        (r) => ({ code: 0, stderr: r.stderr }),
        (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
      );
    const [trusted, wrongName] = await Promise.all([
      cli(`https://localhost:${httpsPort}`),
      cli(`https://127.0.0.1:${httpsPort}`),
    ]);
    expect(trusted).toEqual({ code: EXIT.pass, stderr: "" });
    expect(wrongName.code).toBe(EXIT.usage);
    expect(wrongName.stderr).toContain("ERR_TLS_CERT_ALTNAME_INVALID");
    expect(wrongName.stderr).toContain("the certificate is not issued for 127.0.0.1: check the hostname");
  });
});
